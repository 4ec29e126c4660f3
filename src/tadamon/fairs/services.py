"""Business operations of fairs: the edition's status, applications and their states, eligibility,
review scores, the selection and its publication. Every change is logged in the activity log."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from tadamon.core import activity

from .models import Application, Edition, Review

S = Application.Status

activity.register_actions({
    "edition.status_changed": _("edition status changed"),
    "edition.configured": _("edition settings changed"),
    "application.created": _("application started"),
    "application.submitted": _("application submitted"),
    "application.returned": _("application returned for completion"),
    "application.eligibility": _("eligibility checked"),
    "application.withdrawn": _("application withdrawn"),
    "application.confirmed": _("participation confirmed"),
    "application.reviewed": _("application scored"),
    "application.pinned": _("selection pin changed"),
    "selection.run": _("selection computed"),
    "selection.published": _("selection published"),
})


class TransitionError(Exception):
    """A state change that the rules do not allow; the message says why, in the user's language."""


# ---- the edition ---------------------------------------------------------------------------------

@transaction.atomic
def change_edition_status(actor, edition, status, *, request=None):
    if not edition.can_move_to(status):
        raise TransitionError(_("An edition cannot go from “%(old)s” to “%(new)s”.")
                              % {"old": edition.get_status_display(), "new": Edition.Status(status).label})
    before = edition.status
    edition.status = status
    edition.save(update_fields=["status"])
    activity.record(actor, "edition.status_changed", edition, before={"status": before}, after={"status": status},
                    request=request)
    return edition


def record_configuration(actor, edition, *, before=None, after=None, request=None):
    """Log a change of an edition's settings (its form, a pole, a criterion, a quota, …)."""
    activity.record(actor, "edition.configured", edition, before=before, after=after, request=request)


@transaction.atomic
def add_quota(actor, edition, form, *, request=None):
    quota = form.save(commit=False)
    quota.edition = edition
    quota.save()
    record_configuration(actor, edition, after={"quota added": quota.as_contract()}, request=request)
    return quota


@transaction.atomic
def remove_quota(actor, quota, *, request=None):
    edition = quota.edition
    before = quota.as_contract()
    quota.delete()
    record_configuration(actor, edition, before={"quota removed": before}, request=request)


# ---- applications --------------------------------------------------------------------------------

#: Which application states each action may start from.
#: Sent applications: still editable until the deadline; each change re-checks their eligibility.
SENT = {S.SUBMITTED, S.ELIGIBLE, S.INELIGIBLE}
EDITABLE = {S.DRAFT, S.RETURNED} | SENT
WITHDRAWABLE = {S.DRAFT, S.SUBMITTED, S.RETURNED, S.ELIGIBLE, S.SELECTED, S.WAITLISTED, S.CONFIRMED}


def start_application(user, edition, organization, *, request=None):
    """Create the draft, or return the organization's existing application (double clicks, two
    representatives at once): one application per organization and edition."""
    with scopes_disabled():
        existing = Application.objects.filter(edition=edition, organization=organization).first()
        if existing:
            return existing, False
        try:
            with transaction.atomic():
                application = Application.objects.create(edition=edition, organization=organization, created_by=user,
                                                         region=edition.region)
                activity.record(user, "application.created", application, region=edition.region, request=request)
        except IntegrityError:
            return Application.objects.get(edition=edition, organization=organization), False
    return application, True


def can_edit(application, now=None):
    return application.status in EDITABLE and application.edition.call_is_open(now)


def missing_for_submission(application):
    """What the applicant still has to fill in before submitting (translated texts)."""
    missing = []
    if application.pole_id is None:
        missing.append(_("Choose a pole."))
    if not application.products.exists():
        missing.append(_("Choose at least one product to show."))
    if not application.declaration_accepted:
        missing.append(_("Accept the declaration."))
    for question in application.edition.questions.filter(required=True):
        if not str(application.answers.get(str(question.pk), "")).strip():
            missing.append(_("Answer the question: %(q)s") % {"q": question.text})
    uploaded = set(application.documents.values_list("required_document_id", flat=True))
    for document in application.edition.required_documents.filter(required=True):
        if document.pk not in uploaded:
            missing.append(_("Upload the document: %(d)s") % {"d": document.name})
    return missing


