"""The action plans' public endpoint: what the accountability pages show, as open data.

Anonymous and read-only. Each plan comes with its actions (owner, budget in MAD, status, progress,
milestones, indicators) and, for each action, the proposal it comes from and why it was retained.
No participant, author, contact person or comment is ever exposed.
"""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.views.decorators.cache import cache_control
from django_scopes import scopes_disabled
from ninja import Field, Query, Router, Schema

from tadamon.consult.models import Action, ActionPlan

from .registry import ERRORS, PAGE, REGION_PATTERN, page_bounds
from .schemas import PAGE_SIZE

router = Router(tags=["action plans"])
router.add_decorator(cache_control(public=True, max_age=60), mode="view")

ActionStatus = Literal[tuple(Action.Status.values)]


class MilestoneItem(Schema):
    title: str
    due_on: date
    done_on: date | None


class IndicatorItem(Schema):
    name: str
    unit: str
    target: Decimal
    reached: Decimal


class ActionItem(Schema):
    id: int
    title_ar: str
    title_fr: str
    owner_ar: str = Field(description="The partner institution that owns the action (Arabic).")
    owner_fr: str
    budget_mad: Decimal = Field(description="Budget in Moroccan dirhams.")
    status: ActionStatus
    progress: int = Field(description="Progress in %, from 0 to 100.")
    proposal_id: int | None = Field(description="The retained proposal the action comes from.")
    why_retained: str = Field(description="Why the proposal was retained, as staff wrote it.")
    milestones: list[MilestoneItem]
    indicators: list[IndicatorItem]


class PlanItem(Schema):
    id: int
    region: str = Field(description="Region code, e.g. `03`.")
    title_ar: str
    title_fr: str
    starts_on: date
    ends_on: date
    workshop_id: int = Field(description="The consultation workshop whose proposals the plan retained.")
    budget_mad: Decimal
    progress: int = Field(description="Mean progress of the actions, in %.")
    actions: list[ActionItem]
    url: str = Field(description="Absolute URL of the region's public accountability page (Arabic).")


class PlanPage(Schema):
    count: int
    items: list[PlanItem] = Field(description=f"At most {PAGE_SIZE} plans.")


def _action(action):
    proposal = action.proposal
    return {
        "id": action.pk, "title_ar": action.title_ar, "title_fr": action.title_fr,
        "owner_ar": action.owner.name_ar, "owner_fr": action.owner.name_fr, "budget_mad": action.budget_mad,
        "status": action.status, "progress": action.progress, "proposal_id": action.proposal_id,
        "why_retained": proposal.decision_reason if proposal else "",
        "milestones": [{"title": m.title, "due_on": m.due_on, "done_on": m.done_on} for m in action.milestones.all()],
        "indicators": [{"name": i.name, "unit": i.unit, "target": i.target, "reached": i.current}
                       for i in action.indicators.all()],
    }


@router.get("/action-plans", operation_id="list_action_plans", response={200: PlanPage, **ERRORS},
            summary="Regional action plans and where their actions stand",
            description="The action plans built from consultation workshops, the latest first; `region` keeps one "
                        "region.")
def list_action_plans(request, region: str = Query("", pattern=REGION_PATTERN, description="Region code, e.g. `03`."),
                      page: int = PAGE):
    limit, offset = page_bounds(page)
    with scopes_disabled():
        plans = ActionPlan.objects.select_related("region").order_by("-starts_on", "-pk")
        if region:
            plans = plans.filter(region__code=region)
        total = plans.count()
        items = []
        for plan in plans[offset:offset + limit]:
            actions = [_action(a) for a in Action.objects.filter(plan=plan).select_related("owner", "proposal")
                       .prefetch_related("milestones", "indicators")]
            items.append({
                "id": plan.pk, "region": plan.region.code, "title_ar": plan.title_ar, "title_fr": plan.title_fr,
                "starts_on": plan.starts_on, "ends_on": plan.ends_on, "workshop_id": plan.workshop_id,
                "budget_mad": sum((a["budget_mad"] for a in actions), Decimal(0)),
                "progress": round(sum(a["progress"] for a in actions) / len(actions)) if actions else 0,
                "actions": actions,
                "url": request.build_absolute_uri(f"/ar/accountability/{plan.region.slug}/"),
            })
    return {"count": total, "items": items}
