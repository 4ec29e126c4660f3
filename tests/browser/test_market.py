"""The solidarity market in a real browser, in Arabic on a 360 px screen: a visitor searches, fills a
basket from two cooperatives, checks her phone with the code received by text message and orders;
the honey cooperative confirms on its phone; at its stand at the fair, the QR code of the buyer's
order is checked (typed: headless Chromium has no camera), the order is handed over with the cash,
and the same code shown a second time is refused."""

import os
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django_scopes import scopes_disabled

from tadamon.core import sms
from tadamon.market.models import Order
from tadamon.registry.demo_pictures import draw
from tadamon.registry.models import ProductPhoto

from ..conftest import PASSWORD
from ..market.conftest import make_fair, represent, sell
from .conftest import CHROMIUM, VIEWPORT, assert_no_horizontal_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
]


def _photo(product, kind):
    photo = ProductPhoto(product=product, width=480, height=360)
    photo.image.save(f"{kind}.jpg", ContentFile(draw(kind)), save=False)
    photo.save()
    return photo


@pytest.fixture
def photos():
    made = []
    yield made
    for photo in made:
        photo.image.delete(save=False)


def _login(context, live_server, email):
    page = context.new_page()
    page.goto("/ar/accounts/login/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/ar/")
    return page


def test_search_basket_phone_code_order_confirm_and_pickup_at_the_stand(
        page, browser, live_server, make_org, make_product, make_user, screenshot, photos):
    honey = make_org("تعاونية النحالين بصفرو", "Coopérative des apiculteurs de Sefrou", province="03.451",
                     women_led=True, phone="0535000001")
    argan = make_org("تعاونية أركان الأطلس", "Coopérative Argan de l'Atlas", province="03.131")
    rep = make_user("rep.honey@example.ma", first_name="Fatima", phone="0611000001")
    represent(rep, honey)
    make_fair(honey, number="A12")
    with scopes_disabled():
        products = {
            "honey": make_product(honey, "عسل الزعتر الحر", "Miel de thym", terroir_label=True),
            "amlou": make_product(honey, "أملو باللوز والعسل", "Amlou aux amandes"),
            "argan_oil": make_product(argan, "زيت الأركان الغذائي", "Huile d'argan alimentaire", terroir_label=True),
        }
        for kind, product in products.items():
            photos.append(_photo(product, kind))
    sell(rep, honey, [(products["honey"], "120", 10), (products["amlou"], "75", 6)])
    sell(None, argan, [(products["argan_oil"], "150", 4)])

    # Search, with the article and without the diacritics the visitor does not type.
    page.goto("/ar/market/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.fill("#id_q", "عسل")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    cards = page.locator("#offers .dir-card")
    assert cards.count() == 2
    assert_no_horizontal_scroll(page)
    screenshot(page, "market-search-ar")
    with scopes_disabled():
        honey_offer = products["honey"].market_offer
        argan_offer = products["argan_oil"].market_offer
    page.fill(f"#q-{honey_offer.pk}", "2")
    page.locator(f"#offer-{honey_offer.pk} button[type=submit]").click()
    page.wait_for_load_state()
    page.goto("/ar/market/?q=أركان")
    page.locator(f"#offer-{argan_offer.pk} button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#basket-link .n").inner_text().strip() == "3"

    # The basket: two organizations, two orders.
    page.click("#basket-link")
    page.wait_for_url("**/ar/market/basket/")
    assert page.locator(".basket-group").count() == 2
    assert_no_horizontal_scroll(page)
    screenshot(page, "market-basket-ar")
    page.click("#to-checkout")
    page.wait_for_url("**/ar/market/checkout/")
    page.fill("#id_name", "عائشة الإدريسي")
    page.fill("#id_phone", "0661 23 45 67")
    assert_no_horizontal_scroll(page)
    screenshot(page, "market-checkout-ar")
    page.locator("#checkout button[type=submit]").click()
    page.wait_for_url("**/ar/market/checkout/code/")
    code = re.search(r"\b\d{6}\b", sms.outbox[-1].body).group()
    assert sms.outbox[-1].to == "0661234567"
    page.fill("#id_code", code)
    assert_no_horizontal_scroll(page)
    screenshot(page, "market-phone-code-ar")
    page.locator("#verify button[type=submit]").click()
    page.wait_for_url("**/ar/market/orders/")
    with scopes_disabled():
        orders = {o.organization_id: o for o in Order.objects.all()}
    assert len(orders) == 2
    honey_order = orders[honey.pk]
    assert honey_order.total == Decimal("240.00") and honey_order.stand_number == "A12"
    page.click(f"text={honey_order.reference}")
    page.wait_for_url("**/ar/market/orders/*/")
    assert page.locator("#qr svg").count() == 1
    shown_code = page.locator("#pickup-code").inner_text().strip()
    assert shown_code == honey_order.grouped_code
    order_url = page.url
    assert_no_horizontal_scroll(page)
    screenshot(page, "market-order-ar")

    # The cooperative, on its phone: the order to confirm, then confirmed.
    context = browser.new_context(viewport=VIEWPORT, locale="ar", base_url=live_server.url)
    seller = _login(context, live_server, rep.email)
    seller.goto("/ar/market/sell/")
    seller.wait_for_url(f"**/ar/market/sell/{honey.pk}/")
    assert honey_order.reference in seller.locator("#to-confirm").inner_text()
    assert_no_horizontal_scroll(seller)
    screenshot(seller, "market-sell-today-ar")
    seller.click(f"#order-{honey_order.pk} a")
    seller.locator("#order-actions button[value=confirm]").click()
    seller.wait_for_load_state()
    with scopes_disabled():
        honey_order.refresh_from_db()
    assert honey_order.status == Order.Status.CONFIRMED
    screenshot(seller, "market-sell-order-ar")

    # Stock and prices, one product at a time.
    seller.goto(f"/ar/market/sell/{honey.pk}/stock/")
    seller.fill(f"#id_p{products['amlou'].pk}-stock", "9")
    seller.locator(f"#product-{products['amlou'].pk} button[type=submit]").click()
    seller.wait_for_load_state()
    with scopes_disabled():
        assert products["amlou"].market_offer.__class__.objects.get(product=products["amlou"]).stock == 9
    assert_no_horizontal_scroll(seller)
    screenshot(seller, "market-sell-stock-ar")

    # At the stand: the code is checked, the order handed over with the cash.
    seller.goto(f"/ar/market/sell/{honey.pk}/")
    seller.fill("#id_code", shown_code)
    seller.locator("#check-code button[type=submit]").click()
    seller.wait_for_url(f"**/market/pickup/{honey_order.pickup_code}/")
    assert seller.locator("#hand-over").is_visible()
    assert_no_horizontal_scroll(seller)
    screenshot(seller, "market-pickup-ar")
    seller.locator("#hand-over button[type=submit]").click()
    seller.wait_for_load_state()
    with scopes_disabled():
        honey_order.refresh_from_db()
        assert honey_order.payments.get().amount == Decimal("240.00")
    assert honey_order.status == Order.Status.PICKED_UP
    # The same code again: refused, clearly.
    seller.goto(f"/ar/market/sell/{honey.pk}/")
    seller.fill("#id_code", shown_code)
    seller.locator("#check-code button[type=submit]").click()
    seller.wait_for_load_state()
    assert seller.locator("#refused").is_visible() and seller.locator("#hand-over").count() == 0
    screenshot(seller, "market-pickup-refused-ar")
    context.close()

    # The buyer's page says it is picked up; the QR code is gone.
    page.goto(order_url)
    assert page.locator("#qr").count() == 0
    assert page.locator("#status.picked_up").count() == 1
