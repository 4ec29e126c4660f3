"""The programme in a real browser, in Arabic on a 360 px screen: a visitor registers for a training
workshop with a name and a phone number, gets the confirmation with the QR code, is checked in at the
door (staff type the code: headless Chromium on Linux has no BarcodeDetector), then downloads the
certificate, whose QR code opens the public verification page."""

import shutil
import subprocess

from django_scopes import scopes_disabled

from tadamon.programme.models import Certificate, Registration

from ..conftest import PASSWORD
from ..programme.conftest import make_edition, make_programme
from .conftest import SCREENSHOTS, VIEWPORT, assert_no_horizontal_scroll

VISITOR = "عائشة الإدريسي"


def test_visitor_registers_is_checked_in_and_downloads_the_certificate(page, browser, live_server, fes, fes_staff,
                                                                        screenshot, tmp_path):
    programme = make_programme(make_edition(fes))
    edition, workshop = programme["edition"], programme["workshop"]

    # The public programme, then the workshop's page.
    page.goto(f"/ar/programme/{edition.pk}/?day=all")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.locator(".session").count() == 2
    assert_no_horizontal_scroll(page)
    screenshot(page, "programme-ar")
    page.locator(f"#session-{workshop.pk} h3 a").click()
    page.wait_for_url(f"**/ar/programme/sessions/{workshop.pk}/")
    assert "ليلى العمراني" in page.locator("main").inner_text()

    # Registration with a name and a phone number, no account.
    page.fill("#id_name", VISITOR)
    page.fill("#id_phone", "0661 23 45 67")
    page.fill("#id_institution", "تعاونية الأمل")
    assert_no_horizontal_scroll(page)
    page.locator("#register button[type=submit]").click()
    page.wait_for_url("**/ar/programme/registration/*/")
    registration_url = page.url
    with scopes_disabled():
        registration = Registration.objects.get(session=workshop)
    assert registration.status == Registration.Status.CONFIRMED and registration.phone == "0661234567"
    assert page.locator("#qr svg").count() == 1
    assert page.locator("#checkin-code").inner_text().strip() == registration.code
    assert_no_horizontal_scroll(page)
    screenshot(page, "programme-registration-ar")

    # At the door, on the staff's phone: the code is typed (the camera scan needs BarcodeDetector).
    staff_context = browser.new_context(viewport=VIEWPORT, locale="ar", base_url=live_server.url)
    staff = staff_context.new_page()
    staff.goto("/ar/accounts/login/")
    staff.fill("#id_email", fes_staff.email)
    staff.fill("#id_password", PASSWORD)
    staff.click("main form button[type=submit]")
    staff.wait_for_url("**/ar/")
    staff.goto(f"/ar/manage/programme/sessions/{workshop.pk}/check-in/")
    assert staff.locator("#counter").is_visible()
    staff.fill("#id_code", registration.code.lower())
    staff.locator("#code-form button[type=submit]").click()
    staff.wait_for_load_state()
    assert VISITOR in staff.locator(".messages").inner_text()
    assert_no_horizontal_scroll(staff)
    screenshot(staff, "programme-checkin-ar")
    staff_context.close()
    with scopes_disabled():
        registration.refresh_from_db()
        certificate = Certificate.objects.get(registration=registration)
    assert registration.checked_in_at is not None

    # Back on the visitor's phone: the certificate.
    page.goto(registration_url)
    assert page.locator("#certificate a").count() == 1
    with page.expect_download() as download_info:
        page.locator("#certificate a").click()
    pdf_path = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf_path),
                        str(SCREENSHOTS / "certificate-ar")], check=True)

    # The certificate's verification page, and a forged code.
    page.goto(f"/ar/certificates/{certificate.code}/")
    assert VISITOR in page.locator("main").inner_text()
    response = page.goto(f"/ar/certificates/{certificate.code[:-4]}abcd/")
    assert response.status == 404 and VISITOR not in page.locator("main").inner_text()
