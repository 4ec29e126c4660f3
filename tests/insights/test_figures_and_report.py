"""The edition's figures, the comparisons, the charts (Arabic shaped), the province map and the report
job (a real PDF read back with pdftotext, a real XLSX read back with openpyxl)."""

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from tadamon.core.models import Province
from tadamon.fairs import sales
from tadamon.insights import charts, figures, geo, report
from tadamon.insights.models import ReportJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair_with_figures(running_fair, fes_staff):
    edition, today = running_fair["edition"], running_fair["today"]
    (u1, _o1, a1), (u2, _o2, a2) = running_fair["exhibitors"]
    sales.declare_sales(u1, a1, today, "1200", [{"name": "زربية", "quantity": 1}])
    sales.declare_sales(u2, a2, today, "300")
    sales.declare_sales(u2, a2, edition.starts_on, "500")
    sales.record_visitors(fes_staff, edition, today, "البوابة الرئيسية", 11, 240)
    sales.record_visitors(fes_staff, edition, today, "البوابة الرئيسية", 12, 160)
    sales.record_visitors(fes_staff, edition, edition.starts_on, "Parking", 18, 100)
    return running_fair


def test_edition_figures(fair_with_figures):
    f = figures.edition_figures(fair_with_figures["edition"])
    assert f["exhibitors"] == 2 and f["women_led"] == 1 and f["women_led_share"] == 50.0
    assert f["provinces_represented"] == 2 and f["youth_members"] == 12 and f["outside_region"] == 0
    assert f["sales_total"] == Decimal("2000") and f["exhibitors_declaring"] == 2
    assert f["sales_per_exhibitor"] == Decimal("1000")
    assert [v for _d, v in f["sales_by_day"]] == [Decimal("500"), Decimal("1500")]
    assert f["visitors_total"] == 500 and dict(f["visitors_by_gate"]) == {"البوابة الرئيسية": 400, "Parking": 100}
    assert {row[0] for row in f["by_sector"]} == {"handicrafts", "terroir"}


def test_comparison_growth(english):
    rows = figures.compare([{"exhibitors": 80, "sales_total": 1000}, {"exhibitors": 260, "sales_total": 500}])
    by_label = {label: cells for label, _kind, cells in rows}
    assert by_label["Exhibitors"] == [(80, None), (260, 225.0)]
    assert by_label["Sales (MAD)"][1] == (500, -50.0)
    assert figures.growth(5, 0) is None


def test_arabic_is_shaped_in_the_charts():
    """Matplotlib joins Arabic letters: three joined beh are much narrower than three isolated ones."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(dpi=100)
    renderer = FigureCanvasAgg(figure).get_renderer()

    def width(text):
        return figure.text(0, 0, text, fontsize=20, fontfamily="DejaVu Sans").get_window_extent(renderer).width

    assert width("ببب") < 0.7 * 3 * width("ب")
    chart = charts.bars(["فاس", "مكناس", "Sefrou"], [3, 1, 2], "العارضون حسب الإقليم", rtl=True)
    assert charts.png(chart)[:8] == b"\x89PNG\r\n\x1a\n"
    assert charts.svg(chart).startswith("<svg")


def test_the_map_has_every_province_of_the_reference():
    shapes = geo.provinces()
    assert set(shapes) == set(Province.objects.values_list("code", flat=True))
    svg = geo.choropleth({"03.231": 5}, {"03.231": "فاس"}, codes=["03.231", "03.451"], title="t")
    assert svg.count("<polygon") == 2 and 'data-code="03.231"' in svg and "فاس: 5" in svg
    assert geo.colour(0, [1, 2]) == geo.EMPTY


def test_report_job_makes_a_pdf_and_a_spreadsheet(fair_with_figures, fes_staff, client_for):
    from openpyxl import load_workbook

    edition = fair_with_figures["edition"]
    client = client_for(fes_staff)
    response = client.post(reverse("insights:report_start", args=[edition.pk]))
    assert response.status_code == 302
    with scopes_disabled():
        job = ReportJob.objects.get(edition=edition)
    assert job.status == ReportJob.Status.DONE and job.done == job.total == report.STEPS
    pdf = client.get(reverse("insights:report_download", args=[job.pk, "pdf"]))
    body = b"".join(pdf.streaming_content)
    assert body[:5] == b"%PDF-"
    xlsx = client.get(reverse("insights:report_download", args=[job.pk, "xlsx"]))
    workbook = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    summary = {row[0]: row[1] for row in workbook["summary"].iter_rows(values_only=True)}
    assert summary["exhibitors"] == 2 and summary["sales_total"] == 2000 and summary["visitors_total"] == 500
    assert list(workbook["sales_by_day"].iter_rows(values_only=True))[1:] == [
        (edition.starts_on.isoformat(), 500), (fair_with_figures["today"].isoformat(), 1500)]
    if shutil.which("pdftotext"):
        path = job.pdf.path
        text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
        assert "تقرير الدورة" in text or "Edition report" in text
        assert "المعرض الجهوي الخامس" in text  # Arabic shaped and extractable (lam-alef ligatures aside)


def test_report_in_french(fair_with_figures):
    with translation.override("fr"):
        pdf = report.report_pdf(figures.edition_figures(fair_with_figures["edition"]))
    assert pdf[:5] == b"%PDF-"


def test_report_screens_permissions(fair_with_figures, client, client_for, fes_partner, marrakech_staff, fes_staff):
    edition = fair_with_figures["edition"]
    url = reverse("insights:edition_report", args=[edition.pk])
    start = reverse("insights:report_start", args=[edition.pk])
    assert client.get(url).status_code == 302
    assert client_for(fes_partner).get(url).status_code == 200
    assert client_for(fes_partner).post(start).status_code == 403
    assert client_for(marrakech_staff).get(url).status_code == 404
    assert client_for(marrakech_staff).post(start).status_code == 404
    with scopes_disabled():
        assert not ReportJob.objects.exists()
    client_for(fes_staff).post(start)
    with scopes_disabled():
        job = ReportJob.objects.get()
    assert client_for(marrakech_staff).get(reverse("insights:report_download", args=[job.pk, "pdf"])).status_code \
        == 404
    page = client_for(fes_staff).get(url)
    assert page.status_code == 200 and "<svg" in page.content.decode()
