"""Business operations of consultations, the action plan and the pole's shared services.

Views, the demo and commands call these functions; each change is written to the activity log in
the same transaction. Bad input raises :class:`ConsultError` with a translated message and changes
nothing.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from tadamon.core import activity
from tadamon.core.images import MAX_UPLOAD_BYTES, clean_document

from .models import (
    Action,
    ActionPlan,
    Booking,
    Comment,
    Criterion,
    Indicator,
    Milestone,
    PoleService,
    ProgressUpdate,
    Proposal,
    Score,
    Support,
    Theme,
    Workshop,
)

P = Proposal.Status

activity.register_actions({
    "workshop.created": gettext_lazy("consultation workshop created"),
    "workshop.phase_changed": gettext_lazy("workshop settings changed"),
    "workshop.pre_read_uploaded": gettext_lazy("pre-read uploaded"),
    "proposal.submitted": gettext_lazy("proposal submitted"),
    "proposal.supported": gettext_lazy("proposal supported"),
    "proposal.commented": gettext_lazy("proposal commented"),
    "proposal.hidden": gettext_lazy("proposal hidden by moderation"),
    "proposal.merged": gettext_lazy("proposals merged"),
    "proposal.scored": gettext_lazy("proposal scored"),
    "proposal.retained": gettext_lazy("proposal retained in the action plan"),
    "proposal.not_retained": gettext_lazy("proposal not retained"),
    "comment.hidden": gettext_lazy("comment hidden by moderation"),
    "plan.created": gettext_lazy("action plan created"),
    "action.milestone_added": gettext_lazy("milestone added"),
    "action.indicator_added": gettext_lazy("indicator added"),
    "action.progress": gettext_lazy("progress reported"),
    "action.contact_set": gettext_lazy("partner's contact named"),
    "service.saved": gettext_lazy("shared service saved"),
    "booking.requested": gettext_lazy("service booked"),
    "booking.approved": gettext_lazy("booking approved"),
    "booking.refused": gettext_lazy("booking refused"),
    "booking.cancelled": gettext_lazy("booking cancelled"),
})

#: The criteria every new workshop starts with (key, Arabic, French, weight). Scores go from 1 to 5,
#: 5 the best: for the cost, 5 means the cheapest.
DEFAULT_CRITERIA = [
    ("impact", "الأثر", "Impact", 3),
    ("cost", "الكلفة", "Coût", 1),
    ("feasibility", "قابلية التنفيذ", "Faisabilité", 2),
]


class ConsultError(Exception):
    pass


# --- Workshops ---------------------------------------------------------------------------------

@transaction.atomic
def create_workshop(actor, session, *, themes, intro_ar="", intro_fr="", request=None):
    """A workshop held as ``session``, with its themes ([(Arabic, French)]) and the default criteria."""
    if Workshop.objects.filter(session=session).exists():
        raise ConsultError(_("This session already holds a workshop."))
    workshop = Workshop.objects.create(session=session, region_id=session.region_id, intro_ar=intro_ar,
                                       intro_fr=intro_fr)
    for position, (ar, fr) in enumerate(themes):
        Theme.objects.create(workshop=workshop, title_ar=ar, title_fr=fr or ar, position=position)
    for position, (key, ar, fr, weight) in enumerate(DEFAULT_CRITERIA):
        Criterion.objects.create(workshop=workshop, key=key, name_ar=ar, name_fr=fr, weight=weight, position=position)
    activity.record(actor, "workshop.created", workshop, after={"session": session.pk, "themes": len(themes)},
                    request=request)
    return workshop


def clean_pdf(uploaded, *, max_bytes=MAX_UPLOAD_BYTES):
    """A pre-read must be a real PDF under the size limit."""
    if getattr(uploaded, "size", 0) > max_bytes:
        raise ConsultError(_("This file is too large. The limit is %(limit)s MB.")
                           % {"limit": round(max_bytes / 1048576)})
    head = uploaded.read(5)
    uploaded.seek(0)
    if head != b"%PDF-":
        raise ConsultError(_("The pre-read must be a PDF file."))
    return uploaded


@transaction.atomic
def set_pre_read(actor, workshop, uploaded, *, request=None):
    clean_pdf(uploaded)
    workshop.pre_read.save(f"pre-read-{workshop.pk}.pdf", uploaded, save=True)
    activity.record(actor, "workshop.pre_read_uploaded", workshop, request=request)


@transaction.atomic
def configure(actor, workshop, *, phase, staff_share=None, weights=None, request=None):
    """The workshop's phase, the weight of the staff scores in the ranking (%) and the criteria's
    weights ({criterion: 0..10})."""
    if phase not in Workshop.Phase.values:
        raise ConsultError(_("Choose a phase from the list."))
    staff_share = workshop.staff_share if staff_share is None else staff_share
    if not 0 <= staff_share <= 100:
        raise ConsultError(_("The weight of the staff scores is a percentage between 0 and 100."))
    before = {"phase": workshop.phase, "staff_share": workshop.staff_share,
              "weights": {c.key: c.weight for c in workshop.criteria.all()}}
    for criterion, weight in (weights or {}).items():
        if criterion.workshop_id != workshop.pk or not 0 <= weight <= 10:
            raise ConsultError(_("A criterion's weight goes from 0 to 10."))
        criterion.weight = weight
        criterion.save(update_fields=["weight"])
    workshop.phase, workshop.staff_share = phase, staff_share
    workshop.save(update_fields=["phase", "staff_share"])
    after = {"phase": phase, "staff_share": staff_share,
             "weights": {c.key: c.weight for c in workshop.criteria.all()}}
    activity.record(actor, "workshop.phase_changed", workshop, before=before, after=after, request=request)


# --- Proposals, supports, comments, moderation -------------------------------------------------

def submit_proposal(workshop, *, theme, title, body, author=None, author_label="", typed_by=None, request=None):
    """A proposal of ``author`` (or of a table, typed by the facilitator ``typed_by``)."""
    title, body = (title or "").strip(), (body or "").strip()
    if not workshop.is_open:
        raise ConsultError(_("This workshop no longer takes proposals."))
    if theme is None or theme.workshop_id != workshop.pk:
        raise ConsultError(_("Choose one of the workshop's themes."))
    if not title or not body:
        raise ConsultError(_("Give your proposal a title and say what you propose."))
    author = author if getattr(author, "is_authenticated", False) else None
    if author is None and not author_label.strip():
        raise ConsultError(_("Say on whose behalf the proposal is made (a table, an institution)."))
    with transaction.atomic():
        proposal = Proposal.objects.create(
            workshop=workshop, region_id=workshop.region_id, theme=theme, title=title[:200], body=body[:4000],
            author=author, author_label=author_label.strip()[:150], typed_by=typed_by, phase=workshop.phase)
        activity.record(typed_by or author, "proposal.submitted", proposal,
                        after={"theme": theme.pk, "phase": workshop.phase, "on_behalf_of": proposal.author_label},
                        request=request)
    return proposal


def support(user, proposal, *, request=None):
    """One support per person and proposal: a second one is refused (the database enforces it too)."""
    if proposal.status in (P.HIDDEN, P.MERGED):
        raise ConsultError(_("This proposal can no longer be supported."))
    if proposal.workshop.phase == Workshop.Phase.CLOSED:
        raise ConsultError(_("Supports are closed for this workshop."))
    already = _("You already support this proposal: each person supports a proposal once.")
    if Support.objects.filter(proposal=proposal, user=user).exists():
        raise ConsultError(already)
    try:
        with transaction.atomic():
            Support.objects.create(proposal=proposal, user=user)
            activity.record(user, "proposal.supported", proposal, request=request)
    except IntegrityError:  # the same person, twice at the same moment
        raise ConsultError(already) from None


@transaction.atomic
def comment(user, proposal, body, *, request=None):
    body = (body or "").strip()
    if not body:
        raise ConsultError(_("Write your comment first."))
    if proposal.status == P.HIDDEN:
        raise ConsultError(_("This proposal can no longer be commented."))
    item = Comment.objects.create(proposal=proposal, author=user, body=body[:2000])
    activity.record(user, "proposal.commented", proposal, after={"comment": item.pk}, request=request)
    return item


def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ConsultError(_("Give the reason: it is shown to the author and kept in the activity log."))
    return reason


@transaction.atomic
def hide_proposal(actor, proposal, reason, *, request=None):
    reason = _reason(reason)
    before = proposal.status
    proposal.status, proposal.moderation_reason = P.HIDDEN, reason
    proposal.save(update_fields=["status", "moderation_reason"])
    activity.record(actor, "proposal.hidden", proposal, before={"status": before}, after={"status": P.HIDDEN},
                    reason=reason, request=request)


@transaction.atomic
def hide_comment(actor, item, reason, *, request=None):
    reason = _reason(reason)
    item.hidden, item.hidden_reason = True, reason
    item.save(update_fields=["hidden", "hidden_reason"])
    activity.record(actor, "comment.hidden", item.proposal, after={"comment": item.pk}, reason=reason,
                    request=request)


@transaction.atomic
def merge(actor, source, target, reason, *, request=None):
    """``source`` is merged into ``target``: its supports move over (a person who supported both counts once)."""
    reason = _reason(reason)
    if source.pk == target.pk or source.workshop_id != target.workshop_id:
        raise ConsultError(_("Merge a proposal into another proposal of the same workshop."))
    if source.status not in (P.PUBLISHED,) or target.status not in (P.PUBLISHED,):
        raise ConsultError(_("Only published proposals can be merged."))
    already = set(Support.objects.filter(proposal=target).values_list("user_id", flat=True))
    moved = Support.objects.filter(proposal=source).exclude(user_id__in=already).update(proposal=target)
    source.status, source.merged_into, source.moderation_reason = P.MERGED, target, reason
    source.save(update_fields=["status", "merged_into", "moderation_reason"])
    activity.record(actor, "proposal.merged", source, after={"into": target.pk, "supports_moved": moved},
                    reason=reason, request=request)


# --- Prioritisation ----------------------------------------------------------------------------

@transaction.atomic
def score(actor, proposal, values, *, request=None):
    """``values``: {criterion: 1..5}. One score per scorer, criterion and proposal (updated in place)."""
    for criterion, value in values.items():
        if criterion.workshop_id != proposal.workshop_id:
            raise ConsultError(_("This criterion belongs to another workshop."))
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise ConsultError(_("A score goes from 1 to 5."))
        Score.objects.update_or_create(proposal=proposal, criterion=criterion, scorer=actor,
                                       defaults={"value": value})
    activity.record(actor, "proposal.scored", proposal, after={c.key: v for c, v in values.items()},
                    request=request)


def ranking(workshop):
    """The ranked list of the workshop's proposals (hidden and merged ones left out), best first.

    Method (docs/facilitator.md): the staff score of a proposal is the weighted mean, over the
    criteria, of the average score of each criterion brought from 1–5 to 0–1; the participants' vote
    is approval voting: each person supports as many proposals as they like, once each, and a
    proposal's vote share is its supports divided by the most supports any proposal got. The
    combined score is ``staff_share`` % of the staff score plus the rest of the vote share. Ties are
    broken by supports, then by the order of submission.
    """
    criteria = list(workshop.criteria.all())
    total_weight = sum(c.weight for c in criteria) or 1
    proposals = list(Proposal.objects.filter(workshop=workshop).exclude(status__in=[P.HIDDEN, P.MERGED])
                     .select_related("theme").annotate(n_supports=Count("supports", distinct=True)))
    averages = {}
    for row in Score.objects.filter(proposal__workshop=workshop).values("proposal_id", "criterion_id", "value"):
        averages.setdefault((row["proposal_id"], row["criterion_id"]), []).append(row["value"])
    most = max((p.n_supports for p in proposals), default=0) or 1
    share = Decimal(workshop.staff_share) / 100
    rows = []
    for p in proposals:
        parts, staff = [], None
        per = [(c, averages.get((p.pk, c.pk))) for c in criteria]
        if any(values for _c, values in per):
            staff = Decimal(0)
            for c, values in per:
                avg = Decimal(sum(values)) / len(values) if values else Decimal(1)
                staff += Decimal(c.weight) * (avg - 1) / 4
                parts.append((c, avg))
            staff /= total_weight
        vote = Decimal(p.n_supports) / most
        combined = share * (staff or 0) + (1 - share) * vote
        rows.append({"proposal": p, "staff": staff, "parts": parts, "supports": p.n_supports, "vote": vote,
                     "combined": combined})
    rows.sort(key=lambda r: (-r["combined"], -r["supports"], r["proposal"].pk))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        row["percent"] = int((row["combined"] * 100).quantize(Decimal(1), ROUND_HALF_UP))
        row["explanation"] = _explain(row, share, most)
    return rows


def _fmt(value):
    """Two decimals, rounded half up like the score out of 100 beside it."""
    return str(Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _explain(row, share, most):
    if row["staff"] is None:
        staff = _("not scored yet by staff (counts 0)")
    else:
        detail = ", ".join(f"{c.name} {_fmt(avg)}/5 ×{c.weight}" for c, avg in row["parts"])
        staff = _("staff score %(score)s (%(detail)s)") % {"score": _fmt(row["staff"]), "detail": detail}
    return _("%(staff)s × %(share)s %% + %(supports)s supports of %(most)s at most (%(vote)s) × %(rest)s %% "
             "= %(total)s") % {
        "staff": staff, "share": int(share * 100), "supports": row["supports"], "most": most,
        "vote": _fmt(row["vote"]), "rest": 100 - int(share * 100), "total": _fmt(row["combined"])}


# --- Action plan -------------------------------------------------------------------------------

@transaction.atomic
def create_plan(actor, workshop, *, title_ar, title_fr, starts_on, ends_on, request=None):
    if ends_on < starts_on:
        raise ConsultError(_("The plan must end after it starts."))
    if ActionPlan.objects.filter(workshop=workshop).exists():
        raise ConsultError(_("This workshop already has its action plan."))
    plan = ActionPlan.objects.create(workshop=workshop, region_id=workshop.region_id, title_ar=title_ar,
                                     title_fr=title_fr, starts_on=starts_on, ends_on=ends_on)
    activity.record(actor, "plan.created", plan, after={"starts_on": str(starts_on), "ends_on": str(ends_on)},
                    request=request)
    return plan


def retain(actor, proposal, *, reason, owner, budget_mad, title_ar="", title_fr="", contact_email="", request=None):
    """The proposal is retained: it becomes an action of the workshop's plan, owned by a partner."""
    reason = _reason(reason)
    if budget_mad is None or Decimal(budget_mad) < 0:
        raise ConsultError(_("The budget is an amount in dirhams, zero or more."))
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != P.PUBLISHED:
            raise ConsultError(_("This proposal has already been decided on, merged or hidden."))
        plan = ActionPlan.objects.filter(workshop_id=proposal.workshop_id).first()
        if plan is None:
            raise ConsultError(_("Create the workshop's action plan first."))
        action = Action.objects.create(plan=plan, region_id=plan.region_id, proposal=proposal,
                                       title_ar=title_ar or proposal.title, title_fr=title_fr or proposal.title,
                                       owner=owner, budget_mad=budget_mad)
        if contact_email:
            set_contact(actor, action, contact_email, request=request)
        proposal.status, proposal.decision_reason = P.RETAINED, reason
        proposal.save(update_fields=["status", "decision_reason"])
        activity.record(actor, "proposal.retained", proposal,
                        after={"action": action.pk, "owner": str(owner), "budget_mad": str(budget_mad)},
                        reason=reason, request=request)
    return action


