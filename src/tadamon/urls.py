"""Every page lives under a language prefix (/ar/, /fr/, /en/); the API and static files do not."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from tadamon.api.urls import api
from tadamon.core import views as core_views

urlpatterns = [
    path("i18n/switch/", core_views.switch_language, name="switch_language"),
    path("api/v1/", api.urls),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("tadamon.accounts.urls")),
    path("", include("tadamon.registry.urls")),
    path("", include("tadamon.fairs.urls")),
    path("", include("tadamon.programme.urls")),
    path("", include("tadamon.market.urls")),
    path("", include("tadamon.prizes.urls")),
    path("", include("tadamon.insights.urls")),
    path("", include("tadamon.consult.urls")),
    path("", include("tadamon.support.urls")),
    path("", include("tadamon.core.urls")),
    prefix_default_language=True,
)

if not settings.PRODUCTION:
    # Uploaded files; in production the reverse proxy serves MEDIA_ROOT (docs/operations.md).
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler403 = "tadamon.core.views.error_403"
handler404 = "tadamon.core.views.error_404"
handler500 = "tadamon.core.views.error_500"
