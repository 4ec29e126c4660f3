"""What roles a user holds, read once per request and cached on the user object.

Other apps register extra roles (the registry adds "organization representative") through
:func:`register_role_source`, so that core never imports a domain app.
"""

from django.utils.translation import gettext_lazy as _

from .models import REGIONAL_ROLES, Role

REPRESENTATIVE = "representative"
ROLE_LABELS = {**dict(Role.choices), REPRESENTATIVE: _("Organization representative")}

_role_sources = []


def register_role_source(func):
    """``func(user)`` returns a set of role keys the user holds through a domain app."""
    _role_sources.append(func)
    return func


def _assignments(user):
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_tadamon_assignments", None)
    if cached is None:
        cached = list(user.role_assignments.all())
        user._tadamon_assignments = cached
    return cached


def clear_cache(user):
    for attr in ("_tadamon_assignments", "_tadamon_extra_roles"):
        if hasattr(user, attr):
            delattr(user, attr)


def roles_of(user):
    """Every role key the user holds, in any region."""
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = {a.role for a in _assignments(user)}
    extra = getattr(user, "_tadamon_extra_roles", None)
    if extra is None:
        extra = set()
        for source in _role_sources:
            extra |= set(source(user))
        user._tadamon_extra_roles = extra
    return roles | extra


def has_role(user, role, region=None):
    """True if the user holds ``role`` (in ``region`` when given; a region object or id)."""
    region_id = getattr(region, "pk", region)
    for a in _assignments(user):
        if a.role == role and (region is None or a.region_id == region_id):
            return True
    return False


def is_national_admin(user):
    return has_role(user, Role.NATIONAL_ADMIN)


def regions_for(user, roles=None):
    """Ids of the regions where the user holds one of ``roles`` (default: any regional role)."""
    wanted = set(roles or REGIONAL_ROLES)
    return sorted({a.region_id for a in _assignments(user) if a.role in wanted and a.region_id})


def is_staff_member(user):
    """National administrators and regional staff: the people who run things."""
    return is_national_admin(user) or bool(regions_for(user, [Role.REGIONAL_STAFF]))


def primary_role(user):
    """The role whose home screen the user sees first."""
    order = [Role.NATIONAL_ADMIN, Role.REGIONAL_STAFF, Role.PARTNER_VIEWER, REPRESENTATIVE, Role.JUROR, Role.TRAINER]
    held = roles_of(user)
    for role in order:
        if role in held:
            return str(role)
    return None
