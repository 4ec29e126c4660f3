"""The tenant (regions and their provinces), roles, and the activity log."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


def either(ar, fr):
    """The Arabic or the French text, whichever suits the active language (Arabic for Arabic,
    French otherwise), the other one when it is empty."""
    if (get_language() or "ar").startswith("ar"):
        return ar or fr
    return fr or ar


def localized(obj, field):
    """``obj.<field>_ar`` or ``obj.<field>_fr`` chosen by :func:`either`."""
    return either(getattr(obj, f"{field}_ar"), getattr(obj, f"{field}_fr"))


def bilingual(field):
    """A read-only attribute giving :func:`localized` of ``field``: ``description = bilingual("description")``."""
    return property(lambda obj: localized(obj, field), doc=f"``{field}`` in the active language.")


class RegionFromParent:
    """For region-owned rows that belong to a parent (an edition, a session, an organization): the
    region, used for scoping, is copied from the parent named by ``region_parent`` when first saved."""

    region_parent = "edition"

    def save(self, *args, **kwargs):
        if not self.region_id and getattr(self, f"{self.region_parent}_id"):
            self.region_id = getattr(self, self.region_parent).region_id
        super().save(*args, **kwargs)


class BilingualNameMixin:
    """Objects named in Arabic and French show the name of the active language."""

    @property
    def name(self):
        return localized(self, "name")

    def __str__(self):
        return self.name


class Region(BilingualNameMixin, models.Model):  # noqa: DJ008 (the mixin gives __str__)
    """One of Morocco's 12 regions: the tenant of every regional object."""

    code = models.CharField(_("official code"), max_length=4, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Province(BilingualNameMixin, models.Model):  # noqa: DJ008 (the mixin gives __str__)
    """A province or prefecture (عمالة أو إقليم), inside one region."""

    code = models.CharField(_("official code"), max_length=8, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="provinces", verbose_name=_("region"))
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province or prefecture")
        verbose_name_plural = _("provinces and prefectures")


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    REGIONAL_STAFF = "regional_staff", _("Regional staff")
    PARTNER_VIEWER = "partner_viewer", _("Partner (read-only)")
    JUROR = "juror", _("Juror")
    TRAINER = "trainer", _("Trainer")


#: Roles that hold a region; a national administrator holds none and sees all.
REGIONAL_ROLES = {Role.REGIONAL_STAFF, Role.PARTNER_VIEWER, Role.JUROR, Role.TRAINER}


class RoleAssignment(models.Model):
    """A user holds a role, in one region for every role but the national administrator."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="role_assignments",
        verbose_name=_("region"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "region"], name="unique_role_per_region"),
            models.CheckConstraint(
                condition=models.Q(role="national_admin", region__isnull=True)
                | (~models.Q(role="national_admin") & models.Q(region__isnull=False)),
                name="role_region_consistent",
            ),
        ]

    def __str__(self):
        if self.region_id:
            return f"{self.get_role_display()} · {self.region}"
        return str(self.get_role_display())


class ActivityLog(models.Model):
    """Who did what to which object, when, with what before and after, and why.

    Written only through :func:`tadamon.core.activity.record`. Entries are never edited.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("who"),
    )
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("object type")
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    objects = ScopedManager(region="region")

    #: Recording a decision does not change what the public pages show (see core.pagecache).
    page_cache_exempt = True

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activity log")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    @property
    def action_label(self):
        from .activity import action_label

        return action_label(self.action)

    def changes(self):
        """(field, before, after) for every field that differs."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class DataVersion(models.Model):
    """How many times the data of an app changed: the public pages kept for visitors
    (:mod:`tadamon.core.pagecache`) are filed under these numbers, so a change makes them stale at
    once. Written only by ``pagecache``, after each transaction that wrote to the app's tables."""

    app_label = models.CharField(max_length=100, primary_key=True)
    version = models.BigIntegerField(default=0)

    #: Changes to this table do not make any page stale.
    page_cache_exempt = True

    def __str__(self):
        return f"{self.app_label} v{self.version}"
