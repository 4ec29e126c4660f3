"""Many buyers ordering the last units at the same moment: never more sold than in stock.

Real threads, each with its own database connection, place baskets sharing the same products in
different orders (to provoke deadlocks if the offers were locked in basket order). On PostgreSQL the
offers are locked with SELECT … FOR UPDATE in the order of their ids; SQLite's writers take turns
(IMMEDIATE transactions); its in-memory test database fails a busy writer at once instead of waiting,
so the threads try again there, as the busy timeout of the real database does."""

import threading
import time

import pytest
from django.db import OperationalError, connection, connections
from django_scopes import scopes_disabled

from tadamon.market import services
from tadamon.market.models import Offer, Order, OrderLine

from .conftest import line


def _race(baskets):
    barrier = threading.Barrier(len(baskets))
    placed, refused, errors = [], [], []

    def attempt(i, lines):
        try:
            barrier.wait(timeout=30)
            for attempt_number in range(300):
                try:
                    orders = services.place_orders(lines, name=f"Buyer {i}", phone=f"0650{i:06d}",
                                                   checkout_key=f"race-{i}", notify=False)
                    placed.extend(o.pk for o in orders)
                    break
                except services.MarketError:
                    refused.append(i)
                    break
                except OperationalError as exc:
                    if connection.vendor != "sqlite" or "locked" not in str(exc) or attempt_number == 299:
                        raise
                    time.sleep(0.01)
        except Exception as exc:  # noqa: BLE001 - collected and reported by the test
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i, lines)) for i, lines in enumerate(baskets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    return placed, refused, errors


def _check(offers, stocks):
    with scopes_disabled():
        for offer, stock in zip(offers, stocks, strict=True):
            sold = sum(OrderLine.objects.filter(offer=offer).values_list("quantity", flat=True))
            left = Offer.objects.get(pk=offer.pk).stock
            assert left >= 0 and sold + left == stock, (offer.pk, sold, left, stock)
    return sold


def _baskets(offers, n):
    a, b, c = offers
    # Two products each, in both orders, quantities 1 or 2.
    shapes = [[line(a, 1), line(b, 2)], [line(b, 1), line(a, 1)], [line(c, 2), line(a, 1)], [line(b, 1), line(c, 1)]]
    return [shapes[i % len(shapes)] for i in range(n)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_overselling_on_postgresql(market):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and concurrent transactions)")
    offers = [*market["honey_offers"], market["argan_offers"][0]]  # stocks 10, 5, 3
    placed, refused, errors = _race(_baskets(offers, 40))
    assert not errors, errors
    _check(offers, [10, 5, 3])
    assert placed and refused
    with scopes_disabled():
        assert Offer.objects.filter(stock__lt=0).count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_overselling_with_threads_on_any_database(market):
    offers = [*market["honey_offers"], market["argan_offers"][0]]
    placed, refused, errors = _race(_baskets(offers, 12))
    assert not errors, errors
    _check(offers, [10, 5, 3])
    with scopes_disabled():
        assert Order.objects.count() == len(placed)
    assert refused
