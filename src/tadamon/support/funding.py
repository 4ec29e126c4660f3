"""Funding files of participants: preparation (business plan, amount requested), the decision,
tranches paid out of the amount granted, the repayment schedule of a loan, and the file's documents.

The sum of the tranches never goes above the amount granted: the file's row is locked while a
tranche is checked and written, so two people recording tranches at the same moment are served one
after the other.
"""

from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from tadamon.core import activity

from .models import FundingDocument, FundingFile, Repayment, Tranche
from .services import SupportError

F = FundingFile.Status

activity.register_actions({
    "support.funding_saved": _("funding file saved"),
    "support.funding_submitted": _("funding file sent for decision"),
    "support.funding_approved": _("funding approved"),
    "support.funding_refused": _("funding refused"),
    "support.tranche_paid": _("tranche paid"),
    "support.repayment_paid": _("loan repayment received"),
    "support.document_added": _("funding document added"),
})

FILE_FIELDS = ["kind", "project_title", "market", "production_plan", "investments", "jobs_expected",
               "yearly_revenue_expected", "own_contribution", "amount_requested"]


def _money(value):
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise SupportError(_("Give an amount in dirhams, e.g. 25000."))
    if not amount.is_finite():
        raise SupportError(_("Give an amount in dirhams, e.g. 25000."))
    return amount


def paid_total(funding):
    with scopes_disabled():
        return Tranche.objects.filter(funding=funding).aggregate(s=Sum("amount"))["s"] or Decimal("0")


@transaction.atomic
def save_file(actor, participant, data, *, request=None):
    """Create or change the participant's funding file while it is being prepared."""
    with scopes_disabled():
        funding = FundingFile.objects.select_for_update().filter(participant=participant).first()
        if funding is not None and funding.status != F.DRAFT:
            raise SupportError(_("This funding file has been sent: it can no longer be changed."))
        if _money(data.get("amount_requested", 0)) <= 0:
            raise SupportError(_("The amount requested must be more than 0."))
        if funding is None:
            funding = FundingFile(participant=participant)
        before = activity.snapshot(funding, FILE_FIELDS) if funding.pk else None
        for name in FILE_FIELDS:
            if name in data:
                setattr(funding, name, data[name])
        funding.save()
        activity.record(actor, "support.funding_saved", funding, before=before,
                        after=activity.snapshot(funding, FILE_FIELDS), request=request)
    return funding


@transaction.atomic
def submit_file(actor, funding, *, request=None):
    with scopes_disabled():
        funding = FundingFile.objects.select_for_update().get(pk=funding.pk)
        if funding.status != F.DRAFT:
            return funding
        if not (funding.market.strip() and funding.investments.strip()):
            raise SupportError(_("Describe the market and the investments before sending the file."))
        funding.status = F.SUBMITTED
        funding.save(update_fields=["status", "updated_at"])
        activity.record(actor, "support.funding_submitted", funding, before={"status": F.DRAFT},
                        after={"status": F.SUBMITTED}, request=request)
    return funding


