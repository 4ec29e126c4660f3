"""The prize cycle through its services: candidacies, the jury, assignment, scoring, the locked
ranking, publication, certificates, the ceremony and honours; bad input changes nothing."""

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.core.models import ActivityLog, Role, RoleAssignment
from tadamon.prizes import services
from tadamon.prizes.models import Assignment, Award, Candidacy, Conflict, FinalRanking, Honour, Prize
from tests.programme.test_views import _pdf_qr_texts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _all_regions():
    """Services run here as a command would, outside a request's region scope."""
    with scopes_disabled():
        yield


def test_representative_applies_for_an_exhibitor_once(prize, category, exhibitor, representative, english):
    org = exhibitor("تعاونية الزليج")
    user = representative(org, "rep@example.ma")
    candidacy = services.apply(user, prize, org, category, "زليج بألوان طبيعية")
    assert candidacy.status == Candidacy.Status.SUBMITTED and not candidacy.nominated
    assert ActivityLog.objects.filter(action="prize.candidacy_submitted").count() == 1
    with pytest.raises(services.PrizeError, match="already has a candidacy"):
        services.apply(user, prize, org, category, "again")
    with scopes_disabled():
        assert Candidacy.objects.count() == 1


def test_bad_candidacies_are_refused_and_change_nothing(prize, category, exhibitor, representative, make_org,
                                                        english):
    outsider = make_org("تعاونية ليست عارضة")
    user = representative(outsider, "outsider@example.ma")
    with pytest.raises(services.PrizeError, match="Only exhibitors"):
        services.apply(user, prize, outsider, category, "pitch")
    terroir_only = exhibitor("تعاونية العسل", sector="terroir")
    rep = representative(terroir_only, "honey@example.ma")
    with pytest.raises(services.PrizeError, match="no product of this category"):
        services.apply(rep, prize, terroir_only, category, "pitch")
    stranger = exhibitor("تعاونية أخرى")
    with pytest.raises(services.PrizeError, match="do not represent"):
        services.apply(rep, prize, stranger, category, "pitch")
    with pytest.raises(services.PrizeError, match="short pitch"):
        services.apply(representative(stranger, "s@example.ma"), prize, stranger, category, "  ")
    late = timezone.now() + timedelta(days=6)
    with pytest.raises(services.PrizeError, match="closed"):
        services.apply(rep, prize, terroir_only, prize.categories.get(sector__key="terroir"), "pitch", now=late)
    with scopes_disabled():
        assert Candidacy.objects.count() == 0


def test_invitation_by_email_and_acceptance_grant_the_juror_role(prize, make_user, fes, english):
    member = services.invite_juror(None, prize, name="Samira", email="Samira@Example.ma", institution="ODCO",
                                   invitation_url=lambda m: f"https://tadamon.test/jury/invitations/{m.token}/")
    assert len(mail.outbox) == 1 and member.token in mail.outbox[0].body
    assert mail.outbox[0].to == ["samira@example.ma"]
    with pytest.raises(services.PrizeError, match="already on the jury"):
        services.invite_juror(None, prize, name="Samira", email="samira@example.ma")
    other = make_user("someone@example.ma")
    with pytest.raises(services.PrizeError, match="another e-mail"):
        services.accept_invitation(other, member.token)
    user = make_user("samira@example.ma")
    services.accept_invitation(user, member.token)
    assert RoleAssignment.objects.filter(user=user, role=Role.JUROR, region=fes).exists()
    with pytest.raises(services.PrizeError, match="not valid"):
        services.accept_invitation(user, "forged")


def test_conflicts_detected_and_never_assigned(prize, category, exhibitor, jury, fes_staff, representative):
    (u0, m0), (u1, m1), (u2, m2) = jury
    orgs = [exhibitor(f"تعاونية {n}", province="03.131" if n else "03.451") for n in range(3)]
    with scopes_disabled():
        for org in orgs:
            services.nominate(fes_staff, prize, org, category, "pitch")
        representative(orgs[0], "rep0@example.ma")
        from tadamon.registry.models import Representation

        Representation.objects.create(user=u0, organization=orgs[1], status=Representation.Status.APPROVED)
        m2.linked_organizations.add(orgs[2])
        result = services.run_assignment(fes_staff, prize)
        assert result["status"] == "optimal"
        conflicts = {(c.member_id, c.candidacy.organization_id, c.source) for c in Conflict.objects.select_related(
            "candidacy")}
        assert conflicts == {(m0.pk, orgs[1].pk, "linked"), (m2.pk, orgs[2].pk, "linked")}
        pairs = {(a.member_id, a.candidacy.organization_id) for a in Assignment.objects.select_related("candidacy")}
        assert (m0.pk, orgs[1].pk) not in pairs and (m2.pk, orgs[2].pk) not in pairs
        for candidacy in Candidacy.objects.all():
            assert candidacy.assignments.count() == 2
        # same province, when the prize says so
        prize.same_province_conflict = True
        prize.save()
        m1.province_id = orgs[0].province_id
        m1.save()
        assert services.detect_conflicts(fes_staff, prize) == 1
        assert ActivityLog.objects.filter(action="prize.conflict_recorded").count() == 3
        assert ActivityLog.objects.filter(action="prize.assigned").exists()


