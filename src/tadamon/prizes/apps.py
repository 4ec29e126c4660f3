from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrizesConfig(AppConfig):
    name = "tadamon.prizes"
    label = "prizes"
    verbose_name = _("Prizes and honours")

    def ready(self):
        from tadamon.core.signals import demo_loaders, edition_providers

        from . import rules  # noqa: F401
        from .demo import load_demo
        from .figures import edition_figures
        from .views import hooks  # noqa: F401

        demo_loaders.append(load_demo)
        edition_providers.append(edition_figures)
