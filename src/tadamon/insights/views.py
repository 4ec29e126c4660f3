"""Screens of the indicators: the dashboards (national, regional), the edition report, the comparisons
(edition against edition, region against region) and the public open-data page.

National administrators see everything; regional staff and partner viewers their own region (another
region's dashboard is a 404); representatives see their sales in the fairs app; open data is public.
"""

from django.contrib import messages
from django.core.cache import cache
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh
from django_scopes import scopes_disabled

from tadamon.core import roles
from tadamon.core.decorators import permission_required, public
from tadamon.core.models import Region
from tadamon.fairs.models import Edition
from tadamon.fairs.views.manage import _edition

from . import charts, figures, geo, indicators, report
from .models import ReportJob

VIEW = "insights.view_region"


def _dashboard_body(region):
    """The dashboard's figures and pictures, rendered once and cached as HTML with the figures (per
    region and language): a cached request only reads one string."""
    key = f"insights:page:{region.code if region is not None else 'ma'}:{get_language()}"
    body = cache.get(key)
    if body is None:
        data = indicators.dashboard(region)
        rtl = get_language_bidi()
        trend = data["trends"]
        values = {p["code"]: p["organizations"] for p in data["provinces"]}
        names = {p["code"]: p["name"] for p in data["provinces"]}
        codes = [p["code"] for p in data["provinces"]]
        page = {
            **data,
            "map": geo.choropleth(values, names, codes=codes, title=_("Organizations by province")),
            "legend": geo.legend(list(values.values())),
            "chart_created": charts.svg(charts.columns(
                [str(t["year"]) for t in trend], [t["created"] for t in trend],
                _("Organizations created per year"), rtl=rtl)),
            "chart_sales": charts.svg(charts.columns(
                [str(t["year"]) for t in trend], [t["sales"] for t in trend], _("Sales at fairs per year (MAD)"),
                rtl=rtl, color=charts.GOLD)),
            "chart_sectors": charts.svg(charts.bars(
                [s for s, _n in data["sectors"][:12]], [n for _s, n in data["sectors"][:12]],
                _("Organizations by sector"), rtl=rtl)),
        }
        with scopes_disabled():
            editions = list(Edition.objects.exclude(status=Edition.Status.DRAFT).filter(
                **({"region": region} if region is not None else {})).select_related("region")[:20])
        body = render_to_string("insights/_dashboard_body.html", {"page": page, "editions": editions})
        cache.set(key, body, indicators.CACHE_SECONDS)
    return mark_safe(body)  # noqa: S308 (rendered by our own template, escaped there)


@permission_required(VIEW)
def home(request):
    if request.user.has_perm("insights.view_national"):
        return _render_dashboard(request, None)
    regions = roles.regions_for(request.user, ["regional_staff", "partner_viewer"])
    region = Region.objects.filter(pk__in=regions).first()
    if region is None:
        raise Http404
    return redirect("insights:region", code=region.code)


@permission_required(VIEW)
def region_dashboard(request, code):
    region = get_object_or_404(Region, code=code)
    if not request.user.has_perm("insights.view_region", region):
        raise Http404  # another region's dashboard is not there for this user
    return _render_dashboard(request, region)


def _render_dashboard(request, region):
    return render(request, "insights/dashboard.html", {
        "region": region, "body": _dashboard_body(region),
        "cache_minutes": indicators.CACHE_SECONDS // 60,
        "regions": Region.objects.all() if request.user.has_perm("insights.view_national") else [],
    })


@permission_required(VIEW)
def edition_report(request, pk):
    edition = _edition(request, pk)
    job = ReportJob.objects.filter(edition=edition).select_related("created_by").first()
    if request.htmx and request.method == "GET":
        if job is not None and job.is_active:
            return render(request, "insights/_report_progress.html", {"edition": edition, "job": job})
        return HttpResponseClientRefresh()
    key = f"insights:edition:{edition.pk}:{get_language()}"
    page = cache.get(key)
    if page is None:
        f = figures.edition_figures(edition)
        page = {"f": f, "charts": report.edition_charts(f), "map": report.province_map(f)}
        cache.set(key, page, indicators.CACHE_SECONDS)
    return render(request, "insights/edition_report.html", {
        **page, "edition": edition, "job": job,
        "can_make": request.user.has_perm("fairs.manage_edition", edition),
        "series": figures.editions_for_comparison(edition),
    })