@transaction.atomic
def not_retain(actor, proposal, reason, *, request=None):
    reason = _reason(reason)
    if proposal.status != P.PUBLISHED:
        raise ConsultError(_("This proposal has already been decided on, merged or hidden."))
    proposal.status, proposal.decision_reason = P.NOT_RETAINED, reason
    proposal.save(update_fields=["status", "decision_reason"])
    activity.record(actor, "proposal.not_retained", proposal, reason=reason, request=request)


def set_contact(actor, action, email, *, request=None):
    """Name the partner's account that reports the action's progress, and tell them by e-mail."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        raise ConsultError(_("No account has this e-mail address: the partner's contact signs up first."))
    with transaction.atomic():
        before = action.contact_id
        action.contact = user
        action.save(update_fields=["contact"])
        activity.record(actor, "action.contact_set", action, before={"contact": before},
                        after={"contact": user.pk}, request=request)
        transaction.on_commit(lambda: _tell_contact(action, user, request))
    return user


def _tell_contact(action, user, request):
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils import translation

    from tadamon.programme.services import base_url

    with translation.override(user.preferred_language or "ar"):
        path = reverse("consult:manage_action", args=[action.pk])
        link = request.build_absolute_uri(path) if request is not None else base_url().rstrip("/") + path
        subject = _("You follow an action of the regional action plan")
        body = _("Hello,\n\nYou are now the contact of the action “%(action)s” (%(owner)s). Post its progress "
                 "updates, with evidence, on this page:\n%(link)s\n\nTadamon") % {
            "action": action.title, "owner": action.owner.name, "link": link}
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def add_milestone(actor, action, *, title, due_on, request=None):
    plan = action.plan
    if not (title or "").strip():
        raise ConsultError(_("Name the milestone."))
    if due_on < plan.starts_on:
        raise ConsultError(_("A milestone cannot be dated before the plan starts (%(date)s).")
                           % {"date": date_format(plan.starts_on)})
    if due_on > plan.ends_on:
        raise ConsultError(_("A milestone cannot be dated after the plan ends (%(date)s).")
                           % {"date": date_format(plan.ends_on)})
    milestone = Milestone.objects.create(action=action, title=title.strip()[:200], due_on=due_on)
    activity.record(actor, "action.milestone_added", action, after={"milestone": milestone.title,
                                                                    "due_on": str(due_on)}, request=request)
    return milestone


@transaction.atomic
def add_indicator(actor, action, *, name, target, unit="", request=None):
    if not (name or "").strip() or target is None or target <= 0:
        raise ConsultError(_("An indicator needs a name and a target above zero."))
    indicator = Indicator.objects.create(action=action, name=name.strip()[:200], target=target, unit=unit[:40])
    activity.record(actor, "action.indicator_added", action, after={"indicator": indicator.name,
                                                                    "target": str(target)}, request=request)
    return indicator


def report_progress(actor, action, *, body, progress, status, evidence=None, reached=None, request=None):
    """A progress update (with a PDF or a photo as evidence): the action's progress and status follow.
    ``reached``: {indicator: value reached so far}."""
    body = (body or "").strip()
    if not body:
        raise ConsultError(_("Say what was done."))
    if progress is None or not 0 <= progress <= 100:
        raise ConsultError(_("Progress is a percentage between 0 and 100."))
    if status not in Action.Status.values:
        raise ConsultError(_("Choose a status from the list."))
    if evidence:
        try:
            evidence = clean_document(evidence)
        except ValidationError as error:
            raise ConsultError(error.messages[0]) from None
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        before = {"progress": action.progress, "status": action.status}
        update = ProgressUpdate(action=action, author=actor, body=body[:4000], progress=progress, status=status)
        if evidence:
            name = getattr(evidence, "name", "") or "evidence"
            update.evidence.save(name.rsplit("/", 1)[-1], evidence, save=False)
        update.save()
        for indicator, value in (reached or {}).items():
            if indicator.action_id == action.pk and value is not None:
                indicator.current = value
                indicator.save(update_fields=["current"])
        action.progress, action.status = progress, status
        action.save(update_fields=["progress", "status"])
        activity.record(actor, "action.progress", action, before=before,
                        after={"progress": progress, "status": status}, request=request)
    return update


def accountability(region):
    """What the public accountability page shows: each workshop of the region, its proposals by
    status, and the plan's actions with their progress."""
    workshops = list(Workshop.objects.filter(region=region).select_related("session"))
    out = []
    for workshop in workshops:
        proposals = list(Proposal.objects.filter(workshop=workshop).exclude(status=P.HIDDEN).select_related("theme")
                         .annotate(n_supports=Count("supports")).order_by("theme__position", "-n_supports", "pk"))
        plan = ActionPlan.objects.filter(workshop=workshop).first()
        actions = list(Action.objects.filter(plan=plan).select_related("owner", "proposal")
                       .prefetch_related("milestones", "indicators")) if plan else []
        progress = round(sum(a.progress for a in actions) / len(actions)) if actions else 0
        out.append({"workshop": workshop, "plan": plan, "actions": actions, "progress": progress,
                    "proposals": proposals,
                    "retained": [p for p in proposals if p.status == P.RETAINED],
                    "not_retained": [p for p in proposals if p.status == P.NOT_RETAINED],
                    "budget": sum((a.budget_mad for a in actions), Decimal(0))})
    return out


