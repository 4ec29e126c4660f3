"""Region scoping and the role × region permission matrix."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from django_scopes.exceptions import ScopeError

from tadamon.core import activity
from tadamon.core.models import ActivityLog, Province, Region, Role, RoleAssignment


def test_reference_data_loaded_by_migration(db):
    assert Region.objects.count() == 12
    assert Province.objects.count() == 75
    fes = Region.objects.get(code="03")
    assert fes.name_fr == "Fès-Meknès"
    assert "فاس" in fes.name_ar
    assert fes.provinces.filter(name_fr="Fès").exists()


def test_scoped_query_without_scope_fails_loudly(db):
    with pytest.raises(ScopeError):
        list(ActivityLog.objects.all())


def test_scope_limits_to_region(db, fes, marrakech):
    activity.record("system", "role.granted", fes)
    activity.record("system", "role.granted", marrakech)
    with scope(region=[fes.pk]):
        assert [e.region_id for e in ActivityLog.objects.all()] == [fes.pk]
    with scopes_disabled():
        assert ActivityLog.objects.count() >= 2


def test_national_admin_role_has_no_region(national_admin, fes):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=national_admin, role=Role.NATIONAL_ADMIN, region=fes)


def test_regional_role_needs_region(plain_user):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=plain_user, role=Role.REGIONAL_STAFF, region=None)


ROLE_FIXTURES = ["national_admin", "fes_staff", "marrakech_staff", "fes_partner", "fes_juror", "fes_trainer",
                 "plain_user"]

# Expected answer of each permission for each role, on the Fès-Meknès region.
MATRIX = {
    "core.manage_region": {"national_admin", "fes_staff"},
    "core.view_region": {"national_admin", "fes_staff", "fes_partner"},
}


@pytest.mark.parametrize("who", ROLE_FIXTURES)
@pytest.mark.parametrize("perm", sorted(MATRIX))
def test_permission_matrix_on_fes(request, who, perm, fes):
    user = request.getfixturevalue(who)
    assert user.has_perm(perm, fes) is (who in MATRIX[perm])


@pytest.mark.parametrize("who,expected", [
    ("national_admin", 200), ("fes_staff", 200), ("marrakech_staff", 200),
    ("fes_partner", 403), ("fes_juror", 403), ("fes_trainer", 403), ("plain_user", 403),
])
def test_activity_screen_access(request, client, who, expected):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("core:activity_list")).status_code == expected


def test_activity_screen_anonymous_goes_to_login(client):
    response = client.get(reverse("core:activity_list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_other_region_activity_is_404(client, fes_staff, marrakech):
    with scopes_disabled():
        entry = activity.record("system", "role.granted", marrakech)
    client.force_login(fes_staff)
    assert client.get(reverse("core:activity_detail", args=[entry.pk])).status_code == 404


def test_own_region_activity_is_visible(client, fes_staff, fes):
    entry = activity.record("system", "role.granted", fes, after={"role": "juror"})
    client.force_login(fes_staff)
    response = client.get(reverse("core:activity_detail", args=[entry.pk]))
    assert response.status_code == 200
    assert "juror" in response.content.decode()


def test_activity_list_shows_only_own_region(client, fes_staff, fes, marrakech):
    activity.record("system", "role.granted", fes, reason="fes-entry")
    with scopes_disabled():
        activity.record("system", "role.granted", marrakech)
    client.force_login(fes_staff)
    page = client.get(reverse("core:activity_list")).context["page"]
    assert page.paginator.count >= 1
    assert {e.region_id for e in page.object_list} == {fes.pk}


def test_national_admin_sees_all_regions_in_log(client, national_admin, fes, marrakech):
    activity.record("system", "role.granted", fes)
    activity.record("system", "role.granted", marrakech)
    client.force_login(national_admin)
    entries = client.get(reverse("core:activity_list")).context["page"].object_list
    assert {fes.pk, marrakech.pk} <= {e.region_id for e in entries}


@pytest.mark.parametrize("who,code,expected", [
    ("fes_staff", "03", 200), ("fes_staff", "07", 404), ("fes_partner", "03", 200), ("fes_partner", "07", 404),
    ("marrakech_staff", "03", 404), ("national_admin", "07", 200), ("fes_juror", "03", 403),
    ("plain_user", "03", 403),
])
def test_region_overview_matrix(request, client, who, code, expected):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("core:region_overview", args=[code])).status_code == expected


def test_activity_filters(client, fes_staff, fes):
    activity.record("system", "role.granted", fes, reason="a")
    activity.record("system", "role.revoked", fes, reason="b")
    client.force_login(fes_staff)
    page = client.get(reverse("core:activity_list"), {"action": "role.revoked"}).context["page"]
    assert {e.action for e in page.object_list} == {"role.revoked"}
    bad = client.get(reverse("core:activity_list"), {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert bad.status_code == 200
    assert bad.context["form"].errors


@pytest.mark.parametrize("who,expected", [("national_admin", 200), ("fes_staff", 302), ("plain_user", 302)])
def test_django_admin_is_for_national_admins_only(request, client, who, expected):
    user = request.getfixturevalue(who)
    user.is_staff = True  # even with Django's staff flag, only the national role opens the admin
    user.save()
    client.force_login(user)
    assert client.get("/ar/admin/").status_code == expected


def test_every_view_declares_access():
    """Every URL of ours is wrapped by a decorator from tadamon.core.decorators."""
    from django.urls import get_resolver

    missing = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, prefix + str(p.pattern))
                continue
            callback = p.callback
            module = getattr(callback, "__module__", "")
            if not module.startswith("tadamon"):
                continue
            if not hasattr(callback, "tadamon_access") and not hasattr(getattr(callback, "view_class", None),
                                                                        "tadamon_access"):
                missing.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    assert missing == []


def test_role_changes_are_logged(plain_user, fes):
    RoleAssignment.objects.create(user=plain_user, role=Role.JUROR, region=fes)
    with scopes_disabled():
        entry = ActivityLog.objects.filter(action="role.granted").latest("id")
    assert entry.region == fes
    assert entry.after["role"] == "juror"
