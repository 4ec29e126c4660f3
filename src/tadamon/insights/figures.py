"""The figures of one edition (exhibitors, stands, sessions, visitors, sales) and their comparisons.

Every figure is an aggregate computed by the database; names are given in the active language.
Other apps add figures to the report by appending ``(edition) -> list of (key, label, value)`` to
:data:`tadamon.core.signals.edition_providers` (e.g. the prizes and their winners).
"""

from collections import Counter
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from tadamon.core.models import Province, localized
from tadamon.core.signals import edition_providers
from tadamon.fairs.models import Application, Attendance, Edition, Incident, Sale, StandAssignment, VisitorCount
from tadamon.fairs.placement import PLACED_STATUSES
from tadamon.registry.models import LegalForm, Sector

#: The figures compared between editions and between regions: (key, label, kind).
COMPARED = [
    ("exhibitors", gettext_lazy("Exhibitors"), "int"),
    ("women_led", gettext_lazy("Women-led exhibitors"), "int"),
    ("women_led_share", gettext_lazy("Share of women-led exhibitors (%)"), "pct"),
    ("youth_members", gettext_lazy("Members under 35 of the exhibitors"), "int"),
    ("provinces_represented", gettext_lazy("Provinces represented"), "int"),
    ("outside_region", gettext_lazy("Exhibitors from other regions"), "int"),
    ("stands_used", gettext_lazy("Stands used"), "int"),
    ("session_attendance", gettext_lazy("Attendance of sessions"), "int"),
    ("visitors_total", gettext_lazy("Visitors"), "int"),
    ("sales_total", gettext_lazy("Sales (MAD)"), "money"),
    ("sales_per_exhibitor", gettext_lazy("Sales per declaring exhibitor (MAD)"), "money"),
    ("incidents", gettext_lazy("Incidents"), "int"),
]


def _share(part, whole):
    return round(100 * part / whole, 1) if whole else 0


def edition_figures(edition):
    """Everything the report, the comparison and the open data say about ``edition``."""
    with scopes_disabled():
        exhibitors = Application.objects.filter(edition=edition, status__in=PLACED_STATUSES)
        org = exhibitors.values("organization__province_id", "organization__sector_id", "organization__legal_form",
                                "organization__women_led", "organization__region_id", "organization__members_total",
                                "organization__members_women", "organization__members_youth")
        rows = list(org)
        provinces = {p.pk: p for p in Province.objects.filter(pk__in={r["organization__province_id"] for r in rows})}
        sectors = {s.pk: s for s in Sector.objects.all()}
        by_province = Counter(r["organization__province_id"] for r in rows)
        by_sector = Counter(r["organization__sector_id"] for r in rows)
        by_form = Counter(r["organization__legal_form"] for r in rows)
        women_led = sum(1 for r in rows if r["organization__women_led"])
        outside = sum(1 for r in rows if r["organization__region_id"] != edition.region_id)
        stands_used = StandAssignment.objects.filter(edition=edition).values("stand").distinct().count()
        stands_total = sum(p.stands for p in edition.poles.all())
        presence = list(Attendance.objects.filter(edition=edition).values("day")
                        .annotate(n=Count("application", distinct=True)).order_by("day"))
        visitors_day = list(VisitorCount.objects.filter(edition=edition).values("day")
                            .annotate(n=Sum("count")).order_by("day"))
        visitors_gate = list(VisitorCount.objects.filter(edition=edition).values("gate")
                             .annotate(n=Sum("count")).order_by("-n"))
        sales = Sale.objects.filter(edition=edition)
        sales_day = list(sales.values("day").annotate(total=Sum("amount")).order_by("day"))
        sales_sector = list(sales.values("organization__sector_id").annotate(total=Sum("amount")).order_by("-total"))
        sales_total = sales.aggregate(t=Sum("amount"))["t"] or Decimal(0)
        market_total = sales.filter(source=Sale.Source.MARKET).aggregate(t=Sum("amount"))["t"] or Decimal(0)
        declaring = sales.values("organization").distinct().count()
        sessions = _sessions(edition)
        incidents = Incident.objects.filter(edition=edition).count()
    n = len(rows)
    figures = {
        "edition": {"id": edition.pk, "title": edition.title, "title_ar": edition.title_ar,
                    "title_fr": edition.title_fr, "region": edition.region.name, "region_code": edition.region.code,
                    "number": edition.number, "starts_on": edition.starts_on, "ends_on": edition.ends_on,
                    "year": edition.starts_on.year, "days": (edition.ends_on - edition.starts_on).days + 1},
        "exhibitors": n,
        "women_led": women_led,
        "women_led_share": _share(women_led, n),
        "members": sum(r["organization__members_total"] or 0 for r in rows),
        "women_members": sum(r["organization__members_women"] or 0 for r in rows),
        "youth_members": sum(r["organization__members_youth"] or 0 for r in rows),
        "outside_region": outside,
        "provinces_represented": len(by_province),
        "by_province": sorted(((provinces[k].code, provinces[k].name, v) for k, v in by_province.items()),
                              key=lambda r: -r[2]),
        "by_sector": sorted(((sectors[k].key, sectors[k].name, v) for k, v in by_sector.items()), key=lambda r: -r[2]),
        "by_legal_form": sorted(((k, str(dict(LegalForm.choices).get(k, k)), v) for k, v in by_form.items()),
                                key=lambda r: -r[2]),
        "stands_used": stands_used,
        "stands_total": stands_total,
        "exhibitors_present": [(r["day"], r["n"]) for r in presence],
        "sessions": sessions["rows"],
        "session_count": len(sessions["rows"]),
        "session_registrations": sessions["registered"],
        "session_attendance": sessions["attended"],
        "visitors_total": sum(r["n"] for r in visitors_day),
        "visitors_by_day": [(r["day"], r["n"]) for r in visitors_day],
        "visitors_by_gate": [(r["gate"], r["n"]) for r in visitors_gate],
        "sales_total": sales_total,
        "sales_market": market_total,
        "sales_by_day": [(r["day"], r["total"]) for r in sales_day],
        "sales_by_sector": [(sectors[r["organization__sector_id"]].name, r["total"]) for r in sales_sector],
        "exhibitors_declaring": declaring,
        "sales_per_exhibitor": (sales_total / declaring).quantize(Decimal("1")) if declaring else Decimal(0),
        "incidents": incidents,
        "extra": [row for provider in edition_providers for row in provider(edition)],
    }
    return figures


