"""The registry in a real browser, in Arabic on a 360 px screen: searching the public directory with a
misspelled name, and a representative who registers an organization and adds a product with a photo."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django_scopes import scopes_disabled
from PIL import Image

from tadamon.core.models import Province
from tadamon.registry.models import Organization, Product, ProductPhoto, Representation

from ..conftest import PASSWORD
from .conftest import CHROMIUM, assert_no_horizontal_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
]

SUBMIT = "main form button[type=submit]"
ARGAN = "تعاونية تيفاوين لإنتاج زيت الأركان"


@pytest.fixture
def media_files():
    """Remove the files the test uploaded (MEDIA_ROOT is var/test-media, served by the live server)."""
    root = Path(settings.MEDIA_ROOT)
    before = {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()
    yield root
    for path in root.rglob("*"):
        if path.is_file() and path not in before:
            path.unlink()


@pytest.fixture
def jpeg(tmp_path):
    """A small JPEG photo made with Pillow."""
    path = tmp_path / "argan-oil.jpg"
    image = Image.new("RGB", (640, 480), "#c8892f")
    for x in range(120, 520):
        for y in range(200, 280):
            image.putpixel((x, y), (29, 107, 79))
    image.save(path, "JPEG", quality=85)
    return path


def log_in(page, email):
    page.goto("/ar/accounts/login/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click(SUBMIT)
    page.wait_for_url("**/ar/")


def test_directory_finds_a_misspelled_arabic_name(page, make_org, screenshot):
    make_org(ARGAN, "Coopérative Tifaouine d'huile d'argan", sector="cosmetics",
             description_ar="زيت أركان تقليدي معصور يدويا", women_led=True)
    make_org("جمعية الفخار الأصيل", "Association Poterie Authentique", sector="handicrafts", province="07.351",
             legal_form="association")
    make_org("تعاونية النحل الذهبي", "Coopérative Abeille d'Or", province="03.061")

    page.goto("/ar/organizations/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.locator(".dir-card").count() == 3
    # ة typed as ه, "الأركان" without its hamza, and one wrong letter in "تيفاوين" (ي → ب).
    page.fill("#id_q", "تعاونيه تيفاوبن الاركان")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/ar/organizations/?q=*")
    cards = page.locator(".dir-card")
    assert cards.count() == 1
    assert cards.first.locator("h2 a").inner_text().strip() == ARGAN
    assert page.input_value("#id_q") == "تعاونيه تيفاوبن الاركان"
    assert_no_horizontal_scroll(page)
    screenshot(page, "directory-ar")

    cards.first.locator("h2 a").click()
    page.wait_for_url("**/ar/organizations/*/")
    assert page.locator("main h1").inner_text().strip() == ARGAN
    assert_no_horizontal_scroll(page)


def test_representative_registers_an_organization_and_adds_a_product_with_a_photo(
        page, make_user, sectors, jpeg, media_files, screenshot):
    user = make_user("fatima@example.ma", first_name="فاطمة")
    log_in(page, "fatima@example.ma")

    # A new account: the home page offers to register an organization.
    page.locator("main a[href='/ar/my/organizations/new/']").first.click()
    page.wait_for_url("**/ar/my/organizations/new/")
    province = Province.objects.get(code="03.131")
    page.select_option("#id_legal_form", "cooperative")
    page.fill("#id_name_ar", "تعاونية الأمل للكسكس")
    page.fill("#id_name_fr", "Coopérative Al Amal du couscous")
    page.fill("#id_role_in_organization", "الرئيسة")
    page.select_option("#id_province", str(province.pk))
    page.select_option("#id_sector", str(sectors["terroir"].pk))
    page.fill("#id_members_total", "18")
    page.fill("#id_members_women", "15")
    page.check("#id_women_led")
    page.fill("#id_phone", "0612345678")
    page.fill("#id_description_ar", "كسكس تقليدي مفتول باليد من قمح المنطقة")
    assert_no_horizontal_scroll(page)
    page.click(SUBMIT)
    page.wait_for_url("**/ar/my/organizations/")
    with scopes_disabled():
        organization = Organization.objects.get()
        assert Representation.objects.filter(user=user, organization=organization,
                                             status=Representation.Status.APPROVED).exists()
    assert organization.province == province and organization.members_women == 15 and organization.women_led
    assert page.locator(f"#organization-{organization.pk} h2").inner_text().strip() == "تعاونية الأمل للكسكس"
    assert_no_horizontal_scroll(page)

    # Add a product with a photo.
    page.locator(f"#organization-{organization.pk} a[href$='/products/new/']").click()
    page.wait_for_url(f"**/ar/my/organizations/{organization.pk}/products/new/")
    page.fill("#id_name_ar", "كسكس الشعير")
    page.fill("#id_name_fr", "Couscous d'orge")
    page.select_option("#id_category", str(sectors["terroir"].pk))
    page.fill("#id_price", "45")
    page.select_option("#id_unit", "kg")
    page.fill("#id_sanitary_authorization", "ONSSA-2024-118")
    page.check("#id_terroir_label")
    page.fill("#id_description_ar", "كسكس الشعير المفتول يدويا")
    page.set_input_files("#id_photos", str(jpeg))
    assert_no_horizontal_scroll(page)
    screenshot(page, "product-form-ar")
    page.click(SUBMIT)
    page.wait_for_url("**/ar/my/products/*/edit/")
    with scopes_disabled():
        product = Product.objects.get()
        photo = ProductPhoto.objects.get(product=product)
    assert product.organization == organization and product.price == 45 and product.unit == "kg"
    assert (photo.width, photo.height) == (640, 480)
    assert Path(photo.image.path).is_file() and Path(photo.image.path).is_relative_to(media_files)

    # The public product page shows the photo, loaded from the server.
    page.goto(f"/ar/products/{product.pk}/")
    assert page.locator("main h1").inner_text().strip() == "كسكس الشعير"
    image = page.locator(".gallery img").first
    image.scroll_into_view_if_needed()
    assert image.get_attribute("src") == photo.image.url
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [640, 480]
    assert image.bounding_box()["width"] <= 360
    assert_no_horizontal_scroll(page)

    # So does the organization's public page, with its product.
    page.locator(f"main a[href='/ar/organizations/{organization.pk}/']").first.click()
    page.wait_for_url(f"**/ar/organizations/{organization.pk}/")
    assert page.locator("main h1").inner_text().strip() == "تعاونية الأمل للكسكس"
    assert page.locator(f"main a[href='/ar/products/{product.pk}/']").count() >= 1
    product_image = page.locator(f"main img[src='{photo.image.url}']").first
    product_image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=product_image.element_handle())
    assert_no_horizontal_scroll(page)
    screenshot(page, "organization-ar")
