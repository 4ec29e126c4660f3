"""Fair screens: the applicant's steps, staff review and selection, the permission matrix."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.core import sms
from tadamon.fairs.models import Application, Edition

S = Application.Status


@pytest.fixture
def open_application(edition, applicant):
    user, org, product = applicant()
    return user, org, product


def _apply(client, edition, user, product):
    client.force_login(user)
    response = client.get(reverse("fairs:apply", args=[edition.pk]))
    assert response.status_code == 302
    with scopes_disabled():
        application = Application.objects.get(edition=edition)
        pole = edition.poles.get()
    steps = [
        ("pole", {"pole": pole.pk}),
        ("products", {"products": [product.pk]}),
        ("needs", {"needs_power": "on", "share_with": ""}),
        ("questions", {}),
        ("declaration", {"declaration_accepted": "on"}),
    ]
    for step, data in steps:
        response = client.post(reverse("fairs:application_step", args=[application.pk, step]), data)
        assert response.status_code == 302, (step, response.context and response.context["form"].errors)
    with scopes_disabled():
        application.refresh_from_db()
    return application


def test_public_edition_page_and_list(client, edition):
    assert client.get(reverse("fairs:editions")).status_code == 200
    response = client.get(reverse("fairs:edition", args=[edition.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert edition.title_ar in html and reverse("fairs:apply", args=[edition.pk]) in html


def test_draft_editions_are_not_public(client, edition):
    with scopes_disabled():
        edition.status = Edition.Status.DRAFT
        edition.save()
    assert client.get(reverse("fairs:edition", args=[edition.pk])).status_code == 404


def test_applicant_journey_to_submitted(client, edition, open_application):
    user, org, product = open_application
    application = _apply(client, edition, user, product)
    assert application.status == S.ELIGIBLE  # submitted, then checked automatically
    assert application.needs_power
    page = client.get(reverse("fairs:application", args=[application.pk]))
    assert page.status_code == 200


def test_step_with_bad_input_changes_nothing(client, edition, open_application):
    user, org, product = open_application
    client.force_login(user)
    client.get(reverse("fairs:apply", args=[edition.pk]))
    with scopes_disabled():
        application = Application.objects.get(edition=edition)
    response = client.post(reverse("fairs:application_step", args=[application.pk, "pole"]), {"pole": "99999"})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(reverse("fairs:application_step", args=[application.pk, "declaration"]), {})
    assert response.status_code == 200
    with scopes_disabled():
        application.refresh_from_db()
    assert application.status == S.DRAFT and application.pole is None


def test_cannot_change_after_deadline(client, edition, open_application):
    user, org, product = open_application
    application = _apply(client, edition, user, product)
    with scopes_disabled():
        edition.call_closes_at = timezone.now() - timedelta(seconds=1)
        edition.save()
    response = client.post(reverse("fairs:application_step", args=[application.pk, "needs"]), {"needs_water": "on"})
    assert response.status_code == 302
    with scopes_disabled():
        application.refresh_from_db()
    assert not application.needs_water


def test_applicant_sees_only_own_applications(client, edition, open_application, applicant):
    user, org, product = open_application
    application = _apply(client, edition, user, product)
    other_user, _, _ = applicant(email="other@example.ma", name="تعاونية أخرى")
    client.force_login(other_user)
    for name in ("fairs:application", "fairs:letter"):
        assert client.get(reverse(name, args=[application.pk])).status_code == 404
    assert client.post(reverse("fairs:withdraw", args=[application.pk])).status_code == 404
    assert client.get(reverse("fairs:manage_application", args=[application.pk])).status_code == 403


@pytest.mark.parametrize("who,expected", [
    ("fes_staff", 200), ("national_admin", 200), ("fes_partner", 200), ("marrakech_staff", 404),
    ("fes_juror", 403), ("plain_user", 403),
])
def test_review_screen_matrix(request, client, edition, open_application, who, expected):
    user, org, product = open_application
    application = _apply(client, edition, user, product)
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("fairs:manage_application", args=[application.pk])).status_code == expected
    assert client.get(reverse("fairs:manage_edition", args=[edition.pk])).status_code == expected


def test_partner_viewer_cannot_score_or_publish(client, edition, open_application, fes_partner):
    user, org, product = open_application
    application = _apply(client, edition, user, product)
    client.force_login(fes_partner)
    response = client.post(reverse("fairs:manage_application", args=[application.pk]), {"eligibility": "1"})
    assert response.status_code == 403
    assert client.post(reverse("fairs:manage_selection", args=[edition.pk]), {"run": "1"}).status_code == 403
    assert client.post(reverse("fairs:manage_edition_status", args=[edition.pk]),
                       {"status": "call_closed"}).status_code == 403


def test_staff_review_select_publish_and_applicant_gets_letter(client, edition, open_application, fes_staff,
                                                                django_capture_on_commit_callbacks):
    pytest.importorskip("tadamon.fairs.selection")
    user, org, product = open_application
    application = _apply(client, edition, user, product)
    client.force_login(fes_staff)
    with scopes_disabled():
        quality, innovation = edition.criteria.all()
    response = client.post(reverse("fairs:manage_application", args=[application.pk]),
                           {"score": "1", f"c_{quality.pk}": "8", f"c_{innovation.pk}": "7", "comment": "جيد"})
    assert response.status_code == 302
    # Out-of-range points are refused, and nothing changes.
    bad = client.post(reverse("fairs:manage_application", args=[application.pk]),
                      {"score": "1", f"c_{quality.pk}": "80", f"c_{innovation.pk}": "7"})
    assert bad.status_code == 200 and bad.context["review_form"].errors
    client.post(reverse("fairs:manage_edition_status", args=[edition.pk]), {"status": "call_closed"})
    client.post(reverse("fairs:manage_selection", args=[edition.pk]), {"run": "1"})
    page = client.get(reverse("fairs:manage_selection", args=[edition.pk]))
    assert [a.pk for a in page.context["rows"]["selected"]] == [application.pk]
    mail.outbox.clear()
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the notifications leave once the publication commits
        client.post(reverse("fairs:manage_selection", args=[edition.pk]), {"publish": "1"})
    with scopes_disabled():
        application.refresh_from_db()
        edition.refresh_from_db()
    assert application.status == S.SELECTED
    assert edition.status == Edition.Status.SELECTION_PUBLISHED
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert len(sms.outbox) == 1
    public = client.get(reverse("fairs:edition", args=[edition.pk])).content.decode()
    assert org.name_ar in public
    client.force_login(user)
    letter = client.get(reverse("fairs:letter", args=[application.pk]))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert letter.content[:5] == b"%PDF-"
    client.post(reverse("fairs:confirm", args=[application.pk]))
    with scopes_disabled():
        application.refresh_from_db()
    assert application.status == S.CONFIRMED


def test_export_xlsx(client, edition, open_application, fes_staff):
    from io import BytesIO

    from openpyxl import load_workbook

    user, org, product = open_application
    _apply(client, edition, user, product)
    client.force_login(fes_staff)
    response = client.get(reverse("fairs:manage_export", args=[edition.pk]))
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "application" and rows[1][3] == org.name_ar


def test_sending_twice_keeps_one_submission(client, edition, open_application):
    from tadamon.core.models import ActivityLog

    user, org, product = open_application
    application = _apply(client, edition, user, product)
    response = client.post(reverse("fairs:application_step", args=[application.pk, "declaration"]),
                           {"declaration_accepted": "on"})
    assert response.status_code == 302
    with scopes_disabled():
        application.refresh_from_db()
        assert application.status == S.ELIGIBLE  # a stale form never writes the status back
        assert ActivityLog.objects.filter(action="application.submitted", object_id=str(application.pk)).count() == 1


def test_staff_add_and_remove_quotas_that_the_selection_applies(client, edition, fes_staff, marrakech_staff,
                                                                 fes_partner):
    from tadamon.core.models import ActivityLog
    from tadamon.fairs.models import SelectionQuota
    from tadamon.fairs.services import build_instance

    url = reverse("fairs:manage_add_quota", args=[edition.pk])
    good = {"name": "every province", "applies_to": "", "group_by": "province", "minimum": "2"}
    client.force_login(marrakech_staff)
    assert client.post(url, good).status_code == 404  # another region's edition
    client.force_login(fes_partner)
    assert client.post(url, good).status_code == 403  # partners read only
    client.force_login(fes_staff)
    # Bad input changes nothing: no limit, an unknown province, a share over 100 %.
    for bad in ({"name": "x"}, {"name": "x", "applies_to": "province", "value": "99.999", "minimum": "1"},
                {"name": "x", "max_share": "140"}):
        client.post(url, bad)
    with scopes_disabled():
        assert not SelectionQuota.objects.exists()
    client.post(url, good)
    client.post(url, {"name": "women", "applies_to": "women_led", "min_share": "40"})
    client.post(url, {"name": "women", "applies_to": "women_led", "min_share": "40"})  # same name: refused
    with scopes_disabled():
        quotas = build_instance(edition)["quotas"]
        assert {"name": "every province", "group_by": "province", "min": 2} in quotas
        assert {"name": "women", "where": {"women_led": True}, "min_share": 0.4} in quotas
        assert SelectionQuota.objects.count() == 2
        assert ActivityLog.objects.filter(action="edition.configured").count() == 2
        quota = SelectionQuota.objects.get(name="women")
    page = client.get(reverse("fairs:manage_edition", args=[edition.pk])).content.decode()
    assert "every province" in page
    client.force_login(marrakech_staff)
    assert client.post(reverse("fairs:manage_remove_quota", args=[quota.pk])).status_code == 404
    client.force_login(fes_staff)
    client.post(reverse("fairs:manage_remove_quota", args=[quota.pk]))
    with scopes_disabled():
        assert not SelectionQuota.objects.filter(pk=quota.pk).exists()
