"""How buyers pay: a small interface that payment providers implement, and cash on pickup.

A provider records money received for an order. Cash is recorded by the organization when it hands
the order over; a card or mobile-money provider added later implements the same two methods (and may
start a payment before pickup). ``PROVIDERS`` lists the ones in use, by key.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _


class PaymentError(Exception):
    """A payment that cannot be recorded; the message says why."""


class PaymentProvider:
    key = ""
    label = ""
    #: Paid when the order is handed over (cash) rather than when it is placed (card, mobile money).
    pays_on_pickup = True

    def record(self, order, amount, *, actor=None, reference=""):
        """Record ``amount`` (MAD) received for ``order``; return the Payment. Call inside the transaction
        that hands the order over."""
        raise NotImplementedError


class CashProvider(PaymentProvider):
    key = "cash"
    label = _("cash on pickup")

    def record(self, order, amount, *, actor=None, reference=""):
        from .models import Payment

        amount = Decimal(amount)
        if amount <= 0:
            raise PaymentError(_("The amount received must be more than zero."))
        payment, _created = Payment.objects.get_or_create(
            order=order, provider=self.key,
            defaults={"amount": amount, "reference": reference[:80],
                      "recorded_by": actor if getattr(actor, "is_authenticated", False) else None})
        return payment


PROVIDERS = {provider.key: provider for provider in [CashProvider()]}


def provider(key="cash"):
    try:
        return PROVIDERS[key]
    except KeyError:
        raise PaymentError(_("Unknown payment method."))
