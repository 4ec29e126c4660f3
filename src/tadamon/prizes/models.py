"""Prizes of an edition (categories, criteria, deadlines), candidacies, the jury and its conflicts
of interest, assignments and score sheets, the locked final ranking, the awards, and the honours
that are not competitions (leading cooperatives, caftan show).

Region is the tenant: every row that can be reached on its own carries the region of its edition
and is read through a scoped manager.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from tadamon.core.models import BilingualNameMixin, Region, RegionFromParent, bilingual
from tadamon.fairs.models import Edition, ScoringCriterion
from tadamon.programme.models import new_certificate_code
from tadamon.registry.models import Organization, Sector


def new_invitation_token():
    return secrets.token_urlsafe(24)


class Prize(RegionFromParent, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        CANDIDACY = "candidacy", _("candidacies open")
        SCORING = "scoring", _("jury scoring")
        DELIBERATION = "deliberation", _("deliberation")
        PUBLISHED = "published", _("winners published")

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="prizes", verbose_name=_("edition"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    title_ar = models.CharField(_("title in Arabic"), max_length=200)
    title_fr = models.CharField(_("title in French"), max_length=200)
    description_ar = models.TextField(_("description in Arabic"), blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    candidacy_closes_at = models.DateTimeField(_("candidacies close"))
    scoring_closes_at = models.DateTimeField(_("scoring closes"))
    jurors_per_candidacy = models.PositiveSmallIntegerField(_("jurors per candidacy"), default=3)
    winners_per_category = models.PositiveSmallIntegerField(_("winners per category"), default=3)
    same_province_conflict = models.BooleanField(
        _("a juror of the same province as the candidate is in conflict"), default=False)
    ceremony = models.ForeignKey("programme.Session", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("ceremony"))
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")

    def __str__(self):
        return self.title

    title = bilingual("title")

    description = bilingual("description")

    def get_absolute_url(self):
        return reverse("prizes:prize", args=[self.pk])

    def candidacy_open(self, now=None):
        return self.status == self.Status.CANDIDACY and (now or timezone.now()) < self.candidacy_closes_at

    def scoring_open(self, now=None):
        return self.status == self.Status.SCORING and (now or timezone.now()) < self.scoring_closes_at


class Category(BilingualNameMixin, models.Model):  # noqa: DJ008 (the mixin gives __str__)
    """A production pole of the prize (handicrafts, terroir products, pastries): candidates show
    products of its sector."""

    prize = models.ForeignKey(Prize, on_delete=models.CASCADE, related_name="categories")
    name_ar = models.CharField(_("name in Arabic"), max_length=150)
    name_fr = models.CharField(_("name in French"), max_length=150)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("products of the sector"),
                               help_text=_("Empty: any product."))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Criterion(ScoringCriterion):
    """A line of the prize's scoring grid: its weight and its scale (0 to ``max_points``)."""

    prize = models.ForeignKey(Prize, on_delete=models.CASCADE, related_name="criteria")

    class Meta(ScoringCriterion.Meta):
        constraints = [models.CheckConstraint(condition=models.Q(max_points__gte=1, weight__gt=0),
                                              name="prize_criterion_positive")]


