"""The floor plan in a real browser: staff allocate the stands and publish them; a visitor on a phone
(360×740, Arabic) opens the map, taps a stand and sees the cooperative on it; staff check a badge in."""

import os

import pytest
from django_scopes import scopes_disabled

from tadamon.fairs import badges
from tadamon.fairs.floor_models import StandAssignment

from ..conftest import PASSWORD
from ..fairs.floor_fixtures import arabic, fair_fixture  # noqa: F401
from .conftest import CHROMIUM, TIMEOUT_MS, VIEWPORT, assert_no_horizontal_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
]


def log_in(page, email):
    page.goto("/ar/accounts/login/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/ar/")


def test_staff_allocate_and_publish_then_a_visitor_finds_the_cooperative(page, browser, live_server, fair,
                                                                        fes_staff, screenshot):
    edition = fair["edition"]
    log_in(page, fes_staff.email)
    page.goto(f"/ar/manage/fairs/{edition.pk}/allocation/")
    page.click("button[name=action][value=run]")
    page.wait_for_load_state()
    with scopes_disabled():
        assert StandAssignment.objects.filter(edition=edition).count() == 6
    page.click("button[name=action][value=publish]")
    page.wait_for_load_state()
    assert page.locator(".messages .success").count() == 1
    with scopes_disabled():
        assignment = (StandAssignment.objects.filter(edition=edition).select_related("application__organization")
                      .get(application=fair["applications"][0]))
    cooperative = assignment.application.organization.name_ar

    visitor = browser.new_context(viewport=VIEWPORT, locale="ar", base_url=live_server.url)
    visitor.set_default_timeout(TIMEOUT_MS)
    phone = visitor.new_page()
    try:
        phone.goto(f"/ar/fairs/{edition.pk}/")
        phone.click(f"a[href='/ar/fairs/{edition.pk}/map/']")
        phone.wait_for_url(f"**/ar/fairs/{edition.pk}/map/")
        assert phone.evaluate("document.documentElement.dir") == "rtl"
        assert phone.locator("#stand-panel").is_hidden()
        # On a phone the plan starts zoomed in, so that a stand is big enough to tap.
        smallest = phone.evaluate("Math.min(...Array.from(document.querySelectorAll('.floor-map .stand'))"
                                  ".map(s => s.getBoundingClientRect().width))")
        assert smallest >= 36
        assert_no_horizontal_scroll(phone)
        phone.locator(f"#stand-{assignment.stand_id}").click()
        panel = phone.locator("#stand-panel")
        panel.get_by_role("link", name=cooperative, exact=True).wait_for()
        assert panel.is_visible()
        assert phone.url.endswith(f"/ar/fairs/{edition.pk}/map/{assignment.stand_id}/")
        assert "selected" in phone.locator(f"#stand-{assignment.stand_id}").get_attribute("class")
        assert_no_horizontal_scroll(phone)
        screenshot(phone, "floor-plan-ar")
        # The stand's own URL, opened directly, shows the same cooperative.
        phone.goto(f"/ar/fairs/{edition.pk}/map/{assignment.stand_id}/")
        assert cooperative in phone.locator("#stand-panel").inner_text()
    finally:
        visitor.close()


def test_staff_check_a_badge_in_by_its_code(page, fair, fes_staff, screenshot):
    from tadamon.fairs import placement

    edition = fair["edition"]
    placement.start_run(fes_staff, edition, time_limit=10)
    placement.publish(fes_staff, edition, send_messages=False)
    with scopes_disabled():
        badge = badges.edition_badges(edition)[0]
    log_in(page, fes_staff.email)
    page.goto(f"/ar/manage/fairs/{edition.pk}/checkin/")
    page.fill("#id_code", badge.grouped_code.lower())
    page.click("#scan-form button[type=submit]")
    page.wait_for_load_state()
    assert badge.name in page.locator(".messages").inner_text()
    assert page.locator("#presence .big").first.inner_text().strip().startswith("1")
    assert_no_horizontal_scroll(page)
    screenshot(page, "checkin-ar")
