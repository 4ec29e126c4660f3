"""The solidarity market: organizations that sell (opt in), their products on sale (price, unit,
stock), orders (one per organization, split from a basket), their lines, payments and the phone codes
that let a buyer without an account order.

Stock is a column with a check constraint (never below zero); orders keep the price of each line as
the buyer accepted it, so a later change of the product's price never changes an order.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from tadamon.core.models import Region, RegionFromParent, bilingual
from tadamon.registry.models import Organization, Product, ProductUnit

#: Characters of pickup codes: no 0/O, 1/I/L (the alphabet of the fairs' badges).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def new_pickup_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_reference():
    return "".join(secrets.choice("0123456789") for _ in range(8))


class Seller(RegionFromParent, models.Model):
    """An organization that takes part in the market, with where and how buyers get their orders."""

    region_parent = "organization"

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="market_seller",
                                        verbose_name=_("organization"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    is_open = models.BooleanField(_("selling in the market"), default=True)
    pickup_address = models.CharField(_("pickup address"), max_length=255, blank=True,
                                      help_text=_("Where buyers collect their orders outside fairs."))
    pickup_hours = models.CharField(_("pickup hours"), max_length=120, blank=True)
    delivers = models.BooleanField(_("we deliver"), default=False)
    delivery_note = models.CharField(_("delivery conditions"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("market seller")
        verbose_name_plural = _("market sellers")

    def __str__(self):
        return str(self.organization)


class Offer(RegionFromParent, models.Model):
    """A registry product on sale in the market: its price, unit and stock."""

    region_parent = "organization"

    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="market_offer",
                                   verbose_name=_("product"))
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="market_offers",
                                     verbose_name=_("organization"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    price = models.DecimalField(_("price (MAD)"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, choices=ProductUnit.choices, default=ProductUnit.PIECE)
    stock = models.IntegerField(_("stock"), default=0)
    is_listed = models.BooleanField(_("on sale"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["product__name_ar", "pk"]
        verbose_name = _("product on sale")
        verbose_name_plural = _("products on sale")
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="market_offer_stock_not_negative"),
            models.CheckConstraint(condition=Q(price__gt=0), name="market_offer_price_positive"),
        ]
        indexes = [models.Index(fields=["organization", "is_listed"]), models.Index(fields=["region", "is_listed"])]

    def __str__(self):
        return str(self.product)

    @property
    def name(self):
        return self.product.name


class Fulfilment(models.TextChoices):
    STAND = "stand", _("pickup at the fair's stand")
    ORGANIZATION = "organization", _("pickup at the organization")
    DELIVERY = "delivery", _("delivery")


class Order(RegionFromParent, models.Model):
    """What one buyer ordered from one organization."""

    region_parent = "organization"

    class Status(models.TextChoices):
        PLACED = "placed", _("placed, waiting for the organization")
        CONFIRMED = "confirmed", _("confirmed by the organization")
        READY = "ready", _("ready")
        PICKED_UP = "picked_up", _("picked up")
        DELIVERED = "delivered", _("delivered")
        CANCELLED = "cancelled", _("cancelled")

    #: The only moves the status may make.
    TRANSITIONS = {
        Status.PLACED: [Status.CONFIRMED, Status.CANCELLED],
        Status.CONFIRMED: [Status.READY, Status.CANCELLED],
        Status.READY: [Status.PICKED_UP, Status.DELIVERED, Status.CANCELLED],
        Status.PICKED_UP: [],
        Status.DELIVERED: [],
        Status.CANCELLED: [],
    }
    OPEN_STATUSES = [Status.PLACED, Status.CONFIRMED, Status.READY]

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="market_orders",
                                     verbose_name=_("organization"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    reference = models.CharField(_("reference"), max_length=12, unique=True, default=new_reference, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLACED)
    fulfilment = models.CharField(_("how the order is handed over"), max_length=12, choices=Fulfilment.choices,
                                  default=Fulfilment.ORGANIZATION)
    edition = models.ForeignKey("fairs.Edition", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("fair"))
    stand_number = models.CharField(_("stand"), max_length=12, blank=True)
    delivery_address = models.CharField(_("delivery address"), max_length=255, blank=True)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="market_orders", verbose_name=_("buyer's account"))
    buyer_name = models.CharField(_("name"), max_length=150)
    buyer_phone = models.CharField(_("phone"), max_length=20)
    buyer_email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(max_length=8, default="ar")
    note = models.CharField(_("note for the organization"), max_length=300, blank=True)
    total = models.DecimalField(_("total (MAD)"), max_digits=12, decimal_places=2)
    #: A new total the organization proposes after confirmation; applied only if the buyer accepts.
    proposed_total = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    proposed_lines = models.JSONField(null=True, blank=True)
    proposed_reason = models.CharField(max_length=300, blank=True)
    pickup_code = models.CharField(max_length=16, unique=True, default=new_pickup_code, editable=False)
    checkout_key = models.CharField(max_length=40, editable=False)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("ordered on"), auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("market order")
        verbose_name_plural = _("market orders")
        constraints = [
            # A double submit of the same basket makes no second order for the same organization.
            models.UniqueConstraint(fields=["checkout_key", "organization"], name="one_order_per_checkout_and_org"),
            models.CheckConstraint(condition=Q(total__gte=0), name="market_order_total_not_negative"),
        ]
        indexes = [models.Index(fields=["organization", "status"]), models.Index(fields=["buyer_phone"])]

    def __str__(self):
        return f"#{self.reference}"

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, [])

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def grouped_code(self):
        return "-".join(self.pickup_code[i:i + 5] for i in range(0, len(self.pickup_code), 5))


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="lines")
    name_ar = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200, blank=True)
    unit = models.CharField(max_length=10, choices=ProductUnit.choices)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="market_line_quantity_positive")]

    def __str__(self):
        return f"{self.quantity} × {self.name}"

    name = bilingual("name")

    @property
    def amount(self):
        return self.unit_price * self.quantity


class Payment(models.Model):
    """Money received for an order, through a payment provider (cash on pickup for now)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(_("payment method"), max_length=20)
    amount = models.DecimalField(_("amount (MAD)"), max_digits=12, decimal_places=2)
    reference = models.CharField(max_length=80, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="market_payment_positive"),
            models.UniqueConstraint(fields=["order", "provider"], name="one_payment_per_order_and_method"),
        ]

    def __str__(self):
        return f"{self.order} · {self.amount} · {self.provider}"


class PhoneCode(models.Model):
    """A code sent by text message to check that a buyer without an account holds the phone."""

    phone = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=128)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.phone