def decide(actor, funding, *, approve, amount=0, funder=None, reason="", loan_months=0, grace_months=0,
           request=None):
    """Approve (with the amount granted, at most the amount requested) or refuse, with a reason.

    An approved loan gets its repayment schedule: ``loan_months`` equal instalments after
    ``grace_months`` months without payment."""
    reason = (reason or "").strip()
    with transaction.atomic(), scopes_disabled():
        funding = FundingFile.objects.select_for_update().get(pk=funding.pk)
        if funding.status != F.SUBMITTED:
            raise SupportError(_("Only a file sent for decision can be decided."))
        if not approve:
            if not reason:
                raise SupportError(_("Give the reason: the organization will read it."))
            funding.status, funding.amount_granted = F.REFUSED, Decimal("0")
        else:
            amount = _money(amount)
            if amount <= 0:
                raise SupportError(_("The amount granted must be more than 0."))
            if amount > funding.amount_requested:
                raise SupportError(_("The amount granted cannot be above the amount requested (%(n)s MAD).")
                                   % {"n": funding.amount_requested})
            if funding.kind == FundingFile.Kind.LOAN and not 1 <= int(loan_months or 0) <= 120:
                raise SupportError(_("A loan needs its number of monthly instalments (1 to 120)."))
            funding.status, funding.amount_granted, funding.funder = F.APPROVED, amount, funder
        funding.decision_reason = reason
        funding.decided_by, funding.decided_at = actor, timezone.now()
        funding.save()
        if funding.status == F.APPROVED and funding.kind == FundingFile.Kind.LOAN:
            build_schedule(funding, int(loan_months), int(grace_months or 0))
        activity.record(actor, "support.funding_approved" if approve else "support.funding_refused", funding,
                        before={"status": F.SUBMITTED},
                        after={"status": funding.status, "amount_granted": str(funding.amount_granted),
                               "funder": str(funder or "")}, reason=reason, request=request)
    return funding


def add_months(day, months):
    """The same day ``months`` later (the month's last day when it is shorter)."""
    import calendar

    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def build_schedule(funding, months, grace_months, start=None):
    """Equal monthly instalments (the last one takes the rounding) after the grace period."""
    start = start or date.today()
    funding.repayments.all().delete()
    share = (funding.amount_granted / months).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    rows = []
    for i in range(months):
        amount = share if i < months - 1 else funding.amount_granted - share * (months - 1)
        rows.append(Repayment(funding=funding, region_id=funding.region_id,
                              due_on=add_months(start, grace_months + i + 1), amount=amount))
    Repayment.objects.bulk_create(rows)
    return rows


def add_tranche(actor, funding, *, amount, paid_on, note="", request=None):
    """Record money paid out; refused when the tranches would go above the amount granted."""
    amount = _money(amount)
    if amount <= 0:
        raise SupportError(_("A tranche must be more than 0."))
    if paid_on is None:
        raise SupportError(_("Give the date of the payment."))
    with transaction.atomic(), scopes_disabled():
        funding = FundingFile.objects.select_for_update().get(pk=funding.pk)
        if funding.status != F.APPROVED:
            raise SupportError(_("Tranches are paid on approved files only."))
        paid = paid_total(funding)
        if paid + amount > funding.amount_granted:
            raise SupportError(_("This tranche (%(amount)s MAD) would go above the amount granted: %(granted)s MAD "
                                 "granted, %(paid)s MAD already paid, %(left)s MAD left.")
                               % {"amount": amount, "granted": funding.amount_granted, "paid": paid,
                                  "left": funding.amount_granted - paid})
        tranche = Tranche.objects.create(funding=funding, amount=amount, paid_on=paid_on, note=note.strip()[:200],
                                         recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
        activity.record(actor, "support.tranche_paid", tranche,
                        after={"amount": str(amount), "paid_total": str(paid + amount)}, request=request)
    return tranche


@transaction.atomic
def mark_repaid(actor, repayment, *, paid_on=None, request=None):
    with scopes_disabled():
        locked = Repayment.objects.select_for_update().get(pk=repayment.pk)
        if locked.paid_on is None:
            locked.paid_on = paid_on or date.today()
            locked.save(update_fields=["paid_on"])
            activity.record(actor, "support.repayment_paid", locked, after={"amount": str(locked.amount)},
                            request=request)
    return locked


@transaction.atomic
def add_document(actor, funding, *, title, cleaned_file, request=None):
    """Store a document already checked by :func:`tadamon.core.images.clean_document`."""
    if not (title or "").strip():
        raise SupportError(_("Name the document."))
    document = FundingDocument(funding=funding, title=title.strip()[:150], uploaded_by=actor)
    document.file.save(getattr(cleaned_file, "name", "document") or "document", cleaned_file, save=False)
    document.save()
    activity.record(actor, "support.document_added", document, after={"title": document.title}, request=request)
    return document
