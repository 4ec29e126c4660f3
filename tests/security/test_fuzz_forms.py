"""Property-based fuzzing (hypothesis) of the web forms: the main POST screens of every app.

For each screen the right person signs in, the page is read once and its form's fields are taken
from the HTML (inputs, selects with their options, textareas), then hypothesis posts values drawn
for each field: the page's own value, random unicode, Arabic, huge strings, negative and huge
numbers, malformed dates, a wrong choice, nothing at all (a missing field), and extra fields.

Whatever is posted: never a server error; a submission the screen refuses (it answers without
redirecting, or redirects with an error message) changes no row of the app's tables nor the
activity log, and says why in the page's language (Arabic here): a form error or a message."""

import os
import re
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.messages import constants
from django.core.cache import cache
from django.forms import BaseForm
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tadamon.core.models import ActivityLog, Role
from tadamon.registry.models import Representation

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

#: By default the same 30 examples a screen at every run; TADAMON_FUZZ_EXAMPLES=150 explores further with new ones.
EXAMPLES = int(os.environ.get("TADAMON_FUZZ_EXAMPLES") or 0)
FUZZ = settings(max_examples=EXAMPLES or 30, derandomize=not EXAMPLES, deadline=None,
                suppress_health_check=list(HealthCheck))
ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")

TEXT = st.text(max_size=40)
ARABIC = st.text(st.characters(min_codepoint=0x600, max_codepoint=0x6FF), max_size=40)
HUGE = st.sampled_from(["ب", "x", "9", "٣"]).flatmap(lambda c: st.integers(300, 20_000).map(lambda n: c * n))
NUMBER = (st.integers(-10**30, 10**30).map(str) | st.sampled_from(["-1", "0", "1e308", "NaN", "inf", "-0.0001",
                                                                     "1,5", "٣", "0x10", "99999999999999999999.99"]))
BAD_DATE = st.sampled_from(["2024-02-30", "0000-00-00", "9999-12-31", "31/12/2024", "2024-13-01T25:61", "-1",
                            "1e9", "0001-01-01", "2024-01-01 99:99", "٢٠٢٤-٠١-٠١"]) | st.dates().map(str)
WRONG = st.sampled_from(["", " ", "-1", "0", "999999999", "<script>alert(1)</script>", "' OR 1=1 --", "\x00",
                         "../../etc/passwd", "on", "true", "[]"])


