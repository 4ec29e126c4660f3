"""The action plans' endpoint: public, filtered by region, no personal data."""

from datetime import date
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from tadamon.consult import services

from ..consult.conftest import make_workshop


@pytest.fixture
def plans(fes, marrakech, fes_staff, plain_user):
    from tadamon.fairs.models import Institution

    owner = Institution.objects.create(name_ar="مكتب تنمية التعاون", name_fr="ODCO")
    out = {}
    for region in (fes, marrakech):
        workshop = make_workshop(region)
        with scopes_disabled():
            theme = workshop.themes.first()
            proposal = services.submit_proposal(workshop, theme=theme, title="مرصد", body="مرصد جهوي",
                                                author=plain_user)
            plan = services.create_plan(None, workshop, title_ar="خطة", title_fr="Plan", starts_on=date(2025, 6, 1),
                                        ends_on=date(2027, 12, 31))
            action = services.retain(None, proposal, reason="ضروري للتتبع", owner=owner,
                                     budget_mad=Decimal("450000"))
            services.add_milestone(None, action, title="إطلاق", due_on=date(2025, 9, 1))
            services.add_indicator(None, action, name="تقارير", target=Decimal(2), unit="تقرير")
            services.report_progress(None, action, body="بدأ العمل", progress=30, status="in_progress")
        out[region.code] = plan
    return out


@pytest.mark.django_db
def test_action_plans_by_region_without_personal_data(client, plans, plain_user):
    body = client.get("/api/v1/action-plans?region=03").json()
    assert body["count"] == 1
    plan = body["items"][0]
    assert plan["id"] == plans["03"].pk and plan["progress"] == 30 and plan["budget_mad"] in ("450000.00", 450000)
    action = plan["actions"][0]
    assert action["owner_fr"] == "ODCO" and action["why_retained"] == "ضروري للتتبع"
    assert action["milestones"][0]["due_on"] == "2025-09-01" and action["indicators"][0]["target"] in ("2.00", 2)
    assert plain_user.email not in str(body) and "author" not in str(body)
    assert client.get("/api/v1/action-plans").json()["count"] == 2
    assert client.get("/api/v1/action-plans?region=3x").status_code == 422
