"""The innovation prize in a real browser, in Arabic on a 360 px screen: a cooperative's
representative applies, staff open the scoring and assign the candidacies, the juror scores on the
phone (a draft, then submitted), staff lock the final ranking and publish it, and a visitor reads the
winners and the honours on the edition's page."""

from django_scopes import scopes_disabled

from tadamon.core.models import Role
from tadamon.prizes import services
from tadamon.prizes.models import Award, Candidacy, Honour, Prize

from ..conftest import PASSWORD
from ..prizes.conftest import exhibitor, fair, prize, representative  # noqa: F401  (fixtures)
from .conftest import VIEWPORT, assert_no_horizontal_scroll


def _login(browser, live_server, user):
    context = browser.new_context(viewport=VIEWPORT, locale="ar", base_url=live_server.url)
    page = context.new_page()
    page.goto("/ar/accounts/login/")
    page.fill("#id_email", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/ar/")
    return context, page


def test_candidacy_scoring_ranking_and_published_winners(page, browser, live_server, fes, fes_staff, make_user,
                                                         prize, exhibitor, representative, screenshot):  # noqa: F811
    org = exhibitor("تعاونية نسيج الأطلس")
    rep = representative(org, "rep.prize@example.ma")
    juror = make_user("juror.prize@example.ma", Role.JUROR, fes)
    with scopes_disabled():
        prize.jurors_per_candidacy = 1
        prize.save()
        member = services.invite_juror(fes_staff, prize, name="هشام بناني", email=juror.email, institution="ODCO")
        services.accept_invitation(juror, member.token)
        category = prize.categories.get(sector__key="handicrafts")
        services.add_honour(fes_staff, prize.edition, exhibitor("تعاونية رائدة"), Honour.Kind.LEADING,
                            "تكريما لريادتها في تمكين النساء القرويات")

    # The representative applies from the prize's page.
    context, rep_page = _login(browser, live_server, rep)
    rep_page.goto(f"/ar/prizes/{prize.pk}/")
    assert rep_page.evaluate("document.documentElement.dir") == "rtl"
    rep_page.click(f"a[href='/ar/prizes/{prize.pk}/apply/']")
    rep_page.check(f"input[name=category][value='{category.pk}']")
    rep_page.fill("#id_pitch", "زرابي منسوجة بصوف محلي وأصباغ طبيعية، بتصاميم جديدة تحكي تاريخ المنطقة.")
    assert_no_horizontal_scroll(rep_page)
    screenshot(rep_page, "prize-candidacy")
    rep_page.click("main form button[type=submit]")
    rep_page.wait_for_load_state()
    assert "تعاونية نسيج الأطلس" in rep_page.locator("main").inner_text()
    context.close()
    with scopes_disabled():
        candidacy = Candidacy.objects.get(prize=prize)
    assert candidacy.organization_id == org.pk and not candidacy.nominated

    # Staff close the candidacies and assign them to the jury.
    staff_context, staff = _login(browser, live_server, fes_staff)
    staff.goto(f"/ar/manage/prizes/{prize.pk}/")
    staff.click(f"form[action$='/{prize.pk}/advance/'] button")
    staff.wait_for_load_state()
    staff.click(f"form[action$='/{prize.pk}/assign/'] button")
    staff.wait_for_load_state()
    with scopes_disabled():
        assert Prize.objects.get(pk=prize.pk).status == Prize.Status.SCORING
        assert candidacy.assignments.count() == 1

    # The juror scores on the phone: a draft first, then the score is submitted.
    juror_context, jury = _login(browser, live_server, juror)
    jury.goto("/ar/jury/")
    jury.click(f"a[href='/ar/jury/prizes/{prize.pk}/']")
    jury.click("ul.sheets a")
    criteria = list(prize.criteria.all())
    jury.fill(f"#c{criteria[0].pk}", "9")
    jury.click("button[value=draft]")
    jury.wait_for_load_state()
    assert jury.locator(f"#c{criteria[0].pk}").input_value() == "9"
    jury.fill(f"#c{criteria[1].pk}", "4")
    jury.fill("#comment", "تصاميم مبتكرة وجودة عالية")
    assert_no_horizontal_scroll(jury)
    screenshot(jury, "prize-jury-score")
    jury.click("button[value=submit]")
    jury.wait_for_url(f"**/ar/jury/prizes/{prize.pk}/")
    assert "✔" in jury.locator("ul.sheets").inner_text()
    juror_context.close()

    # Staff lock the final ranking, then publish the winners.
    staff.goto(f"/ar/manage/prizes/{prize.pk}/")
    staff.fill("#id_rank-note", "صادقت اللجنة على الترتيب بالإجماع.")
    staff.click(f"form[action$='/{prize.pk}/lock/'] button")
    staff.wait_for_load_state()
    staff.click(f"form[action$='/{prize.pk}/publish/'] button")
    staff.wait_for_load_state()
    assert_no_horizontal_scroll(staff)
    screenshot(staff, "prize-manage-ranking")
    staff_context.close()
    with scopes_disabled():
        award = Award.objects.get(candidacy=candidacy)
        assert award.rank == 1 and Prize.objects.get(pk=prize.pk).published_at is not None

    # A visitor reads the winners, then the honours on the edition's page.
    page.goto(f"/ar/prizes/{prize.pk}/")
    winners = page.locator("#winners").inner_text()
    assert "الصناعة التقليدية" in winners and "تعاونية نسيج الأطلس" in winners
    assert_no_horizontal_scroll(page)
    screenshot(page, "prize-winners")
    page.goto(f"/ar/fairs/{prize.edition_id}/")
    assert "تعاونية رائدة" in page.locator("#honours").inner_text()
    assert "جائزة الإبداع" in page.locator("#prizes").inner_text()
    page.locator("#honours").scroll_into_view_if_needed()
    assert_no_horizontal_scroll(page)
    screenshot(page, "prize-edition-honours")
