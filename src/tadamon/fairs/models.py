"""Editions of fairs and events, their poles and partners, the call for exhibitors, applications,
their review and the selection."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from tadamon.core.models import Region, RegionFromParent, bilingual, localized
from tadamon.registry.models import LegalForm, Organization, Product, Sector


class Institution(models.Model):
    """A public body, partner or sponsor shown on edition pages."""

    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200)
    logo = models.ImageField(_("logo"), upload_to="institutions/", blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self):
        return localized(self, "name")

    name = bilingual("name")


class Edition(models.Model):
    class Kind(models.TextChoices):
        REGIONAL_FAIR = "regional_fair", _("Regional SSE fair")
        THEMATIC_FAIR = "thematic_fair", _("Thematic fair")
        COMMUNICATION_DAY = "communication_day", _("Communication and training day")
        CONSULTATION = "consultation", _("Consultation workshop")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        CALL_OPEN = "call_open", _("call for exhibitors open")
        CALL_CLOSED = "call_closed", _("call closed, under review")
        SELECTION_PUBLISHED = "selection_published", _("selection published")
        RUNNING = "running", _("running")
        CLOSED = "closed", _("closed")

    #: The only moves the status may make, in order.
    TRANSITIONS = {
        Status.DRAFT: [Status.CALL_OPEN],
        Status.CALL_OPEN: [Status.CALL_CLOSED],
        Status.CALL_CLOSED: [Status.CALL_OPEN, Status.SELECTION_PUBLISHED],
        Status.SELECTION_PUBLISHED: [Status.RUNNING],
        Status.RUNNING: [Status.CLOSED],
        Status.CLOSED: [],
    }

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="editions", verbose_name=_("region"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGIONAL_FAIR)
    number = models.PositiveSmallIntegerField(_("edition number"), default=1)
    title_ar = models.CharField(_("title in Arabic"), max_length=250)
    title_fr = models.CharField(_("title in French"), max_length=250)
    slogan_ar = models.CharField(_("slogan in Arabic"), max_length=250, blank=True)
    slogan_fr = models.CharField(_("slogan in French"), max_length=250, blank=True)
    description_ar = models.TextField(_("description in Arabic"), blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    opens_at = models.TimeField(_("daily opening"), null=True, blank=True)
    closes_at = models.TimeField(_("daily closing"), null=True, blank=True)
    venue_name_ar = models.CharField(_("venue (Arabic)"), max_length=200, blank=True)
    venue_name_fr = models.CharField(_("venue (French)"), max_length=200, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=255, blank=True)
    area_m2 = models.PositiveIntegerField(_("area (m²)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    # The call for exhibitors
    call_opens_at = models.DateTimeField(_("call opens"), null=True, blank=True)
    call_closes_at = models.DateTimeField(_("call closes"), null=True, blank=True)
    allowed_legal_forms = models.JSONField(_("legal forms allowed"), default=list, blank=True,
                                           help_text=_("Empty: every legal form."))
    allowed_sectors = models.ManyToManyField(Sector, blank=True, related_name="+", verbose_name=_("sectors allowed"))
    region_only = models.BooleanField(_("organizations of the region only"), default=False)
    outside_region_max = models.PositiveIntegerField(
        _("most exhibitors from outside the region"), null=True, blank=True,
        help_text=_("Used by the selection when organizations from other regions may apply."))
    min_age_months = models.PositiveIntegerField(_("minimum age of the organization (months)"), default=0)
    require_product_photo = models.BooleanField(_("at least one product with a photo"), default=True)
    require_sanitary_for_food = models.BooleanField(_("sanitary authorization for food products"), default=True)
    women_led_min_share = models.DecimalField(_("least share of women-led organizations"), max_digits=4,
                                              decimal_places=2, null=True, blank=True)
    selection_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def __str__(self):
        return self.title

    title = bilingual("title")

    slogan = bilingual("slogan")

    venue_name = bilingual("venue_name")

    description = bilingual("description")

    def get_absolute_url(self):
        return reverse("fairs:edition", args=[self.pk])

    def call_is_open(self, now=None):
        """The call accepts submissions: status open and now within the opening and closing times.
        Checked on the server at the second (times are stored in UTC, shown in Africa/Casablanca)."""
        now = now or timezone.now()
        return (
            self.status == self.Status.CALL_OPEN
            and self.call_opens_at is not None
            and self.call_closes_at is not None
            and self.call_opens_at <= now < self.call_closes_at
        )

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, [])

    @property
    def legal_form_labels(self):
        labels = dict(LegalForm.choices)
        return [labels.get(k, k) for k in self.allowed_legal_forms]


class EditionPartner(models.Model):
    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("organizer")
        PARTNER = "partner", _("partner")
        SPONSOR = "sponsor", _("sponsor")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="partners")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("institution"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.PARTNER)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["role", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "institution", "role"], name="unique_partner_role")]

    def __str__(self):
        return f"{self.institution} ({self.get_role_display()})"


class Pole(models.Model):
    class Kind(models.TextChoices):
        PRODUCTS = "products", _("Products pole")
        INTERNATIONAL = "international", _("International cooperation pole")
        INSTITUTIONAL = "institutional", _("Institutional pole")
        PARTNERS = "partners", _("Partners pole")
        AGORA = "agora", _("AGORA")
        WORKSHOPS = "workshops", _("Training workshop space")
        MARKETING = "marketing", _("Exhibition and marketing space")
        INSTITUTIONAL_WING = "institutional_wing", _("Institutional wing")
        OTHER = "other", _("Other space")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="poles")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PRODUCTS)
    name_ar = models.CharField(_("name in Arabic"), max_length=150)
    name_fr = models.CharField(_("name in French"), max_length=150)
    description_ar = models.TextField(_("description in Arabic"), blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity (exhibitors)"), default=0)
    stands = models.PositiveIntegerField(_("stands"), default=0)
    accepts_applications = models.BooleanField(_("open to the call for exhibitors"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("pole")
        verbose_name_plural = _("poles")

    def __str__(self):
        return self.name

    name = bilingual("name")

    description = bilingual("description")


class CallQuestion(models.Model):
    """An extra question staff add to the application form of one edition."""

    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        YES_NO = "yes_no", _("yes or no")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="questions")
    text_ar = models.CharField(_("question in Arabic"), max_length=300)
    text_fr = models.CharField(_("question in French"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text

    text = bilingual("text")


class RequiredDocument(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="required_documents")
    name_ar = models.CharField(_("document (Arabic)"), max_length=200)
    name_fr = models.CharField(_("document (French)"), max_length=200)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name

    name = bilingual("name")


class Application(RegionFromParent, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for completion")
        ELIGIBLE = "eligible", _("eligible")
        INELIGIBLE = "ineligible", _("ineligible")
        SELECTED = "selected", _("selected")
        WAITLISTED = "waitlisted", _("on the waiting list")
        REJECTED = "rejected", _("not selected")
        CONFIRMED = "confirmed", _("participation confirmed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="applications",
                                verbose_name=_("edition"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="applications",
                                     verbose_name=_("organization"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pole = models.ForeignKey(Pole, on_delete=models.PROTECT, null=True, blank=True, related_name="applications",
                             verbose_name=_("pole"))
    products = models.ManyToManyField(Product, blank=True, related_name="+", verbose_name=_("products to show"))
    needs_power = models.BooleanField(_("electricity"), default=False)
    needs_water = models.BooleanField(_("water"), default=False)
    needs_refrigeration = models.BooleanField(_("refrigeration"), default=False)
    needs_step_free = models.BooleanField(_("step-free access"), default=False)
    share_with = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("share a stand with"))
    answers = models.JSONField(default=dict, blank=True)
    declaration_accepted = models.BooleanField(_("I declare the information is true"), default=False)
    first_participation = models.BooleanField(_("first participation in this fair"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    status_message = models.TextField(_("message"), blank=True)
    ineligible_reasons = models.JSONField(default=list, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=3, null=True, blank=True)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    explanation = models.TextField(blank=True)
    pinned = models.CharField(max_length=3, blank=True, choices=[("in", _("pinned in")), ("out", _("pinned out"))])
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["edition", "organization"], name="one_application_per_organization"),
        ]

    def __str__(self):
        return f"{self.organization} · {self.edition}"

    @property
    def outside_region(self):
        return self.organization.region_id != self.edition.region_id


class ApplicationDocument(models.Model):

    #: Not shown on the public pages kept for visitors (core.pagecache): writing it keeps them.
    page_cache_exempt = True
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey(RequiredDocument, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="applications/%Y/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "required_document"], name="one_file_per_doc")]

    def __str__(self):
        return self.file.name


class ScoringCriterion(models.Model):
    """A line of a scoring grid: its name, its weight and its scale (0 to ``max_points``). The
    review grid of an edition's applications and the grid of a prize (prizes app) are made of them."""

    name_ar = models.CharField(_("criterion (Arabic)"), max_length=150)
    name_fr = models.CharField(_("criterion (French)"), max_length=150)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    max_points = models.PositiveSmallIntegerField(_("maximum points"), default=10)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.name

    name = bilingual("name")