class FormReader(HTMLParser):
    """The POST forms of a page: action and fields (name → kind, the page's value, the options)."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                          "fields": {}}
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["value"] = a.get("value", "")
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input" and a.get("type", "text") not in ("submit", "button", "file", "image", "reset"):
            kind = a.get("type", "text")
            field = self._form["fields"].setdefault(a["name"], {"kind": kind, "value": None, "options": []})
            value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            if kind in ("checkbox", "radio"):
                field["options"].append(value)
                if "checked" in a:
                    field["value"] = value
            else:
                field["value"] = value
        elif tag == "select":
            self._select = self._form["fields"].setdefault(a["name"], {"kind": "select", "value": None,
                                                                       "options": []})
        elif tag == "textarea":
            self._textarea = self._form["fields"].setdefault(a["name"], {"kind": "textarea", "value": "",
                                                                         "options": []})
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form["fields"].setdefault(a["name"], {"kind": "button", "value": a.get("value", ""),
                                                        "options": [a.get("value", "")]})

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def read_form(client, page, target):
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    reader = FormReader()
    reader.feed(response.content.decode())
    for form in reader.forms:
        action = urlsplit(form["action"]).path or page
        if form["method"] == "post" and action == target:
            form["fields"].pop("csrfmiddlewaretoken", None)  # sent with every submission, as by a browser
            return form["fields"]
    raise AssertionError(f"no form posting to {target} on {page}")


def hostile(field):
    choices = [TEXT, ARABIC, HUGE, NUMBER, BAD_DATE, WRONG]
    if field["options"]:
        choices.append(st.sampled_from(field["options"]))
    return st.one_of(*choices)


def sensible(field, good):
    """The value a person would send: the screen's good value, the page's own, or one of its options."""
    if good is not None:
        return st.just(good)
    if field["options"] and not field["value"]:
        return st.sampled_from(field["options"])
    return st.just(field["value"] or "")


@st.composite
def submissions(draw, fields, good):
    """A third of the time every field as a person would fill it (the saving is reached), a third one
    field hostile or missing, a third each field drawn freely; and extra fields."""
    data, names = {}, list(fields)
    shape = draw(st.sampled_from(["sensible", "one bad field", "chaos"]))
    bad = draw(st.sampled_from(names)) if names and shape == "one bad field" else None
    for name, field in fields.items():
        mode = draw(st.integers(0, 9)) if shape == "chaos" else (draw(st.sampled_from([0, 1, 9])) if name == bad
                                                                 else 5)
        if mode == 0:
            continue  # missing
        if mode == 1 and field["kind"] in ("checkbox", "select") and len(field["options"]) > 1:
            data[name] = draw(st.lists(hostile(field) | sensible(field, good.get(name)), max_size=3))
        elif mode < 6:
            data[name] = draw(sensible(field, good.get(name)))
        else:
            data[name] = draw(hostile(field))
    data.update(draw(st.dictionaries(st.text(min_size=1, max_size=12).filter(lambda k: k not in fields), TEXT,
                                     max_size=3)))
    return data


def counts(labels):
    with scopes_disabled():
        models = [m for label in labels for m in apps.get_app_config(label).get_models()]
        return {m._meta.label: m._default_manager.count() for m in [*models, ActivityLog]}


def refusal_texts(response):
    """The error messages the answer shows: form errors and error/warning messages."""
    texts = []
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else context.values():
            if isinstance(value, BaseForm) and value.is_bound:
                texts += [str(e) for errors in value.errors.values() for e in errors]
    return texts + [str(m) for m in request_messages(response) if m.level >= constants.WARNING]


def request_messages(response):
    """The messages this request added (shown on the page, or kept for the next one)."""
    stored = getattr(response.wsgi_request, "_messages", None)
    return [*getattr(stored, "_loaded_data", []), *getattr(stored, "_queued_messages", [])]


def post_and_check(client, target, data, labels):
    before = counts(labels)
    cache.clear()  # rate limits (phone codes, log-in) would answer every later example the same way
    client.cookies.pop("messages", None)  # only this submission's messages
    response = client.post(target, {"csrfmiddlewaretoken": "x" * 64, **data})
    assert response.status_code < 500, (target, data, response.status_code)
    texts = refusal_texts(response)
    refused = response.status_code not in (301, 302, 303) or (any(texts) and not [
        m for m in request_messages(response) if m.level == constants.SUCCESS])
    if refused:
        assert counts(labels) == before, (target, data)
        if response.status_code in (200, 400, 302):
            assert any(ARABIC_LETTER.search(t) for t in texts), (target, data, response.status_code, texts)
    return response


# ---- the screens ---------------------------------------------------------------------------------------------

def representative_of(make_user, org, email="rep.fuzz@example.ma"):
    user = make_user(email, phone="0612345678")
    with scopes_disabled():
        Representation.objects.create(user=user, organization=org, status=Representation.Status.APPROVED)
    return user


def registry_organization(w):
    org = w.make_org("تعاونية الأمل", "Coopérative Al Amal")
    url = reverse("registry:organization_edit", args=[org.pk])
    return representative_of(w.make_user, org), url, url, ["registry"], {"good": {
        "created_on": "2015-01-01", "registration_number": "RC-123", "members_total": "12", "members_women": "8",
        "members_youth": "3", "leader_name": "فاطمة", "phone": "0535000001", "address": "حي الأندلس، صفرو"}}


def registry_product(w):
    org = w.make_org("تعاونية الأمل", "Coopérative Al Amal")
    product = w.make_product(org, "سلة من الدوم")
    url = reverse("registry:product_edit", args=[product.pk])
    return representative_of(w.make_user, org), url, url, ["registry"], {"good": {
        "sanitary_authorization": "ONSSA-2019-123", "price": "45.50", "unit": "piece"}}


def fairs_step(step):
    def build(w):
        from tadamon.fairs.models import Application, Criterion, Edition, Pole

        now = timezone.now()
        org = w.make_org("تعاونية الأمل", "Coopérative Al Amal", created_on=date(2015, 1, 1))
        w.make_product(org, "سلة من الدوم", category="handicrafts")
        user = representative_of(w.make_user, org)
        with scopes_disabled():
            edition = Edition.objects.create(
                region=w.fes, title_ar="المعرض الجهوي", title_fr="Salon régional", number=3,
                starts_on=date.today() + timedelta(days=30), ends_on=date.today() + timedelta(days=39),
                status=Edition.Status.CALL_OPEN, call_opens_at=now - timedelta(days=1),
                call_closes_at=now + timedelta(days=10), venue_name_ar="حلبة", venue_name_fr="Hippodrome")
            Pole.objects.create(edition=edition, name_ar="قطب المنتوجات", name_fr="Pôle produits", capacity=2)
            Criterion.objects.create(edition=edition, name_ar="الجودة", name_fr="Qualité", weight=2, max_points=10)
        client = w.client_as(user)
        response = client.get(reverse("fairs:apply", args=[edition.pk]))
        assert response.status_code == 302, response.status_code
        with scopes_disabled():
            application = Application.objects.get(edition=edition)
        url = reverse("fairs:application_step", args=[application.pk, step])
        return user, url, url, ["fairs"]

    return build


def programme_registration(w):
    from tests.programme.conftest import make_edition, make_programme

    trainer = w.make_user("trainer.fuzz@example.ma", Role.TRAINER, w.fes)
    workshop = make_programme(make_edition(w.fes), trainer=trainer)["workshop"]
    url = reverse("programme:register", args=[workshop.pk])
    return w.make_user("member.fuzz@example.ma"), reverse("programme:session", args=[workshop.pk]), url, [
        "programme"]


def _prize(w, status):
    from tadamon.fairs.models import Application, Edition, Pole
    from tadamon.prizes.models import Category, Criterion, Prize
    from tadamon.registry.models import Sector

    now = timezone.now()
    org = w.make_org("تعاونية الإبداع", "Coop création", sector="handicrafts")
    w.make_product(org, "منتوج مبتكر", category="handicrafts")
    with scopes_disabled():
        fair = Edition.objects.create(
            region=w.fes, title_ar="معرض", title_fr="Salon", kind=Edition.Kind.THEMATIC_FAIR,
            starts_on=date.today() + timedelta(days=20), ends_on=date.today() + timedelta(days=24),
            status=Edition.Status.SELECTION_PUBLISHED)
        Pole.objects.create(edition=fair, name_ar="فضاء", name_fr="Espace", capacity=80)
        Application.objects.create(edition=fair, organization=org, created_by=w.fes_staff,
                                   status=Application.Status.CONFIRMED)
        prize = Prize.objects.create(
            edition=fair, title_ar="جائزة الإبداع", title_fr="Prix de l'innovation", status=status,
            candidacy_closes_at=now + timedelta(days=5), scoring_closes_at=now + timedelta(days=10),
            jurors_per_candidacy=1, winners_per_category=1)
        category = Category.objects.create(prize=prize, name_ar="الصناعة التقليدية", name_fr="Artisanat",
                                           sector=Sector.objects.get(key="handicrafts"))
        Criterion.objects.create(prize=prize, name_ar="الابتكار", name_fr="Innovation", weight=2, max_points=10)
        Criterion.objects.create(prize=prize, name_ar="الجودة", name_fr="Qualité", weight=1, max_points=5)
    return prize, org, category


def prizes_candidacy(w):
    from tadamon.prizes.models import Prize

    prize, org, _ = _prize(w, Prize.Status.CANDIDACY)
    url = reverse("prizes:apply", args=[prize.pk])
    return representative_of(w.make_user, org), url, url, ["prizes"], {"good": {"pitch": "منتوج مبتكر من الدوم"}}


def prizes_sheet(w):
    from tadamon.prizes import services
    from tadamon.prizes.models import Prize

    prize, org, category = _prize(w, Prize.Status.CANDIDACY)
    juror = w.make_user("juror.fuzz@example.ma", Role.JUROR, w.fes)
    with scopes_disabled():
        member = services.invite_juror(None, prize, name=juror.email, email=juror.email)
        member = services.accept_invitation(juror, member.token)
        services.nominate(w.fes_staff, prize, org, category, "منتوج مبتكر")
        prize.status = Prize.Status.SCORING
        prize.save()
        services.run_assignment(w.fes_staff, prize)
        sheet = member.assignments.get()
    url = reverse("prizes:score", args=[sheet.pk])
    return juror, url, url, ["prizes"]


def consult_proposal(w):
    from tests.consult.conftest import make_workshop

    workshop = make_workshop(w.fes, w.fes_staff)
    url = reverse("consult:propose", args=[workshop.pk])
    return w.make_user("member.fuzz@example.ma"), url, url, ["consult"], {
        "good": {"title": "وحدة تلفيف", "body": "وحدة تلفيف مشتركة للتعاونيات"}}


def consult_comment(w):
    from tadamon.consult import services
    from tests.consult.conftest import make_workshop

    workshop = make_workshop(w.fes, w.fes_staff)
    author = w.make_user("author.fuzz@example.ma")
    with scopes_disabled():
        proposal = services.submit_proposal(workshop, theme=workshop.themes.first(), title="وحدة تلفيف مشتركة",
                                            body="وحدة تلفيف للتعاونيات", author=author)
    return (w.make_user("member.fuzz@example.ma"), reverse("consult:proposal", args=[proposal.pk]),
            reverse("consult:comment", args=[proposal.pk]), ["consult"], {"good": {"body": "فكرة جيدة"}})


def consult_booking(w):
    from tests.consult.conftest import make_service

    service = make_service(w.fes)
    org = w.make_org("تعاونية الأمل", "Coopérative Al Amal")
    url = reverse("consult:service", args=[service.pk])
    day = timezone.localdate() + timedelta(days=3)
    return representative_of(w.make_user, org), url, url, ["consult"], {"good": {
        "starts_at": f"{day}T10:00", "ends_at": f"{day}T12:00", "purpose": "اجتماع الجمع العام"}}


def _support(w):
    from tests.support.conftest import make_cohort, make_participant, make_programme

    programme = make_programme(w.fes)
    org = w.make_org("تعاونية النحلة", "Coopérative l'Abeille", women_led=True, created_on=date(2019, 5, 1),
                     members_total=10, members_women=8, members_youth=6)
    user = representative_of(w.make_user, org)
    return programme, org, user, make_cohort, make_participant


def support_application(w):
    programme, org, user, make_cohort, _ = _support(w)
    cohort = make_cohort(programme)
    url = reverse("support:apply", args=[cohort.pk])
    return user, url, url, ["support"], {"good": {"motivation": "نريد المواكبة"}}


def support_report(w):
    from tadamon.support import services

    programme, org, user, make_cohort, make_participant = _support(w)
    coach = w.make_user("coach.fuzz@example.ma", Role.TRAINER, w.fes)
    participant = make_participant(make_cohort(programme, starts_in=-60, call_open=False), org)
    with scopes_disabled():
        services.assign_coach(None, participant, coach)
        session = services.schedule_coaching(coach, participant, scheduled_at=timezone.now() - timedelta(days=1))
    url = reverse("support:report", args=[session.pk])
    return coach, url, url, ["support"], {"good": {"report": "تم تشخيص الحسابات", "duration_minutes": "90",
                                                   "action_1": "مسك الدفاتر", "due_1": str(date.today())}}


def support_tranche(w):
    from tadamon.support import funding

    programme, org, user, make_cohort, make_participant = _support(w)
    participant = make_participant(make_cohort(programme, starts_in=-60, call_open=False), org)
    with scopes_disabled():
        file = funding.save_file(None, participant, {
            "kind": "grant", "project_title": "وحدة التلفيف", "market": "محلات فاس", "investments": "آلة",
            "amount_requested": Decimal("100000")})
        funding.submit_file(None, file)
        file = funding.decide(w.fes_staff, file, approve=True, amount=80000)
    url = reverse("support:manage_funding", args=[file.pk])
    return w.fes_staff, url, url, ["support"], {"always": {"tranche": "1"}, "good": {
        "t-amount": "20000", "t-paid_on": str(date.today()), "t-note": "الشطر الأول"}}


def _market(w):
    from tests.market.conftest import make_fair, represent, sell

    honey = w.make_org("تعاونية النحالين", "Coopérative des apiculteurs", province="03.451")
    rep = w.make_user("rep.honey@example.ma", phone="0611000001")
    represent(rep, honey)
    fair = make_fair(honey)
    offers = sell(rep, honey, [(w.make_product(honey, "العسل الحر", "Miel pur"), "120", 10)])
    return honey, rep, fair, offers


def market_basket(w):
    _market(w)
    return None, reverse("market:catalogue"), reverse("market:basket_add"), ["market"], {"good": {"quantity": "1"}}


def market_checkout(w):
    _, _, _, offers = _market(w)
    buyer = w.make_user("buyer.fuzz@example.ma", phone="0661234567")
    w.client_as(buyer).post(reverse("market:basket_add"), {"offer": offers[0].pk, "quantity": 1})
    url = reverse("market:checkout")
    return buyer, url, url, ["market"], {"good": {"name": "عائشة", "phone": "0661234567", "email": ""}}


def market_phone_code(w):
    _, _, _, offers = _market(w)
    client = w.client_as(None)
    client.post(reverse("market:basket_add"), {"offer": offers[0].pk, "quantity": 1})
    fields = read_form(client, reverse("market:checkout"), reverse("market:checkout"))
    data = {k: f["value"] or (f["options"][-1] if f["options"] else "") for k, f in fields.items()}
    response = client.post(reverse("market:checkout"), {**data, "name": "عائشة", "phone": "0661234567"})
    assert response.status_code == 302 and response.url.endswith(reverse("market:checkout_verify")), response
    from tadamon.core import sms

    code = re.search(r"\b\d{6}\b", sms.outbox[-1].body).group()
    url = reverse("market:checkout_verify")
    return None, url, url, ["market"], {"good": {"code": code}}


def fairs_sales(w):
    from tadamon.fairs.models import Application

    honey, rep, fair, _ = _market(w)
    with scopes_disabled():
        fair.selection_published_at = timezone.now()
        fair.save()
        application = Application.objects.get(edition=fair, organization=honey)
    url = reverse("fairs:sales_declare", args=[application.pk])
    return rep, url, url, ["fairs"], {"good": {"amount": "350.50"}}


def fairs_visitors(w):
    _, _, fair, _ = _market(w)
    return (w.fes_staff, reverse("fairs:manage_operations", args=[fair.pk]),
            reverse("fairs:manage_visitors_add", args=[fair.pk]), ["fairs"], {"good": {"hour": "10", "count": "25"}})


SCREENS = {
    "registry organization edit": registry_organization,
    "registry product edit": registry_product,
    "fairs application: pole": fairs_step("pole"),
    "fairs application: needs": fairs_step("needs"),
    "fairs application: questions": fairs_step("questions"),
    "fairs sales declaration": fairs_sales,
    "fairs visitor count": fairs_visitors,
    "programme registration": programme_registration,
    "prizes candidacy": prizes_candidacy,
    "prizes scoring sheet": prizes_sheet,
    "consult proposal": consult_proposal,
    "consult comment": consult_comment,
    "consult booking": consult_booking,
    "support application": support_application,
    "support coaching report": support_report,
    "support funding tranche": support_tranche,
    "market basket": market_basket,
    "market checkout": market_checkout,
    "market phone code": market_phone_code,
}


class World:
    def __init__(self, make_user, make_org, make_product, fes, fes_staff):
        self.make_user, self.make_org, self.make_product = make_user, make_org, make_product
        self.fes, self.fes_staff = fes, fes_staff
        self.client = Client()

    def client_as(self, user):
        if user is not None:
            self.client.force_login(user)
        return self.client


@pytest.fixture
def screen(request, make_user, make_org, make_product, fes, fes_staff):
    translation.activate("ar")
    world = World(make_user, make_org, make_product, fes, fes_staff)
    built = SCREENS[request.param](world)
    user, page, target, labels = built[:4]
    extra = built[4] if len(built) > 4 else {}
    client = world.client_as(user)
    fields = read_form(client, page, target)
    yield client, target, fields, labels, extra.get("always", {}), extra.get("good", {})
    translation.activate("ar")


@pytest.mark.parametrize("screen", list(SCREENS), indirect=True)
@FUZZ
@given(data=st.data())
def test_a_screen_answers_any_submission_without_a_server_error(screen, data):
    client, target, fields, labels, always, good = screen
    submission = {**data.draw(submissions(fields, good)), **always}
    post_and_check(client, target, submission, labels)


@pytest.mark.parametrize("page", ["market:basket_add", "accounts:login"])
def test_a_next_address_that_is_a_word_is_taken_as_an_address(client, make_user, page):
    """Found by the fuzzing above: ``next=0`` was handed to ``redirect()``, which took it for the name
    of a view and failed with a server error."""
    make_user("next@example.ma")
    data = {"offer": "1", "quantity": "1"} if page == "market:basket_add" else {
        "email": "next@example.ma", "password": PASSWORD}
    response = client.post(reverse(page), {**data, "next": "0"})
    assert response.status_code == 302


def test_a_nul_character_in_a_free_text_is_refused_with_a_message(make_user, make_org, make_product, fes, fes_staff):
    """Found by the fuzzing above on PostgreSQL, which cannot store a NUL character: a juror's comment
    (and the texts other screens read outside a form) failed with a server error. Now refused like a
    form's field refuses it, with Django's message, and nothing is written."""
    translation.activate("ar")
    world = World(make_user, make_org, make_product, fes, fes_staff)
    juror, _, target, labels = prizes_sheet(world)[:4]
    client = world.client_as(juror)
    sheet = resolve(target).kwargs["pk"]
    before = counts(labels)
    for url, data in [(target, {"c1": "5", "comment": "تعليق\x00", "action": "draft"}),
                      (reverse("prizes:declare_conflict", args=[sheet]), {"reason": "قريب\x00"})]:
        response = client.post(url, data)
        assert response.status_code in (302, 400)
        assert "الأحرف الخالية غير مسموح بها." in refusal_texts(response)
        assert counts(labels) == before
