"""Who may do what with the programme.

- Anyone reads the public programme of editions that are not drafts, and registers.
- A person sees and cancels only their own registration (signed link, or their account).
- Regional staff build the programme of their region's editions (national administrators of
  every region); partner viewers read it.
- Speakers linked to an account (trainers) see the sessions they lead, take attendance there and
  follow the certificates of their participants.
"""

import rules
from django_scopes import scopes_disabled

from tadamon.core.rules import can_manage_region, can_view_region, is_trainer
from tadamon.fairs.rules import manages_edition, views_edition


def _edition(obj):
    return getattr(obj, "edition", obj)


@rules.predicate
def leads_any_session(user):
    if not getattr(user, "is_authenticated", False):
        return False
    from .models import Speaker

    with scopes_disabled():
        return Speaker.objects.filter(user=user).exists()


@rules.predicate
def leads_session(user, session):
    if session is None or not getattr(user, "is_authenticated", False):
        return False
    with scopes_disabled():
        return session.speakers.filter(user=user).exists()


@rules.predicate
def manages_programme_of(user, obj):
    return obj is not None and bool(manages_edition(user, _edition(obj)))


@rules.predicate
def views_programme_of(user, obj):
    return obj is not None and bool(views_edition(user, _edition(obj)))


@rules.predicate
def owns_registration(user, registration):
    return (registration is not None and getattr(user, "is_authenticated", False)
            and registration.user_id == user.pk)


# Without an object: may open the staff screens at all.
rules.add_perm("programme.manage", can_manage_region)
rules.add_perm("programme.view", can_view_region)
rules.add_perm("programme.lead", can_manage_region | is_trainer | leads_any_session)
rules.add_perm("programme.attendance", can_view_region | is_trainer | leads_any_session)
# With an edition or a session.
rules.add_perm("programme.manage_edition", manages_programme_of)
rules.add_perm("programme.view_edition", views_programme_of)
rules.add_perm("programme.view_session", views_programme_of | leads_session)
rules.add_perm("programme.take_attendance", manages_programme_of | leads_session)
rules.add_perm("programme.own_registration", owns_registration)
