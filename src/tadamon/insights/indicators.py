"""Indicators of the registry and of the fairs, for one region or for all of Morocco: organizations,
members, share of women, women-led organizations, by province (for the map), trends by year, and the
figures other apps provide (``tadamon.core.signals.indicator_providers``).

Computed with a handful of aggregate queries and kept in Django's cache (Redis in production) for
:data:`CACHE_SECONDS`: a dashboard shows figures at most that old.
"""

from datetime import date

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from tadamon.core.models import Province, Region
from tadamon.core.signals import indicator_providers
from tadamon.fairs.models import Application, Edition, Sale, VisitorCount
from tadamon.fairs.placement import PLACED_STATUSES
from tadamon.registry.models import LegalForm, Organization, Sector

from .figures import edition_figures

CACHE_SECONDS = 300
#: Years shown in the trends.
TREND_YEARS = 10

#: The open data's dictionary: indicator key → (unit, meaning).
DICTIONARY = {
    "organizations": (_("count"), _("Active organizations in the registry (cooperatives, associations, mutuals, "
                                    "social enterprises), merged duplicates excluded.")),
    "members": (_("people"), _("Members declared by these organizations.")),
    "women_members": (_("people"), _("Women among the members declared.")),
    "women_members_share": (_("percent"), _("Women members out of the members declared, in percent.")),
    "youth_members": (_("people"), _("Members under 35 declared.")),
    "women_led": (_("count"), _("Organizations led by women (for an edition: its exhibitors led by women).")),
    "women_led_share": (_("percent"), _("Organizations led by women out of all organizations, in percent.")),
    "created": (_("count"), _("Organizations created that year (date of creation in the registry).")),
    "editions": (_("count"), _("Fairs and events held that year (drafts excluded).")),
    "exhibitors": (_("count"), _("Exhibitors selected or confirmed at these fairs.")),
    "visitors": (_("people"), _("Visitors counted at the gates of these fairs.")),
    "sales": (_("MAD"), _("Sales declared by the exhibitors and made through the solidarity market, in dirhams.")),
    "provinces_represented": (_("count"), _("Provinces of the exhibitors of an edition.")),
}


def _organizations(region=None):
    qs = Organization.objects.filter(is_active=True, merged_into__isnull=True)
    return qs.filter(region=region) if region is not None else qs


def _pct(part, whole):
    return round(100 * part / whole, 1) if whole else 0


def registry_figures(region=None):
    """Totals of the registry (``region`` or all of Morocco)."""
    with scopes_disabled():
        totals = _organizations(region).aggregate(
            organizations=Count("id"), members=Sum("members_total"), women_members=Sum("members_women"),
            youth_members=Sum("members_youth"), women_led=Count("id", filter=Q(women_led=True)))
    totals = {k: v or 0 for k, v in totals.items()}
    totals["women_members_share"] = _pct(totals["women_members"], totals["members"])
    totals["women_led_share"] = _pct(totals["women_led"], totals["organizations"])
    return totals


def by_province(region=None):
    """Per province of ``region`` (or all): organizations, women-led, members."""
    with scopes_disabled():
        rows = (_organizations(region).values("province_id")
                .annotate(n=Count("id"), women_led=Count("id", filter=Q(women_led=True)), members=Sum("members_total")))
        counts = {r["province_id"]: r for r in rows}
        provinces = Province.objects.filter(region=region) if region is not None else Province.objects.all()
        out = []
        for p in provinces.select_related("region"):
            r = counts.get(p.pk, {})
            out.append({"code": p.code, "name": p.name, "name_ar": p.name_ar, "name_fr": p.name_fr,
                        "region": p.region.code, "organizations": r.get("n", 0), "women_led": r.get("women_led", 0),
                        "members": r.get("members") or 0})
    return out


def by_region():
    with scopes_disabled():
        rows = {r["region_id"]: r for r in _organizations().values("region_id").annotate(
            n=Count("id"), women_led=Count("id", filter=Q(women_led=True)), members=Sum("members_total"),
            women=Sum("members_women"))}
        out = []
        for region in Region.objects.all():
            r = rows.get(region.pk, {})
            out.append({"code": region.code, "name": region.name, "name_ar": region.name_ar,
                        "name_fr": region.name_fr, "organizations": r.get("n", 0), "women_led": r.get("women_led", 0),
                        "members": r.get("members") or 0, "women_members": r.get("women") or 0,
                        "women_members_share": _pct(r.get("women") or 0, r.get("members") or 0)})
    return out


def by_label(region=None, field="sector"):
    with scopes_disabled():
        rows = list(_organizations(region).values(field).annotate(n=Count("id")).order_by("-n"))
    if field == "sector":
        names = {s.pk: s.name for s in Sector.objects.all()}
        return [(names.get(r["sector"], "?"), r["n"]) for r in rows]
    labels = dict(LegalForm.choices)
    return [(str(labels.get(r[field], r[field])), r["n"]) for r in rows]


