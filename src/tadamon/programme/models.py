"""Sessions of an edition's programme: conferences, trainings, AGORA, shows; their speakers and
spaces, registrations, attendance, certificates and feedback.

Region is the tenant: spaces, speakers, sessions, registrations and scheduler runs carry the
region of their edition and are read through scoped managers. Times are stored in UTC and shown
in Africa/Casablanca; a session's ``starts_at``/``ends_at`` are copied from its slots when it is
placed, so that "now and next", reminders and calendars query one table.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from tadamon.core.models import Region, RegionFromParent, bilingual
from tadamon.fairs.models import Edition

#: Letters of check-in codes: no 0/O, 1/I/L, so that a code read aloud or typed is not mistaken.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_checkin_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def new_certificate_code():
    return secrets.token_urlsafe(18)


class SessionKind(models.TextChoices):
    CEREMONY = "ceremony", _("Ceremony")
    CONFERENCE = "conference", _("Conference")
    PANEL = "panel", _("Panel discussion")
    TRAINING = "training", _("Training workshop")
    AGORA = "agora", _("AGORA exchange")
    SHOW = "show", _("Show")
    AWARD = "award", _("Award ceremony")
    B2B = "b2b", _("B2B meetings")


class Audience(models.TextChoices):
    EXHIBITORS = "exhibitors", _("Exhibitors")
    WOMEN_ARTISANS = "women_artisans", _("Women artisans")
    COOPERATIVES = "cooperatives", _("Cooperatives and associations")
    PUBLIC = "public", _("General public")
    PROFESSIONALS = "professionals", _("Professionals")


class Language(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    DARIJA = "ary", _("Moroccan Arabic (Darija)")
    AMAZIGH = "zgh", _("Amazigh")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


class ProgrammeSettings(models.Model):
    """How an edition's day is cut into slots (the grid staff place sessions in)."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="programme_settings")
    slot_minutes = models.PositiveSmallIntegerField(_("length of a slot (minutes)"), default=90)
    gap_minutes = models.PositiveSmallIntegerField(_("break between slots (minutes)"), default=0)
    day_starts = models.TimeField(_("first slot starts at"), null=True, blank=True)
    day_ends = models.TimeField(_("last slot ends by"), null=True, blank=True)

    def __str__(self):
        return f"{self.edition} · {self.slot_minutes} min"


class TimeSlot(models.Model):
    """One cell of the day: sessions start at a slot and last one or more consecutive slots of a day."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="time_slots")
    day = models.DateField(_("day"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        constraints = [models.UniqueConstraint(fields=["edition", "starts_at"], name="one_slot_per_start")]

    def __str__(self):
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    @property
    def label(self):
        """"10:30–12:00", isolated left to right so that an Arabic line does not turn it into "12:00–10:30"."""
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"\u2066{start:%H:%M}–{end:%H:%M}\u2069"


class Space(RegionFromParent, models.Model):
    """A room or stage of an edition, with its capacity and the kinds of session it suits."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="spaces")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    name_ar = models.CharField(_("name in Arabic"), max_length=150)
    name_fr = models.CharField(_("name in French"), max_length=150)
    capacity = models.PositiveIntegerField(_("capacity (seats)"), default=50)
    kinds = models.JSONField(_("suits"), default=list, blank=True, help_text=_("Empty: every kind of session."))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("space")
        verbose_name_plural = _("spaces")

    def __str__(self):
        return self.name

    name = bilingual("name")

    @property
    def kind_labels(self):
        labels = dict(SessionKind.choices)
        return [labels.get(k, k) for k in self.kinds]


