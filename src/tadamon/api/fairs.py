"""The fairs' public endpoints: editions, their poles and partners, and their exhibitors.

Anonymous and read-only, like the registry's. Draft editions do not exist for the API; the
exhibitors of an edition are public only once its selection is published (before that the list
is 404, so that nobody reads a selection staff are still adjusting).
"""

from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django_scopes import scopes_disabled
from ninja import Path, Query, Router
from ninja.errors import HttpError

from tadamon.fairs.models import Application, Edition
from tadamon.fairs.views.public import EXHIBITOR_STATUSES, PUBLIC_STATUSES

from . import schemas
from .registry import ERRORS, PAGE, REGION_PATTERN, organization_item, page_bounds

router = Router(tags=["fairs"])
router.add_decorator(cache_control(public=True, max_age=60), mode="view")

EDITION_ID = Path(..., ge=1, le=2**63 - 1, description="Edition id.")


def edition_item(request, edition):
    return {
        "id": edition.pk,
        "region": edition.region.code,
        "kind": edition.kind,
        "number": edition.number,
        "title_ar": edition.title_ar,
        "title_fr": edition.title_fr,
        "slogan_ar": edition.slogan_ar,
        "slogan_fr": edition.slogan_fr,
        "starts_on": edition.starts_on,
        "ends_on": edition.ends_on,
        "status": edition.status,
        "call_open": edition.call_is_open(),
        "call_closes_at": edition.call_closes_at,
        "url": request.build_absolute_uri(f"/ar/fairs/{edition.pk}/"),
    }


def public_edition(pk):
    edition = (Edition.objects.select_related("region").filter(pk=pk, status__in=PUBLIC_STATUSES).first())
    if edition is None:
        raise HttpError(404, _("Edition not found."))
    return edition


@router.get("/editions", operation_id="list_editions", response={200: schemas.EditionPage, **ERRORS},
            summary="Editions of fairs and events",
            description="Published editions (every status but draft), the latest first; `region` keeps one region.")
def list_editions(request, region: str = Query("", pattern=REGION_PATTERN, description="Region code, e.g. `03`."),
                  page: int = PAGE):
    limit, offset = page_bounds(page)
    with scopes_disabled():
        editions = Edition.objects.filter(status__in=PUBLIC_STATUSES).select_related("region").order_by(
            "-starts_on", "-pk")
        if region:
            editions = editions.filter(region__code=region)
        total = editions.count()
        items = [edition_item(request, e) for e in editions[offset:offset + limit]]
    return {"count": total, "items": items}


@router.get("/editions/{id}", operation_id="get_edition",
            response={200: schemas.EditionDetail, 404: schemas.Error, **ERRORS},
            summary="One edition with its poles and partners")
def get_edition(request, id: int = EDITION_ID):
    with scopes_disabled():
        edition = public_edition(id)
        poles = list(edition.poles.all())
        partners = list(edition.partners.select_related("institution"))
    return {
        **edition_item(request, edition),
        "description_ar": edition.description_ar,
        "description_fr": edition.description_fr,
        "venue_ar": edition.venue_name_ar,
        "venue_fr": edition.venue_name_fr,
        "venue_address": edition.venue_address,
        "area_m2": edition.area_m2,
        "opens_at": edition.opens_at.strftime("%H:%M") if edition.opens_at else None,
        "closes_at": edition.closes_at.strftime("%H:%M") if edition.closes_at else None,
        "selection_published": edition.selection_published_at is not None,
        "poles": [{"id": p.pk, "kind": p.kind, "name_ar": p.name_ar, "name_fr": p.name_fr,
                   "capacity": p.capacity, "stands": p.stands} for p in poles],
        "partners": [{"name_ar": x.institution.name_ar, "name_fr": x.institution.name_fr, "role": x.role,
                      "website": x.institution.website,
                      "logo": request.build_absolute_uri(x.institution.logo.url) if x.institution.logo else None}
                     for x in partners],
    }


@router.get("/editions/{id}/exhibitors", operation_id="list_exhibitors",
            response={200: schemas.ExhibitorPage, 404: schemas.Error, **ERRORS},
            summary="The exhibitors of an edition",
            description="Selected (and confirmed) exhibitors by Arabic name, once the selection is published; "
                        "404 before.")
def list_exhibitors(request, id: int = EDITION_ID, page: int = PAGE):
    limit, offset = page_bounds(page)
    with scopes_disabled():
        edition = public_edition(id)
        if edition.selection_published_at is None:
            raise HttpError(404, _("The exhibitors of this edition are not published yet."))
        applications = (Application.objects.filter(edition=edition, status__in=EXHIBITOR_STATUSES)
                        .select_related("pole", "organization__province", "organization__region",
                                        "organization__sector")
                        .order_by("organization__name_ar", "pk"))
        total = applications.count()
        items = [{**organization_item(request, a.organization), "pole": a.pole_id}
                 for a in applications[offset:offset + limit]]
    return {"count": total, "items": items}
