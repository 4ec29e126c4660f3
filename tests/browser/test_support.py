"""Support programmes in a real browser, in Arabic on a 360 px screen: a representative reads a
cohort's call (the rules checked against the organization), applies, is selected, then sees the
plan with the diagnosis radar; a coach opens the caseload on a phone and writes the report of a
session that took place, with an action and its due date."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.support import services
from tadamon.support.models import Application, CoachingSession, DiagnosisQuestion

from ..conftest import PASSWORD
from ..support import conftest as support_fixtures
from ..support.conftest import make_cohort, make_programme
from .conftest import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

# The support tests' fixtures: an organization with its representative, a coach, a participant.
programme = support_fixtures.programme
representative = support_fixtures.representative
organization = support_fixtures.organization
coach = support_fixtures.coach
participant = support_fixtures.participant


def login(page, user):
    page.goto("/ar/accounts/login/")
    page.fill("#id_email", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/ar/")


def test_applicant_applies_and_sees_the_plan(page, fes, fes_staff, organization, representative, coach, screenshot):
    programme_ = make_programme(fes)
    cohort = make_cohort(programme_, allowed_legal_forms=["cooperative"], min_age_months=24, women_led_only=True)
    login(page, representative)
    page.goto(f"/ar/support/cohorts/{cohort.pk}/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert organization.name_ar in page.locator("#rules").inner_text()
    assert_no_horizontal_scroll(page)
    screenshot(page, "support-call-ar")
    page.click("#apply")
    page.wait_for_url(f"**/ar/support/cohorts/{cohort.pk}/apply/")
    page.fill("#id_motivation", "نريد تحسين التسيير والمحاسبة وبيع منتوجاتنا عبر الهاتف.")
    assert_no_horizontal_scroll(page)
    page.click("#apply-form button[type=submit]")
    page.wait_for_url("**/ar/support/mine/")
    with scopes_disabled():
        application = Application.objects.get(cohort=cohort, organization=organization)
    assert application.status == Application.Status.SUBMITTED

    # The team selects it; the coach runs the initial diagnosis and agrees on a first action.
    with scopes_disabled():
        participant = services.select(fes_staff, application, reason="ملف مكتمل")
        services.assign_coach(fes_staff, participant, coach)
        ids = DiagnosisQuestion.objects.filter(programme=programme_).values_list("pk", flat=True)
        services.save_diagnosis(coach, participant, "baseline", {str(i): (n % 3) for n, i in enumerate(ids)})
        services.add_action(coach, participant, text="إعداد لائحة الأسعار", due_on=date.today() + timedelta(days=10))
    page.goto("/ar/support/mine/")
    page.click(f"#application-{application.pk} a.button")
    page.wait_for_url(f"**/ar/support/plan/{participant.pk}/")
    assert page.locator("#diagnosis svg.radar").count() == 1
    assert "إعداد لائحة الأسعار" in page.locator("#actions").inner_text()
    assert_no_horizontal_scroll(page)
    screenshot(page, "support-plan-ar")


def test_coach_writes_a_report_on_a_phone(page, fes, participant, coach, screenshot):
    with scopes_disabled():
        session = services.schedule_coaching(coach, participant,
                                             scheduled_at=timezone.now() - timedelta(hours=3), place="مقر التعاونية")
    login(page, coach)
    page.goto("/ar/support/coach/")
    assert participant.organization.name_ar in page.locator(f"#participant-{participant.pk}").inner_text()
    assert_no_horizontal_scroll(page)
    screenshot(page, "support-caseload-ar")
    page.click(f"#participant-{participant.pk} h2 a")
    page.wait_for_url(f"**/ar/support/plan/{participant.pk}/")
    page.click(f"#coaching-{session.pk} a.button")
    page.wait_for_url(f"**/ar/support/coaching/{session.pk}/report/")
    page.fill("#id_report", "راجعنا سجل المحاسبة مع أمينة المال ووضعنا جدولا بسيطا للمداخيل والمصاريف.")
    page.fill("#id_duration_minutes", "90")
    page.fill("#id_action_1", "تحديث سجل المحاسبة")
    page.fill("#id_due_1", (date.today() + timedelta(days=14)).isoformat())
    assert_no_horizontal_scroll(page)
    screenshot(page, "support-report-ar")
    page.click("#report-form button[type=submit]")
    page.wait_for_url(f"**/ar/support/plan/{participant.pk}/")
    with scopes_disabled():
        session.refresh_from_db()
    assert session.status == CoachingSession.Status.HELD
    assert "تحديث سجل المحاسبة" in page.locator("#actions").inner_text()


def test_staff_screen_the_applications_on_a_phone(page, fes, fes_staff, organization, make_org, screenshot):
    programme_ = make_programme(fes)
    cohort = make_cohort(programme_, women_led_only=True)
    other = make_org("جمعية الأمل", "Association Al Amal", legal_form="association", women_led=False)
    with scopes_disabled():
        chosen = Application.objects.create(cohort=cohort, organization=organization, motivation="نريد المواكبة")
        refused = Application.objects.create(cohort=cohort, organization=other, motivation="نريد التمويل",
                                             status=Application.Status.INELIGIBLE,
                                             ineligible_reasons=services.eligibility_failures(cohort, other))
    login(page, fes_staff)
    page.goto(f"/ar/manage/support/cohorts/{cohort.pk}/")
    card = page.locator(f"#application-{refused.pk}")
    card.locator("input[value=reject]").check()
    card.locator("textarea").fill("الإعلان موجه للتعاونيات التي تقودها نساء.")
    card.locator("button[type=submit]").click()
    page.wait_for_url(f"**/ar/manage/support/cohorts/{cohort.pk}/")
    card = page.locator(f"#application-{chosen.pk}")
    card.locator("input[value=select]").check()
    card.locator("button[type=submit]").click()
    page.wait_for_url(f"**/ar/manage/support/cohorts/{cohort.pk}/")
    with scopes_disabled():
        refused.refresh_from_db()
        assert refused.status == Application.Status.REJECTED
        assert Application.objects.get(pk=chosen.pk).status == Application.Status.SELECTED
    assert page.locator("#participants article").count() == 1
    assert_no_horizontal_scroll(page)
    screenshot(page, "support-screening-ar")
