"""Screens: the public programme and registration journey, the staff grid, the door check-in,
certificates, and the permission matrix of every staff view (other roles 403, other regions 404)."""

import io
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.core import sms
from tadamon.core.models import ActivityLog
from tadamon.programme import services
from tadamon.programme.models import Certificate, Feedback, Registration, ScheduleRun, Session

pytestmark = pytest.mark.django_db
R = Registration.Status


@pytest.fixture
def registered(programme):
    registration, _ = services.register(programme["workshop"], name="Amina Alaoui", phone="0612345678",
                                        institution="Coopérative Al Amal", notify=False)
    return registration


@pytest.fixture
def run(programme, fes_staff):
    with scopes_disabled():
        return ScheduleRun.objects.create(edition=programme["edition"], created_by=fes_staff,
                                          status=ScheduleRun.Status.DONE, result={"status": "optimal",
                                                                                 "conflicts": []})


# ---- public pages --------------------------------------------------------------------------------

def test_public_programme_by_day_space_and_audience(client, programme):
    edition = programme["edition"]
    url = reverse("programme:edition", args=[edition.pk])
    html = client.get(url).content.decode()
    assert "ورشة التسيير" in html and "ندوة" in html and "أكورا" not in html  # unplaced: not shown
    html = client.get(url, {"space": programme["hall"].pk, "day": "all"}).content.decode()
    assert "ندوة" in html and "ورشة التسيير" not in html
    html = client.get(url, {"audience": "cooperatives", "day": "all"}).content.decode()
    assert "ورشة التسيير" in html and "ندوة" not in html
    assert client.get(url, {"day": "not-a-date", "space": "x", "audience": "<script>"}).status_code == 200
    assert client.get(reverse("programme:programmes")).status_code == 200


def test_now_and_next_for_screens(client, programme):
    workshop = programme["workshop"]
    url = reverse("programme:now_next", args=[programme["edition"].pk])
    at = timezone.localtime(workshop.starts_at + timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M")
    response = client.get(url, {"at": at})
    html = response.content.decode()
    assert response.status_code == 200 and 'http-equiv="refresh"' in html and 'class="screen"' in html
    now_part, next_part = html.split("screen-list", 2)[1:3]
    assert "ورشة التسيير" in now_part and "ندوة" in next_part
    assert client.get(url, {"at": "garbage"}).status_code == 200


def test_draft_programmes_are_not_public(client, programme):
    edition = programme["edition"]
    with scopes_disabled():
        edition.status = edition.Status.DRAFT
        edition.save()
    assert client.get(reverse("programme:edition", args=[edition.pk])).status_code == 404
    assert client.get(reverse("programme:session", args=[programme["workshop"].pk])).status_code == 404
    assert client.post(reverse("programme:register", args=[programme["workshop"].pk]),
                       {"name": "A", "phone": "0612345678"}).status_code == 404


def test_visitor_registers_with_a_name_and_a_phone(client, programme, django_capture_on_commit_callbacks):
    workshop = programme["workshop"]
    page = client.get(reverse("programme:session", args=[workshop.pk])).content.decode()
    assert "ليلى العمراني" in page and 'name="phone"' in page
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("programme:register", args=[workshop.pk]),
                               {"name": "Amina Alaoui", "phone": "06 12 34 56 78", "institution": "ODCO"})
    assert response.status_code == 302
    with scopes_disabled():
        registration = Registration.objects.get(session=workshop)
    assert registration.phone == "0612345678" and registration.status == R.CONFIRMED
    token = services.registration_token(registration)
    assert response["Location"] == reverse("programme:registration", args=[token])
    html = client.get(response["Location"]).content.decode()
    assert "<svg" in html and registration.code in html
    assert sms.outbox and token in sms.outbox[0].body
    # The session page now shows the registration (kept in the browser's session)
    assert reverse("programme:registration", args=[token]) in client.get(
        reverse("programme:session", args=[workshop.pk])).content.decode()
    # The same person again: no second registration
    client.post(reverse("programme:register", args=[workshop.pk]), {"name": "Amina", "phone": "+212612345678"})
    with scopes_disabled():
        assert Registration.objects.filter(session=workshop).count() == 1


