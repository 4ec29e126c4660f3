"""Staff screens of the registry: the overview, requests to represent (approve, refuse, documents),
the staff view of an organization (verify, deactivate, history), region by region and role by role."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from tadamon.core.models import ActivityLog
from tadamon.registry import services
from tadamon.registry.models import Organization, Representation

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def url(name, *args):
    with translation.override("en"):
        return reverse(f"registry:{name}", args=args)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def fes_org(make_org):
    return make_org("تعاونية الأمل", "Coopérative Al Amal", registration_number="F-1")


@pytest.fixture
def marrakech_org(make_org):
    return make_org("تعاونية الحوز", "Coopérative Al Haouz", province="07.041", registration_number="M-1")


def claim_for(user, org, document=True):
    with scopes_disabled():
        return services.request_representation(
            user, org, role_in_organization="الرئيسة", message="المرجو القبول",
            document=SimpleUploadedFile("proof.pdf", PDF, content_type="application/pdf") if document else None)


def reload(obj):
    with scopes_disabled():
        obj.refresh_from_db()
    return obj


def log(action, **filters):
    with scopes_disabled():
        return list(ActivityLog.objects.filter(action=action, **filters))


# --- who may come in -------------------------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_log_in(client, fes_org, plain_user):
    representation = claim_for(plain_user, fes_org)
    for name, args in [("manage_home", []), ("claims", []), ("claim_document", [representation.pk]),
                       ("manage_organization", [fes_org.pk])]:
        response = client.get(url(name, *args))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    for name, args in [("claim_decide", [representation.pk]), ("organization_verify", [fes_org.pk]),
                       ("organization_set_active", [fes_org.pk])]:
        response = client.post(url(name, *args), {"decision": "approve", "active": "0", "reason": "x"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    assert reload(representation).status == Representation.Status.PENDING


def test_people_without_a_staff_role_get_403(client, make_user, fes_org, plain_user, fes_juror, fes_trainer):
    representative = make_user("rep@example.ma")
    with scopes_disabled():
        Representation.objects.create(user=representative, organization=fes_org,
                                      status=Representation.Status.APPROVED)
    for user in (plain_user, representative, fes_juror, fes_trainer):
        client.force_login(user)
        assert client.get(url("manage_home")).status_code == 403
        assert client.get(url("claims")).status_code == 403
        assert client.get(url("manage_organization", fes_org.pk)).status_code == 403
        assert client.post(url("organization_verify", fes_org.pk)).status_code == 403
    assert reload(fes_org).verified_at is None


def test_partner_viewers_read_but_never_act(client, fes_partner, fes_org, marrakech_org, plain_user):
    representation = claim_for(plain_user, fes_org)
    client.force_login(fes_partner)
    assert client.get(url("manage_home")).status_code == 200
    page = client.get(url("manage_organization", fes_org.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert url("organization_verify", fes_org.pk) not in html and "History" not in html
    assert client.get(url("manage_organization", marrakech_org.pk)).status_code == 404
    assert client.get(url("claims")).status_code == 403
    assert client.get(url("claim_document", representation.pk)).status_code == 403
    assert client.post(url("claim_decide", representation.pk), {"decision": "approve"}).status_code == 403
    assert client.post(url("organization_verify", fes_org.pk)).status_code == 403
    assert client.post(url("organization_set_active", fes_org.pk), {"active": "0", "reason": "x"}).status_code == 403
    assert reload(representation).status == Representation.Status.PENDING
    fes_org = reload(fes_org)
    assert fes_org.verified_at is None and fes_org.is_active


def test_staff_of_another_region_get_404(client, fes_staff, marrakech_org, make_user):
    representation = claim_for(make_user("rep@example.ma"), marrakech_org)
    client.force_login(fes_staff)
    assert client.get(url("manage_organization", marrakech_org.pk)).status_code == 404
    assert client.post(url("organization_verify", marrakech_org.pk)).status_code == 404
    assert client.post(url("organization_set_active", marrakech_org.pk),
                       {"active": "0", "reason": "x"}).status_code == 404
    assert client.post(url("claim_decide", representation.pk), {"decision": "approve"}).status_code == 404
    assert client.get(url("claim_document", representation.pk)).status_code == 404
    assert reload(representation).status == Representation.Status.PENDING
    assert reload(marrakech_org).verified_at is None


def test_overview_counts_only_the_region(client, fes_staff, make_org, fes_org, marrakech_org, plain_user):
    make_org("جمعية فاس", "Association Fès", legal_form="association", verified_at="2024-01-01T00:00:00Z")
    make_org("متوقفة", "Inactive", is_active=False)
    claim_for(plain_user, fes_org)
    claim_for(plain_user, marrakech_org)
    client.force_login(fes_staff)
    response = client.get(url("manage_home"))
    assert response.status_code == 200
    context = response.context
    assert dict(context["by_form"])["Cooperative"] == 2 and dict(context["by_form"])["Association"] == 1
    assert context["total"] == 3 and context["inactive"] == 1
    assert context["pending_count"] == 1
    assert context["unverified_count"] == 1  # the active, unverified cooperative
    html = response.content.decode()
    assert "Coopérative Al Amal" in html and "Al Haouz" not in html
    found = client.get(url("manage_home"), {"q": "Haouz"})
    assert list(found.context["page"]) == []
    found = client.get(url("manage_home"), {"q": "امل"})
    assert [o.pk for o in found.context["page"]] == [fes_org.pk]
    found = client.get(url("manage_home"), {"q": "f-1"})
    assert [o.pk for o in found.context["page"]] == [fes_org.pk]


def test_national_admins_see_and_act_everywhere(client, national_admin, fes_org, marrakech_org, make_user):
    representation = claim_for(make_user("rep@example.ma"), marrakech_org)
    client.force_login(national_admin)
    assert client.get(url("manage_home")).context["total"] == 2
    assert client.get(url("manage_organization", marrakech_org.pk)).status_code == 200
    assert client.post(url("organization_verify", marrakech_org.pk)).status_code == 302
    assert client.post(url("claim_decide", representation.pk), {"decision": "approve"}).status_code == 302
    assert reload(marrakech_org).verified_at is not None
    assert reload(representation).status == Representation.Status.APPROVED


# --- requests to represent -------------------------------------------------------------------------------------

def test_claims_list_shows_the_region_with_a_protected_document_link(client, fes_staff, fes_org, marrakech_org,
                                                                     make_user):
    mine = claim_for(make_user("a@example.ma"), fes_org)
    other = claim_for(make_user("b@example.ma"), marrakech_org)
    client.force_login(fes_staff)
    html = client.get(url("claims")).content.decode()
    assert "Coopérative Al Amal" in html and "a@example.ma" in html
    assert "b@example.ma" not in html and url("claim_decide", other.pk) not in html
    assert url("claim_document", mine.pk) in html
    assert "/media/" not in html and reload(mine).document.name not in html


def test_the_claim_document_is_served_to_the_deciding_staff_only(client, fes_staff, fes_org, make_user):
    claimant = make_user("a@example.ma")
    representation = claim_for(claimant, fes_org)
    client.force_login(fes_staff)
    response = client.get(url("claim_document", representation.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF
    # Not even the claimant reads it back through this view.
    client.force_login(claimant)
    assert client.get(url("claim_document", representation.pk)).status_code == 403
    without = claim_for(make_user("b@example.ma"), fes_org, document=False)
    client.force_login(fes_staff)
    assert client.get(url("claim_document", without.pk)).status_code == 404


def test_claim_then_approve_then_the_user_can_edit(client, fes_staff, fes_org, make_user, sectors,
                                                   django_capture_on_commit_callbacks):
    user = make_user("rep@example.ma", language="fr")
    client.force_login(user)
    response = client.post(url("claim", fes_org.pk), {
        "role_in_organization": "Présidente", "message": "",
        "document": SimpleUploadedFile("pv.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    assert client.get(url("organization_edit", fes_org.pk)).status_code == 403
    with scopes_disabled():
        representation = Representation.objects.get(user=user)
    client.force_login(fes_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("claim_decide", representation.pk), {"decision": "approve", "reason": ""})
    assert response.status_code == 302 and response["Location"] == url("claims")
    representation = reload(representation)
    assert representation.status == Representation.Status.APPROVED and representation.decided_by == fes_staff
    [entry] = log("representation.approved", object_id=str(representation.pk))
    assert entry.actor == fes_staff and entry.region == fes_org.region
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rep@example.ma"]
    assert "Coopérative Al Amal" in mail.outbox[0].body  # the French name: the user reads French
    client.force_login(user)
    assert client.get(url("organization_edit", fes_org.pk)).status_code == 200
    assert "Coopérative Al Amal" in client.get(url("my_organizations")).content.decode()
    # Deciding twice changes nothing and sends nothing more.
    client.force_login(fes_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("claim_decide", representation.pk), {"decision": "refuse", "reason": "late"})
    assert reload(representation).status == Representation.Status.APPROVED and len(mail.outbox) == 1


@pytest.mark.parametrize("language, name", [("ar", "تعاونية الأمل"), ("fr", "Coopérative Al Amal")])
def test_refuse_with_a_reason_mails_the_user_in_their_language(client, fes_staff, fes_org, make_user, language,
                                                               name, django_capture_on_commit_callbacks):
    user = make_user("rep@example.ma", language=language)
    representation = claim_for(user, fes_org)
    client.force_login(fes_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("claim_decide", representation.pk), {"decision": "refuse", "reason": "  "},
                               follow=True)
    assert "Give the reason for the refusal" in response.content.decode()
    assert reload(representation).status == Representation.Status.PENDING
    assert mail.outbox == [] and log("representation.refused") == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("claim_decide", representation.pk),
                    {"decision": "refuse", "reason": "الوثيقة لا تثبت الصفة"})
    representation = reload(representation)
    assert representation.status == Representation.Status.REFUSED
    assert representation.reason == "الوثيقة لا تثبت الصفة"
    [message] = mail.outbox
    assert message.to == ["rep@example.ma"]
    assert name in message.body and "الوثيقة لا تثبت الصفة" in message.body
    [entry] = log("representation.refused", object_id=str(representation.pk))
    assert entry.reason == "الوثيقة لا تثبت الصفة" and entry.actor == fes_staff
    client.force_login(user)
    assert client.get(url("organization_edit", fes_org.pk)).status_code == 403


def test_bad_decisions_change_nothing(client, fes_staff, fes_org, plain_user):
    representation = claim_for(plain_user, fes_org)
    client.force_login(fes_staff)
    assert client.get(url("claim_decide", representation.pk)).status_code == 405
    assert client.post(url("claim_decide", representation.pk), {"decision": "maybe"}).status_code == 302
    assert client.post(url("claim_decide", 999999), {"decision": "approve"}).status_code == 404
    assert reload(representation).status == Representation.Status.PENDING


# --- the staff view of an organization -------------------------------------------------------------------------

def test_verify_deactivate_reactivate_with_history(client, fes_staff, fes_org, plain_user):
    claim_for(plain_user, fes_org)
    client.force_login(fes_staff)
    page = client.get(url("manage_organization", fes_org.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert url("organization_verify", fes_org.pk) in html and url("organization_edit", fes_org.pk) in html
    assert "representation requested" in html

    assert client.post(url("organization_verify", fes_org.pk)).status_code == 302
    org = reload(fes_org)
    assert org.verified_at is not None and org.verified_by == fes_staff
    assert len(log("organization.verified", object_id=str(org.pk))) == 1

    # Deactivating needs a reason; without one nothing changes.
    response = client.post(url("organization_set_active", org.pk), {"active": "0", "reason": " "}, follow=True)
    assert "Give the reason" in response.content.decode()
    assert reload(org).is_active
    client.post(url("organization_set_active", org.pk), {"active": "0", "reason": "حُلَّت التعاونية"})
    assert not reload(org).is_active
    [entry] = log("organization.deactivated", object_id=str(org.pk))
    assert entry.reason == "حُلَّت التعاونية" and entry.before == {"is_active": True}
    client.post(url("organization_set_active", org.pk), {"active": "1", "reason": "خطأ"})
    assert reload(org).is_active
    assert len(log("organization.reactivated", object_id=str(org.pk))) == 1

    history = client.get(url("manage_organization", org.pk)).context["entries"]
    actions = {e.action for e in history}
    assert {"organization.verified", "organization.deactivated", "organization.reactivated",
            "representation.requested"} <= actions


def test_each_decision_is_logged_once(client, fes_staff, make_org, make_user):
    orgs = [make_org(f"تعاونية {i}", registration_number=f"N-{i}") for i in range(2)]
    claims = [claim_for(make_user(f"u{i}@example.ma"), org) for i, org in enumerate(orgs)]
    client.force_login(fes_staff)
    client.post(url("claim_decide", claims[0].pk), {"decision": "approve"})
    client.post(url("claim_decide", claims[1].pk), {"decision": "refuse", "reason": "لا"})
    with scopes_disabled():
        decided = ActivityLog.objects.filter(action__in=["representation.approved", "representation.refused"])
        assert sorted((e.action, e.object_id) for e in decided) == sorted([
            ("representation.approved", str(claims[0].pk)), ("representation.refused", str(claims[1].pk))])
        assert all(e.actor == fes_staff for e in decided)
        assert Organization.objects.count() == 2
