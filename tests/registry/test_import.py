"""Import of organizations: file formats, validation messages, modes, the task, the command and the screens."""

import csv
import io
import re
import time
import zipfile
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.core.validators import EmailValidator
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from openpyxl import Workbook

from tadamon.core.models import ActivityLog
from tadamon.registry import importer
from tadamon.registry.importer import COLUMNS, ImportFileError, ImportParams, read_rows, run_import
from tadamon.registry.models import ImportJob, Organization, SearchTerm
from tadamon.registry.search import search_ids
from tadamon.registry.tasks import run_import_job


@pytest.fixture(autouse=True)
def in_english():
    """These tests read messages in English: run them with English active (URLs under /en/)."""
    with translation.override("en"):
        yield


GOOD = [
    ["تعاونية الأمل للنسيج", "Coopérative Al Amal de tissage", "تعاونية", "1001", "03.131", "textile", "2015-03-01",
     "25", "20", "10", "نعم", "فاطمة", "0612345678", "amal@example.ma", "نسيج تقليدي", "Tissage traditionnel"],
    ["جمعية النور للعسل", "Association Nour du miel", "association", "A-77", "03.061", "Terroir and agri-food products",
     "01/02/2010", "40", "5", "", "non", "", "", "", "", ""],
    ["تعاضدية الخير", "Mutuelle Al Khair", "Mutuelle", "M-5", "03.231", "الخدمات", "", "", "", "", "", "", "", "",
     "", ""],
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def xlsx(rows, header=COLUMNS):
    workbook = Workbook()
    sheet = workbook.active
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, header=COLUMNS, encoding="utf-8", delimiter=","):
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def run(content, filename="orgs.xlsx", **params):
    return run_import(ImportParams(file=content, filename=filename, **params))


def orgs():
    with scopes_disabled():
        return {o.registration_number: o for o in Organization.objects.select_related("province", "sector")}


def test_good_xlsx_creates_organizations_searchable(sectors):
    rows = [list(r) for r in GOOD]
    rows[0][6] = datetime(2015, 3, 1)  # a real Excel date cell
    rows[0][4] = 3.131  # a province code that Excel turned into a number
    rows[0][12] = 612345678  # a phone number that lost its leading zero
    result = run(xlsx(rows))
    assert (result.created, result.updated, result.rejected) == (3, 0, 0)
    assert [r["status"] for r in result.report] == ["created"] * 3
    assert [r["row"] for r in result.report] == [2, 3, 4]
    found = orgs()
    amal = found["1001"]
    assert amal.name_ar == "تعاونية الأمل للنسيج" and amal.legal_form == "cooperative"
    assert amal.province.code == "03.131" and amal.region.code == "03" and amal.sector.key == "textile"
    assert amal.created_on == date(2015, 3, 1) and amal.women_led is True and amal.phone == "0612345678"
    assert (amal.members_total, amal.members_women, amal.members_youth) == (25, 20, 10)
    assert found["A-77"].sector.key == "terroir" and found["A-77"].created_on == date(2010, 2, 1)
    assert found["A-77"].women_led is False and found["A-77"].members_youth is None
    assert found["M-5"].legal_form == "mutual" and found["M-5"].sector.key == "services"
    # Bulk writes skip save(): the importer fills the search columns and the typo index itself.
    ids, total = search_ids("organization", "الامل نسيج")
    assert ids == [amal.pk]
    assert SearchTerm.objects.filter(term="traditionnel").exists()
    assert ids == search_ids("organization", "tisage")[0]  # one typo away


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1256"])
def test_csv_encodings_keep_arabic(sectors, encoding):
    result = run(csv_bytes(GOOD, encoding=encoding), "orgs.csv")
    assert (result.created, result.rejected) == (3, 0), result.report
    found = orgs()
    assert found["1001"].name_ar == "تعاونية الأمل للنسيج"
    assert found["1001"].name_fr == "Coopérative Al Amal de tissage"
    assert found["M-5"].name_ar == "تعاضدية الخير"


def test_semicolon_csv_and_header_in_another_order(sectors):
    order = list(reversed(COLUMNS))
    header = [f" {c.upper().replace('_', ' ')} " for c in order]  # case and spaces do not matter
    rows = [[row[COLUMNS.index(c)] for c in order] for row in GOOD]
    result = run(csv_bytes(rows, header=header, delimiter=";"), "orgs.csv")
    assert (result.created, result.rejected) == (3, 0), result.report
    assert orgs()["1001"].email == "amal@example.ma"


