"""Registration: capacity and waiting list, promotion on cancellation, messages, reminders, feedback."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.core import sms
from tadamon.core.models import ActivityLog
from tadamon.programme import services
from tadamon.programme.models import Certificate, Feedback, Registration, Session

pytestmark = pytest.mark.django_db
R = Registration.Status


@pytest.fixture(autouse=True)
def empty_outboxes():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def _register(session, i, **extra):
    return services.register(session, name=f"Participant {i}", phone=f"06000000{i:02d}", **extra)


def test_normalize_phone():
    assert services.normalize_phone("+212 6 12 34 56 78") == "0612345678"
    assert services.normalize_phone("00212612345678") == "0612345678"
    assert services.normalize_phone("06-12-34-56-78") == "0612345678"


def test_capacity_then_waiting_list(programme, django_capture_on_commit_callbacks):
    workshop = programme["workshop"]
    with django_capture_on_commit_callbacks(execute=True):
        results = [_register(workshop, i)[0] for i in range(5)]
    assert [r.status for r in results] == [R.CONFIRMED] * 3 + [R.WAITLISTED] * 2
    assert services.waitlist_position(results[4]) == 2
    assert len(sms.outbox) == 5
    assert ActivityLog.objects.with_scopes_disabled().filter(action="registration.created").count() == 5


def test_registering_twice_returns_the_first_registration(programme):
    workshop = programme["workshop"]
    first, created = services.register(workshop, name="Amina", phone="+212 611 22 33 44")
    again, created_again = services.register(workshop, name="Amina B.", phone="0611223344")
    assert created and not created_again and first.pk == again.pk
    with scopes_disabled():
        assert Registration.objects.filter(session=workshop).count() == 1


def test_unique_constraints_per_phone_and_user(programme, plain_user):
    workshop = programme["workshop"]
    services.register(workshop, name="Amina", phone="0611223344")
    services.register(workshop, user=plain_user)
    with scopes_disabled():
        with pytest.raises(IntegrityError), transaction.atomic():
            Registration.objects.create(session=workshop, name="X", phone="0611223344")
        with pytest.raises(IntegrityError), transaction.atomic():
            Registration.objects.create(session=workshop, name="Y", user=plain_user)


def test_account_registration_uses_the_profile(programme, make_user, django_capture_on_commit_callbacks):
    user = make_user("fatima@example.ma", first_name="Fatima", last_name="Ouazzani", phone="0612121212",
                     language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        registration, _ = services.register(programme["workshop"], user=user, language=None)
    assert registration.user == user and registration.phone == "0612121212" and registration.language == "fr"
    assert mail.outbox and mail.outbox[0].to == ["fatima@example.ma"]
    assert "Atelier de gestion" in mail.outbox[0].body  # in the person's language (French title)


def test_anonymous_registration_needs_a_name_and_a_phone(programme):
    with pytest.raises(services.ProgrammeError):
        services.register(programme["workshop"], name="Amina", phone="")
    with pytest.raises(services.ProgrammeError):
        services.register(programme["workshop"], name=" ", phone="0611223344")


def test_no_registration_for_open_entry_unplaced_or_started_sessions(programme):
    with pytest.raises(services.ProgrammeError):
        _register(programme["conference"], 1)  # open entry
    with pytest.raises(services.ProgrammeError):
        _register(programme["unplaced"], 1)  # no time yet
    later = timezone.now() + timedelta(days=30)
    with pytest.raises(services.ProgrammeError):
        _register(programme["workshop"], 1, now=later)


def test_cancellation_promotes_the_first_of_the_waiting_list(programme, django_capture_on_commit_callbacks):
    workshop = programme["workshop"]
    registrations = [_register(workshop, i)[0] for i in range(5)]
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled, promoted = services.cancel(None, registrations[1])
    assert cancelled.status == R.CANCELLED
    assert [p.pk for p in promoted] == [registrations[3].pk]
    with scopes_disabled():
        assert Registration.objects.get(pk=registrations[3].pk).status == R.CONFIRMED
        assert Registration.objects.get(pk=registrations[4].pk).status == R.WAITLISTED
        assert Registration.objects.filter(session=workshop, status=R.CONFIRMED).count() == 3
        assert ActivityLog.objects.filter(action="registration.promoted", object_id=str(registrations[3].pk)).exists()
    assert [m.to for m in sms.outbox] == ["0600000003"]
    assert services.waitlist_position(Registration.objects.with_scopes_disabled().get(pk=registrations[4].pk)) == 1
    # cancelling again changes nothing
    again, promoted_again = services.cancel(None, registrations[1])
    assert again.status == R.CANCELLED and promoted_again == []


def test_cancelled_person_may_register_again(programme):
    workshop = programme["workshop"]
    first, _ = _register(workshop, 1)
    services.cancel(None, first)
    again, created = _register(workshop, 1)
    assert created and again.pk == first.pk and again.status == R.CONFIRMED


def test_more_places_promote_the_waiting_list(programme, fes_staff):
    from tadamon.programme.forms import SessionForm

    workshop = programme["workshop"]
    regs = [_register(workshop, i)[0] for i in range(5)]
    with scopes_disabled():
        form = SessionForm({"kind": "training", "title_ar": "ورشة", "title_fr": "Atelier", "audience": "public",
                            "duration_slots": 1, "capacity": 4, "registration_required": "on"},
                           instance=Session.objects.get(pk=workshop.pk), edition=programme["edition"])
        assert form.is_valid(), form.errors
        services.save_session(fes_staff, form)
        assert Registration.objects.get(pk=regs[3].pk).status == R.CONFIRMED
        assert Registration.objects.get(pk=regs[4].pk).status == R.WAITLISTED


def test_signed_token_round_trip_and_forgery(programme):
    registration, _ = _register(programme["workshop"], 1)
    token = services.registration_token(registration)
    assert services.registration_from_token(token).pk == registration.pk
    altered = token[:-2] + ("xx" if not token.endswith("xx") else "yy")
    assert services.registration_from_token(altered) is None
    assert services.registration_from_token("1") is None


def test_reminders_are_sent_once(programme, django_capture_on_commit_callbacks):
    workshop = programme["workshop"]
    a, _ = services.register(workshop, name="A", phone="0600000001", email="a@example.ma")
    b, _ = _register(workshop, 2)
    waiting = [_register(workshop, i)[0] for i in range(3, 5)]
    services.cancel(None, b)
    mail.outbox.clear()
    sms.outbox.clear()
    before = workshop.starts_at - timedelta(hours=30)
    assert services.send_reminders(now=before) == 0  # more than 24 hours ahead
    soon = workshop.starts_at - timedelta(hours=3)
    sent = services.send_reminders(now=soon)
    assert sent == 3  # A, and the two promoted from the waiting list (b is cancelled)
    assert services.send_reminders(now=soon) == 0
    assert services.send_reminders(now=soon + timedelta(hours=1)) == 0
    assert len(sms.outbox) == 3 and len(mail.outbox) == 1
    assert {m.to for m in sms.outbox} == {"0600000001", waiting[0].phone, waiting[1].phone}
    after = workshop.starts_at + timedelta(minutes=5)
    assert services.send_reminders(now=after) == 0


def test_send_reminders_command(programme, capsys):
    workshop = programme["workshop"]
    _register(workshop, 1)
    with scopes_disabled():
        Session.objects.filter(pk=workshop.pk).update(starts_at=timezone.now() + timedelta(hours=2))
    call_command("send-reminders")
    call_command("send-reminders")
    out = capsys.readouterr().out
    assert "reminders sent: 1" in out and "reminders sent: 0" in out


def test_feedback_once_and_only_after_the_start(programme):
    workshop = programme["workshop"]
    registration, _ = _register(workshop, 1)
    with pytest.raises(services.ProgrammeError):
        services.leave_feedback(registration, 5)
    with scopes_disabled():
        Session.objects.filter(pk=workshop.pk).update(starts_at=timezone.now() - timedelta(minutes=10))
        registration.refresh_from_db()
    with pytest.raises(services.ProgrammeError):
        services.leave_feedback(registration, 6)
    feedback, created = services.leave_feedback(registration, 4, "مفيدة")
    again, created_again = services.leave_feedback(registration, 1, "changed my mind")
    assert created and not created_again and again.pk == feedback.pk and again.rating == 4
    with scopes_disabled():
        assert Feedback.objects.filter(registration=registration).count() == 1
    summary = services.feedback_summary(workshop)
    assert summary["count"] == 1 and summary["average"] == 4
    assert [b["count"] for b in summary["bars"]] == [0, 1, 0, 0, 0]  # 5 stars first


def test_check_in_issues_a_certificate_for_training_only(programme, fes_staff):
    registration, _ = _register(programme["workshop"], 1)
    checked, new = services.check_in(fes_staff, registration)
    assert new and checked.checked_in_at is not None
    assert checked.certificate.code and len(checked.certificate.code) >= 20
    again, new_again = services.check_in(fes_staff, registration)
    assert not new_again
    with pytest.raises(services.ProgrammeError):
        services.cancel(None, registration)  # arrived: no longer cancellable
    walk_in = services.add_walk_in(fes_staff, programme["conference"], name="Karim", phone="0677777777",
                                   institution="ODCO")
    assert walk_in.checked_in_at is not None
    with scopes_disabled():
        assert not Certificate.objects.filter(registration=walk_in).exists()  # a conference gives none


def test_check_in_refuses_another_session_and_the_waiting_list(programme, fes_staff):
    workshop = programme["workshop"]
    regs = [_register(workshop, i)[0] for i in range(4)]
    with pytest.raises(services.ProgrammeError):
        services.check_in(fes_staff, regs[3])  # waiting list
    with pytest.raises(services.ProgrammeError):
        services.check_in(fes_staff, regs[0], session=programme["conference"])


def test_participants_summary_counts_people_once(programme, fes_staff):
    workshop, conference = programme["workshop"], programme["conference"]
    a, _ = services.register(workshop, name="Amina", phone="0611111112", institution="Entraide Nationale")
    services.register(workshop, name="Karim", phone="0611111113", institution="ODCO")
    services.check_in(fes_staff, a)
    services.add_walk_in(fes_staff, conference, name="Amina", phone="0611111112", institution="entraide nationale")
    summary = services.participants_summary(programme["edition"])
    assert summary["registered"] == 2 and summary["present"] == 1
    assert summary["institutions"] == [{"name": "Entraide Nationale", "count": 1}]
