"""Placing the selected exhibitors of an edition on its stands: the allocation engine's input built from
the database, runs in the background, the placements they produce, hand changes (place, lock, swap),
publication and notification. Every run and every change is logged in the activity log.

The engine (:mod:`tadamon.fairs.allocation`) takes and returns plain data (its contract is in its
docstring): exhibitor ids are application ids, stand ids are stand primary keys. Locked placements
are given to it as ``locked_stand`` and kept as they are by every run ("re-optimise the rest").
Stand preferences come from the exhibitors themselves (up to three, from their application page
after selection); an exhibitor who gave none simply has none.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from tadamon.core import activity

from .floor_models import AllocationRun, Participation, Stand, StandAssignment
from .floor_services import PlanError, lock_plan
from .models import Application

logger = logging.getLogger(__name__)

S = Application.Status
#: Who gets a stand: exhibitors whose selection is decided.
PLACED_STATUSES = (S.SELECTED, S.CONFIRMED)
#: The objective's weights: a first, second, third preference; an exhibitor in the zone of its sector;
#: two exhibitors of the same sector sharing a stand; two who asked to share.
DEFAULT_WEIGHTS = {"preference": [30, 20, 10], "zone": 5, "pair_same_sector": 2, "pair_requested": 50}

activity.register_actions({
    "allocation.run": gettext_lazy("stand allocation computed"),
    "allocation.failed": gettext_lazy("stand allocation failed"),
    "allocation.placed": gettext_lazy("exhibitor placed on a stand by hand"),
    "allocation.unplaced": gettext_lazy("exhibitor removed from its stand"),
    "allocation.locked": gettext_lazy("stand placement locked"),
    "allocation.unlocked": gettext_lazy("stand placement unlocked"),
    "allocation.swapped": gettext_lazy("two exhibitors swapped stands"),
    "allocation.published": gettext_lazy("stand placements published"),
    "allocation.notified": gettext_lazy("exhibitors told their stand"),
    "participation.saved": gettext_lazy("stand preferences and staff names saved"),
})


class AllocationError(PlanError):
    """A placement change the rules do not allow; the message says why."""


def site_url(request=None):
    """The site's public address for links sent away from the page (messages, QR codes): the
    configured ``TADAMON_BASE_URL``, else the address of the request."""
    from django.conf import settings

    configured = getattr(settings, "TADAMON_BASE_URL", "")
    if configured:
        return configured.rstrip("/")
    return request.build_absolute_uri("/").rstrip("/") if request is not None else ""


def exhibitors_to_place(edition):
    """The applications of the edition that need a stand (selected or confirmed, with a pole)."""
    return (Application.objects.with_scopes_disabled()
            .filter(edition=edition, status__in=PLACED_STATUSES, pole__isnull=False)
            .select_related("organization__sector", "organization__province", "pole", "share_with")
            .order_by("pk"))


# ---- the engine's input --------------------------------------------------------------------------

def build_instance(edition, weights=None):
    """The allocation engine's input (IN of the contract) for an edition, read from the database."""
    with scopes_disabled():
        stands = list(Stand.objects.filter(edition=edition).select_related("zone").order_by("number", "pk"))
        exhibitors = list(exhibitors_to_place(edition))
        locks = dict(StandAssignment.objects.filter(edition=edition, locked=True)
                     .values_list("application_id", "stand_id"))
        participations = {p.application_id: p for p in Participation.objects.filter(edition=edition)}
    stand_ids = {s.pk for s in stands}
    by_organization = {a.organization_id: a.pk for a in exhibitors}
    out_stands = [{
        "id": s.pk, "pole": s.pole_id, "capacity": s.capacity, "zone": s.zone.key if s.zone_id else None,
        "accessible": s.step_free, "power": s.power, "x": s.x, "y": s.y, "w": s.width, "h": s.depth,
    } for s in stands]
    out_exhibitors = []
    for a in exhibitors:
        participation = participations.get(a.pk)
        preferences = [int(p) for p in (participation.stand_preferences if participation else [])
                       if str(p).isdigit() and int(p) in stand_ids][:Participation.MAX_PREFERENCES]
        partner = by_organization.get(a.share_with_id) if a.share_with_id else None
        out_exhibitors.append({
            "id": a.pk, "pole": a.pole_id, "sector": a.organization.sector.key,
            "needs_accessible": a.needs_step_free, "needs_power": a.needs_power, "preferences": preferences,
            "share_with": partner if partner != a.pk else None, "never_share_with": [],
            "locked_stand": locks.get(a.pk) if locks.get(a.pk) in stand_ids else None,
        })
    return {"weights": dict(weights or DEFAULT_WEIGHTS), "stands": out_stands, "exhibitors": out_exhibitors}


