"""Business operations of the support programmes: eligibility, applications and screening, the
participants' path (diagnosis, group trainings through the programme app, coaching, action plan),
graduation and reminders. Funding files are in :mod:`tadamon.support.funding`.

Every decision is written to the activity log in the same transaction as the change.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from tadamon.core import activity, roles
from tadamon.core.models import Role
from tadamon.programme import services as programme_services
from tadamon.registry.models import Organization, Representation

from .models import (
    ActionItem,
    Application,
    Axis,
    CoachingSession,
    Cohort,
    CohortTraining,
    Diagnosis,
    DiagnosisQuestion,
    Participant,
)

A = Application.Status
P = Participant.Stage

activity.register_actions({
    "support.programme_saved": _("support programme saved"),
    "support.cohort_saved": _("cohort saved"),
    "support.applied": _("applied to a support programme"),
    "support.withdrawn": _("application to a support programme withdrawn"),
    "support.selected": _("selected for a support programme"),
    "support.rejected": _("not selected for a support programme"),
    "support.coach_assigned": _("coach assigned"),
    "support.stage_changed": _("stage in the programme changed"),
    "support.diagnosis_saved": _("diagnosis saved"),
    "support.training_linked": _("training session linked to a cohort"),
    "support.coaching_scheduled": _("coaching session scheduled"),
    "support.coaching_reported": _("coaching session report written"),
    "support.coaching_cancelled": _("coaching session cancelled"),
    "support.action_added": _("action item added"),
    "support.action_done": _("action item done"),
    "support.followup": _("follow-up recorded"),
})


class SupportError(Exception):
    """An operation the rules do not allow; the message says why, in the user's language."""


# ---- eligibility ---------------------------------------------------------------------------------

def months_between(start, end):
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def is_youth_led(organization):
    """More than half of the members under 35, read from the registry's figures."""
    total, youth = organization.members_total or 0, organization.members_youth or 0
    return total > 0 and youth * 2 > total


def eligibility_failures(cohort, organization, today=None):
    """The cohort's rules ``organization`` does not meet, as translated sentences (empty: eligible).

    Everything is read from the registry: the applicant types nothing twice."""
    today = today or date.today()
    failures = []
    if organization.region_id != cohort.region_id:
        failures.append(_("This call is open to organizations of the region only."))
    if cohort.allowed_legal_forms and organization.legal_form not in cohort.allowed_legal_forms:
        failures.append(_("Legal form not admitted: this call is open to %(forms)s.")
                        % {"forms": ", ".join(str(x) for x in cohort.legal_form_labels)})
    if cohort.min_age_months or cohort.max_age_months:
        if organization.created_on is None:
            failures.append(_("The date of creation of the organization is missing."))
        else:
            months = months_between(organization.created_on, today)
            if cohort.min_age_months and months < cohort.min_age_months:
                failures.append(_("The organization must exist for at least %(n)s months.")
                                % {"n": cohort.min_age_months})
            if cohort.max_age_months and months > cohort.max_age_months:
                failures.append(_("This call is for organizations created less than %(n)s months ago.")
                                % {"n": cohort.max_age_months})
    sectors = set(cohort.sectors.values_list("pk", flat=True))
    if sectors and organization.sector_id not in sectors:
        failures.append(_("Sector not admitted in this call."))
    provinces = set(cohort.provinces.values_list("pk", flat=True))
    if provinces and organization.province_id not in provinces:
        failures.append(_("Province not admitted in this call."))
    if cohort.women_led_only and not organization.women_led:
        failures.append(_("This call is for organizations led by women."))
    if cohort.youth_led_only and not is_youth_led(organization):
        failures.append(_("This call is for organizations where more than half of the members are under 35."))
    return [str(f) for f in failures]


def call_is_open(cohort, today=None):
    today = today or date.today()
    return cohort.call_opens_on <= today <= cohort.call_closes_on


def overlapping_participation(organization, starts_on, ends_on, exclude_cohort=None):
    """The organization's participation in another cohort whose dates overlap, or None."""
    with scopes_disabled():
        rows = Participant.objects.filter(organization=organization, starts_on__lte=ends_on,
                                          ends_on__gte=starts_on).exclude(stage=P.WITHDRAWN)
        if exclude_cohort is not None:
            rows = rows.exclude(cohort=exclude_cohort)
        return rows.select_related("cohort").first()


def represents(user, organization):
    with scopes_disabled():
        return Representation.objects.filter(user=user, organization=organization,
                                             status=Representation.Status.APPROVED).exists()


