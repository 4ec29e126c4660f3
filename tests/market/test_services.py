"""The market's operations: a basket split per organization, stock, prices seen by the buyer, the
states of an order with their log entries and messages, the single-use pickup code, the fair's sales
signal, changes only with the buyer's consent, and the phone codes."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.core import sms
from tadamon.core.models import ActivityLog
from tadamon.core.signals import sale_recorded
from tadamon.market import services
from tadamon.market.models import Fulfilment, Offer, Order, Payment, PhoneCode

from .conftest import line, place

S = Order.Status
pytestmark = pytest.mark.django_db


def _stock(offer):
    with scopes_disabled():
        return Offer.objects.get(pk=offer.pk).stock


def test_a_basket_across_two_organizations_makes_one_order_each(market, django_capture_on_commit_callbacks):
    honey, argan = market["honey_offers"], market["argan_offers"]
    with django_capture_on_commit_callbacks(execute=True):
        orders = place([line(honey[0], 2), line(honey[1], 1), line(argan[0], 1)],
                       fulfilments={market["argan"].pk: Fulfilment.DELIVERY},
                       delivery_addresses={market["argan"].pk: "حي النرجس، فاس"})
    assert len(orders) == 2
    by_org = {o.organization_id: o for o in orders}
    honey_order, argan_order = by_org[market["honey"].pk], by_org[market["argan"].pk]
    assert honey_order.total == Decimal("330.00") and argan_order.total == Decimal("150.00")
    # The honey cooperative stands at a running fair: pickup at its stand is offered first.
    assert honey_order.fulfilment == Fulfilment.STAND and honey_order.stand_number == "A01"
    assert honey_order.edition == market["fair"]
    assert argan_order.fulfilment == Fulfilment.DELIVERY and argan_order.delivery_address == "حي النرجس، فاس"
    assert (_stock(honey[0]), _stock(honey[1]), _stock(argan[0])) == (8, 4, 2)
    with scopes_disabled():
        assert ActivityLog.objects.filter(action="market.order_placed").count() == 2
    # The buyer gets a text message per order, each organization one for its new order and an e-mail.
    assert sum(1 for m in sms.outbox if m.to == "0661234567") == 2
    assert any(m.to == "0535000001" for m in sms.outbox)
    assert any("honey@example.ma" in m.to for m in mail.outbox)


def test_quantity_above_stock_is_refused_and_changes_nothing(market):
    honey, argan = market["honey_offers"], market["argan_offers"]
    with pytest.raises(services.MarketError) as error:
        place([line(honey[0], 1), line(argan[0], 4)])
    assert "3" in error.value.messages[0] and "زيت الأركان" in error.value.messages[0]
    with scopes_disabled():
        assert Order.objects.count() == 0
    assert (_stock(honey[0]), _stock(argan[0])) == (10, 3)


def test_a_price_changed_in_the_basket_must_be_accepted(market, honey_rep):
    offer = market["honey_offers"][0]
    services.save_offer(honey_rep, offer.product, price="135", stock=10)
    with pytest.raises(services.MarketError) as error:
        place([line(offer, 1, price="120")])
    assert error.value.kind == "price" and error.value.changes == {offer.pk: Decimal("135.00")}
    with scopes_disabled():
        assert Order.objects.count() == 0
    order = place([line(offer, 1, price="135")])[0]
    assert order.total == Decimal("135.00")


def test_the_same_checkout_sent_twice_makes_no_second_order(market):
    offer = market["honey_offers"][0]
    first = place([line(offer, 2)], key="same")
    second = place([line(offer, 2)], key="same")
    assert [o.pk for o in first] == [o.pk for o in second]
    assert _stock(offer) == 8


def test_bad_quantities_and_fulfilments_are_refused(market):
    offer = market["honey_offers"][0]
    for quantity in (0, -1, 1000):
        with pytest.raises(services.MarketError):
            place([line(offer, quantity)])
    with pytest.raises(services.MarketError):  # the honey cooperative does not deliver
        place([line(offer)], fulfilments={market["honey"].pk: Fulfilment.DELIVERY})
    with pytest.raises(services.MarketError):  # delivery needs an address
        place([line(market["argan_offers"][0])], fulfilments={market["argan"].pk: Fulfilment.DELIVERY})
    with pytest.raises(services.MarketError):
        place([line(offer)], phone="12")
    assert _stock(offer) == 10


def test_every_state_change_is_logged_and_told_and_the_code_works_once(market, honey_rep,
                                                                      django_capture_on_commit_callbacks):
    order = place([line(market["honey_offers"][0], 2)])[0]
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm(honey_rep, order)
        services.mark_ready(honey_rep, order)
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    sale_recorded.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.hand_over(honey_rep, order, code=order.grouped_code.lower())
    finally:
        sale_recorded.disconnect(listener)
    with scopes_disabled():
        order.refresh_from_db()
        actions = list(ActivityLog.objects.filter(object_id=str(order.pk),
                                                  content_type=ContentType.objects.get_for_model(Order)).order_by("pk")
                       .values_list("action", flat=True))
        payment = Payment.objects.get(order=order)
    assert order.status == S.PICKED_UP and order.handed_over_by == honey_rep
    assert actions == ["market.order_placed", "market.order_confirmed", "market.order_ready",
                       "market.order_picked_up", "market.payment_recorded"]
    assert payment.provider == "cash" and payment.amount == Decimal("240.00")
    assert [m.to for m in sms.outbox] == ["0661234567"] * 3
    assert len(received) == 1 and received[0]["edition"] == market["fair"]
    assert received[0]["amount"] == Decimal("240.00") and received[0]["lines"] == [("العسل الحر", 2)]
    assert received[0]["reference"] == f"market-order-{order.reference}"
    with pytest.raises(services.MarketError) as error:
        services.hand_over(honey_rep, order, code=order.pickup_code)
    assert error.value.kind == "used"
    with scopes_disabled():
        assert Payment.objects.filter(order=order).count() == 1
        assert ActivityLog.objects.filter(action="market.pickup_refused", object_id=str(order.pk)).exists()


def test_a_wrong_code_and_a_cancelled_order_are_refused(market, honey_rep):
    order = place([line(market["honey_offers"][0], 1)])[0]
    with pytest.raises(services.MarketError):
        services.hand_over(honey_rep, order, code="WRONGCODE1")
    with pytest.raises(services.MarketError):
        services.cancel(honey_rep, order, reason="")  # the buyer must read why
    services.cancel(honey_rep, order, reason="نفد العسل")
    assert _stock(market["honey_offers"][0]) == 10
    with pytest.raises(services.MarketError) as error:
        services.hand_over(honey_rep, order, code=order.pickup_code)
    assert error.value.kind == "cancelled"


def test_no_sale_signal_outside_the_fair(market, argan_rep, django_capture_on_commit_callbacks):
    order = place([line(market["argan_offers"][0], 1)])[0]
    assert order.fulfilment == Fulfilment.ORGANIZATION and order.edition is None
    received = []
    sale_recorded.connect(lambda sender, **kw: received.append(kw), weak=False, dispatch_uid="test-outside")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.hand_over(argan_rep, order)
    finally:
        sale_recorded.disconnect(dispatch_uid="test-outside")
    assert received == []


def test_the_buyer_cancels_only_before_ready(market, honey_rep):
    order = place([line(market["honey_offers"][0], 1)])[0]
    services.confirm(honey_rep, order)
    services.mark_ready(honey_rep, order)
    with pytest.raises(services.MarketError):
        services.cancel(None, order, by_buyer=True)


def test_a_confirmed_total_changes_only_with_the_buyers_consent(market, honey_rep):
    offer = market["honey_offers"][0]
    order = place([line(offer, 3)])[0]
    services.confirm(honey_rep, order)
    services.save_offer(honey_rep, offer.product, price="200", stock=7)  # a new price: not for this order
    with scopes_disabled():
        order.refresh_from_db()
    assert order.total == Decimal("360.00")
    first_line = order.lines.get()
    with pytest.raises(services.MarketError):
        services.propose_change(honey_rep, order, {first_line.pk: 5}, reason="أكثر")  # only lower
    services.propose_change(honey_rep, order, {first_line.pk: 1}, reason="انكسرت قارورتان")
    with scopes_disabled():
        order.refresh_from_db()
    assert order.total == Decimal("360.00") and order.proposed_total == Decimal("120.00")
    with pytest.raises(services.MarketError):
        services.mark_ready(honey_rep, order)  # waits for the buyer
    services.answer_change(order, accept=False)
    with scopes_disabled():
        order.refresh_from_db()
    assert order.total == Decimal("360.00") and order.proposed_total is None
    services.propose_change(honey_rep, order, {first_line.pk: 1}, reason="انكسرت قارورتان")
    services.answer_change(order, accept=True)
    with scopes_disabled():
        order.refresh_from_db()
        assert order.lines.get().quantity == 1
    assert order.total == Decimal("120.00") and _stock(offer) == 9


def test_phone_codes(db):
    now = timezone.now()
    phone = services.send_phone_code("+212 6 61 23 45 67", now=now)
    assert phone == "0661234567"
    code = re.search(r"\b\d{6}\b", sms.outbox[-1].body).group()
    with pytest.raises(services.MarketError):  # asked again within a minute
        services.send_phone_code(phone, now=now + timedelta(seconds=10))
    with pytest.raises(services.MarketError):
        services.check_phone_code(phone, "000000" if code != "000000" else "111111", now=now)
    assert services.check_phone_code(phone, code, now=now)
    with pytest.raises(services.MarketError):  # used
        services.check_phone_code(phone, code, now=now)
    services.send_phone_code(phone, now=now + timedelta(minutes=2))
    with pytest.raises(services.MarketError) as error:
        services.check_phone_code(phone, "123456", now=now + timedelta(minutes=20))
    assert error.value.kind == "expired"
    assert PhoneCode.objects.filter(phone=phone).count() == 2


def test_too_many_wrong_codes(db):
    now = timezone.now()
    services.send_phone_code("0661234567", now=now)
    for _i in range(services.CODE_MAX_ATTEMPTS):
        with pytest.raises(services.MarketError):
            services.check_phone_code("0661234567", "999999x", now=now)
    with pytest.raises(services.MarketError) as error:
        services.check_phone_code("0661234567", "999999", now=now)
    assert error.value.kind == "expired"


def test_stock_never_below_zero_in_the_database(market):
    from django.db import IntegrityError, transaction

    offer = market["honey_offers"][0]
    with pytest.raises(IntegrityError), transaction.atomic(), scopes_disabled():
        Offer.objects.filter(pk=offer.pk).update(stock=-1)


def test_stale_orders_are_cancelled_and_restocked(market):
    from django.core.management import call_command

    offer = market["honey_offers"][0]
    old, recent = place([line(offer, 2)], key="old")[0], place([line(offer, 1)], key="recent")[0]
    with scopes_disabled():
        Order.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=4))
    call_command("cancel-stale-orders", "--days", "3")
    with scopes_disabled():
        old.refresh_from_db()
        recent.refresh_from_db()
    assert old.status == S.CANCELLED and old.cancel_reason and recent.status == S.PLACED
    assert _stock(offer) == 9
