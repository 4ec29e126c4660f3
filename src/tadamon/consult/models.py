"""Consultation workshops, their proposals, supports, comments and scores; the regional action plan
that the retained proposals become; and the territorial pole's shared services and their bookings.

A workshop is a session of the programme app (its day, time, place and registrations live there);
region is the tenant, copied from the parent and read through scoped managers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from tadamon.core.models import BilingualNameMixin, Region, RegionFromParent, bilingual


class Workshop(RegionFromParent, models.Model):
    """A consultation workshop (ورشة تشاورية), held as a session of the programme."""

    region_parent = "session"

    class Phase(models.TextChoices):
        BEFORE = "before", _("before the workshop")
        DURING = "during", _("during the workshop")
        AFTER = "after", _("after the workshop")
        CLOSED = "closed", _("proposals closed")

    session = models.OneToOneField("programme.Session", on_delete=models.PROTECT, related_name="workshop",
                                   verbose_name=_("session of the programme"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    intro_ar = models.TextField(_("introduction in Arabic"), blank=True)
    intro_fr = models.TextField(_("introduction in French"), blank=True)
    pre_read = models.FileField(_("pre-read (PDF)"), upload_to="consult/pre-reads/%Y/", blank=True)
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices, default=Phase.BEFORE)
    staff_share = models.PositiveSmallIntegerField(
        _("weight of the staff scores in the ranking (%)"), default=60,
        help_text=_("The rest of the weight goes to the participants' supports."))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consultation workshop")
        verbose_name_plural = _("consultation workshops")
        constraints = [models.CheckConstraint(condition=Q(staff_share__lte=100), name="staff_share_percent")]

    def __str__(self):
        return self.session.title

    @property
    def title(self):
        return self.session.title

    intro = bilingual("intro")

    @property
    def is_open(self):
        return self.phase != self.Phase.CLOSED

    def get_absolute_url(self):
        return reverse("consult:workshop", args=[self.pk])


class Theme(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="themes")
    title_ar = models.CharField(_("title in Arabic"), max_length=200)
    title_fr = models.CharField(_("title in French"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.title

    title = bilingual("title")


class Proposal(RegionFromParent, models.Model):
    """A proposal or recommendation of a participant (or of a table, typed by a facilitator)."""

    region_parent = "workshop"

    class Status(models.TextChoices):
        PUBLISHED = "published", _("published")
        HIDDEN = "hidden", _("hidden by moderation")
        MERGED = "merged", _("merged into another")
        RETAINED = "retained", _("retained in the action plan")
        NOT_RETAINED = "not_retained", _("not retained")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="proposals")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("theme"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("proposal"), max_length=4000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="consult_proposals")
    author_label = models.CharField(_("on behalf of"), max_length=150, blank=True,
                                    help_text=_("A table of the workshop, an institution…"))
    typed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    phase = models.CharField(_("phase"), max_length=8, choices=Workshop.Phase.choices)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.PUBLISHED)
    moderation_reason = models.TextField(_("reason"), blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged", verbose_name=_("merged into"))
    decision_reason = models.TextField(_("why"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consult:proposal", args=[self.pk])

    @property
    def is_visible(self):
        return self.status != self.Status.HIDDEN

    @property
    def who(self):
        if self.author_label:
            return self.author_label
        return self.author.get_full_name() if self.author_id else ""


class Support(models.Model):
    """One support per person and proposal (approval voting: support as many proposals as you like)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="one_support_per_person")]

    def __str__(self):
        return f"{self.user_id} → {self.proposal_id}"


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("comment"), max_length=2000)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:60]


class Criterion(BilingualNameMixin, models.Model):  # noqa: DJ008 (the mixin gives __str__)
    """A criterion staff score proposals on, from 1 (poor) to 5 (best), with a weight."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=30)
    name_ar = models.CharField(_("name in Arabic"), max_length=120)
    name_fr = models.CharField(_("name in French"), max_length=120)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["workshop", "key"], name="one_criterion_per_key")]


class Score(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(_("score"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "criterion", "scorer"], name="one_score_per_scorer"),
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=5), name="score_1_to_5"),
        ]

    def __str__(self):
        return f"{self.proposal_id}/{self.criterion_id}: {self.value}"


class ActionPlan(RegionFromParent, models.Model):
    """The integrated regional action plan (خطة عمل جهوية مندمجة) built from a workshop's proposals."""

    region_parent = "workshop"

    workshop = models.OneToOneField(Workshop, on_delete=models.PROTECT, related_name="plan")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    title_ar = models.CharField(_("title in Arabic"), max_length=250)
    title_fr = models.CharField(_("title in French"), max_length=250)
    starts_on = models.DateField(_("plan starts"))
    ends_on = models.DateField(_("plan ends"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="plan_ends_after_start")]

    def __str__(self):
        return self.title

    title = bilingual("title")