def test_bad_registration_input_changes_nothing(client, programme):
    workshop = programme["workshop"]
    response = client.post(reverse("programme:register", args=[workshop.pk]), {"name": "", "phone": "abc"})
    assert response.status_code == 400 and "form-errors" in response.content.decode() or \
        response.context["form"].errors
    response = client.post(reverse("programme:register", args=[programme["conference"].pk]),
                           {"name": "Amina", "phone": "0612345678"})
    assert response.status_code == 302  # open entry: a message, nothing written
    with scopes_disabled():
        assert not Registration.objects.exists()


def test_signed_link_shows_and_cancels_only_that_registration(client, programme, registered):
    token = services.registration_token(registered)
    assert client.get(reverse("programme:registration", args=[token])).status_code == 200
    assert client.get(reverse("programme:registration", args=[token + "x"])).status_code == 404
    forged = services.registration_token(registered).replace(":", ";", 1)
    assert client.get(reverse("programme:registration", args=[forged])).status_code == 404
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.post(reverse("programme:registration_cancel", args=[altered])).status_code == 404
    response = client.post(reverse("programme:registration_cancel", args=[token]))
    assert response.status_code == 302
    with scopes_disabled():
        registered.refresh_from_db()
    assert registered.status == R.CANCELLED
    assert client.get(reverse("programme:registration_cancel", args=[token])).status_code == 405


def test_my_registrations_lists_only_mine(client, programme, plain_user, make_user):
    other = make_user("other@example.ma", phone="0699999999")
    services.register(programme["workshop"], user=plain_user, name="Me", phone="0611111111", notify=False)
    services.register(programme["workshop"], user=other, notify=False)
    client.force_login(plain_user)
    html = client.get(reverse("programme:my_registrations")).content.decode()
    assert html.count("ورشة التسيير") == 1


def test_feedback_form_once(client, programme, registered):
    token = services.registration_token(registered)
    with scopes_disabled():
        Session.objects.filter(pk=programme["workshop"].pk).update(starts_at=timezone.now() - timedelta(hours=1))
    assert "feedback" in client.get(reverse("programme:registration", args=[token])).content.decode()
    client.post(reverse("programme:registration_feedback", args=[token]), {"rating": "5", "comment": "ممتازة"})
    client.post(reverse("programme:registration_feedback", args=[token]), {"rating": "1"})
    client.post(reverse("programme:registration_feedback", args=[token]), {"rating": "9"})
    with scopes_disabled():
        assert list(Feedback.objects.values_list("rating", flat=True)) == [5]


# ---- attendance and certificates ------------------------------------------------------------------

def _pdf_qr_texts(pdf, tmp_path):
    """Decode the QR codes of a PDF's first page: pdftoppm renders it, zxing-cpp reads it."""
    zxingcpp = pytest.importorskip("zxingcpp")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    from PIL import Image

    (tmp_path / "certificate.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(tmp_path / "certificate.pdf"),
                    str(tmp_path / "page")], check=True)
    return [r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))]


