"""The one way to write the activity log. Every decision in Tadamon goes through :func:`record`."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from .models import ActivityLog, Region

#: Human labels for action keys; apps add theirs with :func:`register_actions`.
ACTION_LABELS = {
    "account.signed_up": _("signed up"),
    "account.email_verified": _("verified their e-mail"),
    "account.logged_in": _("logged in"),
    "account.login_locked": _("log-in locked after repeated failures"),
    "account.password_reset": _("reset their password"),
    "account.profile_changed": _("changed their profile"),
    "account.second_factor_added": _("added a second factor"),
    "account.data_downloaded": _("downloaded their personal data"),
    "account.erased": _("account erased at the person's request"),
    "personal_data.viewed": _("viewed personal data"),
    "job.interrupted": _("background job interrupted by a server stop"),
    "role.granted": _("granted a role"),
    "role.revoked": _("revoked a role"),
}


def register_actions(labels):
    ACTION_LABELS.update(labels)


def action_label(action):
    return ACTION_LABELS.get(action, action)


def snapshot(obj, fields):
    """A JSON-safe dict of ``fields`` of ``obj``, for ``before``/``after``."""
    out = {}
    for name in fields:
        value = getattr(obj, name, None)
        if hasattr(value, "pk"):
            value = str(value)
        elif value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
            value = str(value)
        out[name] = value
    return out


def record(actor, action, obj=None, *, region=None, before=None, after=None, reason="", request=None):
    """Write one entry: ``actor`` did ``action`` to ``obj`` (in ``region``), from ``before`` to ``after``.

    ``region`` defaults to ``obj.region`` when the object has one. Call it inside the same
    transaction as the change it describes, so that both land or neither does.
    """
    if region is None and obj is not None:
        region = obj if isinstance(obj, Region) else getattr(obj, "region", None)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    label = ""
    if actor_obj is not None:
        label = actor_obj.get_username()
    elif isinstance(actor, str):
        label = actor
    ip = None
    if request is not None:
        ip = request.META.get("REMOTE_ADDR") or None
    with scopes_disabled():
        return ActivityLog.objects.create(
            actor=actor_obj,
            actor_label=label[:254],
            action=action,
            region=region,
            content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=str(obj)[:300] if obj is not None else "",
            before=before,
            after=after,
            reason=reason or "",
            ip_address=ip,
        )


def personal_data_viewed(request, obj):
    """The access log of law 09-08: staff opened a page showing people's personal data (contacts,
    registrations, an application's answers). One entry per view, in the object's region."""
    return record(request.user, "personal_data.viewed", obj, request=request)
