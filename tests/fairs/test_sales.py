"""The fair's operations: daily sales (bad input refused, large amounts confirmed, corrections logged,
resends counted once), market sales through the signal, visitor counts (one per gate and hour),
incidents; and who may use the screens."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_scopes import scopes_disabled

from tadamon.core.models import ActivityLog
from tadamon.core.signals import sale_recorded
from tadamon.fairs import sales
from tadamon.fairs.models import Application, Incident, Sale, VisitorCount

from .sales_fixtures import running_fair_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def _log(action):
    with scopes_disabled():
        return list(ActivityLog.objects.filter(action=action))


def test_declare_then_correct_logs_both(running_fair):
    user, org, application = running_fair["exhibitors"][0]
    today = running_fair["today"]
    sale, outcome = sales.declare_sales(user, application, today, "1250,50", [{"name": "زربية", "quantity": 2}])
    assert outcome == "created" and sale.amount == Decimal("1250.50") and sale.quantity == 2
    sale, outcome = sales.declare_sales(user, application, today, "1400")
    assert outcome == "corrected" and sale.amount == Decimal("1400.00")
    with scopes_disabled():
        assert Sale.objects.filter(organization=org).count() == 1
    corrected = _log("sales.corrected")
    assert corrected[0].before["amount"] == "1250.50" and corrected[0].after["amount"] == "1400.00"
    assert len(_log("sales.declared")) == 1


def test_the_same_form_sent_twice_counts_once(running_fair):
    user, org, application = running_fair["exhibitors"][0]
    day = running_fair["today"] - timedelta(days=1)
    sales.declare_sales(user, application, day, "900", client_key="k1")
    _sale, outcome = sales.declare_sales(user, application, day, "900", client_key="k1")
    assert outcome == "unchanged"
    with scopes_disabled():
        assert Sale.objects.filter(organization=org).count() == 1
    assert not _log("sales.corrected")


@pytest.mark.parametrize(("amount", "message"), [
    ("-10", "negative"), ("5000000", "more than a stand"), ("abc", "digits"), ("NaN", "digits")])
def test_bad_amounts_are_refused_and_nothing_changes(running_fair, english, amount, message):
    user, org, application = running_fair["exhibitors"][0]
    with pytest.raises(sales.OperationError, match=message):
        sales.declare_sales(user, application, running_fair["today"], amount)
    with scopes_disabled():
        assert not Sale.objects.exists()
    assert not _log("sales.declared")


def test_a_large_amount_needs_confirmation(running_fair, english):
    user, _org, application = running_fair["exhibitors"][0]
    with pytest.raises(sales.NeedsConfirmation, match="confirm"):
        sales.declare_sales(user, application, running_fair["today"], "45000")
    sale, outcome = sales.declare_sales(user, application, running_fair["today"], "45000", confirmed=True)
    assert outcome == "created" and sale.amount == 45000


def test_days_outside_the_fair_and_future_days_are_refused(running_fair, english):
    user, _org, application = running_fair["exhibitors"][0]
    edition = running_fair["edition"]
    with pytest.raises(sales.OperationError, match="not a day of the fair"):
        sales.declare_sales(user, application, edition.starts_on - timedelta(days=1), "100")
    with pytest.raises(sales.OperationError, match="has not come yet"):
        sales.declare_sales(user, application, running_fair["today"] + timedelta(days=1), "100")
    with scopes_disabled():
        assert not Sale.objects.exists()


def test_only_exhibitors_declare(running_fair, english):
    user, _org, application = running_fair["exhibitors"][0]
    with scopes_disabled():
        Application.objects.filter(pk=application.pk).update(status=Application.Status.WITHDRAWN)
        application.refresh_from_db()
    with pytest.raises(sales.OperationError, match="Only exhibitors"):
        sales.declare_sales(user, application, running_fair["today"], "100")


def test_the_database_refuses_a_negative_amount_and_a_second_declaration(running_fair):
    _user, org, application = running_fair["exhibitors"][0]
    edition, today = running_fair["edition"], running_fair["today"]
    with scopes_disabled():
        with pytest.raises(IntegrityError), transaction.atomic():
            Sale.objects.create(region_id=edition.region_id, edition=edition, organization=org, day=today,
                                amount=Decimal("-1"))
        Sale.objects.create(region_id=edition.region_id, edition=edition, organization=org, day=today, amount=1)
        with pytest.raises(IntegrityError), transaction.atomic():
            Sale.objects.create(region_id=edition.region_id, edition=edition, organization=org, day=today, amount=2)


def test_market_sales_arrive_through_the_signal_once(running_fair):
    _user, org, _application = running_fair["exhibitors"][1]
    edition, today = running_fair["edition"], running_fair["today"]
    for _ in range(2):
        sale_recorded.send(sender=None, organization=org, edition=edition, day=today, amount=Decimal("320"),
                           lines=[("عسل الزعتر", 2)], reference="order-17")
    with scopes_disabled():
        rows = list(Sale.objects.filter(source=Sale.Source.MARKET))
    assert len(rows) == 1
    assert rows[0].amount == 320 and rows[0].lines == [{"name": "عسل الزعتر", "quantity": 2}]
    assert rows[0].region_id == edition.region_id
    # The exhibitor's own declaration of the same day is a separate figure.
    user, _org, application = running_fair["exhibitors"][1]
    sales.declare_sales(user, application, today, "500")
    with scopes_disabled():
        assert Sale.objects.filter(organization=org).count() == 2
    assert len(_log("sales.market_recorded")) == 1


def test_visitor_counts_are_unique_per_gate_and_hour(running_fair, fes_staff, english):
    edition, today = running_fair["edition"], running_fair["today"]
    sales.record_visitors(fes_staff, edition, today, "Main gate", 11, 240)
    with pytest.raises(sales.OperationError, match="already counted"):
        sales.record_visitors(fes_staff, edition, today, " Main   gate ", 11, 300)
    sales.record_visitors(fes_staff, edition, today, "Main gate", 12, 180)
    with scopes_disabled():
        assert sorted(VisitorCount.objects.values_list("count", flat=True)) == [180, 240]
        with pytest.raises(IntegrityError), transaction.atomic():
            VisitorCount.objects.create(edition=edition, day=today, gate="Main gate", hour=11, count=1)
    with pytest.raises(sales.OperationError, match="not possible"):
        sales.record_visitors(fes_staff, edition, today, "Main gate", 13, 999999)
    with pytest.raises(sales.OperationError, match="not a day of the fair"):
        sales.record_visitors(fes_staff, edition, edition.ends_on + timedelta(days=3), "Main gate", 13, 10)


def test_a_correction_needs_a_reason_and_is_logged(running_fair, fes_staff, english):
    edition, today = running_fair["edition"], running_fair["today"]
    row = sales.record_visitors(fes_staff, edition, today, "Main gate", 11, 240)
    with pytest.raises(sales.OperationError, match="why"):
        sales.correct_visitors(fes_staff, row, 260, "  ")
    sales.correct_visitors(fes_staff, row, 260, "counter reset at 11:30")
    row.refresh_from_db()
    assert row.count == 260
    entry = _log("visitors.corrected")[0]
    assert entry.before == {"count": 240} and entry.after == {"count": 260} and entry.reason


def test_incidents_are_noted_and_closed(running_fair, fes_staff):
    incident = sales.report_incident(fes_staff, running_fair["edition"], running_fair["today"], "technical",
                                     "انقطاع الكهرباء")
    assert sales.resolve_incident(fes_staff, incident) is True
    assert sales.resolve_incident(fes_staff, incident) is False
    with scopes_disabled():
        assert Incident.objects.get().resolved
    assert len(_log("incident.resolved")) == 1


# ---- screens ---------------------------------------------------------------------------------------

def test_exhibitor_declares_on_the_page_and_as_json(running_fair, client_for):
    user, org, application = running_fair["exhibitors"][0]
    client = client_for(user)
    url = reverse("fairs:sales_declare", args=[application.pk])
    assert client.get(url).status_code == 200
    day = running_fair["today"].isoformat()
    response = client.post(url, {"day": day, "amount": "700", "client_key": "a"})
    assert response.status_code == 302
    response = client.post(url, {"day": day, "amount": "50000", "client_key": "b"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and response.json()["needs_confirmation"] is True
    response = client.post(url, {"day": day, "amount": "50000", "confirm": "on", "client_key": "b"},
                           HTTP_ACCEPT="application/json")
    assert response.json()["ok"] is True and response.json()["outcome"] == "corrected"
    with scopes_disabled():
        assert Sale.objects.get(organization=org).amount == 50000
    history = client.get(reverse("fairs:my_sales"))
    assert "50000" in history.content.decode()


def test_sales_pages_belong_to_the_exhibitor(running_fair, client, client_for, plain_user):
    _user, _org, application = running_fair["exhibitors"][0]
    other, _o, _a = running_fair["exhibitors"][1]
    url = reverse("fairs:sales_declare", args=[application.pk])
    assert client.get(url).status_code == 302  # anonymous: log in
    assert client_for(other).get(url).status_code == 404
    assert client_for(plain_user).post(url, {"day": running_fair["today"].isoformat(), "amount": "5"}).status_code \
        == 404
    with scopes_disabled():
        assert not Sale.objects.exists()


def test_operations_screen_permissions(running_fair, client, client_for, fes_staff, fes_partner, marrakech_staff):
    edition = running_fair["edition"]
    page = reverse("fairs:manage_operations", args=[edition.pk])
    add = reverse("fairs:manage_visitors_add", args=[edition.pk])
    data = {"day": running_fair["today"].isoformat(), "gate": "Main gate", "hour": 10, "count": 120}
    assert client.get(page).status_code == 302
    assert client_for(fes_partner).get(page).status_code == 200
    assert client_for(fes_partner).post(add, data).status_code == 403
    assert client_for(marrakech_staff).get(page).status_code == 404
    assert client_for(marrakech_staff).post(add, data).status_code == 404
    with scopes_disabled():
        assert not VisitorCount.objects.exists()
    assert client_for(fes_staff).post(add, data).status_code == 302
    response = client_for(fes_staff).post(add, data, follow=True)  # the same gate and hour again
    assert response.status_code == 200
    with scopes_disabled():
        assert VisitorCount.objects.get().count == 120
    assert client_for(fes_staff).get(page).status_code == 200
