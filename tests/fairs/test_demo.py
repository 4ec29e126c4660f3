"""The demo's editions follow the seed articles; past ones list exhibitors, one waits for selection."""

from datetime import date

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from tadamon.fairs.models import Application, Edition


@pytest.fixture
def demo(db):
    call_command("load-demo", verbosity=0)
    with scopes_disabled():
        yield {e.title_fr: e for e in Edition.objects.select_related("region")}


def test_seed_editions(demo):
    with scopes_disabled():
        innovative = demo["1er Salon des coopératives innovantes"]
        assert (innovative.starts_on, innovative.ends_on, innovative.area_m2) == (
            date(2024, 2, 20), date(2024, 2, 24), 1500)
        exhibitors = innovative.applications.filter(status=Application.Status.CONFIRMED)
        assert exhibitors.count() == 80
        assert sum(a.outside_region for a in exhibitors.select_related("organization")) <= 5
        marrakech = Edition.objects.get(region__code="07", number=2)
        assert marrakech.area_m2 == 2000 and marrakech.applications.count() == 170
        fes = Edition.objects.get(region__code="03", number=3)
        assert fes.poles.get(kind="products").capacity == 260 and fes.poles.get(kind="products").stands == 130
        assert "السنغال" in fes.poles.get(kind="international").description_ar


def test_open_call_and_pending_selection(demo):
    with scopes_disabled():
        open_call = Edition.objects.get(region__code="03", number=4)
        assert open_call.call_is_open() and not open_call.applications.exists()
        pending = Edition.objects.get(region__code="07", number=3)
        assert pending.status == Edition.Status.CALL_CLOSED
        applications = pending.applications.all()
        assert applications.count() > pending.poles.get(accepts_applications=True).capacity
        assert all(a.score is not None and a.status == Application.Status.ELIGIBLE for a in applications)


def test_loading_twice_adds_nothing(demo):
    with scopes_disabled():
        before = Application.objects.count()
    call_command("load-demo", verbosity=0)
    with scopes_disabled():
        assert Application.objects.count() == before


def test_past_fairs_have_sales_and_visitors(demo):
    """The report, the comparison and the dashboard of the demo show figures: every day of the past
    fairs has declared sales and visitor counts, the demo cooperative has market orders."""
    from tadamon.fairs.models import Sale, VisitorCount
    from tadamon.registry.demo import DEMO_REPRESENTATIVE

    with scopes_disabled():
        for edition in Edition.objects.filter(status=Edition.Status.CLOSED, kind__in=["regional_fair",
                                                                                      "thematic_fair"]):
            days = (edition.ends_on - edition.starts_on).days + 1
            assert Sale.objects.filter(edition=edition).values("day").distinct().count() == days
            assert VisitorCount.objects.filter(edition=edition).values("day").distinct().count() == days
            assert not Sale.objects.filter(edition=edition, amount__lte=0).exists()
        assert not VisitorCount.objects.filter(edition__kind="communication_day").exists()
        market = Sale.objects.filter(source=Sale.Source.MARKET,
                                     organization__representations__user__email=DEMO_REPRESENTATIVE)
        assert market.count() == 2
    call_command("load-demo", verbosity=0)  # idempotent
    with scopes_disabled():
        assert Sale.objects.filter(source=Sale.Source.MARKET).count() == 2
