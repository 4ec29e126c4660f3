from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "tadamon.programme"
    label = "programme"
    verbose_name = _("Programme")

    def ready(self):
        from tadamon.core.signals import demo_loaders

        from .demo import load_demo

        demo_loaders.append(load_demo)
