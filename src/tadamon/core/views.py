"""Home screens per role, region and language switches, the activity log, error pages."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import roles
from .decorators import permission_required, public
from .forms import ActivityFilterForm
from .middleware import SESSION_REGION_KEY
from .models import ActivityLog, Region, Role
from .pagecache import cached_for_visitors

#: Home-screen builders contributed by domain apps: role key -> callable(request) -> dict.
HOME_SECTIONS = {}


def register_home_section(role):
    def decorator(func):
        HOME_SECTIONS.setdefault(role, []).append(func)
        return func

    return decorator


def _safe_next(request, fallback="/"):
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return fallback
    return target


@public
@cached_for_visitors("core")
def home(request):
    """The landing page for visitors; for signed-in users, the home of their main role."""
    role = roles.primary_role(request.user)
    context = {"role": role, "sections": []}
    if request.user.is_authenticated:  # visitors see the landing page, without sections
        for builder in HOME_SECTIONS.get(role, []):
            context["sections"].append(builder(request))
    if role in (Role.NATIONAL_ADMIN, Role.REGIONAL_STAFF, Role.PARTNER_VIEWER):
        regions = Region.objects.all() if role == Role.NATIONAL_ADMIN else Region.objects.filter(
            pk__in=roles.regions_for(request.user))
        context["regions"] = regions.prefetch_related("provinces")
        if role != Role.PARTNER_VIEWER:
            context["recent_activity"] = ActivityLog.objects.select_related("region")[:8]
    return render(request, "core/home.html", context)


@public
def about(request):
    return render(request, "core/about.html")


@public
@require_POST
def switch_language(request):
    """Switch to another language: same page in the new language, remembered in a cookie and,
    for signed-in users, in their profile (e-mails follow it)."""
    language = request.POST.get("language")
    next_url = _safe_next(request)
    if language not in dict(settings.LANGUAGES):
        return HttpResponseRedirect(next_url)
    target = translate_url(next_url, language)
    if not target.startswith(f"/{language}/"):
        with translation.override(language):
            target = reverse("core:home")
    response = HttpResponseRedirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False))
    user = request.user
    if user.is_authenticated and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return response


@public
@require_POST
def switch_region(request):
    """Choose the region being looked at (visitors and national administrators: any region;
    regional users: one of their own)."""
    next_url = _safe_next(request)
    value = request.POST.get("region") or ""
    if not value:
        request.session.pop(SESSION_REGION_KEY, None)
        return HttpResponseRedirect(next_url)
    region = Region.objects.filter(code=value).first()
    own = roles.regions_for(request.user) if request.user.is_authenticated else []
    allowed = region is not None and (not own or roles.is_national_admin(request.user) or region.pk in own)
    if not allowed:
        messages.error(request, _("This region cannot be chosen."))
        return HttpResponseRedirect(next_url)
    request.session[SESSION_REGION_KEY] = region.pk
    return HttpResponseRedirect(next_url)


@permission_required("core.view_region")
def region_overview(request, code):
    """A region's overview for the people who work on it; any other region is a 404."""
    region = get_object_or_404(Region.objects.prefetch_related("provinces"), code=code)
    if not request.user.has_perm("core.view_region", region):
        raise Http404
    context = {"region": region, "provinces": region.provinces.all()}
    if request.user.has_perm("core.view_activity"):
        context["recent_activity"] = ActivityLog.objects.filter(region=region).select_related("region")[:10]
    return render(request, "core/region_overview.html", context)


@permission_required("core.view_activity")
def activity_list(request):
    """Browse the activity log of the regions the user runs, with filters."""
    national = roles.is_national_admin(request.user)
    form = ActivityFilterForm(request.GET or None, show_region=national)
    entries = ActivityLog.objects.select_related("region", "content_type")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            entries = entries.filter(Q(actor_label__icontains=data["q"]) | Q(object_repr__icontains=data["q"]))
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("region"):
            entries = entries.filter(region=data["region"])
        tz = timezone.get_current_timezone()
        if data.get("date_from"):
            entries = entries.filter(created_at__gte=datetime.combine(data["date_from"], time.min, tz))
        if data.get("date_to"):
            end = datetime.combine(data["date_to"] + timedelta(days=1), time.min, tz)
            entries = entries.filter(created_at__lt=end)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/activity_list.html",
                  {"form": form, "page": page, "query": query.urlencode()})


@permission_required("core.view_activity")
def activity_detail(request, pk):
    entry = get_object_or_404(ActivityLog.objects.select_related("region", "content_type", "actor"), pk=pk)
    return render(request, "core/activity_detail.html", {"entry": entry})


def csrf_failure(request, reason=""):
    """A forged or expired form: say so plainly, change nothing."""
    return render(request, "core/csrf_failure.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_500(request):
    """Rendered without context processors: it must work even when the database does not."""
    from django.http import HttpResponseServerError
    from django.template import loader
    from django.utils.translation import get_language, get_language_bidi

    # The stylesheet by its plain name: no manifest lookup that could fail too (WhiteNoise serves it).
    html = loader.render_to_string("500.html", {"LANGUAGE_CODE": get_language(), "LANGUAGE_BIDI": get_language_bidi(),
                                                "STATIC_URL": settings.STATIC_URL})
    return HttpResponseServerError(html)


def private_file(field_file):
    """An uploaded private document (never a public /media/ link), for a view that checked who may
    read it: PDFs and pictures open in the browser, anything else downloads; not cached."""
    import mimetypes

    from django.http import FileResponse

    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404
    name = field_file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0]
    inline = content_type in ("application/pdf", "image/jpeg", "image/png")
    response = FileResponse(handle, as_attachment=not inline, filename=name,
                            content_type=content_type if inline else "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