def _engine():
    from . import allocation

    return allocation


# ---- runs ----------------------------------------------------------------------------------------

def start_run(actor, edition, *, method="solve", time_limit=60, language="ar"):
    """Queue a run of the allocation (one at a time per edition: a second click returns the first)."""
    from .tasks import run_allocation_job

    with transaction.atomic():
        lock_plan(edition)
        with scopes_disabled():
            active = AllocationRun.objects.filter(edition=edition, status__in=[
                AllocationRun.Status.PENDING, AllocationRun.Status.RUNNING]).first()
            if active is not None:
                return active, False
            run = AllocationRun.objects.create(edition=edition, region_id=edition.region_id, created_by=actor,
                                               method=method, time_limit=time_limit, language=language)
    try:
        run_allocation_job.enqueue(run.pk)
    except Exception:
        logger.exception("could not enqueue allocation run %s", run.pk)
        with scopes_disabled():
            AllocationRun.objects.filter(pk=run.pk).update(
                status=AllocationRun.Status.FAILED, finished_at=timezone.now(),
                error=_("The allocation could not be started. Try again in a few minutes."))
    return run, True


def execute_run(run_id):
    """Run the engine for ``run_id`` (in the background worker), then apply its placements.

    The engine works outside any transaction (it may take a minute); the placements are applied in
    one transaction afterwards, keeping the locked ones and whatever changed by hand meanwhile.
    """
    with scopes_disabled():
        with transaction.atomic():
            run = AllocationRun.objects.select_for_update().filter(pk=run_id).first()
            if run is None or run.status != AllocationRun.Status.PENDING:
                return None
            run.status = AllocationRun.Status.RUNNING
            run.started_at = timezone.now()
            run.save(update_fields=["status", "started_at"])
        edition = run.edition
        instance = build_instance(edition)
        run.instance = instance
        run.save(update_fields=["instance"])
        try:
            engine = _engine()
            if run.method == "greedy":
                result = engine.greedy(instance)
            else:
                result = engine.solve(instance, time_limit=run.time_limit)
        except Exception as exc:  # the engine is missing or failed: say so, change nothing
            logger.exception("allocation run %s failed", run.pk)
            with transaction.atomic():
                run.status = AllocationRun.Status.FAILED
                run.error = f"{type(exc).__name__}: {exc}"[:2000]
                run.finished_at = timezone.now()
                run.save(update_fields=["status", "error", "finished_at"])
                activity.record(run.created_by, "allocation.failed", edition, after={
                    "run": run.pk, "error": run.error})
            return run
        with transaction.atomic():
            lock_plan(edition)
            run.result = result
            notes = []
            if result.get("status") in ("optimal", "feasible"):
                notes = apply_assignment(edition, run, result.get("assignment", {}))
                run.applied = True
            run.status = AllocationRun.Status.DONE
            run.finished_at = timezone.now()
            if notes:
                run.result = {**result, "conflicts": [*result.get("conflicts", []), *notes]}
            run.save(update_fields=["result", "applied", "status", "finished_at"])
            placed = StandAssignment.objects.filter(edition=edition).count()
            activity.record(run.created_by, "allocation.run", edition, after={
                "run": run.pk, "method": run.method, "status": result.get("status"),
                "objective": result.get("objective"), "bound": result.get("bound"),
                "exhibitors": len(instance["exhibitors"]), "stands": len(instance["stands"]),
                "placed": placed, "applied": run.applied, "conflicts": run.result.get("conflicts", [])})
    return run


