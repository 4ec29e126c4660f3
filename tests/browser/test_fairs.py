"""The call for exhibitors in a real browser, in Arabic on a 360 px screen: a cooperative's representative
applies to a Fès-Meknès fair through every step of the form (pole, products, needs, questions with a
document, declaration); the regional team scores the application, closes the call, computes and publishes
the selection; the representative sees the decision, confirms the participation and downloads the
acceptance letter."""

import io
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scopes_disabled
from PIL import Image

from tadamon.core.images import clean_image
from tadamon.fairs.models import (
    Application,
    ApplicationDocument,
    CallQuestion,
    Criterion,
    Edition,
    Pole,
    RequiredDocument,
)
from tadamon.registry import services as registry_services
from tadamon.registry.models import Representation

from ..conftest import PASSWORD
from .conftest import CHROMIUM, VIEWPORT, assert_no_horizontal_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
]

S = Application.Status
SUBMIT = "main form button[type=submit]"
COOPERATIVE = "تعاونية الأمل للدوم"


@pytest.fixture
def media_files():
    """Remove the files the test stored (MEDIA_ROOT is var/test-media, served by the live server)."""
    root = Path(settings.MEDIA_ROOT)
    before = {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()
    yield root
    for path in root.rglob("*"):
        if path.is_file() and path not in before:
            path.unlink()


def make_call(region):
    """A Fès-Meknès edition whose call is open: one pole, two criteria, two questions and a document."""
    now = timezone.now()
    with scopes_disabled():
        edition = Edition.objects.create(
            region=region, title_ar="المعرض الجهوي للاقتصاد الاجتماعي", title_fr="Salon régional de l'ESS", number=3,
            starts_on=date.today() + timedelta(days=30), ends_on=date.today() + timedelta(days=39),
            status=Edition.Status.CALL_OPEN, call_opens_at=now - timedelta(days=1),
            call_closes_at=now + timedelta(days=10), venue_name_ar="حلبة سباق الخيل", venue_name_fr="Hippodrome")
        pole = Pole.objects.create(edition=edition, name_ar="قطب المنتوجات", name_fr="Pôle produits", capacity=2,
                                   stands=1)
        criteria = [
            Criterion.objects.create(edition=edition, name_ar="الجودة", name_fr="Qualité", weight=2, max_points=10),
            Criterion.objects.create(edition=edition, name_ar="الابتكار", name_fr="Innovation", weight=1,
                                     max_points=10),
        ]
        text_question = CallQuestion.objects.create(edition=edition, text_ar="ما الجديد في منتوجاتكم؟",
                                                    text_fr="Quoi de neuf dans vos produits ?")
        yes_no_question = CallQuestion.objects.create(edition=edition, text_ar="هل تبيعون عبر الإنترنت؟",
                                                      text_fr="Vendez-vous en ligne ?", kind=CallQuestion.Kind.YES_NO)
        document = RequiredDocument.objects.create(edition=edition, name_ar="شهادة التسجيل",
                                                   name_fr="Attestation d'immatriculation")
    return {"edition": edition, "pole": pole, "criteria": criteria, "text_question": text_question,
            "yes_no_question": yes_no_question, "document": document}


def make_cooperative(make_user, make_org, make_product):
    """A representative (verified account, approved representation) of a Fès-Meknès cooperative that has a
    product with a photo."""
    user = make_user("rep@example.ma", first_name="خديجة", phone="0612345678")
    organization = make_org(COOPERATIVE, "Coopérative Al Amal du doum", province="03.131", women_led=True,
                            created_on=date(2015, 1, 1), registration_number="FES-2015-118")
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "#c08040").save(buffer, "JPEG")
    with scopes_disabled():
        Representation.objects.create(user=user, organization=organization, status=Representation.Status.APPROVED)
        product = make_product(organization, "سلة من الدوم", "Panier en doum", category="handicrafts")
        registry_services.add_photo(user, product, clean_image(
            SimpleUploadedFile("basket.jpg", buffer.getvalue(), content_type="image/jpeg")))
    return user, organization, product


