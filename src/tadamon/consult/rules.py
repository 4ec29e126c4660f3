"""Who may do what with consultations, the action plan and the pole's services.

- Anyone reads the workshops, their proposals and comments, the public accountability page of a
  region and the catalogue of the pole's services.
- Any signed-in person proposes (while the workshop takes proposals), supports (once per proposal)
  and comments.
- Facilitators (regional staff, and the trainers who lead the workshop's session) type proposals for
  a table and moderate (hide with a reason, merge).
- Regional staff (national administrators everywhere) run workshops, score, retain proposals into
  the action plan, manage the plan, the catalogue and approve bookings. Partner viewers read.
- The contact of an action (a partner's account) posts its progress updates.
- A representative of an organization books services for it and sees its bookings.
"""

import rules

from tadamon.core.rules import can_manage_region, can_view_region, is_trainer
from tadamon.programme.rules import leads_any_session, leads_session
from tadamon.registry.rules import is_representative_of


@rules.predicate
def manages(user, obj):
    return obj is not None and bool(can_manage_region(user, obj))


@rules.predicate
def views(user, obj):
    return obj is not None and bool(can_view_region(user, obj))


@rules.predicate
def leads_workshop(user, workshop):
    workshop = getattr(workshop, "workshop", workshop)
    return workshop is not None and bool(leads_session(user, workshop.session))


@rules.predicate
def is_action_contact(user, action):
    return action is not None and getattr(user, "is_authenticated", False) and action.contact_id == user.pk


@rules.predicate
def represents_booker(user, booking):
    return booking is not None and bool(is_representative_of(user, booking.organization))


# Without an object: may open the staff screens at all.
rules.add_perm("consult.manage", can_manage_region)
rules.add_perm("consult.view", can_view_region)
rules.add_perm("consult.facilitate_any", can_manage_region | is_trainer | leads_any_session)
rules.add_perm("consult.staff_screens", can_view_region | is_trainer | leads_any_session)
# With an object (a workshop, proposal, plan, action, service or booking).
rules.add_perm("consult.manage_object", manages)
rules.add_perm("consult.view_object", views)
rules.add_perm("consult.facilitate", manages | leads_workshop)
rules.add_perm("consult.report_progress", manages | is_action_contact)
rules.add_perm("consult.own_booking", represents_booker | manages)
