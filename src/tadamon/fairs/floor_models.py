"""The floor plan of an edition (areas, stands, special spaces), where each exhibitor stands (allocation
runs and placements), what exhibitors tell us for the fair (stand preferences, staff names), badges and
the documents printed for the whole edition, and the check-in of exhibitors day by day.

Every model here belongs to an edition and, through it, to a region: each carries ``region`` and a
``ScopedManager(region="region")``, so another region's stand, run or badge is a 404 on staff screens.
Lengths are metres, measured from the top-left corner of the venue (x to the right, y downwards,
whatever the reading direction of the page: a plan is a picture of the ground).
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from tadamon.core.models import Region, RegionFromParent, bilingual, localized
from tadamon.registry.models import Sector

from .models import Application, Edition, Pole

#: Characters of check-in codes: no 0/O, 1/I/L, easy to read aloud and to type.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
METRES = [MinValueValidator(0), MaxValueValidator(2000)]
SIZES = [MinValueValidator(0.5), MaxValueValidator(2000)]


def new_checkin_code():
    """A random code of 12 characters (about 59 bits): printed on the badge, typed if the camera fails."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text):
    """What a person typed or a camera read (a bare code, grouped with dashes, or a URL ending with
    the code) reduced to the stored form."""
    text = (text or "").strip()
    if "/" in text:
        text = [part for part in text.split("?")[0].split("/") if part][-1] if text.strip("/") else ""
    return "".join(c for c in text.upper() if c.isalnum())[:32]


class EditionOwned(RegionFromParent, models.Model):
    """Belongs to an edition; the region is copied from it, for scoping."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+", verbose_name=_("edition"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)

    objects = ScopedManager(region="region")

    class Meta:
        abstract = True


class Rect(models.Model):
    """A rectangle on the plan, in metres."""

    x = models.FloatField(_("x (m)"), default=0, validators=METRES)
    y = models.FloatField(_("y (m)"), default=0, validators=METRES)
    width = models.FloatField(_("width (m)"), default=3, validators=SIZES)
    depth = models.FloatField(_("depth (m)"), default=3, validators=SIZES)

    class Meta:
        abstract = True

    @property
    def right(self):
        return self.x + self.width

    @property
    def bottom(self):
        return self.y + self.depth

    def overlaps(self, other, margin=0.01):
        return (self.x < other.x + other.width - margin and other.x < self.x + self.width - margin
                and self.y < other.y + other.depth - margin and other.y < self.y + self.depth - margin)


class FloorPlan(EditionOwned):
    """One per edition: whether the placements are public, and the row every change of the plan or the
    placements locks first (so that two staff members' changes are taken one after the other)."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="floor_plan",
                                   verbose_name=_("edition"))
    published_at = models.DateTimeField(_("placements published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("floor plan")
        verbose_name_plural = _("floor plans")

    def __str__(self):
        return f"{self.edition}"


class Area(EditionOwned, Rect):
    """A part of the venue (a hall, a tent, an open-air square) with its size."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="areas", verbose_name=_("edition"))
    name_ar = models.CharField(_("name in Arabic"), max_length=120)
    name_fr = models.CharField(_("name in French"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self):
        return self.name

    name = bilingual("name")

    @property
    def surface(self):
        return round(self.width * self.depth)


class PlanSpace(EditionOwned, Rect):
    """A special space drawn on the plan: AGORA, stage, training room, entrance, information desk,
    prayer room, toilets."""

    class Kind(models.TextChoices):
        AGORA = "agora", _("AGORA")
        STAGE = "stage", _("Stage")
        TRAINING = "training", _("Training room")
        ENTRANCE = "entrance", _("Entrance")
        INFORMATION = "information", _("Information desk")
        PRAYER = "prayer", _("Prayer room")
        TOILETS = "toilets", _("Toilets")
        OTHER = "other", _("Other space")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="plan_spaces",
                                verbose_name=_("edition"))
    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="plan_spaces",
                             verbose_name=_("area"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    name_ar = models.CharField(_("name in Arabic"), max_length=120, blank=True,
                               help_text=_("Empty: the name of the kind."))
    name_fr = models.CharField(_("name in French"), max_length=120, blank=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("special space")
        verbose_name_plural = _("special spaces")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self, "name") or str(self.get_kind_display())


class Stand(EditionOwned, Rect):
    """A stand (رواق) of a pole, for ``capacity`` exhibitors (two by default)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="stand_set", verbose_name=_("edition"))
    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="stands",
                             verbose_name=_("area"))
    pole = models.ForeignKey(Pole, on_delete=models.PROTECT, related_name="stand_set", verbose_name=_("pole"))
    number = models.CharField(_("number"), max_length=12)
    capacity = models.PositiveSmallIntegerField(_("capacity (exhibitors)"), default=2,
                                                validators=[MinValueValidator(1), MaxValueValidator(20)])
    corner = models.BooleanField(_("corner"), default=False)
    power = models.BooleanField(_("electricity"), default=True)
    water = models.BooleanField(_("water"), default=False)
    step_free = models.BooleanField(_("step-free access"), default=True)
    zone = models.ForeignKey(Sector, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("sector zone"),
                             help_text=_("Optional: the allocation prefers exhibitors of this sector here."))

    class Meta:
        ordering = ["number", "id"]
        verbose_name = _("stand")
        verbose_name_plural = _("stands")
        constraints = [models.UniqueConstraint(fields=["edition", "number"], name="unique_stand_number")]

    def __str__(self):
        return self.number