def apply_assignment(edition, run, assignment):
    """Replace the unlocked placements by the engine's. Locked placements stay; an engine placement
    that no longer fits (the stand is full, in another pole, or gone) is skipped and reported.
    Returns the notes (translated sentences) about what could not be applied."""
    stands = {s.pk: s for s in Stand.objects.filter(edition=edition)}
    exhibitors = {a.pk: a for a in exhibitors_to_place(edition)}
    current = {a.application_id: a for a in StandAssignment.objects.filter(edition=edition)}
    load = {}
    for a in current.values():
        if a.locked:
            load[a.stand_id] = load.get(a.stand_id, 0) + 1
    notes = []
    wanted = {}
    for key, stand_id in assignment.items():
        try:
            application_id, stand_id = int(key), int(stand_id)
        except (TypeError, ValueError):
            continue
        existing = current.get(application_id)
        if existing is not None and existing.locked:
            continue
        application, stand = exhibitors.get(application_id), stands.get(stand_id)
        if application is None:
            continue
        if stand is None or stand.pole_id != application.pole_id or load.get(stand_id, 0) >= stand.capacity:
            notes.append(_("%(org)s could not be placed on the stand the engine chose; place it by hand.")
                         % {"org": application.organization.name})
            continue
        load[stand_id] = load.get(stand_id, 0) + 1
        wanted[application_id] = stand_id
    for application_id, existing in current.items():
        if existing.locked:
            continue
        if application_id not in wanted:
            existing.delete()
    for application_id, stand_id in wanted.items():
        existing = current.get(application_id)
        if existing is not None:
            if existing.stand_id != stand_id or existing.run_id != run.pk:
                existing.stand_id = stand_id
                existing.run = run
                existing.save(update_fields=["stand", "run", "updated_at"])
        else:
            StandAssignment.objects.create(edition=edition, region_id=edition.region_id,
                                           application_id=application_id, stand_id=stand_id, run=run)
    return notes


def latest_run(edition):
    with scopes_disabled():
        return AllocationRun.objects.filter(edition=edition).select_related("created_by").first()


# ---- hand changes --------------------------------------------------------------------------------

def _check_fits(application, stand, *, ignoring=()):
    """Why ``application`` cannot go on ``stand`` (translated), or None."""
    if stand.edition_id != application.edition_id:
        return _("This stand belongs to another edition.")
    if stand.pole_id != application.pole_id:
        return _("Stand %(n)s is in another pole.") % {"n": stand.number}
    if application.needs_power and not stand.power:
        return _("%(org)s needs electricity and stand %(n)s has none.") % {
            "org": application.organization.name, "n": stand.number}
    if application.needs_step_free and not stand.step_free:
        return _("%(org)s needs step-free access and stand %(n)s has none.") % {
            "org": application.organization.name, "n": stand.number}
    taken = StandAssignment.objects.filter(stand=stand).exclude(application__in=[application.pk, *ignoring]).count()
    if taken >= stand.capacity:
        return _("Stand %(n)s is full.") % {"n": stand.number}
    return None


def _placeable(application):
    if application.status not in PLACED_STATUSES or application.pole_id is None:
        raise AllocationError(_("Only selected or confirmed exhibitors get a stand."))


