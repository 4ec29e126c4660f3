from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairsConfig(AppConfig):
    name = "tadamon.fairs"
    label = "fairs"
    verbose_name = _("Fairs and events")

    def ready(self):
        from tadamon.core.signals import demo_loaders

        from .demo import load_demo

        demo_loaders.append(load_demo)
