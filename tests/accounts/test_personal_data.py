"""Personal data (law 09-08): a person downloads what Tadamon holds about them and erases their
account; erasure keeps what reports count, without the person; staff views of personal data are
logged in the activity log."""

import io
import json
import zipfile

import pytest
from django.contrib.auth import authenticate
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django_scopes import scopes_disabled

from tadamon.core.models import ActivityLog, Role, RoleAssignment
from tadamon.programme import services as programme_services
from tadamon.programme.models import Registration
from tadamon.registry.models import Representation

from ..conftest import PASSWORD
from ..programme.conftest import make_edition, make_programme


@pytest.fixture
def person(make_user, make_org, fes):
    """A member who registered for a session, represents a cooperative and judges at a fair."""
    user = make_user("leila.person@example.ma", first_name="Leila", last_name="Haddou", phone="0612121212",
                     language="fr")
    organization = make_org("تعاونية ليلى", "Coopérative Leila")
    with scopes_disabled():
        Representation.objects.create(user=user, organization=organization, status=Representation.Status.APPROVED,
                                      message="Je suis la présidente", role_in_organization="présidente")
        RoleAssignment.objects.create(user=user, role=Role.JUROR, region=fes)
        programme = make_programme(make_edition(fes))
        programme_services.register(programme["workshop"], user=user, name="Leila Haddou", phone="0612121212",
                                    email="leila.person@example.ma", notify=False)
    return user


def test_download_holds_my_data_and_nobody_else_s(client, person, make_user, english):
    other = make_user("someone.else@example.ma", first_name="Other")
    with scopes_disabled():
        session = Registration.objects.get(user=person).session
        programme_services.register(session, user=other, name="Someone Else", phone="0699999999", notify=False)
    client.force_login(person)
    page = client.get(reverse("accounts:my_data"))
    assert page.status_code == 200
    assert ("registrations", 1) in [(str(k), n) for k, n in page.context["summary"]]
    response = client.get(reverse("accounts:my_data_download"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == "leila.person@example.ma"
    assert data["account"]["phone"] == "0612121212"
    assert [r["name"] for r in data["records"]["programme.Registration.user"]] == ["Leila Haddou"]
    assert data["records"]["registry.Representation.user"][0]["message"] == "Je suis la présidente"
    assert "Someone Else" not in archive.read("data.json").decode()
    with scopes_disabled():
        assert ActivityLog.objects.filter(action="account.data_downloaded", actor=person).count() == 1


def test_erasure_anonymises_and_keeps_what_reports_count(client, person):
    with scopes_disabled():
        registration = Registration.objects.get(user=person)
        confirmed_before = programme_services.session_counts([registration.session])[registration.session_id]
    client.force_login(person)
    refused = client.post(reverse("accounts:my_data"), {"password": "not-my-password", "confirm": "on"})
    assert refused.status_code == 200 and refused.context["form"].errors
    person.refresh_from_db()
    assert person.email == "leila.person@example.ma"  # a wrong password changes nothing

    response = client.post(reverse("accounts:my_data"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == f"erased-{person.pk}@erased.invalid"
    assert (person.first_name, person.last_name, person.phone, person.is_active) == ("", "", "", False)
    assert not person.has_usable_password()
    assert authenticate(email="leila.person@example.ma", password=PASSWORD) is None
    assert client.get(reverse("accounts:profile")).status_code == 302  # logged out
    with scopes_disabled():
        registration.refresh_from_db()
        # The place taken stays (the session's figures do not change), the person's name does not.
        assert (registration.name, registration.phone, registration.email) == ("", "", "")
        assert registration.status == Registration.Status.CONFIRMED
        assert programme_services.session_counts([registration.session])[registration.session_id] == confirmed_before
        representation = Representation.objects.get(user=person)
        assert (representation.message, representation.role_in_organization) == ("", "")
        assert not RoleAssignment.objects.filter(user=person).exists()
        log = ActivityLog.objects.filter(content_type=ContentType.objects.get_for_model(person),
                                         object_id=str(person.pk))
        assert log.filter(action="account.erased").exists()
        text = json.dumps([[e.actor_label, e.object_repr, e.before, e.after] for e in log], ensure_ascii=False)
        assert "leila" not in text.lower() and "0612121212" not in text


def test_staff_views_of_personal_data_are_logged(client, fes_staff, fes, make_org):
    organization = make_org("تعاونية الاختبار", "Coopérative test", phone="0600000001")
    client.force_login(fes_staff)
    assert client.get(reverse("registry:manage_organization", args=[organization.pk])).status_code == 200
    with scopes_disabled():
        entry = ActivityLog.objects.filter(action="personal_data.viewed").latest("pk")
    assert (entry.actor, entry.region, entry.object_id) == (fes_staff, fes, str(organization.pk))
    # The regional team reads its access log on the activity screen, filtered by this action.
    page = client.get(reverse("core:activity_list"), {"action": "personal_data.viewed"})
    assert page.status_code == 200
    assert [e.pk for e in page.context["page"].object_list] == [entry.pk]


def test_anonymous_visitors_are_sent_to_log_in(client):
    for name in ("accounts:my_data", "accounts:my_data_download"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
