"""The market's pages: the catalogue searched through the registry's search, the basket, the checkout
with a phone code, the buyer's order page, and the sellers' space with its permissions."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from tadamon.core import sms
from tadamon.market import services
from tadamon.market.models import Offer, Order

from .conftest import line, place

S = Order.Status
pytestmark = pytest.mark.django_db


def _code():
    return re.search(r"\b\d{6}\b", sms.outbox[-1].body).group()


def test_catalogue_search_is_the_registrys_arabic_search(client, market):
    response = client.get(reverse("market:catalogue"), {"q": "عسل"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "العسل الحر" in text and "عسل الزعتر" in text and "زيت الأركان" not in text
    # Diacritics and a typo: the registry's normalization and typo tolerance.
    assert "زيت الأركان" in client.get(reverse("market:catalogue"), {"q": "الأرْكان"}).content.decode()
    assert "الزعفران الحر" in client.get(reverse("market:catalogue"), {"q": "زعفرن"}).content.decode()


def test_catalogue_filters(client, market):
    women = client.get(reverse("market:catalogue"), {"women_led": "on"}).content.decode()
    assert "العسل الحر" in women and "زيت الأركان" not in women
    terroir = client.get(reverse("market:catalogue"), {"terroir": "on", "q": "عسل"}).content.decode()
    assert "العسل الحر" in terroir and "عسل الزعتر" not in terroir
    marrakech = client.get(reverse("market:catalogue"), {"region": "07"}).content.decode()
    assert "الزعفران الحر" in marrakech and "العسل الحر" not in marrakech
    bad = client.get(reverse("market:catalogue"), {"region": "99", "page": "x"})
    assert bad.status_code == 200


def test_products_not_on_sale_are_not_shown(client, market, honey_rep):
    services.save_offer(honey_rep, market["honey_offers"][1].product, price="90", stock=5, is_listed=False)
    text = client.get(reverse("market:catalogue")).content.decode()
    assert "عسل الزعتر" not in text and "العسل الحر" in text


def test_a_visitor_orders_with_a_phone_code(client, market, django_capture_on_commit_callbacks):
    honey, argan = market["honey_offers"][0], market["argan_offers"][0]
    client.post(reverse("market:basket_add"), {"offer": honey.pk, "quantity": 2})
    client.post(reverse("market:basket_add"), {"offer": argan.pk, "quantity": 1})
    basket = client.get(reverse("market:basket")).content.decode()
    assert "العسل الحر" in basket and "زيت الأركان" in basket
    page = client.get(reverse("market:checkout"))
    assert page.status_code == 200
    response = client.post(reverse("market:checkout"), {
        "name": "عائشة", "phone": "06 61 23 45 67", f"how_{market['honey'].pk}": "stand",
        f"how_{market['argan'].pk}": "organization"})
    assert response.status_code == 302 and response.url == reverse("market:checkout_verify")
    with scopes_disabled():
        assert Order.objects.count() == 0
    wrong = client.post(reverse("market:checkout_verify"), {"code": "000000" if _code() != "000000" else "111111"})
    assert wrong.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("market:checkout_verify"), {"code": _code()})
    assert done.status_code == 302 and done.url == reverse("market:my_orders")
    with scopes_disabled():
        orders = list(Order.objects.order_by("pk"))
    assert len(orders) == 2 and {o.buyer_phone for o in orders} == {"0661234567"}
    mine = client.get(reverse("market:my_orders")).content.decode()
    assert all(o.reference in mine for o in orders)
    # The second time, the phone is already checked in this browser: no new code.
    client.post(reverse("market:basket_add"), {"offer": honey.pk, "quantity": 1})
    sent = len(sms.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("market:checkout"), {"name": "عائشة", "phone": "0661234567",
                                                         f"how_{market['honey'].pk}": "stand"})
    assert again.status_code == 302 and "/market/orders/" in again.url
    with scopes_disabled():
        assert Order.objects.count() == 3
    assert len(sms.outbox) == sent + 2  # the buyer's and the organization's messages, no code


def test_order_clicked_twice_places_the_basket_once(client, market, plain_user):
    """The second click reads the session as it was before the first one's answer (or the server died
    after placing the order, before saving the session): the basket's key places it only once."""
    from django.contrib.sessions.backends.db import SessionStore

    offer = market["honey_offers"][0]
    client.force_login(plain_user)
    client.post(reverse("market:basket_add"), {"offer": offer.pk, "quantity": 2})
    before = dict(client.session.items())
    data = {"name": "Amina", "phone": "0661234567", f"how_{market['honey'].pk}": "stand"}
    first = client.post(reverse("market:checkout"), data)
    store = SessionStore(session_key=client.session.session_key)
    store.clear()
    store.update(before)
    store.save()
    second = client.post(reverse("market:checkout"), data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert "/market/orders/" in second.url
    with scopes_disabled():
        assert Order.objects.count() == 1 and Offer.objects.get(pk=offer.pk).stock == 8
    # A new basket is a new order.
    client.post(reverse("market:basket_add"), {"offer": offer.pk, "quantity": 1})
    client.post(reverse("market:checkout"), data)
    with scopes_disabled():
        assert Order.objects.count() == 2


def test_quantity_above_stock_in_the_basket(client, market, argan_rep):
    argan = market["argan_offers"][0]
    response = client.post(reverse("market:basket_add"), {"offer": argan.pk, "quantity": 5}, follow=True)
    assert "3" in response.content.decode() and client.session.get("market_basket") in (None, {})
    client.post(reverse("market:basket_add"), {"offer": argan.pk, "quantity": 3})
    with scopes_disabled():
        Offer.objects.filter(pk=argan.pk).update(stock=1)
    basket = client.get(reverse("market:basket")).content.decode()
    assert 'id="to-checkout"' not in basket
    client.force_login(argan_rep)
    response = client.post(reverse("market:checkout"), {"name": "Ali", "phone": "0661234567",
                                                        f"how_{market['argan'].pk}": "organization"}, follow=True)
    assert "1" in response.content.decode()
    with scopes_disabled():
        assert Order.objects.count() == 0


def test_a_price_changed_while_in_the_basket_is_shown_and_must_be_accepted(client, market, honey_rep, plain_user):
    offer = market["honey_offers"][0]
    client.force_login(plain_user)
    client.post(reverse("market:basket_add"), {"offer": offer.pk, "quantity": 1})
    services.save_offer(honey_rep, offer.product, price="135", stock=10)
    basket = client.get(reverse("market:basket")).content.decode()
    assert 'id="price-changed"' in basket and "135" in basket and 'id="to-checkout"' not in basket
    data = {"name": "Amina", "phone": "0661234567", f"how_{market['honey'].pk}": "stand"}
    refused = client.post(reverse("market:checkout"), data)
    assert refused.status_code == 302 and refused.url == reverse("market:basket")
    with scopes_disabled():
        assert Order.objects.count() == 0
    client.post(reverse("market:basket_update"), {"accept_prices": "1"})
    placed = client.post(reverse("market:checkout"), data)
    assert placed.status_code == 302
    with scopes_disabled():
        order = Order.objects.get()
    assert order.total == Decimal("135.00") and order.buyer == plain_user


def test_order_page_by_signed_link_only(client, market):
    order = place([line(market["honey_offers"][0])])[0]
    token = services.order_token(order)
    page = client.get(reverse("market:order", args=[token]))
    assert page.status_code == 200 and 'id="qr"' in page.content.decode()
    assert client.get(reverse("market:order", args=[f"{order.pk}:forged"])).status_code == 404
    client.post(reverse("market:order_cancel", args=[token]))
    with scopes_disabled():
        order.refresh_from_db()
    assert order.status == S.CANCELLED


@pytest.mark.parametrize("name", ["sell_dashboard", "sell_stock", "sell_orders", "sell_settings"])
def test_seller_pages_need_a_login_and_the_organization(client, market, name, make_user, honey_rep, argan_rep,
                                                        fes_staff, marrakech_staff):
    url = reverse(f"market:{name}", args=[market["honey"].pk])
    assert client.get(url).status_code == 302 and "/accounts/login/" in client.get(url).url
    client.force_login(honey_rep)
    assert client.get(url).status_code == 200
    client.force_login(argan_rep)
    assert client.get(url).status_code == 404
    client.force_login(fes_staff)
    assert client.get(url).status_code == 200
    client.force_login(marrakech_staff)
    assert client.get(url).status_code == 404


def test_other_organizations_orders_are_404(client, market, honey_rep, argan_rep, marrakech_staff):
    order = place([line(market["honey_offers"][0])])[0]
    for user in (argan_rep, marrakech_staff):
        client.force_login(user)
        assert client.get(reverse("market:sell_order", args=[order.pk])).status_code == 404
        assert client.post(reverse("market:sell_order_action", args=[order.pk]),
                           {"action": "confirm"}).status_code == 404
        assert client.get(reverse("market:pickup", args=[order.pickup_code])).status_code == 404
    with scopes_disabled():
        order.refresh_from_db()
    assert order.status == S.PLACED
    client.logout()
    assert client.get(reverse("market:pickup", args=[order.pickup_code])).status_code == 302


def test_the_organization_confirms_and_hands_over_at_the_stand(client, market, honey_rep):
    order = place([line(market["honey_offers"][0], 2)])[0]
    client.force_login(honey_rep)
    dashboard = client.get(reverse("market:sell_dashboard", args=[market["honey"].pk])).content.decode()
    assert order.reference in dashboard
    client.post(reverse("market:sell_order_action", args=[order.pk]), {"action": "confirm"})
    with scopes_disabled():
        order.refresh_from_db()
    assert order.status == S.CONFIRMED
    typed = client.post(reverse("market:sell_code", args=[market["honey"].pk]), {"code": order.grouped_code.lower()})
    assert typed.status_code == 302 and typed.url == reverse("market:pickup", args=[order.pickup_code])
    page = client.get(typed.url)
    assert 'id="hand-over"' in page.content.decode()
    client.post(typed.url, {"cash": "on"})
    with scopes_disabled():
        order.refresh_from_db()
        assert order.payments.get().amount == Decimal("240.00")
    assert order.status == S.PICKED_UP
    # The same code a second time: refused clearly, nothing changes.
    again = client.post(typed.url, {"cash": "on"})
    assert again.status_code == 409 and 'id="refused"' in again.content.decode()
    assert 'id="refused"' in client.get(typed.url).content.decode()
    with scopes_disabled():
        assert order.payments.count() == 1
    unknown = client.post(reverse("market:sell_code", args=[market["honey"].pk]), {"code": "NOPE"}, follow=True)
    assert unknown.status_code == 200 and "messages" in unknown.content.decode()


def test_cancelling_needs_a_reason(client, market, honey_rep):
    order = place([line(market["honey_offers"][0], 2)])[0]
    client.force_login(honey_rep)
    client.post(reverse("market:sell_order_action", args=[order.pk]), {"action": "cancel", "reason": ""})
    with scopes_disabled():
        order.refresh_from_db()
    assert order.status == S.PLACED
    client.post(reverse("market:sell_order_action", args=[order.pk]), {"action": "cancel", "reason": "نفد"})
    with scopes_disabled():
        order.refresh_from_db()
        assert Offer.objects.get(pk=market["honey_offers"][0].pk).stock == 10
    assert order.status == S.CANCELLED


def test_stock_updates_and_bad_input(client, market, honey_rep):
    offer = market["honey_offers"][0]
    client.force_login(honey_rep)
    url = reverse("market:sell_stock", args=[market["honey"].pk])
    prefix = f"p{offer.product_id}"
    bad = client.post(url, {"product": offer.product_id, f"{prefix}-price": "-3", f"{prefix}-unit": "piece",
                            f"{prefix}-stock": "-1", f"{prefix}-is_listed": "on"})
    assert bad.status_code == 400
    with scopes_disabled():
        assert Offer.objects.get(pk=offer.pk).stock == 10
    client.post(url, {"product": offer.product_id, f"{prefix}-price": "110", f"{prefix}-unit": "kg",
                      f"{prefix}-stock": "25", f"{prefix}-is_listed": "on"})
    with scopes_disabled():
        offer.refresh_from_db()
    assert (offer.price, offer.stock, offer.unit) == (Decimal("110.00"), 25, "kg")
    other = market["argan_offers"][0]
    assert client.post(url, {"product": other.product_id}).status_code == 404


def test_joining_the_market(client, make_org, make_user):
    from .conftest import represent

    organization = make_org("تعاونية جديدة", province="03.131")
    user = make_user("new.rep@example.ma")
    represent(user, organization)
    client.force_login(user)
    home = client.get(reverse("market:sell_home"))
    assert home.status_code == 302
    assert 'id="join"' in client.get(home.url).content.decode()
    client.post(reverse("market:sell_settings", args=[organization.pk]), {"is_open": "on", "pickup_address": "فاس"})
    with scopes_disabled():
        assert organization.market_seller.pickup_address == "فاس"


def test_other_languages_and_no_open_redirect(client, market):
    assert "Marché solidaire" in client.get("/fr/market/").content.decode()
    assert "Solidarity market" in client.get("/en/market/").content.decode()
    offer = market["honey_offers"][0]
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        response = client.post(reverse("market:basket_add"), {"offer": offer.pk, "quantity": 1, "next": target})
        assert response.status_code == 302 and "evil" not in response.url
    kept = client.post(reverse("market:basket_add"), {"offer": offer.pk, "quantity": 1, "next": "/ar/market/?q=x"})
    assert kept.url == "/ar/market/?q=x"