@permission_required("insights.make_report")
@require_POST
def report_start(request, pk):
    edition = _edition(request, pk, manage=True)
    _job, created = report.start_report(request.user, edition, language=request.LANGUAGE_CODE, request=request)
    if created:
        messages.success(request, _("The report is being made. This page follows its progress."))
    else:
        messages.info(request, _("This report is already being made."))
    return redirect("insights:edition_report", pk=edition.pk)


@permission_required(VIEW)
def report_download(request, pk, kind):
    if kind not in ("pdf", "xlsx"):
        raise Http404
    job = get_object_or_404(ReportJob.objects.select_related("edition"), pk=pk)
    _edition(request, job.edition_id)
    document = job.pdf if kind == "pdf" else job.xlsx
    if job.status != ReportJob.Status.DONE or not document:
        raise Http404
    content_type = "application/pdf" if kind == "pdf" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return FileResponse(document.open("rb"), as_attachment=True, content_type=content_type,
                        filename=f"tadamon-report-{job.edition_id}.{kind}")


@permission_required(VIEW)
def compare_editions(request):
    """Editions side by side (those the user may see: another region's are simply absent)."""
    ids = [int(x) for x in request.GET.getlist("editions") if x.isdigit()][:4]
    available = list(Edition.objects.exclude(status=Edition.Status.DRAFT).select_related("region")
                     .order_by("region__code", "starts_on"))
    chosen = sorted([e for e in available if e.pk in ids], key=lambda e: e.starts_on)
    columns = [figures.edition_figures(e) for e in chosen]
    return render(request, "insights/compare.html", {
        "available": available, "chosen": chosen, "ids": ids, "rows": figures.compare(columns),
        "headers": [figures.comparison_title(e) for e in chosen],
    })


@permission_required(VIEW)
def compare_regions(request):
    """Regions side by side for one year, with each region's growth from the year before: aggregates
    of their fairs (counts, sums, shares), never a name."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year - 1)
    except ValueError:
        year = this_year - 1
    year = max(2000, min(this_year, year))
    codes = request.GET.getlist("regions")[:4]
    chosen = list(Region.objects.filter(code__in=codes))
    headers, columns = [], []
    for region in chosen:
        for y in (year - 1, year):
            headers.append(f"{region.name} {y}")
            columns.append(figures.region_year(region, y))
    rows = figures.compare(columns)
    # Growth only from a region's previous year, never across regions.
    rows = [(label, kind, [(v, g if i % 2 else None) for i, (v, g) in enumerate(cells)]) for label, kind, cells in rows]
    return render(request, "insights/compare_regions.html", {
        "regions": Region.objects.all(), "chosen": chosen, "codes": codes, "year": year, "headers": headers,
        "rows": rows, "years": list(range(this_year, this_year - 6, -1)),
    })


@public
def open_data(request):
    totals = indicators.dashboard(None)
    return render(request, "insights/open_data.html", {
        "dictionary": [(k, unit, meaning) for k, (unit, meaning) in indicators.DICTIONARY.items()],
        "regions": totals["regions"], "totals": totals["totals"],
    })


urlpatterns = [
    path("manage/insights/", home, name="home"),
    path("manage/insights/region/<str:code>/", region_dashboard, name="region"),
    path("manage/insights/compare/", compare_editions, name="compare"),
    path("manage/insights/compare/regions/", compare_regions, name="compare_regions"),
    path("manage/fairs/<int:pk>/report/", edition_report, name="edition_report"),
    path("manage/fairs/<int:pk>/report/start/", report_start, name="report_start"),
    path("manage/insights/reports/<int:pk>/<str:kind>/", report_download, name="report_download"),
    path("open-data/", open_data, name="open_data"),
]