def test_too_few_jurors_free_of_conflict_is_a_clear_error(prize, category, exhibitor, jury, fes_staff, english):
    org = exhibitor("تعاونية")
    with scopes_disabled():
        candidacy = services.nominate(fes_staff, prize, org, category, "pitch")
        for _user, member in jury[:2]:
            services.declare_conflict(None, member, candidacy, "family")
        with pytest.raises(services.PrizeError, match="fewer than 2 jurors"):
            services.run_assignment(fes_staff, prize)
        assert Assignment.objects.count() == 0


def _sheet(prize, jury, index=0):
    user, member = jury[index]
    with scopes_disabled():
        return user, member, member.assignments.select_related("candidacy").first()


@pytest.fixture
def assigned(prize, category, exhibitor, jury, fes_staff):
    with scopes_disabled():
        for n in range(3):
            services.nominate(fes_staff, prize, exhibitor(f"تعاونية {n}"), category, "pitch")
        prize.status = Prize.Status.SCORING
        prize.save()
        services.run_assignment(fes_staff, prize)
    return prize


def test_draft_then_submit_then_final(assigned, jury, english):
    user, member, sheet = _sheet(assigned, jury)
    innovation, quality = list(assigned.criteria.all())
    services.save_scores(user, sheet, {str(innovation.pk): "7"}, "جيد", submit=False)
    sheet.refresh_from_db()
    assert sheet.scores == {str(innovation.pk): 7} and sheet.submitted_at is None
    with pytest.raises(services.PrizeError, match="every criterion"):
        services.save_scores(user, sheet, {str(innovation.pk): "7"}, submit=True)
    services.save_scores(user, sheet, {str(innovation.pk): 7, str(quality.pk): 5}, "ممتاز", submit=True)
    with pytest.raises(services.PrizeError, match="already submitted"):
        services.save_scores(user, sheet, {str(innovation.pk): 1, str(quality.pk): 1}, submit=True)
    sheet.refresh_from_db()
    assert sheet.scores == {str(innovation.pk): 7, str(quality.pk): 5} and sheet.comment == "ممتاز"
    actions = list(ActivityLog.objects.filter(action__startswith="prize.score").values_list("action", flat=True))
    assert sorted(actions) == ["prize.score_saved", "prize.score_submitted"]


@pytest.mark.parametrize("value", ["11", "-1", "abc", "7.5"])
def test_score_outside_the_scale_changes_nothing(assigned, jury, value, english):
    user, member, sheet = _sheet(assigned, jury)
    innovation = assigned.criteria.first()
    services.save_scores(user, sheet, {str(innovation.pk): 4})
    with pytest.raises(services.PrizeError):
        services.save_scores(user, sheet, {str(innovation.pk): value}, "changed")
    sheet.refresh_from_db()
    assert sheet.scores == {str(innovation.pk): 4} and sheet.comment == ""


def test_late_submission_and_unassigned_juror_are_refused(assigned, jury, english):
    user, member, sheet = _sheet(assigned, jury)
    scores = {str(c.pk): 3 for c in assigned.criteria.all()}
    with pytest.raises(services.PrizeError, match="scoring of this prize is closed"):
        services.save_scores(user, sheet, scores, submit=True, now=assigned.scoring_closes_at + timedelta(seconds=1))
    other_user = jury[1][0]
    with pytest.raises(services.PrizeError, match="not assigned to you"):
        services.save_scores(other_user, sheet, scores, submit=True)
    sheet.refresh_from_db()
    assert sheet.scores == {} and sheet.submitted_at is None


def test_declared_conflict_removes_the_sheet(assigned, jury):
    user, member, sheet = _sheet(assigned, jury)
    with scopes_disabled():
        services.declare_conflict(user, member, sheet.candidacy, "my cousin's cooperative")
        assert not Assignment.objects.filter(pk=sheet.pk).exists()
    with pytest.raises(services.PrizeError):
        services.save_scores(user, sheet, {})


