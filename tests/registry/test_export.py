"""Exports of the registry: contract columns, formula neutralisation, regions, and a round trip."""

import csv
import io

import pytest
from django.urls import NoReverseMatch, reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from tadamon.core.models import ActivityLog
from tadamon.registry import exporter
from tadamon.registry.importer import COLUMNS, ImportParams, run_import


@pytest.fixture
def registry(make_org):
    return {
        "amal": make_org("تعاونية الأمل", "Coopérative Al Amal", registration_number="101", members_total=20,
                         members_women=12, women_led=True, phone="+212612345678", email="amal@example.ma",
                         sector="textile"),
        "evil": make_org("=HYPERLINK(\"http://evil.example\",\"clic\")", "@SUM(A1)", registration_number="102",
                         province="03.061", description_fr="-2+3", leader_name="\tTab"),
        "other": make_org("جمعية مراكش", "Association Marrakech", province="07.351", registration_number="201",
                          legal_form="association"),
    }


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def csv_rows(response):
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_xlsx_export_columns_and_formulas(client, fes_staff, registry):
    client.force_login(fes_staff)
    response = client.get(reverse("registry:export_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = xlsx_rows(response)
    assert rows[0][:len(COLUMNS)] == COLUMNS and rows[0][len(COLUMNS):] == exporter.EXTRA_COLUMNS
    by_number = {r[3]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(by_number) == {"101", "102"}  # Fès-Meknès only
    amal = by_number["101"]
    assert amal["name_ar"] == "تعاونية الأمل" and amal["legal_form"] == "cooperative"
    assert amal["province_code"] == "03.131" and amal["sector"] == "textile" and amal["women_led"] == 1
    assert amal["members_total"] == 20 and amal["phone"] == "'+212612345678" and amal["region_code"] == "03"
    try:
        page = reverse("registry:organization", args=[registry["amal"].pk])
    except NoReverseMatch:  # the public directory is not there: the column stays empty
        page = None
    assert amal["url"] == ("http://testserver" + page if page else None)
    evil = by_number["102"]
    assert evil["name_ar"] == "'=HYPERLINK(\"http://evil.example\",\"clic\")"
    assert evil["name_fr"] == "'@SUM(A1)" and evil["description_fr"] == "'-2+3" and evil["leader_name"] == "'\tTab"
    entry = ActivityLog.objects.with_scopes_disabled().get(action="registry.exported")
    assert entry.actor == fes_staff and entry.after["rows"] == 2


def test_csv_export_is_utf8_with_bom_and_neutralised(client, fes_staff, registry):
    client.force_login(fes_staff)
    response = client.get(reverse("registry:export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert rows[0][:len(COLUMNS)] == COLUMNS
    names = {r[0] for r in rows[1:]}
    assert names == {"تعاونية الأمل", "'=HYPERLINK(\"http://evil.example\",\"clic\")"}


def test_export_follows_the_directory_filters(client, national_admin, registry):
    client.force_login(national_admin)
    everything = csv_rows(client.get(reverse("registry:export_csv")))
    assert len(everything) == 4
    marrakech = csv_rows(client.get(reverse("registry:export_csv") + "?region=07"))
    assert [r[3] for r in marrakech[1:]] == ["201"]
    textile = csv_rows(client.get(reverse("registry:export_csv") + "?sector=textile&women_led=on"))
    assert [r[3] for r in textile[1:]] == ["101"]
    searched = csv_rows(client.get(reverse("registry:export_csv") + "?q=الامل"))
    assert [r[3] for r in searched[1:]] == ["101"]
    bad = client.get(reverse("registry:export_csv") + "?province=99.999")
    assert bad.status_code == 302 and bad["Location"].startswith(reverse("registry:export"))
    page = client.get(reverse("registry:export") + "?sector=textile")
    html = page.content.decode()
    assert reverse("registry:export_xlsx") + "?sector=textile" in html
    assert reverse("registry:export_csv") + "?sector=textile" in html


def test_export_regions_and_permissions(client, fes_partner, marrakech_staff, fes_juror, plain_user, registry):
    url = reverse("registry:export_csv")
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    for user in (fes_juror, plain_user):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.get(reverse("registry:export")).status_code == 403
    client.force_login(fes_partner)
    assert {r[3] for r in csv_rows(client.get(url))[1:]} == {"101", "102"}
    assert client.get(url + "?region=07").status_code == 404
    assert client.get(reverse("registry:export_xlsx") + "?region=07").status_code == 404
    assert [r[3] for r in csv_rows(client.get(url + "?province=07.351"))[1:]] == []
    client.force_login(marrakech_staff)
    assert [r[3] for r in csv_rows(client.get(url))[1:]] == ["201"]


def test_export_then_import_changes_nothing(client, fes_staff, registry, sectors):
    client.force_login(fes_staff)
    for name in ("export_csv", "export_xlsx"):
        content = client.get(reverse(f"registry:{name}")).content
        result = run_import(ImportParams(file=content, filename=f"export.{name[-4:].strip('_')}"))
        assert [r["status"] for r in result.report] == ["unchanged", "unchanged"], result.report
    with scopes_disabled():
        registry["amal"].refresh_from_db()
    assert registry["amal"].phone == "+212612345678"


def test_neutralize():
    assert exporter.neutralize("=1+1") == "'=1+1"
    assert exporter.neutralize("\rx") == "'\rx"
    assert exporter.neutralize("سلام") == "سلام"
    assert exporter.neutralize(None) == ""