def test_extra_columns_are_ignored_and_no_header_means_contract_order(sectors):
    result = run(csv_bytes(GOOD, header=None), "orgs.csv")
    assert result.created == 3
    rows = read_rows(csv_bytes([[*GOOD[0], "x"]], header=[*COLUMNS, "notes"]), "a.csv")
    assert rows.has_header and [data for _n, data in rows][0]["name_ar"] == GOOD[0][0]


BAD = {
    "province": (4, "99.999", "province_code"),
    "legal_form": (2, "club", "legal_form"),
    "women": (8, "30", "members_women"),
    "date": (6, "31/02/2015", "created_on"),
    "email": (13, "not-an-email", "email"),
}


def _bad_rows():
    rows = []
    for number, (index, value, _column) in enumerate(BAD.values()):
        row = list(GOOD[0])
        row[3] = f"B{number}"
        row[index] = value
        rows.append(row)
    return rows


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_malformed_rows_are_reported_in_the_users_language(sectors, language):
    result = run(xlsx([*_bad_rows(), GOOD[1]]), language=language)
    assert (result.created, result.rejected) == (1, 5)
    by_row = {r["row"]: r for r in result.report}
    for offset, (_index, _value, column) in enumerate(BAD.values()):
        entry = by_row[2 + offset]
        assert entry["status"] == "rejected"
        assert len(entry["errors"]) == 1 and re.match(rf"{column}\s?: ", entry["errors"][0]), entry
    assert "99.999" in by_row[2]["errors"][0] and "club" in by_row[3]["errors"][0]
    with translation.override(language):
        expected = str(EmailValidator.message)
    assert expected != "Enter a valid email address."  # Django's own catalogue translates it
    assert by_row[6]["errors"] == [f"email{' ' if language == 'fr' else ''}: {expected}"]
    assert set(orgs()) == {"A-77"}


def test_more_errors_on_one_row_and_numbers(sectors):
    row = ["", "", "", "", "", "", "2999-01-01", "-3", "abc", "", "maybe", "", "12", "", "", ""]
    result = run(csv_bytes([row]), "x.csv")
    errors = " | ".join(result.report[0]["errors"])
    for column in ("name_ar", "legal_form", "province_code", "sector", "created_on", "members_total",
                   "members_women", "women_led", "phone"):
        assert f"{column}: " in errors, column


def test_region_restriction(sectors, fes, marrakech, make_org):
    make_org("تعاونية مراكش", province="07.351", registration_number="900")
    rows = [list(GOOD[0]), list(GOOD[0]), list(GOOD[0])]
    rows[1][3], rows[1][4] = "1002", "07.351"  # a Marrakech province
    rows[2][3] = "900"  # the number of a Marrakech cooperative
    result = run(xlsx(rows), region=fes)
    statuses = [r["status"] for r in result.report]
    assert statuses == ["created", "rejected", "rejected"]
    assert "another region" in result.report[1]["errors"][0]
    assert "another region" in result.report[2]["errors"][0]
    assert orgs()["900"].province.code == "07.351"


def test_dry_run_writes_nothing(sectors):
    result = run(xlsx(GOOD), dry_run=True)
    assert (result.created, result.rejected) == (3, 0)
    assert not orgs()
    assert not ActivityLog.objects.with_scopes_disabled().filter(action="import.finished").exists()


def test_all_or_nothing(sectors):
    bad = list(GOOD[1])
    bad[4] = "00.000"
    result = run(xlsx([GOOD[0], bad, GOOD[2]]), mode=importer.ALL_OR_NOTHING)
    assert (result.created, result.updated, result.rejected) == (0, 0, 1)
    assert result.rolled_back and result.imported_nothing
    assert not orgs()
    entry = ActivityLog.objects.with_scopes_disabled().get(action="import.finished")
    assert entry.after["written"] is False and entry.after["rejected"] == 1
    result = run(xlsx(GOOD), mode=importer.ALL_OR_NOTHING)
    assert (result.created, result.rejected) == (3, 0) and not result.rolled_back
    assert len(orgs()) == 3


