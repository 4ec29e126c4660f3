"""The project's URLs with plain error answers: the permission matrix asks for thousands of refusals
and needs their status codes, not the styled error pages (tested in tests/core)."""

from django.http import HttpResponse

from tadamon.urls import *  # noqa: F403
from tadamon.urls import urlpatterns  # noqa: F401


def plain_403(request, exception=None):
    return HttpResponse(status=403)


def plain_404(request, exception=None):
    return HttpResponse(status=404)


handler403 = plain_403
handler404 = plain_404
