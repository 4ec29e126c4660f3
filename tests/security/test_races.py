"""Races on PostgreSQL with real concurrent transactions (threads, each with its own connection),
started together by a barrier: staff placing exhibitors on the same stand, reviewers saving the
same application. (The last seat of a session: tests/programme/test_race.py.)"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django_scopes import scopes_disabled

from tadamon.fairs import placement, services
from tadamon.fairs.floor_models import Stand
from tadamon.fairs.models import Criterion, Review
from tadamon.fairs.placement import AllocationError

from ..fairs.floor_fixtures import arabic, fair_fixture  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _together(calls):
    """Run every call at the same moment, each in its own thread and connection; (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=30)
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - returned to the test
            errors[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, errors


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and concurrent transactions)")


def test_staff_placing_exhibitors_on_the_same_stand_fill_it_once(fair, fes_staff, national_admin, make_user):
    with scopes_disabled():
        stand = Stand.objects.filter(edition=fair["edition"], pole=fair["products"]).order_by("number").first()
        Stand.objects.filter(pk=stand.pk).update(capacity=1)
        stand.refresh_from_db()
    contenders = fair["applications"][2:6]  # no special needs: each one fits the stand
    actors = [fes_staff, national_admin, fes_staff, national_admin]
    results, errors = _together([lambda a=a, who=who: placement.place(who, a, stand)
                                 for a, who in zip(contenders, actors, strict=True)])
    placed = [r for r in results if r is not None]
    assert len(placed) == 1
    refused = [e for e in errors if e is not None]
    assert len(refused) == 3 and all(isinstance(e, AllocationError) for e in refused), errors
    with scopes_disabled():
        assert stand.assignments.count() == 1


def test_reviewers_saving_the_same_application_at_once_all_count(fair, make_user, fes):
    from tadamon.core.models import Role

    edition, application = fair["edition"], fair["applications"][0]
    with scopes_disabled():
        criterion = Criterion.objects.create(edition=edition, name_ar="الجودة", name_fr="Qualité", weight=1,
                                             max_points=10)
    reviewers = [make_user(f"reviewer{i}@example.ma", Role.REGIONAL_STAFF, fes) for i in range(6)]
    scores = [2, 4, 6, 8, 10, 9]
    calls = [lambda r=r, s=s: services.save_review(r, application, {criterion.pk: s})
             for r, s in zip(reviewers, scores, strict=True)]
    # The first reviewer also clicks twice: one review, not two, and no error.
    calls.append(lambda: services.save_review(reviewers[0], application, {criterion.pk: 2}))
    _results, errors = _together(calls)
    assert errors == [None] * len(calls)
    with scopes_disabled():
        application.refresh_from_db()
        assert Review.objects.filter(application=application).count() == 6
        # The application's score is the mean of every review, none lost to a concurrent save.
        every_review = services.weighted_score(edition, Review.objects.filter(application=application))
        assert application.score == every_review == Decimal("65.000")  # mean of 2…9 out of 10, in points of 100
