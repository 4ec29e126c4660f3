"""Who may use the prize screens: staff of the region, partner viewers (read), jurors (their own
sheets only, never a conflicted one), representatives; another region is 404, anonymous users log in."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from tadamon.core.models import ActivityLog
from tadamon.prizes import services
from tadamon.prizes.models import Assignment, Candidacy, Conflict, Prize

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_log_in(client, prize):
    for url in [reverse("prizes:manage_list"), reverse("prizes:manage", args=[prize.pk]), reverse("prizes:jury_home"),
                reverse("prizes:apply", args=[prize.pk]), reverse("prizes:honours", args=[prize.edition_id])]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_staff_screens_by_role_and_region(client_for, prize, fes_staff, marrakech_staff, fes_partner, fes_juror,
                                          plain_user):
    manage = reverse("prizes:manage", args=[prize.pk])
    assert client_for(fes_staff).get(manage).status_code == 200
    assert client_for(marrakech_staff).get(manage).status_code == 404
    assert client_for(fes_partner).get(manage).status_code == 200
    advance = reverse("prizes:action", args=[prize.pk, "advance"])
    assert client_for(fes_partner).post(advance).status_code == 403
    assert client_for(marrakech_staff).post(advance).status_code == 404
    assert client_for(fes_juror).get(manage).status_code == 403
    assert client_for(plain_user).get(reverse("prizes:manage_list")).status_code == 403
    assert client_for(plain_user).post(advance).status_code == 403
    with scopes_disabled():
        assert Prize.objects.get(pk=prize.pk).status == Prize.Status.CANDIDACY


def test_staff_run_the_prize_from_their_screen(client_for, prize, category, exhibitor, jury, fes_staff, english):
    client = client_for(fes_staff)
    org = exhibitor("تعاونية الخزف")
    with scopes_disabled():
        org_pk = org.pk
    response = client.post(reverse("prizes:action", args=[prize.pk, "nominate"]), {
        "nom-organization": org_pk, "nom-category": category.pk, "nom-pitch": "خزف بألوان طبيعية"})
    assert response.status_code == 302
    client.post(reverse("prizes:action", args=[prize.pk, "advance"]))
    client.post(reverse("prizes:action", args=[prize.pk, "assign"]))
    with scopes_disabled():
        assert Assignment.objects.count() == 2
        assert Prize.objects.get(pk=prize.pk).status == Prize.Status.SCORING
    response = client.post(reverse("prizes:action", args=[prize.pk, "lock"]), {"rank-note": ""}, follow=True)
    assert "No submitted score yet" in response.content.decode()
    response = client.post(reverse("prizes:action", args=[prize.pk, "juror"]), {
        "jur-name": "Omar", "jur-email": "omar@example.ma", "jur-institution": "CRI"}, follow=True)
    assert "Invitation sent" in response.content.decode()
    response = client.post(reverse("prizes:action", args=[prize.pk, "ceremony"]))
    assert response.status_code == 302
    with scopes_disabled():
        assert Prize.objects.get(pk=prize.pk).ceremony.kind == "award"


def test_juror_sees_only_assigned_and_unconflicted_sheets(client_for, prize, category, exhibitor, jury, fes_staff,
                                                          fes_juror):
    with scopes_disabled():
        for n in range(3):
            services.nominate(fes_staff, prize, exhibitor(f"تعاونية {n}"), category, "pitch")
        prize.status = Prize.Status.SCORING
        prize.save()
        services.run_assignment(fes_staff, prize)
        (u0, m0), (_u1, _m1) = jury[0], jury[1]
        own = m0.assignments.select_related("candidacy__organization").first()
        others = Assignment.objects.exclude(member=m0)
        not_mine = others.exclude(candidacy__in=m0.assignments.values("candidacy")).first() or others.first()
    client = client_for(u0)
    assert client.get(reverse("prizes:score", args=[own.pk])).status_code == 200
    assert client.get(reverse("prizes:score", args=[not_mine.pk])).status_code == 404
    assert client_for(fes_juror).get(reverse("prizes:jury_prize", args=[prize.pk])).status_code == 404
    # declared conflict: the candidacy disappears from the list and its sheet is gone
    name = own.candidacy.organization.name_ar
    client = client_for(u0)
    client.post(reverse("prizes:declare_conflict", args=[own.pk]), {"reason": "قريب"})
    with scopes_disabled():
        assert Conflict.objects.filter(member=m0, candidacy=own.candidacy).exists()
    page = client.get(reverse("prizes:jury_prize", args=[prize.pk])).content.decode()
    assert name not in page
    assert client.get(reverse("prizes:score", args=[own.pk])).status_code == 404


def test_score_outside_the_scale_by_form_is_refused(client_for, prize, category, exhibitor, jury, fes_staff,
                                                    english):
    with scopes_disabled():
        services.nominate(fes_staff, prize, exhibitor("تعاونية"), category, "pitch")
        prize.status = Prize.Status.SCORING
        prize.save()
        services.run_assignment(fes_staff, prize)
        user, member = jury[0]
        sheet = member.assignments.first()
        criteria = list(prize.criteria.all())
    client = client_for(user)
    url = reverse("prizes:score", args=[sheet.pk])
    response = client.post(url, {f"c{criteria[0].pk}": "12", f"c{criteria[1].pk}": "3", "action": "submit"})
    assert response.status_code == 400 and "must be between 0 and 10" in response.content.decode()
    with scopes_disabled():
        sheet.refresh_from_db()
    assert sheet.scores == {} and sheet.submitted_at is None
    response = client.post(url, {f"c{criteria[0].pk}": "8", f"c{criteria[1].pk}": "", "action": "draft"})
    assert response.status_code == 302
    response = client.post(url, {f"c{criteria[0].pk}": "8", f"c{criteria[1].pk}": "4", "action": "submit"})
    assert response.status_code == 302
    with scopes_disabled():
        sheet.refresh_from_db()
    assert sheet.submitted_at is not None
    assert ActivityLog.objects.with_scopes_disabled().filter(action="prize.score_submitted").count() == 1


def test_representative_applies_from_the_form(client_for, prize, category, exhibitor, representative, english):
    from tests.fairs.conftest import _photo

    org = exhibitor("تعاونية الفخار")
    user = representative(org, "rep@example.ma")
    client = client_for(user)
    with scopes_disabled():
        org_pk = org.pk
    photo = _photo()
    photo.name = "p.jpg"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("prizes:apply", args=[prize.pk]), {
        "organization": org_pk, "category": category.pk, "pitch": "فخار بتصميم عصري",
        "photo1": SimpleUploadedFile("p.jpg", photo.read(), content_type="image/jpeg")})
    assert response.status_code == 302
    with scopes_disabled():
        candidacy = Candidacy.objects.get()
        assert candidacy.photos.count() == 1
    bad = client.post(reverse("prizes:apply", args=[prize.pk]), {
        "organization": org_pk, "category": category.pk, "pitch": "x",
        "photo1": SimpleUploadedFile("x.jpg", b"not a picture", content_type="image/jpeg")})
    assert bad.status_code == 200
    with scopes_disabled():
        assert Candidacy.objects.count() == 1


def test_public_pages_and_draft_prize(client, prize, english):
    assert client.get(reverse("prizes:prize", args=[prize.pk])).status_code == 200
    with scopes_disabled():
        prize.status = Prize.Status.DRAFT
        prize.save()
    assert client.get(reverse("prizes:prize", args=[prize.pk])).status_code == 404


def test_api_prizes_categories_and_winners(client, scored_prize, fes_staff):
    prize = scored_prize
    listing = client.get("/api/v1/prizes?region=03").json()
    assert listing["count"] == 1 and listing["items"][0]["title_fr"] == "Prix de l'innovation"
    detail = client.get(f"/api/v1/prizes/{prize.pk}").json()
    assert [c["sector"] for c in detail["categories"]] == ["handicrafts", "terroir", "pastries"]
    assert detail["criteria"][0]["max_points"] == 10
    assert len(client.get(f"/api/v1/prizes/{prize.pk}/categories").json()) == 3
    assert client.get(f"/api/v1/prizes/{prize.pk}/winners").status_code == 404
    with scopes_disabled():
        services.lock_ranking(fes_staff, prize)
        services.publish(fes_staff, prize)
    winners = client.get(f"/api/v1/prizes/{prize.pk}/winners").json()
    assert [w["rank"] for w in winners[0]["winners"]] == [1, 2] and winners[1]["winners"] == []
    assert "/certificates/" in winners[0]["winners"][0]["certificate"]
    assert client.get("/api/v1/prizes/999999").status_code == 404
    assert client.get("/api/v1/prizes?region=x").status_code == 422
    page = client.get(reverse("prizes:prize", args=[prize.pk])).content.decode()
    assert 'id="winners"' in page


def test_invitation_link_and_juror_home(client_for, prize, make_user, english):
    from django.core import mail

    with scopes_disabled():
        member = services.invite_juror(None, prize, name="Omar", email="omar@example.ma",
                                       invitation_url=lambda m: f"http://testserver/en/jury/invitations/{m.token}/")
    link = mail.outbox[0].body.split("http://testserver")[1].split()[0]
    wrong = client_for(make_user("other@example.ma"))
    wrong.post(link)
    with scopes_disabled():
        member.refresh_from_db()
    assert member.user_id is None
    omar = make_user("omar@example.ma")
    client = client_for(omar)
    assert "Accept the invitation" in client.get(link).content.decode()
    response = client.post(link)
    assert response.status_code == 302 and response["Location"].endswith(f"/jury/prizes/{prize.pk}/")
    home = client.get("/en/").content.decode()
    assert "Your juries" in home and f"/jury/prizes/{prize.pk}/" in home
    assert client.get(reverse("prizes:jury_home")).status_code == 200


def test_candidacy_sheets_for_the_deliberation(client_for, scored_prize, fes_staff, marrakech_staff, fes_juror,
                                               english):
    with scopes_disabled():
        candidacy = scored_prize.candidacies.first()
        sheet = candidacy.assignments.first()
    url = reverse("prizes:manage_candidacy", args=[candidacy.pk])
    page = client_for(fes_staff).get(url)
    assert page.status_code == 200 and sheet.member.name in page.content.decode()
    assert client_for(marrakech_staff).get(url).status_code == 404
    assert client_for(fes_juror).get(url).status_code == 403
