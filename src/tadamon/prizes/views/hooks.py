"""What prizes add to other apps' screens: the juror's home, the edition's public page (prizes and
honours), and the verification of certificates by QR code."""

from django_scopes import scopes_disabled

from tadamon.core.views import register_home_section
from tadamon.fairs.views.public import edition_sections
from tadamon.programme.services import certificate_verifiers

from .. import services
from ..models import Honour, Prize
from .jury import memberships
from .public import PUBLIC_STATUSES


@register_home_section("juror")
def juror_home(request):
    return {"template": "prizes/jury/_home_section.html", "memberships": memberships(request.user)}


@edition_sections.append
def prizes_and_honours(request, edition):
    with scopes_disabled():
        prizes = list(Prize.objects.filter(edition=edition, status__in=PUBLIC_STATUSES))
        honours = list(Honour.objects.filter(edition=edition).select_related("organization__province"))
    if not prizes and not honours:
        return None
    kinds = {}
    for honour in honours:
        kinds.setdefault(honour.get_kind_display(), []).append(honour)
    return {"template": "prizes/public/_edition_section.html", "prizes": prizes, "honours": list(kinds.items())}


certificate_verifiers.append(services.verify_certificate)
