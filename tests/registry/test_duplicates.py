"""Duplicate suggestions and the merge screen."""

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from tadamon.core.models import ActivityLog
from tadamon.registry.duplicates import core_name, duplicate_id_groups, find_duplicates, number_key
from tadamon.registry.models import Organization, Product


@pytest.fixture(autouse=True)
def in_english():
    """These tests read messages in English: run them with English active (URLs under /en/)."""
    with translation.override("en"):
        yield


@pytest.fixture
def suspects(make_org, make_product):
    o = {
        "amal": make_org("تعاونية الأمل", "Coopérative Al Amal", registration_number="0123"),
        "amal_assoc": make_org("جمعية الامل", "", legal_form="association"),  # same name, same province
        "amal_far": make_org("تعاونية الأمل", "Coopérative Al Amal", province="03.061"),  # another province
        "number": make_org("جمعية أخرى تماما", "Association Autre", legal_form="association",
                           registration_number="123", province="03.561"),  # same number, other legal form
        "typo": make_org("تعاونية الزيتون الذهبي", "Coopérative Olivier Doré", province="03.231"),
        "typo2": make_org("تعاونية الزيتون الذهبى", "Cooperative Olivier Dore", province="03.231"),
        "alone": make_org("تعاونية النحل", "Coopérative Abeille", province="03.231"),
        "mk1": make_org("تعاونية الزعفران", "", province="07.351", registration_number="555"),
        "mk2": make_org("تعاونية زعفران", "", province="07.351"),
    }
    make_product(o["amal_assoc"], "عسل", "Miel")
    return o


def _groups(result):
    return [{o.name_ar + "|" + o.province.code for o in g["organizations"]} for g in result]


def test_helpers():
    assert core_name("تعاونية الأمل") == core_name("جمعية  الامل") == "امل"
    assert core_name("Coopérative Al Amal") == core_name("association amal") == "amal"
    assert number_key("N° 012/2015") == number_key("12-2015") == "12/2015" != number_key("1/22015")
    groups = duplicate_id_groups([(1, "7", 1, "a", ""), (2, "07", 9, "b", ""), (3, "", 1, "c", "")])
    assert [ids for ids, _reasons in groups] == [[1, 2]]


def test_find_duplicates(suspects, fes, marrakech):
    result = find_duplicates([fes.pk])
    pks = [sorted(o.pk for o in g["organizations"]) for g in result]
    s = suspects
    assert sorted([s["amal"].pk, s["amal_assoc"].pk, s["number"].pk]) in pks  # name + number, transitively
    assert sorted([s["typo"].pk, s["typo2"].pk]) in pks
    assert len(result) == 2  # the other province's Al Amal and the bees are alone; Marrakech is not asked
    amal_group = next(g for g in result if s["amal"] in g["organizations"])
    assert set(amal_group["keys"]) == {"name", "number"}
    assert amal_group["organizations"][0] == s["amal_assoc"]  # it has a product: suggested to keep
    assert [sorted(o.pk for o in g["organizations"]) for g in find_duplicates([marrakech.pk])] == [
        sorted([s["mk1"].pk, s["mk2"].pk])]
    assert len(find_duplicates(None)) == 3


def test_merged_organizations_are_left_out(suspects, fes, fes_staff):
    from tadamon.registry.services import merge_organizations

    with scopes_disabled():
        merge_organizations(fes_staff, suspects["typo"], suspects["typo2"], reason="same")
    groups = find_duplicates([fes.pk])
    assert all(suspects["typo2"] not in g["organizations"] for g in groups)
    assert len(groups) == 1


def test_duplicates_page(client, suspects, fes_staff):
    client.force_login(fes_staff)
    response = client.get(reverse("registry:duplicates"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "الزيتون الذهبى" in html and "الزعفران" not in html
    keep, other = suspects["amal_assoc"], suspects["amal"]
    assert reverse("registry:merge", args=[keep.pk, other.pk]) in html


def test_merge_screen_and_merge(client, suspects, fes_staff, make_product):
    keep, other = suspects["amal_assoc"], suspects["amal"]
    make_product(other, "زربية", "Tapis")
    client.force_login(fes_staff)
    url = reverse("registry:merge", args=[keep.pk, other.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Coopérative Al Amal" in html and "0123" in html
    number_row = next(r for r in page.context["rows"] if r["label"] == "registration number")
    assert number_row == {**number_row, "keep": "", "other": "0123", "result": "0123", "differs": True}

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and refused.context["form"].errors["reason"]
    with scopes_disabled():
        assert not Organization.objects.filter(merged_into__isnull=False).exists()

    done = client.post(url, {"reason": "Même coopérative, enregistrée deux fois"})
    assert done.status_code == 302 and done["Location"] == reverse("registry:duplicates")
    with scopes_disabled():
        other.refresh_from_db()
        keep.refresh_from_db()
        assert other.merged_into == keep and not other.is_active
        assert set(Product.objects.filter(organization=keep).values_list("name_ar", flat=True)) == {"عسل", "زربية"}
        assert keep.registration_number == "0123" and keep.name_fr == "Coopérative Al Amal"
        entries = ActivityLog.objects.filter(action="organization.merged")
        assert entries.count() == 2
        assert {e.object_id for e in entries} == {str(keep.pk), str(other.pk)}
        first = entries.first()
        assert first.reason == "Même coopérative, enregistrée deux fois" and first.actor == fes_staff
    again = client.post(url, {"reason": "encore"})  # a double submit
    assert again.status_code == 302
    assert ActivityLog.objects.with_scopes_disabled().filter(action="organization.merged").count() == 2


def test_merge_permissions(client, suspects, fes_staff, marrakech_staff, fes_partner, national_admin):
    fes_org, mk1, mk2 = suspects["amal"], suspects["mk1"], suspects["mk2"]
    marrakech_url = reverse("registry:merge", args=[mk1.pk, mk2.pk])
    mixed_url = reverse("registry:merge", args=[fes_org.pk, mk1.pk])
    assert client.get(marrakech_url).status_code == 302  # anonymous: log in
    client.force_login(fes_partner)
    assert client.get(marrakech_url).status_code == 403
    assert client.get(reverse("registry:duplicates")).status_code == 403
    client.force_login(fes_staff)
    assert client.get(marrakech_url).status_code == 404
    assert client.get(mixed_url).status_code == 404
    assert client.post(marrakech_url, {"reason": "x"}).status_code == 404
    assert client.get(reverse("registry:merge", args=[fes_org.pk, fes_org.pk])).status_code == 404
    client.force_login(marrakech_staff)
    assert client.get(marrakech_url).status_code == 200
    client.force_login(national_admin)
    assert client.get(mixed_url).status_code == 200
    with scopes_disabled():
        assert not Organization.objects.filter(merged_into__isnull=False).exists()


def test_national_admin_chooses_a_region(client, suspects, national_admin, monkeypatch):
    client.force_login(national_admin)
    html = client.get(reverse("registry:duplicates") + "?region=07").content.decode()
    assert "الزعفران" in html and "الزيتون" not in html
    assert client.get(reverse("registry:duplicates")).context["count"] == 3
    monkeypatch.setattr("tadamon.registry.views.imports.NATIONAL_DUPLICATES_LIMIT", 2)
    response = client.get(reverse("registry:duplicates"))
    assert response.context["choose_region"] and response.context["count"] == 0