class Participation(EditionOwned):
    """What a selected exhibitor tells the organizers for the fair: up to three stand preferences and
    the names of up to four people who will hold the stand (one badge each)."""

    MAX_PREFERENCES = 3
    MAX_STAFF = 4

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="participation")
    stand_preferences = models.JSONField(_("preferred stands"), default=list, blank=True)
    staff_names = models.JSONField(_("people on the stand"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self):
        return str(self.application)


class AllocationRun(EditionOwned):
    """One run of the stand allocation engine: its input, its output, who asked, when, and whether the
    placements were applied. Runs in the background; the page polls ``status``."""

    #: Not shown on the public pages kept for visitors (core.pagecache): writing it keeps them.
    page_cache_exempt = True

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("finished")
        FAILED = "failed", _("failed")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="allocation_runs",
                                verbose_name=_("edition"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    method = models.CharField(max_length=10, default="solve")
    time_limit = models.PositiveIntegerField(default=60)
    instance = models.JSONField(default=dict)
    result = models.JSONField(null=True, blank=True)
    applied = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    language = models.CharField(max_length=8, default="ar")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")

    def __str__(self):
        return f"{self.edition} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self):
        return self.status in (self.Status.PENDING, self.Status.RUNNING)


class StandAssignment(EditionOwned):
    """An exhibitor (an application) placed on a stand. ``locked`` placements are kept by every new
    run of the allocation; hand-made placements and swaps are locked."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="stand_assignments",
                                verbose_name=_("edition"))
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="stand_assignment",
                                       verbose_name=_("exhibitor"))
    stand = models.ForeignKey(Stand, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("stand"))
    locked = models.BooleanField(_("locked"), default=False)
    run = models.ForeignKey(AllocationRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    #: The stand number the exhibitor was last told (empty: not told yet).
    notified_number = models.CharField(max_length=12, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["stand__number", "application_id"]
        verbose_name = _("stand placement")
        verbose_name_plural = _("stand placements")

    def __str__(self):
        return f"{self.stand} · {self.application.organization}"


class Badge(EditionOwned):
    """One person's badge for an edition, with the unguessable code its QR code carries."""

    #: Not shown on the public pages kept for visitors (core.pagecache): writing it keeps them.
    page_cache_exempt = True

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="badges", verbose_name=_("edition"))
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="badges",
                                    verbose_name=_("exhibitor"))
    name = models.CharField(_("name"), max_length=150)
    position = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(max_length=32, unique=True, default=new_checkin_code, editable=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "position", "id"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        constraints = [models.UniqueConstraint(fields=["application", "name"], name="one_badge_per_name")]

    def __str__(self):
        return f"{self.name} · {self.application.organization}"

    @property
    def grouped_code(self):
        return "-".join(self.code[i:i + 4] for i in range(0, len(self.code), 4))


class DocumentJob(EditionOwned):
    """A PDF made for a whole edition in the background (all badges, or all stand signs)."""

    #: Not shown on the public pages kept for visitors (core.pagecache): writing it keeps them.
    page_cache_exempt = True

    class Kind(models.TextChoices):
        BADGES = "badges", _("Badges")
        SIGNS = "signs", _("Stand signs")

    Status = AllocationRun.Status

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="document_jobs",
                                verbose_name=_("edition"))
    kind = models.CharField(_("document"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=AllocationRun.Status.choices,
                              default=AllocationRun.Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="fairs/documents/%Y/", blank=True)
    base_url = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8, default="ar")
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document batch")
        verbose_name_plural = _("document batches")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.edition}"

    @property
    def is_active(self):
        return self.status in (AllocationRun.Status.PENDING, AllocationRun.Status.RUNNING)

    @property
    def progress_percent(self):
        if not self.total:
            return 0 if self.is_active else 100
        return min(100, round(100 * self.done / self.total))


class Attendance(EditionOwned):
    """A badge holder's day at the fair: first arrival and departure. One row per badge and day, so a
    second scan of the same badge changes nothing."""

    #: Not shown on the public pages kept for visitors (core.pagecache): writing it keeps them.
    page_cache_exempt = True

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="attendances",
                                verbose_name=_("edition"))
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attendances",
                                    verbose_name=_("exhibitor"))
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("badge"))
    day = models.DateField(_("day"))
    arrived_at = models.DateTimeField(_("arrived"))
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    arrived_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    left_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")

    class Meta:
        ordering = ["-day", "arrived_at"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["badge", "day"], name="one_attendance_per_badge_and_day")]
        indexes = [models.Index(fields=["edition", "day"])]

    def __str__(self):
        return f"{self.badge} · {self.day}"

    @property
    def present(self):
        return self.left_at is None
