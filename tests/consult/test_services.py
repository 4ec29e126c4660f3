"""The operations: proposals and their bad input, one support per person, merge, moderation with
reasons, scores and the ranked list, the action plan (a milestone before the plan starts is refused),
progress with evidence, bookings (an overlap is refused), approval and usage figures. Every decision
is in the activity log, and refused input changes nothing."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scopes_disabled
from PIL import Image

from tadamon.consult import services
from tadamon.consult.models import Action, Booking, Milestone, Proposal, Support
from tadamon.core.models import ActivityLog

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _log(action):
    with scopes_disabled():
        return ActivityLog.objects.filter(action=action)


def test_a_second_support_by_the_same_person_is_refused_clearly(proposal, plain_user, make_user):
    with scopes_disabled():
        services.support(plain_user, proposal)
        with pytest.raises(services.ConsultError, match="already support"):
            services.support(plain_user, proposal)
        services.support(make_user("other@example.ma"), proposal)
        assert Support.objects.filter(proposal=proposal).count() == 2
        # The database refuses it too, whatever the code path.
        with pytest.raises(IntegrityError), transaction.atomic():
            Support.objects.create(proposal=proposal, user=plain_user)
    assert _log("proposal.supported").count() == 2


def test_proposal_bad_input_changes_nothing(workshop, themes, other_workshop, plain_user):
    with scopes_disabled():
        other_theme = other_workshop.themes.first()
        for kwargs, message in [
            ({"theme": themes[0], "title": " ", "body": "x"}, "title"),
            ({"theme": other_theme, "title": "t", "body": "b"}, "themes"),
            ({"theme": None, "title": "t", "body": "b"}, "themes"),
        ]:
            with pytest.raises(services.ConsultError, match=message):
                services.submit_proposal(workshop, author=plain_user, **kwargs)
        with pytest.raises(services.ConsultError, match="on whose behalf"):
            services.submit_proposal(workshop, theme=themes[0], title="t", body="b")
        workshop.phase = "closed"
        with pytest.raises(services.ConsultError, match="no longer"):
            services.submit_proposal(workshop, theme=themes[0], title="t", body="b", author=plain_user)
        assert Proposal.objects.count() == 0


def test_facilitator_types_for_a_table(workshop, themes, fes_staff):
    with scopes_disabled():
        p = services.submit_proposal(workshop, theme=themes[1], title="لجنة قيادة", body="لجنة متعددة الشركاء",
                                     author_label="الطاولة 3", typed_by=fes_staff)
        assert p.who == "الطاولة 3" and p.author is None and p.typed_by == fes_staff and p.phase == "during"
    entry = _log("proposal.submitted").get()
    assert entry.actor == fes_staff and entry.after["on_behalf_of"] == "الطاولة 3"


def test_merge_moves_supports_once_and_hide_needs_a_reason(workshop, themes, plain_user, make_user, fes_staff):
    other = make_user("b@example.ma")
    with scopes_disabled():
        a = services.submit_proposal(workshop, theme=themes[0], title="A", body="a", author=plain_user)
        b = services.submit_proposal(workshop, theme=themes[0], title="B", body="b", author=other)
        services.support(plain_user, a)
        services.support(other, a)
        services.support(other, b)
        with pytest.raises(services.ConsultError, match="reason"):
            services.merge(fes_staff, a, b, "  ")
        services.merge(fes_staff, a, b, "نفس الفكرة")
        a.refresh_from_db()
        assert a.status == Proposal.Status.MERGED and a.merged_into == b
        # plain_user's support moved; other already supported B, so theirs stays behind on A (not counted twice).
        assert set(Support.objects.filter(proposal=b).values_list("user", flat=True)) == {plain_user.pk, other.pk}
        with pytest.raises(services.ConsultError, match="no longer be supported"):
            services.support(make_user("c@example.ma"), a)
        with pytest.raises(services.ConsultError, match="reason"):
            services.hide_proposal(fes_staff, b, "")
        services.hide_proposal(fes_staff, b, "إساءة")
        assert Proposal.objects.get(pk=b.pk).status == Proposal.Status.HIDDEN
    assert _log("proposal.merged").get().reason == "نفس الفكرة"
    assert _log("proposal.hidden").get().reason == "إساءة"


def test_ranking_combines_weighted_scores_and_supports_with_an_explanation(workshop, themes, fes_staff,
                                                                            make_user, english):
    users = [make_user(f"u{i}@example.ma") for i in range(4)]
    with scopes_disabled():
        criteria = {c.key: c for c in workshop.criteria.all()}
        strong = services.submit_proposal(workshop, theme=themes[0], title="strong", body="x", author=users[0])
        popular = services.submit_proposal(workshop, theme=themes[0], title="popular", body="x", author=users[1])
        plain = services.submit_proposal(workshop, theme=themes[1], title="plain", body="x", author=users[2])
        for u in users:
            services.support(u, popular)
        services.support(users[0], strong)
        services.score(fes_staff, strong, {criteria["impact"]: 5, criteria["cost"]: 5, criteria["feasibility"]: 5})
        services.score(fes_staff, popular, {criteria["impact"]: 1, criteria["cost"]: 1, criteria["feasibility"]: 1})
        with pytest.raises(services.ConsultError):
            services.score(fes_staff, plain, {criteria["impact"]: 6})
        rows = services.ranking(workshop)
    # strong: 0.6 × 1 + 0.4 × 1/4 = 0.70; popular: 0.6 × 0 + 0.4 × 1 = 0.40; plain: 0.
    assert [r["proposal"].title for r in rows] == ["strong", "popular", "plain"]
    assert [str(r["combined"].quantize(Decimal("0.01"))) for r in rows] == ["0.70", "0.40", "0.00"]
    assert "Impact 5.00/5 ×3" in rows[0]["explanation"] and "= 0.70" in rows[0]["explanation"]
    assert "not scored yet" in rows[2]["explanation"]


def test_retain_creates_an_action_once_with_a_reason(workshop, proposal, plan, owner, fes_staff):
    with scopes_disabled():
        with pytest.raises(services.ConsultError, match="reason"):
            services.retain(fes_staff, proposal, reason="", owner=owner, budget_mad=Decimal(1))
        with pytest.raises(services.ConsultError, match="dirhams"):
            services.retain(fes_staff, proposal, reason="r", owner=owner, budget_mad=Decimal(-5))
        action = services.retain(fes_staff, proposal, reason="أثر كبير", owner=owner, budget_mad=Decimal(1000))
        assert action.region_id == workshop.region_id and action.proposal == proposal
        with pytest.raises(services.ConsultError, match="already"):
            services.retain(fes_staff, proposal, reason="again", owner=owner, budget_mad=Decimal(1))
        assert Action.objects.count() == 1
    assert _log("proposal.retained").get().reason == "أثر كبير"


def test_retaining_without_a_plan_is_refused(proposal, owner, fes_staff):
    with scopes_disabled(), pytest.raises(services.ConsultError, match="action plan first"):
        services.retain(fes_staff, proposal, reason="r", owner=owner, budget_mad=Decimal(1))
        assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.PUBLISHED
        assert not Action.objects.exists()


def test_a_milestone_before_the_plan_starts_is_refused(action, fes_staff, english):
    with scopes_disabled():
        with pytest.raises(services.ConsultError, match="before the plan starts"):
            services.add_milestone(fes_staff, action, title="Launch", due_on=date(2025, 5, 31))
        with pytest.raises(services.ConsultError, match="after the plan ends"):
            services.add_milestone(fes_staff, action, title="Late", due_on=date(2028, 1, 1))
        assert not Milestone.objects.exists()
        services.add_milestone(fes_staff, action, title="Launch", due_on=date(2025, 6, 1))
        assert Milestone.objects.count() == 1
    assert _log("action.milestone_added").count() == 1


def _photo():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, "JPEG")
    return SimpleUploadedFile("site.jpg", out.getvalue(), content_type="image/jpeg")


def test_progress_update_with_evidence(action, fes_staff):
    with scopes_disabled():
        indicator = services.add_indicator(fes_staff, action, name="تعاونيات", target=Decimal(60))
        with pytest.raises(services.ConsultError, match="PDF"):
            services.report_progress(fes_staff, action, body="x", progress=10, status="in_progress",
                                     evidence=SimpleUploadedFile("x.svg", b"<svg/>"))
        with pytest.raises(services.ConsultError, match="percentage"):
            services.report_progress(fes_staff, action, body="x", progress=120, status="in_progress")
        update = services.report_progress(fes_staff, action, body="تم التجهيز", progress=40, status="in_progress",
                                          evidence=_photo(), reached={indicator: 24})
        action.refresh_from_db()
        indicator.refresh_from_db()
    assert (action.progress, action.status, indicator.percent) == (40, "in_progress", 40)
    assert update.evidence.name.endswith(".jpg")
    assert _log("action.progress").get().after == {"progress": 40, "status": "in_progress"}


def test_pre_read_must_be_a_pdf(workshop, fes_staff):
    with scopes_disabled():
        with pytest.raises(services.ConsultError, match="PDF"):
            services.set_pre_read(fes_staff, workshop, SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>"))
        assert not workshop.pre_read
        services.set_pre_read(fes_staff, workshop, SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF"))
        assert workshop.pre_read.name.endswith(".pdf")


def _at(days, hour):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())) + timedelta(hours=hour)


def test_a_booking_overlapping_another_is_refused(service, organization, representative, fes_staff):
    with scopes_disabled():
        first = services.book(representative, service, organization, starts_at=_at(3, 9), ends_at=_at(3, 11))
        assert first.price_mad == Decimal("100.00") and first.status == Booking.Status.PENDING
        with pytest.raises(services.ConsultError, match="already booked"):
            services.book(representative, service, organization, starts_at=_at(3, 10), ends_at=_at(3, 12))
        services.book(representative, service, organization, starts_at=_at(3, 11), ends_at=_at(3, 12))  # touching
        with pytest.raises(services.ConsultError, match="end after"):
            services.book(representative, service, organization, starts_at=_at(4, 11), ends_at=_at(4, 10))
        with pytest.raises(services.ConsultError, match="past"):
            services.book(representative, service, organization, starts_at=_at(-1, 9), ends_at=_at(-1, 10))
        assert Booking.objects.count() == 2
        # Refused or cancelled bookings free the time.
        with pytest.raises(services.ConsultError, match="reason"):
            services.decide_booking(fes_staff, first, approve=False)
        services.decide_booking(fes_staff, first, approve=False, reason="صيانة القاعة")
        services.book(representative, service, organization, starts_at=_at(3, 9), ends_at=_at(3, 11))
    assert _log("booking.refused").get().reason == "صيانة القاعة"
    assert _log("booking.requested").count() == 3


def test_usage_figures(service, organization, representative, fes_staff, fes):
    with scopes_disabled():
        booking = services.book(representative, service, organization, starts_at=_at(2, 9), ends_at=_at(2, 13))
        services.decide_booking(fes_staff, booking, approve=True)
        with pytest.raises(services.ConsultError, match="already been decided"):
            services.decide_booking(fes_staff, booking, approve=False, reason="x")
        stats = services.usage(fes, since=_at(0, 0), until=_at(10, 0))
    row = stats["rows"][0]
    assert (row["count"], row["hours"], row["revenue"], row["organizations"]) == (1, 4.0, Decimal("200.00"), 1)
    assert row["occupancy"] == 5  # 4 hours of 10 days × 8 hours


def test_phase_and_weights_are_configured_and_logged(workshop, fes_staff):
    with scopes_disabled():
        impact = workshop.criteria.get(key="impact")
        with pytest.raises(services.ConsultError, match="percentage"):
            services.configure(fes_staff, workshop, phase="after", staff_share=150)
        with pytest.raises(services.ConsultError, match="weight"):
            services.configure(fes_staff, workshop, phase="after", weights={impact: 11})
        services.configure(fes_staff, workshop, phase="after", staff_share=50, weights={impact: 5})
        workshop.refresh_from_db()
        impact.refresh_from_db()
    assert (workshop.phase, workshop.staff_share, impact.weight) == ("after", 50, 5)
    entry = _log("workshop.phase_changed").get()
    assert entry.before["weights"]["impact"] == 3 and entry.after["weights"]["impact"] == 5
