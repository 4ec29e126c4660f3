"""The registry's public endpoints: organizations, their products, regions and provinces.

Anonymous and read-only. Organizations and products are read through
:mod:`tadamon.registry.filters` (which disables the region scopes and keeps only what the
public directory shows) or inside ``scopes_disabled()``; responses are built field by field so
that nothing private (representatives, claims, documents, users, contact persons) can leak.
"""

from typing import Literal

from django.conf import settings
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django_scopes import scopes_disabled
from ninja import Path, Query, Router
from ninja.errors import HttpError

from tadamon.core.models import Province, Region
from tadamon.registry import filters
from tadamon.registry.models import LegalForm, Organization, Sector

from . import schemas
from .schemas import MAX_PAGE, PAGE_SIZE

router = Router(tags=["registry"])
# Public data changes slowly: let browsers and proxies keep answers for a minute.
router.add_decorator(cache_control(public=True, max_age=60), mode="view")

REGION_PATTERN = r"^([0-9]{2})?$"
PROVINCE_PATTERN = r"^([0-9]{2}\.[0-9]{3})?$"
SECTOR_PATTERN = r"^[-a-zA-Z0-9_]{0,40}$"
LegalFormFilter = Literal[("", *LegalForm.values)]

LEGAL_FORM = Query("", description="Legal form key: `cooperative`, `association`, `mutual`, `social_enterprise`.")

ERRORS = {422: schemas.ValidationErrors}

PAGE = Query(1, ge=1, le=MAX_PAGE, description=f"Page number, from 1; {PAGE_SIZE} items a page.")
SEARCH_HELP = "Words to search for, in Arabic or French (diacritics, letter variants and one typo a word tolerated)."


# ---- building the responses ------------------------------------------------------------------

def organization_url(request, pk):
    """Absolute URL of the organization's public page, in the default language (Arabic)."""
    return request.build_absolute_uri(f"/{settings.LANGUAGE_CODE}/organizations/{pk}/")


def organization_item(request, org):
    return {
        "id": org.pk,
        "name_ar": org.name_ar,
        "name_fr": org.name_fr,
        "legal_form": org.legal_form,
        "province": org.province.code,
        "region": org.region.code,
        "sector": org.sector.key,
        "women_led": org.women_led,
        "url": organization_url(request, org.pk),
    }


def product_data(request, product):
    return {
        "id": product.pk,
        "name_ar": product.name_ar,
        "name_fr": product.name_fr,
        "description_ar": product.description_ar,
        "description_fr": product.description_fr,
        "category": product.category.key,
        "price": float(product.price) if product.price is not None else None,
        "unit": product.unit,
        "photos": [request.build_absolute_uri(photo.image.url) for photo in product.photos.all()],
        "sanitary_authorization": product.sanitary_authorization,
        "terroir_label": product.terroir_label,
        "origin_label": product.origin_label,
    }


def page_bounds(page):
    return PAGE_SIZE, (page - 1) * PAGE_SIZE


def clean_text(value):
    """Query text without NUL characters (PostgreSQL refuses them)."""
    return (value or "").replace("\x00", "").strip()


# ---- endpoints -------------------------------------------------------------------------------

@router.get("/regions", operation_id="list_regions", response=list[schemas.Region], summary="Regions",
            description="Morocco's 12 regions, by code.")
def list_regions(request):
    return [{"code": r.code, "name_ar": r.name_ar, "name_fr": r.name_fr} for r in Region.objects.order_by("code")]


@router.get("/provinces", operation_id="list_provinces",
            response={200: list[schemas.Province], **ERRORS}, summary="Provinces and prefectures",
            description="The provinces and prefectures, by code; `region` keeps those of one region "
                        "(an unknown region code gives an empty list).")
def list_provinces(request, region: str = Query("", pattern=REGION_PATTERN,
                                                 description="Region code, e.g. `03`; empty for all.")):
    provinces = Province.objects.select_related("region").order_by("code")
    if region:
        provinces = provinces.filter(region__code=region)
    return [{"code": p.code, "region": p.region.code, "name_ar": p.name_ar, "name_fr": p.name_fr} for p in provinces]