class Candidacy(RegionFromParent, models.Model):
    region_parent = "prize"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")

    prize = models.ForeignKey(Prize, on_delete=models.PROTECT, related_name="candidacies")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="candidacies",
                                 verbose_name=_("category"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="candidacies",
                                     verbose_name=_("organization"))
    pitch = models.TextField(_("short pitch"), max_length=1200)
    nominated = models.BooleanField(_("nominated by the organizers"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["category__position", "id"]
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        constraints = [models.UniqueConstraint(fields=["prize", "organization"], name="one_candidacy_per_prize")]

    def __str__(self):
        return f"{self.organization} · {self.category}"


class CandidacyPhoto(models.Model):
    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="prizes/%Y/")

    def __str__(self):
        return self.image.name


class JuryMember(RegionFromParent, models.Model):
    """A member of a prize's jury, invited by e-mail; linked to an account once they accept."""

    region_parent = "prize"

    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        ACCEPTED = "accepted", _("accepted")

    prize = models.ForeignKey(Prize, on_delete=models.CASCADE, related_name="jury")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    province = models.ForeignKey("core.Province", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("province"))
    linked_organizations = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name=_("organizations the juror is linked to"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="jury_memberships")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    token = models.CharField(max_length=40, unique=True, default=new_invitation_token, editable=False)
    invited_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        constraints = [models.UniqueConstraint(fields=["prize", "email"], name="one_seat_per_email")]

    def __str__(self):
        return self.name


class Conflict(models.Model):
    """A juror may not judge a candidacy: declared by the juror or staff, or detected."""

    class Source(models.TextChoices):
        DECLARED = "declared", _("declared")
        LINKED = "linked", _("juror linked to the organization")
        PROVINCE = "province", _("same province")

    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="conflicts")
    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="conflicts")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "candidacy"], name="one_conflict_per_pair")]

    def __str__(self):
        return f"{self.member} ✕ {self.candidacy_id}"


class Assignment(models.Model):
    """A candidacy given to a juror, and the juror's score sheet: a draft until submitted."""

    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="assignments")
    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="assignments")
    scores = models.JSONField(default=dict, blank=True)  # criterion id (str) -> points
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["candidacy__category__position", "candidacy_id"]
        constraints = [models.UniqueConstraint(fields=["member", "candidacy"], name="one_assignment_per_pair")]

    def __str__(self):
        return f"{self.member} → {self.candidacy_id}"

    @property
    def submitted(self):
        return self.submitted_at is not None


class FinalRanking(RegionFromParent, models.Model):
    """The jury's result, locked by staff after deliberation. One per prize: the database refuses a
    second one."""

    region_parent = "prize"

    prize = models.OneToOneField(Prize, on_delete=models.PROTECT, related_name="final_ranking")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    method = models.CharField(max_length=20, default="z-score")
    rows = models.JSONField()
    note = models.TextField(_("deliberation minutes"), blank=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    locked_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    def __str__(self):
        return f"{self.prize} · {self.locked_at:%Y-%m-%d}"


class Award(models.Model):
    """A winner of a category (rank 1, 2, 3…); its code opens the certificate's verification page."""

    ranking = models.ForeignKey(FinalRanking, on_delete=models.PROTECT, related_name="awards")
    candidacy = models.OneToOneField(Candidacy, on_delete=models.PROTECT, related_name="award")
    rank = models.PositiveSmallIntegerField(_("rank"))
    code = models.CharField(max_length=40, unique=True, default=new_certificate_code)

    class Meta:
        ordering = ["candidacy__category__position", "rank"]
        constraints = [models.UniqueConstraint(fields=["ranking", "candidacy"], name="one_award_per_candidacy")]

    def __str__(self):
        return f"{self.rank} · {self.candidacy}"

    def get_absolute_url(self):
        return reverse("programme:certificate_verify", args=[self.code])


class Honour(RegionFromParent, models.Model):
    """An organization honoured at an edition without a competition, with a citation."""

    class Kind(models.TextChoices):
        LEADING = "leading", _("Leading cooperative")
        CAFTAN = "caftan", _("Caftan show")
        OTHER = "other", _("Honour")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="honours")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LEADING)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="honours",
                                     verbose_name=_("organization"))
    citation_ar = models.TextField(_("citation in Arabic"), max_length=600)
    citation_fr = models.TextField(_("citation in French"), max_length=600, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["kind", "position", "id"]
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        constraints = [models.UniqueConstraint(fields=["edition", "kind", "organization"], name="one_honour_per_kind")]

    def __str__(self):
        return f"{self.organization} · {self.get_kind_display()}"

    citation = bilingual("citation")
