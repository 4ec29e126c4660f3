from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "tadamon.market"
    label = "market"
    verbose_name = _("Solidarity market")

    def ready(self):
        from tadamon.core.signals import demo_loaders

        from .demo import load_demo

        demo_loaders.append(load_demo)
