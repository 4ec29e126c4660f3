"""The edition report: one PDF (through the project's PDF path, ``core.pdf``) and one XLSX with the
edition's figures and charts, made in the background with its progress on the page."""

import io
import logging
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from tadamon.core import activity
from tadamon.core.pdf import render_pdf

from . import charts, geo
from .figures import edition_figures
from .models import ReportJob

logger = logging.getLogger(__name__)

activity.register_actions({"insights.report_started": gettext_lazy("started the edition report")})


def edition_charts(figures, fmt="svg"):
    """The report's charts, as inline SVG (pages) or PNG data URIs (PDF)."""
    rtl = get_language_bidi()
    out = {}
    specs = [
        ("by_province", _("Exhibitors by province"), [r[1] for r in figures["by_province"][:15]],
         [r[2] for r in figures["by_province"][:15]], "bars"),
        ("by_sector", _("Exhibitors by sector"), [r[1] for r in figures["by_sector"]],
         [r[2] for r in figures["by_sector"]], "bars"),
        ("sales_by_day", _("Sales per day (MAD)"), [d.strftime("%d/%m") for d, _v in figures["sales_by_day"]],
         [v for _d, v in figures["sales_by_day"]], "columns"),
        ("sales_by_sector", _("Sales per sector (MAD)"), [r[0] for r in figures["sales_by_sector"]],
         [r[1] for r in figures["sales_by_sector"]], "bars"),
        ("visitors_by_day", _("Visitors per day"), [d.strftime("%d/%m") for d, _v in figures["visitors_by_day"]],
         [v for _d, v in figures["visitors_by_day"]], "columns"),
    ]
    for key, title, labels, values, kind in specs:
        if not labels:
            continue
        figure = (charts.bars if kind == "bars" else charts.columns)(labels, values, title, rtl=rtl)
        out[key] = charts.svg(figure) if fmt == "svg" else charts.png_data_uri(figure)
    return out


def province_map(figures):
    values = {code: n for code, _name, n in figures["by_province"]}
    names = {code: name for code, name, _n in figures["by_province"]}
    return geo.choropleth(values, names, title=_("Exhibitors by province"), width=420)


def report_pdf(figures, progress=None):
    import base64

    pictures = edition_charts(figures, "png")
    if progress:
        progress()
    svg_map = province_map(figures)
    map_uri = "data:image/svg+xml;base64," + base64.b64encode(svg_map.encode()).decode() if svg_map else ""
    pdf = render_pdf("insights/pdf/report.html", {"f": figures, "charts": pictures, "map": map_uri,
                                                 "today": timezone.localdate()})
    if progress:
        progress()
    return pdf


def _safe(value):
    text = "" if value is None else value
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def report_xlsx(figures):
    """One sheet per table of the report, numbers as numbers."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)

    def sheet(name, header, rows):
        ws = workbook.create_sheet(name)
        ws.append(header)
        for row in rows:
            ws.append([_safe(v if not hasattr(v, "as_tuple") else float(v)) for v in row])

    f = figures
    sheet("summary", ["indicator", "value"], [
        ("edition", f["edition"]["title"]), ("region", f["edition"]["region"]),
        ("first_day", f["edition"]["starts_on"].isoformat()), ("last_day", f["edition"]["ends_on"].isoformat()),
        *[(k, f[k]) for k in ("exhibitors", "women_led", "women_led_share", "members", "women_members",
                              "youth_members", "outside_region", "provinces_represented", "stands_used",
                              "stands_total", "session_count", "session_registrations", "session_attendance",
                              "visitors_total", "sales_total", "sales_market", "exhibitors_declaring",
                              "sales_per_exhibitor", "incidents")],
        *[(str(label), value) for _key, label, value in f["extra"]],
    ])
    sheet("by_province", ["province_code", "province", "exhibitors"], f["by_province"])
    sheet("by_sector", ["sector_key", "sector", "exhibitors"], f["by_sector"])
    sheet("by_legal_form", ["legal_form", "label", "exhibitors"], f["by_legal_form"])
    sheet("sales_by_day", ["day", "amount_mad"], [(d.isoformat(), v) for d, v in f["sales_by_day"]])
    sheet("sales_by_sector", ["sector", "amount_mad"], f["sales_by_sector"])
    sheet("visitors_by_day", ["day", "visitors"], [(d.isoformat(), v) for d, v in f["visitors_by_day"]])
    sheet("visitors_by_gate", ["gate", "visitors"], f["visitors_by_gate"])
    sheet("exhibitors_present", ["day", "exhibitors_present"], [(d.isoformat(), v) for d, v in f["exhibitors_present"]])
    sheet("sessions", ["session", "registered", "attended"], f["sessions"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ---- the background job --------------------------------------------------------------------------

#: Steps of a report: figures, charts, PDF, XLSX.
STEPS = 4


def start_report(actor, edition, *, language="ar", request=None):
    """Queue the report of ``edition`` (a second click while one runs returns that one)."""
    from .tasks import build_report_job

    with scopes_disabled(), transaction.atomic():
        active = (ReportJob.objects.select_for_update()
                  .filter(edition=edition, status__in=[ReportJob.Status.PENDING, ReportJob.Status.RUNNING]).first())
        if active is not None:
            return active, False
        job = ReportJob.objects.create(edition=edition, created_by=actor, language=language, total=STEPS)
        activity.record(actor, "insights.report_started", edition, request=request)
    try:
        build_report_job.enqueue(job.pk)
    except Exception:
        logger.exception("could not enqueue report job %s", job.pk)
        with scopes_disabled(), translation.override(language):
            ReportJob.objects.filter(pk=job.pk).update(
                status=ReportJob.Status.FAILED, finished_at=timezone.now(),
                error=_("The report could not be started. Try again in a few minutes."))
    return job, True


def execute_report(job_id):
    with scopes_disabled():
        with transaction.atomic():
            job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
            if job is None or job.status != ReportJob.Status.PENDING:
                return None
            job.status = ReportJob.Status.RUNNING
            job.save(update_fields=["status"])
        state = {"done": 0}

        def progress():
            state["done"] += 1
            ReportJob.objects.filter(pk=job.pk).update(done=state["done"])

        try:
            with translation.override(job.language or "ar"):
                figures = edition_figures(job.edition)
                progress()
                pdf = report_pdf(figures, progress)
                xlsx = report_xlsx(figures)
                progress()
        except Exception:
            logger.exception("report job %s failed", job.pk)
            with translation.override(job.language or "ar"):
                ReportJob.objects.filter(pk=job.pk).update(
                    status=ReportJob.Status.FAILED, finished_at=timezone.now(),
                    error=_("The report could not be made because of an unexpected error. Try again later."))
            job.refresh_from_db()
            return job
        job.refresh_from_db()
        token = secrets.token_hex(12)  # a name nobody can guess; served only through the staff views
        job.pdf.save(f"report-{job.edition_id}-{token}.pdf", ContentFile(pdf), save=False)
        job.xlsx.save(f"report-{job.edition_id}-{token}.xlsx", ContentFile(xlsx), save=False)
        job.done, job.status, job.finished_at = STEPS, ReportJob.Status.DONE, timezone.now()
        job.save(update_fields=["pdf", "xlsx", "done", "status", "finished_at"])
    return job
