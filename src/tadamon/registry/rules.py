"""Who may do what in the registry.

- Anyone reads the public directory (active organizations, their products).
- A representative edits the organizations they represent (approved representation), and only those.
- Regional staff manage the registry of their region (approve representatives, verify, import,
  merge); national administrators manage every region. Partner viewers read their region's registry.
"""

import rules
from django_scopes import scopes_disabled

from tadamon.core.rules import can_manage_region, can_view_region, is_national_admin, is_regional_staff


@rules.predicate
def is_representative_of(user, organization):
    if not getattr(user, "is_authenticated", False) or organization is None:
        return False
    from .models import Representation

    with scopes_disabled():
        return Representation.objects.filter(user=user, organization=organization,
                                             status=Representation.Status.APPROVED).exists()


@rules.predicate
def staff_of_object_region(user, obj):
    if obj is None:
        return False
    return bool(can_manage_region(user, obj.region))


can_edit_organization = is_representative_of | staff_of_object_region

rules.add_perm("registry.edit_organization", can_edit_organization)
rules.add_perm("registry.manage_registry", is_national_admin | is_regional_staff)
rules.add_perm("registry.view_registry", can_view_region)
rules.add_perm("registry.manage_organization", staff_of_object_region)