def _sessions(edition):
    """Sessions of the programme with their registrations and attendance (when the programme app is
    installed)."""
    try:
        from tadamon.programme.models import Registration, Session
    except ImportError:  # pragma: no cover (the programme app is part of the project)
        return {"rows": [], "registered": 0, "attended": 0}
    active = ~Q(registrations__status=Registration.Status.CANCELLED)
    sessions = (Session.objects.filter(edition=edition)
                .annotate(registered=Count("registrations", filter=active),
                          attended=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)))
                .order_by("starts_at", "pk"))
    rows = [(localized(s, "title"), s.registered, s.attended) for s in sessions]
    return {"rows": rows, "registered": sum(r[1] for r in rows), "attended": sum(r[2] for r in rows)}


def growth(value, base):
    """Percentage change from ``base`` to ``value`` (None when there is no base)."""
    if not base:
        return None
    return round(100 * (float(value) - float(base)) / float(base), 1)


def compare(columns):
    """Rows ``(label, kind, [(value, growth from the previous column), ...])`` for figures side by side.
    ``columns`` are dicts with the keys of :data:`COMPARED`."""
    rows = []
    for key, label, kind in COMPARED:
        cells, previous = [], None
        for column in columns:
            value = column.get(key, 0) or 0
            cells.append((value, growth(value, previous) if previous is not None else None))
            previous = value
        rows.append((str(label), kind, cells))
    return rows


def editions_for_comparison(edition):
    """The other editions of the same series (same region and kind), oldest first."""
    with scopes_disabled():
        return list(Edition.objects.filter(region=edition.region_id, kind=edition.kind)
                    .exclude(status=Edition.Status.DRAFT).order_by("starts_on"))


def region_year(region, year):
    """The figures of ``region``'s fairs held in ``year``, added up (for the region comparison)."""
    with scopes_disabled():
        editions = list(Edition.objects.filter(region=region, starts_on__year=year)
                        .exclude(status=Edition.Status.DRAFT).select_related("region"))
    out = {key: 0 for key, _label, _kind in COMPARED}
    out["editions"] = len(editions)
    shares, declaring = [], 0
    for edition in editions:
        f = edition_figures(edition)
        for key, _label, kind in COMPARED:
            if kind != "pct" and key != "sales_per_exhibitor":
                out[key] += f[key]
        shares.append((f["women_led"], f["exhibitors"]))
        declaring += f["exhibitors_declaring"]
    out["women_led_share"] = _share(sum(a for a, _b in shares), sum(b for _a, b in shares))
    out["sales_per_exhibitor"] = (Decimal(out["sales_total"]) / declaring).quantize(Decimal("1")) \
        if declaring else Decimal(0)
    return out


def comparison_title(edition):
    return _("%(title)s (%(year)s)") % {"title": edition.title, "year": edition.starts_on.year}