# ---- applications --------------------------------------------------------------------------------

def apply(user, cohort, organization, *, motivation, request=None):
    """The representative applies for ``organization``; eligibility is checked at once.

    Applying twice returns the first application. Returns (application, created)."""
    motivation = (motivation or "").strip()
    if not represents(user, organization):
        raise SupportError(_("You do not represent this organization."))
    if not call_is_open(cohort):
        raise SupportError(_("The call of this cohort is not open."))
    if not motivation:
        raise SupportError(_("Say in a few words what you expect from the programme."))
    with scopes_disabled():
        existing = Application.objects.filter(cohort=cohort, organization=organization).first()
        if existing is not None and existing.status != A.WITHDRAWN:
            return existing, False
        overlap = overlapping_participation(organization, cohort.starts_on, cohort.ends_on)
        if overlap is not None:
            raise SupportError(_("Your organization already follows the cohort “%(c)s” at the same dates: it "
                                 "cannot join two cohorts at once.") % {"c": overlap.cohort.name})
        failures = eligibility_failures(cohort, organization)
        status = A.INELIGIBLE if failures else A.SUBMITTED
        try:
            with transaction.atomic():
                if existing is not None:
                    application = Application.objects.select_for_update().get(pk=existing.pk)
                    if application.status != A.WITHDRAWN:
                        return application, False
                    application.motivation, application.status = motivation, status
                    application.ineligible_reasons, application.submitted_by = failures, user
                    application.decision_reason, application.decided_by, application.decided_at = "", None, None
                    application.save()
                else:
                    application = Application.objects.create(cohort=cohort, organization=organization,
                                                             submitted_by=user, motivation=motivation[:2000],
                                                             status=status, ineligible_reasons=failures)
                activity.record(user, "support.applied", application, after={"status": status, "reasons": failures},
                                request=request)
        except IntegrityError:  # the same application sent twice at the same moment
            return Application.objects.get(cohort=cohort, organization=organization), False
    return application, True


@transaction.atomic
def withdraw(user, application, *, request=None):
    with scopes_disabled():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in (A.SUBMITTED, A.INELIGIBLE):
            raise SupportError(_("This application has been decided: ask the programme's team."))
        before = application.status
        application.status = A.WITHDRAWN
        application.save(update_fields=["status"])
        activity.record(user, "support.withdrawn", application, before={"status": before},
                        after={"status": A.WITHDRAWN}, request=request)
    return application


def select(actor, application, *, reason="", request=None):
    """Staff select an application: the organization becomes a participant of the cohort.

    The cohort's row and the organization's registry row are locked, so that two selections for the
    last place, or two cohorts selecting the organization at the same moment, are served one after
    the other; the database refuses overlapping cohorts in any case (a trigger)."""
    overlap_error = SupportError(_("This organization already follows another cohort at overlapping dates: it "
                                   "cannot be selected for this one."))
    try:
        with transaction.atomic(), scopes_disabled():
            application = Application.objects.select_for_update().select_related("cohort").get(pk=application.pk)
            if application.status == A.SELECTED:
                return application.participant
            if application.status == A.WITHDRAWN:
                raise SupportError(_("This application was withdrawn."))
            # The cohort's row (its places) and the organization's row (its other cohorts) are locked.
            cohort = Cohort.objects.select_for_update().get(pk=application.cohort_id)
            list(Organization.objects.select_for_update().filter(pk=application.organization_id).values_list("pk"))
            if overlapping_participation(application.organization, cohort.starts_on, cohort.ends_on,
                                         exclude_cohort=cohort):
                raise overlap_error
            if cohort.participants.exclude(stage=P.WITHDRAWN).count() >= cohort.places:
                raise SupportError(_("The cohort is full (%(n)s places).") % {"n": cohort.places})
            before = application.status
            application.status = A.SELECTED
            application.decision_reason = reason.strip()
            application.decided_by, application.decided_at = actor, timezone.now()
            application.save()
            participant = Participant.objects.create(application=application, cohort=cohort,
                                                     organization_id=application.organization_id,
                                                     starts_on=cohort.starts_on, ends_on=cohort.ends_on)
            activity.record(actor, "support.selected", application, before={"status": before},
                            after={"status": A.SELECTED}, reason=reason, request=request)
            return participant
    except IntegrityError:
        raise overlap_error