# --- Shared services of the territorial pole ---------------------------------------------------

@transaction.atomic
def save_service(actor, service, region, *, request=None):
    created = service.pk is None
    service.region = region
    service.save()
    activity.record(actor, "service.saved", service, after={"created": created, "price_mad": str(service.price_mad),
                                                            "unit": service.unit, "active": service.is_active},
                    request=request)
    return service


def booking_price(service, starts_at, ends_at):
    seconds = (ends_at - starts_at).total_seconds()
    if service.unit == PoleService.Unit.DAY:
        units = Decimal(max(1, -(-int(seconds) // 86400)))
    else:
        units = Decimal(seconds) / 3600
    return (service.price_mad * units).quantize(Decimal("0.01"), ROUND_HALF_UP)


def book(user, service, organization, *, starts_at, ends_at, purpose="", now=None, request=None):
    """Book ``service`` for ``organization``. The service row is locked (SELECT … FOR UPDATE on
    PostgreSQL; SQLite's IMMEDIATE transactions take turns) and the overlapping bookings counted in
    the same transaction: two requests for the same time never both get it."""
    now = now or timezone.now()
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise ConsultError(_("The booking must end after it starts."))
    if starts_at < now:
        raise ConsultError(_("A booking cannot start in the past."))
    if ends_at - starts_at > timedelta(days=31):
        raise ConsultError(_("A booking lasts at most 31 days."))
    with transaction.atomic(), scopes_disabled():
        locked = PoleService.objects.select_for_update().get(pk=service.pk)
        if not locked.is_active:
            raise ConsultError(_("This service is not open to bookings."))
        clash = (Booking.objects.filter(service=locked, status__in=Booking.HOLDING, starts_at__lt=ends_at,
                                        ends_at__gt=starts_at).order_by("starts_at").first())
        if clash is not None:
            start, end = timezone.localtime(clash.starts_at), timezone.localtime(clash.ends_at)
            raise ConsultError(_("This service is already booked from %(start)s to %(end)s. Choose another time.")
                               % {"start": f"{start:%Y-%m-%d %H:%M}", "end": f"{end:%Y-%m-%d %H:%M}"})
        booking = Booking.objects.create(service=locked, region_id=locked.region_id, organization=organization,
                                         requested_by=user, starts_at=starts_at, ends_at=ends_at,
                                         purpose=(purpose or "")[:250],
                                         price_mad=booking_price(locked, starts_at, ends_at))
        activity.record(user, "booking.requested", booking, after={
            "service": locked.pk, "organization": organization.pk, "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat()}, request=request)
    return booking


@transaction.atomic
def decide_booking(actor, booking, *, approve, reason="", request=None):
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.PENDING:
        raise ConsultError(_("This booking has already been decided on."))
    if not approve:
        reason = _reason(reason)
    booking.status = Booking.Status.APPROVED if approve else Booking.Status.REFUSED
    booking.decided_by, booking.reason = actor, (reason or "").strip()
    booking.save(update_fields=["status", "decided_by", "reason"])
    activity.record(actor, "booking.approved" if approve else "booking.refused", booking,
                    before={"status": "pending"}, after={"status": booking.status}, reason=reason, request=request)
    return booking


@transaction.atomic
def cancel_booking(actor, booking, *, request=None):
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status not in Booking.HOLDING:
        raise ConsultError(_("This booking is no longer active."))
    before = booking.status
    booking.status = Booking.Status.CANCELLED
    booking.save(update_fields=["status"])
    activity.record(actor, "booking.cancelled", booking, before={"status": before},
                    after={"status": booking.status}, request=request)


def upcoming(service, now=None, days=60):
    """The times already held (pending or approved) in the next ``days`` days: the availability."""
    now = now or timezone.now()
    return list(Booking.objects.filter(service=service, status__in=Booking.HOLDING, ends_at__gt=now,
                                       starts_at__lt=now + timedelta(days=days)).select_related("organization"))


def usage(region, *, since, until):
    """Per service: approved bookings, hours used, share of the opening time (8 hours a day) used,
    revenue (MAD) and organizations served, between ``since`` and ``until`` (datetimes)."""
    services = list(PoleService.objects.filter(region=region))
    bookings = Booking.objects.filter(service__region=region, status=Booking.Status.APPROVED,
                                      starts_at__lt=until, ends_at__gt=since)
    open_hours = max(1, (until - since).days) * 8
    rows = []
    for service in services:
        mine = [b for b in bookings if b.service_id == service.pk]
        hours = sum((min(b.ends_at, until) - max(b.starts_at, since)).total_seconds() / 3600 for b in mine)
        rows.append({"service": service, "count": len(mine), "hours": round(hours, 1),
                     "occupancy": min(100, round(hours * 100 / open_hours)),
                     "revenue": sum((b.price_mad for b in mine), Decimal(0)),
                     "organizations": len({b.organization_id for b in mine})})
    pending = Booking.objects.filter(service__region=region, status=Booking.Status.PENDING).count()
    return {"rows": rows, "pending": pending,
            "total_revenue": sum((r["revenue"] for r in rows), Decimal(0)),
            "total_count": sum(r["count"] for r in rows)}


def supports_of(user, proposals):
    """Ids of the proposals among ``proposals`` that ``user`` supports."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Support.objects.filter(user=user, proposal__in=proposals).values_list("proposal_id", flat=True))


def representable_organizations(user):
    """The organizations ``user`` may book for (approved representations)."""
    from tadamon.registry.models import Organization, Representation

    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    with scopes_disabled():
        ids = list(Representation.objects.filter(user=user, status=Representation.Status.APPROVED)
                   .values_list("organization_id", flat=True))
    return Organization.objects.filter(pk__in=ids, is_active=True)