@router.get("/organizations", operation_id="list_organizations",
            response={200: schemas.OrganizationPage, **ERRORS}, summary="Search organizations",
            description=f"Active organizations of the public directory, {PAGE_SIZE} a page. Filters combine "
                        "(AND); an empty parameter is no filter; a well-formed but unknown code matches "
                        "nothing (`count` 0).")
def list_organizations(
    request,
    q: str = Query("", max_length=200, description=SEARCH_HELP + " With a search the best matches come first; "
                                                              "without, organizations come by Arabic name."),
    region: str = Query("", pattern=REGION_PATTERN, description="Region code, e.g. `03` (see /regions)."),
    province: str = Query("", pattern=PROVINCE_PATTERN, description="Province code, e.g. `03.131` (see /provinces)."),
    legal_form: LegalFormFilter = LEGAL_FORM,
    sector: str = Query("", pattern=SECTOR_PATTERN, description="Sector key, e.g. `terroir`, `handicrafts`."),
    page: int = PAGE,
):
    column_filters = {"legal_form": legal_form or None}
    lookups = [("region_id", Region, "code", region), ("province_id", Province, "code", province),
               ("sector_id", Sector, "key", sector)]
    for column, model, field, value in lookups:
        if value:
            pk = model.objects.filter(**{field: value}).values_list("pk", flat=True).first()
            if pk is None:
                return {"count": 0, "items": []}
            column_filters[column] = pk
    limit, offset = page_bounds(page)
    objects, total = filters.organizations(clean_text(q), column_filters, limit=limit, offset=offset, public=True)
    return {"count": total, "items": [organization_item(request, org) for org in objects]}


@router.get("/organizations/{id}", operation_id="get_organization",
            response={200: schemas.OrganizationDetail, 404: schemas.Error, **ERRORS},
            summary="One organization with its products",
            description="An active organization of the public directory and its shown products. "
                        "Inactive or merged organizations are 404.")
def get_organization(request, id: int = Path(..., ge=1, le=2**63 - 1, description="Organization id.")):
    with scopes_disabled():
        org = (Organization.objects.select_related("province", "region", "sector")
               .filter(pk=id, is_active=True, merged_into__isnull=True).first())
        if org is None:
            raise HttpError(404, _("Organization not found."))
        products = list(org.products.filter(is_active=True).select_related("category")
                        .prefetch_related("photos").order_by("name_ar", "pk"))
    return {
        **organization_item(request, org),
        "registration_number": org.registration_number,
        "created_on": org.created_on,
        "commune": org.commune,
        "activities": org.activities,
        "description_ar": org.description_ar,
        "description_fr": org.description_fr,
        "members_total": org.members_total,
        "members_women": org.members_women,
        "members_youth": org.members_youth,
        "website": org.website,
        "facebook": org.facebook,
        "instagram": org.instagram,
        "logo": request.build_absolute_uri(org.logo.url) if org.logo else None,
        "verified": org.is_verified,
        "products": [product_data(request, p) for p in products],
    }


@router.get("/products", operation_id="list_products",
            response={200: schemas.ProductPage, **ERRORS}, summary="Search products",
            description=f"Shown products of active organizations, {PAGE_SIZE} a page: the best matches first "
                        "when `q` is given, else the newest first.")
def list_products(request, q: str = Query("", max_length=200, description=SEARCH_HELP), page: int = PAGE):
    limit, offset = page_bounds(page)
    objects, total = filters.products(clean_text(q), {}, limit=limit, offset=offset)
    items = []
    for product in objects:
        org = product.organization
        if not org.is_active or org.merged_into_id:
            # The search index does not know the organization's state; never show its products.
            continue
        items.append({
            **product_data(request, product),
            "organization": {"id": org.pk, "name_ar": org.name_ar, "name_fr": org.name_fr,
                             "url": organization_url(request, org.pk)},
        })
    return {"count": total, "items": items}
