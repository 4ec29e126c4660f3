"""The catalogue: products on sale, searched through the registry's search and filtered by region,
category and labels (terroir, led by women)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from tadamon.registry.search import search_ids
from tadamon.registry.views.public import ProductFilterForm

from .models import Offer


class CatalogueFilterForm(ProductFilterForm):
    """The registry's product filters (words, region, category) and the market's labels."""

    terroir = forms.BooleanField(label=_("Terroir label"), required=False)
    women_led = forms.BooleanField(label=_("Led by women"), required=False)

    def filters(self):
        data = self.cleaned_data
        out = {}
        if data.get("region"):
            out["region_id"] = data["region"].pk
        if data.get("category"):
            out["product__category_id"] = data["category"].pk
        if data.get("terroir"):
            out["product__terroir_label"] = True
        if data.get("women_led"):
            out["organization__women_led"] = True
        return out


def on_sale():
    """The offers a visitor may buy: listed, of a shown product, of an active organization that sells."""
    return Offer.objects.filter(is_listed=True, product__is_active=True, organization__is_active=True,
                                organization__merged_into__isnull=True, organization__market_seller__is_open=True)


def offers(query, filters, limit=20, offset=0):
    """(offers best first, or newest first without a query; total)."""
    with scopes_disabled():
        selected = on_sale().filter(**filters)
        base = Offer.objects.select_related("product__category", "organization__province").prefetch_related(
            "product__photos")
        if query and query.strip():
            restrict = selected.values("product_id").query.sql_with_params()
            ids, total = search_ids("product", query, {}, limit, offset, restrict=restrict)
            by_product = {o.product_id: o for o in base.filter(product_id__in=ids)}
            return [by_product[i] for i in ids if i in by_product], total
        total = selected.count()
        return list(base.filter(pk__in=selected.values("pk")).order_by("-updated_at", "pk")[offset:offset + limit]), \
            total
