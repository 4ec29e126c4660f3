"""Sections of the home screen contributed by the support programmes: a representative sees the
plans of their organizations and the open calls; a trainer sees the organizations they coach."""

from tadamon.core.models import Role
from tadamon.core.roles import REPRESENTATIVE
from tadamon.core.views import register_home_section

from . import services


@register_home_section(REPRESENTATIVE)
def plans_section(request):
    return {"template": "support/home_section.html", "plans": services.participations_of(request.user),
            "open_cohorts": services.open_cohorts(request.region)}


@register_home_section(Role.TRAINER)
def coaching_section(request):
    return {"template": "support/home_section.html", "coached": services.caseload(request.user)}
