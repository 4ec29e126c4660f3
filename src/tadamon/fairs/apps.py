from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairsConfig(AppConfig):
    name = "tadamon.fairs"
    label = "fairs"
    verbose_name = _("Fairs and events")

    def ready(self):
        from tadamon.core.signals import demo_loaders, sale_recorded

        from .demo import load_demo
        from .sales import on_sale_recorded

        demo_loaders.append(load_demo)
        sale_recorded.connect(on_sale_recorded, dispatch_uid="fairs.sales.on_sale_recorded")
