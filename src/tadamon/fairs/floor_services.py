"""Business operations on an edition's floor plan: areas, grids of stands, stands one by one, special
spaces, and the picture of the plan for staff and for visitors. Every change is logged.

Changes lock the edition's :class:`FloorPlan` row first, so that two people editing the same plan
(or an allocation being applied) are taken one after the other.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from tadamon.core import activity

from .floor_models import Area, FloorPlan, PlanSpace, Stand, StandAssignment
from .floorplan import MAX_GRID_STANDS, GridSpec, PlanItem, render_svg, stand_numbers

activity.register_actions({
    "floor.area_saved": gettext_lazy("floor plan area saved"),
    "floor.area_deleted": gettext_lazy("floor plan area deleted"),
    "floor.grid_generated": gettext_lazy("grid of stands generated"),
    "floor.stand_saved": gettext_lazy("stand saved"),
    "floor.stand_deleted": gettext_lazy("stand deleted"),
    "floor.space_saved": gettext_lazy("special space saved"),
    "floor.space_deleted": gettext_lazy("special space deleted"),
})

STAND_FIELDS = ["number", "pole", "area", "x", "y", "width", "depth", "capacity", "corner", "power", "water",
                "step_free", "zone"]
AREA_FIELDS = ["name_ar", "name_fr", "x", "y", "width", "depth"]
SPACE_FIELDS = ["kind", "name_ar", "name_fr", "area", "x", "y", "width", "depth"]


class PlanError(Exception):
    """A change the plan cannot take; the message says why, in the user's language."""


def lock_plan(edition):
    """The edition's plan row, created if needed and locked until the end of the transaction."""
    with scopes_disabled():
        plan, _created = FloorPlan.objects.get_or_create(edition=edition, defaults={"region_id": edition.region_id})
        return FloorPlan.objects.select_for_update().get(pk=plan.pk)


def plan_of(edition):
    with scopes_disabled():
        return FloorPlan.objects.filter(edition=edition).first()


def placements_published(edition):
    plan = plan_of(edition)
    return bool(plan and plan.published_at)


# ---- areas ---------------------------------------------------------------------------------------

@transaction.atomic
def save_area(actor, edition, area, *, request=None):
    """Create or update an area (a form's unsaved instance)."""
    lock_plan(edition)
    before = None
    if area.pk:
        with scopes_disabled():
            old = Area.objects.get(pk=area.pk)
        before = activity.snapshot(old, AREA_FIELDS)
    area.edition = edition
    area.region_id = edition.region_id
    area.save()
    activity.record(actor, "floor.area_saved", area, region=edition.region, before=before,
                    after=activity.snapshot(area, AREA_FIELDS), request=request)
    return area


@transaction.atomic
def delete_area(actor, area, *, request=None):
    """Delete an area; its stands and spaces stay on the plan, without an area."""
    lock_plan(area.edition)
    before = activity.snapshot(area, AREA_FIELDS)
    activity.record(actor, "floor.area_deleted", area, region=area.edition.region, before=before, request=request)
    area.delete()


# ---- stands --------------------------------------------------------------------------------------

def _overlapping(edition, rects, exclude_stand=None):
    """The first existing stand or space that one of ``rects`` would overlap, or None."""
    with scopes_disabled():
        stands = Stand.objects.filter(edition=edition)
        if exclude_stand is not None:
            stands = stands.exclude(pk=exclude_stand)
        others = list(stands) + list(PlanSpace.objects.filter(edition=edition))
    for rect in rects:
        for other in others:
            if _overlaps(rect, other):
                return other
    return None


def _overlaps(a, b, margin=0.01):
    return (a["x"] < b.x + b.width - margin and b.x < a["x"] + a["width"] - margin
            and a["y"] < b.y + b.depth - margin and b.y < a["y"] + a["depth"] - margin)


