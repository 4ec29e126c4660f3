from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class TadamonAdminSite(admin.AdminSite):
    site_header = _("Tadamon administration")
    site_title = _("Tadamon")
    index_title = _("National administration")

    def has_permission(self, request):
        from .roles import is_national_admin

        user = request.user
        return bool(user.is_active and user.is_staff and is_national_admin(user))
