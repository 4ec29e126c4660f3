"""Language from the URL prefix (Arabic by default) and the region scope of each request."""

from contextlib import nullcontext

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django_scopes import scope, scopes_disabled

from . import roles
from .models import Region

SESSION_REGION_KEY = "tadamon_region"


def language_from_cookie(request):
    value = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return value if value in dict(settings.LANGUAGES) else None


class LanguageMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but Arabic-first.

    The language is the URL's prefix (/ar/, /fr/, /en/). A URL without a prefix goes to the
    language stored in the cookie, else Arabic: the browser's Accept-Language is not consulted,
    because most phones in Morocco announce French or English while their users read Arabic.
    The language of the URL is remembered in a cookie, so the choice persists.
    """

    def process_request(self, request):
        language = (
            translation.get_language_from_path(request.path_info)
            or language_from_cookie(request)
            or settings.LANGUAGE_CODE
        )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        from_path = translation.get_language_from_path(request.path_info)
        if from_path and from_path != language_from_cookie(request):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, from_path, max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE, secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        return response


def region_scope_for(user):
    """The django-scopes context for a user's requests.

    National administrators see every region. Users with regional roles see the regions they
    hold a role in. Everybody else gets no scope: a view that reads region-owned data for the
    public must say so with ``scopes_disabled()``, and one that forgets fails loudly.
    """
    if roles.is_national_admin(user):
        return scopes_disabled()
    region_ids = roles.regions_for(user)
    if region_ids:
        return scope(region=region_ids)
    return nullcontext()


class RegionMiddleware:
    """Sets ``request.region`` (the region being looked at, or None for all of Morocco) and
    runs the view inside the user's region scope."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.region = self.current_region(request)
        with region_scope_for(request.user):
            return self.get_response(request)

    @staticmethod
    def current_region(request):
        user = request.user
        chosen = request.session.get(SESSION_REGION_KEY)
        if user.is_authenticated and not roles.is_national_admin(user):
            own = roles.regions_for(user)
            if own:
                region_id = chosen if chosen in own else own[0]
                return Region.objects.filter(pk=region_id).first()
        if chosen:
            return Region.objects.filter(pk=chosen).first()
        return None


class SecurityHeadersMiddleware:
    """The Content-Security-Policy and Permissions-Policy of every answer (settings.TADAMON_CSP,
    settings.TADAMON_PERMISSIONS_POLICY). Pages carry no inline script, style or on…= handler, so
    the policy needs no 'unsafe-inline' (tests/security/test_headers.py checks both)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.TADAMON_CSP:
            response.headers.setdefault("Content-Security-Policy", settings.TADAMON_CSP)
        if settings.TADAMON_PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.TADAMON_PERMISSIONS_POLICY)
        return response