@transaction.atomic
def generate_grid(actor, edition, *, pole, spec, area=None, prefix="", start=1, capacity=2, power=True,
                  water=False, step_free=True, zone=None, request=None):
    """Lay out ``spec.rows`` × ``spec.columns`` stands of ``pole`` in ``area`` (offsets from its corner).

    Refused, with nothing written, when the grid does not fit in the area, overlaps a stand or a
    space already drawn, or would reuse a stand number.
    """
    if spec.rows < 1 or spec.columns < 1:
        raise PlanError(_("A grid needs at least one row and one column."))
    if spec.count > MAX_GRID_STANDS:
        raise PlanError(_("At most %(n)s stands per grid.") % {"n": MAX_GRID_STANDS})
    if pole.edition_id != edition.pk:
        raise PlanError(_("This pole belongs to another edition."))
    lock_plan(edition)
    origin_x, origin_y = (area.x, area.y) if area is not None else (0.0, 0.0)
    if area is not None:
        if area.edition_id != edition.pk:
            raise PlanError(_("This area belongs to another edition."))
        if spec.x + spec.width > area.width + 0.01 or spec.y + spec.depth > area.depth + 0.01:
            raise PlanError(_("The grid does not fit in the area: it needs %(w)s × %(d)s m from its starting "
                              "point, the area is %(aw)s × %(ad)s m.")
                            % {"w": round(spec.x + spec.width, 2), "d": round(spec.y + spec.depth, 2),
                               "aw": area.width, "ad": area.depth})
    cells = spec.cells(origin_x, origin_y)
    clash = _overlapping(edition, cells)
    if clash is not None:
        raise PlanError(_("The grid would overlap “%(name)s”. Move its starting point or make it smaller.")
                        % {"name": clash.number if isinstance(clash, Stand) else clash.name})
    numbers = stand_numbers(prefix, start, len(cells))
    with scopes_disabled():
        taken = set(Stand.objects.filter(edition=edition, number__in=numbers).values_list("number", flat=True))
    if taken:
        raise PlanError(_("These stand numbers are already used: %(numbers)s. Choose another prefix or first "
                          "number.") % {"numbers": ", ".join(sorted(taken)[:10])})
    stands = [Stand(edition=edition, region_id=edition.region_id, area=area, pole=pole, number=number,
                    x=cell["x"], y=cell["y"], width=cell["width"], depth=cell["depth"], capacity=capacity,
                    corner=cell["corner"], power=power, water=water, step_free=step_free, zone=zone)
             for number, cell in zip(numbers, cells, strict=True)]
    try:
        with transaction.atomic():
            Stand.objects.bulk_create(stands)
    except IntegrityError:
        raise PlanError(_("These stand numbers are already used. Choose another prefix or first number."))
    activity.record(actor, "floor.grid_generated", edition, after={
        "pole": str(pole), "area": str(area) if area else None, "rows": spec.rows, "columns": spec.columns,
        "stand": [spec.stand_width, spec.stand_depth], "aisle": spec.aisle, "first": numbers[0],
        "last": numbers[-1], "count": len(numbers)}, request=request)
    return len(stands)


@transaction.atomic
def save_stand(actor, edition, stand, *, request=None):
    """Create or update one stand (a form's unsaved instance)."""
    lock_plan(edition)
    before = None
    if stand.pk:
        with scopes_disabled():
            old = Stand.objects.get(pk=stand.pk)
            before = activity.snapshot(old, STAND_FIELDS)
            placed = StandAssignment.objects.filter(stand=stand).select_related("application")
            if stand.pole_id != old.pole_id and placed.exists():
                raise PlanError(_("Exhibitors are placed on this stand: move them before changing its pole."))
            if placed.count() > stand.capacity:
                raise PlanError(_("%(n)s exhibitors are placed on this stand: its capacity cannot be smaller.")
                                % {"n": placed.count()})
    if stand.pole.edition_id != edition.pk:
        raise PlanError(_("This pole belongs to another edition."))
    rect = {"x": stand.x, "y": stand.y, "width": stand.width, "depth": stand.depth}
    clash = _overlapping(edition, [rect], exclude_stand=stand.pk)
    if clash is not None:
        raise PlanError(_("The stand would overlap “%(name)s”.")
                        % {"name": clash.number if isinstance(clash, Stand) else clash.name})
    stand.edition = edition
    stand.region_id = edition.region_id
    try:
        with transaction.atomic():
            stand.save()
    except IntegrityError:
        raise PlanError(_("The number %(n)s is already used by another stand.") % {"n": stand.number})
    activity.record(actor, "floor.stand_saved", stand, region=edition.region, before=before,
                    after=activity.snapshot(stand, STAND_FIELDS), request=request)
    return stand


@transaction.atomic
def delete_stand(actor, stand, *, request=None):
    lock_plan(stand.edition)
    with scopes_disabled():
        if StandAssignment.objects.filter(stand=stand).exists():
            raise PlanError(_("Exhibitors are placed on this stand: move them before deleting it."))
    activity.record(actor, "floor.stand_deleted", stand, region=stand.edition.region,
                    before=activity.snapshot(stand, STAND_FIELDS), request=request)
    stand.delete()


# ---- special spaces ------------------------------------------------------------------------------

