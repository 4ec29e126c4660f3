"""Business operations of the solidarity market: selling (opt in, products on sale, stock), placing
the orders of a basket (one per organization), moving an order through its states, handing it over
(with the single-use pickup code and the cash payment), changes of a confirmed order (only with the
buyer's consent) and the phone codes of buyers without an account.

Every change is written to the activity log in the same transaction; messages leave after commit.

Stock never goes below zero: the offers of a basket are locked (``SELECT … FOR UPDATE``) in the
order of their ids, so two baskets sharing products wait for each other instead of deadlocking, and
each decrement is a conditional ``UPDATE … WHERE stock >= quantity`` under a check constraint.
SQLite has no row locks; its write transactions start IMMEDIATE (settings), so writers take turns.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from tadamon.core import activity
from tadamon.core.signals import sale_recorded
from tadamon.programme.services import normalize_phone
from tadamon.registry.models import Representation

from . import payments
from .models import Fulfilment, Offer, Order, OrderLine, PhoneCode, Seller

S = Order.Status
MAX_QUANTITY = 999
ORDER_SALT = "tadamon.market.order"
CODE_TTL = timedelta(minutes=10)
CODE_RESEND_SECONDS = 60
CODE_MAX_PER_HOUR = 5
CODE_MAX_ATTEMPTS = 5

activity.register_actions({
    "market.seller_saved": _("market settings of an organization saved"),
    "market.offer_saved": _("product on sale saved"),
    "market.order_placed": _("market order placed"),
    "market.order_confirmed": _("market order confirmed"),
    "market.order_ready": _("market order ready"),
    "market.order_picked_up": _("market order picked up"),
    "market.order_delivered": _("market order delivered"),
    "market.order_cancelled": _("market order cancelled"),
    "market.change_proposed": _("change of a market order proposed"),
    "market.change_accepted": _("change of a market order accepted by the buyer"),
    "market.change_refused": _("change of a market order refused by the buyer"),
    "market.pickup_refused": _("pickup code refused"),
    "market.payment_recorded": _("payment recorded"),
})


class MarketError(Exception):
    """An operation the rules do not allow; ``messages`` say why, in the user's language."""

    def __init__(self, *messages, kind="invalid", changes=None):
        super().__init__(" ".join(str(m) for m in messages))
        self.messages = [str(m) for m in messages]
        self.kind = kind
        self.changes = changes or {}


def _actor(actor, fallback=""):
    return actor if getattr(actor, "is_authenticated", False) else fallback


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def money(value):
    return Decimal(value).quantize(Decimal("0.01"))


# ---- links --------------------------------------------------------------------------------------

def order_token(order):
    return signing.Signer(salt=ORDER_SALT).sign(str(order.pk))