def test_reimport_updates_and_keeps_filled_fields(sectors):
    run(xlsx(GOOD))
    changed = [list(r) for r in GOOD]
    changed[0][7] = "30"  # more members
    changed[0][12] = ""  # an empty phone cell does not erase the phone
    result = run(xlsx(changed))
    assert [r["status"] for r in result.report] == ["updated", "unchanged", "unchanged"]
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    amal = orgs()["1001"]
    assert amal.members_total == 30 and amal.phone == "0612345678"
    assert len(orgs()) == 3
    assert result.report[0]["id"] == amal.pk


def test_rows_without_number_are_matched_by_name(sectors):
    row = list(GOOD[2])
    row[3] = ""
    run(xlsx([row]))
    result = run(xlsx([row]))
    assert result.report[0]["status"] == "unchanged"
    assert len(orgs()) == 1


def test_duplicated_rows_in_one_file(sectors):
    copy = list(GOOD[0])
    copy[0] = "تعاونية الأمل (نسخة)"
    result = run(xlsx([GOOD[0], GOOD[1], copy]))
    assert [r["status"] for r in result.report] == ["created", "created", "rejected"]
    assert "row 2" in result.report[2]["errors"][0]
    assert orgs()["1001"].name_ar == GOOD[0][0]


def test_formula_quote_from_exports_is_removed(sectors):
    row = list(GOOD[0])
    row[12] = "'+212612345678"
    run(xlsx([row]))
    assert orgs()["1001"].phone == "+212612345678"


