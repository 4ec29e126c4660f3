from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "tadamon.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import choices, pagecache, signals  # noqa: F401 (pagecache watches the writes of every connection)
        from .models import Province, Region

        connection_created.connect(_tune_sqlite)
        choices.watch(Region, Province)


def _tune_sqlite(sender, connection, **kwargs):
    """Keep SQLite in WAL mode and enforce foreign keys on every connection."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")


class TadamonAdminConfig(admin_apps.AdminConfig):
    """Django's admin, open to national administrators only."""

    default = False
    default_site = "tadamon.core.admin_site.TadamonAdminSite"
