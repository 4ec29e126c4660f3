"""Kept public pages in a real browser: a second visitor gets the page kept for the first one, its
language and region forms work (its own CSRF token), and a change shows at once."""

import os

import pytest
from django.core.cache import cache
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from tadamon.core import pagecache

from .conftest import CHROMIUM, TIMEOUT_MS, VIEWPORT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
]


@pytest.fixture
def kept_pages(settings):
    settings.TADAMON_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def test_a_second_visitor_gets_the_kept_page_and_its_forms_work(page, browser, live_server, make_org, kept_pages):
    org = make_org("تعاونية النحالة بإفران", "Coopérative apicole d'Ifrane")
    page.goto("/ar/organizations/")
    assert page.get_by_text("تعاونية النحالة بإفران").is_visible()
    stamp = pagecache.versions(["registry"])

    context = browser.new_context(viewport=VIEWPORT, locale="ar", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    other = context.new_page()
    try:
        other.goto("/ar/organizations/")
        assert other.get_by_text("تعاونية النحالة بإفران").is_visible()
        assert pagecache.versions(["registry"]) == stamp
        # The language form posts the token put in for this visitor: accepted, page in French.
        other.click(".lang-switch button[value=fr]")
        other.wait_for_url("**/fr/organizations/")
        assert other.locator("html").get_attribute("lang") == "fr"
        # The region form too (the visitor then has a session and gets pages rendered for them).
        other.goto("/ar/organizations/")
        with other.expect_navigation():
            other.select_option("#region-select", "07")
        # Marrakech-Safi chosen: the Fès-Meknès cooperative is no longer listed.
        expect(other.get_by_text("تعاونية النحالة بإفران")).to_have_count(0)
        # A change committed by anybody shows at once to the first visitor.
        with scopes_disabled():
            org.name_ar = "تعاونية العسل الجبلي بإفران"
            org.save()
        page.reload()
        assert page.get_by_text("تعاونية العسل الجبلي بإفران").is_visible()
    finally:
        context.close()