@transaction.atomic
def submit(user, application, *, now=None, request=None):
    """Submit (or re-submit) an application before the deadline, then check its eligibility."""
    with scopes_disabled():
        # Lock the row so that two clicks at once are taken one after the other.
        list(Application.objects.select_for_update().filter(pk=application.pk).values_list("pk"))
        application.refresh_from_db()
        if application.status in SENT:
            return application  # already sent: a double submit (or a re-send after a change) adds nothing
        if not application.edition.call_is_open(now):
            raise TransitionError(_("The call for exhibitors is closed: applications can no longer be submitted."))
        if application.status not in (S.DRAFT, S.RETURNED):
            raise TransitionError(_("This application cannot be submitted in its present state."))
        missing = missing_for_submission(application)
        if missing:
            raise TransitionError(" ".join(str(m) for m in missing))
        before = application.status
        application.status = S.SUBMITTED
        application.submitted_at = now or timezone.now()
        application.status_message = ""
        application.save()
        activity.record(user, "application.submitted", application, region=application.region,
                        before={"status": before}, after={"status": S.SUBMITTED}, request=request)
    return application


@transaction.atomic
def return_for_completion(actor, application, message, *, request=None):
    if application.status not in (S.SUBMITTED, S.ELIGIBLE, S.INELIGIBLE):
        raise TransitionError(_("Only submitted applications can be returned."))
    if not message.strip():
        raise TransitionError(_("Say what the applicant has to complete."))
    before = application.status
    application.status = S.RETURNED
    application.status_message = message
    application.save(update_fields=["status", "status_message", "updated_at"])
    activity.record(actor, "application.returned", application, before={"status": before},
                    after={"status": S.RETURNED}, reason=message, request=request)
    return application


@transaction.atomic
def withdraw(user, application, *, request=None):
    if application.status not in WITHDRAWABLE:
        raise TransitionError(_("This application cannot be withdrawn in its present state."))
    before = application.status
    application.status = S.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    activity.record(user, "application.withdrawn", application, before={"status": before},
                    after={"status": S.WITHDRAWN}, request=request)
    return application


@transaction.atomic
def confirm(user, application, *, request=None):
    if application.status != S.SELECTED:
        raise TransitionError(_("Only a selected application can be confirmed."))
    application.status = S.CONFIRMED
    application.save(update_fields=["status", "updated_at"])
    activity.record(user, "application.confirmed", application, before={"status": S.SELECTED},
                    after={"status": S.CONFIRMED}, request=request)
    return application


# ---- eligibility ---------------------------------------------------------------------------------

def eligibility_failures(application, today=None):
    """The edition's rules this application does not meet, as translated sentences (empty: eligible)."""
    edition, organization = application.edition, application.organization
    failures = []
    if edition.allowed_legal_forms and organization.legal_form not in edition.allowed_legal_forms:
        failures.append(_("Legal form not admitted: this call is open to %(forms)s.")
                        % {"forms": ", ".join(str(x) for x in edition.legal_form_labels)})
    if edition.region_only and organization.region_id != edition.region_id:
        failures.append(_("This call is open to organizations of the region only."))
    allowed_sectors = set(edition.allowed_sectors.values_list("pk", flat=True))
    if allowed_sectors and organization.sector_id not in allowed_sectors:
        failures.append(_("Sector not admitted in this call."))
    if edition.min_age_months:
        today = today or date.today()
        created = organization.created_on
        if created is None:
            failures.append(_("The date of creation of the organization is missing."))
        else:
            months = (today.year - created.year) * 12 + today.month - created.month - (today.day < created.day)
            if months < edition.min_age_months:
                failures.append(_("The organization must exist for at least %(n)s months.")
                                % {"n": edition.min_age_months})
    with scopes_disabled():
        products = list(application.products.select_related("category").prefetch_related("photos"))
    if edition.require_product_photo and not any(p.photos.all() for p in products):
        failures.append(_("At least one product to show must have a photo."))
    if edition.require_sanitary_for_food:
        for product in products:
            if product.category.is_food and not product.sanitary_authorization.strip():
                failures.append(_("The food product “%(p)s” has no ONSSA sanitary authorization number.")
                                % {"p": product.name})
    return failures


