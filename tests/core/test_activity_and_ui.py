import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from tadamon.core import activity
from tadamon.core.models import ActivityLog


def test_record_keeps_who_what_when_before_after(fes_staff, fes):
    entry = activity.record(fes_staff, "account.profile_changed", fes_staff, region=fes,
                            before={"phone": "0600000000"}, after={"phone": "0611111111"}, reason="typo")
    with scopes_disabled():
        entry = ActivityLog.objects.get(pk=entry.pk)
    assert entry.actor == fes_staff
    assert entry.actor_label == fes_staff.email
    assert entry.object_id == str(fes_staff.pk)
    assert entry.changes() == [("phone", "0600000000", "0611111111")]
    assert entry.reason == "typo"
    assert entry.created_at is not None


def test_root_redirects_to_arabic_whatever_the_browser_says(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.8")
    assert response.status_code == 302
    assert response["Location"] == "/ar/"


def test_home_in_arabic_is_rtl(client, db):
    html = client.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_home_in_latin_languages_is_ltr(client, db, lang):
    html = client.get(f"/{lang}/").content.decode()
    assert f'<html lang="{lang}" dir="ltr">' in html


def test_language_switch_keeps_page_and_persists(client, db):
    response = client.post("/i18n/switch/", {"language": "fr", "next": "/ar/about/"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/about/"
    assert client.cookies["tadamon_language"].value == "fr"
    assert client.get("/")["Location"] == "/fr/"


def test_language_switch_saves_profile(client, plain_user):
    client.force_login(plain_user)
    client.post("/i18n/switch/", {"language": "en", "next": "/ar/"})
    plain_user.refresh_from_db()
    assert plain_user.preferred_language == "en"


def test_language_switch_refuses_foreign_redirect(client, db):
    response = client.post("/i18n/switch/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/fr/"


def test_unknown_page_is_a_translated_404(client, db):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    assert 'dir="rtl"' in response.content.decode()


@pytest.mark.parametrize("who,marker", [
    ("national_admin", "core:region_overview"), ("fes_staff", "core:region_overview"),
    ("fes_juror", None), ("plain_user", None),
])
def test_home_fits_the_role(request, client, who, marker, fes):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get("/ar/")
    assert response.status_code == 200
    assert response.context["role"] == (None if who == "plain_user" else response.context["role"])
    if marker:
        assert reverse(marker, args=[fes.code]) in response.content.decode()


def test_home_role_keys(client, national_admin, fes_staff, fes_juror, fes_trainer, fes_partner):
    expected = {national_admin: "national_admin", fes_staff: "regional_staff", fes_juror: "juror",
                fes_trainer: "trainer", fes_partner: "partner_viewer"}
    for user, role in expected.items():
        client.force_login(user)
        assert client.get("/ar/").context["role"] == role


def test_region_switch_for_visitors(client, db):
    client.post("/ar/region/", {"region": "07", "next": "/ar/"})
    assert client.get("/ar/").context["current_region"].code == "07"


def test_regional_staff_cannot_switch_to_another_region(client, fes_staff):
    client.force_login(fes_staff)
    client.post("/ar/region/", {"region": "07", "next": "/ar/"})
    assert client.get("/ar/").context["current_region"].code == "03"


def test_arabic_dates_use_western_digits(client, fes_staff, fes):
    activity.record("system", "role.granted", fes)
    client.force_login(fes_staff)
    html = client.get(reverse("core:activity_list")).content.decode()
    assert not any(ch in html for ch in "٠١٢٣٤٥٦٧٨٩")