class Speaker(models.Model):
    """A speaker, trainer or artist of a region's programmes, Moroccan or foreign."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    name_ar = models.CharField(_("name in Arabic"), max_length=150)
    name_fr = models.CharField(_("name in French"), max_length=150)
    role_ar = models.CharField(_("function in Arabic"), max_length=200, blank=True)
    role_fr = models.CharField(_("function in French"), max_length=200, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=80, blank=True, help_text=_("Empty: Morocco."))
    bio_ar = models.TextField(_("biography in Arabic"), blank=True)
    bio_fr = models.TextField(_("biography in French"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="speakers/%Y/", blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="speaker_profiles", verbose_name=_("account"),
                             help_text=_("The speaker's Tadamon account: they then see their sessions and "
                                         "attendance lists."))
    unavailable_slots = models.ManyToManyField(TimeSlot, blank=True, related_name="+",
                                               verbose_name=_("not available"))

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["name_fr", "id"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self):
        return self.name

    name = bilingual("name")

    role = bilingual("role")

    bio = bilingual("bio")


class Session(RegionFromParent, models.Model):
    """One item of the programme: a workshop, a conference, a show…"""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("edition"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=SessionKind.choices, default=SessionKind.CONFERENCE)
    title_ar = models.CharField(_("title in Arabic"), max_length=250)
    title_fr = models.CharField(_("title in French"), max_length=250)
    description_ar = models.TextField(_("description in Arabic"), blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices, default=Audience.PUBLIC)
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="sessions", verbose_name=_("speakers"))
    duration_slots = models.PositiveSmallIntegerField(_("duration (slots)"), default=1)
    registration_required = models.BooleanField(
        _("registration required"), default=False,
        help_text=_("Unticked: open entry, no registration."))
    capacity = models.PositiveIntegerField(_("places"), default=0, help_text=_("0: the capacity of the space."))
    expected_attendance = models.PositiveIntegerField(
        _("expected attendance"), null=True, blank=True,
        help_text=_("Used by the automatic scheduler to choose a space large enough."))
    # Placement: the start slot and the space; starts_at/ends_at are copied from the slots.
    slot = models.ForeignKey(TimeSlot, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions",
                             verbose_name=_("start"))
    space = models.ForeignKey(Space, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions",
                              verbose_name=_("space"))
    starts_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    ends_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programme:session", args=[self.pk])

    title = bilingual("title")

    description = bilingual("description")

    @property
    def language_labels(self):
        labels = dict(Language.choices)
        return [labels.get(k, k) for k in self.languages]

    @property
    def is_placed(self):
        return self.slot_id is not None and self.space_id is not None

    @property
    def places(self):
        """Seats offered to registration: the session's own number, else its space's capacity."""
        if self.capacity:
            return self.capacity
        return self.space.capacity if self.space_id else 0

    @property
    def gives_certificate(self):
        return self.kind == SessionKind.TRAINING


class Registration(RegionFromParent, models.Model):
    """A person's place (or place in the queue) at a session, with or without an account."""

    region_parent = "session"

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITLISTED = "waitlisted", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations",
                                verbose_name=_("session"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="programme_registrations")
    name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    institution = models.CharField(_("institution or organization"), max_length=200, blank=True)
    organization = models.ForeignKey("registry.Organization", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    code = models.CharField(_("check-in code"), max_length=12, unique=True, default=new_checkin_code)
    queued_at = models.DateTimeField(default=timezone.now, help_text="order of the waiting list")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["queued_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], condition=Q(user__isnull=False),
                                    name="one_registration_per_user"),
            models.UniqueConstraint(fields=["session", "phone"], condition=~Q(phone=""),
                                    name="one_registration_per_phone"),
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self):
        return f"{self.name} · {self.session}"

    @property
    def is_active(self):
        return self.status != self.Status.CANCELLED


class Certificate(models.Model):
    """A certificate of participation in a training workshop; its code opens the public verification page."""

    #: Not shown on the public pages kept for visitors (core.pagecache): writing it keeps them.
    page_cache_exempt = True

    registration = models.OneToOneField(Registration, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(max_length=40, unique=True, default=new_certificate_code)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("programme:certificate_verify", args=[self.code])


class Feedback(models.Model):
    """One opinion per registration, after the session."""

    #: Not shown on the public pages kept for visitors (core.pagecache): writing it keeps them.
    page_cache_exempt = True

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("rating"), choices=[(i, str(i)) for i in range(1, 6)])
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="rating_1_to_5")]

    def __str__(self):
        return f"{self.rating}/5 · {self.registration_id}"


class ScheduleRun(RegionFromParent, models.Model):
    """One run of the automatic scheduler: what it was given, what it found, and what it placed."""

    #: Not shown on the public pages kept for visitors (core.pagecache): writing it keeps them.
    page_cache_exempt = True

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("finished")
        FAILED = "failed", _("failed")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="schedule_runs")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    time_limit = models.PositiveSmallIntegerField(default=30)
    instance = models.JSONField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    placed_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("scheduler run")
        verbose_name_plural = _("scheduler runs")

    def __str__(self):
        return f"{self.edition} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def running(self):
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
