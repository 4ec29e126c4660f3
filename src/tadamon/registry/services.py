"""Business operations of the registry. Views, the API, commands and tasks all call these.

Every operation that changes something runs in one transaction and writes the activity log.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.core import activity

from .models import Organization, Product, ProductPhoto, Representation

ORGANIZATION_FIELDS = [
    "legal_form", "name_ar", "name_fr", "registration_number", "created_on", "province", "commune", "address",
    "sector", "activities", "members_total", "members_women", "members_youth", "women_led", "leader_name",
    "phone", "email", "website", "facebook", "instagram", "description_ar", "description_fr", "is_active",
]
PRODUCT_FIELDS = [
    "name_ar", "name_fr", "description_ar", "description_fr", "category", "price", "unit",
    "sanitary_authorization", "terroir_label", "origin_label", "is_active",
]



def _labels():
    """The action labels, translated lazily (registered here so the registry owns its words)."""
    from django.utils.translation import gettext_lazy as _

    return {
        "organization.created": _("organization created"),
        "organization.updated": _("organization updated"),
        "organization.verified": _("organization verified"),
        "organization.deactivated": _("organization deactivated"),
        "organization.reactivated": _("organization reactivated"),
        "organization.merged": _("organization merged"),
        "organization.imported": _("organization imported"),
        "representation.requested": _("representation requested"),
        "representation.approved": _("representation approved"),
        "representation.refused": _("representation refused"),
        "product.created": _("product created"),
        "product.updated": _("product updated"),
        "product.photo_added": _("product photo added"),
        "product.photo_removed": _("product photo removed"),
        "import.finished": _("import finished"),
    }


activity.register_actions(_labels())


class AlreadyRequested(Exception):
    """The user already asked to represent (or represents) this organization."""


@transaction.atomic
def create_organization(user, data, *, request=None):
    """A signed-up user registers a new organization and becomes its representative.

    The organization is listed at once but shows as "not verified" until regional staff verify it.
    """
    with scopes_disabled():
        organization = Organization(**{k: v for k, v in data.items() if k in ORGANIZATION_FIELDS or k == "logo"})
        organization.save()
        Representation.objects.create(user=user, organization=organization, status=Representation.Status.APPROVED,
                                      role_in_organization=data.get("role_in_organization", ""),
                                      decided_at=timezone.now())
    activity.record(user, "organization.created", organization,
                    after=activity.snapshot(organization, ORGANIZATION_FIELDS), request=request)
    _forget_roles(user)
    return organization


@transaction.atomic
def update_organization(actor, organization, changes, *, request=None, reason=""):
    """Apply ``changes`` (field → value) and log what changed."""
    fields = [f for f in changes if f in ORGANIZATION_FIELDS or f == "logo"]
    before = activity.snapshot(organization, fields)
    for field in fields:
        setattr(organization, field, changes[field])
    organization.save()
    after = activity.snapshot(organization, fields)
    if before != after:
        activity.record(actor, "organization.updated", organization, before=before, after=after,
                        reason=reason, request=request)
    return organization


@transaction.atomic
def verify_organization(actor, organization, *, request=None):
    if organization.verified_at is None:
        organization.verified_at = timezone.now()
        organization.verified_by = actor
        organization.save(update_fields=["verified_at", "verified_by", "updated_at"])
        activity.record(actor, "organization.verified", organization, request=request)
    return organization


@transaction.atomic
def set_active(actor, organization, active, *, reason="", request=None):
    if organization.is_active != active:
        organization.is_active = active
        organization.save(update_fields=["is_active", "updated_at"])
        activity.record(actor, "organization.reactivated" if active else "organization.deactivated",
                        organization, before={"is_active": not active}, after={"is_active": active},
                        reason=reason, request=request)
    return organization


def request_representation(user, organization, *, document=None, message="", role_in_organization="",
                           request=None):
    """Ask to represent an existing organization; regional staff decide."""
    try:
        with transaction.atomic(), scopes_disabled():
            representation = Representation.objects.create(
                user=user, organization=organization, document=document or "", message=message,
                role_in_organization=role_in_organization)
            activity.record(user, "representation.requested", representation, region=organization.region,
                            request=request)
    except IntegrityError:
        raise AlreadyRequested
    return representation


@transaction.atomic
def decide_representation(actor, representation, *, approve, reason="", request=None):
    """Approve or refuse a request to represent an organization, with a reason for a refusal."""
    with scopes_disabled():
        representation = Representation.objects.select_for_update().get(pk=representation.pk)
    if representation.status != Representation.Status.PENDING:
        return representation
    representation.status = Representation.Status.APPROVED if approve else Representation.Status.REFUSED
    representation.decided_by = actor
    representation.decided_at = timezone.now()
    representation.reason = reason
    representation.save()
    activity.record(actor, "representation.approved" if approve else "representation.refused", representation,
                    region=representation.region, after={"status": representation.status}, reason=reason,
                    request=request)
    transaction.on_commit(lambda: _notify_decision(representation))
    _forget_roles(representation.user)
    return representation


def _notify_decision(representation):
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    user = representation.user
    with translation.override(user.preferred_language):
        context = {"representation": representation, "user": user,
                   "site": getattr(settings, "TADAMON_SITE_URL", "")}
        subject = render_to_string("registry/email/representation_decided_subject.txt", context).strip()
        body = render_to_string("registry/email/representation_decided.txt", context)
    send_mail(subject, body, None, [user.email])


def _forget_roles(user):
    from tadamon.core.roles import clear_cache

    clear_cache(user)


@transaction.atomic
def save_product(actor, product, changes=None, *, request=None):
    """Create (``product.pk`` is None) or update a product, logging the change."""
    creating = product.pk is None
    fields = [f for f in (changes or {}) if f in PRODUCT_FIELDS]
    before = None if creating else activity.snapshot(product, fields)
    for field in fields:
        setattr(product, field, changes[field])
    product.save()
    after = activity.snapshot(product, fields or PRODUCT_FIELDS)
    if creating or before != after:
        activity.record(actor, "product.created" if creating else "product.updated", product,
                        region=product.region, before=before, after=after, request=request)
    return product


@transaction.atomic
def add_photo(actor, product, cleaned_image, *, request=None):
    """Attach a picture already cleaned by :func:`tadamon.core.images.clean_image`."""
    position = product.photos.count()
    photo = ProductPhoto(product=product, position=position, width=getattr(cleaned_image, "width", 0),
                         height=getattr(cleaned_image, "height", 0))
    photo.image.save(cleaned_image.name, cleaned_image, save=False)
    photo.save()
    activity.record(actor, "product.photo_added", product, region=product.region, request=request)
    return photo


@transaction.atomic
def remove_photo(actor, photo, *, request=None):
    product = photo.product
    photo.image.delete(save=False)
    photo.delete()
    activity.record(actor, "product.photo_removed", product, region=product.region, request=request)


@transaction.atomic
def merge_organizations(actor, keep, duplicate, *, reason="", request=None):
    """Merge ``duplicate`` into ``keep``: products and representatives move, the duplicate stays
    (inactive, pointing to ``keep``) so that its history is kept. Empty fields of ``keep`` are
    filled from the duplicate."""
    if keep.pk == duplicate.pk:
        raise ValueError("cannot merge an organization into itself")
    with scopes_disabled():
        filled = {}
        for field in ORGANIZATION_FIELDS:
            if field in ("is_active",):
                continue
            mine, theirs = getattr(keep, field), getattr(duplicate, field)
            if mine in (None, "") and theirs not in (None, ""):
                setattr(keep, field, theirs)
                filled[field] = str(theirs)
        moved_products = Product.objects.filter(organization=duplicate).update(organization=keep,
                                                                               region=keep.region)
        moved_reps = 0
        for rep in Representation.objects.filter(organization=duplicate):
            if Representation.objects.filter(user=rep.user, organization=keep).exists():
                continue
            rep.organization = keep
            rep.region = keep.region
            rep.save(update_fields=["organization", "region"])
            moved_reps += 1
        registration = duplicate.registration_number
        duplicate.merged_into = keep
        duplicate.is_active = False
        if duplicate.registration_number and duplicate.legal_form == keep.legal_form:
            # The number now belongs to the kept organization; keep a trace on the duplicate.
            duplicate.registration_number = ""
            duplicate.activities = (duplicate.activities + f"\n[{registration}]").strip()
        duplicate.save()
        keep.save()
        for organization in (keep, duplicate):  # the moved products' names are searched with their owner
            Organization.refresh_search_products(organization.pk)
    details = {"kept": keep.pk, "merged": duplicate.pk, "registration_number": registration,
               "products_moved": moved_products, "representatives_moved": moved_reps, "filled": filled}
    activity.record(actor, "organization.merged", keep, after=details, reason=reason, request=request)
    activity.record(actor, "organization.merged", duplicate, after=details, reason=reason, request=request)
    return keep