def test_lock_once_publish_certificate_and_ceremony(scored_prize, fes_staff, client, english):
    prize = scored_prize
    with scopes_disabled():
        rows = services.compute_ranking(prize)
        assert [r["rank"] for r in rows] == [1, 2, 3, 4] and all(r["sheets"] == 2 for r in rows)
        with pytest.raises(services.PrizeError, match="Lock the final ranking"):
            services.publish(fes_staff, prize)
        ranking = services.lock_ranking(fes_staff, prize, "adopted")
        assert ranking.rows == rows and Award.objects.count() == 2
        with pytest.raises(services.PrizeError, match="already locked"):
            services.lock_ranking(fes_staff, prize, "another")
        with pytest.raises(IntegrityError), transaction.atomic():
            FinalRanking.objects.create(prize=prize, rows=[], locked_by=fes_staff)
        assert FinalRanking.objects.count() == 1
        services.publish(fes_staff, prize)
        prize.refresh_from_db()
        assert prize.status == Prize.Status.PUBLISHED
        award = Award.objects.get(rank=1)
        pdf = services.certificate_pdf(award, absolute_url=f"https://tadamon.test/ar/certificates/{award.code}/")
        assert pdf.startswith(b"%PDF")
        session = services.create_ceremony(fes_staff, prize)
        assert session.kind == "award" and session.edition_id == prize.edition_id
        assert services.create_ceremony(fes_staff, prize) == session
    assert ActivityLog.objects.filter(action="prize.ranking_locked").count() == 1
    assert ActivityLog.objects.filter(action="prize.published").count() == 1
    page = client.get(f"/en/certificates/{award.code}/")
    assert page.status_code == 200 and award.candidacy.organization.name_fr in page.content.decode()
    assert client.get("/en/certificates/forged-code/").status_code == 404
    download = client.get(f"/en/prizes/certificates/{award.code}.pdf")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")


def test_certificate_in_arabic_and_french_with_a_qr_of_its_verification_page(scored_prize, fes_staff, client,
                                                                              tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    with scopes_disabled():
        services.lock_ranking(fes_staff, scored_prize)
        services.publish(fes_staff, scored_prize)
        award = Award.objects.select_related("candidacy__organization").get(rank=1)
    pdf = client.get(f"/ar/prizes/certificates/{award.code}.pdf").content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "شهادة تتويج" in text and "Certificat de lauréat" in text
    assert "فازت بالمرتبة" in text and "Prix de l'innovation" in text and "rang 1" in text
    texts = _pdf_qr_texts(pdf, tmp_path)
    assert texts == [f"http://testserver/ar/certificates/{award.code}/"]


def test_honours_on_the_edition_page(fair, exhibitor, fes_staff, client, english):
    org = exhibitor("تعاونية القفطان")
    with scopes_disabled():
        services.add_honour(fes_staff, fair, org, Honour.Kind.CAFTAN, "تكريم في حفل القفطان", "Défilé du caftan")
        with pytest.raises(services.PrizeError, match="already has this honour"):
            services.add_honour(fes_staff, fair, org, Honour.Kind.CAFTAN, "مرة أخرى")
    page = client.get(f"/en/fairs/{fair.pk}/").content.decode()
    assert "Caftan show" in page and "Défilé du caftan" in page


def test_publication_tells_the_winners_by_email(scored_prize, fes_staff, representative, english):
    with scopes_disabled():
        services.lock_ranking(fes_staff, scored_prize)
        first = Award.objects.select_related("candidacy__organization").get(rank=1)
    user = representative(first.candidacy.organization, "winner@example.ma")
    services.publish(fes_staff, scored_prize, certificate_url=lambda a: f"https://tadamon.test/c/{a.code}.pdf")
    sent = [m for m in mail.outbox if m.to == [user.email]]
    assert len(sent) == 1 and f"/c/{first.code}.pdf" in sent[0].body
    assert "بالمرتبة 1" in sent[0].body  # in the representative's language (Arabic)
    services.publish(fes_staff, scored_prize, certificate_url=lambda a: "x")  # already published: no second mail
    assert len([m for m in mail.outbox if m.to == [user.email]]) == 1


def test_edition_report_lists_the_published_winners(scored_prize, fes_staff, english):
    """The edition report's prize rows: candidacies always, winners only once published."""
    from tadamon.insights.figures import edition_figures

    prize = scored_prize
    with scopes_disabled():
        before = dict((key, value) for key, _label, value in edition_figures(prize.edition)["extra"])
        assert before == {f"prize_{prize.pk}_candidacies": 4}
        services.lock_ranking(fes_staff, prize, "adopted")
        services.publish(fes_staff, prize)
        rows = edition_figures(prize.edition)["extra"]
        winners = [value for key, _label, value in rows if "_category_" in key]
        first, second = (Award.objects.order_by("rank").select_related("candidacy__organization"))
    assert winners == [f"1. {first.candidacy.organization.name} · 2. {second.candidacy.organization.name}"]
