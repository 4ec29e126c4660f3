"""Support programmes (Mowakaba, Tamkine, the cooperative incubator): programmes and their partners,
cohorts with their call and eligibility rules, applications, participants and their path
(diagnosis → group training → coaching → funding → follow-up).

Region is the tenant: every row carries the region of its programme (copied from the parent) and is
read through scoped managers. Organizations come from the registry: nothing about them is typed
twice. Group trainings are the programme app's sessions (linked, never copied).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from tadamon.core.models import BilingualNameMixin, Province, Region, RegionFromParent, bilingual
from tadamon.registry.models import LegalForm, Sector


class Axis(models.TextChoices):
    """The five axes of the diagnosis (the radar chart's spokes, in this order)."""

    GOVERNANCE = "governance", _("Governance")
    PRODUCTION = "production", _("Production")
    MARKETING = "marketing", _("Marketing")
    FINANCE = "finance", _("Finance")
    DIGITAL = "digital", _("Digital")


class Partner(BilingualNameMixin, models.Model):  # noqa: DJ008 (the mixin gives __str__)
    """A national or regional body that funds or runs programmes (Entraide Nationale, ODCO, the council…)."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        REGIONAL = "regional", _("regional")

    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.NATIONAL)

    class Meta:
        ordering = ["level", "name_fr"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")


class Programme(models.Model):
    """A support programme run in a region (e.g. Mowakaba in Fès-Meknès), with its partners."""

    class Kind(models.TextChoices):
        MOWAKABA = "mowakaba", _("Mowakaba (accompaniment)")
        TAMKINE = "tamkine", _("Tamkine (empowerment)")
        INCUBATOR = "incubator", _("Cooperative incubator")
        OTHER = "other", _("Other programme")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MOWAKABA)
    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200)
    description_ar = models.TextField(_("description in Arabic"), blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)
    partners = models.ManyToManyField(Partner, blank=True, related_name="programmes", verbose_name=_("partners"))
    is_public = models.BooleanField(_("shown on the incubator's public page"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("support programme")
        verbose_name_plural = _("support programmes")

    def __str__(self):
        return self.name

    name = bilingual("name")

    description = bilingual("description")

    def get_absolute_url(self):
        return reverse("support:programme", args=[self.pk])


class Cohort(RegionFromParent, models.Model):
    """A group of organizations that follow the programme's path together, and its call.

    The call's eligibility rules are read against the registry's organization: legal form, age,
    sector, province, women-led or youth-led (more than half of the members under 35)."""

    region_parent = "programme"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts",
                                  verbose_name=_("programme"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200)
    starts_on = models.DateField(_("path starts on"))
    ends_on = models.DateField(_("path ends on"))
    places = models.PositiveIntegerField(_("places"), default=20)
    call_opens_on = models.DateField(_("call opens on"))
    call_closes_on = models.DateField(_("call closes on"))
    allowed_legal_forms = models.JSONField(_("legal forms admitted"), default=list, blank=True,
                                           help_text=_("Empty: every legal form."))
    min_age_months = models.PositiveIntegerField(_("minimum age of the organization (months)"), default=0)
    max_age_months = models.PositiveIntegerField(_("maximum age of the organization (months)"), default=0,
                                                 help_text=_("0: no maximum."))
    sectors = models.ManyToManyField(Sector, blank=True, related_name="+", verbose_name=_("sectors admitted"),
                                     help_text=_("None chosen: every sector."))
    provinces = models.ManyToManyField(Province, blank=True, related_name="+", verbose_name=_("provinces admitted"),
                                       help_text=_("None chosen: every province of the region."))
    women_led_only = models.BooleanField(_("women-led organizations only"), default=False)
    youth_led_only = models.BooleanField(_("youth-led organizations only"), default=False,
                                         help_text=_("More than half of the members under 35, as in the registry."))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="cohort_dates_in_order"),
            models.CheckConstraint(condition=Q(call_closes_on__gte=models.F("call_opens_on")),
                                   name="cohort_call_dates_in_order"),
        ]

    def __str__(self):
        return self.name

    name = bilingual("name")

    def get_absolute_url(self):
        return reverse("support:cohort", args=[self.pk])

    @property
    def legal_form_labels(self):
        labels = dict(LegalForm.choices)
        return [labels.get(k, k) for k in self.allowed_legal_forms]


class Application(RegionFromParent, models.Model):
    """An organization's application to a cohort, sent by its representative; staff screen it."""

    region_parent = "cohort"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        INELIGIBLE = "ineligible", _("not eligible")
        SELECTED = "selected", _("selected")
        REJECTED = "rejected", _("not selected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="applications",
                               verbose_name=_("cohort"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    organization = models.ForeignKey("registry.Organization", on_delete=models.PROTECT,
                                     related_name="support_applications", verbose_name=_("organization"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    motivation = models.TextField(_("what you expect from the programme"), max_length=2000)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    ineligible_reasons = models.JSONField(default=list, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("application to a programme")
        verbose_name_plural = _("applications to programmes")
        constraints = [models.UniqueConstraint(fields=["cohort", "organization"], name="one_application_per_cohort")]

    def __str__(self):
        return f"{self.organization} · {self.cohort}"


class Participant(RegionFromParent, models.Model):
    """A selected organization on its path in a cohort, with its coach and stage.

    ``starts_on``/``ends_on`` are the cohort's dates, copied so that the database itself refuses an
    organization in two overlapping cohorts (a trigger, see migration 0002)."""

    region_parent = "cohort"

    class Stage(models.TextChoices):
        DIAGNOSIS = "diagnosis", _("diagnosis")
        TRAINING = "training", _("group training")
        COACHING = "coaching", _("coaching")
        FUNDING = "funding", _("funding")
        GRADUATED = "graduated", _("graduated")
        WITHDRAWN = "withdrawn", _("left the programme")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="participant")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="participants",
                               verbose_name=_("cohort"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    organization = models.ForeignKey("registry.Organization", on_delete=models.PROTECT,
                                     related_name="support_participations", verbose_name=_("organization"))
    starts_on = models.DateField(editable=False)
    ends_on = models.DateField(editable=False)
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="coached", verbose_name=_("coach"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.DIAGNOSIS)
    graduated_on = models.DateField(_("graduated on"), null=True, blank=True)
    ceased_on = models.DateField(_("stopped its activity on"), null=True, blank=True,
                                 help_text=_("Follow-up: the date the organization stopped working, if it did."))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["cohort", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        return f"{self.organization} · {self.cohort}"

    def get_absolute_url(self):
        return reverse("support:plan", args=[self.pk])


class DiagnosisQuestion(RegionFromParent, models.Model):
    """One question of a programme's diagnosis questionnaire, on one axis, answered from 0 to 4."""

    region_parent = "programme"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="questions")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    axis = models.CharField(_("axis"), max_length=12, choices=Axis.choices)
    text_ar = models.CharField(_("question in Arabic"), max_length=300)
    text_fr = models.CharField(_("question in French"), max_length=300)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("diagnosis question")
        verbose_name_plural = _("diagnosis questions")
        constraints = [models.CheckConstraint(condition=Q(weight__gte=1), name="question_weight_positive")]

    def __str__(self):
        return self.text

    text = bilingual("text")


class Diagnosis(RegionFromParent, models.Model):
    """The answers of a participant to the questionnaire, at the start (baseline) or at the end (final),
    and the profile they score into (0–100 per axis)."""

    region_parent = "participant"

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("initial diagnosis")
        FINAL = "final", _("final diagnosis")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="diagnoses")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    answers = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    done_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")
        constraints = [models.UniqueConstraint(fields=["participant", "kind"], name="one_diagnosis_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.participant}"


class CohortTraining(RegionFromParent, models.Model):
    """A group training of a cohort: a session of the programme app (registrations, attendance and
    certificates are the session's own)."""

    region_parent = "cohort"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="trainings")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    session = models.ForeignKey("programme.Session", on_delete=models.PROTECT, related_name="support_trainings",
                                verbose_name=_("session"))
    topic_axis = models.CharField(_("axis"), max_length=12, choices=Axis.choices, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["session__starts_at", "id"]
        verbose_name = _("group training")
        verbose_name_plural = _("group trainings")
        constraints = [models.UniqueConstraint(fields=["cohort", "session"], name="one_link_per_session")]

    def __str__(self):
        return f"{self.cohort} · {self.session}"


class CoachingSession(RegionFromParent, models.Model):
    """An individual coaching session; the coach writes its report once it has taken place."""

    region_parent = "participant"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="coaching_sessions")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("coach"))
    scheduled_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    report = models.TextField(_("report"), blank=True, max_length=5000)
    reported_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["scheduled_at", "id"]
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")

    def __str__(self):
        return f"{self.participant} · {self.scheduled_at:%Y-%m-%d}"


class ActionItem(RegionFromParent, models.Model):
    """One step of the organization's action plan, with a due date."""

    region_parent = "participant"

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="action_items")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    coaching_session = models.ForeignKey(CoachingSession, on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="action_items")
    text = models.CharField(_("what to do"), max_length=300)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["done_on", "due_on", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self):
        return self.text


class FundingFile(RegionFromParent, models.Model):
    """A participant's funding file: the business plan, the amount asked, the decision, the amount
    granted, its tranches and, for a loan, the repayment schedule."""

    region_parent = "participant"

    class Status(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        SUBMITTED = "submitted", _("sent for decision")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    class Kind(models.TextChoices):
        GRANT = "grant", _("grant")
        LOAN = "loan", _("loan")

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="funding")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    kind = models.CharField(_("kind of funding"), max_length=6, choices=Kind.choices, default=Kind.GRANT)
    project_title = models.CharField(_("project"), max_length=200)
    market = models.TextField(_("market and customers"), blank=True, max_length=3000)
    production_plan = models.TextField(_("production and means"), blank=True, max_length=3000)
    investments = models.TextField(_("investments needed"), blank=True, max_length=3000)
    jobs_expected = models.PositiveSmallIntegerField(_("jobs created or kept"), default=0)
    yearly_revenue_expected = models.DecimalField(_("expected yearly revenue (MAD)"), max_digits=12,
                                                  decimal_places=2, default=0)
    own_contribution = models.DecimalField(_("own contribution (MAD)"), max_digits=12, decimal_places=2, default=0)
    amount_requested = models.DecimalField(_("amount requested (MAD)"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    funder = models.ForeignKey(Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("funded by"))
    amount_granted = models.DecimalField(_("amount granted (MAD)"), max_digits=12, decimal_places=2, default=0)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("funding file")
        verbose_name_plural = _("funding files")
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="funding_requested_positive"),
            models.CheckConstraint(condition=Q(amount_granted__gte=0), name="funding_granted_not_negative"),
        ]

    def __str__(self):
        return self.project_title


class Tranche(RegionFromParent, models.Model):
    """Money paid out of a granted amount; their sum never goes above the amount granted."""

    region_parent = "funding"

    funding = models.ForeignKey(FundingFile, on_delete=models.PROTECT, related_name="tranches")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    amount = models.DecimalField(_("amount (MAD)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_positive")]

    def __str__(self):
        return f"{self.amount} · {self.paid_on}"


class Repayment(RegionFromParent, models.Model):
    """One instalment of a loan's repayment schedule."""

    region_parent = "funding"

    funding = models.ForeignKey(FundingFile, on_delete=models.CASCADE, related_name="repayments")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount (MAD)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")

    def __str__(self):
        return f"{self.amount} · {self.due_on}"


class FundingDocument(RegionFromParent, models.Model):
    """A document of the funding file (quotes, statutes, bank details), checked for type and size.

    Private: stored under ``support/`` (nginx refuses it, see deploy/nginx.conf.example) and read
    through a view that checks who may."""

    region_parent = "funding"

    funding = models.ForeignKey(FundingFile, on_delete=models.CASCADE, related_name="documents")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    title = models.CharField(_("document"), max_length=150)
    file = models.FileField(_("file"), upload_to="support/funding/%Y/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("funding document")
        verbose_name_plural = _("funding documents")

    def __str__(self):
        return self.title