@pytest.mark.parametrize("content,filename,message", [
    (b"", "empty.csv", "empty"),
    (b"\n\n  \n", "blank.csv", "empty"),
    (xlsx([], header=None), "empty.xlsx", "empty"),
    (xlsx([]), "header-only.xlsx", "no rows of data"),
    (b"name_ar;legal_form;province_code;sector\r\n", "header-only.csv", "no rows of data"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv", "not a spreadsheet"),
    (b"%PDF-1.4 hello", "doc.xlsx", "not a valid Excel"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old.xls", ".xls"),
    (b"just some words\n", "notes.csv", "No columns were recognized"),
    (b"name_ar,name_fr,email\nx,y,z\n", "partial.csv", "required columns are missing"),
])
def test_unreadable_files(sectors, content, filename, message):
    with pytest.raises(ImportFileError) as error:
        run(content, filename)
    assert message in str(error.value)


def test_zip_that_is_not_a_workbook(sectors):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(ImportFileError, match="not a valid Excel"):
        run(out.getvalue(), "fake.xlsx")


def test_huge_file(sectors, tmp_path):
    path = importer.write_sample_xlsx(tmp_path / "big.xlsx", 5000, seed=7)
    calls = []
    started = time.perf_counter()
    result = run_import(ImportParams(file=str(path), filename="big.xlsx"), lambda done, total: calls.append(done))
    assert time.perf_counter() - started < 20
    assert (result.total, result.created, result.rejected) == (5000, 5000, 0)
    assert Organization.objects.with_scopes_disabled().count() == 5000
    assert calls[0] == 0 and calls[-1] == 5000 and 2500 in calls
    assert ActivityLog.objects.with_scopes_disabled().filter(action="import.finished").count() == 1


def test_sample_csv_round_trip(sectors, tmp_path):
    path = importer.write_sample_csv(tmp_path / "s.csv", 50, seed=3, region_code="03", encoding="cp1256",
                                     delimiter=";")
    result = run_import(ImportParams(file=str(path), filename="s.csv", region=None))
    assert (result.created, result.rejected) == (50, 0), result.report[:3]


# ---- the task and the job ----

def _job(user, content, filename="orgs.xlsx", **extra):
    with scopes_disabled():
        return ImportJob.objects.create(created_by=user, file=SimpleUploadedFile(filename, content),
                                        original_name=filename, **extra)


def test_task_updates_the_job(sectors, fes_staff, fes):
    job = _job(fes_staff, xlsx([*_bad_rows(), GOOD[1]]), region=fes, dry_run=False, language="fr")
    run_import_job.enqueue(job.pk)
    with scopes_disabled():
        job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.finished_at
    assert (job.created_count, job.updated_count, job.rejected_count) == (1, 0, 5)
    assert job.total_rows == job.processed_rows == 6 and job.progress_percent == 100
    with translation.override("fr"):
        # French puts a space before the colon.
        assert f"email : {EmailValidator.message}" in [e for r in job.report for e in r["errors"]]
    entry = ActivityLog.objects.with_scopes_disabled().get(action="import.finished")
    assert entry.region == fes and entry.after["created"] == 1 and entry.actor == fes_staff
    run_import_job.enqueue(job.pk)  # delivered twice: runs once
    assert ActivityLog.objects.with_scopes_disabled().filter(action="import.finished").count() == 1


def test_task_marks_unreadable_files_failed(sectors, fes_staff, fes):
    job = _job(fes_staff, b"\x00\x01\x02binary", "photo.csv", region=fes, language="en")
    run_import_job.enqueue(job.pk)
    with scopes_disabled():
        job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "not a spreadsheet" in job.error


def test_task_survives_unexpected_errors(sectors, fes_staff, fes, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(importer, "run_import", boom)
    job = _job(fes_staff, xlsx(GOOD), region=fes, language="en")
    run_import_job.enqueue(job.pk)
    with scopes_disabled():
        job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "unexpected error" in job.error


# ---- the command ----

def test_command_output_and_exit_codes(sectors, tmp_path, capsys, fes):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx([*GOOD, _bad_rows()[0]]))
    call_command("import-organizations", str(good))
    out, err = capsys.readouterr()
    assert out == "created: 3, updated: 0, rejected: 1\n"
    assert "row 5: province_code: " in err and "99.999" in err
    call_command("import-organizations", str(good), "--region", "03")
    assert capsys.readouterr().out == "created: 0, updated: 0, rejected: 1\n"  # the others are unchanged

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(_bad_rows()))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import-organizations", str(bad), "--dry-run")
    assert exit_info.value.code == 1
    assert capsys.readouterr().out == "created: 0, updated: 0, rejected: 5\n"

    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(csv_bytes([["جديدة", "", "association", "N-1", "03.131", "other"], _bad_rows()[1]]))
    with pytest.raises(SystemExit):
        call_command("import-organizations", str(mixed), "--all-or-nothing")
    assert capsys.readouterr().out == "created: 0, updated: 0, rejected: 1\n"
    call_command("import-organizations", str(mixed), "--dry-run")  # one valid row: success
    assert capsys.readouterr().out == "created: 1, updated: 0, rejected: 1\n"
    assert "N-1" not in orgs()

    with pytest.raises(CommandError, match="Unknown region"):
        call_command("import-organizations", str(good), "--region", "99")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        call_command("import-organizations", str(empty))


# ---- the screens ----

@pytest.fixture
def upload(client):
    def send(user, content, filename="orgs.xlsx", **data):
        client.force_login(user)
        page = client.get(reverse("registry:imports"))
        assert page.status_code == 200
        token = page.context["form"]["token"].value()
        payload = {"file": SimpleUploadedFile(filename, content), "mode": "valid_rows", "token": token,
                   **data}
        return client.post(reverse("registry:imports"), payload)

    return send


def test_upload_preview_then_import(client, upload, fes_staff, fes, sectors):
    response = upload(fes_staff, xlsx([*GOOD, _bad_rows()[0]]), dry_run="on")
    with scopes_disabled():
        job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("registry:import_detail", args=[job.pk])
    assert job.region == fes and job.dry_run and job.language == "en" and job.status == "done"
    assert not orgs()
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "<progress" in html and "99.999" in html and "Import these rows now" in html
    assert page.context["page"].object_list[0]["status"] == "rejected"  # problems first
    assert client.get(response["Location"] + "?status=created").context["page"].paginator.count == 3

    confirm = client.post(response["Location"], {"confirm": "1"})
    with scopes_disabled():
        real = ImportJob.objects.get(dry_run=False)
    assert confirm["Location"] == reverse("registry:import_detail", args=[real.pk])
    assert real.file.name == job.file.name and real.status == "done" and real.created_count == 3
    assert len(orgs()) == 3
    again = client.post(response["Location"], {"confirm": "1"})  # a double click
    assert again["Location"] == confirm["Location"]
    assert ImportJob.objects.with_scopes_disabled().count() == 2
    assert "This file has been imported" in client.get(response["Location"]).content.decode()


def test_upload_checks_and_double_submit(client, upload, fes_staff, sectors, monkeypatch):
    response = upload(fes_staff, b"hello", "notes.txt")
    assert response.status_code == 200 and response.context["form"].errors["file"]
    monkeypatch.setattr("tadamon.registry.views.imports.MAX_FILE_SIZE", 10)
    response = upload(fes_staff, xlsx(GOOD))
    assert "20 MB" in response.context["form"].errors["file"][0]
    monkeypatch.undo()
    page = client.get(reverse("registry:imports"))
    token = page.context["form"]["token"].value()
    for _ in range(2):
        response = client.post(reverse("registry:imports"), {
            "file": SimpleUploadedFile("orgs.csv", csv_bytes(GOOD)), "mode": "valid_rows", "token": token})
        assert response.status_code == 302
    assert ImportJob.objects.with_scopes_disabled().count() == 1
    assert len(orgs()) == 3


def test_failed_import_page(client, upload, fes_staff, sectors):
    response = upload(fes_staff, b"\x89PNG\r\n\x1a\n\x00\x00", "photo.csv")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "not a spreadsheet" in page.content.decode()


def test_national_admin_chooses_a_region_or_none(client, upload, national_admin, marrakech, sectors):
    upload(national_admin, xlsx(GOOD), region=marrakech.pk)
    upload(national_admin, xlsx(GOOD))
    with scopes_disabled():
        first, second = ImportJob.objects.order_by("pk")
    assert first.region == marrakech and first.rejected_count == 3  # Fès-Meknès rows
    assert second.region is None and second.created_count == 3


def test_progress_polling(client, fes_staff, fes, sectors):
    job = _job(fes_staff, xlsx(GOOD), region=fes, status=ImportJob.Status.RUNNING, total_rows=10, processed_rows=5)
    client.force_login(fes_staff)
    url = reverse("registry:import_detail", args=[job.pk])
    page = client.get(url)
    html = page.content.decode()
    assert 'hx-trigger="every 1s"' in html and 'http-equiv="refresh"' in html and "htmx" in html
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and b'<progress max="100" value="50"' in fragment.content
    assert b"<html" not in fragment.content
    with scopes_disabled():
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_import_permissions(client, fes_staff, marrakech_staff, fes_partner, fes_juror, plain_user, national_admin,
                            marrakech, sectors):
    job = _job(marrakech_staff, xlsx(GOOD), region=marrakech)
    detail = reverse("registry:import_detail", args=[job.pk])
    imports = reverse("registry:imports")
    anonymous = client.get(imports)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    assert client.get(detail).status_code == 302
    for user in (fes_partner, fes_juror, plain_user):
        client.force_login(user)
        assert client.get(imports).status_code == 403
        assert client.get(detail).status_code == 403
    client.force_login(fes_staff)
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"confirm": "1"}).status_code == 404
    listing = client.get(imports)
    assert str(job) not in listing.content.decode()
    client.force_login(marrakech_staff)
    assert client.get(detail).status_code == 200
    assert str(job) in client.get(imports).content.decode()
    client.force_login(national_admin)
    assert client.get(detail).status_code == 200


