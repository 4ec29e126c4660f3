"""Consultations in a real browser, in Arabic on a 360 px screen: a participant makes a proposal on
the workshop's page and supports it; staff find it in the ranked list and retain it into an action of
the plan (a milestone dated before the plan starts is refused with a clear message), report progress;
the public accountability page shows it with its progress bar; an organization books a shared service
of the pole and staff approve the booking."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.consult import services
from tadamon.consult.models import Action, Booking, Proposal, Support

from ..consult.conftest import make_service, make_workshop
from .conftest import CHROMIUM, VIEWPORT, assert_no_horizontal_scroll
from .test_registry import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
]

SUBMIT = "main form button[type=submit]"
TITLE = "وحدة مشتركة للتلفيف والتعبئة"


def other_phone(browser, live_server):
    context = browser.new_context(viewport=VIEWPORT, locale="ar", base_url=live_server.url)
    return context, context.new_page()


def test_proposal_supported_retained_and_accounted_for(page, browser, live_server, fes, fes_staff, plain_user,
                                                       screenshot):
    from datetime import date

    from tadamon.fairs.models import Institution

    workshop = make_workshop(fes, fes_staff)
    owner = Institution.objects.create(name_ar="مجلس جهة فاس مكناس", name_fr="Conseil de la Région Fès-Meknès")
    with scopes_disabled():
        services.create_plan(fes_staff, workshop, title_ar="خطة العمل الجهوية المندمجة", title_fr="Plan d'action",
                             starts_on=date(2025, 6, 1), ends_on=date(2027, 12, 31))
        theme = workshop.themes.get(title_fr="Diagnostic")

    # The participant, on a phone, in Arabic.
    log_in(page, plain_user.email)
    page.goto(f"/ar/consultations/{workshop.pk}/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.select_option("#id_theme", str(theme.pk))
    page.fill("#id_title", TITLE)
    page.fill("#id_body", "وحدة تلفيف مجهزة تستعملها التعاونيات بأثمنة رمزية لتحسين جودة المنتوجات.")
    assert_no_horizontal_scroll(page)
    screenshot(page, "consult-workshop-ar")
    page.locator("#propose button[type=submit]").click()
    page.wait_for_url("**/ar/consultations/proposals/*/")
    with scopes_disabled():
        proposal = Proposal.objects.get(title=TITLE)
    page.locator("#support-form button").click()
    page.wait_for_load_state()
    assert page.locator("#supported").is_visible()
    assert "1" in page.locator("#support-count").inner_text()
    assert_no_horizontal_scroll(page)
    screenshot(page, "consult-proposal-ar")
    with scopes_disabled():
        assert Support.objects.filter(proposal=proposal, user=plain_user).count() == 1

    # Staff: the ranked list, then retain the proposal into an action of the plan.
    context, staff = other_phone(browser, live_server)
    log_in(staff, fes_staff.email)
    staff.goto(f"/ar/manage/consultations/{workshop.pk}/ranking/")
    assert TITLE in staff.locator("#rank-1").inner_text()
    assert_no_horizontal_scroll(staff)
    screenshot(staff, "consult-ranking-ar")
    staff.locator("#rank-1 .actions a").nth(1).click()
    staff.wait_for_url(f"**/proposals/{proposal.pk}/retain/")
    staff.fill("#id_reason", "أكثر مقترح مدعوم، وأثر مباشر على جودة المنتوجات.")
    staff.fill("#id_title_fr", "Équiper l'unité commune de conditionnement")
    staff.select_option("#id_owner", str(owner.pk))
    staff.fill("#id_budget_mad", "1800000")
    staff.click(SUBMIT)
    staff.wait_for_url("**/ar/manage/actions/*/")
    with scopes_disabled():
        action = Action.objects.get(proposal=proposal)
    staff.fill("#id_m-title", "إطلاق طلب العروض")
    staff.fill("#id_m-due_on", "2025-01-15")
    staff.locator("form:has(#id_m-title) button").click()
    staff.wait_for_load_state()
    assert "قبل انطلاق الخطة" in staff.locator(".messages").inner_text()
    staff.fill("#id_m-due_on", "2025-07-15")
    staff.locator("form:has(#id_m-title) button").click()
    staff.wait_for_load_state()
    staff.fill("#id_p-body", "اقتناء آلات التلفيف وتهيئة المقر.")
    staff.fill("#id_p-progress", "45")
    staff.select_option("#id_p-status", "in_progress")
    staff.locator("#progress button[type=submit]").click()
    staff.wait_for_load_state()
    assert staff.locator("#action-progress").inner_text().strip() == "45%"
    assert_no_horizontal_scroll(staff)
    screenshot(staff, "consult-action-ar")
    context.close()
    with scopes_disabled():
        assert action.milestones.count() == 1

    # The public accountability page, without an account.
    context, visitor = other_phone(browser, live_server)
    visitor.goto(f"/ar/accountability/{fes.slug}/")
    card = visitor.locator(f"#action-{action.pk}")
    assert "45%" in card.inner_text() and "أكثر مقترح مدعوم" in card.inner_text()
    assert card.locator("progress.progress").get_attribute("value") == "45"
    assert_no_horizontal_scroll(visitor)
    screenshot(visitor, "consult-accountability-ar")
    context.close()


def test_organization_books_a_shared_service(page, browser, live_server, fes, fes_staff, screenshot, make_org,
                                             make_user):
    from tadamon.registry.models import Representation

    service = make_service(fes, rules_ar="الإلغاء قبل 24 ساعة.", capacity=20)
    organization = make_org("تعاونية الأمل للعسل", "Coopérative Al Amal")
    representative = make_user("rep.amal@example.ma")
    with scopes_disabled():
        Representation.objects.create(user=representative, organization=organization,
                                      status=Representation.Status.APPROVED)
    taken = timezone.localtime() + timedelta(days=6)
    taken = taken.replace(hour=9, minute=0, second=0, microsecond=0)
    with scopes_disabled():
        services.book(fes_staff, service, organization, starts_at=taken, ends_at=taken + timedelta(hours=3))

    log_in(page, representative.email)
    page.goto("/ar/pole/")
    page.locator(f"#service-{service.pk} h2 a").click()
    page.wait_for_url(f"**/ar/pole/services/{service.pk}/")
    assert page.locator("#availability li").count() == 1
    fmt = "%Y-%m-%dT%H:%M"
    # Overlapping the time already held: refused with a clear message, nothing saved.
    page.fill("#id_starts_at", (taken + timedelta(hours=1)).strftime(fmt))
    page.fill("#id_ends_at", (taken + timedelta(hours=2)).strftime(fmt))
    page.locator("#book button[type=submit]").click()
    page.wait_for_load_state()
    assert "محجوزة" in page.locator(".messages").inner_text()
    page.fill("#id_starts_at", (taken + timedelta(hours=4)).strftime(fmt))
    page.fill("#id_ends_at", (taken + timedelta(hours=6)).strftime(fmt))
    page.fill("#id_purpose", "اجتماع الجمع العام للتعاونية")
    assert_no_horizontal_scroll(page)
    screenshot(page, "consult-service-ar")
    page.locator("#book button[type=submit]").click()
    page.wait_for_url("**/ar/pole/my-bookings/")
    with scopes_disabled():
        booking = Booking.objects.get(organization=organization, purpose__startswith="اجتماع")
    assert booking.status == "pending" and str(booking.price_mad) == "100.00"
    assert_no_horizontal_scroll(page)
    screenshot(page, "consult-booking-ar")

    context, staff = other_phone(browser, live_server)
    log_in(staff, fes_staff.email)
    staff.goto("/ar/manage/pole/")
    staff.locator(f"#booking-{booking.pk} button[value=approve]").click()
    staff.wait_for_load_state()
    assert_no_horizontal_scroll(staff)
    screenshot(staff, "consult-pole-ar")
    context.close()
    with scopes_disabled():
        booking.refresh_from_db()
    assert booking.status == "approved"
