"""Permission predicates of the core: who may see and run what, region by region.

Object-level checks take a region (or an object with a ``region`` attribute). A national
administrator may do everything; regional staff manage their own region; partner viewers read
their own region.
"""

import rules

from . import roles
from .models import Role


def _region_id(obj):
    if obj is None:
        return None
    if hasattr(obj, "region_id"):
        return obj.region_id
    return getattr(obj, "pk", obj)


@rules.predicate
def is_national_admin(user):
    return roles.is_national_admin(user)


@rules.predicate
def is_regional_staff(user, region=None):
    if region is None:
        return bool(roles.regions_for(user, [Role.REGIONAL_STAFF]))
    return _region_id(region) in roles.regions_for(user, [Role.REGIONAL_STAFF])


@rules.predicate
def is_partner_viewer(user, region=None):
    if region is None:
        return bool(roles.regions_for(user, [Role.PARTNER_VIEWER]))
    return _region_id(region) in roles.regions_for(user, [Role.PARTNER_VIEWER])


@rules.predicate
def is_juror(user):
    return Role.JUROR in roles.roles_of(user)


@rules.predicate
def is_trainer(user):
    return Role.TRAINER in roles.roles_of(user)


can_manage_region = is_national_admin | is_regional_staff
can_view_region = is_national_admin | is_regional_staff | is_partner_viewer

rules.add_perm("core.manage_region", can_manage_region)
rules.add_perm("core.view_region", can_view_region)
# The activity log is read by the people who run a region and by national administrators.
rules.add_perm("core.view_activity", can_manage_region)
rules.add_perm("core.use_admin", is_national_admin)
