"""Check-in of exhibitors at the fair: a scan of a badge records an arrival or a departure for the day.

One attendance row per badge and day: the first arrival is kept, a second scan of an arrival changes
nothing, a departure is recorded once; an arrival after a departure means the person came back (the
departure is cleared). An exhibitor is present when at least one of its badges is.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from tadamon.registry.models import Representation

from .floor_models import Attendance, Badge, StandAssignment, normalize_code
from .placement import exhibitors_to_place

ARRIVAL, DEPARTURE = "arrival", "departure"


@dataclass
class ScanResult:
    ok: bool
    message: str
    badge: Badge | None = None
    attendance: Attendance | None = None
    changed: bool = False


def find_badge(edition, code):
    """The active badge of ``edition`` with this code (typed, grouped or inside a URL), or None."""
    code = normalize_code(code)
    if not code:
        return None
    with scopes_disabled():
        return (Badge.objects.filter(edition=edition, code=code, active=True)
                .select_related("application__organization", "application__pole").first())


def scan(actor, edition, code, direction=ARRIVAL, *, now=None):
    """Record an arrival or a departure for the badge with ``code`` today. Idempotent on double scans."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    badge = find_badge(edition, code)
    if badge is None:
        return ScanResult(False, _("Unknown code: this badge is not one of this edition's (or it was replaced)."))
    who = f"{badge.name} — {badge.application.organization.name}"
    with scopes_disabled(), transaction.atomic():
        attendance = Attendance.objects.select_for_update().filter(badge=badge, day=day).first()
        if direction == DEPARTURE:
            if attendance is None:
                return ScanResult(False, _("%(who)s has not arrived today: nothing recorded.") % {"who": who}, badge)
            if attendance.left_at is not None:
                return ScanResult(True, _("%(who)s: departure already recorded at %(t)s.")
                                  % {"who": who, "t": _time(attendance.left_at)}, badge, attendance)
            attendance.left_at, attendance.left_by = now, _user(actor)
            attendance.save(update_fields=["left_at", "left_by"])
            return ScanResult(True, _("%(who)s: departure recorded.") % {"who": who}, badge, attendance, True)
        if attendance is None:
            try:
                with transaction.atomic():
                    attendance = Attendance.objects.create(
                        edition=edition, region_id=edition.region_id, application=badge.application, badge=badge,
                        day=day, arrived_at=now, arrived_by=_user(actor))
            except IntegrityError:  # the same badge scanned on two phones at once
                attendance = Attendance.objects.get(badge=badge, day=day)
                return ScanResult(True, _("%(who)s: arrival already recorded at %(t)s.")
                                  % {"who": who, "t": _time(attendance.arrived_at)}, badge, attendance)
            return ScanResult(True, _("%(who)s: welcome! Arrival recorded.") % {"who": who}, badge, attendance, True)
        if attendance.left_at is not None:
            attendance.left_at, attendance.left_by = None, None
            attendance.save(update_fields=["left_at", "left_by"])
            return ScanResult(True, _("%(who)s is back: arrival recorded.") % {"who": who}, badge, attendance, True)
        return ScanResult(True, _("%(who)s: arrival already recorded at %(t)s.")
                          % {"who": who, "t": _time(attendance.arrived_at)}, badge, attendance)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _time(value):
    return timezone.localtime(value).strftime("%H:%M")


def presence(edition, day=None):
    """For ``day`` (today by default): per pole the exhibitors present and expected, and the absent
    exhibitors with their phone numbers (the organization's and its representatives')."""
    day = day or timezone.localdate()
    with scopes_disabled():
        exhibitors = list(exhibitors_to_place(edition))
        rows = Attendance.objects.filter(edition=edition, day=day).values_list("application_id", "left_at")
        arrived, present = set(), set()
        for application_id, left_at in rows:
            arrived.add(application_id)
            if left_at is None:
                present.add(application_id)
        stands = dict(StandAssignment.objects.filter(edition=edition).values_list("application_id", "stand__number"))
        phones = {}
        for organization_id, phone in (Representation.objects.filter(
                organization__in=[a.organization_id for a in exhibitors if a.pk not in arrived],
                status=Representation.Status.APPROVED).values_list("organization_id", "user__phone")):
            if phone:
                phones.setdefault(organization_id, []).append(phone)
    poles = {}
    for a in exhibitors:
        row = poles.setdefault(a.pole_id, {"pole": a.pole, "expected": 0, "present": 0, "left": 0})
        row["expected"] += 1
        if a.pk in present:
            row["present"] += 1
        elif a.pk in arrived:
            row["left"] += 1
    absent = []
    for a in exhibitors:
        if a.pk in arrived:
            continue
        numbers = [a.organization.phone] if a.organization.phone else []
        numbers += [p for p in phones.get(a.organization_id, []) if p not in numbers]
        absent.append({"application": a, "organization": a.organization, "stand": stands.get(a.pk, ""),
                       "phones": numbers})
    absent.sort(key=lambda r: (r["stand"] or "~", r["organization"].name_ar))
    return {"day": day, "poles": sorted(poles.values(), key=lambda r: (r["pole"].position, r["pole"].pk)),
            "present": len(present), "expected": len(exhibitors), "absent": absent}