class Action(RegionFromParent, models.Model):
    region_parent = "plan"

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DELAYED = "delayed", _("delayed")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="action", verbose_name=_("proposal"))
    title_ar = models.CharField(_("title in Arabic"), max_length=250)
    title_fr = models.CharField(_("title in French"), max_length=250)
    owner = models.ForeignKey("fairs.Institution", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("owner (partner)"))
    contact = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="consult_actions", verbose_name=_("partner's contact"),
                                help_text=_("This account may post progress updates."))
    budget_mad = models.DecimalField(_("budget (MAD)"), max_digits=12, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="progress_percent"),
                       models.CheckConstraint(condition=Q(budget_mad__gte=0), name="budget_not_negative")]

    def __str__(self):
        return self.title

    title = bilingual("title")


class Indicator(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    current = models.DecimalField(_("reached"), max_digits=12, decimal_places=2, default=0)
    unit = models.CharField(_("unit"), max_length=40, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name

    @property
    def percent(self):
        return min(100, int(self.current * 100 / self.target)) if self.target else 0


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.title


class ProgressUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("what was done"), max_length=4000)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    status = models.CharField(_("status"), max_length=12, choices=Action.Status.choices)
    evidence = models.FileField(_("evidence (PDF or photo)"), upload_to="consult/evidence/%Y/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.action_id} · {self.progress}%"


class PoleService(BilingualNameMixin, models.Model):  # noqa: DJ008 (the mixin gives __str__)
    """A shared service of the territorial pole: equipment, a room, the studio, the fair stand…"""

    class Kind(models.TextChoices):
        EQUIPMENT = "equipment", _("Equipment")
        PACKAGING = "packaging", _("Packaging unit")
        MEETING_ROOM = "meeting_room", _("Meeting room")
        PHOTO_STUDIO = "photo_studio", _("Photo studio")
        TRAINING_ROOM = "training_room", _("Training room")
        FAIR_STAND = "fair_stand", _("Shared stand at fairs")

    class Unit(models.TextChoices):
        HOUR = "hour", _("per hour")
        DAY = "day", _("per day")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name_ar = models.CharField(_("name in Arabic"), max_length=150)
    name_fr = models.CharField(_("name in French"), max_length=150)
    description_ar = models.TextField(_("description in Arabic"), blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)
    rules_ar = models.TextField(_("rules in Arabic"), blank=True)
    rules_fr = models.TextField(_("rules in French"), blank=True)
    price_mad = models.DecimalField(_("price (MAD)"), max_digits=10, decimal_places=2, default=0)
    unit = models.CharField(_("price unit"), max_length=6, choices=Unit.choices, default=Unit.HOUR)
    capacity = models.PositiveIntegerField(_("capacity (people)"), null=True, blank=True)
    is_active = models.BooleanField(_("open to bookings"), default=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("shared service")
        verbose_name_plural = _("shared services")

    description = bilingual("description")

    rules = bilingual("rules")

    def get_absolute_url(self):
        return reverse("consult:service", args=[self.pk])


class Booking(RegionFromParent, models.Model):
    """An organization's booking of a shared service; pending and approved bookings hold the time."""

    region_parent = "service"

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        CANCELLED = "cancelled", _("cancelled")

    HOLDING = (Status.PENDING, Status.APPROVED)

    service = models.ForeignKey(PoleService, on_delete=models.PROTECT, related_name="bookings")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    organization = models.ForeignKey("registry.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organization"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    purpose = models.CharField(_("purpose"), max_length=250, blank=True)
    price_mad = models.DecimalField(_("price (MAD)"), max_digits=10, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="booking_ends_after_start")]
        indexes = [models.Index(fields=["service", "starts_at"])]

    def __str__(self):
        return f"{self.service} · {self.organization}"
