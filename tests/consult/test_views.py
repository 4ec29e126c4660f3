"""Screens: the participant's journey (propose, support once, comment), facilitators and staff, the
public accountability page, the pole's catalogue and bookings; and the permission matrix of every
view (anonymous sent to log in, other roles 403, another region 404)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.consult import services
from tadamon.consult.models import Action, Booking, Milestone, Proposal, Support

from .conftest import make_service

pytestmark = pytest.mark.django_db


def test_participant_proposes_supports_once_and_comments(client_for, workshop, themes, plain_user):
    client = client_for(plain_user)
    page = client.get(reverse("consult:workshop", args=[workshop.pk]))
    assert page.status_code == 200 and "التشخيص" in page.content.decode()
    response = client.post(reverse("consult:propose", args=[workshop.pk]),
                           {"theme": themes[0].pk, "title": "مرصد جهوي", "body": "مرصد يجمع المعطيات"})
    with scopes_disabled():
        proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("consult:proposal", args=[proposal.pk])
    url = reverse("consult:support", args=[proposal.pk])
    client.post(url)
    second = client.post(url, follow=True)
    assert "مرة واحدة" in second.content.decode()  # "each person supports a proposal once", in Arabic
    with scopes_disabled():
        assert Support.objects.filter(proposal=proposal).count() == 1
    client.post(reverse("consult:comment", args=[proposal.pk]), {"body": "فكرة جيدة"})
    html = client.get(reverse("consult:proposal", args=[proposal.pk])).content.decode()
    assert "فكرة جيدة" in html and 'id="supported"' in html


def test_bad_proposal_keeps_the_form_and_changes_nothing(client_for, workshop, themes, plain_user):
    response = client_for(plain_user).post(reverse("consult:propose", args=[workshop.pk]),
                                           {"theme": themes[0].pk, "title": "", "body": ""})
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    with scopes_disabled():
        assert not Proposal.objects.exists()


def test_staff_retains_into_an_action_and_the_public_page_shows_it(client_for, workshop, proposal, plan, owner,
                                                                   fes_staff, fes):
    client = client_for(fes_staff)
    assert client.get(reverse("consult:manage_ranking", args=[workshop.pk])).status_code == 200
    response = client.post(reverse("consult:manage_retain", args=[proposal.pk]), {
        "reason": "أثر مباشر على الجودة", "title_ar": "وحدة التلفيف", "title_fr": "Unité de conditionnement",
        "owner": owner.pk, "budget_mad": "1800000"})
    with scopes_disabled():
        action = Action.objects.get()
    assert response["Location"] == reverse("consult:manage_action", args=[action.pk])
    # A milestone before the plan starts: a clear message, nothing saved.
    page = client.post(reverse("consult:manage_action", args=[action.pk]),
                       {"form": "milestone", "m-title": "إطلاق", "m-due_on": "2025-01-01"}, follow=True)
    assert "قبل انطلاق الخطة" in page.content.decode()
    with scopes_disabled():
        assert not Milestone.objects.exists()
    client.post(reverse("consult:manage_action", args=[action.pk]),
                {"form": "progress", "p-body": "اقتناء الآلات", "p-progress": "35", "p-status": "in_progress"})
    html = client_for(fes_staff).get(reverse("consult:accountability", args=[fes.slug])).content.decode()
    assert "وحدة التلفيف" in html and "35%" in html and "أثر مباشر على الجودة" in html


def test_facilitator_types_for_a_table_and_hides_with_a_reason(client_for, workshop, themes, proposal, fes_staff):
    client = client_for(fes_staff)
    client.post(reverse("consult:manage_table", args=[workshop.pk]),
                {"theme": themes[1].pk, "title": "لجنة قيادة", "body": "لجنة", "author_label": "الطاولة 2"})
    with scopes_disabled():
        typed = Proposal.objects.get(title="لجنة قيادة")
    assert typed.author_label == "الطاولة 2" and typed.typed_by == fes_staff
    page = client.post(reverse("consult:manage_hide", args=[proposal.pk]), {"reason": ""})
    assert page.status_code == 200
    client.post(reverse("consult:manage_hide", args=[proposal.pk]), {"reason": "خارج الموضوع"})
    with scopes_disabled():
        assert Proposal.objects.get(pk=proposal.pk).status == "hidden"
    assert client_for(fes_staff).get(reverse("consult:proposal", args=[proposal.pk])).status_code == 200


def test_organization_books_and_staff_approve(client_for, client, service, organization, representative,
                                              fes_staff):
    start = timezone.localtime() + timedelta(days=5)
    fmt = "%Y-%m-%dT%H:%M"
    data = {"organization": organization.pk, "starts_at": start.strftime(fmt),
            "ends_at": (start + timedelta(hours=2)).strftime(fmt), "purpose": "اجتماع الجمع العام"}
    rep = client_for(representative)
    assert rep.post(reverse("consult:service", args=[service.pk]), data)["Location"] == reverse("consult:my_bookings")
    again = rep.post(reverse("consult:service", args=[service.pk]), data)
    assert again.status_code == 200 and "محجوزة" in again.content.decode()
    with scopes_disabled():
        booking = Booking.objects.get()
    staff = client_for(fes_staff)
    staff.post(reverse("consult:manage_booking_decide", args=[booking.pk]), {"decision": "approve"})
    with scopes_disabled():
        booking.refresh_from_db()
    assert booking.status == "approved"
    html = staff.get(reverse("consult:manage_pole")).content.decode()
    usage = html.split('id="usage"')[1].split("</div></div>")[0]
    assert "قاعة الاجتماعات" in usage and "الحجوزات: 1 ·" in usage  # one approved booking in the usage figures


# ---- permissions ---------------------------------------------------------------------------------

@pytest.fixture
def urls(workshop, proposal, plan, action, service):
    with scopes_disabled():
        booking = services.book(None, service, _org(), starts_at=timezone.now() + timedelta(days=2),
                                ends_at=timezone.now() + timedelta(days=2, hours=1))
        comment = services.comment(None, proposal, "x")
    return {
        "manage_workshops": reverse("consult:manage_workshops"),
        "manage_workshop_new": reverse("consult:manage_workshop_new"),
        "manage_workshop": reverse("consult:manage_workshop", args=[workshop.pk]),
        "manage_table": reverse("consult:manage_table", args=[workshop.pk]),
        "manage_ranking": reverse("consult:manage_ranking", args=[workshop.pk]),
        "manage_plan": reverse("consult:manage_plan", args=[plan.pk]),
        "manage_action": reverse("consult:manage_action", args=[action.pk]),
        "manage_hide": reverse("consult:manage_hide", args=[proposal.pk]),
        "manage_merge": reverse("consult:manage_merge", args=[proposal.pk]),
        "manage_score": reverse("consult:manage_score", args=[proposal.pk]),
        "manage_retain": reverse("consult:manage_retain", args=[proposal.pk]),
        "manage_not_retain": reverse("consult:manage_not_retain", args=[proposal.pk]),
        "manage_pole": reverse("consult:manage_pole"),
        "manage_service": reverse("consult:manage_service", args=[service.pk]),
        "POST manage_phase": reverse("consult:manage_phase", args=[workshop.pk]),
        "POST manage_pre_read": reverse("consult:manage_pre_read", args=[workshop.pk]),
        "POST manage_booking_decide": reverse("consult:manage_booking_decide", args=[booking.pk]),
        "POST manage_hide_comment": reverse("consult:manage_hide_comment", args=[comment.pk]),
    }


def _org():
    from tadamon.core.models import Province
    from tadamon.registry.models import Organization, Sector

    return Organization.objects.create(name_ar="تعاونية", province=Province.objects.get(code="03.131"),
                                       sector=Sector.objects.first())


def _get(client, key, url):
    return client.post(url) if key.startswith("POST ") else client.get(url)


def test_anonymous_users_are_sent_to_log_in(client, urls):
    for key, url in urls.items():
        response = _get(client, key, url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], key
    for name in ("my_bookings",):
        assert "/accounts/login/" in client.get(reverse(f"consult:{name}"))["Location"]
    assert "/accounts/login/" in client.post(reverse("consult:propose", args=[1]))["Location"]


def test_roles_without_the_right_get_403(client_for, urls, plain_user, fes_juror):
    for user in (plain_user, fes_juror):
        client = client_for(user)
        for key, url in urls.items():
            assert _get(client, key, url).status_code == 403, (user.email, key)


def test_partner_viewer_reads_but_does_not_decide(client_for, urls, fes_partner):
    client = client_for(fes_partner)
    readable = {"manage_workshops", "manage_ranking", "manage_plan", "manage_action", "manage_pole"}
    for key, url in urls.items():
        expected = 200 if key in readable else 403
        assert _get(client, key, url).status_code == expected, key


def test_staff_of_another_region_get_404(client_for, urls, marrakech_staff):
    client = client_for(marrakech_staff)
    for key, url in urls.items():
        if key in ("manage_workshops", "manage_workshop_new", "manage_pole"):
            assert client.get(url).status_code == 200, key
            continue
        assert _get(client, key, url).status_code in (403, 404), key
    # Object pages of Fès-Meknès are not found for Marrakech-Safi's staff.
    assert client.get(urls["manage_workshop"]).status_code == 404
    assert client.get(urls["manage_plan"]).status_code == 404
    assert client.get(urls["manage_service"]).status_code == 404


def test_staff_and_national_admin_open_every_screen(client_for, urls, fes_staff, national_admin):
    for user in (fes_staff, national_admin):
        client = client_for(user)
        for key, url in urls.items():
            if not key.startswith("POST "):
                assert client.get(url).status_code == 200, (user.email, key)


def test_action_contact_reports_progress_only_on_their_action(client_for, action, make_user):
    contact = make_user("contact@partner.ma")
    with scopes_disabled():
        Action.objects.filter(pk=action.pk).update(contact=contact)
    client = client_for(contact)
    url = reverse("consult:manage_action", args=[action.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"form": "milestone", "m-title": "x", "m-due_on": "2026-01-01"}).status_code == 403
    client.post(url, {"form": "progress", "p-body": "تم", "p-progress": "50", "p-status": "in_progress"})
    with scopes_disabled():
        assert Action.objects.get(pk=action.pk).progress == 50


def test_only_the_representative_cancels_a_booking(client_for, service, organization, representative, plain_user):
    with scopes_disabled():
        start = timezone.now() + timedelta(days=1)
        booking = services.book(representative, service, organization, starts_at=start,
                                ends_at=start + timedelta(hours=1))
    url = reverse("consult:cancel_booking", args=[booking.pk])
    assert client_for(plain_user).post(url).status_code == 403
    client_for(representative).post(url)
    with scopes_disabled():
        assert Booking.objects.get(pk=booking.pk).status == "cancelled"


def test_public_pages_open_to_everyone(client, workshop, proposal, fes, service, other_workshop):
    for url in (reverse("consult:workshops"), reverse("consult:workshop", args=[workshop.pk]),
                reverse("consult:proposal", args=[proposal.pk]), reverse("consult:accountability", args=[fes.slug]),
                reverse("consult:catalogue"), reverse("consult:service", args=[service.pk])):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("consult:accountability", args=["nowhere"])).status_code == 404
    closed = make_service(fes, is_active=False)
    assert f'id="service-{closed.pk}"' not in client.get(reverse("consult:catalogue")).content.decode()


def test_staff_name_the_partners_contact_who_is_told_by_email(client_for, action, fes_staff, make_user, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    contact = make_user("contact@odco.ma", language="fr")
    client = client_for(fes_staff)
    url = reverse("consult:manage_action", args=[action.pk])
    page = client.post(url, {"form": "contact", "c-contact_email": "nobody@nowhere.ma"}, follow=True)
    assert "لا يوجد حساب" in page.content.decode() and not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"form": "contact", "c-contact_email": "Contact@odco.ma"})
    with scopes_disabled():
        assert Action.objects.get(pk=action.pk).contact == contact
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["contact@odco.ma"]
    message = mailoutbox[0]
    assert "Bonjour" in message.body and url.replace("/ar/", "/fr/") in message.body  # in their language