@transaction.atomic
def reject(actor, application, *, reason, request=None):
    """Staff turn an application down, always with a reason the applicant reads."""
    reason = (reason or "").strip()
    if not reason:
        raise SupportError(_("Give the reason: the organization will read it."))
    with scopes_disabled():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status in (A.SELECTED, A.WITHDRAWN):
            raise SupportError(_("This application can no longer be turned down here."))
        before = application.status
        application.status = A.REJECTED
        application.decision_reason = reason
        application.decided_by, application.decided_at = actor, timezone.now()
        application.save()
        activity.record(actor, "support.rejected", application, before={"status": before},
                        after={"status": A.REJECTED}, reason=reason, request=request)
    return application


# ---- participants --------------------------------------------------------------------------------

def coaches_for(region):
    """Users who may coach in ``region``: the trainer role of that region."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(role_assignments__role=Role.TRAINER,
                                           role_assignments__region=region).distinct().order_by("first_name", "email")


@transaction.atomic
def assign_coach(actor, participant, coach, *, request=None):
    if coach is not None and not roles.has_role(coach, Role.TRAINER, participant.region_id):
        raise SupportError(_("A coach must hold the trainer role in the region."))
    before = str(participant.coach or "")
    participant.coach = coach
    participant.save(update_fields=["coach"])
    activity.record(actor, "support.coach_assigned", participant, before={"coach": before},
                    after={"coach": str(coach or "")}, request=request)
    return participant


@transaction.atomic
def set_stage(actor, participant, stage, *, reason="", request=None):
    """Move a participant along the path; graduation dates it."""
    if stage not in P.values:
        raise SupportError(_("Unknown stage."))
    before = participant.stage
    participant.stage = stage
    participant.graduated_on = date.today() if stage == P.GRADUATED else None
    participant.save(update_fields=["stage", "graduated_on"])
    activity.record(actor, "support.stage_changed", participant, before={"stage": before}, after={"stage": stage},
                    reason=reason, request=request)
    return participant


@transaction.atomic
def record_followup(actor, participant, ceased_on, *, request=None):
    """Follow-up after the path: the date the organization stopped working (None: still working)."""
    before = participant.ceased_on
    participant.ceased_on = ceased_on
    participant.save(update_fields=["ceased_on"])
    activity.record(actor, "support.followup", participant, before={"ceased_on": str(before or "")},
                    after={"ceased_on": str(ceased_on or "")}, request=request)
    return participant


# ---- diagnosis -----------------------------------------------------------------------------------

SCALE = [(0, _("not at all")), (1, _("a little")), (2, _("partly")), (3, _("mostly")), (4, _("fully"))]


def score(questions, answers):
    """A profile 0–100 per axis: the weighted mean of the answers (0–4) of the axis's questions.

    An axis without any answered question is left out (drawn at 0)."""
    totals = {}
    for question in questions:
        value = answers.get(str(question.pk))
        if value is None:
            continue
        got, weight = totals.get(question.axis, (0, 0))
        totals[question.axis] = (got + int(value) * question.weight, weight + question.weight)
    return {axis: round(got / weight / 4 * 100) for axis, (got, weight) in totals.items() if weight}


@transaction.atomic
def save_diagnosis(actor, participant, kind, answers, *, request=None):
    """Save (or redo) the baseline or final diagnosis. ``answers``: {question id: 0..4}."""
    questions = list(DiagnosisQuestion.objects.filter(programme_id=participant.cohort.programme_id))
    clean = {}
    for question in questions:
        value = answers.get(str(question.pk), answers.get(question.pk))
        if value in (None, ""):
            raise SupportError(_("Answer every question."))
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = -1
        if not 0 <= value <= 4:
            raise SupportError(_("Each answer is a number from 0 to 4."))
        clean[str(question.pk)] = value
    scores = score(questions, clean)
    diagnosis, created = Diagnosis.objects.update_or_create(
        participant=participant, kind=kind, defaults={"answers": clean, "scores": scores, "done_by": actor})
    activity.record(actor, "support.diagnosis_saved", diagnosis, after={"kind": kind, "scores": scores},
                    request=request)
    return diagnosis


def profiles(participant):
    """{kind: scores} of a participant's diagnoses."""
    return {d.kind: d.scores for d in participant.diagnoses.all()}


# ---- group trainings (the programme app's sessions) ------------------------------------------------

def representatives_of(organization):
    with scopes_disabled():
        return [r.user for r in Representation.objects.filter(
            organization=organization, status=Representation.Status.APPROVED).select_related("user")]


