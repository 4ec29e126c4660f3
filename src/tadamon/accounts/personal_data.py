"""A person's data (Moroccan law 09-08): the copy they download, and erasure.

Generic on purpose: every row of any app that points to the user with a foreign key is theirs (a
registration, a representation, an application they wrote, the log of what they did), so a new
app's data is in the download, and erased, without a line here. See docs/security.md for what is
kept and how long.
"""

import io
import json
import zipfile

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.core import activity
from tadamon.core.models import ActivityLog

#: The account's own fields in the download.
ACCOUNT_FIELDS = ["email", "first_name", "last_name", "phone", "preferred_language", "email_verified", "date_joined",
                  "last_login"]
#: On rows that are about the person (their foreign key is named ``user``), these copies of who they
#: are are blanked by erasure; the rest of the row (a session attended, a status) stays for reports.
COPIED_IDENTITY = {"name", "first_name", "last_name", "full_name", "email", "phone", "address", "message",
                   "institution", "role_in_organization"}


def _links_to_users():
    """(model, field) for every foreign key of our apps that points to the user model."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in apps.get_models():
        if not model.__module__.startswith("tadamon"):
            continue
        for field in model._meta.concrete_fields:
            if field.many_to_one or field.one_to_one:
                if field.related_model is user_model:
                    yield model, field


def _row(obj):
    data = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.attname] = value
    return data


def collect(user):
    """Everything stored about ``user``: ``{"account": {...}, "records": {"app.Model.field": [rows]}}``."""
    records = {}
    with scopes_disabled():
        for model, field in _links_to_users():
            rows = [_row(obj) for obj in model._base_manager.filter(**{field.name: user}).order_by("pk")]
            if rows:
                records[f"{model._meta.label}.{field.name}"] = rows
    return {
        "exported_at": timezone.now(),
        "account": {name: getattr(user, name) for name in ACCOUNT_FIELDS},
        "records": records,
    }


def kind_label(key):
    """The words for a key of ``collect()['records']`` ("programme.Registration.user" -> "registrations")."""
    label, _field = key.rsplit(".", 1)
    return str(apps.get_model(label)._meta.verbose_name_plural)


def export_zip(user):
    """A ZIP: ``data.json`` and, under ``files/``, every uploaded file the rows name."""
    data = collect(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        for model, field in _links_to_users():
            file_fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
            for row in data["records"].get(f"{model._meta.label}.{field.name}", []):
                for name in (row[f] for f in file_fields):
                    if name and default_storage.exists(name):
                        with default_storage.open(name) as handle:
                            archive.writestr(f"files/{name}", handle.read())
    return buffer.getvalue()


def erase(user, *, request=None):
    """Erase ``user``: the account can no longer be used and says nothing of who they were; rows
    about them stay, without their name, e-mail, phone or messages, so that reports still count
    them (a registration, an attendance). Their roles are revoked. Returns the rows changed."""
    changed = 0
    with transaction.atomic(), scopes_disabled():
        user = get_user_model()._base_manager.select_for_update().get(pk=user.pk)
        for model, field in _links_to_users():
            if field.name != "user":
                continue
            blank = {f.name: "" for f in model._meta.concrete_fields
                     if f.name in COPIED_IDENTITY and isinstance(f, models.CharField | models.TextField)}
            if blank:
                changed += model._base_manager.filter(**{field.name: user}).update(**blank)
        for assignment in user.role_assignments.all():
            assignment.delete()  # logged as role.revoked
        ActivityLog.objects.filter(actor=user).update(actor_label=f"erased-{user.pk}", ip_address=None)
        ActivityLog.objects.filter(content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)).update(
            object_repr=f"erased-{user.pk}", before=None, after=None)
        user.email = f"erased-{user.pk}@erased.invalid"
        user.first_name = user.last_name = user.phone = ""
        user.is_active = False
        user.email_verified = False
        user.set_unusable_password()
        user.save()
        activity.record(None, "account.erased", user, after={"rows_anonymised": changed}, request=request)
    return changed