@transaction.atomic
def check_eligibility(actor, application, *, request=None):
    """Mark a submitted application eligible or ineligible, keeping the failed rules as reasons."""
    if application.status not in (S.SUBMITTED, S.ELIGIBLE, S.INELIGIBLE):
        return application
    with scopes_disabled():
        failures = [str(f) for f in eligibility_failures(application)]
    before = application.status
    application.status = S.INELIGIBLE if failures else S.ELIGIBLE
    application.ineligible_reasons = failures
    application.save(update_fields=["status", "ineligible_reasons", "updated_at"])
    activity.record(actor, "application.eligibility", application, before={"status": before},
                    after={"status": application.status, "reasons": failures}, request=request)
    return application


# ---- review --------------------------------------------------------------------------------------

def weighted_score(edition, reviews):
    """The final score: the mean over reviewers of each reviewer's weighted score on 100."""
    criteria = list(edition.criteria.all())
    total_weight = sum((c.weight for c in criteria), Decimal(0))
    if not criteria or not total_weight:
        return None
    per_reviewer = []
    for review in reviews:
        if not all(str(c.pk) in review.scores for c in criteria):
            continue
        value = sum(Decimal(str(review.scores[str(c.pk)])) / c.max_points * c.weight for c in criteria)
        per_reviewer.append(value / total_weight * 100)
    if not per_reviewer:
        return None
    return (sum(per_reviewer) / len(per_reviewer)).quantize(Decimal("0.001"))


@transaction.atomic
def save_review(reviewer, application, scores, comment="", *, request=None):
    """Record one reviewer's independent scores; the application's score becomes the mean."""
    criteria = {str(c.pk): c for c in application.edition.criteria.all()}
    clean = {}
    for key, value in scores.items():
        criterion = criteria.get(str(key))
        if criterion is None:
            continue
        points = Decimal(str(value))
        if points < 0 or points > criterion.max_points:
            raise TransitionError(_("Points for “%(c)s” go from 0 to %(m)s.") % {"c": criterion.name,
                                                                                 "m": criterion.max_points})
        clean[str(key)] = float(points)
    # Reviewers saving at the same moment take turns on the application's row: each mean is computed
    # from every review saved before it (none lost), and a double click updates the one review.
    with scopes_disabled():
        list(Application.objects.select_for_update().filter(pk=application.pk).values_list("pk"))
    review, _created = Review.objects.update_or_create(application=application, reviewer=reviewer,
                                                       defaults={"scores": clean, "comment": comment})
    application.score = weighted_score(application.edition, application.reviews.all())
    application.save(update_fields=["score", "updated_at"])
    activity.record(reviewer, "application.reviewed", application, after={"scores": clean, "final": str(
        application.score)}, reason=comment, request=request)
    return review


# ---- selection -----------------------------------------------------------------------------------

CANDIDATES = {S.ELIGIBLE, S.SELECTED, S.WAITLISTED, S.REJECTED}


def selection_candidates(edition):
    return (Application.objects.with_scopes_disabled().filter(edition=edition, status__in=CANDIDATES)
            .select_related("organization__province", "organization__sector", "pole"))


def build_instance(edition):
    """The selection engine's input (the `select-exhibitors` contract) for an edition."""
    quotas = []
    if edition.outside_region_max is not None:
        quotas.append({"name": "outside-region maximum", "where": {"outside_region": True},
                       "max": edition.outside_region_max})
    if edition.women_led_min_share is not None:
        quotas.append({"name": "women-led minimum share", "where": {"women_led": True},
                       "min_share": float(edition.women_led_min_share)})
    quotas.append({"name": "one application per organization", "group_by": "organization", "max": 1})
    quotas += [q.as_contract() for q in edition.quotas.all()]
    applications = []
    for a in selection_candidates(edition):
        if a.pole_id is None:
            continue
        o = a.organization
        applications.append({
            "id": a.pk, "pole": str(a.pole_id), "score": float(a.score or 0), "organization": o.pk,
            "province": o.province.code, "sector": o.sector.key, "outside_region": o.region_id != edition.region_id,
            "women_led": o.women_led, "pinned": a.pinned or None,
        })
    capacity = {str(p.pk): p.capacity for p in edition.poles.filter(accepts_applications=True)}
    return {"capacity": capacity, "quotas": quotas, "applications": applications}


