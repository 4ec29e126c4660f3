"""The Content-Security-Policy in a real browser: pages work without inline scripts or styles, and
Chromium reports no violation (a blocked script or style would be one)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WATCH = """window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile));"""


def test_pages_break_no_rule_and_the_region_switch_still_works(page):
    page.add_init_script(WATCH)
    for path in ("/ar/", "/ar/organizations/", "/ar/products/", "/ar/accounts/login/", "/api/v1/docs"):
        response = page.goto(path)
        assert response.ok, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__violations") == [], path
    page.goto("/ar/")
    # The region list sends its form by itself (tadamon.js, no onchange= attribute).
    with page.expect_navigation():
        page.select_option("#region-select", "03")
    assert page.locator("#region-select").input_value() == "03"
    assert page.evaluate("window.__violations") == []
