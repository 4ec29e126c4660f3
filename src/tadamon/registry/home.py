"""Sections of the home screen contributed by the registry.

Representatives see the organizations they represent, with links to edit them and add products,
and their requests still waiting or refused. Signed-in users without any role yet (a new account, a
request still waiting) see the same section: their requests, and how to register their organization
or find it in the directory.
"""

from django.db.models import Count
from django_scopes import scopes_disabled

from tadamon.core.roles import REPRESENTATIVE
from tadamon.core.views import register_home_section

from .models import Representation


@register_home_section(None)
@register_home_section(REPRESENTATIVE)
def representative_section(request):
    with scopes_disabled():
        representations = list(
            Representation.objects.filter(user=request.user)
            .select_related("organization__province", "organization__sector")
            .annotate(n_products=Count("organization__products"))
            .order_by("status", "organization__name_ar"))
    return {
        "template": "registry/representative/home_section.html",
        "approved": [r for r in representations if r.status == Representation.Status.APPROVED],
        "requests": [r for r in representations if r.status != Representation.Status.APPROVED],
    }
