"""Applications: the state machine, the deadline at the second, double submits, eligibility, scores."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.core.models import ActivityLog
from tadamon.fairs import services
from tadamon.fairs.models import Application, Edition

S = Application.Status


def _ready(edition, user, org, product):
    application, created = services.start_application(user, edition, org)
    with scopes_disabled():
        application.pole = edition.poles.get()
        application.declaration_accepted = True
        application.save()
        application.products.add(product)
    return application


def test_start_twice_gives_one_application(edition, applicant):
    user, org, _ = applicant()
    a1, created1 = services.start_application(user, edition, org)
    a2, created2 = services.start_application(user, edition, org)
    assert created1 and not created2 and a1.pk == a2.pk


def test_submit_then_double_submit(edition, applicant):
    user, org, product = applicant()
    application = _ready(edition, user, org, product)
    services.submit(user, application)
    services.submit(user, application)  # second click: no error, no change
    with scopes_disabled():
        application.refresh_from_db()
        assert application.status == S.SUBMITTED
        assert ActivityLog.objects.filter(action="application.submitted", object_id=str(application.pk)).count() == 1


def test_submit_incomplete_says_what_is_missing(edition, applicant):
    user, org, _ = applicant()
    application, _ = services.start_application(user, edition, org)
    with pytest.raises(services.TransitionError) as error:
        services.submit(user, application)
    assert "قطب" in str(error.value)  # "Choose a pole." in Arabic, the default language
    with scopes_disabled():
        application.refresh_from_db()
    assert application.status == S.DRAFT


def test_deadline_at_the_second(edition, applicant):
    user, org, product = applicant()
    application = _ready(edition, user, org, product)
    closes = edition.call_closes_at
    with pytest.raises(services.TransitionError):
        services.submit(user, application, now=closes)  # at the closing second: closed
    services.submit(user, application, now=closes - timedelta(seconds=1))
    with scopes_disabled():
        application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_call_not_open_before_opening(edition):
    assert not edition.call_is_open(edition.call_opens_at - timedelta(seconds=1))
    assert edition.call_is_open(edition.call_opens_at)


def test_casablanca_time_is_stored_as_utc(edition):
    from zoneinfo import ZoneInfo

    local = edition.call_closes_at.astimezone(ZoneInfo("Africa/Casablanca"))
    assert local.utcoffset() is not None
    assert local == edition.call_closes_at


def test_eligibility_rules(edition, applicant, sectors):
    user, org, product = applicant()
    application = _ready(edition, user, org, product)
    services.submit(user, application)
    services.check_eligibility(None, application)
    assert application.status == S.ELIGIBLE
    with scopes_disabled():
        edition.allowed_legal_forms = ["association"]
        edition.min_age_months = 24 * 12
        edition.save()
        edition.allowed_sectors.add(sectors["pastries"])
        application.refresh_from_db()
    services.check_eligibility(None, application)
    assert application.status == S.INELIGIBLE
    assert len(application.ineligible_reasons) == 3


def test_food_product_needs_sanitary_authorization(edition, applicant, make_product):
    user, org, product = applicant()
    food = make_product(org, "عسل", category="terroir")
    application = _ready(edition, user, org, product)
    with scopes_disabled():
        application.products.add(food)
    services.submit(user, application)
    services.check_eligibility(None, application)
    assert application.status == S.INELIGIBLE
    assert any("ONSSA" in r for r in application.ineligible_reasons)


def test_return_withdraw_confirm_transitions(edition, applicant, fes_staff):
    user, org, product = applicant()
    application = _ready(edition, user, org, product)
    with pytest.raises(services.TransitionError):
        services.return_for_completion(fes_staff, application, "photo")  # a draft cannot be returned
    services.submit(user, application)
    with pytest.raises(services.TransitionError):
        services.return_for_completion(fes_staff, application, "   ")
    services.return_for_completion(fes_staff, application, "Add a photo of the stand")
    assert application.status == S.RETURNED
    services.submit(user, application)
    with pytest.raises(services.TransitionError):
        services.confirm(user, application)
    services.withdraw(user, application)
    assert application.status == S.WITHDRAWN
    with pytest.raises(services.TransitionError):
        services.withdraw(user, application)
    with scopes_disabled():
        assert Application.objects.filter(pk=application.pk).exists()  # nothing is ever deleted


def test_weighted_mean_of_reviewers(edition, applicant, fes_staff, make_user, fes):
    from tadamon.core.models import Role

    user, org, product = applicant()
    application = _ready(edition, user, org, product)
    other = make_user("reviewer2@example.ma", Role.REGIONAL_STAFF, fes)
    with scopes_disabled():
        quality, innovation = edition.criteria.all()
    services.save_review(fes_staff, application, {quality.pk: 10, innovation.pk: 4})   # (20+4)/30 = 80
    services.save_review(other, application, {quality.pk: 5, innovation.pk: 10})       # (10+10)/30 = 66.667
    assert application.score == Decimal("73.333")
    with pytest.raises(services.TransitionError):
        services.save_review(other, application, {quality.pk: 11})


def test_edition_status_flow(edition, fes_staff):
    with pytest.raises(services.TransitionError):
        services.change_edition_status(fes_staff, edition, Edition.Status.RUNNING)
    services.change_edition_status(fes_staff, edition, Edition.Status.CALL_CLOSED)
    assert edition.status == Edition.Status.CALL_CLOSED
    with scopes_disabled():
        assert ActivityLog.objects.filter(action="edition.status_changed", object_id=str(edition.pk)).exists()


def test_edit_only_until_deadline(edition, applicant):
    user, org, product = applicant()
    application = _ready(edition, user, org, product)
    assert services.can_edit(application)
    assert not services.can_edit(application, now=edition.call_closes_at + timedelta(seconds=1))
    assert timezone.now() < edition.call_closes_at


def test_a_sent_application_can_be_corrected_until_the_deadline(edition, applicant):
    """An ineligible applicant fixes the application before the deadline and becomes eligible,
    without a second submission."""
    from tadamon.core.models import ActivityLog

    user, org, product = applicant()
    with scopes_disabled():
        edition.min_age_months = 12
        edition.save()
        org.created_on = None
        org.save()
        application, _ = services.start_application(user, edition, org)
        application.pole = edition.poles.first()
        application.declaration_accepted = True
        application.save()
        application.products.set([product])
    services.submit(user, application)
    services.check_eligibility(None, application)
    assert application.status == S.INELIGIBLE
    assert services.can_edit(application)
    with scopes_disabled():
        org.created_on = date(2015, 1, 1)
        org.save()
    services.submit(user, application)  # sending again adds no submission
    services.check_eligibility(None, application)
    with scopes_disabled():
        application.refresh_from_db()
        assert application.status == S.ELIGIBLE
        assert ActivityLog.objects.filter(action="application.submitted", object_id=str(application.pk)).count() == 1
