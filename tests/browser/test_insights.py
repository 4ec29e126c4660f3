"""Fair operations and indicators in a real browser, in Arabic on a 360 px phone: an exhibitor declares
the day's sales, then loses the network, declares another day (kept on the phone) and gets it sent when
the network is back; the regional team reads the dashboard with its province map and makes the edition
report (PDF) in the background."""

import os
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django_scopes import scopes_disabled

from tadamon.fairs.models import Sale

from ..fairs.sales_fixtures import running_fair_fixture  # noqa: F401
from .conftest import CHROMIUM, assert_no_horizontal_scroll
from .test_fairs import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
]


def _sales(org):
    with scopes_disabled():
        return {s.day: s.amount for s in Sale.objects.filter(organization=org)}


def _wait_for(condition, seconds=10):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_exhibitor_declares_sales_even_offline(page, running_fair, screenshot):
    user, org, application = running_fair["exhibitors"][0]
    today = running_fair["today"]
    log_in(page, user.email)
    page.goto(f"/ar/applications/{application.pk}/sales/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.select_option("#id_day", today.isoformat())
    page.fill("#id_amount", "1350")
    page.locator("main input[name^=q_]").first.fill("3")
    assert not page.locator("#id_confirm").is_visible()  # asked only for a large amount
    screenshot(page, "insights-sales-ar")
    page.click("#sales-form button[type=submit]")
    page.wait_for_selector("#sales-offline.ok, .messages .message", timeout=10_000)
    assert _wait_for(lambda: _sales(org).get(today) == 1350)
    page.wait_for_load_state("load")
    page.wait_for_selector("text=1350")

    # A large amount: the page asks to confirm it, nothing is saved until then.
    page.select_option("#id_day", (today - timedelta(days=1)).isoformat())
    page.fill("#id_amount", "48000")
    page.click("#sales-form button[type=submit]")
    page.wait_for_selector("#id_confirm", state="visible")
    assert (today - timedelta(days=1)) not in _sales(org)
    page.fill("#id_amount", "480")

    # The network drops: the form is kept on the phone, then sent when the network is back.
    page.context.set_offline(True)
    page.click("#sales-form button[type=submit]")
    page.wait_for_selector("#sales-offline:not([hidden])")
    assert page.evaluate(f"JSON.parse(localStorage.getItem('tadamon-sales-{application.pk}-queue')).length") == 1
    assert (today - timedelta(days=1)) not in _sales(org)
    assert_no_horizontal_scroll(page)
    screenshot(page, "insights-sales-offline-ar")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")  # what the phone does when the network returns
    assert _wait_for(lambda: _sales(org).get(today - timedelta(days=1)) == 480)
    with scopes_disabled():
        assert Sale.objects.filter(organization=org).count() == 2
    page.wait_for_selector("text=480")
    page.goto("/ar/my/sales/")
    assert "1350" in page.content() and "480" in page.content()


def test_staff_dashboard_and_report(page, running_fair, fes_staff, screenshot):
    cache.clear()
    edition, today = running_fair["edition"], running_fair["today"]
    from tadamon.fairs import sales

    for n, (user, _org, application) in enumerate(running_fair["exhibitors"]):
        sales.declare_sales(user, application, today, 900 + 300 * n)
        sales.declare_sales(user, application, edition.starts_on, 400 + 100 * n)
    for hour, count in ((10, 120), (11, 260), (12, 310)):
        sales.record_visitors(fes_staff, edition, today, "البوابة الرئيسية", hour, count)
    log_in(page, fes_staff.email)
    page.goto("/ar/manage/insights/")
    page.wait_for_url("**/manage/insights/region/03/")
    assert page.locator(".map polygon").count() == 9  # Fès-Meknès's provinces
    assert_no_horizontal_scroll(page)
    screenshot(page, "insights-dashboard-ar")

    page.goto(f"/ar/manage/fairs/{edition.pk}/operations/")
    assert_no_horizontal_scroll(page)
    screenshot(page, "insights-operations-ar")

    page.goto(f"/ar/manage/fairs/{edition.pk}/report/")
    page.click("#report-files button[type=submit]")
    link = page.locator("#report-files a.button").first
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert_no_horizontal_scroll(page)
    screenshot(page, "insights-report-ar")
