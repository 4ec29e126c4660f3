from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "tadamon.support"
    label = "support"
    verbose_name = _("Support programmes")

    def ready(self):
        from tadamon.core.signals import demo_loaders, indicator_providers

        from . import home  # noqa: F401 (registers the home screen's sections)
        from .demo import load_demo
        from .indicators import indicator_rows

        demo_loaders.append(load_demo)
        indicator_providers.append(indicator_rows)
