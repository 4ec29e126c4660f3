"""The demo floor plan: Fès-Meknès's 3rd regional SSE fair at the horse-racing grounds of Fès.

A big tent holds the products pole (130 stands for two exhibitors each, in a grid of ten rows
back to back with a cross aisle), the AGORA, the stage and the training room; a pavilion holds the
international cooperation pole (6 stands) and the institutional pole (10 stands); the entrance, the
information desk, the prayer room and the toilets line the front. The confirmed exhibitors are then
placed by the allocation and the placements published, so that the public map shows them.

Idempotent: an edition that already has stands keeps its plan; one whose exhibitors are already placed
is not allocated again.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.core.models import Region
from tadamon.registry.models import Sector

from . import placement
from .floor_models import AllocationRun, Area, FloorPlan, PlanSpace, Stand, StandAssignment
from .floorplan import GridSpec, stand_numbers
from .models import Edition

TITLE_FR = "3e Salon régional de l'économie sociale et solidaire"
STAFF = "fes@tadamon.ma"

AREAS = [
    ("tent", "الخيمة الكبرى", "Grand chapiteau", 0, 0, 72, 50),
    ("pavilion", "رواق التعاون والمؤسسات", "Pavillon coopération et institutions", 0, 54, 72, 16),
]
#: (pole kind, area, prefix, grid, capacity); grid offsets are from the area's corner.
GRIDS = [
    ("products", "tent", "P", GridSpec(rows=10, columns=13, stand_width=3, stand_depth=3, aisle=3, x=3, y=4,
                                       cross_aisle_every=7), 2),
    ("international", "pavilion", "I", GridSpec(rows=1, columns=6, stand_width=4, stand_depth=4, aisle=3, x=3,
                                                y=6), 2),
    ("institutional", "pavilion", "N", GridSpec(rows=2, columns=5, stand_width=4, stand_depth=3, aisle=3, x=34,
                                                y=5), 2),
]
SPACES = [
    ("agora", "tent", "فضاء أكورا", "Espace AGORA", 50, 4, 18, 14),
    ("stage", "tent", "المنصة", "Scène", 50, 21, 18, 10),
    ("training", "tent", "قاعة التكوين", "Salle de formation", 50, 34, 18, 12),
    ("entrance", None, "المدخل الرئيسي", "Entrée principale", 28, 72, 16, 4),
    ("information", None, "مكتب الاستعلامات", "Accueil et information", 19, 72, 8, 4),
    ("prayer", None, "قاعة الصلاة", "Salle de prière", 50, 72, 9, 5),
    ("toilets", None, "المرافق الصحية", "Toilettes", 61, 72, 9, 5),
]
#: Sector zones of the products pole: the first stands of the tent go to terroir products, then crafts.
ZONES = [("terroir", 1, 26), ("handicrafts", 27, 52), ("textile", 53, 65)]


def _edition():
    region = Region.objects.filter(code="03").first()
    if region is None:
        return None
    return Edition.objects.filter(region=region, title_fr=TITLE_FR).first()


@transaction.atomic
def _draw(edition):
    """Areas, grids and spaces; returns the number of stands made (0 when the plan already exists)."""
    if Stand.objects.filter(edition=edition).exists():
        return 0
    FloorPlan.objects.get_or_create(edition=edition, defaults={"region_id": edition.region_id})
    areas = {}
    for position, (key, ar, fr, x, y, width, depth) in enumerate(AREAS):
        areas[key] = Area.objects.create(edition=edition, region_id=edition.region_id, name_ar=ar, name_fr=fr, x=x,
                                         y=y, width=width, depth=depth, position=position)
    poles = {p.kind: p for p in edition.poles.all()}
    sectors = {s.key: s for s in Sector.objects.all()}
    stands = []
    for kind, area_key, prefix, spec, capacity in GRIDS:
        pole, area = poles.get(kind), areas[area_key]
        if pole is None:
            continue
        cells = spec.cells(area.x, area.y)
        for number, cell in zip(stand_numbers(prefix, 1, len(cells)), cells, strict=True):
            zone = None
            if kind == "products":
                index = int(number[len(prefix):])
                zone = next((sectors.get(key) for key, first, last in ZONES if first <= index <= last), None)
            stands.append(Stand(edition=edition, region_id=edition.region_id, area=area, pole=pole, number=number,
                                x=cell["x"], y=cell["y"], width=cell["width"], depth=cell["depth"],
                                capacity=capacity, corner=cell["corner"], power=True, water=kind == "products"
                                and cell["corner"], step_free=True, zone=zone))
    Stand.objects.bulk_create(stands)
    for kind, area_key, ar, fr, x, y, width, depth in SPACES:
        PlanSpace.objects.create(edition=edition, region_id=edition.region_id, kind=kind,
                                 area=areas[area_key] if area_key else None, name_ar=ar, name_fr=fr, x=x, y=y,
                                 width=width, depth=depth)
    return len(stands)


def load_floor_demo():
    """Draw the plan of Fès-Meknès's 3rd fair and place its confirmed exhibitors; a one-line summary."""
    with scopes_disabled():
        edition = _edition()
        if edition is None:
            return "floor plan demo: no edition"
        made = _draw(edition)
        placed = StandAssignment.objects.filter(edition=edition).count()
        if not placed and placement.exhibitors_to_place(edition).exists():
            staff = get_user_model().objects.filter(email=STAFF).first()
            # A few seconds of the solver place exhibitors of a sector together and in their zones; should
            # it fail on a slow machine, first come, first placed.
            for method, seconds in (("solve", 3), ("greedy", 10)):
                run = AllocationRun.objects.create(edition=edition, region_id=edition.region_id, created_by=staff,
                                                   method=method, time_limit=seconds)
                run = placement.execute_run(run.pk)
                if run is not None and run.applied:
                    break
            placed = StandAssignment.objects.filter(edition=edition).count()
            if placed:
                # A past fair: published before it opened, the exhibitors were told then (no messages now).
                placement.publish(staff, edition, send_messages=False)
                FloorPlan.objects.filter(edition=edition).update(published_at=timezone.make_aware(
                    datetime.combine(edition.starts_on - timedelta(days=5), time(12))))
    return f"floor plan demo: {made} stands drawn, {placed} exhibitors placed"
