"""A person downloads their data and erases their account, on a phone, in Arabic."""

import io
import json
import zipfile

import pytest

from tests.conftest import PASSWORD

from .conftest import assert_no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_download_then_erase_my_account(page, make_user, screenshot):
    user = make_user("salma.member@example.ma", first_name="Salma", phone="0611223344")
    page.goto("/ar/accounts/login/")
    page.fill("#id_email", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/ar/")
    page.goto("/ar/accounts/profile/")
    page.click("a[href$='/accounts/my-data/']")
    page.wait_for_url("**/ar/accounts/my-data/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_no_horizontal_scroll(page)
    screenshot(page, "my-data-ar")
    with page.expect_download() as download:
        page.click("#download-data")
    data = json.loads(zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read())).read("data.json"))
    assert data["account"]["phone"] == "0611223344"

    page.fill("#id_password", PASSWORD)
    page.check("#id_confirm")
    page.click("#erase-form button[type=submit]")
    page.wait_for_url("**/ar/")
    user.refresh_from_db()
    assert not user.is_active and user.phone == "" and user.email.endswith("@erased.invalid")
