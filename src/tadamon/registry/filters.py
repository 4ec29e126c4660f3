"""The directory's filters and search, shared by the directory page, its exports and the API."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from tadamon.core.choices import ReferenceChoiceField
from tadamon.core.models import Province, Region
from tadamon.core.widgets import Select

from .models import LegalForm, Organization, Product, Sector
from .search import MAX_RESULTS, in_order, search_ids


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, product, village…")}))
    region = ReferenceChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False,
                                    to_field_name="code", empty_label=_("All regions"), widget=Select)
    province = ReferenceChoiceField(label=_("Province"), queryset=Province.objects.all(), required=False,
                                      to_field_name="code", empty_label=_("All provinces"), widget=Select)
    legal_form = forms.ChoiceField(label=_("Legal form"), required=False,
                                   choices=[("", _("All legal forms")), *LegalForm.choices], widget=Select)
    sector = ReferenceChoiceField(label=_("Sector"), queryset=Sector.objects.all(), required=False,
                                    to_field_name="key", empty_label=_("All sectors"), widget=Select)
    women_led = forms.BooleanField(label=_("Led by women"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        region_code = (self.data.get("region") if self.is_bound else None) or None
        if region_code:
            self.fields["province"].queryset = Province.objects.filter(region__code=region_code)

    def filters(self):
        """Column filters for :func:`organizations` from the cleaned data (call after is_valid())."""
        data = self.cleaned_data
        return {
            "region_id": data["region"].pk if data.get("region") else None,
            "province_id": data["province"].pk if data.get("province") else None,
            "legal_form": data.get("legal_form") or None,
            "sector_id": data["sector"].pk if data.get("sector") else None,
            "women_led": True if data.get("women_led") else None,
        }


def _listed(filters, public):
    """The organizations the filters keep (without a search), by Arabic name."""
    qs = Organization.objects.filter(**filters)
    if public:
        qs = qs.filter(merged_into__isnull=True)
    return qs.order_by("name_ar", "pk")


def _visible(filters, public):
    filters = {k: v for k, v in filters.items() if v is not None}
    return {**filters, "is_active": True} if public else filters


def organizations(query, filters, limit=20, offset=0, public=True, max_results=MAX_RESULTS):
    """(organizations best first or by name, total) for the directory and the API.

    A search counts and pages through its best ``max_results`` hits (see registry.search)."""
    filters = _visible(filters, public)
    with scopes_disabled():
        base = Organization.objects.select_related("province", "region", "sector")
        if query and query.strip():
            sql_filters = {**filters, "merged_into_id__isnull": True} if public else filters
            ids, total = search_ids("organization", query, sql_filters, limit, offset, max_results)
            return in_order(base, ids), total
        listed = _listed(filters, public)
        # Counted, filtered and skipped within the index organization_directory_filters (index-only
        # scans on PostgreSQL); then only the page's rows are read.
        total = listed.count()
        return in_order(base, _page_ids(listed, total, limit, offset)), total


def _page_ids(listed, total, limit, offset):
    """The ids of one page of ``listed`` (``total`` rows), skipping from the nearer end of the
    order: the last page skips no more rows than the first, and a page past the end reads none."""
    end = min(offset + limit, total)
    if offset >= end:
        return []
    pks = listed.values_list("pk", flat=True)
    if offset <= total - end:
        return list(pks[offset:end])
    return list(pks.reverse()[total - end:total - offset])[::-1]


def organization_queryset(query, filters, public=True):
    """All matching organizations, for exports (search order when a query is given)."""
    if query and query.strip():
        return organizations(query, filters, limit=10**9, offset=0, public=public, max_results=None)[0]
    with scopes_disabled():
        return list(_listed(_visible(filters, public), public).select_related("province", "region", "sector"))


def products(query, filters, limit=20, offset=0):
    filters = {k: v for k, v in filters.items() if v is not None}
    with scopes_disabled():
        base = Product.objects.select_related("organization", "category").prefetch_related("photos")
        if query and query.strip():
            ids, total = search_ids("product", query, {**filters, "is_active": True}, limit, offset)
            return in_order(base, ids), total
        qs = base.filter(is_active=True, organization__is_active=True, organization__merged_into__isnull=True,
                         **filters)
        total = qs.count()
        return list(qs.order_by("-created_at", "pk")[offset:offset + limit]), total