def link_training(actor, cohort, session, *, axis="", request=None):
    """Link a training session of the programme app to the cohort, and register one representative of
    each participant (the programme's registration: places, waiting list, attendance, certificates)."""
    if session.region_id != cohort.region_id:
        raise SupportError(_("The session must be in the cohort's region."))
    if not programme_services.is_training(session):
        raise SupportError(_("Only training workshops can be group trainings."))
    with transaction.atomic():
        training, created = CohortTraining.objects.get_or_create(cohort=cohort, session=session,
                                                                 defaults={"topic_axis": axis})
        if created:
            activity.record(actor, "support.training_linked", training, after={"session": session.pk},
                            request=request)
    registered = register_participants(training)
    return training, registered


def register_participants(training):
    """Register a representative of every participant not registered yet. Returns how many were."""
    session = training.session
    if session.starts_at is None or session.starts_at <= timezone.now() or not session.registration_required:
        return 0
    count = 0
    with scopes_disabled():
        for participant in training.cohort.participants.exclude(stage=P.WITHDRAWN).select_related("organization"):
            people = representatives_of(participant.organization)
            if not people:
                continue
            _registration, created = programme_services.register(
                session, user=people[0], organization=participant.organization,
                institution=participant.organization.name_ar)
            count += int(created)
    return count


def trained_hours(cohorts):
    """Hours of group training attended by the cohorts' participants (checked in at the session).

    ``cohorts``: cohort ids."""
    from tadamon.programme.models import Registration

    with scopes_disabled():
        rows = set(Registration.objects.filter(
            session__support_trainings__cohort_id__in=cohorts, checked_in_at__isnull=False,
            organization__support_participations__cohort_id__in=cohorts, session__ends_at__isnull=False)
            .values_list("pk", "session__starts_at", "session__ends_at"))
    return round(sum((end - start).total_seconds() for _pk, start, end in rows) / 3600, 1)


def trainings_of(participant):
    """(session, registration or None) for each group training of the participant's cohort."""
    from tadamon.programme.models import Registration

    with scopes_disabled():
        trainings = list(participant.cohort.trainings.select_related("session__space"))
        regs = {r.session_id: r for r in Registration.objects.filter(
            session__in=[t.session for t in trainings], organization=participant.organization).exclude(
            status=Registration.Status.CANCELLED).select_related("certificate")}
    return [(t.session, regs.get(t.session_id)) for t in trainings]


# ---- coaching ------------------------------------------------------------------------------------

@transaction.atomic
def schedule_coaching(actor, participant, *, scheduled_at, place="", request=None):
    coach = participant.coach
    if coach is None:
        raise SupportError(_("Assign a coach first."))
    session = CoachingSession.objects.create(participant=participant, coach=coach, scheduled_at=scheduled_at,
                                             place=place.strip()[:200])
    activity.record(actor, "support.coaching_scheduled", session, after={"at": scheduled_at.isoformat()},
                    request=request)
    return session


def report_coaching(actor, session, *, report, duration_minutes, actions=(), now=None, request=None):
    """The coach's report of a session that took place, with the action items agreed on.

    Refused (nothing saved) for a session still to come, or one that was cancelled or already reported."""
    now = now or timezone.now()
    report = (report or "").strip()
    if not report:
        raise SupportError(_("Write what was done in the session."))
    try:
        duration_minutes = int(duration_minutes)
    except (TypeError, ValueError):
        duration_minutes = 0
    if not 10 <= duration_minutes <= 600:
        raise SupportError(_("Give the length of the session in minutes (10 to 600)."))
    for text, due_on in actions:
        if not text.strip() or due_on is None:
            raise SupportError(_("Each action needs a text and a due date."))
    with transaction.atomic(), scopes_disabled():
        locked = CoachingSession.objects.select_for_update().get(pk=session.pk)
        if locked.status == CoachingSession.Status.HELD:
            raise SupportError(_("This session already has its report."))
        if locked.status != CoachingSession.Status.SCHEDULED:
            raise SupportError(_("This session was cancelled: it has no report."))
        if locked.scheduled_at > now:
            raise SupportError(_("This session has not taken place yet: write the report after it."))
        locked.status = CoachingSession.Status.HELD
        locked.report, locked.duration_minutes, locked.reported_at = report, duration_minutes, now
        locked.save()
        for text, due_on in actions:
            ActionItem.objects.create(participant_id=locked.participant_id, coaching_session=locked,
                                      text=text.strip()[:300], due_on=due_on)
        activity.record(actor, "support.coaching_reported", locked,
                        after={"minutes": duration_minutes, "actions": len(actions)}, request=request)
    return locked


