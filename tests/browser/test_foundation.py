"""The foundation in a real browser, on a phone-sized screen: Arabic first and right to left, the
language switch, and an account from sign-up to the first log-in."""

import os
import re

import pytest

from .conftest import CHROMIUM, assert_no_horizontal_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
]

PASSWORD = "zaytoun-argan-2025"
SUBMIT = "main form button[type=submit]"


def html_attributes(page):
    return page.evaluate("[document.documentElement.lang, document.documentElement.dir]")


def test_home_is_arabic_and_right_to_left(page, screenshot):
    response = page.goto("/")
    assert response.ok
    assert page.url.endswith("/ar/")
    assert html_attributes(page) == ["ar", "rtl"]
    # The header offers the three languages; Arabic is the current one.
    switch = page.locator("form.lang-switch")
    assert switch.locator("button[value=ar]").get_attribute("aria-current") == "true"
    assert switch.locator("button[value=fr]").is_visible()
    assert switch.locator("button[value=en]").is_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, "home-ar")


def test_language_switch_to_french_persists(page):
    page.goto("/ar/about/")
    assert html_attributes(page) == ["ar", "rtl"]
    page.locator("form.lang-switch button[value=fr]").click()
    page.wait_for_url("**/fr/about/")
    assert html_attributes(page) == ["fr", "ltr"]
    assert page.locator("form.lang-switch button[value=fr]").get_attribute("aria-current") == "true"
    assert_no_horizontal_scroll(page)

    # The next page, reached without a language in its address, stays in French.
    page.goto("/")
    assert page.url.endswith("/fr/")
    assert html_attributes(page) == ["fr", "ltr"]
    # And so does a page reached through a link.
    page.locator("footer a[href$='/about/']").click()
    page.wait_for_url("**/fr/about/")
    assert html_attributes(page) == ["fr", "ltr"]


def test_sign_up_verify_and_log_in(page, screenshot, mailoutbox, django_user_model):
    page.goto("/ar/")
    page.locator("main a[href='/ar/accounts/signup/']").first.click()
    page.wait_for_url("**/ar/accounts/signup/")
    assert html_attributes(page) == ["ar", "rtl"]
    page.fill("#id_first_name", "خديجة")
    page.fill("#id_last_name", "العلوي")
    page.fill("#id_email", "khadija@example.ma")
    page.fill("#id_phone", "0612345678")
    assert page.input_value("#id_preferred_language") == "ar"
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    assert_no_horizontal_scroll(page)
    screenshot(page, "signup-ar")
    page.click(SUBMIT)
    page.wait_for_url("**/ar/accounts/signup/done/")

    user = django_user_model.objects.get(email="khadija@example.ma")
    assert not user.email_verified
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["khadija@example.ma"]
    link = re.search(r"https?://\S+/ar/accounts/verify/\S+/", message.body).group(0)
    assert link.startswith(page.url.split("/ar/")[0])  # a link to this very site

    # Before the link is opened, logging in is refused with a message.
    page.goto("/ar/accounts/login/")
    page.fill("#id_email", "khadija@example.ma")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation() as refused:
        page.click(SUBMIT)
    assert refused.value.status == 400
    assert page.url.endswith("/ar/accounts/login/")
    assert page.locator("main .form-errors[role=alert]").is_visible()

    page.goto(link)
    page.wait_for_url("**/ar/accounts/login/")
    user.refresh_from_db()
    assert user.email_verified
    assert page.locator("main .messages .message").count() == 1

    page.fill("#id_email", "khadija@example.ma")
    page.fill("#id_password", PASSWORD)
    page.click(SUBMIT)
    page.wait_for_url("**/ar/")
    assert html_attributes(page) == ["ar", "rtl"]
    # The home page greets her by name, and no longer offers to sign up or log in.
    assert "خديجة" in page.locator("main h1").inner_text()
    assert page.locator("main a[href='/ar/accounts/signup/']").count() == 0
    assert page.locator("main a[href='/ar/accounts/login/']").count() == 0
    assert_no_horizontal_scroll(page)
    screenshot(page, "home-logged-in-ar")


def test_wrong_password_shows_an_error(page, make_user):
    make_user("amina@example.ma")
    page.goto("/ar/accounts/login/")
    page.fill("#id_email", "amina@example.ma")
    page.fill("#id_password", "not-the-password")
    with page.expect_navigation() as posted:
        page.click(SUBMIT)
    assert posted.value.status == 400  # a form error, not a server error
    assert page.url.endswith("/ar/accounts/login/")
    assert html_attributes(page) == ["ar", "rtl"]
    errors = page.locator("main .form-errors[role=alert]")
    assert errors.is_visible()
    assert errors.inner_text().strip()
    # The address stays filled in, the password does not.
    assert page.input_value("#id_email") == "amina@example.ma"
    assert page.input_value("#id_password") == ""
    assert_no_horizontal_scroll(page)
