"""Demo support programmes in Fès-Meknès, as presented at the communication day on the support
programmes (seed 002): Mowakaba (accompaniment) and Tamkine (empowerment), run with the regional
council and their national partners, inside the region's cooperative incubator platform.

- Mowakaba, cohort 2022–2024 (finished): graduates, one organization stopped since (survival figures).
- Tamkine, cohort running for about 13 months and ending in three weeks: initial and final
  diagnoses, group trainings of the 3rd regional fair (attendance, certificates), coaching reports,
  funding files (a grant paid in tranches, a loan with its repayment schedule, a refusal, one
  waiting for its decision). The demo cooperative (cooperative@tadamon.ma) is in it.
- Mowakaba, cohort running for about 10 months: initial diagnoses, coaching with the demo trainer
  (trainer@tadamon.ma), one session waiting for its report, action items.
- Mowakaba, next cohort: its call is open, the demo cooperative can apply.

Loading twice changes nothing: a programme already there is left alone.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.core.models import Region
from tadamon.programme.models import Certificate, Registration, Session
from tadamon.registry.models import LegalForm, Organization, Representation

from . import funding, services
from .models import (
    ActionItem,
    Application,
    Axis,
    CoachingSession,
    Cohort,
    CohortTraining,
    DiagnosisQuestion,
    Participant,
    Partner,
    Programme,
)

STAFF, TRAINER, COOPERATIVE = "fes@tadamon.ma", "trainer@tadamon.ma", "cooperative@tadamon.ma"

PARTNERS = [
    ("national", "التعاون الوطني", "Entraide Nationale"),
    ("national", "مكتب تنمية التعاون", "Office du Développement de la Coopération (ODCO)"),
    ("national", "كتابة الدولة المكلفة بالصناعة التقليدية والاقتصاد الاجتماعي والتضامني",
     "Secrétariat d'État chargé de l'Artisanat et de l'Économie sociale et solidaire"),
    ("regional", "مجلس جهة فاس مكناس", "Conseil de la Région Fès-Meknès"),
    ("national", "مؤسسة محمد الخامس للتضامن", "Fondation Mohammed V pour la Solidarité"),
    ("national", "بريد بنك", "Al Barid Bank"),
]

#: (axis, Arabic, French): the default questionnaire, two sentences per axis.
QUESTIONS = [
    (Axis.GOVERNANCE, "تعقد الجمعية العامة اجتماعاتها في آجالها وتدون محاضرها",
     "L'assemblée générale se réunit dans les délais et ses procès-verbaux sont tenus"),
    (Axis.GOVERNANCE, "يعرف كل عضو حقوقه وواجباته ويشارك في القرارات",
     "Chaque membre connaît ses droits et devoirs et participe aux décisions"),
    (Axis.PRODUCTION, "الإنتاج منتظم وجودته متحكم فيها", "La production est régulière et sa qualité maîtrisée"),
    (Axis.PRODUCTION, "المنتوجات حاصلة على التراخيص اللازمة (مثل ONSSA)",
     "Les produits ont les autorisations nécessaires (ONSSA par exemple)"),
    (Axis.MARKETING, "للتعاونية زبناء منتظمون خارج المعارض", "La coopérative a des clients réguliers hors des salons"),
    (Axis.MARKETING, "للمنتوجات علامة وتلفيف يعرفان بها",
     "Les produits ont une marque et un emballage qui les font connaître"),
    (Axis.FINANCE, "تمسك التعاونية محاسبة منتظمة", "La coopérative tient une comptabilité régulière"),
    (Axis.FINANCE, "تعرف التعاونية كلفة كل منتوج وهامش ربحه",
     "La coopérative connaît le coût et la marge de chaque produit"),
    (Axis.DIGITAL, "تستعمل التعاونية الهاتف وشبكات التواصل للبيع",
     "La coopérative vend par téléphone et sur les réseaux sociaux"),
    (Axis.DIGITAL, "تتوفر التعاونية على بريد إلكتروني وصفحة محدثة",
     "La coopérative a une adresse e-mail et une page à jour"),
]

REPORTS = [
    "راجعنا سجل المحاسبة مع أمينة المال ووضعنا جدولا بسيطا للمداخيل والمصاريف.",
    "اشتغلنا على كلفة المنتوجات: تم حساب كلفة لتر زيت الزيتون وهامش الربح.",
    "زيارة للوحدة الإنتاجية: ملاحظات حول النظافة والتخزين، وتحضير ملف الترخيص الصحي.",
    "تحضير صفحة على شبكات التواصل وصور للمنتوجات، وتدريب عضوتين على الرد على الطلبيات.",
    "تحضير الجمعية العامة: جدول الأعمال، محضر الاجتماع السابق، تجديد المكتب.",
    "Travail sur le plan d'affaires : marché visé, investissements, besoin de financement.",
]
ACTIONS = ["تحديث سجل المحاسبة", "إعداد لائحة الأسعار", "تصوير المنتوجات", "إيداع ملف الترخيص الصحي",
           "عقد الجمعية العامة", "طلب عروض أثمان للمعدات"]


def _partners():
    out = {}
    for level, ar, fr in PARTNERS:
        out[fr], _created = Partner.objects.get_or_create(name_fr=fr, defaults={"name_ar": ar, "level": level})
    return out


def _programme(region, kind, ar, fr, description_ar, description_fr, partners):
    programme = Programme.objects.create(region=region, kind=kind, name_ar=ar, name_fr=fr,
                                         description_ar=description_ar, description_fr=description_fr)
    programme.partners.set(partners)
    DiagnosisQuestion.objects.bulk_create([
        DiagnosisQuestion(programme=programme, region=region, axis=axis, text_ar=q_ar, text_fr=q_fr, position=i)
        for i, (axis, q_ar, q_fr) in enumerate(QUESTIONS)])
    return programme


def _cohort(programme, ar, fr, starts_on, months, *, call_days=30, places=12, **rules):
    ends_on = starts_on + timedelta(days=round(months * 30.4))
    cohort = Cohort.objects.create(
        programme=programme, name_ar=ar, name_fr=fr, starts_on=starts_on, ends_on=ends_on, places=places,
        call_opens_on=starts_on - timedelta(days=call_days + 20), call_closes_on=starts_on - timedelta(days=20),
        **rules)
    return cohort


def _select(staff, cohort, organizations, rng):
    participants = []
    for organization in organizations:
        application = Application.objects.create(
            cohort=cohort, organization=organization, status=Application.Status.SUBMITTED,
            motivation=rng.choice(["نريد تحسين التسيير والمحاسبة والوصول إلى أسواق جديدة.",
                                   "نحتاج مواكبة لتطوير منتوجاتنا والحصول على تمويل لشراء معدات.",
                                   "Structurer la coopérative et préparer une demande de financement."]))
        Application.objects.filter(pk=application.pk).update(created_at=timezone.make_aware(
            datetime.combine(cohort.call_opens_on + timedelta(days=rng.randint(1, 20)), time(10))))
        participants.append(services.select(staff, application, reason="ملف مكتمل ومطابق لشروط الإعلان"))
    return participants


def _answers(questions, rng, level, spread=1):
    return {str(q.pk): max(0, min(4, level + rng.randint(-spread, spread))) for q in questions}


def _diagnose(actor, participants, rng, *, final=False):
    for participant in participants:
        questions = list(DiagnosisQuestion.objects.filter(programme_id=participant.cohort.programme_id))
        level = rng.randint(1, 2)
        services.save_diagnosis(actor, participant, "baseline", _answers(questions, rng, level))
        if final:
            services.save_diagnosis(actor, participant, "final", _answers(questions, rng, level + 1))


def _trainings(cohort, participants, sessions, rng):
    for session in sessions:
        CohortTraining.objects.get_or_create(cohort=cohort, session=session)
        for participant in participants:
            organization = participant.organization
            if Registration.objects.filter(session=session, organization=organization).exists():
                continue
            came = rng.random() < 0.85
            registration = Registration.objects.create(
                session=session, region_id=session.region_id, organization=organization,
                name=organization.leader_name or organization.name_ar, institution=organization.name_ar,
                status=Registration.Status.CONFIRMED,
                checked_in_at=session.starts_at + timedelta(minutes=rng.randint(-15, 10)) if came else None)
            if came:
                Certificate.objects.create(registration=registration)


def _coaching(coach, participants, rng, *, start, held, pending=False, upcoming=True):
    now = timezone.now()
    for participant in participants:
        services.assign_coach(None, participant, coach)
        for i in range(held):
            at = timezone.make_aware(datetime.combine(start + timedelta(days=45 * (i + 1)), time(10)))
            session = CoachingSession.objects.create(participant=participant, coach=coach, scheduled_at=at,
                                                     place=participant.organization.commune or "")
            due = (at + timedelta(days=30)).date()
            services.report_coaching(coach, session, report=rng.choice(REPORTS),
                                     duration_minutes=rng.choice([60, 90, 120]),
                                     actions=[(rng.choice(ACTIONS), due)], now=at + timedelta(hours=2))
        for item in ActionItem.objects.filter(participant=participant, due_on__lt=now.date()):
            if rng.random() < 0.75:
                ActionItem.objects.filter(pk=item.pk).update(done_on=item.due_on - timedelta(days=rng.randint(0, 10)))
        if pending:
            CoachingSession.objects.create(participant=participant, coach=coach, place="مقر التعاونية",
                                           scheduled_at=now - timedelta(days=2, hours=3))
        if upcoming:
            CoachingSession.objects.create(participant=participant, coach=coach, place="مقر التعاونية",
                                           scheduled_at=timezone.make_aware(datetime.combine(
                                               now.date() + timedelta(days=rng.randint(5, 25)), time(10))))
        ActionItem.objects.create(participant=participant, text=rng.choice(ACTIONS),
                                  due_on=now.date() + timedelta(days=rng.randint(7, 40)))


def _funding(staff, participants, partners):
    """A grant paid in two tranches, a loan with its schedule, a refusal, one waiting."""
    plans = [
        ("grant", "وحدة لتلفيف زيت الزيتون", 120000, ("approve", 100000), [60000, 25000]),
        ("loan", "آلة لتقطير ماء الورد", 50000, ("approve", 50000), [50000]),
        ("grant", "سيارة نفعية للتوزيع", 250000, ("refuse", 0), []),
        ("grant", "فرن مهني للحلويات", 45000, None, []),
    ]
    for participant, (kind, title, asked, decision, tranches) in zip(participants, plans, strict=False):
        file = funding.save_file(None, participant, {
            "kind": kind, "project_title": title, "amount_requested": Decimal(asked),
            "market": "محلات المنتوجات المجالية بفاس ومكناس، والبيع عبر الهاتف، والمعارض الجهوية.",
            "production_plan": "ثلاث عضوات متفرغات، ومقر مجهز من طرف الجماعة.",
            "investments": title, "jobs_expected": 3, "yearly_revenue_expected": Decimal(asked) * 2,
            "own_contribution": Decimal(asked) / 10})
        funding.submit_file(None, file)
        if decision is None:
            continue
        verdict, amount = decision
        if verdict == "approve":
            funding.decide(staff, file, approve=True, amount=amount, funder=partners["Entraide Nationale"],
                           loan_months=24 if kind == "loan" else 0, grace_months=6,
                           reason="مشروع واقعي ومردودية مقنعة")
            for i, value in enumerate(tranches):
                funding.add_tranche(staff, file, amount=value, paid_on=date.today() - timedelta(days=90 - 40 * i))
        else:
            funding.decide(staff, file, approve=False,
                           reason="المبلغ المطلوب يفوق سقف البرنامج؛ يمكن إعادة تقديم مشروع أصغر في الدورة المقبلة.")


def load_demo():
    rng = random.Random(2024)  # noqa: S311 (demo data, not secrets)
    User = get_user_model()
    with transaction.atomic(), scopes_disabled():
        fes = Region.objects.get(code="03")
        if Programme.objects.filter(region=fes, kind=Programme.Kind.MOWAKABA).exists():
            return "support demo: already loaded"
        staff, coach = User.objects.filter(email=STAFF).first(), User.objects.filter(email=TRAINER).first()
        partners = _partners()
        p = partners
        mowakaba = _programme(
            fes, Programme.Kind.MOWAKABA, "برنامج مواكبة", "Programme Mowakaba",
            "مواكبة التعاونيات والجمعيات بعد إحداثها: تشخيص، تكوين جماعي، مواكبة فردية "
            "(حوالي 12 حصة على مدى سنتين) ثم التمويل.",
            "Accompagnement post-création des coopératives et associations : diagnostic, formation collective, "
            "accompagnement individuel (environ 12 séances sur deux ans) puis financement.",
            [p["Office du Développement de la Coopération (ODCO)"], p["Conseil de la Région Fès-Meknès"],
             p["Entraide Nationale"]])
        tamkine = _programme(
            fes, Programme.Kind.TAMKINE, "برنامج تمكين", "Programme Tamkine",
            "التمكين الاقتصادي للتعاونيات النسائية والشبابية: تكوين، مواكبة، وتمويل المشاريع المدرة للدخل.",
            "Autonomisation économique des coopératives de femmes et de jeunes : formation, accompagnement et "
            "financement de projets générateurs de revenus.",
            [p["Entraide Nationale"], p["Conseil de la Région Fès-Meknès"], p["Al Barid Bank"],
             p["Fondation Mohammed V pour la Solidarité"]])
        today = date.today()
        organizations = list(Organization.objects.filter(region=fes, is_active=True, merged_into__isnull=True,
                                                         created_on__isnull=False).order_by("pk")[:60])
        own = Organization.objects.filter(representations__user__email=COOPERATIVE,
                                          representations__status=Representation.Status.APPROVED,
                                          region=fes).first()
        others = [o for o in organizations if o != own]
        women = [o for o in others if o.women_led]
        rest = [o for o in others if o not in women]

        old = _cohort(mowakaba, "مواكبة · الفوج 2022–2024", "Mowakaba · cohorte 2022–2024",
                      today - timedelta(days=365 * 4 + 30), 24)
        old_participants = _select(staff, old, rest[:5], rng)
        _diagnose(staff, old_participants, rng, final=True)
        for i, participant in enumerate(old_participants):
            services.set_stage(staff, participant, Participant.Stage.GRADUATED)
            Participant.objects.filter(pk=participant.pk).update(graduated_on=old.ends_on)
            if i == 4:
                services.record_followup(staff, participant, old.ends_on + timedelta(days=500))

        tamkine_cohort = _cohort(tamkine, "تمكين · فوج التعاونيات النسائية",
                                 "Tamkine · cohorte des coopératives de femmes", today - timedelta(days=400), 13.8,
                                 women_led_only=True,
                                 allowed_legal_forms=[LegalForm.COOPERATIVE])
        tamkine_orgs = ([own] if own is not None and own.women_led else []) + women[:6]
        tamkine_participants = _select(staff, tamkine_cohort, tamkine_orgs, rng)
        _diagnose(coach, tamkine_participants, rng, final=True)
        past_trainings = list(Session.objects.filter(region=fes, kind="training", starts_at__lt=timezone.now())
                              .order_by("starts_at")[:4])
        _trainings(tamkine_cohort, tamkine_participants, past_trainings, rng)
        _coaching(coach, tamkine_participants, rng, start=tamkine_cohort.starts_on, held=7)
        _funding(staff, tamkine_participants[1:5] if own is not None else tamkine_participants[:4], partners)
        for participant in tamkine_participants:
            services.set_stage(staff, participant, Participant.Stage.FUNDING)
        services.set_stage(staff, tamkine_participants[-1], Participant.Stage.GRADUATED)

        mowakaba_cohort = _cohort(mowakaba, "مواكبة · الفوج 2026–2027", "Mowakaba · cohorte 2026–2027",
                                  today - timedelta(days=300), 24, min_age_months=6)
        mowakaba_participants = _select(staff, mowakaba_cohort, rest[5:13], rng)
        _diagnose(coach, mowakaba_participants, rng)
        _trainings(mowakaba_cohort, mowakaba_participants, past_trainings[:2], rng)
        _coaching(coach, mowakaba_participants, rng, start=mowakaba_cohort.starts_on, held=4, pending=True)
        for participant in mowakaba_participants:
            services.set_stage(staff, participant, Participant.Stage.COACHING)

        next_cohort = Cohort.objects.create(
            programme=mowakaba, name_ar="مواكبة · الفوج 2027–2029", name_fr="Mowakaba · cohorte 2027–2029",
            starts_on=today + timedelta(days=60), ends_on=today + timedelta(days=60 + 730), places=15,
            call_opens_on=today - timedelta(days=10), call_closes_on=today + timedelta(days=35),
            allowed_legal_forms=[LegalForm.COOPERATIVE, LegalForm.ASSOCIATION])
        upcoming = Session.objects.filter(region=fes, kind="training", starts_at__gt=timezone.now()).order_by(
            "starts_at").first()
        if upcoming is not None:
            services.link_training(staff, mowakaba_cohort, upcoming)
        count = Participant.objects.filter(region=fes).count()
    return (f"support demo: Mowakaba and Tamkine in Fès-Meknès, {count} participants; "
            f"call open: «{next_cohort.name_fr}»")