def test_update_checks_figures_against_the_registry(sectors):
    run(xlsx([GOOD[0]]))  # 25 members, 20 women
    row = list(GOOD[0])
    row[7], row[8], row[9] = "", "", "30"  # 30 under 35, with the 25 members already registered
    result = run(xlsx([row]))
    assert result.report[0]["status"] == "rejected"
    assert result.report[0]["errors"][0].startswith("members_youth: ")
    assert orgs()["1001"].members_youth == 10


def test_all_or_nothing_rolls_back_when_the_registry_changed_meanwhile(sectors, fes, make_org, monkeypatch):
    original = importer._Importer.replay

    def replay(self):
        make_org("تعاونية أخرى", province="07.351", registration_number="M-5", legal_form="mutual")
        return original(self)

    monkeypatch.setattr(importer._Importer, "replay", replay)
    result = run(xlsx(GOOD), mode=importer.ALL_OR_NOTHING, region=fes)
    assert result.rolled_back and (result.created, result.rejected) == (0, 1)
    assert set(orgs()) == set()  # the conflicting organization was created inside the rolled back transaction


def test_uploaded_files_get_unguessable_names(client, upload, fes_staff, sectors):
    upload(fes_staff, xlsx(GOOD), "liste des coopératives.xlsx")
    with scopes_disabled():
        job = ImportJob.objects.get()
    assert job.original_name == "liste des coopératives.xlsx" and str(job) == job.original_name
    assert "coop" not in job.file.name and job.file.name.endswith(".xlsx") and len(job.file.name) > 40