@transaction.atomic
def cancel_coaching(actor, session, *, reason="", request=None):
    with scopes_disabled():
        locked = CoachingSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != CoachingSession.Status.SCHEDULED:
            raise SupportError(_("Only a scheduled session can be cancelled."))
        locked.status = CoachingSession.Status.CANCELLED
        locked.save(update_fields=["status"])
        activity.record(actor, "support.coaching_cancelled", locked, reason=reason, request=request)
    return locked


@transaction.atomic
def add_action(actor, participant, *, text, due_on, request=None):
    if not (text or "").strip() or due_on is None:
        raise SupportError(_("Each action needs a text and a due date."))
    item = ActionItem.objects.create(participant=participant, text=text.strip()[:300], due_on=due_on)
    activity.record(actor, "support.action_added", item, after={"due_on": str(due_on)}, request=request)
    return item


@transaction.atomic
def mark_done(actor, item, *, request=None):
    with scopes_disabled():
        locked = ActionItem.objects.select_for_update().get(pk=item.pk)
        if locked.done_on is None:
            locked.done_on = date.today()
            locked.save(update_fields=["done_on"])
            activity.record(actor, "support.action_done", locked, request=request)
    return locked


# ---- reminders -----------------------------------------------------------------------------------

def _mail(user, template, context):
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    if not user or not user.email:
        return 0
    with translation.override(getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE):
        context = {**context, "base_url": programme_services.base_url().rstrip("/")}
        subject = render_to_string(f"support/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"support/email/{template}.txt", context)
    return send_mail(subject, body, None, [user.email])


def send_reminders(now=None):
    """E-mail the coach of each coaching session within 24 hours, and the organization's
    representatives of each open action item due within 3 days; each reminder once.

    A row is claimed with a conditional UPDATE before its e-mail goes, so two runs at the same time
    never send the same reminder twice. Returns how many rows were reminded."""
    now = now or timezone.now()
    sent = 0
    with scopes_disabled():
        due_sessions = CoachingSession.objects.filter(
            status=CoachingSession.Status.SCHEDULED, reminder_sent_at__isnull=True, scheduled_at__gt=now,
            scheduled_at__lte=now + timedelta(hours=24)).values_list("pk", flat=True)
        for pk in list(due_sessions):
            if CoachingSession.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                session = CoachingSession.objects.select_related("coach", "participant__organization").get(pk=pk)
                _mail(session.coach, "coaching_reminder", {"session": session})
                for person in representatives_of(session.participant.organization):
                    _mail(person, "coaching_reminder", {"session": session})
                sent += 1
        today = timezone.localdate(now)
        due_items = ActionItem.objects.filter(done_on__isnull=True, reminder_sent_at__isnull=True,
                                              due_on__lte=today + timedelta(days=3)).values_list("pk", flat=True)
        for pk in list(due_items):
            if ActionItem.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                item = ActionItem.objects.select_related("participant__organization").get(pk=pk)
                for person in representatives_of(item.participant.organization):
                    _mail(person, "action_reminder", {"item": item})
                sent += 1
    return sent


# ---- reading ---------------------------------------------------------------------------------------

def participations_of(user):
    """The participations of the organizations the user represents."""
    with scopes_disabled():
        return list(Participant.objects.filter(
            organization__representations__user=user,
            organization__representations__status=Representation.Status.APPROVED)
            .select_related("cohort__programme", "organization", "coach").distinct())


def axes():
    return list(Axis.choices)


def open_cohorts(region=None, today=None):
    today = today or date.today()
    with scopes_disabled():
        rows = Cohort.objects.filter(call_opens_on__lte=today, call_closes_on__gte=today,
                                     programme__is_public=True).select_related("programme", "region")
        if region is not None:
            rows = rows.filter(region=region)
        return list(rows.order_by("call_closes_on", "pk"))


def caseload(coach):
    """The coach's participants, with their next session and open actions."""
    with scopes_disabled():
        participants = list(Participant.objects.filter(coach=coach).exclude(stage=P.WITHDRAWN)
                            .select_related("organization", "cohort__programme").order_by("cohort", "pk"))
        now = timezone.now()
        for p in participants:
            p.next_session = p.coaching_sessions.filter(status=CoachingSession.Status.SCHEDULED).order_by(
                "scheduled_at").first()
            p.to_report = p.coaching_sessions.filter(status=CoachingSession.Status.SCHEDULED,
                                                     scheduled_at__lte=now).count()
            p.open_actions = p.action_items.filter(done_on__isnull=True).count()
            p.held = p.coaching_sessions.filter(status=CoachingSession.Status.HELD).count()
    return participants


def held_filter():
    return Q(status=CoachingSession.Status.HELD)
