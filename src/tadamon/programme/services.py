"""Business operations of the programme: time slots, placement of sessions (by hand or by the
scheduler), registrations with capacity and waiting list, check-in, certificates, feedback and
reminders. Every change is written to the activity log in the same transaction.
"""

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from tadamon.core import activity

from .models import (
    Certificate,
    Feedback,
    ProgrammeSettings,
    Registration,
    ScheduleRun,
    Session,
    SessionKind,
    Space,
    Speaker,
    TimeSlot,
)

R = Registration.Status

activity.register_actions({
    "programme.slots_generated": _("programme time slots generated"),
    "session.created": _("session created"),
    "session.changed": _("session changed"),
    "session.placed": _("session placed in the programme"),
    "session.unplaced": _("session taken out of the programme"),
    "space.saved": _("programme space saved"),
    "speaker.saved": _("speaker saved"),
    "schedule.started": _("automatic scheduling started"),
    "schedule.finished": _("automatic scheduling finished"),
    "registration.created": _("registered for a session"),
    "registration.cancelled": _("registration cancelled"),
    "registration.promoted": _("moved from the waiting list to a confirmed place"),
    "registration.checked_in": _("checked in at a session"),
    "certificate.issued": _("certificate issued"),
    "feedback.given": _("feedback given on a session"),
})

REGISTRATION_SALT = "tadamon.programme.registration"


class ProgrammeError(Exception):
    """An operation the rules do not allow; the message says why, in the user's language."""


# ---- helpers ------------------------------------------------------------------------------------

def normalize_phone(value):
    """One spelling per Moroccan number: "+212 6 12 34 56 78", "00212612345678" → "0612345678"."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("212") and len(digits) >= 12:
        digits = "0" + digits[3:]
    return digits


def registration_token(registration):
    """The signed token of a registration's own page (confirmation, QR, cancellation, certificate)."""
    return signing.Signer(salt=REGISTRATION_SALT).sign(str(registration.pk))


