"""Funding files: preparation, decision, tranches never above the amount granted (under a row lock),
a loan's repayment schedule, documents checked for type and size; and the indicators."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_scopes import scopes_disabled

from tadamon.core.models import ActivityLog
from tadamon.support import funding
from tadamon.support.forms import DocumentForm
from tadamon.support.indicators import indicator_rows, indicators, survival
from tadamon.support.models import Cohort, FundingFile, Participant, Tranche
from tadamon.support.services import SupportError

pytestmark = pytest.mark.django_db

PLAN = {"kind": "grant", "project_title": "وحدة التلفيف", "market": "محلات فاس", "investments": "آلة تلفيف",
        "amount_requested": Decimal("100000")}


def approved(participant, staff, amount=80000, **extra):
    with scopes_disabled():
        file = funding.save_file(None, participant, {**PLAN, **extra})
        funding.submit_file(None, file)
        return funding.decide(staff, file, approve=True, amount=amount, loan_months=extra.get("months", 0))


def test_a_file_is_prepared_sent_and_then_frozen(participant, representative):
    with scopes_disabled():
        file = funding.save_file(representative, participant, {**PLAN, "market": ""})
        with pytest.raises(SupportError):
            funding.submit_file(representative, file)  # the market is missing
        file = funding.save_file(representative, participant, PLAN)
        funding.submit_file(representative, file)
        with pytest.raises(SupportError):
            funding.save_file(representative, participant, {**PLAN, "amount_requested": Decimal("1")})
        assert FundingFile.objects.get().amount_requested == Decimal("100000")


def test_a_decision_is_bounded_by_the_request_and_a_refusal_needs_a_reason(participant, fes_staff):
    with scopes_disabled():
        file = funding.save_file(None, participant, PLAN)
        funding.submit_file(None, file)
        for kwargs in ({"approve": True, "amount": 150000}, {"approve": True, "amount": 0},
                       {"approve": True, "amount": "abc"}, {"approve": False, "reason": ""}):
            with pytest.raises(SupportError):
                funding.decide(fes_staff, file, **kwargs)
        file.refresh_from_db()
        assert file.status == FundingFile.Status.SUBMITTED
        funding.decide(fes_staff, file, approve=False, reason="خارج سقف البرنامج")
        assert ActivityLog.objects.filter(action="support.funding_refused", reason="خارج سقف البرنامج").exists()


def test_a_tranche_above_the_amount_granted_is_refused_and_changes_nothing(participant, fes_staff):
    file = approved(participant, fes_staff)
    with scopes_disabled():
        funding.add_tranche(fes_staff, file, amount=50000, paid_on=date.today())
        with pytest.raises(SupportError) as error:
            funding.add_tranche(fes_staff, file, amount="30000.01", paid_on=date.today())
        assert "30000.01" in str(error.value)
        funding.add_tranche(fes_staff, file, amount=30000, paid_on=date.today())
        with pytest.raises(SupportError):
            funding.add_tranche(fes_staff, file, amount="0.01", paid_on=date.today())
        for bad in (0, -5, "x"):
            with pytest.raises(SupportError):
                funding.add_tranche(fes_staff, file, amount=bad, paid_on=date.today())
        assert funding.paid_total(file) == Decimal("80000")
        assert Tranche.objects.count() == 2
        assert ActivityLog.objects.filter(action="support.tranche_paid").count() == 2


def test_no_tranche_before_approval(participant, fes_staff):
    with scopes_disabled():
        file = funding.save_file(None, participant, PLAN)
        with pytest.raises(SupportError):
            funding.add_tranche(fes_staff, file, amount=10, paid_on=date.today())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_tranches_recorded_at_the_same_moment_never_go_above_the_amount_granted(participant, fes_staff):
    """Several staff record tranches at once: the row lock serves them one after the other."""
    file = approved(participant, fes_staff, amount=100000)
    results = []

    def pay():
        try:
            with scopes_disabled():
                funding.add_tranche(None, file, amount=30000, paid_on=date.today())
            results.append("ok")
        except SupportError:
            results.append("refused")
        except Exception as error:  # SQLite may answer "database is locked" to a waiting writer
            results.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with scopes_disabled():
        assert funding.paid_total(file) <= Decimal("100000")
        assert Tranche.objects.count() == results.count("ok") <= 3


def test_a_loan_gets_its_repayment_schedule(participant, fes_staff):
    file = approved(participant, fes_staff, amount=10000, kind="loan", months=3)
    with scopes_disabled():
        rows = list(file.repayments.all())
        assert [r.amount for r in rows] == [Decimal("3333.33"), Decimal("3333.33"), Decimal("3333.34")]
        assert sum(r.amount for r in rows) == file.amount_granted
        assert rows[0].due_on > date.today() and rows[1].due_on > rows[0].due_on
        funding.mark_repaid(fes_staff, rows[0])
        rows[0].refresh_from_db()
        assert rows[0].paid_on == date.today()


def test_a_loan_needs_its_number_of_instalments(participant, fes_staff):
    with scopes_disabled():
        file = funding.save_file(None, participant, {**PLAN, "kind": "loan"})
        funding.submit_file(None, file)
        with pytest.raises(SupportError):
            funding.decide(fes_staff, file, approve=True, amount=1000, loan_months=0)


def test_documents_are_checked_for_type_and_size():
    script = SimpleUploadedFile("plan.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    form = DocumentForm({"title": "plan"}, {"file": script})
    assert not form.is_valid() and "file" in form.errors
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (6 * 1024 * 1024), content_type="application/pdf")
    assert not DocumentForm({"title": "plan"}, {"file": big}).is_valid()
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf")
    assert DocumentForm({"title": "plan"}, {"file": pdf}).is_valid()


# ---- indicators -----------------------------------------------------------------------------------

def test_indicators_of_a_cohort(participant, fes_staff, cohort, organization, representative):
    file = approved(participant, fes_staff, amount=60000)
    with scopes_disabled():
        funding.add_tranche(fes_staff, file, amount=20000, paid_on=date.today())
        figures = indicators(Cohort.objects.filter(pk=participant.cohort_id))
    assert figures["applications"] == 1 and figures["selected"] == 1 and figures["women_led"] == 1
    assert figures["funds_granted"] == Decimal("60000") and figures["funds_paid"] == Decimal("20000")
    assert figures["survival_1y"] is None  # the cohort has not ended
    rows = {key: value for key, _label, value in indicator_rows(participant.region)}
    assert rows["support.selected"] == 1 and "support.survival_1y" not in rows
    assert {key for key, _l, _v in indicator_rows(None)} == set(rows)


def test_survival_after_one_and_two_years(participant):
    with scopes_disabled():
        p = Participant.objects.select_related("organization").get(pk=participant.pk)
    p.ends_on = date.today() - timedelta(days=800)
    p.ceased_on = p.ends_on + timedelta(days=500)
    assert survival([p], 1) == 100 and survival([p], 2) == 0 and survival([p], 3) is None
    p.ceased_on = None
    assert survival([p], 2) == 100
    p.organization.is_active = False
    assert survival([p], 2) == 0


def test_the_indicators_dashboard_provider_is_registered():
    from tadamon.core.signals import indicator_providers

    assert indicator_rows in indicator_providers
