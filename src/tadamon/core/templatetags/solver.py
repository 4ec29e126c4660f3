"""``{% load solver %}``: the optimization engines' statuses (selection, allocation, scheduling) in words."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

SOLVER_STATUS = {
    "optimal": _("best possible (proven)"),
    "feasible": _("good (not proven best in the time allowed)"),
    "infeasible": _("impossible: the rules conflict"),
}


@register.filter
def solver_status(value):
    return SOLVER_STATUS.get(value, value)
