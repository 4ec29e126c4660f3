"""Many organizations booking the same service for overlapping times at the same moment: exactly one
gets it. On PostgreSQL the threads run real concurrent transactions, each with its own connection:
the service row is locked with SELECT … FOR UPDATE and the overlapping bookings counted inside the
same transaction. SQLite has no row locks: its transactions start IMMEDIATE, so writers take turns
(the in-memory test database fails at once when busy, so the threads try again, as the busy timeout
of the real database would; a failed attempt is rolled back whole)."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, connections
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.consult import services
from tadamon.consult.models import Booking
from tadamon.core.models import Province
from tadamon.registry.models import Organization, Sector

from .conftest import make_service


def _organizations(n):
    with scopes_disabled():
        province, sector = Province.objects.get(code="03.131"), Sector.objects.first()
        return [Organization.objects.create(name_ar=f"تعاونية {i}", province=province, sector=sector)
                for i in range(n)]


def _race(service, organizations, start):
    barrier = threading.Barrier(len(organizations))
    won, refused, errors = [], [], []

    def attempt(i, organization):
        try:
            barrier.wait(timeout=30)
            # Every request overlaps every other one: starts within the first hour, lasts two hours.
            starts = start + timedelta(minutes=i % 60)
            for attempt_number in range(300):
                try:
                    with scopes_disabled():
                        booking = services.book(None, service, organization, starts_at=starts,
                                                ends_at=starts + timedelta(hours=2))
                    won.append(booking.pk)
                    break
                except services.ConsultError:
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

    threads = [threading.Thread(target=attempt, args=(i, org)) for i, org in enumerate(organizations)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return won, refused, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_double_booking_on_postgresql(fes):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and concurrent transactions)")
    service = make_service(fes)
    won, refused, errors = _race(service, _organizations(40), timezone.now() + timedelta(days=3))
    assert not errors, errors
    assert len(won) == 1 and len(refused) == 39
    with scopes_disabled():
        assert Booking.objects.filter(service=service).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_double_booking_with_threads_on_any_database(fes):
    service = make_service(fes)
    won, refused, errors = _race(service, _organizations(10), timezone.now() + timedelta(days=3))
    assert not errors, errors
    assert len(won) == 1 and len(refused) == 9
    with scopes_disabled():
        assert Booking.objects.filter(service=service).count() == 1