class Criterion(ScoringCriterion):
    """A line of the scoring grid of an edition (e.g. product quality, weight 3)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="criteria")

    class Meta(ScoringCriterion.Meta):
        pass


class Review(models.Model):
    """One reviewer's independent scores and comment on one application."""

    #: Not shown on the public pages kept for visitors (core.pagecache): writing it keeps them.
    page_cache_exempt = True

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(default=dict)  # criterion id (str) -> points
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="one_review_per_reviewer")]

    def __str__(self):
        return f"{self.reviewer} → {self.application_id}"


class SelectionRun(RegionFromParent, models.Model):
    """One run of the selection engine: its input, its output, who ran it, and whether it was published."""

    #: Not shown on the public pages kept for visitors (core.pagecache): writing it keeps them.
    page_cache_exempt = True

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="selection_runs")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    instance = models.JSONField()
    result = models.JSONField()
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.edition} · {self.created_at:%Y-%m-%d %H:%M}"


class SelectionQuota(models.Model):
    """A rule of the selection, set by staff: e.g. at least 2 exhibitors from every province, at most
    30 of one sector, at least 40 % women-led. The selection engine reads it as a QUOTA of the
    ``select-exhibitors`` contract (docs/commands.md)."""

    class AppliesTo(models.TextChoices):
        ALL = "", _("every selected application")
        OUTSIDE_REGION = "outside_region", _("organizations from outside the region")
        WOMEN_LED = "women_led", _("women-led organizations")
        PROVINCE = "province", _("organizations of one province")
        SECTOR = "sector", _("organizations of one sector")

    class GroupBy(models.TextChoices):
        NONE = "", _("all together")
        PROVINCE = "province", _("for each province")
        SECTOR = "sector", _("for each sector")
        ORGANIZATION = "organization", _("for each organization")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="quotas")
    name = models.CharField(_("name"), max_length=120,
                            help_text=_("Shown when quotas conflict, e.g. “every province”."))
    pole = models.ForeignKey(Pole, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name=_("pole"), help_text=_("Empty: all the poles together."))
    applies_to = models.CharField(_("counts"), max_length=20, choices=AppliesTo.choices, blank=True)
    value = models.CharField(_("province or sector"), max_length=40, blank=True,
                             help_text=_("A province code (e.g. 03.131) or a sector key (e.g. terroir)."))
    group_by = models.CharField(_("counted"), max_length=20, choices=GroupBy.choices, blank=True)
    minimum = models.PositiveIntegerField(_("at least"), null=True, blank=True)
    maximum = models.PositiveIntegerField(_("at most"), null=True, blank=True)
    min_share = models.PositiveSmallIntegerField(_("at least (percent of the selected)"), null=True, blank=True)
    max_share = models.PositiveSmallIntegerField(_("at most (percent of the selected)"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("selection quota")
        verbose_name_plural = _("selection quotas")

    def __str__(self):
        return self.name

    def as_contract(self):
        """The QUOTA object of the selection engine's input."""
        quota = {"name": self.name}
        if self.pole_id:
            quota["pole"] = str(self.pole_id)
        if self.applies_to in (self.AppliesTo.OUTSIDE_REGION, self.AppliesTo.WOMEN_LED):
            quota["where"] = {self.applies_to: True}
        elif self.applies_to:
            quota["where"] = {self.applies_to: self.value}
        if self.group_by:
            quota["group_by"] = self.group_by
        for key, value in (("min", self.minimum), ("max", self.maximum)):
            if value is not None:
                quota[key] = value
        for key, value in (("min_share", self.min_share), ("max_share", self.max_share)):
            if value is not None:
                quota[key] = value / 100
        return quota


# The floor plan, placements, badges and check-in live in their own module.
from .floor_models import (  # noqa: E402, F401
    AllocationRun,
    Area,
    Attendance,
    Badge,
    DocumentJob,
    FloorPlan,
    Participation,
    PlanSpace,
    Stand,
    StandAssignment,
)
from .sales_models import Incident, Sale, VisitorCount  # noqa: E402, F401
