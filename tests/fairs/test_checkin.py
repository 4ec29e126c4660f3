"""Check-in at the fair: arrivals and departures per badge and day, idempotent on double scans, codes
read in every form, the live count per pole, the absent exhibitors with their phones, and the screens."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.fairs import badges, checkin, placement
from tadamon.fairs.floor_models import Attendance, Badge

from .floor_fixtures import arabic, fair_fixture  # noqa: F401


@pytest.fixture
def badged(fair, fes_staff):
    """The fair placed and published, every exhibitor with its badges."""
    placement.start_run(fes_staff, fair["edition"], time_limit=10)
    placement.publish(fes_staff, fair["edition"])
    with scopes_disabled():
        fair["badges"] = badges.edition_badges(fair["edition"])
    return fair


def _badge_of(fair, application):
    return next(b for b in fair["badges"] if b.application_id == application.pk)


@pytest.mark.usefixtures("english")
def test_double_scan_of_an_arrival_records_it_once(badged, fes_staff):
    edition, badge = badged["edition"], badged["badges"][0]
    first = checkin.scan(fes_staff, edition, badge.code)
    assert first.ok and first.changed
    again = checkin.scan(fes_staff, edition, badge.grouped_code.lower())
    assert again.ok and not again.changed and "already" in again.message
    with scopes_disabled():
        rows = list(Attendance.objects.filter(badge=badge))
    assert len(rows) == 1 and rows[0].arrived_at == first.attendance.arrived_at and rows[0].left_at is None
    assert rows[0].day == timezone.localdate() and rows[0].arrived_by == fes_staff


def test_departure_once_then_back(badged, fes_staff):
    edition, badge = badged["edition"], badged["badges"][1]
    nothing = checkin.scan(fes_staff, edition, badge.code, checkin.DEPARTURE)
    assert not nothing.ok
    with scopes_disabled():
        assert not Attendance.objects.filter(badge=badge).exists()
    checkin.scan(fes_staff, edition, badge.code)
    left = checkin.scan(fes_staff, edition, badge.code, checkin.DEPARTURE)
    assert left.ok and left.changed
    twice = checkin.scan(fes_staff, edition, badge.code, checkin.DEPARTURE)
    assert twice.ok and not twice.changed
    with scopes_disabled():
        assert Attendance.objects.get(badge=badge).left_at == left.attendance.left_at
    back = checkin.scan(fes_staff, edition, badge.code)
    assert back.changed
    with scopes_disabled():
        assert Attendance.objects.get(badge=badge).left_at is None


def test_each_day_has_its_own_record(badged, fes_staff):
    edition, badge = badged["edition"], badged["badges"][2]
    now = timezone.now()
    checkin.scan(fes_staff, edition, badge.code, now=now)
    checkin.scan(fes_staff, edition, badge.code, now=now + timedelta(days=1))
    with scopes_disabled():
        assert Attendance.objects.filter(badge=badge).count() == 2


def test_unknown_replaced_and_foreign_codes_are_refused(badged, fes_staff, marrakech):
    from datetime import date

    from tadamon.fairs.models import Edition

    edition, badge = badged["edition"], badged["badges"][0]
    assert not checkin.scan(fes_staff, edition, "AAAA-BBBB-CCCC").ok
    assert not checkin.scan(fes_staff, edition, "").ok
    with scopes_disabled():
        other = Edition.objects.create(region=marrakech, title_ar="م", title_fr="M", starts_on=date.today(),
                                       ends_on=date.today())
        assert not checkin.scan(fes_staff, other, badge.code).ok
        Badge.objects.filter(pk=badge.pk).update(active=False)
    assert not checkin.scan(fes_staff, edition, badge.code).ok
    url_form = checkin.scan(fes_staff, edition, f"https://x.ma/manage/fairs/checkin/{badged['badges'][1].code}/")
    assert url_form.ok and url_form.changed


def test_presence_counts_per_pole_and_lists_the_absent_with_phones(badged, fes_staff):
    edition, apps = badged["edition"], badged["applications"]
    checkin.scan(fes_staff, edition, _badge_of(badged, apps[0]).code)
    checkin.scan(fes_staff, edition, _badge_of(badged, apps[1]).code)
    checkin.scan(fes_staff, edition, _badge_of(badged, apps[1]).code, checkin.DEPARTURE)
    presence = checkin.presence(edition)
    assert presence["expected"] == 6 and presence["present"] == 1
    pole = presence["poles"][0]
    assert pole["pole"] == badged["products"] and pole["present"] == 1 and pole["left"] == 1
    absent = {row["application"].pk: row for row in presence["absent"]}
    assert set(absent) == {a.pk for a in apps[2:]}
    row = absent[apps[2].pk]
    assert row["phones"] == ["0535000002", "0612345602"]  # the organization's, then its representative's
    assert row["stand"].startswith("P")


def test_scan_screen_answers_json_and_forms(client, badged, fes_staff):
    edition, badge = badged["edition"], badged["badges"][0]
    client.force_login(fes_staff)
    url = reverse("fairs:manage_checkin_scan", args=[edition.pk])
    answer = client.post(url, {"code": badge.code, "direction": "arrival"}, HTTP_ACCEPT="application/json").json()
    assert answer["ok"] and answer["changed"]
    answer = client.post(url, {"code": badge.code, "direction": "arrival"}, HTTP_ACCEPT="application/json").json()
    assert answer["ok"] and not answer["changed"]
    bad = client.post(url, {"code": "", "direction": "arrival"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and not bad.json()["ok"]
    page = client.post(url, {"code": badged["badges"][1].grouped_code, "direction": "arrival"}, follow=True)
    assert page.status_code == 200 and badged["badges"][1].name in page.content.decode()
    with scopes_disabled():
        assert Attendance.objects.filter(edition=edition).count() == 2
    screen = client.get(reverse("fairs:manage_checkin", args=[edition.pk])).content.decode()
    assert "BarcodeDetector" not in screen and "checkin.js" in screen and 'name="code"' in screen
    assert "tel:" in screen
    fragment = client.get(reverse("fairs:manage_checkin_presence", args=[edition.pk])).content.decode()
    assert "every 10s" in fragment and "<html" not in fragment


def test_badge_page_shows_the_person_and_records_with_buttons(client, badged, fes_staff, fes_partner,
                                                               marrakech_staff):
    edition, badge = badged["edition"], badged["badges"][0]
    url = reverse("fairs:checkin_badge", args=[badge.code])
    client.force_login(fes_partner)
    page = client.get(url).content.decode()
    assert badge.name in page and 'value="departure"' not in page  # partners read, do not record
    client.force_login(marrakech_staff)
    assert client.get(url).status_code == 404
    client.force_login(fes_staff)
    page = client.get(url).content.decode()
    assert 'value="arrival"' in page
    client.post(reverse("fairs:manage_checkin_scan", args=[edition.pk]), {"code": badge.code, "direction": "arrival"})
    assert "Not arrived today" not in client.get(url).content.decode()
    assert client.get(reverse("fairs:checkin_badge", args=["NOPE"])).status_code == 404
