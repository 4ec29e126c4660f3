"""The public directory: organizations and their products, readable by anyone, signed in or not.

Visitors have no region scope (see core.middleware), and regional users must still see the whole
public directory, so every read here runs with scopes disabled and filters explicitly on what is
public: active organizations that were not merged into another, and their shown products.

The filters live in the query string, so every result page can be shared as a link.
"""

from math import ceil

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, path, reverse, translate_url
from django.utils import formats
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from tadamon.core.choices import ReferenceChoiceField
from tadamon.core.decorators import public
from tadamon.core.models import Region, either
from tadamon.core.pagecache import cached_for_visitors
from tadamon.core.widgets import Select

from ..filters import DirectoryFilterForm
from ..filters import organizations as search_organizations
from ..filters import products as search_products
from ..models import Organization, Product, ProductPhoto, Representation, Sector
from ..search import MAX_RESULTS

PER_PAGE = 20
OG_LOCALES = {"ar": "ar_MA", "fr": "fr_MA", "en": "en_US"}
#: The Moroccan dirham as each language writes it after an amount.
CURRENCY = {"ar": "درهم", "fr": "MAD", "en": "MAD"}


# ---- helpers ---------------------------------------------------------------------------------------

def _language():
    return (get_language() or "ar")[:2]


def format_price(amount):
    """``1500`` → "1 500 درهم" in Arabic, "1 500 MAD" in French, "1,500 MAD" in English;
    None (a price on request) → None."""
    if amount is None:
        return None
    decimals = 0 if amount == amount.to_integral_value() else 2
    number = formats.number_format(amount, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return f"{number}\u00a0{CURRENCY.get(_language(), 'MAD')}"


def tel_link(phone):
    """A ``tel:`` URL in international form: 0612345678 → tel:+212612345678."""
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0") and len(digits) == 10:
        digits = "+212" + digits[1:]
    return f"tel:{digits}" if digits else ""


def _optional_url(name, *args):
    """The URL of a page another part of the registry provides, or None while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _page_number(request):
    try:
        return max(1, int(request.GET.get("page", 1)))
    except (TypeError, ValueError):
        return 1


class _Window:
    """One page of results fetched with limit/offset, presented to Paginator as the whole list."""

    def __init__(self, objects, total):
        self.objects, self.total = objects, total

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, item):
        return self.objects


def paginate(request, fetch, per_page=PER_PAGE):
    """A Paginator page from ``fetch(limit, offset) -> (objects, total)``; a page number past the
    end shows the last page, a page number that is not a number shows the first."""
    number = _page_number(request)
    objects, total = fetch(per_page, (number - 1) * per_page)
    last = max(1, ceil(total / per_page))
    if number > last:
        number = last
        objects, total = fetch(per_page, (number - 1) * per_page)
    return Paginator(_Window(objects, total), per_page).page(number)


def _filter_data(request):
    """The query string, with the region chosen in the header when the visitor chose none here.

    An explicit empty ``region`` ("all regions") is kept as a choice."""
    data = request.GET.copy()
    data.pop("page", None)
    if "region" not in data and getattr(request, "region", None) is not None:
        data["region"] = request.region.code
    return data


def _active_filters(form):
    """How many filters (the search words aside) narrow the results."""
    return sum(1 for name, value in form.cleaned_data.items() if name != "q" and value not in (None, "", False))


def _query_string(data):
    pairs = [(k, v) for k in data for v in data.getlist(k) if v != "" or k == "region"]
    return urlencode(pairs)


def _organization_thumbnails(organizations):
    """The first photo of the first shown product, else the logo, for each organization (one query).

    Photos come first: visitors look at products; a logo shows beside the name anyway."""
    ids = [o.pk for o in organizations]
    photos = {}
    if ids:
        rows = (ProductPhoto.objects.filter(product__organization_id__in=ids, product__is_active=True)
                .order_by("product__organization_id", "product__created_at", "product_id", "position", "id")
                .values_list("product__organization_id", "image", "width", "height", "product__name_ar",
                             "product__name_fr"))
        for org_id, image, width, height, name_ar, name_fr in rows:
            photos.setdefault(org_id, (image, width, height, name_ar, name_fr))
    storage = ProductPhoto._meta.get_field("image").storage
    for organization in organizations:
        organization.thumb = None
        if organization.pk in photos:
            image, width, height, name_ar, name_fr = photos[organization.pk]
            organization.thumb = {"url": storage.url(image), "width": width or 480, "height": height or 360,
                                  "alt": either(name_ar, name_fr), "logo": False}
        elif organization.logo:
            organization.thumb = {"url": organization.logo.url, "width": 240, "height": 240,
                                  "alt": _("Logo of %(name)s") % {"name": organization.name}, "logo": True}
    return organizations


def _decorate_products(products):
    for product in products:
        product.price_label = format_price(product.price)
        photos = list(product.photos.all())
        product.first_photo = photos[0] if photos else None
    return products


def _absolute_media(request, url):
    return request.build_absolute_uri(url) if url else ""


def _alternates(request):
    """The same page in the other languages, for hreflang links."""
    return [(code, request.build_absolute_uri(translate_url(request.path, code))) for code in OG_LOCALES]


def _meta(request, title, description, image_url, kind):
    language = _language()
    return {
        "og_title": title,
        "og_description": Truncator(description or "").chars(200),
        "og_image": _absolute_media(request, image_url),
        "og_url": request.build_absolute_uri(request.path),
        "og_type": kind,
        "og_locale": OG_LOCALES.get(language, "ar_MA"),
        "og_locale_alternates": [v for k, v in OG_LOCALES.items() if k != language],
        "alternates": _alternates(request),
    }


# ---- the directory of organizations -----------------------------------------------------------------

@public
@cached_for_visitors("core", "registry")
def directory(request):
    data = _filter_data(request)
    form = DirectoryFilterForm(data)
    form.is_valid()  # invalid fields are shown with their error and ignored; the valid ones still filter
    filters = form.filters()
    query = form.cleaned_data.get("q", "")

    def fetch(limit, offset):
        return search_organizations(query, filters, limit, offset)

    page = paginate(request, fetch)
    _organization_thumbnails(page.object_list)
    query_string = _query_string(data)
    export_url = None
    if request.user.has_perm("registry.view_registry"):
        export_url = _optional_url("registry:export")
        if export_url and query_string:
            export_url = f"{export_url}?{query_string}"
    return render(request, "registry/public/directory.html", {
        "form": form, "page": page, "organizations": page.object_list, "total": page.paginator.count,
        "query": query_string, "export_url": export_url, "searching": bool(query),
        "more_results": bool(query) and page.paginator.count >= MAX_RESULTS, "active_filters": _active_filters(form),
    })


def _follow_merges(organization):
    """The organization a merged one now lives in (merges may chain); None on a cycle."""
    seen = {organization.pk}
    while organization.merged_into_id:
        if organization.merged_into_id in seen:
            return None
        seen.add(organization.merged_into_id)
        organization = Organization.objects.get(pk=organization.merged_into_id)
    return organization


@public
@cached_for_visitors("core", "registry")
def organization_detail(request, pk):
    with scopes_disabled():
        organization = get_object_or_404(
            Organization.objects.select_related("province", "region", "sector", "merged_into"), pk=pk)
        if organization.merged_into_id:
            target = _follow_merges(organization)
            if target is None or not target.is_active:
                raise Http404
            return HttpResponsePermanentRedirect(target.get_absolute_url())
        if not organization.is_active:
            raise Http404
        products = _decorate_products(list(
            Product.objects.filter(organization=organization, is_active=True)
            .select_related("category").prefetch_related("photos").order_by("created_at", "pk")))
        represents = request.user.is_authenticated and Representation.objects.filter(
            user=request.user, organization=organization, status=Representation.Status.APPROVED).exists()
    image = organization.logo.url if organization.logo else next(
        (p.first_photo.image.url for p in products if p.first_photo), "")
    women_share = None
    if organization.members_total and organization.members_women is not None:
        women_share = round(100 * organization.members_women / organization.members_total)
    arabic = _language() == "ar"
    context = {
        "organization": organization, "products": products, "represents": represents,
        "claim_url": None if represents else _optional_url("registry:claim", organization.pk),
        "tel": tel_link(organization.phone) if organization.phone else "",
        "other_name": organization.name_fr if arabic else organization.name_ar,
        "other_lang": "fr" if arabic else "ar", "women_share": women_share,
        "canonical": request.build_absolute_uri(organization.get_absolute_url()),
        **_meta(request, organization.name, organization.description, image, "website"),
    }
    return render(request, "registry/public/organization.html", context)


# ---- products ------------------------------------------------------------------------------------

class ProductFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": gettext_lazy("Honey, argan oil, carpet…")}))
    region = ReferenceChoiceField(label=gettext_lazy("Region"), queryset=Region.objects.all(), required=False,
                                    to_field_name="code", empty_label=gettext_lazy("All regions"), widget=Select)
    category = ReferenceChoiceField(label=gettext_lazy("Category"), queryset=Sector.objects.all(), required=False,
                                      to_field_name="key", empty_label=gettext_lazy("All categories"), widget=Select)

    def filters(self):
        data = self.cleaned_data
        return {
            "region_id": data["region"].pk if data.get("region") else None,
            "category_id": data["category"].pk if data.get("category") else None,
        }


@public
@cached_for_visitors("core", "registry")
def product_list(request):
    data = _filter_data(request)
    form = ProductFilterForm(data)
    form.is_valid()
    filters = form.filters()
    query = form.cleaned_data.get("q", "")

    def fetch(limit, offset):
        return search_products(query, filters, limit, offset)

    page = paginate(request, fetch)
    # A search reads the products' own columns; hide the few whose organization left the directory.
    shown = [p for p in page.object_list if p.organization.is_active and not p.organization.merged_into_id]
    _decorate_products(shown)
    return render(request, "registry/public/products.html", {
        "form": form, "page": page, "products": shown, "total": page.paginator.count,
        "query": _query_string(data), "searching": bool(query), "active_filters": _active_filters(form),
        "more_results": bool(query) and page.paginator.count >= MAX_RESULTS,
    })


@public
@cached_for_visitors("core", "registry")
def product_detail(request, pk):
    with scopes_disabled():
        product = get_object_or_404(
            Product.objects.select_related("organization__province", "organization__region", "category")
            .prefetch_related("photos"),
            pk=pk, is_active=True, organization__is_active=True, organization__merged_into__isnull=True)
    _decorate_products([product])
    photos = list(product.photos.all())
    description = product.description or product.organization.name
    context = {
        "product": product, "organization": product.organization, "photos": photos,
        "canonical": request.build_absolute_uri(product.get_absolute_url()),
        **_meta(request, f"{product.name} · {product.organization.name}", description,
                photos[0].image.url if photos else (product.organization.logo.url if product.organization.logo
                                                    else ""), "product"),
    }
    return render(request, "registry/public/product.html", context)


urlpatterns = [
    path("organizations/", directory, name="directory"),
    path("organizations/<int:pk>/", organization_detail, name="organization"),
    path("products/", product_list, name="products"),
    path("products/<int:pk>/", product_detail, name="product"),
]