def log_in(page, email):
    page.goto("/ar/accounts/login/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click(SUBMIT)
    page.wait_for_url("**/ar/")


def assert_steps_fit(page):
    """The five steps fit the phone's width: the current one is never scrolled out of sight."""
    steps = page.locator("main ol.steps")
    assert steps.evaluate("ol => ol.scrollWidth <= ol.clientWidth + 1"), steps.evaluate(
        "ol => [ol.scrollWidth, ol.clientWidth]")
    assert page.locator("main ol.steps li.current").is_visible()


def save_step(page, next_url):
    """Send the step's form and land on the next page."""
    assert_no_horizontal_scroll(page)
    assert_steps_fit(page)
    page.click(SUBMIT)
    page.wait_for_url(next_url)
    assert page.locator("main .has-error").count() == 0, page.locator("main").inner_text()


def test_cooperative_applies_is_selected_confirms_and_downloads_the_letter(
        page, browser, live_server, fes, fes_staff, make_user, make_org, make_product, media_files, screenshot,
        tmp_path):
    call = make_call(fes)
    edition, pole = call["edition"], call["pole"]
    user, organization, product = make_cooperative(make_user, make_org, make_product)
    registration_pdf = tmp_path / "registration.pdf"
    registration_pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

    # The representative logs in, finds the open call in the list of fairs and applies.
    log_in(page, user.email)
    page.goto("/ar/fairs/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert_no_horizontal_scroll(page)
    page.locator(f"main a[href='/ar/fairs/{edition.pk}/']").first.click()
    page.wait_for_url(f"**/ar/fairs/{edition.pk}/")
    assert_no_horizontal_scroll(page)
    page.locator(f"main a[href='/ar/fairs/{edition.pk}/apply/']").click()
    page.wait_for_url("**/ar/applications/*/step/pole/")  # one organization: no need to choose it
    with scopes_disabled():
        application = Application.objects.get(edition=edition, organization=organization)
    assert application.status == S.DRAFT
    steps_url = f"**/ar/applications/{application.pk}/step"
    assert page.locator("ol.steps li").count() == 5
    assert page.locator("ol.steps li[aria-current=step]").inner_text().strip().startswith("1")

    # 1. The pole.
    page.check(f"input[name=pole][value='{pole.pk}']")
    save_step(page, f"{steps_url}/products/")
    # 2. The products to show.
    page.check(f"input[name=products][value='{product.pk}']")
    save_step(page, f"{steps_url}/needs/")
    # 3. The stand's needs.
    page.check("input[name=needs_power]")
    page.check("input[name=needs_step_free]")
    assert page.input_value("select[name=share_with]") == ""
    save_step(page, f"{steps_url}/questions/")
    # 4. The edition's questions and the document it asks for.
    page.check("input[name=first_participation]")
    page.fill(f"textarea[name=q_{call['text_question'].pk}]", "سلال جديدة من الدوم بألوان طبيعية")
    page.select_option(f"select[name=q_{call['yes_no_question'].pk}]", "yes")
    page.set_input_files(f"input[name=doc_{call['document'].pk}]", str(registration_pdf))
    save_step(page, f"{steps_url}/declaration/")
    # 5. Check and send: only the declaration is still missing; it is accepted.
    assert page.locator("main .form-errors li").count() == 1
    assert product.name_ar in page.locator("main dl.facts").inner_text()
    page.check("input[name=declaration_accepted]")
    assert_no_horizontal_scroll(page)
    assert_steps_fit(page)
    page.click(SUBMIT)
    page.wait_for_url(f"**/ar/applications/{application.pk}/")

    with scopes_disabled():
        application.refresh_from_db()
        answers = dict(application.answers)
        document = ApplicationDocument.objects.get(application=application)
        chosen = list(application.products.all())
    assert application.status == S.ELIGIBLE and application.submitted_at is not None  # submitted, then checked
    assert application.pole == pole and chosen == [product]
    assert application.needs_power and application.needs_step_free and not application.needs_water
    assert application.first_participation and application.declaration_accepted
    assert answers == {str(call["text_question"].pk): "سلال جديدة من الدوم بألوان طبيعية",
                       str(call["yes_no_question"].pk): "yes"}
    assert Path(document.file.path).read_bytes().startswith(b"%PDF-")
    assert page.locator("main .status-eligible").count() == 1
    assert COOPERATIVE in page.locator("main").inner_text()
    assert page.locator(f"main a[href='/ar/applications/{application.pk}/letter.pdf']").count() == 0
    assert_no_horizontal_scroll(page)
    screenshot(page, "apply-ar")

    # The regional team, on another phone: score the application, close the call, select, publish.
    staff_context = browser.new_context(viewport=VIEWPORT, locale="ar", base_url=live_server.url)
    staff = staff_context.new_page()
    staff_errors = []
    staff.on("response", lambda r: staff_errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    log_in(staff, fes_staff.email)
    staff.goto(f"/ar/manage/fairs/{edition.pk}/")
    assert_no_horizontal_scroll(staff)
    staff.locator(f"nav.tabs a[href='/ar/manage/fairs/{edition.pk}/applications/']").click()
    staff.wait_for_url(f"**/ar/manage/fairs/{edition.pk}/applications/")
    review_url = f"/ar/manage/fairs/applications/{application.pk}/"
    staff.locator(f"main a[href='{review_url}']").click()
    staff.wait_for_url(f"**{review_url}")
    assert staff.locator("main h1").inner_text().strip() == COOPERATIVE
    facts = staff.locator("main dl.facts").inner_text()
    assert "سلال جديدة من الدوم بألوان طبيعية" in facts and "yes" not in facts  # the answer, in words
    quality, innovation = call["criteria"]
    staff.fill(f"#id_c_{quality.pk}", "8")
    staff.fill(f"#id_c_{innovation.pk}", "7")
    staff.fill("#id_comment", "منتوجات متقنة وتغليف جيد")
    assert_no_horizontal_scroll(staff)
    with staff.expect_navigation():
        staff.click("main button[name=score]")
    assert staff.locator(".messages .success").count() == 1
    with scopes_disabled():
        application.refresh_from_db()
    assert float(application.score) == pytest.approx((8 / 10 * 2 + 7 / 10 * 1) / 3 * 100, abs=0.001)

    staff.locator(f"nav.tabs a[href='/ar/manage/fairs/{edition.pk}/']").click()
    staff.wait_for_url(f"**/ar/manage/fairs/{edition.pk}/")
    with staff.expect_navigation():
        staff.click("main form:has(input[name=status][value=call_closed]) button[type=submit]")
    with scopes_disabled():
        edition.refresh_from_db()
    assert edition.status == Edition.Status.CALL_CLOSED

    staff.locator(f"nav.tabs a[href='/ar/manage/fairs/{edition.pk}/selection/']").click()
    staff.wait_for_url(f"**/ar/manage/fairs/{edition.pk}/selection/")
    assert staff.locator("main button[name=publish]").count() == 0  # nothing to publish before a run
    with staff.expect_navigation():
        staff.click("main button[name=run]")
    selected_table, waitlist_table = staff.locator("main .table-wrap table").all()
    assert selected_table.locator(f"a[href='{review_url}']").inner_text().strip() == COOPERATIVE
    assert waitlist_table.locator("tbody tr").count() == 0
    assert_no_horizontal_scroll(staff)
    with staff.expect_navigation():
        staff.click("main button[name=publish]")
    assert staff.locator(".messages .success").count() == 1
    with scopes_disabled():
        edition.refresh_from_db()
        application.refresh_from_db()
    assert edition.status == Edition.Status.SELECTION_PUBLISHED and edition.selection_published_at is not None
    assert application.status == S.SELECTED
    assert staff.locator("main .table-wrap table").first.locator(f"a[href='{review_url}']").count() == 1
    assert_no_horizontal_scroll(staff)
    screenshot(staff, "selection-ar")
    staff_context.close()
    assert not staff_errors, f"server errors: {staff_errors}"

    # Back on the representative's phone: "my applications" from the menu, the decision, the confirmation.
    page.goto("/ar/")
    page.locator("details.menu summary").click()
    page.locator("details.menu a[href='/ar/applications/']").click()
    page.wait_for_url("**/ar/applications/")
    assert_no_horizontal_scroll(page)
    page.locator(f"main a[href='/ar/applications/{application.pk}/']").click()
    page.wait_for_url(f"**/ar/applications/{application.pk}/")
    assert page.locator("main .status-selected").count() == 1
    letter = page.locator(f"main a[href='/ar/applications/{application.pk}/letter.pdf']")
    assert letter.count() == 1
    assert_no_horizontal_scroll(page)
    with page.expect_navigation():
        page.click(f"main form[action='/ar/applications/{application.pk}/confirm/'] button[type=submit]")
    with scopes_disabled():
        application.refresh_from_db()
    assert application.status == S.CONFIRMED
    assert page.locator("main .status-confirmed").count() == 1
    assert page.locator(f"main form[action='/ar/applications/{application.pk}/confirm/']").count() == 0

    # The acceptance letter, as a download and straight from its address.
    with page.expect_download() as download_info:
        letter.click()
    pdf_path = tmp_path / "letter.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    response = page.request.get(f"/ar/applications/{application.pk}/letter.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
