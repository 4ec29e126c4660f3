"""The screens: who may use each (roles × regions), and the applicant's, coach's and staff's
journeys through them with bad input refused in plain words."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.support import funding, services
from tadamon.support.models import Application, CoachingSession, DiagnosisQuestion, FundingFile, Participant, Tranche

from .conftest import make_cohort

pytestmark = pytest.mark.django_db

ANON = "anonymous"


@pytest.fixture
def people(national_admin, fes_staff, marrakech_staff, fes_partner, fes_juror, fes_trainer, plain_user, coach,
           representative):
    return {"admin": national_admin, "fes_staff": fes_staff, "marrakech_staff": marrakech_staff,
            "fes_partner": fes_partner, "fes_juror": fes_juror, "other_trainer": fes_trainer, "plain": plain_user,
            "coach": coach, "representative": representative, ANON: None}


@pytest.fixture
def past_session(participant, coach):
    with scopes_disabled():
        return services.schedule_coaching(coach, participant, scheduled_at=timezone.now() - timedelta(hours=2))


@pytest.fixture
def funding_file(participant):
    with scopes_disabled():
        return funding.save_file(None, participant, {"project_title": "مشروع", "amount_requested": 1000,
                                                     "market": "سوق", "investments": "آلة"})


def status_for(client, user, url, method="get"):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url)
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return response.status_code


MATRIX = {
    # name: (url builder, method, {who: expected})
    "manage": (lambda o: reverse("support:manage"), "get",
               {ANON: "login", "plain": 403, "representative": 403, "other_trainer": 403, "fes_juror": 403,
                "fes_partner": 200, "fes_staff": 200, "marrakech_staff": 200, "admin": 200}),
    "manage_cohort": (lambda o: reverse("support:manage_cohort", args=[o["participant"].cohort_id]), "get",
                      {ANON: "login", "plain": 403, "coach": 403, "fes_partner": 200, "fes_staff": 200,
                       "marrakech_staff": 404, "admin": 200}),
    "decide": (lambda o: reverse("support:decide", args=[o["participant"].application_id]), "post",
               {ANON: "login", "plain": 403, "coach": 403, "fes_partner": 403, "marrakech_staff": 404,
                "fes_staff": 302}),
    "new_programme": (lambda o: reverse("support:programme_new"), "get",
                      {ANON: "login", "fes_partner": 403, "coach": 403, "fes_staff": 200}),
    "plan": (lambda o: reverse("support:plan", args=[o["participant"].pk]), "get",
             {ANON: "login", "representative": 200, "coach": 200, "other_trainer": 403, "fes_juror": 403,
              "fes_partner": 200, "fes_staff": 200, "marrakech_staff": 404, "plain": 404, "admin": 200}),
    "diagnosis": (lambda o: reverse("support:diagnosis", args=[o["participant"].pk, "baseline"]), "get",
                  {ANON: "login", "coach": 200, "fes_staff": 200, "representative": 404, "fes_partner": 403,
                   "other_trainer": 403, "marrakech_staff": 404}),
    "report": (lambda o: reverse("support:report", args=[o["past_session"].pk]), "get",
               {ANON: "login", "coach": 200, "fes_staff": 200, "other_trainer": 403, "representative": 404,
                "fes_partner": 403, "marrakech_staff": 404, "plain": 404}),
    "funding": (lambda o: reverse("support:funding", args=[o["participant"].pk]), "get",
                {ANON: "login", "representative": 200, "fes_staff": 200, "coach": 403, "marrakech_staff": 404,
                 "plain": 404}),
    "manage_funding": (lambda o: reverse("support:manage_funding", args=[o["funding_file"].pk]), "get",
                       {ANON: "login", "representative": 403, "coach": 403, "fes_partner": 200, "fes_staff": 200,
                        "marrakech_staff": 404}),
    "caseload": (lambda o: reverse("support:caseload"), "get",
                 {ANON: "login", "coach": 200, "other_trainer": 200, "plain": 403, "representative": 403}),
    "mine": (lambda o: reverse("support:mine"), "get", {ANON: "login", "representative": 200, "plain": 200}),
    "incubator": (lambda o: reverse("support:incubator"), "get", {ANON: 200, "representative": 200}),
    "cohort": (lambda o: reverse("support:cohort", args=[o["participant"].cohort_id]), "get",
               {ANON: 200, "representative": 200}),
}


@pytest.mark.parametrize("name", list(MATRIX))
def test_permissions_matrix(name, client, people, participant, past_session, funding_file):
    build, method, expected = MATRIX[name]
    url = build({"participant": participant, "past_session": past_session, "funding_file": funding_file})
    got = {who: status_for(client, people[who], url, method) for who in expected}
    assert got == expected


def test_every_view_states_who_may_use_it():
    from tadamon.support import urls

    for pattern in urls.urlpatterns:
        assert getattr(pattern.callback, "tadamon_access", None), pattern.name


# ---- the applicant -----------------------------------------------------------------------------------

def test_an_applicant_sees_the_rules_checked_applies_and_a_double_submit_does_not_duplicate(
        client, cohort, organization, representative):
    client.force_login(representative)
    page = client.get(reverse("support:cohort", args=[cohort.pk])).content.decode()
    assert organization.name_ar in page
    data = {"organization": organization.pk, "motivation": "نريد تحسين التسيير"}
    first = client.post(reverse("support:apply", args=[cohort.pk]), data)
    client.post(reverse("support:apply", args=[cohort.pk]), data)
    assert first.status_code == 302
    with scopes_disabled():
        assert Application.objects.filter(cohort=cohort).count() == 1
    assert cohort.name_ar in client.get(reverse("support:mine")).content.decode()


def test_applying_with_an_organization_in_an_overlapping_cohort_says_why(client, participant, cohort,
                                                                         representative, english):
    client.force_login(representative)
    response = client.post(reverse("support:apply", args=[cohort.pk]),
                           {"organization": participant.organization_id, "motivation": "x"})
    assert response.status_code == 200
    assert "cannot join two cohorts at once" in response.content.decode()
    with scopes_disabled():
        assert not Application.objects.filter(cohort=cohort).exists()


def test_the_plan_shows_the_radar_and_the_actions(client, participant, coach, representative):
    with scopes_disabled():
        ids = DiagnosisQuestion.objects.filter(programme=participant.cohort.programme).values_list("pk", flat=True)
        services.save_diagnosis(coach, participant, "baseline", {str(i): 1 for i in ids})
        services.save_diagnosis(coach, participant, "final", {str(i): 3 for i in ids})
        services.add_action(coach, participant, text="إعداد لائحة الأسعار", due_on=date.today() + timedelta(days=9))
    client.force_login(representative)
    page = client.get(reverse("support:plan", args=[participant.pk])).content.decode()
    assert "<svg" in page and 'class="profile-baseline"' in page and 'class="profile-final"' in page
    assert "إعداد لائحة الأسعار" in page


# ---- the coach ---------------------------------------------------------------------------------------

def test_the_coach_writes_a_report_with_actions(client, past_session, coach):
    client.force_login(coach)
    due = (date.today() + timedelta(days=14)).isoformat()
    response = client.post(reverse("support:report", args=[past_session.pk]), {
        "report": "راجعنا المحاسبة", "duration_minutes": 90, "action_1": "تحديث السجل", "due_1": due})
    assert response.status_code == 302
    with scopes_disabled():
        past_session.refresh_from_db()
        assert past_session.status == CoachingSession.Status.HELD
        assert past_session.action_items.get().text == "تحديث السجل"


def test_a_report_for_a_future_session_is_refused_with_a_message(client, participant, coach, english):
    with scopes_disabled():
        future = services.schedule_coaching(coach, participant, scheduled_at=timezone.now() + timedelta(days=3))
    client.force_login(coach)
    response = client.post(reverse("support:report", args=[future.pk]),
                           {"report": "تم", "duration_minutes": 60})
    assert response.status_code == 200 and "has not taken place yet" in response.content.decode()
    with scopes_disabled():
        future.refresh_from_db()
    assert future.status == CoachingSession.Status.SCHEDULED and future.report == ""


def test_an_action_without_a_due_date_is_refused(client, past_session, coach):
    client.force_login(coach)
    response = client.post(reverse("support:report", args=[past_session.pk]),
                           {"report": "تم", "duration_minutes": 60, "action_1": "شيء"})
    assert response.status_code == 200
    with scopes_disabled():
        past_session.refresh_from_db()
    assert past_session.status == CoachingSession.Status.SCHEDULED


def test_the_diagnosis_form_saves_the_profile(client, participant, coach):
    with scopes_disabled():
        ids = list(DiagnosisQuestion.objects.filter(programme=participant.cohort.programme).values_list("pk",
                                                                                                          flat=True))
    client.force_login(coach)
    response = client.post(reverse("support:diagnosis", args=[participant.pk, "baseline"]),
                           {f"q{i}": 2 for i in ids})
    assert response.status_code == 302
    with scopes_disabled():
        assert participant.diagnoses.get().scores == {a: 50 for a in
                                                     ["governance", "production", "marketing", "finance", "digital"]}


# ---- staff -------------------------------------------------------------------------------------------

def test_staff_select_and_reject_with_reasons(client, cohort, make_org, fes_staff):
    with scopes_disabled():
        a = Application.objects.create(cohort=cohort, organization=make_org("أ"), motivation="x")
        b = Application.objects.create(cohort=cohort, organization=make_org("ب"), motivation="x")
    client.force_login(fes_staff)
    client.post(reverse("support:decide", args=[a.pk]), {"decision": "select"})
    client.post(reverse("support:decide", args=[b.pk]), {"decision": "reject", "reason": ""})
    with scopes_disabled():
        assert Participant.objects.filter(application=a).exists()
        b.refresh_from_db()
        assert b.status == Application.Status.SUBMITTED  # no reason, nothing changed
    client.post(reverse("support:decide", args=[b.pk]), {"decision": "reject", "reason": "خارج المجال"})
    with scopes_disabled():
        b.refresh_from_db()
    assert b.status == Application.Status.REJECTED
    assert client.get(reverse("support:manage_cohort", args=[cohort.pk])).status_code == 200


def test_a_tranche_above_the_amount_granted_is_refused_on_the_screen(client, funding_file, fes_staff, english):
    with scopes_disabled():
        funding.submit_file(None, funding_file)
        funding.decide(fes_staff, funding_file, approve=True, amount=800)
    client.force_login(fes_staff)
    url = reverse("support:manage_funding", args=[funding_file.pk])
    response = client.post(url, {"tranche": "1", "t-amount": "900", "t-paid_on": date.today().isoformat()},
                           follow=True)
    assert "would go above the amount granted" in response.content.decode()
    with scopes_disabled():
        assert not Tranche.objects.exists()
    client.post(url, {"tranche": "1", "t-amount": "800", "t-paid_on": date.today().isoformat()})
    with scopes_disabled():
        assert funding.paid_total(funding_file) == 800


def test_the_representative_prepares_and_sends_the_funding_file(client, participant, representative):
    client.force_login(representative)
    url = reverse("support:funding", args=[participant.pk])
    data = {"kind": "grant", "project_title": "وحدة التلفيف", "market": "محلات فاس", "production_plan": "",
            "investments": "آلة", "jobs_expected": 2, "yearly_revenue_expected": 50000, "own_contribution": 5000,
            "amount_requested": 40000, "send": "1"}
    assert client.post(url, {**data, "amount_requested": 0}).status_code == 200
    assert client.post(url, data).status_code == 302
    with scopes_disabled():
        assert FundingFile.objects.get(participant=participant).status == FundingFile.Status.SUBMITTED


def test_moving_a_cohort_over_another_cohort_of_its_organizations_is_refused(client, participant, programme,
                                                                            fes_staff, english):
    later = make_cohort(programme, starts_in=900)
    with scopes_disabled():
        application = Application.objects.create(cohort=later, organization=participant.organization, motivation="x")
        services.select(fes_staff, application)
    client.force_login(fes_staff)
    data = {"name_ar": "ف", "name_fr": "c", "starts_on": participant.starts_on.isoformat(),
            "ends_on": later.ends_on.isoformat(), "places": 10, "call_opens_on": later.call_opens_on.isoformat(),
            "call_closes_on": later.call_closes_on.isoformat(), "min_age_months": 0, "max_age_months": 0}
    response = client.post(reverse("support:cohort_edit", args=[later.pk]), data)
    assert response.status_code == 200 and "two cohorts at once" in response.content.decode()
    with scopes_disabled():
        later.refresh_from_db()
    assert later.starts_on != participant.starts_on


def test_funding_documents_are_private(client, participant, funding_file, representative, coach, fes_staff,
                                       marrakech_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(representative)
    pdf = SimpleUploadedFile("devis.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf")
    client.post(reverse("support:upload_document", args=[participant.pk]), {"title": "عرض أثمان", "file": pdf})
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    client.post(reverse("support:upload_document", args=[participant.pk]), {"title": "x", "file": bad})
    with scopes_disabled():
        document = funding_file.documents.get()
    url = reverse("support:funding_document", args=[document.pk])
    assert document.file.name.startswith("support/")
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert status_for(client, fes_staff, url) == 200
    assert status_for(client, coach, url) == 403
    assert status_for(client, marrakech_staff, url) == 404
    assert status_for(client, None, url) == "login"


def test_home_screens_show_the_plan_and_the_caseload(client, participant, representative, coach):
    client.force_login(representative)
    page = client.get("/ar/").content.decode()
    assert 'id="support-plans"' in page and reverse("support:plan", args=[participant.pk]) in page
    client.force_login(coach)
    page = client.get("/ar/").content.decode()
    assert 'id="support-coaching"' in page and participant.organization.name_ar in page


def test_indicators_per_programme_and_cohort(client, participant, fes_partner):
    client.force_login(fes_partner)
    for url in (reverse("support:manage_programme", args=[participant.cohort.programme_id]),
                reverse("support:manage_cohort", args=[participant.cohort_id])):
        page = client.get(url).content.decode()
        assert '<dd id="figure-selected"><span dir="ltr" class="num">1</span></dd>' in page
