"""Operations during the fair: the exhibitors' daily sales, visitor counts per gate and hour, incidents.

Every write is one transaction with its activity-log entry. Bad input raises :class:`OperationError`
with a message for the person and changes nothing. A large amount is accepted only once the
exhibitor confirms it (:class:`NeedsConfirmation`).
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from tadamon.core import activity

from .placement import PLACED_STATUSES
from .sales_models import Incident, Sale, VisitorCount

activity.register_actions({
    "sales.declared": gettext_lazy("declared sales"),
    "sales.corrected": gettext_lazy("corrected sales"),
    "sales.market_recorded": gettext_lazy("recorded a sale of the solidarity market"),
    "visitors.counted": gettext_lazy("recorded a visitor count"),
    "visitors.corrected": gettext_lazy("corrected a visitor count"),
    "incident.reported": gettext_lazy("reported an incident"),
    "incident.resolved": gettext_lazy("closed an incident"),
})

#: Above this amount for one day (MAD), the exhibitor is asked to confirm the figure.
CONFIRM_ABOVE = Decimal("30000")
#: Above this amount for one day (MAD), the figure is refused as a typing mistake.
MAX_AMOUNT = Decimal("2000000")
#: Above this count for one gate and one hour, the figure is refused as a typing mistake.
MAX_VISITORS_PER_HOUR = 20000


class OperationError(Exception):
    """Bad input: the message says what to do; nothing was changed."""


class NeedsConfirmation(OperationError):
    """A plausible but unusual figure: sent again with confirmation, it is saved."""


def fair_days(edition, until=None):
    """The days of the fair, up to ``until`` (today by default) when given."""
    last = edition.ends_on if until is None else min(edition.ends_on, until)
    return [edition.starts_on + timedelta(days=i) for i in range((last - edition.starts_on).days + 1)]


def _check_day(edition, day, today=None):
    today = today or timezone.localdate()
    if not (edition.starts_on <= day <= edition.ends_on):
        raise OperationError(_("%(day)s is not a day of the fair (from %(start)s to %(end)s).") % {
            "day": day.isoformat(), "start": edition.starts_on.isoformat(), "end": edition.ends_on.isoformat()})
    if day > today:
        raise OperationError(_("%(day)s has not come yet: figures are recorded on the day or after.")
                             % {"day": day.isoformat()})


def parse_amount(value):
    try:
        amount = Decimal(str(value).replace(",", ".").replace(" ", "")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise OperationError(_("Write the amount in dirhams with digits, e.g. 1250."))
    if not amount.is_finite():
        raise OperationError(_("Write the amount in dirhams with digits, e.g. 1250."))
    return amount


def check_amount(amount, confirmed=False):
    if amount < 0:
        raise OperationError(_("The amount cannot be negative. To correct a day, send its right total."))
    if amount > MAX_AMOUNT:
        raise OperationError(_("%(amount)s MAD in one day is more than a stand can sell: check the number.")
                             % {"amount": number_format(amount, 0, force_grouping=True)})
    if amount > CONFIRM_ABOVE and not confirmed:
        raise NeedsConfirmation(_("%(amount)s MAD in one day is a lot. Check the number, then tick “I confirm "
                                  "this amount” and send again.")
                                % {"amount": number_format(amount, 0, force_grouping=True)})


def declare_sales(user, application, day, amount, lines=(), *, confirmed=False, client_key="", request=None,
                  today=None):
    """The exhibitor's sales of ``day``: created, or corrected when the day was already declared.
    Returns ``(sale, outcome)`` with outcome ``"created"``, ``"corrected"`` or ``"unchanged"``."""
    edition = application.edition
    if application.status not in PLACED_STATUSES:
        raise OperationError(_("Only exhibitors of this edition declare sales."))
    _check_day(edition, day, today)
    amount = parse_amount(amount)
    check_amount(amount, confirmed)
    lines = [dict(line) for line in lines if int(line.get("quantity") or 0) > 0]
    fields = ("amount", "lines")
    with scopes_disabled(), transaction.atomic():
        sale = (Sale.objects.select_for_update()
                .filter(edition=edition, organization_id=application.organization_id, day=day,
                        source=Sale.Source.DECLARED).first())
        if sale is not None:
            if (client_key and sale.client_key == client_key) or (sale.amount == amount and sale.lines == lines):
                return sale, "unchanged"  # the same form sent twice (a resend after the network came back)
            before = activity.snapshot(sale, fields)
            sale.amount, sale.lines, sale.client_key = amount, lines, client_key[:40]
            sale.save(update_fields=["amount", "lines", "client_key", "updated_at"])
            activity.record(user, "sales.corrected", sale, before=before, after=activity.snapshot(sale, fields),
                            request=request)
            return sale, "corrected"
        try:
            with transaction.atomic():
                sale = Sale.objects.create(
                    region_id=edition.region_id, edition=edition, organization_id=application.organization_id,
                    application=application, day=day, amount=amount, lines=lines, client_key=client_key[:40],
                    created_by=user if getattr(user, "is_authenticated", False) else None)
        except IntegrityError:  # the same day sent from two phones at once: the first one stands
            sale = Sale.objects.get(edition=edition, organization_id=application.organization_id, day=day,
                                    source=Sale.Source.DECLARED)
            return sale, "unchanged"
        activity.record(user, "sales.declared", sale, after=activity.snapshot(sale, fields), request=request)
    return sale, "created"


def record_market_sale(organization, edition, day, amount, lines=(), reference=""):
    """A sale made through another channel (the solidarity market). Idempotent on ``reference``."""
    if not reference:
        raise OperationError("a sale from another channel needs its reference")
    amount = parse_amount(amount)
    if amount < 0:
        raise OperationError(_("The amount cannot be negative. To correct a day, send its right total."))
    lines = [{"name": str(name), "quantity": int(quantity)} for name, quantity in lines]
    with scopes_disabled(), transaction.atomic():
        existing = Sale.objects.filter(source=Sale.Source.MARKET, reference=reference[:80]).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                sale = Sale.objects.create(
                    region_id=edition.region_id if edition is not None else organization.region_id,
                    edition=edition, organization=organization, day=day, amount=amount, lines=lines,
                    source=Sale.Source.MARKET, reference=reference[:80])
        except IntegrityError:  # the same order announced twice at once
            return Sale.objects.get(source=Sale.Source.MARKET, reference=reference[:80]), False
        activity.record("market", "sales.market_recorded", sale, after={
            "amount": str(amount), "reference": reference[:80], "day": day.isoformat()})
    return sale, True


def on_sale_recorded(sender, organization, edition, day, amount, lines, reference, **kwargs):
    """Receiver of ``tadamon.core.signals.sale_recorded``."""
    sale, _created = record_market_sale(organization, edition, day, amount, lines, reference)
    return sale


def record_visitors(actor, edition, day, gate, hour, count, *, request=None, today=None):
    """The count of one gate and one hour. A second count of the same gate and hour is refused: it is
    corrected with :func:`correct_visitors`, on purpose and logged."""
    gate = " ".join(str(gate).split())[:40]
    if not gate:
        raise OperationError(_("Name the gate (e.g. main gate)."))
    _check_day(edition, day, today)
    if not 0 <= int(hour) <= 23:
        raise OperationError(_("The hour is a number from 0 to 23."))
    if not 0 <= int(count) <= MAX_VISITORS_PER_HOUR:
        raise OperationError(_("%(count)s visitors in one hour through one gate is not possible: check the number.")
                             % {"count": count})
    with scopes_disabled(), transaction.atomic():
        try:
            with transaction.atomic():
                row = VisitorCount.objects.create(edition=edition, region_id=edition.region_id, day=day, gate=gate,
                                                  hour=int(hour), count=int(count), created_by=_user(actor))
        except IntegrityError:
            existing = VisitorCount.objects.get(edition=edition, day=day, gate=gate, hour=int(hour))
            raise OperationError(_("%(gate)s, %(day)s at %(hour)sh is already counted (%(count)s visitors). Correct "
                                   "that count instead of adding a second one.") % {
                "gate": gate, "day": day.isoformat(), "hour": f"{int(hour):02d}", "count": existing.count})
        activity.record(actor, "visitors.counted", row, after=activity.snapshot(row, ("day", "gate", "hour", "count")),
                        request=request)
    return row


def correct_visitors(actor, row, count, reason, *, request=None):
    if not (reason or "").strip():
        raise OperationError(_("Say why the count is corrected."))
    if not 0 <= int(count) <= MAX_VISITORS_PER_HOUR:
        raise OperationError(_("%(count)s visitors in one hour through one gate is not possible: check the number.")
                             % {"count": count})
    with scopes_disabled(), transaction.atomic():
        row = VisitorCount.objects.select_for_update().get(pk=row.pk)
        before = {"count": row.count}
        row.count = int(count)
        row.save(update_fields=["count", "updated_at"])
        activity.record(actor, "visitors.corrected", row, before=before, after={"count": row.count},
                        reason=reason.strip(), request=request)
    return row


def report_incident(actor, edition, day, kind, description, *, request=None, today=None):
    if not (description or "").strip():
        raise OperationError(_("Describe what happened."))
    _check_day(edition, day, today)
    with scopes_disabled(), transaction.atomic():
        incident = Incident.objects.create(edition=edition, region_id=edition.region_id, day=day, kind=kind,
                                           description=description.strip(), reported_by=_user(actor))
        activity.record(actor, "incident.reported", incident, after={"kind": kind, "day": day.isoformat()},
                        request=request)
    return incident


def resolve_incident(actor, incident, *, request=None):
    with scopes_disabled(), transaction.atomic():
        updated = Incident.objects.filter(pk=incident.pk, resolved=False).update(resolved=True)
        if updated:
            activity.record(actor, "incident.resolved", incident, before={"resolved": False},
                            after={"resolved": True}, request=request)
    return bool(updated)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
