from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "tadamon.insights"
    label = "insights"
    verbose_name = _("Indicators and reports")

    def ready(self):
        from . import rules  # noqa: F401
