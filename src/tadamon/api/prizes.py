"""The prizes' public endpoints: prizes of the published editions, their categories and criteria,
and their winners once published (404 before, so that nobody reads a ranking still in deliberation).

Anonymous and read-only, like the fairs'. Draft prizes do not exist for the API; candidacies, jurors,
scores and comments are never exposed.
"""

from datetime import datetime

from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django_scopes import scopes_disabled
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from tadamon.fairs.views.public import PUBLIC_STATUSES as EDITION_STATUSES
from tadamon.prizes import services
from tadamon.prizes.models import Prize
from tadamon.prizes.views.public import PUBLIC_STATUSES

from . import schemas
from .registry import ERRORS, PAGE, REGION_PATTERN, organization_item, page_bounds

router = Router(tags=["prizes"])
router.add_decorator(cache_control(public=True, max_age=60), mode="view")

PRIZE_ID = Path(..., ge=1, le=2**63 - 1, description="Prize id.")


class CategoryItem(Schema):
    id: int
    name_ar: str = Field(examples=["الصناعة التقليدية"])
    name_fr: str = Field(examples=["Artisanat"])
    sector: str | None = Field(description="Key of the sector whose products compete (e.g. `handicrafts`); "
                                           "null: any product.")


class CriterionItem(Schema):
    name_ar: str
    name_fr: str
    weight: float = Field(description="Weight in the total.")
    max_points: int = Field(description="Scale: each juror gives 0 to this many points.")


class PrizeItem(Schema):
    id: int
    edition: int = Field(description="Id of the edition (see `/editions/{id}`).")
    region: str = Field(description="Region code, e.g. `03`.")
    title_ar: str = Field(examples=["جائزة الإبداع"])
    title_fr: str = Field(examples=["Prix de l'innovation"])
    status: str = Field(description="`candidacy`, `scoring`, `deliberation` or `published`.")
    candidacy_closes_at: datetime
    winners_published: bool
    url: str


class PrizePage(Schema):
    count: int
    items: list[PrizeItem] = Field(description=f"At most {schemas.PAGE_SIZE} prizes.")


class PrizeDetail(PrizeItem):
    description_ar: str
    description_fr: str
    categories: list[CategoryItem]
    criteria: list[CriterionItem]


class WinnerItem(Schema):
    category: int = Field(description="Id of the category.")
    rank: int = Field(description="1 for the first prize of the category.")
    organization: schemas.OrganizationItem
    certificate: str = Field(description="Address of the certificate's public verification page.")


class CategoryWinners(CategoryItem):
    winners: list[WinnerItem]


def prize_item(request, prize):
    return {"id": prize.pk, "edition": prize.edition_id, "region": prize.edition.region.code,
            "title_ar": prize.title_ar, "title_fr": prize.title_fr, "status": prize.status,
            "candidacy_closes_at": prize.candidacy_closes_at, "winners_published": prize.published_at is not None,
            "url": request.build_absolute_uri(f"/ar/prizes/{prize.pk}/")}


def category_item(category):
    return {"id": category.pk, "name_ar": category.name_ar, "name_fr": category.name_fr,
            "sector": category.sector.key if category.sector_id else None}


def public_prizes():
    return Prize.objects.filter(status__in=PUBLIC_STATUSES, edition__status__in=EDITION_STATUSES).select_related(
        "edition__region")


def public_prize(pk):
    prize = public_prizes().filter(pk=pk).first()
    if prize is None:
        raise HttpError(404, _("Prize not found."))
    return prize


@router.get("/prizes", operation_id="list_prizes", response={200: PrizePage, **ERRORS},
            summary="Prizes of the editions",
            description="Prizes whose candidacies have opened, the latest first; `region` keeps one region, "
                        "`edition` one edition.")
def list_prizes(request, region: str = Query("", pattern=REGION_PATTERN, description="Region code, e.g. `03`."),
                edition: int | None = Query(None, ge=1, le=2**63 - 1, description="Edition id."), page: int = PAGE):
    limit, offset = page_bounds(page)
    with scopes_disabled():
        prizes = public_prizes().order_by("-created_at", "-pk")
        if region:
            prizes = prizes.filter(edition__region__code=region)
        if edition:
            prizes = prizes.filter(edition_id=edition)
        total = prizes.count()
        items = [prize_item(request, p) for p in prizes[offset:offset + limit]]
    return {"count": total, "items": items}


@router.get("/prizes/{id}", operation_id="get_prize", response={200: PrizeDetail, 404: schemas.Error, **ERRORS},
            summary="One prize with its categories and criteria")
def get_prize(request, id: int = PRIZE_ID):
    with scopes_disabled():
        prize = public_prize(id)
        categories = [category_item(c) for c in prize.categories.select_related("sector")]
        criteria = [{"name_ar": c.name_ar, "name_fr": c.name_fr, "weight": float(c.weight), "max_points": c.max_points}
                    for c in prize.criteria.all()]
    return {**prize_item(request, prize), "description_ar": prize.description_ar,
            "description_fr": prize.description_fr, "categories": categories, "criteria": criteria}


@router.get("/prizes/{id}/categories", operation_id="list_prize_categories",
            response={200: list[CategoryItem], 404: schemas.Error, **ERRORS}, summary="The categories of a prize")
def list_categories(request, id: int = PRIZE_ID):
    with scopes_disabled():
        prize = public_prize(id)
        return [category_item(c) for c in prize.categories.select_related("sector")]


@router.get("/prizes/{id}/winners", operation_id="list_prize_winners",
            response={200: list[CategoryWinners], 404: schemas.Error, **ERRORS},
            summary="The published winners of a prize, by category",
            description="Each category with its winners in rank order, once the winners are published; 404 before.")
def list_winners(request, id: int = PRIZE_ID):
    with scopes_disabled():
        prize = public_prize(id)
        if prize.published_at is None:
            raise HttpError(404, _("The winners of this prize are not published yet."))
        out = []
        for category, awards in services.winners(prize):
            out.append({**category_item(category), "winners": [{
                "category": category.pk, "rank": a.rank,
                "organization": organization_item(request, a.candidacy.organization),
                "certificate": request.build_absolute_uri(a.get_absolute_url())} for a in awards]})
    return out
