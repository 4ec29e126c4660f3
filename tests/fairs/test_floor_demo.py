"""The demo's floor plan: Fès-Meknès's 3rd fair drawn as in the seed article, its confirmed exhibitors
placed and shown on the public map; loading the demo again changes nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from tadamon.fairs.floor_models import AllocationRun, PlanSpace, Stand, StandAssignment
from tadamon.fairs.models import Application, Edition


@pytest.fixture
def demo_fair(db):
    call_command("load-demo", verbosity=0)
    with scopes_disabled():
        return Edition.objects.get(region__code="03", number=3, kind=Edition.Kind.REGIONAL_FAIR)


def test_the_plan_of_fes_third_fair(demo_fair, client):
    with scopes_disabled():
        stands = Stand.objects.filter(edition=demo_fair)
        products = stands.filter(pole__kind="products")
        assert products.count() == 130 and {s.capacity for s in products} == {2}
        assert stands.filter(pole__kind="international").count() == 6
        assert stands.filter(pole__kind="institutional").count() == 10
        kinds = set(PlanSpace.objects.filter(edition=demo_fair).values_list("kind", flat=True))
        assert {"agora", "stage", "entrance", "information", "prayer", "toilets"} <= kinds
        confirmed = Application.objects.filter(edition=demo_fair, status=Application.Status.CONFIRMED)
        placed = StandAssignment.objects.filter(edition=demo_fair)
        assert placed.count() == confirmed.count() > 100
        assert demo_fair.floor_plan.published_at is not None
        assignment = placed.select_related("application__organization").first()
        before = (placed.count(), AllocationRun.objects.filter(edition=demo_fair).count())
    page = client.get(reverse("fairs:map_stand", args=[demo_fair.pk, assignment.stand_id]))
    assert page.status_code == 200 and assignment.application.organization.name_ar in page.content.decode()
    call_command("load-demo", verbosity=0)
    with scopes_disabled():
        assert (StandAssignment.objects.filter(edition=demo_fair).count(),
                AllocationRun.objects.filter(edition=demo_fair).count()) == before
        assert Stand.objects.filter(edition=demo_fair).count() == 146
