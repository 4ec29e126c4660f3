"""Many people registering for the last places at the same moment: never more confirmed than places.

The PostgreSQL test runs real concurrent transactions (threads, each with its own connection): the
session row is locked with SELECT … FOR UPDATE and the places counted inside the same transaction.
SQLite has no row locks: its transactions start IMMEDIATE (settings), so writers take turns; the
second test runs the same threads there (and on PostgreSQL too). The test database of SQLite lives in
memory with a shared cache, where a writer that finds the database busy fails at once ("database table
is locked") instead of waiting for the busy timeout as the real, file-based database does: there the
threads try again, as the timeout would. A failed attempt is rolled back whole, so trying again is safe."""

import threading
import time

import pytest
from django.db import OperationalError, connection, connections
from django_scopes import scopes_disabled

from tadamon.programme import services
from tadamon.programme.models import Registration, Session

from .conftest import make_edition, make_programme

R = Registration.Status


def _race(session, people, *, same_person_twice=0):
    barrier = threading.Barrier(len(people) + same_person_twice)
    errors, results = [], []

    def attempt(i):
        try:
            barrier.wait(timeout=30)
            for attempt_number in range(200):
                try:
                    registration, _created = services.register(session, name=f"Person {i}",
                                                               phone=f"0650{i:06d}", notify=False)
                    break
                except OperationalError as exc:
                    if connection.vendor != "sqlite" or "locked" not in str(exc) or attempt_number == 199:
                        raise
                    time.sleep(0.01)
            results.append(registration.pk)
        except Exception as exc:  # noqa: BLE001 - collected and reported by the test
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in people]
    threads += [threading.Thread(target=attempt, args=(people[k],)) for k in range(same_person_twice)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, errors


def _session_with_places(region, places):
    programme = make_programme(make_edition(region))
    with scopes_disabled():
        Session.objects.filter(pk=programme["workshop"].pk).update(capacity=places)
        return Session.objects.get(pk=programme["workshop"].pk)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_overbooking_on_postgresql(fes):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and concurrent transactions)")
    session = _session_with_places(fes, 10)
    results, errors = _race(session, list(range(60)), same_person_twice=10)
    assert not errors, errors
    with scopes_disabled():
        rows = Registration.objects.filter(session=session)
        assert rows.filter(status=R.CONFIRMED).count() == 10
        assert rows.filter(status=R.WAITLISTED).count() == 50
        assert rows.count() == 60  # the ten people who clicked twice got their first registration back
    assert len(set(results)) == 60


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_overbooking_with_threads_on_any_database(fes):
    session = _session_with_places(fes, 5)
    results, errors = _race(session, list(range(12)))
    assert not errors, errors
    with scopes_disabled():
        rows = Registration.objects.filter(session=session)
        assert rows.filter(status=R.CONFIRMED).count() == 5
        assert rows.filter(status=R.WAITLISTED).count() == 7
