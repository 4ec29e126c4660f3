from django.conf import settings
from django.utils.translation import get_language, get_language_bidi

from . import choices, roles
from .models import Region


def tadamon(request):
    user = getattr(request, "user", None)
    primary = roles.primary_role(user) if user is not None else None
    return {
        "LANGUAGE_DIR": "rtl" if get_language_bidi() else "ltr",
        "CURRENT_LANGUAGE": get_language(),
        "current_region": getattr(request, "region", None),
        "all_regions": choices.objects(Region.objects.all()) if _can_choose_region(user) else (),
        "primary_role": primary,
        "primary_role_label": roles.ROLE_LABELS.get(primary, ""),
        "is_staff_member": roles.is_staff_member(user) if user is not None else False,
        "is_national_admin": roles.is_national_admin(user) if user is not None else False,
        "partners": settings.TADAMON_PARTNERS,
    }


def _can_choose_region(user):
    """Visitors and national administrators may browse any region; regional users keep theirs."""
    if user is None or not user.is_authenticated:
        return True
    return roles.is_national_admin(user) or not roles.regions_for(user)
