"""What happens at the fair, day by day: the exhibitors' sales, the visitors counted at each gate, and
the incidents staff note.

- A sale figure is one exhibitor's takings for one day (amount in MAD and the products sold). An
  exhibitor declares one figure per day; sending it again corrects it (the change is logged). Sales made
  elsewhere (an order of the solidarity market picked up at a stand) arrive through the
  ``sale_recorded`` signal with a reference, which keeps them from being counted twice.
- A visitor count is the number of people who came in through one gate during one hour of one day:
  one row per gate and hour (a database constraint), corrected only on purpose.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from tadamon.core.models import Region
from tadamon.registry.models import Organization

from .floor_models import EditionOwned
from .models import Application, Edition


class Sale(models.Model):
    """One exhibitor's sales of one day (declared), or one sale made through another channel."""

    #: Not shown on the public pages kept for visitors (core.pagecache): writing it keeps them.
    page_cache_exempt = True

    class Source(models.TextChoices):
        DECLARED = "declared", _("declared by the exhibitor")
        MARKET = "market", _("solidarity market")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, null=True, blank=True, related_name="sales",
                                verbose_name=_("edition"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="fair_sales",
                                     verbose_name=_("organization"))
    application = models.ForeignKey(Application, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="sales")
    day = models.DateField(_("day"))
    amount = models.DecimalField(_("amount (MAD)"), max_digits=12, decimal_places=2)
    #: ``[{"product": id or null, "name": "...", "quantity": n}]``
    lines = models.JSONField(_("products sold"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.DECLARED)
    reference = models.CharField(max_length=80, blank=True, default="")
    client_key = models.CharField(max_length=40, blank=True, default="",
                                  help_text="the form's key: a form sent twice (offline resend) counts once")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("sale figure")
        verbose_name_plural = _("sales figures")
        constraints = [
            models.UniqueConstraint(fields=["edition", "organization", "day"], condition=Q(source="declared"),
                                    name="one_declaration_per_exhibitor_and_day"),
            models.UniqueConstraint(fields=["source", "reference"], condition=~Q(reference=""),
                                    name="unique_sale_reference"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="sale_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["edition", "day"]), models.Index(fields=["organization", "day"])]

    def __str__(self):
        return f"{self.organization} · {self.day} · {self.amount}"

    @property
    def quantity(self):
        return sum(int(line.get("quantity") or 0) for line in self.lines)


class VisitorCount(EditionOwned):
    """People who came in through one gate during one hour of one day."""

    #: Not shown on the public pages kept for visitors (core.pagecache): writing it keeps them.
    page_cache_exempt = True

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="visitor_counts",
                                verbose_name=_("edition"))
    day = models.DateField(_("day"))
    gate = models.CharField(_("gate"), max_length=40)
    hour = models.PositiveSmallIntegerField(_("hour"), validators=[MaxValueValidator(23)])
    count = models.PositiveIntegerField(_("visitors"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day", "gate", "hour"]
        verbose_name = _("visitor count")
        verbose_name_plural = _("visitor counts")
        constraints = [
            models.UniqueConstraint(fields=["edition", "gate", "day", "hour"], name="one_count_per_gate_and_hour"),
            models.CheckConstraint(condition=Q(hour__lte=23), name="visitor_hour_of_day"),
        ]

    def __str__(self):
        return f"{self.gate} · {self.day} {self.hour:02d}h · {self.count}"


class Incident(EditionOwned):
    """Something that went wrong during the fair, noted by staff (and closed when dealt with)."""

    #: Not shown on the public pages kept for visitors (core.pagecache): writing it keeps them.
    page_cache_exempt = True

    class Kind(models.TextChoices):
        SAFETY = "safety", _("safety")
        HEALTH = "health", _("health or first aid")
        THEFT = "theft", _("theft or loss")
        TECHNICAL = "technical", _("electricity, water or equipment")
        DISPUTE = "dispute", _("dispute")
        OTHER = "other", _("other")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="incidents",
                                verbose_name=_("edition"))
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("what happened"))
    resolved = models.BooleanField(_("dealt with"), default=False)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-created_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.day}"