def test_checkin_by_code_then_certificate_qr_opens_its_verification_page(client, programme, registered, fes_staff,
                                                                          tmp_path):
    workshop = programme["workshop"]
    client.force_login(fes_staff)
    page = client.get(reverse("programme:checkin", args=[workshop.pk]))
    assert page.status_code == 200 and "programme/checkin.js" in page.content.decode()
    from django.contrib.staticfiles import finders

    assert "BarcodeDetector" in open(finders.find("programme/checkin.js")).read()  # the camera reads QR codes
    scanned = f"http://testserver{reverse('programme:checkin_code', args=[registered.code])}"
    response = client.post(reverse("programme:checkin", args=[workshop.pk]), {"action": "code", "code": scanned})
    assert response.status_code == 302
    with scopes_disabled():
        registered.refresh_from_db()
        certificate = Certificate.objects.get(registration=registered)
    assert registered.checked_in_at is not None and registered.checked_in_by == fes_staff
    assert ActivityLog.objects.with_scopes_disabled().filter(action="certificate.issued").exists()

    client.logout()
    token = services.registration_token(registered)
    assert reverse("programme:registration_certificate", args=[token]) in client.get(
        reverse("programme:registration", args=[token])).content.decode()
    pdf = client.get(reverse("programme:registration_certificate", args=[token]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    texts = _pdf_qr_texts(pdf.content, tmp_path)
    assert texts == [f"http://testserver{reverse('programme:certificate_verify', args=[certificate.code])}"]
    path = texts[0].removeprefix("http://testserver")
    verify = client.get(path)
    assert verify.status_code == 200 and "Amina Alaoui" in verify.content.decode()
    forged = client.get(reverse("programme:certificate_verify", args=[certificate.code[:-3] + "abc"]))
    assert forged.status_code == 404 and "Amina Alaoui" not in forged.content.decode()
    assert client.get(reverse("programme:certificate_verify", args=["made-up"])).status_code == 404


def test_certificate_text_in_arabic_and_french(programme, registered, fes_staff, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    services.check_in(fes_staff, registered)
    with scopes_disabled():
        certificate = Certificate.objects.get(registration=registered)
        pdf = services.certificate_pdf(certificate, absolute_url="https://tadamon.ma/ar/certificates/x/")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    (tmp_path / "certificate.pdf").write_bytes(pdf)
    assert "Certificat de participation" in text and "شهادة المشاركة" in text and "Amina Alaoui" in text
    assert "Atelier de" in text and "Leila Amrani" in text


def test_typed_code_wrong_session_and_name_search(client, programme, registered, fes_staff):
    client.force_login(fes_staff)
    conference = programme["conference"]
    client.post(reverse("programme:checkin", args=[conference.pk]), {"action": "code", "code": registered.code})
    with scopes_disabled():
        registered.refresh_from_db()
    assert registered.checked_in_at is None  # a code of another session is refused
    html = client.get(reverse("programme:checkin", args=[programme["workshop"].pk]), {"q": "amina"}).content.decode()
    assert "Amina Alaoui" in html
    client.post(reverse("programme:checkin", args=[programme["workshop"].pk]),
                {"action": "registration", "registration": registered.pk})
    with scopes_disabled():
        registered.refresh_from_db()
    assert registered.checked_in_at is not None
    response = client.post(reverse("programme:checkin", args=[conference.pk]),
                           {"action": "walk_in", "name": "Karim", "phone": "", "institution": "ODCO"})
    assert response.status_code == 302
    assert client.post(reverse("programme:checkin", args=[conference.pk]), {"action": "code", "code": "ZZZ"}
                       ).status_code == 200


def test_qr_address_opened_by_staff_records_the_arrival(client, programme, registered, fes_staff):
    client.force_login(fes_staff)
    url = reverse("programme:checkin_code", args=[registered.code])
    assert registered.name in client.get(url).content.decode()
    client.post(url)
    with scopes_disabled():
        registered.refresh_from_db()
    assert registered.checked_in_at is not None
    assert client.get(reverse("programme:checkin_code", args=["NOPE1234"])).status_code == 404


def test_attendance_xlsx_is_formula_safe(client, programme, fes_staff):
    from openpyxl import load_workbook

    services.register(programme["workshop"], name="=HYPERLINK(\"http://x\")", phone="0612000000", notify=False)
    client.force_login(fes_staff)
    response = client.get(reverse("programme:attendance_xlsx", args=[programme["workshop"].pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert names == ["'=HYPERLINK(\"http://x\")"]


def test_grid_place_and_live_warnings(client, programme, fes_staff):
    edition, slots = programme["edition"], programme["slots"]
    client.force_login(fes_staff)
    html = client.get(reverse("programme:manage_grid", args=[edition.pk])).content.decode()
    assert "ورشة التسيير" in html and "hx-post" in html
    later = programme["unplaced"]
    prefix = f"s{later.pk}"
    data = {f"{prefix}-slot": slots[1].pk, f"{prefix}-space": programme["room"].pk}
    live = client.post(reverse("programme:manage_place_check", args=[later.pk]), data, HTTP_HX_REQUEST="true")
    text = live.content.decode()
    assert live.status_code == 200 and "ليلى العمراني" in text  # the trainer would be in two places
    with scopes_disabled():
        assert not Session.objects.get(pk=later.pk).is_placed  # checking saves nothing
    client.post(reverse("programme:manage_place", args=[later.pk]), data)
    with scopes_disabled():
        assert Session.objects.get(pk=later.pk).slot_id == slots[1].pk
    html = client.get(reverse("programme:manage_grid", args=[edition.pk])).content.decode()
    assert "clash" in html and "conflicts to look at" in html or "conflict" in html
    # Half a placement is refused with a message
    client.post(reverse("programme:manage_place", args=[later.pk]), {f"{prefix}-slot": slots[2].pk})
    with scopes_disabled():
        assert Session.objects.get(pk=later.pk).slot_id == slots[1].pk


def test_scheduler_from_the_grid(client, programme, fes_staff, django_capture_on_commit_callbacks):
    client.force_login(fes_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("programme:manage_schedule", args=[programme["edition"].pk]))
    with scopes_disabled():
        run = ScheduleRun.objects.get()
    assert response["Location"] == reverse("programme:manage_run", args=[run.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200 and run.status == ScheduleRun.Status.DONE
    with scopes_disabled():
        assert Session.objects.get(pk=programme["unplaced"].pk).is_placed


def test_staff_forms(client, programme, fes_staff):
    edition = programme["edition"]
    client.force_login(fes_staff)
    response = client.post(reverse("programme:manage_session_new", args=[edition.pk]), {
        "kind": "show", "title_ar": "عرض فني", "title_fr": "Spectacle", "audience": "public", "duration_slots": 1,
        "capacity": 0, "languages": ["ary"], "speakers": [programme["speaker"].pk]})
    assert response.status_code == 302
    response = client.post(reverse("programme:manage_space_new", args=[edition.pk]), {
        "name_ar": "المنصة", "name_fr": "Scène", "capacity": 300, "kinds": ["show"], "position": 3})
    assert response.status_code == 302
    gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00" \
          b"\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("programme:manage_speaker_new", args=[edition.pk]), {
        "name_ar": "فاتو نداي", "name_fr": "Fatou Ndiaye", "country": "Sénégal", "account": "nobody@example.ma",
        "photo": SimpleUploadedFile("x.svg", b"<svg onload=alert(1)>", content_type="image/svg+xml")})
    assert response.status_code == 200  # an unknown account and an SVG are refused, nothing saved
    response = client.post(reverse("programme:manage_speaker_new", args=[edition.pk]), {
        "name_ar": "فاتو نداي", "name_fr": "Fatou Ndiaye", "country": "Sénégal",
        "unavailable_slots": [programme["slots"][0].pk],
        "photo": SimpleUploadedFile("p.gif", gif, content_type="image/gif")})
    assert response.status_code == 302
    with scopes_disabled():
        from tadamon.programme.models import Speaker

        speaker = Speaker.objects.get(name_fr="Fatou Ndiaye")
        assert speaker.photo.name.endswith((".jpg", ".png")) and speaker.unavailable_slots.count() == 1
    response = client.post(reverse("programme:manage_slots", args=[edition.pk]), {
        "slot_minutes": 60, "gap_minutes": 0, "day_starts": "09:00", "day_ends": "17:00"})
    assert response.status_code == 200  # refused: sessions are placed
    assert client.get(reverse("programme:manage_participants", args=[edition.pk]), {"format": "xlsx"}
                      ).status_code == 200


# ---- the permission matrix ------------------------------------------------------------------------

def _views(p, registration, run):
    e, s, c = p["edition"].pk, p["workshop"].pk, p["conference"].pk
    return [
        ("get", "manage_edition", [e], "view"), ("get", "manage_grid", [e], "view"),
        ("get", "manage_participants", [e], "view"), ("get", "manage_session", [s], "view"),
        ("get", "manage_run", [run.pk], "view"),
        ("get", "manage_slots", [e], "manage"), ("get", "manage_space_new", [e], "manage"),
        ("get", "manage_space", [e, p["hall"].pk], "manage"), ("get", "manage_speaker_new", [e], "manage"),
        ("get", "manage_speaker", [e, p["speaker"].pk], "manage"), ("get", "manage_session_new", [e], "manage"),
        ("get", "manage_session_edit", [e, c], "manage"), ("post", "manage_schedule", [e], "manage"),
        ("post", "manage_place", [c], "manage"), ("post", "manage_place_check", [c], "manage"),
        ("get", "checkin", [c], "attend"), ("get", "checkin_code", [registration.code], "attend_workshop"),
        ("get", "attendance_xlsx", [c], "read_list"),
    ]


@pytest.fixture
def matrix(programme, registered, run):
    services.check_in(None, registered)
    return _views(programme, registered, run) + [
        ("get", "staff_certificate", [programme["workshop"].pk, registered.pk], "read_list_workshop")]


def _call(client, method, name, args):
    return getattr(client, method)(reverse(f"programme:{name}", args=args))


def test_staff_of_the_region_use_every_view(client, matrix, fes_staff):
    client.force_login(fes_staff)
    for method, name, args, _kind in matrix:
        assert _call(client, method, name, args).status_code in (200, 302), name
    assert client.get(reverse("programme:manage_editions")).status_code == 200


def test_other_region_gets_404_everywhere(client, matrix, marrakech_staff):
    client.force_login(marrakech_staff)
    for method, name, args, _kind in matrix:
        assert _call(client, method, name, args).status_code == 404, name


def test_partner_reads_but_does_not_change(client, matrix, fes_partner):
    client.force_login(fes_partner)
    for method, name, args, kind in matrix:
        expected = 200 if kind in ("view", "read_list", "read_list_workshop") else 403
        assert _call(client, method, name, args).status_code == expected, name


def test_other_roles_get_403(client, matrix, plain_user, fes_juror, fes_trainer):
    for user in (plain_user, fes_juror, fes_trainer):
        client.force_login(user)
        for method, name, args, _kind in matrix:
            assert _call(client, method, name, args).status_code == 403, (user, name)
        assert client.get(reverse("programme:manage_editions")).status_code == 403


def test_anonymous_is_sent_to_log_in(client, matrix):
    for method, name, args, _kind in matrix:
        response = _call(client, method, name, args)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_trainer_sees_the_sessions_they_lead(client, matrix, programme, trainer):
    client.force_login(trainer)
    html = client.get(reverse("programme:my_sessions")).content.decode()
    assert "ورشة التسيير" in html and "أكورا" in html and "ندوة" not in html
    for method, name, args, kind in matrix:
        expected = 200 if kind in ("attend_workshop", "read_list_workshop") else 403
        assert _call(client, method, name, args).status_code == expected, name
    workshop = programme["workshop"]
    assert client.get(reverse("programme:checkin", args=[workshop.pk])).status_code == 200
    assert client.get(reverse("programme:attendance_xlsx", args=[workshop.pk])).status_code == 200


def test_trainer_does_not_see_another_regions_session(client, trainer, other_programme):
    client.force_login(trainer)
    assert client.get(reverse("programme:checkin", args=[other_programme["workshop"].pk])).status_code == 404


def test_my_sessions_needs_a_trainer(client, plain_user):
    client.force_login(plain_user)
    assert client.get(reverse("programme:my_sessions")).status_code == 403
