"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live server.

- ``browser`` (one per session) and ``page`` (a fresh context per test: a phone-sized 360×740
  viewport, Arabic locale, its own cookies; any 5xx answer fails the test);
- ``screenshot(page, name)`` saves docs/screenshots/NAME.png; ``assert_no_horizontal_scroll(page)``;
- every test runs with ``transactional_db`` (the live server reads what the test writes) and
  ``serialized_rollback``: Django empties every table after a transactional test, reference data
  loaded by the migrations (regions, provinces, sectors) included; serialized rollback restores it
  before each browser test, and ``_leave_the_database_as_found`` after the last one.

Every test here is marked ``browser``. Nothing is downloaded: without /usr/bin/chromium the browser
tests are skipped (each module's ``pytestmark``, with a collection hook and the ``browser`` fixture
as safety nets).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test's thread; Django's ORM would otherwise refuse
# to run there ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-quic",
]
VIEWPORT = {"width": 360, "height": 740}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    """A safety net for modules that forget their ``pytestmark``: every test of this folder is
    marked ``browser``, and skipped when Chromium is missing."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not os.path.exists(CHROMIUM):
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is not installed"))


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """Chromium, started once. The test database is set up first, for the reason below."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API leaves its asyncio loop marked as running in this thread. Django keeps
    # database connections in a thread-local slot, but switches to another slot while a loop runs:
    # without the lines below the tests would open a second connection to the test database, one
    # that lacks the serialized contents, and serialized_rollback would silently restore nothing.
    own = {connection.alias: connection for connection in connections.all()}
    with sync_playwright() as playwright:
        for alias, connection in own.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, django_db_serialized_rollback):
    """A new page in its own context (no cookies carried over), 360×740, Arabic.

    Fails the test on any server error (5xx) seen by the browser."""
    from tadamon.core.models import Province, Region
    from tadamon.registry.models import Sector

    assert (Region.objects.count(), Province.objects.count()) == (12, 75) and Sector.objects.exists(), \
        "the reference data loaded by the migrations is missing"
    context = browser.new_context(viewport=VIEWPORT, locale="ar", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    server_errors = []
    page = context.new_page()
    page.on("response", lambda r: server_errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    yield page
    context.close()
    assert not server_errors, f"server errors: {server_errors}"


@pytest.fixture(scope="session")
def screenshot():
    """``screenshot(page, "home-ar")`` saves the whole page to docs/screenshots/home-ar.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


def assert_no_horizontal_scroll(page):
    """Nothing sticks out sideways at 360 px (one pixel of rounding allowed)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    if width > viewport + 1:
        culprits = page.evaluate("""(limit) => Array.from(document.querySelectorAll('body *'))
            .filter(e => { const r = e.getBoundingClientRect(); return r.right > limit + 1 || r.left < -1; })
            .slice(0, 8).map(e => e.tagName + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''))""",
                                 viewport)
        raise AssertionError(f"{page.url}: page is {width}px wide at {viewport}px; sticking out: {culprits}")