@transaction.atomic
def place(actor, application, stand, *, request=None):
    """Put an exhibitor on a stand by hand; the placement is locked."""
    lock_plan(application.edition)
    with scopes_disabled():
        _placeable(application)
        problem = _check_fits(application, stand)
        if problem:
            raise AllocationError(problem)
        existing = StandAssignment.objects.filter(application=application).select_related("stand").first()
        before = {"stand": existing.stand.number if existing else None, "locked": existing.locked if existing else None}
        if existing is None:
            existing = StandAssignment(edition=application.edition, region_id=application.region_id,
                                       application=application)
        existing.stand = stand
        existing.locked = True
        existing.assigned_by = actor if getattr(actor, "is_authenticated", False) else None
        existing.save()
        activity.record(actor, "allocation.placed", application, before=before,
                        after={"stand": stand.number, "locked": True}, request=request)
    return existing


@transaction.atomic
def unplace(actor, application, *, request=None):
    lock_plan(application.edition)
    with scopes_disabled():
        existing = StandAssignment.objects.filter(application=application).select_related("stand").first()
        if existing is None:
            return None
        activity.record(actor, "allocation.unplaced", application,
                        before={"stand": existing.stand.number, "locked": existing.locked}, after={"stand": None},
                        request=request)
        existing.delete()
    return None


@transaction.atomic
def set_lock(actor, application, locked, *, request=None):
    lock_plan(application.edition)
    with scopes_disabled():
        existing = StandAssignment.objects.filter(application=application).select_related("stand").first()
        if existing is None:
            raise AllocationError(_("This exhibitor has no stand yet: place it first."))
        if existing.locked == bool(locked):
            return existing
        existing.locked = bool(locked)
        existing.save(update_fields=["locked", "updated_at"])
        activity.record(actor, "allocation.locked" if locked else "allocation.unlocked", application,
                        before={"stand": existing.stand.number, "locked": not locked},
                        after={"stand": existing.stand.number, "locked": bool(locked)}, request=request)
    return existing


@transaction.atomic
def swap(actor, first, second, *, request=None):
    """Exchange the stands of two placed exhibitors of the same edition; both placements are locked."""
    if first.pk == second.pk:
        raise AllocationError(_("Choose two different exhibitors."))
    if first.edition_id != second.edition_id:
        raise AllocationError(_("These exhibitors are not in the same edition."))
    lock_plan(first.edition)
    with scopes_disabled():
        a = StandAssignment.objects.filter(application=first).select_related("stand").first()
        b = StandAssignment.objects.filter(application=second).select_related("stand").first()
        if a is None or b is None:
            raise AllocationError(_("Both exhibitors must already have a stand to swap them."))
        if a.stand_id == b.stand_id:
            raise AllocationError(_("These exhibitors already share the same stand."))
        for application, stand in ((first, b.stand), (second, a.stand)):
            problem = _check_fits(application, stand, ignoring=[first.pk, second.pk])
            if problem:
                raise AllocationError(problem)
        stand_a, stand_b = a.stand, b.stand
        user = actor if getattr(actor, "is_authenticated", False) else None
        a.stand, a.locked, a.assigned_by = stand_b, True, user
        b.stand, b.locked, b.assigned_by = stand_a, True, user
        a.save()
        b.save()
        activity.record(actor, "allocation.swapped", first.edition, before={
            str(first.organization): stand_a.number, str(second.organization): stand_b.number}, after={
            str(first.organization): stand_b.number, str(second.organization): stand_a.number}, request=request)
    return a, b


# ---- publication and notification ----------------------------------------------------------------

def pending_notifications(edition):
    """Placements whose exhibitor has not been told this stand yet."""
    with scopes_disabled():
        return [a for a in StandAssignment.objects.filter(edition=edition).select_related(
            "stand", "application__organization") if a.notified_number != a.stand.number]


