from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tadamon.core.roles import REPRESENTATIVE, register_role_source

from .models import Organization, Product
from .search import index_terms


@receiver(post_save, sender=Organization)
@receiver(post_save, sender=Product)
def index_search_terms(sender, instance, **kwargs):
    index_terms([instance.search_name, instance.search_body])


@receiver(post_save, sender=Product)
@receiver(post_delete, sender=Product)
def refresh_organization_products(sender, instance, **kwargs):
    """An organization is found by its shown products' names: keep them beside its own texts."""
    Organization.refresh_search_products(instance.organization_id)


@register_role_source
def representative_role(user):
    from .models import Representation

    if Representation.objects.with_scopes_disabled().filter(user=user, status=Representation.Status.APPROVED).exists():
        return {REPRESENTATIVE}
    return set()
