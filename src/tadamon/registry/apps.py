from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "tadamon.registry"
    label = "registry"
    verbose_name = _("SSE registry")

    def ready(self):
        from tadamon.core import choices
        from tadamon.core.signals import demo_loaders

        from . import home, signals  # noqa: F401
        from .demo import load_demo
        from .models import Sector

        demo_loaders.append(load_demo)
        choices.watch(Sector)
