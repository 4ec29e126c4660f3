from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    name = "tadamon.consult"
    label = "consult"
    verbose_name = _("Consultations and action plan")

    def ready(self):
        from tadamon.core.signals import demo_loaders

        from . import services  # noqa: F401 (registers the activity labels)
        from .demo import load_demo

        demo_loaders.append(load_demo)