@transaction.atomic
def publish(actor, edition, *, base_url="", send_messages=True, request=None):
    """Make the placements public on the map and tell every exhibitor whose stand is new or changed
    (``send_messages=False`` records them as told without writing to them: a demo's past fair)."""
    plan = lock_plan(edition)
    with scopes_disabled():
        if not StandAssignment.objects.filter(edition=edition).exists():
            raise AllocationError(_("No exhibitor is placed yet: run the allocation first."))
        first_time = plan.published_at is None
        if first_time:
            plan.published_at = timezone.now()
            plan.published_by = actor if getattr(actor, "is_authenticated", False) else None
            plan.save(update_fields=["published_at", "published_by", "updated_at"])
            activity.record(actor, "allocation.published", edition, after={
                "placed": StandAssignment.objects.filter(edition=edition).count()}, request=request)
        pending = pending_notifications(edition)
        now = timezone.now()
        for assignment in pending:
            assignment.notified_number = assignment.stand.number
            assignment.notified_at = now
            assignment.save(update_fields=["notified_number", "notified_at"])
        if pending:
            activity.record(actor, "allocation.notified", edition, after={
                "exhibitors": len(pending), "stands": sorted({a.stand.number for a in pending})}, request=request)
    ids = [a.pk for a in pending]
    base_url = base_url or site_url(request)
    if send_messages:
        transaction.on_commit(lambda: notify_stands(ids, base_url=base_url))
    return len(pending)


def notify_stands(assignment_ids, *, base_url=""):
    """Tell each exhibitor its stand, by e-mail in each representative's language and by text message."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from tadamon.core.sms import send_sms
    from tadamon.registry.models import Representation

    with scopes_disabled():
        assignments = list(StandAssignment.objects.filter(pk__in=assignment_ids).select_related(
            "stand__pole", "stand__area", "application__organization", "application__edition"))
        for assignment in assignments:
            application = assignment.application
            users = [r.user for r in Representation.objects.filter(
                organization=application.organization, status=Representation.Status.APPROVED).select_related("user")]
            for user in users:
                with translation.override(user.preferred_language):
                    path = reverse("fairs:map_stand", args=[application.edition_id, assignment.stand_id])
                    context = {"application": application, "stand": assignment.stand, "user": user,
                               "map_url": f"{base_url.rstrip('/')}{path}" if base_url else ""}
                    subject = render_to_string("fairs/email/stand_subject.txt", context).strip()
                    body = render_to_string("fairs/email/stand.txt", context)
                    send_mail(subject, body, None, [user.email])
                    send_sms(user.phone, subject)


# ---- what exhibitors tell us ---------------------------------------------------------------------

@transaction.atomic
def save_participation(actor, application, *, preferences=None, staff_names=None, request=None):
    """Save an exhibitor's stand preferences (up to 3 stands of its pole) and staff names (up to 4)."""
    with scopes_disabled():
        participation, _created = Participation.objects.select_for_update().get_or_create(
            application=application, defaults={"edition": application.edition, "region_id": application.region_id})
        before = {"stand_preferences": participation.stand_preferences, "staff_names": participation.staff_names}
        fields = []
        if preferences is not None:
            clean = []
            for stand in preferences:
                if stand is None or stand.pk in clean:
                    continue
                if stand.edition_id != application.edition_id or stand.pole_id != application.pole_id:
                    raise AllocationError(_("Stand %(n)s is not in your pole.") % {"n": stand.number})
                clean.append(stand.pk)
            participation.stand_preferences = clean[:Participation.MAX_PREFERENCES]
            fields.append("stand_preferences")
        if staff_names is not None:
            names = []
            for name in staff_names:
                name = " ".join((name or "").split())[:150]
                if name and name not in names:
                    names.append(name)
            participation.staff_names = names[:Participation.MAX_STAFF]
            fields.append("staff_names")
        participation.save(update_fields=[*fields, "updated_at"])
        activity.record(actor, "participation.saved", application, before=before, after={
            "stand_preferences": participation.stand_preferences, "staff_names": participation.staff_names},
            request=request)
    return participation