@transaction.atomic
def save_space(actor, edition, space, *, request=None):
    lock_plan(edition)
    before = None
    if space.pk:
        with scopes_disabled():
            before = activity.snapshot(PlanSpace.objects.get(pk=space.pk), SPACE_FIELDS)
    rect = {"x": space.x, "y": space.y, "width": space.width, "depth": space.depth}
    with scopes_disabled():
        for stand in Stand.objects.filter(edition=edition):
            if _overlaps(rect, stand):
                raise PlanError(_("The space would overlap the stand %(n)s.") % {"n": stand.number})
    space.edition = edition
    space.region_id = edition.region_id
    space.save()
    activity.record(actor, "floor.space_saved", space, region=edition.region, before=before,
                    after=activity.snapshot(space, SPACE_FIELDS), request=request)
    return space


@transaction.atomic
def delete_space(actor, space, *, request=None):
    lock_plan(space.edition)
    activity.record(actor, "floor.space_deleted", space, region=space.edition.region,
                    before=activity.snapshot(space, SPACE_FIELDS), request=request)
    space.delete()


# ---- the picture ---------------------------------------------------------------------------------

def plan_data(edition):
    """Areas, spaces, stands (with pole and zone) and the placements of an edition, read once."""
    with scopes_disabled():
        poles = list(edition.poles.all())
        areas = list(Area.objects.filter(edition=edition))
        spaces = list(PlanSpace.objects.filter(edition=edition))
        stands = list(Stand.objects.filter(edition=edition).select_related("pole", "area", "zone"))
        placements = {}
        for assignment in (StandAssignment.objects.filter(edition=edition)
                           .select_related("application__organization__province", "application__organization__sector",
                                           "application__pole")
                           .prefetch_related("application__products")
                           .order_by("application__organization__name_ar")):
            placements.setdefault(assignment.stand_id, []).append(assignment)
    return {"poles": poles, "areas": areas, "spaces": spaces, "stands": stands, "placements": placements,
            "pole_index": {p.pk: i for i, p in enumerate(poles)}}


def plan_svg(edition, data, *, href=None, highlight=(), selected=None, show_occupants=True, title=""):
    """The SVG of the plan. ``href(stand)`` gives each stand's link; ``highlight`` stands get the class
    ``match``, ``selected`` the class ``selected``; ``show_occupants`` names exhibitors in tooltips."""
    from django.utils.translation import get_language

    highlight = set(highlight)
    areas = [PlanItem(a.pk, a.x, a.y, a.width, a.depth, a.name) for a in data["areas"]]
    spaces = [PlanItem(s.pk, s.x, s.y, s.width, s.depth, s.name, kind=s.kind, title=str(s.get_kind_display()))
              for s in data["spaces"]]
    stands = []
    for stand in data["stands"]:
        occupants = data["placements"].get(stand.pk, []) if show_occupants else []
        classes = ["occupied" if occupants else "empty"]
        if stand.pk in highlight:
            classes.append("match")
        if selected is not None and stand.pk == selected:
            classes.append("selected")
        names = "، ".join(str(a.application.organization.name) for a in occupants) if occupants else ""
        label_title = _("Stand %(n)s") % {"n": stand.number} + (f" — {names}" if names else "")
        stands.append(PlanItem(stand.pk, stand.x, stand.y, stand.width, stand.depth, stand.number,
                               pole_index=data["pole_index"].get(stand.pole_id, 0),
                               href=href(stand) if href else "", title=label_title, classes=tuple(classes)))
    return render_svg(areas=areas, spaces=spaces, stands=stands, title=title or str(edition.title),
                      language=(get_language() or "ar")[:2])


def pole_summary(edition, data):
    """Per pole: stands, places (sum of capacities), exhibitors to place, placed."""
    from .placement import exhibitors_to_place

    rows = []
    exhibitors = list(exhibitors_to_place(edition))
    placed = {a.application_id for group in data["placements"].values() for a in group}
    for index, pole in enumerate(data["poles"]):
        stands = [s for s in data["stands"] if s.pole_id == pole.pk]
        mine = [a for a in exhibitors if a.pole_id == pole.pk]
        rows.append({"pole": pole, "index": index % 7, "stands": len(stands),
                     "places": sum(s.capacity for s in stands), "exhibitors": len(mine),
                     "placed": sum(1 for a in mine if a.pk in placed)})
    return rows


def grid_spec_from(cleaned):
    return GridSpec(rows=cleaned["rows"], columns=cleaned["columns"], stand_width=cleaned["stand_width"],
                    stand_depth=cleaned["stand_depth"], aisle=cleaned["aisle"], x=cleaned["x"], y=cleaned["y"],
                    back_to_back=cleaned["back_to_back"], cross_aisle_every=cleaned["cross_aisle_every"] or 0)
