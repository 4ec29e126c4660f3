"""Who may do what with prizes.

- Anyone reads a prize once it is no longer a draft, its published winners, and the honours.
- A representative applies for an organization they represent (an exhibitor of the edition).
- Jurors see and score only the candidacies assigned to them, never one they are in conflict with
  (the views read assignments through the juror's own membership, so anything else is a 404).
- Regional staff run their region's prizes (national administrators every region); partner
  viewers read them.
"""

import rules
from django_scopes import scopes_disabled

from tadamon.core.rules import can_manage_region, can_view_region, is_juror
from tadamon.fairs.rules import manages_edition, views_edition


@rules.predicate
def manages_prize(user, prize):
    return prize is not None and bool(manages_edition(user, prize.edition))


@rules.predicate
def views_prize(user, prize):
    return prize is not None and bool(views_edition(user, prize.edition))


@rules.predicate
def sits_on_a_jury(user):
    if not getattr(user, "is_authenticated", False):
        return False
    from .models import JuryMember

    with scopes_disabled():
        return JuryMember.objects.filter(user=user).exists()


rules.add_perm("prizes.manage", can_manage_region)
rules.add_perm("prizes.view", can_view_region)
rules.add_perm("prizes.judge", is_juror | sits_on_a_jury)
rules.add_perm("prizes.manage_prize", manages_prize)
rules.add_perm("prizes.view_prize", views_prize)
