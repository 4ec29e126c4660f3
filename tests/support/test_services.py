"""The operations of the path and their refusals: overlapping cohorts (the service and the database
trigger), screening with reasons, diagnosis scores, coaching reports, reminders, trainings reusing
the programme app, every decision in the activity log."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.core.models import ActivityLog
from tadamon.programme import services as programme_services
from tadamon.support import services
from tadamon.support.models import (
    ActionItem,
    Application,
    CoachingSession,
    Diagnosis,
    DiagnosisQuestion,
    Participant,
)

from ..programme.conftest import make_edition, make_programme
from .conftest import make_cohort, make_participant

pytestmark = pytest.mark.django_db


def logged(action):
    with scopes_disabled():
        return ActivityLog.objects.filter(action=action).count()


# ---- applying and screening ------------------------------------------------------------------------

def test_apply_checks_eligibility_and_a_second_submit_changes_nothing(cohort, organization, representative):
    with scopes_disabled():
        application, created = services.apply(representative, cohort, organization, motivation="نريد المواكبة")
        again, created_again = services.apply(representative, cohort, organization, motivation="مرة ثانية")
        assert created and not created_again and again.pk == application.pk
        assert Application.objects.count() == 1 and application.status == Application.Status.SUBMITTED
    assert logged("support.applied") == 1


def test_an_ineligible_application_keeps_its_reasons(cohort, organization, representative):
    cohort.women_led_only = True
    organization.women_led = False
    with scopes_disabled():
        organization.save()
        cohort.save()
        application, _ = services.apply(representative, cohort, organization, motivation="...")
    assert application.status == Application.Status.INELIGIBLE and len(application.ineligible_reasons) == 1


def test_only_a_representative_applies_and_only_while_the_call_is_open(programme, organization, plain_user,
                                                                       representative):
    with scopes_disabled():
        with pytest.raises(services.SupportError):
            services.apply(plain_user, make_cohort(programme), organization, motivation="x")
        with pytest.raises(services.SupportError):
            services.apply(representative, make_cohort(programme, call_open=False), organization, motivation="x")
        with pytest.raises(services.SupportError):
            services.apply(representative, make_cohort(programme), organization, motivation="  ")
        assert Application.objects.count() == 0


def test_an_organization_in_an_overlapping_cohort_cannot_apply(participant, cohort, representative):
    with scopes_disabled(), pytest.raises(services.SupportError) as error:
        services.apply(representative, cohort, participant.organization, motivation="x")
        assert Application.objects.filter(cohort=cohort).count() == 0
    assert participant.cohort.name in str(error.value)


def test_selecting_an_organization_in_an_overlapping_cohort_is_refused(participant, cohort, fes_staff):
    with scopes_disabled():
        application = Application.objects.create(cohort=cohort, organization=participant.organization,
                                                 motivation="x")
        with pytest.raises(services.SupportError):
            services.select(fes_staff, application)
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED
        assert Participant.objects.filter(cohort=cohort).count() == 0


def test_the_database_refuses_overlapping_participations(participant, cohort):
    """Whatever writes the row (a script, the admin), the trigger stops the second participation."""
    with scopes_disabled():
        application = Application.objects.create(cohort=cohort, organization=participant.organization,
                                                 motivation="x")
        with pytest.raises(IntegrityError), transaction.atomic():
            Participant.objects.create(application=application, cohort=cohort,
                                       organization=participant.organization, starts_on=cohort.starts_on,
                                       ends_on=cohort.ends_on)
        # A later cohort that does not overlap is fine; moving it back over the first one is not.
        later = make_cohort(cohort.programme, starts_in=900)
        second = make_participant(later, participant.organization)
        with pytest.raises(IntegrityError), transaction.atomic():
            Participant.objects.filter(pk=second.pk).update(starts_on=participant.starts_on)
        # A participant who left does not block.
        Participant.objects.filter(pk=participant.pk).update(stage=Participant.Stage.WITHDRAWN)
        assert services.select(None, application).cohort == cohort


def test_selection_respects_the_places(programme, make_org):
    cohort = make_cohort(programme, places=1)
    first, second = make_org("أ"), make_org("ب")
    make_participant(cohort, first)
    with scopes_disabled():
        application = Application.objects.create(cohort=cohort, organization=second, motivation="x")
        with pytest.raises(services.SupportError):
            services.select(None, application)


def test_a_rejection_needs_a_reason_and_is_logged(cohort, organization, fes_staff):
    with scopes_disabled():
        application = Application.objects.create(cohort=cohort, organization=organization, motivation="x")
        with pytest.raises(services.SupportError):
            services.reject(fes_staff, application, reason=" ")
        services.reject(fes_staff, application, reason="الملف غير مكتمل")
        application.refresh_from_db()
    assert application.status == Application.Status.REJECTED and application.decision_reason == "الملف غير مكتمل"
    with scopes_disabled():
        entry = ActivityLog.objects.get(action="support.rejected")
    assert entry.reason == "الملف غير مكتمل" and entry.actor == fes_staff


def test_a_coach_must_hold_the_trainer_role_of_the_region(participant, make_user, marrakech):
    from tadamon.core.models import Role

    other = make_user("coach.marrakech@example.ma", Role.TRAINER, marrakech)
    with scopes_disabled(), pytest.raises(services.SupportError):
        services.assign_coach(None, participant, other)


# ---- diagnosis ------------------------------------------------------------------------------------

def test_the_diagnosis_scores_each_axis_from_0_to_100(participant, coach):
    with scopes_disabled():
        questions = list(DiagnosisQuestion.objects.filter(programme=participant.cohort.programme))
        extra = DiagnosisQuestion.objects.create(programme=participant.cohort.programme, axis="finance",
                                                 text_ar="س", text_fr="q", weight=3)
        answers = {str(q.pk): 4 for q in questions}
        answers[str(next(q for q in questions if q.axis == "finance").pk)] = 4
        answers[str(extra.pk)] = 0
        diagnosis = services.save_diagnosis(coach, participant, "baseline", answers)
    finance_weight = next(q for q in questions if q.axis == "finance").weight
    assert diagnosis.scores["governance"] == 100
    assert diagnosis.scores["finance"] == round(4 * finance_weight / (finance_weight + 3) / 4 * 100)


def test_a_diagnosis_with_a_missing_or_wrong_answer_saves_nothing(participant, coach):
    with scopes_disabled():
        questions = list(DiagnosisQuestion.objects.filter(programme=participant.cohort.programme))
        with pytest.raises(services.SupportError):
            services.save_diagnosis(coach, participant, "baseline", {str(questions[0].pk): 2})
        with pytest.raises(services.SupportError):
            services.save_diagnosis(coach, participant, "baseline", {str(q.pk): 7 for q in questions})
        assert not Diagnosis.objects.exists()


def test_redoing_a_diagnosis_replaces_it(participant, coach):
    with scopes_disabled():
        ids = list(DiagnosisQuestion.objects.filter(programme=participant.cohort.programme)
                   .values_list("pk", flat=True))
        services.save_diagnosis(coach, participant, "final", {str(i): 1 for i in ids})
        services.save_diagnosis(coach, participant, "final", {str(i): 3 for i in ids})
        assert Diagnosis.objects.get(participant=participant, kind="final").scores["digital"] == 75


# ---- coaching -------------------------------------------------------------------------------------

def test_a_report_for_a_session_still_to_come_is_refused(participant, coach):
    with scopes_disabled():
        session = services.schedule_coaching(coach, participant, scheduled_at=timezone.now() + timedelta(days=2))
        with pytest.raises(services.SupportError):
            services.report_coaching(coach, session, report="تم", duration_minutes=60)
        session.refresh_from_db()
    assert session.status == CoachingSession.Status.SCHEDULED and session.report == ""


def test_a_report_for_a_cancelled_or_already_reported_session_is_refused(participant, coach):
    with scopes_disabled():
        past = timezone.now() - timedelta(hours=3)
        cancelled = services.schedule_coaching(coach, participant, scheduled_at=past)
        services.cancel_coaching(coach, cancelled)
        with pytest.raises(services.SupportError):
            services.report_coaching(coach, cancelled, report="تم", duration_minutes=60)
        held = services.schedule_coaching(coach, participant, scheduled_at=past)
        services.report_coaching(coach, held, report="تمت مراجعة المحاسبة", duration_minutes=90,
                                 actions=[("تحديث السجل", date.today() + timedelta(days=10))])
        with pytest.raises(services.SupportError):
            services.report_coaching(coach, held, report="مرة ثانية", duration_minutes=90)
        held.refresh_from_db()
        assert held.report == "تمت مراجعة المحاسبة" and ActionItem.objects.filter(participant=participant).count() == 1
    assert logged("support.coaching_reported") == 1


def test_a_report_with_bad_input_saves_nothing(participant, coach):
    with scopes_disabled():
        session = services.schedule_coaching(coach, participant, scheduled_at=timezone.now() - timedelta(hours=1))
        for kwargs in ({"report": "", "duration_minutes": 60}, {"report": "x", "duration_minutes": 0},
                       {"report": "x", "duration_minutes": 60, "actions": [("", date.today())]}):
            with pytest.raises(services.SupportError):
                services.report_coaching(coach, session, **kwargs)
        session.refresh_from_db()
        assert session.status == CoachingSession.Status.SCHEDULED and not ActionItem.objects.exists()


def test_scheduling_needs_a_coach(programme, make_org):
    participant = make_participant(make_cohort(programme), make_org("أ"))
    with scopes_disabled(), pytest.raises(services.SupportError):
        services.schedule_coaching(None, participant, scheduled_at=timezone.now())


def test_reminders_go_once_to_the_coach_and_the_organization(participant, coach, representative):
    with scopes_disabled():
        services.schedule_coaching(coach, participant, scheduled_at=timezone.now() + timedelta(hours=5))
        services.schedule_coaching(coach, participant, scheduled_at=timezone.now() + timedelta(days=5))  # later
        services.add_action(coach, participant, text="إعداد لائحة الأسعار", due_on=date.today() + timedelta(days=2))
        services.add_action(coach, participant, text="بعيد", due_on=date.today() + timedelta(days=30))
    mail.outbox.clear()
    assert services.send_reminders() == 2
    recipients = sorted(r for m in mail.outbox for r in m.to)
    assert recipients == sorted([coach.email, representative.email, representative.email])
    assert any("إعداد لائحة الأسعار" in m.body for m in mail.outbox)
    assert services.send_reminders() == 0 and len(mail.outbox) == 3


def test_the_reminders_command(participant, coach):
    from django.core.management import call_command

    with scopes_disabled():
        services.schedule_coaching(coach, participant, scheduled_at=timezone.now() + timedelta(hours=2))
    mail.outbox.clear()
    call_command("send-support-reminders")
    call_command("send-support-reminders")
    assert len([m for m in mail.outbox if coach.email in m.to]) == 1


# ---- group trainings: the programme app's sessions --------------------------------------------------

def test_linking_a_training_registers_the_participants_in_the_programme_app(participant, representative, fes,
                                                                          fes_staff):
    programme = make_programme(make_edition(fes))
    workshop = programme["workshop"]
    with scopes_disabled():
        training, registered = services.link_training(fes_staff, participant.cohort, workshop)
        assert registered == 1
        registration = workshop.registrations.get()
        assert registration.user == representative and registration.organization == participant.organization
        # Attendance and certificate are the programme's own; the indicators read them.
        programme_services.check_in(fes_staff, registration)
        assert registration.certificate
        hours = (workshop.ends_at - workshop.starts_at).total_seconds() / 3600
        assert services.trained_hours([participant.cohort_id]) == round(hours, 1)
        # Linking twice neither duplicates the link nor the registration.
        _training, again = services.link_training(fes_staff, participant.cohort, workshop)
        assert again == 0 and workshop.registrations.count() == 1
        assert [s for s, r in services.trainings_of(participant)] == [workshop]


def test_only_a_training_of_the_region_can_be_linked(participant, marrakech, fes):
    other = make_programme(make_edition(marrakech))
    own = make_programme(make_edition(fes, title="Autre"))
    with scopes_disabled():
        with pytest.raises(services.SupportError):
            services.link_training(None, participant.cohort, other["workshop"])
        with pytest.raises(services.SupportError):
            services.link_training(None, participant.cohort, own["conference"])
