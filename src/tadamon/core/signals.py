"""Role changes are decisions: they go to the activity log whoever makes them (admin included)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from . import activity
from .models import RoleAssignment


@receiver(post_save, sender=RoleAssignment)
def role_granted(sender, instance, created, **kwargs):
    if created and not kwargs.get("raw"):
        activity.record(None, "role.granted", instance.user, region=instance.region,
                        after={"role": instance.role, "region": str(instance.region or "")})


@receiver(post_delete, sender=RoleAssignment)
def role_revoked(sender, instance, **kwargs):
    activity.record(None, "role.revoked", instance.user, region=instance.region,
                    before={"role": instance.role, "region": str(instance.region or "")})


#: Domain apps append functions that load their demo data (each returns a line to print).
demo_loaders = []


#: A sale made outside the fair's own declarations (e.g. an order of the solidarity market picked
#: up at a stand). Sent with ``organization``, ``edition`` (or None), ``day`` (a date), ``amount``
#: (Decimal, MAD), ``lines`` (a list of ``(product_name, quantity)``) and ``reference`` (a string
#: that identifies the sale, so that receivers can stay idempotent). The fairs' sales figures
#: listen to it.
sale_recorded = Signal()

#: Domain apps append functions ``(region or None) -> list of (key, label, value)`` whose figures the
#: indicators dashboard shows beside the registry's (e.g. the support programmes' indicators).
indicator_providers = []

#: Domain apps append functions ``(edition) -> list of (key, label, value)`` whose rows the edition
#: report shows beside the fair's own figures (e.g. the prizes' winners and the honours).
edition_providers = []