def run_selection(actor, edition, *, time_limit=30, request=None):
    """Compute the best selection (not yet published): staff look, pin, re-run, then publish.

    The solver runs outside any transaction (it may take seconds); its result is then written in one."""
    from .selection import solve

    instance = build_instance(edition)
    result = solve(instance, time_limit=time_limit)
    return _save_selection_run(actor, edition, instance, result, request=request)


@transaction.atomic
def _save_selection_run(actor, edition, instance, result, *, request=None):
    from .models import SelectionRun

    run = SelectionRun.objects.create(edition=edition, created_by=actor, instance=instance, result=result)
    explanations = result.get("explanations", {})
    waitlist = {str(i): n for n, i in enumerate(result.get("waitlist", []), start=1)}
    for a in selection_candidates(edition):
        a.explanation = explanations.get(str(a.pk), "")
        a.waitlist_position = waitlist.get(str(a.pk))
        a.save(update_fields=["explanation", "waitlist_position", "updated_at"])
    activity.record(actor, "selection.run", edition, after={
        "status": result["status"], "objective": result.get("objective"), "selected": len(result.get("selected", [])),
        "waitlist": len(result.get("waitlist", [])), "conflicts": result.get("conflicts", []), "run": run.pk},
        request=request)
    return run


@transaction.atomic
def set_pin(actor, application, pin, *, request=None):
    if pin not in ("", "in", "out"):
        raise TransitionError(_("Unknown choice."))
    before = application.pinned
    application.pinned = pin
    application.save(update_fields=["pinned", "updated_at"])
    activity.record(actor, "application.pinned", application, before={"pinned": before}, after={"pinned": pin},
                    request=request)
    return application


@transaction.atomic
def publish_selection(actor, edition, *, request=None):
    """Apply the last selection run: statuses, waiting-list order, notifications, public list."""
    from .models import SelectionRun

    run = SelectionRun.objects.with_scopes_disabled().filter(edition=edition).first()
    if run is None:
        raise TransitionError(_("Run the selection before publishing it."))
    if run.result.get("status") == "infeasible":
        raise TransitionError(_("The last selection could not satisfy every quota: change the quotas or pins, "
                                "run it again, then publish."))
    if edition.status != Edition.Status.CALL_CLOSED:
        raise TransitionError(_("Close the call for exhibitors before publishing the selection."))
    selected = {str(i) for i in run.result.get("selected", [])}
    waitlist = [str(i) for i in run.result.get("waitlist", [])]
    changed = []
    for a in selection_candidates(edition):
        key = str(a.pk)
        if key in selected:
            new = S.SELECTED
        elif key in waitlist:
            new = S.WAITLISTED
        else:
            new = S.REJECTED
        if a.status != new:
            a.status = new
            a.waitlist_position = waitlist.index(key) + 1 if new == S.WAITLISTED else None
            a.save(update_fields=["status", "waitlist_position", "updated_at"])
            changed.append(a)
    run.published_at = timezone.now()
    run.save(update_fields=["published_at"])
    edition.status = Edition.Status.SELECTION_PUBLISHED
    edition.selection_published_at = run.published_at
    edition.save(update_fields=["status", "selection_published_at"])
    activity.record(actor, "selection.published", edition, after={
        "run": run.pk, "selected": len(selected), "waitlist": len(waitlist)}, request=request)
    transaction.on_commit(lambda: notify_decisions(changed))
    return run


def notify_decisions(applications):
    """Tell each applicant the decision, by e-mail in their language and by text message."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    from tadamon.core.sms import send_sms
    from tadamon.registry.models import Representation

    for application in applications:
        users = [r.user for r in Representation.objects.with_scopes_disabled().filter(
            organization=application.organization, status=Representation.Status.APPROVED).select_related("user")]
        for user in users:
            with translation.override(user.preferred_language):
                context = {"application": application, "user": user}
                subject = render_to_string("fairs/email/decision_subject.txt", context).strip()
                body = render_to_string("fairs/email/decision.txt", context)
                send_mail(subject, body, None, [user.email])
                send_sms(user.phone, subject)