def registration_from_token(token):
    """The registration of a signed token, or None for a forged or unknown one."""
    try:
        pk = int(signing.Signer(salt=REGISTRATION_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    with scopes_disabled():
        return Registration.objects.select_related("session__edition__region", "session__space").filter(
            pk=pk).first()


def base_url():
    return getattr(settings, "TADAMON_BASE_URL", "") or "http://127.0.0.1:8000"


def _actor_label(actor, fallback):
    return actor if getattr(actor, "is_authenticated", False) else (fallback or "")


# ---- time slots ---------------------------------------------------------------------------------

def programme_settings(edition):
    obj, _created = ProgrammeSettings.objects.get_or_create(edition=edition)
    return obj


@transaction.atomic
def generate_slots(actor, edition, *, slot_minutes=90, gap_minutes=0, day_starts=None, day_ends=None, request=None):
    """Cut every day of the edition into slots of ``slot_minutes`` between its daily hours.

    Refused while sessions are placed (their slots would vanish). Returns the number of slots."""
    if slot_minutes < 15 or slot_minutes > 600:
        raise ProgrammeError(_("A slot lasts between 15 minutes and 10 hours."))
    day_starts = day_starts or edition.opens_at or datetime.strptime("09:00", "%H:%M").time()
    day_ends = day_ends or edition.closes_at or datetime.strptime("18:00", "%H:%M").time()
    if day_ends <= day_starts:
        raise ProgrammeError(_("The day must end after it starts."))
    with scopes_disabled():
        if Session.objects.filter(edition=edition, slot__isnull=False).exists():
            raise ProgrammeError(_("Some sessions are already placed: take them out of the grid before cutting the "
                                   "days into new slots."))
        settings_row = programme_settings(edition)
        settings_row.slot_minutes, settings_row.gap_minutes = slot_minutes, gap_minutes
        settings_row.day_starts, settings_row.day_ends = day_starts, day_ends
        settings_row.save()
        TimeSlot.objects.filter(edition=edition).delete()
        tz = timezone.get_default_timezone()
        slots, position = [], 0
        day = edition.starts_on
        while day <= edition.ends_on:
            start = timezone.make_aware(datetime.combine(day, day_starts), tz)
            day_end = timezone.make_aware(datetime.combine(day, day_ends), tz)
            while start + timedelta(minutes=slot_minutes) <= day_end:
                end = start + timedelta(minutes=slot_minutes)
                slots.append(TimeSlot(edition=edition, day=day, starts_at=start, ends_at=end, position=position))
                position += 1
                start = end + timedelta(minutes=gap_minutes)
            day += timedelta(days=1)
        TimeSlot.objects.bulk_create(slots)
    activity.record(actor, "programme.slots_generated", edition, after={
        "slots": len(slots), "slot_minutes": slot_minutes, "gap_minutes": gap_minutes,
        "day_starts": day_starts.strftime("%H:%M"), "day_ends": day_ends.strftime("%H:%M")}, request=request)
    return len(slots)


def slots_by_day(edition):
    """{day: [slot, …]} in time order."""
    out = {}
    for slot in TimeSlot.objects.filter(edition=edition).order_by("starts_at"):
        out.setdefault(slot.day, []).append(slot)
    return out


def covered_slots(slot, duration, day_slots=None):
    """The ``duration`` consecutive slots of ``slot``'s day starting at ``slot``, or None if the day is too short."""
    if day_slots is None:
        day_slots = list(TimeSlot.objects.filter(edition_id=slot.edition_id, day=slot.day).order_by("starts_at"))
    ids = [s.pk for s in day_slots]
    if slot.pk not in ids:
        return None
    i = ids.index(slot.pk)
    chosen = day_slots[i:i + max(duration, 1)]
    return chosen if len(chosen) == max(duration, 1) else None


# ---- sessions, spaces, speakers -----------------------------------------------------------------

SESSION_FIELDS = ["kind", "title_ar", "title_fr", "audience", "languages", "duration_slots", "registration_required",
                  "capacity", "expected_attendance"]


@transaction.atomic
def save_session(actor, form, *, request=None):
    """Save a session form (new or changed), keep the placement consistent, log it."""
    session = form.instance
    created = session.pk is None
    before = None
    if not created:
        with scopes_disabled():
            before = activity.snapshot(Session.objects.get(pk=session.pk), SESSION_FIELDS)
    session = form.save()
    if session.is_placed:
        _set_times(session)
        session.save(update_fields=["starts_at", "ends_at"])
    activity.record(actor, "session.created" if created else "session.changed", session, before=before,
                    after=activity.snapshot(session, SESSION_FIELDS), request=request)
    if not created:
        fill_from_waitlist(actor, session, request=request)
    return session


@transaction.atomic
def save_space(actor, form, *, request=None):
    space = form.save()
    activity.record(actor, "space.saved", space, after=activity.snapshot(space, ["name_ar", "name_fr", "capacity",
                                                                                  "kinds"]), request=request)
    return space


@transaction.atomic
def save_speaker(actor, form, *, request=None):
    speaker = form.save()
    activity.record(actor, "speaker.saved", speaker, after=activity.snapshot(
        speaker, ["name_ar", "name_fr", "institution", "country", "user"]), request=request)
    return speaker


def _set_times(session):
    slots = covered_slots(session.slot, session.duration_slots)
    if slots is None:
        slots = [session.slot]
    session.starts_at, session.ends_at = slots[0].starts_at, slots[-1].ends_at


@transaction.atomic
def place_session(actor, session, slot, space, *, reason="", request=None):
    """Put ``session`` at ``slot`` (its start) in ``space``; both None takes it out of the grid.

    Checks only what makes a placement impossible (another edition's slot or space, a day too short
    for the duration); clashes are warnings, shown from :func:`conflicts`, since staff may mean them."""
    with scopes_disabled():
        locked = Session.objects.select_for_update().get(pk=session.pk)
    before = {"slot": str(locked.slot) if locked.slot_id else None, "space": str(locked.space) if locked.space_id
              else None}
    if slot is None or space is None:
        if slot is not None or space is not None:
            raise ProgrammeError(_("Choose both a time and a space, or neither to take the session out of the grid."))
        if locked.slot_id is None and locked.space_id is None:
            return locked
        with scopes_disabled():
            if locked.registrations.filter(status=R.CONFIRMED).exists():
                reason = reason or str(_("The session had registrations."))
        locked.slot = locked.space = None
        locked.starts_at = locked.ends_at = None
        locked.save(update_fields=["slot", "space", "starts_at", "ends_at"])
        activity.record(actor, "session.unplaced", locked, before=before, after={"slot": None, "space": None},
                        reason=reason, request=request)
        return locked
    if slot.edition_id != locked.edition_id or space.edition_id != locked.edition_id:
        raise ProgrammeError(_("This time or space belongs to another edition."))
    if covered_slots(slot, locked.duration_slots) is None:
        raise ProgrammeError(_("This session lasts %(n)s slots: it does not fit before the end of the day.")
                             % {"n": locked.duration_slots})
    if locked.slot_id == slot.pk and locked.space_id == space.pk:
        return locked
    locked.slot, locked.space = slot, space
    _set_times(locked)
    locked.save(update_fields=["slot", "space", "starts_at", "ends_at"])
    activity.record(actor, "session.placed", locked, before=before,
                    after={"slot": str(slot), "space": str(space)}, reason=reason, request=request)
    fill_from_waitlist(actor, locked, request=request)
    return locked


# ---- the scheduler ------------------------------------------------------------------------------

def _expected(session, confirmed):
    if session.expected_attendance:
        return max(session.expected_attendance, confirmed)
    return max(session.capacity or 0, confirmed)


def _unique_labels(objects, label):
    """A readable, unique id per object (its name; with its number when two share a name)."""
    names = [label(o) for o in objects]
    return {o.pk: (f"{n} (#{o.pk})" if names.count(n) > 1 else n) for o, n in zip(objects, names, strict=True)}


def build_instance(edition, *, fix_placed=True, labels=False):
    """The scheduler's input (see :mod:`tadamon.programme.scheduler`) for an edition.

    With ``fix_placed``, sessions staff have placed are sent as "fixed" so the solver keeps them.
    With ``labels``, sessions, spaces, speakers and kinds are named by their titles and names rather
    than their numbers, so that the scheduler's sentences can be shown to staff as they are; the
    second value returned then maps each session and space number to its label."""
    with scopes_disabled():
        slots = list(TimeSlot.objects.filter(edition=edition).order_by("starts_at"))
        spaces = list(Space.objects.filter(edition=edition))
        sessions = list(Session.objects.filter(edition=edition).prefetch_related("speakers")
                        .annotate(n_confirmed=Count("registrations", filter=Q(registrations__status=R.CONFIRMED))))
        speaker_ids = {sp.pk for s in sessions for sp in s.speakers.all()}
        speakers = list(Speaker.objects.filter(pk__in=speaker_ids).prefetch_related("unavailable_slots"))
    slot_ids = [s.pk for s in slots]
    every_kind = list(SessionKind.values)
    if labels:
        kind_label = {k: str(v) for k, v in SessionKind.choices}
        session_id = _unique_labels(sessions, lambda s: f"“{s.title}”")
        space_id = _unique_labels(spaces, lambda s: f"“{s.name}”")
        speaker_id = _unique_labels(speakers, lambda s: s.name)
        slot_id = {s.pk: n for n, s in enumerate(slots, start=1)}  # "slot 3" reads better than a database number
    else:
        kind_label = {k: k for k in every_kind}
        session_id = {s.pk: s.pk for s in sessions}
        space_id = {s.pk: s.pk for s in spaces}
        speaker_id = {s.pk: s.pk for s in speakers}
        slot_id = {s.pk: s.pk for s in slots}
    instance = {
        "slots": [{"id": slot_id[s.pk], "day": s.day.isoformat(),
                   "start": timezone.localtime(s.starts_at).strftime("%H:%M"),
                   "end": timezone.localtime(s.ends_at).strftime("%H:%M")} for s in slots],
        # A space that lists no kind suits every kind.
        "spaces": [{"id": space_id[sp.pk], "capacity": sp.capacity,
                    "kinds": [kind_label[k] for k in (sp.kinds or every_kind) if k in kind_label]} for sp in spaces],
        "speakers": [{"id": speaker_id[sp.pk], "available_slots": [
            slot_id[i] for i in slot_ids if i not in {u.pk for u in sp.unavailable_slots.all()}]} for sp in speakers],
        "sessions": [{
            "id": session_id[s.pk], "kind": kind_label.get(s.kind, s.kind), "audience": s.audience,
            "duration_slots": max(s.duration_slots, 1), "expected_attendance": _expected(s, s.n_confirmed),
            "speakers": [speaker_id[sp.pk] for sp in s.speakers.all()],
            "fixed": {"slot": slot_id[s.slot_id], "space": space_id[s.space_id]} if fix_placed and s.is_placed
            else None,
        } for s in sessions],
    }
    if labels:
        return instance, {"session": session_id, "space": space_id, "slot": slot_id}
    return instance


def current_placement(edition):
    """{session number (text): {"slot", "space"}} of the sessions in the grid."""
    with scopes_disabled():
        rows = Session.objects.filter(edition=edition, slot__isnull=False, space__isnull=False).values_list(
            "pk", "slot_id", "space_id")
    return {str(pk): {"slot": slot, "space": space} for pk, slot, space in rows}


def conflicts(edition, placement=None):
    """The scheduler's warnings (:func:`tadamon.programme.scheduler.violations`) for ``placement``
    (default: the grid as it is), as sentences naming sessions, spaces and speakers."""
    from . import scheduler

    placement = current_placement(edition) if placement is None else placement
    instance, names = build_instance(edition, fix_placed=False, labels=True)
    labelled = {}
    for session_pk, where in placement.items():
        session_label = names["session"].get(int(session_pk))
        space_label = names["space"].get(int(where["space"]))
        slot_label = names["slot"].get(int(where["slot"]))
        if session_label is not None and space_label is not None and slot_label is not None:
            labelled[session_label] = {"slot": slot_label, "space": space_label}
    try:
        return [str(v) for v in scheduler.violations(instance, labelled)]
    except Exception as exc:  # noqa: BLE001 - a warning box must never break the grid
        return [str(_("The conflicts could not be checked: %(e)s") % {"e": exc})]


def conflicts_if(edition, session, slot_id, space_id):
    """The warnings the grid would show if ``session`` moved to (slot_id, space_id) (None: out of the grid)."""
    placement = current_placement(edition)
    placement.pop(str(session.pk), None)
    if slot_id and space_id:
        placement[str(session.pk)] = {"slot": int(slot_id), "space": int(space_id)}
    return conflicts(edition, placement)


@transaction.atomic
def start_schedule_run(actor, edition, *, time_limit=30, request=None):
    """Create a run and hand it to the background worker; one run at a time per edition."""

    with scopes_disabled():
        running = ScheduleRun.objects.select_for_update().filter(
            edition=edition, status__in=[ScheduleRun.Status.PENDING, ScheduleRun.Status.RUNNING]).first()
        if running is not None:
            return running, False
        run = ScheduleRun.objects.create(edition=edition, created_by=actor if getattr(actor, "pk", None) else None,
                                         time_limit=time_limit)
    activity.record(actor, "schedule.started", edition, after={"run": run.pk}, request=request)
    transaction.on_commit(lambda: _enqueue(run))
    return run, True


def _enqueue(run):
    from .tasks import run_scheduler

    try:
        run_scheduler.enqueue(run.pk)
    except Exception as exc:  # noqa: BLE001 - a broken queue is shown on the run, not as an error page
        with scopes_disabled():
            ScheduleRun.objects.filter(pk=run.pk).update(
                status=ScheduleRun.Status.FAILED, error=f"could not start: {exc}", finished_at=timezone.now())


def execute_schedule_run(run):
    """Solve the edition's instance and place the sessions that were (and still are) unplaced."""
    from . import scheduler

    edition = run.edition
    instance = build_instance(edition, fix_placed=True)
    ScheduleRun.objects.filter(pk=run.pk).update(instance=instance)
    result = scheduler.solve(instance, time_limit=run.time_limit)
    placed = 0
    actor = run.created_by
    with transaction.atomic():
        if result.get("status") in ("optimal", "feasible"):
            free = {str(s["id"]) for s in instance["sessions"] if not s.get("fixed")}
            slots = {str(s.pk): s for s in TimeSlot.objects.filter(edition=edition)}
            spaces = {str(s.pk): s for s in Space.objects.filter(edition=edition)}
            for session_id, where in (result.get("placement") or {}).items():
                if str(session_id) not in free:
                    continue
                session = Session.objects.filter(pk=session_id, edition=edition).first()
                slot, space = slots.get(str(where.get("slot"))), spaces.get(str(where.get("space")))
                if session is None or slot is None or space is None or session.is_placed:
                    continue  # placed by hand while the solver ran: staff win
                try:
                    place_session(actor, session, slot, space,
                                  reason=f"automatic scheduler, run {run.pk}")
                    placed += 1
                except ProgrammeError:
                    continue
        run.result = result
        run.placed_count = placed
        run.status = ScheduleRun.Status.DONE
        run.finished_at = timezone.now()
        run.save(update_fields=["result", "placed_count", "status", "finished_at"])
        activity.record(actor, "schedule.finished", edition, after={
            "run": run.pk, "status": result.get("status"), "objective": result.get("objective"), "placed": placed,
            "conflicts": result.get("conflicts", [])})
    return run


# ---- registrations ------------------------------------------------------------------------------

def registration_closed_reason(session, now=None):
    """Why nobody can register for ``session`` now (a translated text), or "" when registration is open."""
    now = now or timezone.now()
    if not session.registration_required:
        return _("Entry is open: no registration is needed.")
    if session.edition.status == session.edition.Status.DRAFT:
        return _("This programme is not published yet.")
    if session.starts_at is None:
        return _("The time of this session is not fixed yet.")
    if session.starts_at <= now:
        return _("This session has started: registration is closed.")
    return ""


def _find_existing(session, user, phone):
    query = Q()
    if user is not None:
        query |= Q(user=user)
    if phone:
        query |= Q(phone=phone)
    if not query:
        return None
    return Registration.objects.select_for_update().filter(query, session=session).order_by("pk").first()


def register(session, *, user=None, name="", phone="", email="", institution="", organization=None,
             language=None, now=None, request=None, notify=True):
    """Register a person (an account, or a name and a phone number) for ``session``.

    The session row is locked and the confirmed registrations counted inside the same transaction,
    so that many people registering at the same moment never take more places than there are:
    the first ones get a confirmed place, the next ones a place on the waiting list. Registering
    twice returns the first registration. Returns (registration, created)."""
    user = user if getattr(user, "is_authenticated", False) else None
    phone = normalize_phone(phone or (user.phone if user else ""))
    name = (name or (user.get_full_name() if user else "") or (user.email if user else "")).strip()[:150]
    email = (email or (user.email if user else "")).strip()
    language = language or (user.preferred_language if user else None) or translation.get_language() or "ar"
    if not name:
        raise ProgrammeError(_("Give your name."))
    if user is None and not phone:
        raise ProgrammeError(_("Give a phone number, or log in."))
    try:
        with transaction.atomic(), scopes_disabled():
            locked = Session.objects.select_for_update(of=("self",)).select_related("edition", "space").get(
                pk=session.pk)
            reason = registration_closed_reason(locked, now)
            if reason:
                raise ProgrammeError(reason)
            existing = _find_existing(locked, user, phone)
            if existing is not None and existing.is_active:
                return existing, False
            confirmed = Registration.objects.filter(session=locked, status=R.CONFIRMED).count()
            places = locked.places
            status = R.CONFIRMED if not places or confirmed < places else R.WAITLISTED
            fields = {"name": name, "phone": phone, "email": email, "institution": institution.strip()[:200],
                      "organization": organization, "language": language[:8], "status": status,
                      "queued_at": timezone.now(), "cancelled_at": None}
            if existing is not None:  # came back after cancelling
                for key, value in fields.items():
                    setattr(existing, key, value)
                if user is not None:
                    existing.user = user
                existing.save()
                registration = existing
            else:
                registration = Registration.objects.create(session=locked, region_id=locked.region_id, user=user,
                                                           **fields)
            activity.record(_actor_label(user, name), "registration.created", registration,
                            after={"status": status, "session": locked.pk}, request=request)
            if notify:
                transaction.on_commit(lambda: send_notice(registration, "confirmed" if status == R.CONFIRMED
                                                          else "waitlisted", request=request))
            return registration, True
    except IntegrityError:
        # Two requests of the same person at the same moment: the other one created it.
        with scopes_disabled():
            query = Q(phone=phone) if phone else Q()
            if user is not None:
                query |= Q(user=user)
            return Registration.objects.filter(query, session=session).order_by("pk").first(), False


def cancel(actor, registration, *, request=None):
    """Cancel a registration; a freed place goes to the first person of the waiting list."""
    with transaction.atomic(), scopes_disabled():
        session = Session.objects.select_for_update(of=("self",)).select_related("edition", "space").get(
            pk=registration.session_id)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status == R.CANCELLED:
            return locked, []
        if locked.checked_in_at is not None:
            raise ProgrammeError(_("This person has already arrived: the registration can no longer be cancelled."))
        before = locked.status
        locked.status = R.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        activity.record(_actor_label(actor, locked.name), "registration.cancelled", locked, before={"status": before},
                        after={"status": R.CANCELLED}, request=request)
        promoted = fill_from_waitlist(actor, session, request=request) if before == R.CONFIRMED else []
    return locked, promoted


def fill_from_waitlist(actor, session, *, request=None):
    """Give free places to the waiting list, first come first served. Call inside a transaction."""
    promoted = []
    with scopes_disabled():
        session = Session.objects.select_for_update(of=("self",)).select_related("space").get(pk=session.pk)
        places = session.places
        if session.starts_at is not None and session.starts_at <= timezone.now():
            return promoted
        confirmed = Registration.objects.filter(session=session, status=R.CONFIRMED).count()
        queue = Registration.objects.select_for_update().filter(session=session, status=R.WAITLISTED).order_by(
            "queued_at", "pk")
        for registration in queue:
            if places and confirmed >= places:
                break
            registration.status = R.CONFIRMED
            registration.save(update_fields=["status"])
            confirmed += 1
            promoted.append(registration)
            activity.record(actor if getattr(actor, "is_authenticated", False) else "", "registration.promoted",
                            registration, before={"status": R.WAITLISTED}, after={"status": R.CONFIRMED},
                            reason=str(_("A place became free.")), request=request)
    for registration in promoted:
        transaction.on_commit(lambda r=registration: send_notice(r, "promoted"))
    return promoted


def waitlist_position(registration):
    if registration.status != R.WAITLISTED:
        return None
    with scopes_disabled():
        return Registration.objects.filter(session_id=registration.session_id, status=R.WAITLISTED).filter(
            Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
        ).count() + 1


# ---- check-in, certificates, feedback -----------------------------------------------------------

def find_by_code(code):
    code = re.sub(r"[^A-Za-z0-9]", "", code or "").upper()
    if not code:
        return None
    with scopes_disabled():
        return Registration.objects.select_related("session__edition", "session__space").filter(code=code).first()


@transaction.atomic
def check_in(actor, registration, *, session=None, request=None):
    """Record that the person came. Idempotent; a training workshop then gives a certificate.

    ``session``: the door being checked (a code of another session is refused). Returns (registration, new)."""
    with scopes_disabled():
        locked = Registration.objects.select_for_update(of=("self",)).select_related("session").get(
            pk=registration.pk)
        if session is not None and locked.session_id != session.pk:
            raise ProgrammeError(_("This registration is for another session: %(s)s.") % {"s": locked.session.title})
        if locked.status == R.CANCELLED:
            raise ProgrammeError(_("This registration was cancelled."))
        if locked.status == R.WAITLISTED:
            raise ProgrammeError(_("This person is on the waiting list, without a confirmed place."))
        if locked.checked_in_at is not None:
            return locked, False
        locked.checked_in_at = timezone.now()
        locked.checked_in_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.save(update_fields=["checked_in_at", "checked_in_by"])
        activity.record(actor, "registration.checked_in", locked, after={"session": locked.session_id},
                        request=request)
        if locked.session.gives_certificate:
            issue_certificate(actor, locked, request=request)
    return locked, True


@transaction.atomic
def add_walk_in(actor, session, *, name, phone="", institution="", request=None):
    """Somebody came without registering (open entry, or a free seat): register and check in at once."""
    phone = normalize_phone(phone)
    if not name.strip():
        raise ProgrammeError(_("Give the person's name."))
    with scopes_disabled():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        existing = Registration.objects.filter(session=locked, phone=phone).first() if phone else None
        if existing is None:
            existing = Registration.objects.create(session=locked, region_id=locked.region_id, name=name.strip()[:150],
                                                   phone=phone, institution=institution.strip()[:200],
                                                   status=R.CONFIRMED)
            activity.record(actor, "registration.created", existing, after={"status": R.CONFIRMED, "walk_in": True},
                            request=request)
        elif existing.status != R.CONFIRMED:
            before = existing.status
            existing.status = R.CONFIRMED
            existing.save(update_fields=["status"])
            activity.record(actor, "registration.promoted", existing, before={"status": before},
                            after={"status": R.CONFIRMED}, reason="walk-in", request=request)
    return check_in(actor, existing, session=session, request=request)[0]


def issue_certificate(actor, registration, *, request=None):
    """The certificate of a person who attended a training workshop (one per registration)."""
    if not registration.session.gives_certificate:
        raise ProgrammeError(_("Certificates are given for training workshops only."))
    if registration.checked_in_at is None:
        raise ProgrammeError(_("A certificate is given to people who attended."))
    with scopes_disabled():
        certificate = Certificate.objects.filter(registration=registration).first()
        if certificate is not None:
            return certificate
        with transaction.atomic():
            certificate = Certificate.objects.create(registration=registration)
            activity.record(actor, "certificate.issued", registration, after={"certificate": certificate.pk},
                            request=request)
    return certificate


def render_certificate(template_name, context, *, absolute_url):
    """A certificate as PDF (a template extending ``programme/pdf/certificate_base.html``), with a QR
    code of its verification page. Other apps' certificates (prizes) are rendered here too."""
    import segno

    from tadamon.core.pdf import render_pdf

    qr = segno.make(absolute_url, error="m")
    return render_pdf(template_name, {
        **context, "qr_svg": qr.svg_data_uri(scale=4, dark="#134a36"), "verify_url": absolute_url})


def certificate_pdf(certificate, *, absolute_url):
    """The certificate as PDF: Arabic then French, with a QR code of the verification page."""
    registration = certificate.registration
    return render_certificate("programme/pdf/certificate.html", {
        "certificate": certificate, "registration": registration, "session": registration.session,
        "edition": registration.session.edition}, absolute_url=absolute_url)


#: Other kinds of certificates verified at the same address: functions ``code -> dict or None``; the
#: dict gives the verification page's ``facts`` ([(label, value)]) and ``issued``.
certificate_verifiers = []


def feedback_open(registration, now=None):
    now = now or timezone.now()
    session = registration.session
    return (registration.status == R.CONFIRMED and session.starts_at is not None and session.starts_at <= now)


def leave_feedback(registration, rating, comment="", *, request=None):
    """One opinion per registration, once the session has started. Returns (feedback, created)."""
    if not feedback_open(registration):
        raise ProgrammeError(_("Feedback opens when the session starts, for people with a confirmed place."))
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ProgrammeError(_("Choose a rating from 1 to 5."))
    with scopes_disabled():
        existing = Feedback.objects.filter(registration=registration).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                feedback = Feedback.objects.create(registration=registration, rating=rating,
                                                   comment=(comment or "").strip()[:2000])
                activity.record(registration.user or registration.name, "feedback.given", registration,
                                after={"rating": rating}, request=request)
        except IntegrityError:
            return Feedback.objects.get(registration=registration), False
    return feedback, True


def feedback_summary(session):
    """Average, count and distribution (1→5) of a session's ratings."""
    with scopes_disabled():
        rows = Feedback.objects.filter(registration__session=session)
        stats = rows.aggregate(avg=Avg("rating"), n=Count("id"))
        distribution = dict(rows.values_list("rating").annotate(n=Count("id")))
        comments = list(rows.exclude(comment="").order_by("-created_at").values_list("rating", "comment")[:50])
    counts = [distribution.get(i, 0) for i in range(1, 6)]
    top = max(counts) or 1
    # Coordinates of a small horizontal bar chart (5 stars on top), drawn as inline SVG by the template.
    bars = [{"rating": i, "count": counts[i - 1], "y": row * 26, "text_y": row * 26 + 15,
             "width": round(counts[i - 1] / top * 200), "label_x": 48 + round(counts[i - 1] / top * 200) + 6}
            for row, i in enumerate(range(5, 0, -1))]
    return {"average": round(stats["avg"], 2) if stats["avg"] is not None else None, "count": stats["n"],
            "bars": bars, "comments": comments}


# ---- messages -----------------------------------------------------------------------------------

def send_notice(registration, kind, *, request=None):
    """Tell the person, by e-mail in their language and by text message: confirmed, waitlisted,
    promoted, cancelled or reminder."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    from tadamon.core.sms import send_sms

    with scopes_disabled():
        registration = Registration.objects.select_related("session__edition", "session__space", "user").get(
            pk=registration.pk)
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        path = reverse("programme:registration", args=[registration_token(registration)])
        link = request.build_absolute_uri(path) if request is not None else base_url().rstrip("/") + path
        context = {"registration": registration, "session": registration.session, "kind": kind, "link": link,
                   "position": waitlist_position(registration)}
        subject = render_to_string("programme/email/notice_subject.txt", context).strip()
        body = render_to_string("programme/email/notice.txt", context)
        sms = render_to_string("programme/email/notice_sms.txt", context).strip()
    email = registration.email or (registration.user.email if registration.user else "")
    if email:
        send_mail(subject, body, None, [email])
    send_sms(registration.phone, sms)


def send_reminders(now=None):
    """Remind every confirmed person of a session starting within 24 hours, once. Returns how many.

    Each registration is claimed with a conditional UPDATE before its messages go, so two runs at
    the same time (a cron and a task) never send the same reminder twice."""
    now = now or timezone.now()
    with scopes_disabled():
        due = list(Registration.objects.filter(
            status=R.CONFIRMED, reminder_sent_at__isnull=True, session__starts_at__gt=now,
            session__starts_at__lte=now + timedelta(hours=24)).values_list("pk", flat=True))
        sent = 0
        for pk in due:
            if Registration.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                send_notice(Registration(pk=pk), "reminder")
                sent += 1
    return sent


# ---- figures ------------------------------------------------------------------------------------

def participants_summary(edition):
    """People of an edition's programme (a communication day above all): registered and present,
    counted once per person whatever the number of sessions, and the institutions present."""
    with scopes_disabled():
        rows = list(Registration.objects.filter(session__edition=edition, status=R.CONFIRMED).values_list(
            "user_id", "phone", "name", "institution", "checked_in_at"))
    def person(row):
        user_id, phone, name, *_rest = row
        return f"u{user_id}" if user_id else (f"p{phone}" if phone else f"n{name.strip().lower()}")

    registered = {person(r) for r in rows}
    present_rows = [r for r in rows if r[4] is not None]
    present = {person(r) for r in present_rows}
    institutions = {}
    for r in present_rows or rows:
        name = (r[3] or "").strip()
        if name:
            key = name.casefold()
            entry = institutions.setdefault(key, {"name": name, "people": set()})
            entry["people"].add(person(r))
    listed = sorted(({"name": v["name"], "count": len(v["people"])} for v in institutions.values()),
                    key=lambda x: (-x["count"], x["name"]))
    return {"registered": len(registered), "present": len(present), "institutions": listed}


def session_counts(sessions):
    """{session id: {"confirmed", "waitlisted", "present"}} for a list of sessions."""
    ids = [s.pk for s in sessions]
    with scopes_disabled():
        rows = Registration.objects.filter(session_id__in=ids).values("session_id").annotate(
            confirmed=Count("id", filter=Q(status=R.CONFIRMED)),
            waitlisted=Count("id", filter=Q(status=R.WAITLISTED)),
            present=Count("id", filter=Q(status=R.CONFIRMED, checked_in_at__isnull=False)))
    out = {i: {"confirmed": 0, "waitlisted": 0, "present": 0} for i in ids}
    for row in rows:
        out[row["session_id"]] = {k: row[k] for k in ("confirmed", "waitlisted", "present")}
    return out


def is_training(session):
    return session.kind == SessionKind.TRAINING