def trends(region=None, today=None):
    """Per year of the last :data:`TREND_YEARS`: organizations created, fairs, exhibitors, visitors, sales."""
    today = today or timezone.localdate()
    first = today.year - TREND_YEARS + 1
    years = {y: {"year": y, "created": 0, "editions": 0, "exhibitors": 0, "visitors": 0, "sales": 0}
             for y in range(first, today.year + 1)}

    def add(rows, key):
        for r in rows:
            if r["y"] in years:
                years[r["y"]][key] = r["v"] or 0

    with scopes_disabled():
        scope = {"region": region} if region is not None else {}
        add(_organizations(region).filter(created_on__gte=date(first, 1, 1)).annotate(y=ExtractYear("created_on"))
            .values("y").annotate(v=Count("id")), "created")
        editions = Edition.objects.filter(starts_on__gte=date(first, 1, 1), **scope).exclude(status="draft")
        add(editions.annotate(y=ExtractYear("starts_on")).values("y").annotate(v=Count("id")), "editions")
        add(Application.objects.filter(edition__in=editions, status__in=PLACED_STATUSES)
            .annotate(y=ExtractYear("edition__starts_on")).values("y").annotate(v=Count("id")), "exhibitors")
        add(VisitorCount.objects.filter(edition__in=editions).annotate(y=ExtractYear("day"))
            .values("y").annotate(v=Sum("count")), "visitors")
        sales = Sale.objects.filter(day__gte=date(first, 1, 1), **scope)
        add(sales.annotate(y=ExtractYear("day")).values("y").annotate(v=Sum("amount")), "sales")
    return list(years.values())


def provided(region=None):
    """``(key, label, value)`` from every app that provides indicators."""
    rows = []
    for provider in indicator_providers:
        rows.extend(provider(region))
    return rows


def dashboard(region=None):
    """Everything a dashboard shows, cached per region and language."""
    key = f"insights:dashboard:{region.code if region is not None else 'ma'}:{get_language()}"
    data = cache.get(key)
    if data is None:
        data = {
            "totals": registry_figures(region),
            "provinces": by_province(region),
            "regions": by_region() if region is None else [],
            "sectors": by_label(region, "sector"),
            "legal_forms": by_label(region, "legal_form"),
            "trends": trends(region),
            "provided": [(k, str(label), value) for k, label, value in provided(region)],
        }
        cache.set(key, data, CACHE_SECONDS)
    return data


def open_data_rows(region=None):
    """The open data as long rows: level, code, names, year, indicator, value. Aggregates only: the
    country, the regions, the provinces, and each edition held (its id as code)."""
    rows = []
    regions = [region] if region is not None else [None, *Region.objects.all()]
    for r in regions:
        level, code = ("region", r.code) if r is not None else ("country", "MA")
        name_ar, name_fr = (r.name_ar, r.name_fr) if r is not None else ("المغرب", "Maroc")
        for indicator, value in registry_figures(r).items():
            rows.append({"level": level, "code": code, "name_ar": name_ar, "name_fr": name_fr, "year": "",
                         "indicator": indicator, "value": value})
        for year in trends(r):
            for indicator in ("created", "editions", "exhibitors", "visitors", "sales"):
                rows.append({"level": level, "code": code, "name_ar": name_ar, "name_fr": name_fr,
                             "year": year["year"], "indicator": indicator, "value": year[indicator]})
    with scopes_disabled():
        editions = Edition.objects.exclude(status=Edition.Status.DRAFT).filter(
            starts_on__lte=timezone.localdate(), **({"region": region} if region is not None else {}))
        editions = list(editions.select_related("region").order_by("starts_on", "pk"))
    for edition in editions:
        f = edition_figures(edition)
        for indicator, value in (("exhibitors", f["exhibitors"]), ("women_led", f["women_led"]),
                                 ("provinces_represented", f["provinces_represented"]),
                                 ("visitors", f["visitors_total"]), ("sales", f["sales_total"])):
            rows.append({"level": "edition", "code": str(edition.pk), "name_ar": edition.title_ar,
                         "name_fr": edition.title_fr, "year": edition.starts_on.year, "indicator": indicator,
                         "value": value})
    for p in by_province(region):
        for indicator in ("organizations", "women_led", "members"):
            rows.append({"level": "province", "code": p["code"], "name_ar": p["name_ar"], "name_fr": p["name_fr"],
                         "year": "", "indicator": indicator, "value": p[indicator]})
    for row in rows:
        if not isinstance(row["value"], int | float):
            row["value"] = float(row["value"])
    return rows
