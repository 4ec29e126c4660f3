"""Staff pressing *Lock the final ranking* on two phones at once, a juror's double tap on *Submit*:
one final ranking, one submission. PostgreSQL runs the transactions really concurrently (threads,
each with its own connection); the prize row is locked and the one-to-one ranking refuses a second."""

import threading

import pytest
from django.db import connection, connections
from django_scopes import scopes_disabled

from tadamon.core.models import ActivityLog
from tadamon.prizes import services
from tadamon.prizes.models import Award, FinalRanking


def _at_once(count, action):
    barrier = threading.Barrier(count)
    done, refused, errors = [], [], []

    def run():
        try:
            barrier.wait(timeout=30)
            with scopes_disabled():
                done.append(action())
        except services.PrizeError as error:
            refused.append(str(error))
        except Exception as exc:  # noqa: BLE001 - collected and reported by the test
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return done, refused, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_final_ranking_when_locked_twice_at_once(scored_prize, fes_staff):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and concurrent transactions)")
    done, refused, errors = _at_once(4, lambda: services.lock_ranking(fes_staff, scored_prize, "minutes"))
    assert not errors, errors
    assert len(done) == 1 and len(refused) == 3
    with scopes_disabled():
        assert FinalRanking.objects.count() == 1 and Award.objects.count() == 2
    assert ActivityLog.objects.with_scopes_disabled().filter(action="prize.ranking_locked").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_double_submit_records_one_submission(prize, category, exhibitor, jury, fes_staff):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and concurrent transactions)")
    from tadamon.prizes.models import Prize

    with scopes_disabled():
        services.nominate(fes_staff, prize, exhibitor("تعاونية"), category, "pitch")
        prize.status = Prize.Status.SCORING
        prize.save()
        services.run_assignment(fes_staff, prize)
        user, member = jury[0]
        sheet = member.assignments.get()
        scores = {str(c.pk): 5 for c in prize.criteria.all()}
    done, refused, errors = _at_once(3, lambda: services.save_scores(user, sheet, scores, submit=True))
    assert not errors, errors
    assert len(done) == 1 and len(refused) == 2
    assert ActivityLog.objects.with_scopes_disabled().filter(action="prize.score_submitted").count() == 1
