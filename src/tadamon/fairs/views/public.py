"""Public pages of fairs: the list of editions and an edition's page."""

from typing import NamedTuple

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django_scopes import scopes_disabled

from tadamon.core.decorators import public
from tadamon.core.models import either
from tadamon.core.pagecache import cached_for_visitors
from tadamon.registry.models import Organization

from ..models import Application, Edition


class Exhibitor(NamedTuple):
    name: str
    url: str
    province: str


PUBLIC_STATUSES = [s for s in Edition.Status.values if s != Edition.Status.DRAFT]
EXHIBITOR_STATUSES = [Application.Status.SELECTED, Application.Status.CONFIRMED]

#: Sections other apps add to an edition's page (e.g. prizes and honours): functions
#: ``(request, edition) -> dict with a "template" key, or None``.
edition_sections = []


@public
@cached_for_visitors("core", "fairs", "prizes", "registry")
def edition_list(request):
    with scopes_disabled():
        editions = Edition.objects.filter(status__in=PUBLIC_STATUSES).select_related("region")
        if request.region is not None:
            editions = editions.filter(region=request.region)
        editions = list(editions.annotate(n_poles=Count("poles")))
    open_calls = [e for e in editions if e.call_is_open()]
    others = [e for e in editions if not e.call_is_open()]
    return render(request, "fairs/public/edition_list.html", {"open_calls": open_calls, "others": others})


@public
@cached_for_visitors("core", "fairs", "prizes", "registry")
def edition_detail(request, pk):
    with scopes_disabled():
        edition = get_object_or_404(Edition.objects.select_related("region").filter(status__in=PUBLIC_STATUSES),
                                    pk=pk)
        poles = list(edition.poles.all())
        partners = list(edition.partners.select_related("institution"))
        exhibitors = _exhibitors_by_pole(edition) if edition.selection_published_at else {}
        counts = Application.objects.filter(edition=edition).aggregate(
            exhibitors=Count("id", filter=Q(status__in=EXHIBITOR_STATUSES)))
    pole_rows = [(pole, exhibitors.get(pole.pk, [])) for pole in poles]
    return render(request, "fairs/public/edition_detail.html", {
        "edition": edition, "poles": pole_rows, "partners": partners, "call_open": edition.call_is_open(),
        "published": bool(edition.selection_published_at), "exhibitor_count": counts["exhibitors"],
        "sections": [s for s in (section(request, edition) for section in edition_sections) if s],
    })


def _exhibitors_by_pole(edition):
    """Pole id -> the selected exhibitors (name, link, province), by Arabic name: read as plain
    values and linked with one resolved URL, since a large fair lists hundreds of them."""
    url = Organization.absolute_urls()
    rows = (Application.objects.filter(edition=edition, status__in=EXHIBITOR_STATUSES)
            .order_by("organization__name_ar", "organization_id")
            .values_list("pole_id", "organization_id", "organization__name_ar", "organization__name_fr",
                         "organization__province__name_ar", "organization__province__name_fr"))
    exhibitors = {}
    for pole_id, pk, name_ar, name_fr, province_ar, province_fr in rows:
        exhibitors.setdefault(pole_id, []).append(
            Exhibitor(either(name_ar, name_fr), url(pk), either(province_ar, province_fr)))
    return exhibitors


urlpatterns = [
    path("fairs/", edition_list, name="editions"),
    path("fairs/<int:pk>/", edition_detail, name="edition"),
]
