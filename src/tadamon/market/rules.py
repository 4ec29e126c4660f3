"""Who may do what in the solidarity market.

- Anyone browses the catalogue, fills a basket and orders (with a phone code, or signed in).
- A buyer sees their own orders: through the signed link sent to them, or in their account.
- An organization's approved representatives sell: they put products on sale, update stock, confirm,
  prepare, hand over orders and check pickup codes, for their organization only. Regional staff may
  do the same for the organizations of their region (to help at the fair); national administrators
  everywhere. Another organization's order does not exist for them (404).
"""

import rules

from tadamon.registry.rules import can_edit_organization


def _organization(obj):
    return getattr(obj, "organization", obj)


@rules.predicate
def sells_for(user, obj):
    return obj is not None and bool(can_edit_organization(user, _organization(obj)))


@rules.predicate
def owns_order(user, order):
    return order is not None and getattr(user, "is_authenticated", False) and order.buyer_id == user.pk


rules.add_perm("market.sell", sells_for)
rules.add_perm("market.handle_order", sells_for)
rules.add_perm("market.own_order", owns_order)