def order_from_token(token):
    try:
        pk = int(signing.Signer(salt=ORDER_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    with scopes_disabled():
        return Order.objects.select_related("organization", "edition").filter(pk=pk).first()


def base_url():
    return getattr(settings, "TADAMON_BASE_URL", "") or "http://127.0.0.1:8000"


def order_url(order):
    with translation.override(order.language or "ar"):
        return base_url() + reverse("market:order", args=[order_token(order)])


# ---- the fair's stand --------------------------------------------------------------------------------

def current_stand(organization, today=None):
    """(edition, stand number) where the organization stands in an edition that has not ended (the
    soonest), from the fairs' stand allocation; None when it has no stand."""
    from tadamon.fairs.floor_models import StandAssignment
    from tadamon.fairs.models import Edition

    today = today or timezone.localdate()
    with scopes_disabled():
        assignment = (StandAssignment.objects
                      .filter(application__organization=organization, edition__ends_on__gte=today,
                              edition__status__in=[Edition.Status.SELECTION_PUBLISHED, Edition.Status.RUNNING])
                      .select_related("edition", "stand").order_by("edition__starts_on", "pk").first())
    if assignment is None:
        return None
    return assignment.edition, assignment.stand.number


def fulfilment_choices(organization, seller=None, today=None, stand=False):
    """The ways this organization hands orders over: [(key, label, detail)], the first one preferred.
    ``stand``: the organization's :func:`current_stand` when the caller already has it."""
    with scopes_disabled():
        seller = seller or Seller.objects.filter(organization=organization).first()
    choices = []
    if stand is False:
        stand = current_stand(organization, today)
    if stand is not None:
        edition, number = stand
        choices.append((Fulfilment.STAND, Fulfilment.STAND.label,
                        _("Stand %(stand)s · %(fair)s, %(start)s – %(end)s") % {
                            "stand": number, "fair": edition.title, "start": edition.starts_on.strftime("%d/%m"),
                            "end": edition.ends_on.strftime("%d/%m")}))
    address = (seller.pickup_address if seller else "") or organization.address or organization.commune
    hours = seller.pickup_hours if seller else ""
    choices.append((Fulfilment.ORGANIZATION, Fulfilment.ORGANIZATION.label,
                    " · ".join(filter(None, [address, hours]))))
    if seller is not None and seller.delivers:
        choices.append((Fulfilment.DELIVERY, Fulfilment.DELIVERY.label, seller.delivery_note))
    return choices


# ---- selling ----------------------------------------------------------------------------------------

SELLER_FIELDS = ["is_open", "pickup_address", "pickup_hours", "delivers", "delivery_note"]
OFFER_FIELDS = ["price", "unit", "stock", "is_listed"]


@transaction.atomic
def save_seller(actor, organization, data, *, request=None):
    """Join the market (or change how the organization sells)."""
    with scopes_disabled():
        seller = Seller.objects.select_for_update().filter(organization=organization).first()
        before = activity.snapshot(seller, SELLER_FIELDS) if seller else None
        if seller is None:
            seller = Seller(organization=organization)
        for key in SELLER_FIELDS:
            if key in data:
                setattr(seller, key, data[key])
        seller.save()
    activity.record(actor, "market.seller_saved", seller, before=before, after=activity.snapshot(seller, SELLER_FIELDS),
                    request=request)
    return seller


def save_offer(actor, product, *, price, stock, unit=None, is_listed=True, request=None):
    """Put a product on sale or change its price, stock or unit. Orders already placed keep their prices."""
    price = money(price)
    if price <= 0:
        raise MarketError(_("The price must be more than zero."))
    if stock is None or int(stock) < 0:
        raise MarketError(_("The stock cannot be below zero."))
    with transaction.atomic(), scopes_disabled():
        offer = Offer.objects.select_for_update().filter(product=product).first()
        before = activity.snapshot(offer, OFFER_FIELDS) if offer else None
        if offer is None:
            offer = Offer(product=product, organization_id=product.organization_id)
        offer.price, offer.stock, offer.is_listed = price, int(stock), bool(is_listed)
        offer.unit = unit or offer.unit or product.unit
        offer.save()
        activity.record(actor, "market.offer_saved", offer, before=before,
                        after=activity.snapshot(offer, OFFER_FIELDS), request=request)
    return offer


def seller_organizations(user):
    """The organizations ``user`` represents (approved), for the sellers' space."""
    with scopes_disabled():
        return [r.organization for r in Representation.objects.filter(
            user=user, status=Representation.Status.APPROVED).select_related("organization").order_by(
            "organization__name_ar")]


# ---- placing the orders of a basket ----------------------------------------------------------------

@dataclass
class BasketLine:
    offer_id: int
    quantity: int
    seen_price: Decimal


def place_orders(lines, *, name, phone, email="", user=None, fulfilments=None, delivery_addresses=None, note="",
                 checkout_key, language=None, request=None, notify=True, today=None):
    """Place the basket ``lines`` as one order per organization, all or nothing.

    Refused with every reason at once (nothing written) when a quantity is above the stock, a product
    left the market, or a price differs from the one the buyer saw (``kind="price"``, ``changes`` maps
    each offer id to its new price: the buyer accepts them and sends again). Sending the same checkout
    twice returns the orders of the first. Returns the list of orders."""
    user = _user(user)
    phone = normalize_phone(phone)
    name = (name or "").strip()[:150]
    language = (language or translation.get_language() or "ar")[:8]
    fulfilments = fulfilments or {}
    delivery_addresses = delivery_addresses or {}
    if not name:
        raise MarketError(_("Give your name."))
    if not 9 <= len(phone) <= 15:
        raise MarketError(_("Give a phone number the organization can call, e.g. 0612345678."))
    wanted = {}
    for line in lines:
        if line.quantity < 1 or line.quantity > MAX_QUANTITY:
            raise MarketError(_("Quantities go from 1 to %(n)s.") % {"n": MAX_QUANTITY})
        if line.offer_id in wanted:
            wanted[line.offer_id] = BasketLine(line.offer_id, wanted[line.offer_id].quantity + line.quantity,
                                               line.seen_price)
        else:
            wanted[line.offer_id] = line
    if not wanted:
        raise MarketError(_("Your basket is empty."))
    try:
        with transaction.atomic(), scopes_disabled():
            existing = list(Order.objects.filter(checkout_key=checkout_key))
            if existing:
                return existing
            offers = list(Offer.objects.select_for_update(of=("self",))
                          .select_related("product", "organization__market_seller", "organization__region")
                          .filter(pk__in=sorted(wanted)).order_by("pk"))
            problems, changes = [], {}
            found = {o.pk for o in offers}
            if len(found) != len(wanted):
                problems.append(_("A product of your basket is no longer in the market: remove it."))
            for offer in offers:
                line = wanted[offer.pk]
                seller = getattr(offer.organization, "market_seller", None)
                if (not offer.is_listed or not offer.product.is_active or seller is None or not seller.is_open
                        or not offer.organization.is_active):
                    problems.append(_("“%(p)s” is no longer on sale: remove it from your basket.")
                                    % {"p": offer.product.name})
                    continue
                if money(line.seen_price) != offer.price:
                    changes[offer.pk] = offer.price
                if line.quantity > offer.stock:
                    if offer.stock == 0:
                        problems.append(_("“%(p)s” is sold out.") % {"p": offer.product.name})
                    else:
                        problems.append(_("Only %(n)s of “%(p)s” left: you asked for %(q)s.")
                                        % {"n": offer.stock, "p": offer.product.name, "q": line.quantity})
            if changes:
                problems.insert(0, _("A price changed since you put the product in your basket: check the new "
                                     "prices and accept them to order."))
            if problems:
                raise MarketError(*problems, kind="price" if changes else "invalid", changes=changes)
            by_organization = {}
            for offer in offers:
                by_organization.setdefault(offer.organization_id, []).append(offer)
            orders = []
            for organization_id, group in by_organization.items():
                organization = group[0].organization
                stand = current_stand(organization, today)
                choices = [c[0] for c in fulfilment_choices(organization, organization.market_seller, today,
                                                            stand=stand)]
                kind = fulfilments.get(organization_id) or choices[0]
                if kind not in choices:
                    raise MarketError(_("%(org)s does not offer this way of getting the order.")
                                      % {"org": organization.name})
                address = (delivery_addresses.get(organization_id) or "").strip()[:255]
                if kind == Fulfilment.DELIVERY and not address:
                    raise MarketError(_("Give the delivery address for %(org)s.") % {"org": organization.name})
                edition, stand_number = None, ""
                if kind == Fulfilment.STAND:
                    edition, stand_number = stand
                total = sum((o.price * wanted[o.pk].quantity for o in group), start=Decimal("0"))
                order = Order.objects.create(
                    organization=organization, region_id=organization.region_id, fulfilment=kind, edition=edition,
                    stand_number=stand_number, delivery_address=address if kind == Fulfilment.DELIVERY else "",
                    buyer=user, buyer_name=name, buyer_phone=phone, buyer_email=(email or "").strip()[:254],
                    language=language, note=(note or "").strip()[:300], total=total, checkout_key=checkout_key)
                OrderLine.objects.bulk_create([OrderLine(
                    order=order, offer=o, name_ar=o.product.name_ar, name_fr=o.product.name_fr, unit=o.unit,
                    unit_price=o.price, quantity=wanted[o.pk].quantity) for o in group])
                for o in group:
                    taken = Offer.objects.filter(pk=o.pk, stock__gte=wanted[o.pk].quantity).update(
                        stock=F("stock") - wanted[o.pk].quantity)
                    if taken != 1:  # cannot happen under the lock; never sell what is not there
                        raise MarketError(_("“%(p)s” is sold out.") % {"p": o.product.name})
                activity.record(_actor(user, name), "market.order_placed", order, region=organization.region,
                                after={
                                    "status": S.PLACED, "total": str(total), "fulfilment": kind,
                                    "lines": [[o.pk, wanted[o.pk].quantity, str(o.price)] for o in group]},
                                request=request)
                orders.append(order)
            if notify:
                for order in orders:
                    transaction.on_commit(lambda o=order: _notify(o, "placed"))
            return orders
    except IntegrityError:
        # The same checkout sent twice at the same moment: the other request placed the orders.
        with scopes_disabled():
            existing = list(Order.objects.filter(checkout_key=checkout_key))
        if existing:
            return existing
        raise


# ---- moving an order ---------------------------------------------------------------------------------

def _lock(order):
    return Order.objects.select_for_update(of=("self",)).select_related("organization", "edition").get(pk=order.pk)


def _move(actor, locked, status, action, *, reason="", request=None, **fields):
    if not locked.can_move_to(status):
        raise MarketError(_("This order is “%(status)s”: it cannot become “%(new)s”.")
                          % {"status": locked.get_status_display(), "new": S(status).label})
    before = locked.status
    locked.status = status
    for key, value in fields.items():
        setattr(locked, key, value)
    locked.save(update_fields=["status", "updated_at", *fields])
    activity.record(actor, action, locked, before={"status": before}, after={"status": status, **{
        k: str(v) for k, v in fields.items() if k not in ("handed_over_by",)}}, reason=reason, request=request)
    return locked


def _advance(actor, order, status, *, request=None, notify=True):
    """Confirm an order or mark it ready (the same step twice changes nothing); the buyer is told."""
    with transaction.atomic(), scopes_disabled():
        locked = _lock(order)
        if locked.status == status:
            return locked
        if status == S.READY and locked.proposed_total is not None:
            raise MarketError(_("The buyer has not answered the proposed change yet."))
        _move(actor, locked, status, f"market.order_{status}", request=request,
              **{"confirmed_at" if status == S.CONFIRMED else "ready_at": timezone.now()})
        if notify:
            transaction.on_commit(lambda: _notify(locked, str(status)))
    return locked


def confirm(actor, order, *, request=None, notify=True):
    return _advance(actor, order, S.CONFIRMED, request=request, notify=notify)


def mark_ready(actor, order, *, request=None, notify=True):
    return _advance(actor, order, S.READY, request=request, notify=notify)


def _restock(lines):
    """Put the quantities of ``lines`` (OrderLine or (offer_id, quantity)) back, offers locked in id order."""
    amounts = {}
    for line in lines:
        offer_id, quantity = (line.offer_id, line.quantity) if isinstance(line, OrderLine) else line
        amounts[offer_id] = amounts.get(offer_id, 0) + quantity
    list(Offer.objects.select_for_update().filter(pk__in=sorted(amounts)).order_by("pk").values_list("pk"))
    for offer_id, quantity in sorted(amounts.items()):
        Offer.objects.filter(pk=offer_id).update(stock=F("stock") + quantity)


def cancel(actor, order, *, reason="", by_buyer=False, request=None, notify=True):
    """Cancel an open order; its quantities go back to the stock. A buyer cancels only before it is ready."""
    with transaction.atomic(), scopes_disabled():
        locked = _lock(order)
        if locked.status == S.CANCELLED:
            return locked
        if by_buyer and locked.status not in (S.PLACED, S.CONFIRMED):
            raise MarketError(_("This order is ready: call the organization to cancel it."))
        if not by_buyer and not reason.strip():
            raise MarketError(_("Say why the order is cancelled: the buyer will read it."))
        _move(_actor(actor, locked.buyer_name if by_buyer else ""), locked, S.CANCELLED, "market.order_cancelled",
              reason=reason.strip(), request=request, cancelled_at=timezone.now(), cancel_reason=reason.strip()[:300],
              proposed_total=None, proposed_lines=None)
        _restock(list(locked.lines.all()))
        if notify:
            transaction.on_commit(lambda: _notify(locked, "cancelled"))
    return locked


def find_by_code(code):
    from tadamon.fairs.floor_models import normalize_code

    code = normalize_code(code)
    if not code:
        return None
    with scopes_disabled():
        return Order.objects.select_related("organization", "edition").filter(pickup_code=code).first()


def used_message(order):
    when = timezone.localtime(order.handed_over_at)
    return _("This pickup code was already used on %(day)s at %(time)s: the order was handed over then. Do not "
             "hand it over again.") % {"day": when.strftime("%d/%m/%Y"), "time": when.strftime("%H:%M")}


def hand_over(actor, order, *, code=None, cash=True, amount=None, today=None, request=None, notify=True):
    """The buyer has the order: picked up (the pickup code, when given, must be this order's and is used
    once) or delivered. Cash received is recorded; a pickup at the stand during the edition is a sale of
    the fair (``sale_recorded``)."""
    from tadamon.fairs.floor_models import normalize_code

    today = today or timezone.localdate()
    used = None
    with transaction.atomic(), scopes_disabled():
        locked = _lock(order)
        if code is not None and normalize_code(code) != locked.pickup_code:
            raise MarketError(_("This code is not the code of this order."))
        if locked.status in (S.PICKED_UP, S.DELIVERED):
            used = locked
    if used is not None:
        # Outside the transaction: the refusal stays in the log.
        activity.record(actor, "market.pickup_refused", used, reason="code already used", request=request)
        raise MarketError(used_message(used), kind="used")
    with transaction.atomic(), scopes_disabled():
        locked = _lock(order)
        if locked.status in (S.PICKED_UP, S.DELIVERED):  # scanned on two phones at the same moment
            raise MarketError(used_message(locked), kind="used")
        if locked.status == S.CANCELLED:
            raise MarketError(_("This order was cancelled: do not hand it over."), kind="cancelled")
        if locked.proposed_total is not None:
            raise MarketError(_("The buyer has not answered the proposed change yet."))
        if locked.status in (S.PLACED, S.CONFIRMED):
            # Handed over at once (at the stand, the buyer is there): the order passes through "ready".
            if locked.status == S.PLACED:
                _move(actor, locked, S.CONFIRMED, "market.order_confirmed", request=request,
                      confirmed_at=timezone.now())
            _move(actor, locked, S.READY, "market.order_ready", request=request, ready_at=timezone.now())
        status = S.DELIVERED if locked.fulfilment == Fulfilment.DELIVERY else S.PICKED_UP
        _move(actor, locked, status, "market.order_delivered" if status == S.DELIVERED else "market.order_picked_up",
              request=request, handed_over_at=timezone.now(), handed_over_by=_user(actor))
        if cash:
            payment = payments.provider("cash").record(locked, amount if amount is not None else locked.total,
                                                       actor=actor)
            activity.record(actor, "market.payment_recorded", locked, after={
                "provider": payment.provider, "amount": str(payment.amount)}, request=request)
        edition = locked.edition
        if (locked.fulfilment == Fulfilment.STAND and edition is not None
                and edition.starts_on <= today <= edition.ends_on):
            lines = [(line.name, line.quantity) for line in locked.lines.all()]
            transaction.on_commit(lambda: sale_recorded.send(
                sender=Order, organization=locked.organization, edition=edition, day=today, amount=locked.total,
                lines=lines, reference=f"market-order-{locked.reference}"))
        if notify:
            transaction.on_commit(lambda: _notify(locked, "handed_over"))
    return locked


# ---- a change of a confirmed order needs the buyer's consent ------------------------------------------

def propose_change(actor, order, quantities, *, reason, request=None, notify=True):
    """The organization cannot give everything (a jar broke): it proposes smaller quantities. The total
    changes only when the buyer accepts (:func:`answer_change`)."""
    if not (reason or "").strip():
        raise MarketError(_("Say why the order changes: the buyer will read it."))
    with transaction.atomic(), scopes_disabled():
        locked = _lock(order)
        if locked.status not in (S.CONFIRMED, S.READY):
            raise MarketError(_("Only a confirmed order waits for the buyer's consent to change."))
        lines = {line.pk: line for line in locked.lines.all()}
        proposed, total = {}, Decimal("0")
        for line_id, line in lines.items():
            quantity = int(quantities.get(line_id, line.quantity))
            if quantity < 0 or quantity > line.quantity:
                raise MarketError(_("A change can only lower quantities."))
            proposed[str(line_id)] = quantity
            total += line.unit_price * quantity
        if all(proposed[str(k)] == v.quantity for k, v in lines.items()):
            raise MarketError(_("Nothing changes."))
        locked.proposed_lines, locked.proposed_total = proposed, total
        locked.proposed_reason = reason.strip()[:300]
        locked.save(update_fields=["proposed_lines", "proposed_total", "proposed_reason", "updated_at"])
        activity.record(actor, "market.change_proposed", locked, before={"total": str(locked.total)},
                        after={"total": str(total), "lines": proposed}, reason=reason, request=request)
        if notify:
            transaction.on_commit(lambda: _notify(locked, "change"))
    return locked


def answer_change(order, *, accept, request=None):
    """The buyer accepts (the new quantities and total apply, the rest goes back to stock) or refuses
    (the order stays as it was)."""
    with transaction.atomic(), scopes_disabled():
        locked = _lock(order)
        if locked.proposed_total is None:
            raise MarketError(_("There is no change to answer."))
        before = {"total": str(locked.total)}
        if accept:
            back = []
            for line in locked.lines.all():
                quantity = int(locked.proposed_lines.get(str(line.pk), line.quantity))
                if quantity < line.quantity:
                    back.append((line.offer_id, line.quantity - quantity))
                if quantity == 0:
                    line.delete()
                elif quantity != line.quantity:
                    line.quantity = quantity
                    line.save(update_fields=["quantity"])
            _restock(back)
            locked.total = locked.proposed_total
        locked.proposed_total, locked.proposed_lines, locked.proposed_reason = None, None, ""
        locked.save(update_fields=["total", "proposed_total", "proposed_lines", "proposed_reason", "updated_at"])
        activity.record(locked.buyer_name, "market.change_accepted" if accept else "market.change_refused", locked,
                        before=before, after={"total": str(locked.total)}, request=request)
        if accept and not locked.lines.exists():
            cancel(None, locked, reason=str(_("Nothing left in the order after the change.")), notify=False)
    return locked


# ---- phone codes ----------------------------------------------------------------------------------------

def _hash(phone, code):
    return salted_hmac("tadamon.market.phone", f"{phone}:{code}").hexdigest()


def send_phone_code(phone, *, now=None):
    """Send a six-digit code by text message. Refused when asked again within a minute or five times
    in an hour."""
    from tadamon.core.sms import send_sms

    now = now or timezone.now()
    phone = normalize_phone(phone)
    if not 9 <= len(phone) <= 15:
        raise MarketError(_("Give a phone number the organization can call, e.g. 0612345678."))
    recent = PhoneCode.objects.filter(phone=phone, created_at__gte=now - timedelta(hours=1))
    if recent.count() >= CODE_MAX_PER_HOUR:
        raise MarketError(_("Too many codes were sent to this number. Try again in an hour."))
    last = recent.first()
    if last is not None and (now - last.created_at).total_seconds() < CODE_RESEND_SECONDS:
        raise MarketError(_("A code was sent less than a minute ago: wait for it, then ask again if needed."),
                          kind="wait")
    code = f"{secrets.randbelow(10**6):06d}"
    PhoneCode.objects.create(phone=phone, code_hash=_hash(phone, code), expires_at=now + CODE_TTL)
    send_sms(phone, str(_("Tadamon: your code is %(code)s. It is valid for 10 minutes.") % {"code": code}))
    return phone


def check_phone_code(phone, code, *, now=None):
    """True when ``code`` is the last code sent to ``phone``, not expired, within five attempts."""
    now = now or timezone.now()
    phone = normalize_phone(phone)
    code = "".join(ch for ch in str(code or "") if ch.isdigit())
    with transaction.atomic():
        row = PhoneCode.objects.select_for_update().filter(phone=phone, verified_at__isnull=True).first()
        if row is None or row.expires_at <= now:
            raise MarketError(_("This code has expired: ask for a new one."), kind="expired")
        if row.attempts >= CODE_MAX_ATTEMPTS:
            raise MarketError(_("Too many wrong codes: ask for a new one."), kind="expired")
        right = constant_time_compare(row.code_hash, _hash(phone, code))
        if right:
            row.verified_at = now
            row.save(update_fields=["verified_at"])
        else:  # counted, then refused outside the transaction so that the count stays
            row.attempts += 1
            row.save(update_fields=["attempts"])
    if not right:
        raise MarketError(_("This code is not right. Check the text message and type the six digits."))
    return True


def phone_fingerprint(phone):
    """What the session keeps of a verified number."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{normalize_phone(phone)}".encode()).hexdigest()[:32]


# ---- notices --------------------------------------------------------------------------------------------

def _notify(order, kind):
    from .tasks import enqueue_notices

    enqueue_notices(order, kind)


def send_notices(order_id, kind):
    """Tell the buyer (text message, and e-mail when given) and, for a new order, the organization."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    from tadamon.core.sms import send_sms

    with scopes_disabled():
        order = Order.objects.select_related("organization", "edition").prefetch_related("lines").filter(
            pk=order_id).first()
        if order is None:
            return
        with translation.override(order.language or "ar"):
            context = {"order": order, "kind": kind, "link": order_url(order), "audience": "buyer"}
            subject = render_to_string("market/email/notice_subject.txt", context).strip()
            send_sms(order.buyer_phone, render_to_string("market/email/notice_sms.txt", context).strip())
            if order.buyer_email:
                send_mail(subject, render_to_string("market/email/notice.txt", context), None, [order.buyer_email])
        if kind != "placed":
            return
        organization = order.organization
        representatives = list(Representation.objects.filter(
            organization=organization, status=Representation.Status.APPROVED).select_related("user"))
        language = representatives[0].user.preferred_language if representatives else "ar"
        with translation.override(language or "ar"):
            context = {"order": order, "kind": "new", "audience": "organization",
                       "link": base_url() + reverse("market:sell_order", args=[order.pk])}
            subject = render_to_string("market/email/notice_subject.txt", context).strip()
            body = render_to_string("market/email/notice.txt", context)
            send_sms(organization.phone or (representatives[0].user.phone if representatives else ""),
                     render_to_string("market/email/notice_sms.txt", context).strip())
            emails = sorted({r.user.email for r in representatives if r.user.email} | (
                {organization.email} if organization.email else set()))
            if emails:
                send_mail(subject, body, None, emails)
