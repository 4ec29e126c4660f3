"""Demo data from seed 003: the consultation workshop of 15 April 2025 in Fès for the regional model
SSE pole (diagnosis, challenges and needs, governance model, sustainability scenarios, integration
of the ongoing programmes), 40 proposals with supports, comments and staff scores, the integrated
regional action plan of 12 actions in progress, and the catalogue of the pole's shared services with
bookings. Loading twice changes nothing (the workshop's session is looked up first)."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.core.models import Region
from tadamon.fairs.models import Edition, Institution
from tadamon.programme.models import Registration, Session, Space
from tadamon.programme.services import generate_slots
from tadamon.registry.models import Organization

from . import services
from .models import Action, Booking, Comment, Milestone, PoleService, ProgressUpdate, Proposal, Score, Support

TITLE_FR = "Atelier de concertation pour l'activation du pôle régional modèle de l'ESS"
TITLE_AR = "ورشة تشاورية لتفعيل مشروع القطب النموذجي للاقتصاد الاجتماعي والتضامني"

THEMES = [
    ("تشخيص واقع الاقتصاد الاجتماعي والتضامني بالجهة", "Diagnostic de l'ESS dans la région"),
    ("التحديات القائمة والحاجيات الأساسية", "Défis et besoins essentiels"),
    ("نموذج حكامة القطب", "Modèle de gouvernance du pôle"),
    ("سيناريوهات تدبير القطب وضمان استدامته", "Scénarios de gestion et de pérennité du pôle"),
    ("التكامل بين المبادرات والبرامج الجارية", "Intégration des initiatives et programmes en cours"),
]

#: Eight proposals per theme (title, what is proposed), as participants wrote them.
PROPOSALS = [
    [("إحداث مرصد جهوي للاقتصاد الاجتماعي", "مرصد يجمع معطيات التعاونيات والجمعيات ويصدر تقريرا سنويا."),
     ("خريطة رقمية للتعاونيات حسب الأقاليم", "خريطة تفاعلية تبين توزيع التعاونيات وقطاعاتها في الأقاليم التسعة."),
     ("دراسة حول سلاسل القيمة المجالية", "دراسة سلاسل قيمة الزيتون والعسل والنباتات العطرية بالجهة."),
     ("إحصاء التعاونيات غير النشيطة", "حصر التعاونيات المتوقفة ومعرفة أسباب توقفها لمواكبتها."),
     ("قياس مساهمة النساء في القطاع", "مؤشرات خاصة بالتعاونيات النسائية والرائدات في الجهة."),
     ("استبيان حاجيات التعاونيات القروية", "استبيان ميداني في الجماعات القروية حول حاجيات التكوين والتسويق."),
     ("تقييم المعارض الجهوية السابقة", "تقييم أثر الدورات السابقة للمعرض الجهوي على مداخيل العارضين."),
     ("بوابة معطيات مفتوحة", "نشر معطيات القطاع في بوابة مفتوحة للباحثين والشركاء.")],
    [("وحدة مشتركة للتلفيف والتعبئة", "وحدة تلفيف مجهزة تستعملها التعاونيات بأثمنة رمزية."),
     ("مواكبة الحصول على الترخيص الصحي",
      "مرافقة التعاونيات الغذائية في ملف الترخيص الصحي للمكتب الوطني للسلامة الصحية."),
     ("تكوين في التسويق الرقمي", "دورات في البيع عبر الهاتف وشبكات التواصل الاجتماعي."),
     ("صندوق للتمويل التضامني", "صندوق جهوي للقروض الصغرى بدون فوائد للتعاونيات الناشئة."),
     ("تسهيل النقل إلى الأسواق", "خدمة نقل مشتركة للمنتوجات من المناطق الجبلية نحو المدن."),
     ("تكوين في المحاسبة والتسيير", "تكوين أعضاء المكاتب المسيرة في المحاسبة المبسطة."),
     ("علامة جماعية للمنتوجات المجالية", "علامة جهوية تضمن الجودة وتسهل التسويق."),
     ("فضاء عرض دائم بفاس", "محل دائم لعرض وبيع منتوجات تعاونيات الجهة.")],
    [("لجنة قيادة متعددة الشركاء", "لجنة تضم المجلس والمديرية الجهوية والغرف والمجتمع المدني."),
     ("تمثيلية التعاونيات في مجلس الإدارة", "مقاعد منتخبة للتعاونيات والجمعيات داخل هيئة تدبير القطب."),
     ("ميثاق أخلاقي لاستعمال الخدمات", "ميثاق يحدد شروط الولوج العادل للخدمات المشتركة."),
     ("تقرير سنوي علني", "نشر تقرير سنوي عن أنشطة القطب وميزانيته."),
     ("مدير تنفيذي بعقد أهداف", "تعيين مدير للقطب بعقد أهداف قابلة للقياس."),
     ("شباك موحد للمواكبة", "شباك واحد يستقبل طلبات التعاونيات ويوجهها للبرامج المناسبة."),
     ("اتفاقيات شراكة مع الجامعات", "اتفاقيات مع جامعة سيدي محمد بن عبد الله للبحث والتأطير."),
     ("آلية لتتبع الشكايات", "آلية لتلقي ملاحظات المستفيدين والرد عليها.")],
    [("تسعيرة متدرجة للخدمات", "أثمنة حسب حجم التعاونية ورقم معاملاتها."),
     ("كراء القاعات للخواص", "كراء القاعات للشركات في أوقات الفراغ لتمويل القطب."),
     ("شركة تدبير مفوض", "دراسة خيار التدبير المفوض لجزء من الخدمات."),
     ("مساهمة سنوية للشركاء", "التزام مالي سنوي لكل شريك مؤسساتي."),
     ("استوديو تصوير مؤدى عنه", "استوديو لتصوير المنتوجات بثمن مناسب للتعاونيات."),
     ("بيع عبر منصة إلكترونية جماعية", "عمولة صغيرة على مبيعات المنصة تعود لميزانية القطب."),
     ("طاقة شمسية لتخفيض التكاليف", "تجهيز مقر القطب بألواح شمسية."),
     ("تعبئة التمويل الدولي", "إعداد مشاريع للتمويل من طرف شركاء التعاون الدولي.")],
    [("ربط القطب ببرنامج مواكبة", "جعل القطب نقطة الولوج المحلية لبرنامج مواكبة."),
     ("ربط القطب ببرنامج تمكين", "تنسيق التكوينات مع برنامج تمكين لتفادي التكرار."),
     ("دمج حاضنة التعاونيات في القطب", "نقل أنشطة منصة حاضنة التعاونيات إلى مقر القطب."),
     ("تنسيق مع المبادرة الوطنية للتنمية البشرية", "توحيد دعم المشاريع المدرة للدخل مع المبادرة الوطنية."),
     ("رواق مشترك في المعارض", "رواق باسم القطب في المعارض الوطنية يعرض منتوجات عدة تعاونيات."),
     ("جدولة موحدة للتكوينات", "برنامج سنوي واحد لتكوينات كل الشركاء."),
     ("قاعدة معطيات مشتركة بين الشركاء", "سجل واحد للتعاونيات يتقاسمه الشركاء بدل عدة لوائح."),
     ("تنسيق مع الغرف المهنية", "برمجة مشتركة مع غرفة الصناعة التقليدية والغرفة الفلاحية.")],
]

#: Retained proposals (theme, index) → (action Arabic, action French, owner French name, budget MAD, progress,
#: status, reason).
RETAINED = [
    ((1, 0), "تجهيز وحدة التلفيف المشتركة", "Équiper l'unité commune de conditionnement",
     "Conseil de la Région Fès-Meknès", 1_800_000, 45, "in_progress",
     "أكثر مقترح مدعوم، وأثر مباشر على جودة المنتوجات وولوج الأسواق."),
    ((0, 0), "إحداث المرصد الجهوي للاقتصاد الاجتماعي والتضامني", "Créer l'observatoire régional de l'ESS",
     "Université Sidi Mohamed Ben Abdellah", 450_000, 30, "in_progress", "ضروري لتتبع مؤشرات خطة العمل."),
    ((2, 0), "تنصيب لجنة القيادة متعددة الشركاء", "Installer le comité de pilotage multipartenaires",
     "Direction régionale de l'Artisanat et de l'ESS", 0, 100, "done", "شرط مسبق لحكامة القطب، بدون كلفة."),
    ((1, 1), "مواكبة 60 تعاونية للحصول على الترخيص الصحي", "Accompagner 60 coopératives vers l'autorisation sanitaire",
     "Office du Développement de la Coopération", 300_000, 55, "in_progress",
     "عائق رئيسي للولوج إلى المعارض والمتاجر."),
    ((1, 2), "برنامج تكوين في التسويق الرقمي", "Programme de formation au marketing numérique",
     "Entraide Nationale", 240_000, 70, "in_progress", "طلب قوي من التعاونيات النسائية، كلفة معقولة."),
    ((4, 0), "القطب نقطة ولوج محلية لبرنامج مواكبة", "Le pôle, guichet local du programme Mowakaba",
     "Ministère du Tourisme, de l'Artisanat et de l'Économie Sociale et Solidaire", 120_000, 40, "in_progress",
     "يستعمل برنامجا قائما بدل إحداث برنامج جديد."),
    ((4, 2), "دمج حاضنة التعاونيات في مقر القطب", "Intégrer l'incubateur de coopératives au pôle",
     "Conseil de la Région Fès-Meknès", 600_000, 20, "delayed",
     "تجميع الخدمات في مكان واحد لفائدة التعاونيات الناشئة."),
    ((3, 4), "استوديو تصوير المنتوجات", "Studio photo des produits", "Chambre d'Artisanat", 180_000, 80, "in_progress",
     "خدمة مؤدى عنها تساهم في استدامة القطب."),
    ((4, 4), "رواق مشترك للقطب في المعارض", "Stand partagé du pôle dans les salons", "Conseil de la Région Fès-Meknès",
     350_000, 60, "in_progress", "يفتح المعارض للتعاونيات الصغيرة التي لا تستطيع كراء رواق."),
    ((2, 5), "شباك موحد للمواكبة", "Guichet unique d'accompagnement", "Centre Régional d'Investissement", 200_000, 10,
     "planned", "يبسط المساطر على التعاونيات."),
    ((3, 0), "تسعيرة متدرجة للخدمات المشتركة", "Tarification progressive des services communs",
     "Direction régionale de l'Artisanat et de l'ESS", 0, 100, "done", "تضمن ولوجا عادلا واستدامة مالية."),
    ((1, 3), "صندوق جهوي للتمويل التضامني", "Fonds régional de financement solidaire", "Al Barid Bank", 2_500_000, 15,
     "planned", "حاجة ملحة للتعاونيات الناشئة، بشراكة مع مؤسسة بنكية."),
]
NOT_RETAINED = [
    ((3, 2), "التدبير المفوض سابق لأوانه قبل سنة أولى من التشغيل."),
    ((3, 1), "الأولوية في القاعات للتعاونيات؛ يعاد النظر بعد تقييم الاستعمال."),
    ((0, 7), "سيدمج في مهام المرصد الجهوي بدل مشروع مستقل."),
]

#: Extra institutions named in the seed article (owners of actions).
OWNERS = [
    ("المديرية الجهوية للصناعة التقليدية والاقتصاد الاجتماعي والتضامني",
     "Direction régionale de l'Artisanat et de l'ESS"),
    ("جامعة سيدي محمد بن عبد الله", "Université Sidi Mohamed Ben Abdellah"),
    ("مجلس جهة فاس مكناس", "Conseil de la Région Fès-Meknès"),
    ("مكتب تنمية التعاون", "Office du Développement de la Coopération"),
    ("التعاون الوطني", "Entraide Nationale"),
    ("وزارة السياحة والصناعة التقليدية والاقتصاد الاجتماعي والتضامني",
     "Ministère du Tourisme, de l'Artisanat et de l'Économie Sociale et Solidaire"),
    ("غرفة الصناعة التقليدية", "Chambre d'Artisanat"),
    ("المركز الجهوي للاستثمار", "Centre Régional d'Investissement"),
    ("بريد بنك", "Al Barid Bank"),
]

#: (kind, Arabic, French, price MAD, unit, capacity, rules Arabic, rules French)
SERVICES = [
    ("packaging", "وحدة التلفيف والتعبئة", "Unité de conditionnement", 80, "hour", 6,
     "حجز لمدة أقصاها يومان في الأسبوع لكل تعاونية. المنتوجات الغذائية تتطلب الترخيص الصحي.",
     "Deux jours par semaine au plus par coopérative. Produits alimentaires : autorisation sanitaire exigée."),
    ("meeting_room", "قاعة الاجتماعات", "Salle de réunion", 50, "hour", 20,
     "تترك القاعة نظيفة. الإلغاء قبل 24 ساعة.", "Rendre la salle propre. Annuler 24 heures à l'avance."),
    ("training_room", "قاعة التكوين", "Salle de formation", 400, "day", 35,
     "مجهزة بعارض ضوئي وسبورة. الأولوية للتكوينات المفتوحة.",
     "Vidéoprojecteur et tableau. Priorité aux formations ouvertes."),
    ("photo_studio", "استوديو تصوير المنتوجات", "Studio photo des produits", 120, "hour", 4,
     "مصور القطب يرافق الحصة الأولى مجانا.", "Le photographe du pôle accompagne gratuitement la première séance."),
    ("equipment", "آلة تعبئة العسل", "Machine de mise en pot du miel", 60, "hour", None,
     "يستعملها عضو تلقى التكوين. تسلم وتعاد بحضور التقني.",
     "Utilisée par un membre formé ; remise et retour en présence du technicien."),
    ("equipment", "آلة طباعة الملصقات", "Imprimante d'étiquettes", 30, "hour", None,
     "الملصقات على حساب التعاونية.", "Étiquettes à la charge de la coopérative."),
    ("fair_stand", "الرواق المشترك في المعارض", "Stand partagé dans les salons", 500, "day", 4,
     "أربع تعاونيات في الرواق، بالتناوب.", "Quatre coopératives par stand, en rotation."),
]

#: The participants' institutions, as the seed article lists them.
INSTITUTIONS = [
    "كتابة الدولة المكلفة بالصناعة التقليدية والاقتصاد الاجتماعي والتضامني", "المديرية الجهوية للصناعة التقليدية",
    "غرفة الصناعة التقليدية بجهة فاس مكناس", "غرفة الفلاحة بجهة فاس مكناس", "المركز الجهوي للاستثمار",
    "مؤسسة محمد الخامس للتضامن", "بنك المغرب", "بريد بنك", "جمعية من المجتمع المدني", "اتحاد التعاونيات بالجهة",
    "مكتب الدراسات", "جامعة سيدي محمد بن عبد الله", "القطاع الخاص", "الصحافة والإعلام",
]

COMMENTS = ["مقترح مهم، يجب أن يشمل الأقاليم الجبلية.", "نقترح البدء بمرحلة تجريبية في فاس ومكناس.",
            "أتفق، مع إشراك التعاونيات النسائية.", "يجب تحديد الكلفة بدقة.",
            "Très bonne idée, à relier au programme Tamkine."]


def _edition(region):
    edition = Edition.objects.filter(region=region, kind=Edition.Kind.CONSULTATION, title_fr=TITLE_FR).first()
    if edition is None:
        edition = Edition.objects.create(
            region=region, kind=Edition.Kind.CONSULTATION, number=1, title_ar=TITLE_AR, title_fr=TITLE_FR,
            description_ar="ورشة لتقاسم التصور الأولي للقطب الجهوي النموذجي ونتائج دراسة مكتب الدراسات، وجلسات "
                           "تفاعلية تفضي إلى خطة عمل جهوية مندمجة.",
            description_fr="Partage du concept initial du pôle régional modèle et de l'étude du bureau d'études, "
                           "puis séances interactives menant à un plan d'action régional intégré.",
            starts_on=date(2025, 4, 15), ends_on=date(2025, 4, 15), opens_at=time(9), closes_at=time(17),
            venue_name_ar="مقر المديرية الجهوية بفاس", venue_name_fr="Siège de la Direction régionale, Fès",
            venue_address="Fès", status=Edition.Status.CLOSED)
    return edition


def _session(edition):
    session = Session.objects.filter(edition=edition, title_fr=TITLE_FR).first()
    if session is not None:
        return session, False
    generate_slots(None, edition, slot_minutes=240, day_starts=time(9), day_ends=time(17))
    space, _c = Space.objects.get_or_create(edition=edition, name_fr="Salle de conférences", defaults={
        "name_ar": "قاعة الندوات", "capacity": 120, "region": edition.region})
    slot = edition.time_slots.order_by("starts_at").first()
    last = edition.time_slots.order_by("starts_at").last()
    session = Session.objects.create(
        edition=edition, region=edition.region, kind="panel", audience="professionals", title_ar=TITLE_AR,
        title_fr=TITLE_FR, languages=["ar", "fr"], duration_slots=2, slot=slot, space=space,
        starts_at=slot.starts_at, ends_at=last.ends_at,
        description_ar="عرض التصور الأولي للقطب، ثم جلسات تفاعلية حول المحاور الخمسة.",
        description_fr="Présentation du concept initial du pôle, puis séances interactives sur les cinq thèmes.")
    return session, True


def _participants(n):
    User = get_user_model()
    out = []
    for i in range(n):
        email = f"participant{i + 1:02d}@consultation.tadamon.ma"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, first_name=f"مشارك {i + 1}", last_name="", preferred_language="ar",
                        email_verified=True)
            user.set_unusable_password()
            user.save()
        out.append(user)
    return out


def _workshop(region, session, staff, rng):
    workshop = services.create_workshop(staff, session, themes=THEMES, intro_ar=(
        "في إطار المشروع الوطني لإحداث أقطاب ترابية نموذجية للاقتصاد الاجتماعي والتضامني، شاركوا مقترحاتكم "
        "وتوصياتكم التي ستشكل دعامة لإعداد خطة عمل جهوية مندمجة."), intro_fr=(
        "Dans le cadre du projet national de pôles territoriaux modèles de l'ESS, partagez vos propositions et "
        "recommandations : elles fondent le plan d'action régional intégré."))
    themes = list(workshop.themes.all())
    people = _participants(30)
    Registration.objects.bulk_create([
        Registration(session=session, region=region, user=u, name=u.first_name, institution=INSTITUTIONS[i % 14],
                     status=Registration.Status.CONFIRMED, checked_in_at=session.starts_at)
        for i, u in enumerate(people)])
    phases = ["before", "during", "during", "during", "after"]
    proposals = {}
    for t, rows in enumerate(PROPOSALS):
        for i, (title, body) in enumerate(rows):
            workshop.phase = phases[(t + i) % len(phases)]
            table = (t + i) % 3 == 0
            proposals[(t, i)] = services.submit_proposal(
                workshop, theme=themes[t], title=title, body=body,
                author=None if table else people[(t * 8 + i) % len(people)],
                author_label=f"الطاولة {t + 1}" if table else "", typed_by=staff if table else None)
    workshop.phase = "closed"
    workshop.save(update_fields=["phase"])
    retained_keys = {key for key, *_rest in RETAINED}
    supports = []
    for key, proposal in proposals.items():
        weight = 0.65 if key in retained_keys else 0.25
        supports += [Support(proposal=proposal, user=u) for u in people if rng.random() < weight]
    Support.objects.bulk_create(supports)
    Comment.objects.bulk_create([Comment(proposal=proposals[key], author=rng.choice(people), body=rng.choice(COMMENTS))
                                 for key in rng.sample(sorted(proposals), 15)])
    criteria = list(workshop.criteria.all())
    Score.objects.bulk_create([
        Score(proposal=p, criterion=c, scorer=staff,
              value=min(5, max(1, (4 if key in retained_keys else 2) + rng.choice([-1, 0, 0, 1]))))
        for key, p in proposals.items() for c in criteria])
    services.merge(staff, proposals[(2, 7)], proposals[(2, 3)], "المقترحان يعالجان الشفافية اتجاه المستفيدين.")
    services.hide_proposal(staff, proposals[(4, 7)], "مكرر: نفس مضمون المقترح حول التنسيق مع الغرف في محور آخر.")
    return workshop, proposals


def _plan(workshop, proposals, staff, rng):
    plan = services.create_plan(staff, workshop, title_ar="خطة العمل الجهوية المندمجة للقطب النموذجي 2025–2027",
                                title_fr="Plan d'action régional intégré du pôle modèle 2025–2027",
                                starts_on=date(2025, 6, 1), ends_on=date(2027, 12, 31))
    owners = {fr: Institution.objects.get_or_create(name_fr=fr, defaults={"name_ar": ar})[0] for ar, fr in OWNERS}
    for key, ar, fr, owner, budget, progress, status, reason in RETAINED:
        action = services.retain(staff, proposals[key], reason=reason, owner=owners[owner], budget_mad=Decimal(budget),
                                 title_ar=ar, title_fr=fr)
        start = plan.starts_on + timedelta(days=rng.randint(0, 60))
        for n, (m_ar, months) in enumerate([("إطلاق", 0), ("إنجاز نصف الأشغال", 8), ("التسليم", 18)]):
            Milestone.objects.create(action=action, title=m_ar, due_on=start + timedelta(days=30 * months),
                                     done_on=start + timedelta(days=30 * months) if progress >= (n + 1) * 33 else None)
        services.add_indicator(staff, action, name="تعاونيات مستفيدة", target=Decimal(60), unit="تعاونية")
        ProgressUpdate.objects.create(action=action, author=staff, body="تقدم الأشغال حسب البرنامج المتفق عليه.",
                                      progress=progress, status=status)
        Action.objects.filter(pk=action.pk).update(progress=progress, status=status)
        action.indicators.update(current=Decimal(60 * progress // 100))
    partner = get_user_model().objects.filter(email="partner@tadamon.ma").first()
    first = Action.objects.filter(plan=plan).order_by("pk").first()
    if partner and first:  # the demo partner reports the progress of the packaging unit
        Action.objects.filter(pk=first.pk).update(contact=partner)
    for key, reason in NOT_RETAINED:
        services.not_retain(staff, proposals[key], reason)
    return plan


def _pole(region, staff, rng):
    if PoleService.objects.filter(region=region).exists():
        return 0
    items = [PoleService.objects.create(region=region, kind=k, name_ar=ar, name_fr=fr, price_mad=Decimal(price),
                                        unit=unit, capacity=capacity, rules_ar=r_ar, rules_fr=r_fr,
                                        description_ar="من الخدمات المشتركة للقطب الترابي النموذجي.",
                                        description_fr="Un service commun du pôle territorial modèle.")
             for k, ar, fr, price, unit, capacity, r_ar, r_fr in SERVICES]
    organizations = list(Organization.objects.filter(region=region, is_active=True).order_by("pk")[:25])
    if not organizations:
        return 0
    today = timezone.localdate()
    rows = []
    for service in items:
        taken = set()
        for _n in range(rng.randint(8, 16)):
            day = today + timedelta(days=rng.randint(-85, 25))
            hour = 9 if service.unit == "day" else rng.choice([9, 11, 14])
            if (day, hour) in taken or day.weekday() == 6:
                continue
            taken.add((day, hour))
            starts = timezone.make_aware(datetime.combine(day, time(hour)))
            ends = starts + (timedelta(hours=9) if service.unit == "day" else timedelta(hours=2))
            status = (Booking.Status.APPROVED if day < today or rng.random() < 0.6 else Booking.Status.PENDING)
            rows.append(Booking(service=service, region=region, organization=rng.choice(organizations),
                                starts_at=starts, ends_at=ends,
                                price_mad=services.booking_price(service, starts, ends), status=status,
                                decided_by=staff if status == Booking.Status.APPROVED else None,
                                purpose="تلفيف منتوجات المعرض" if service.kind == "packaging" else ""))
    Booking.objects.bulk_create(rows)
    return len(rows)


def load_demo():
    rng = random.Random(20250415)  # noqa: S311 (demo data, not secrets)
    with transaction.atomic(), scopes_disabled():
        fes = Region.objects.get(code="03")
        staff = get_user_model().objects.filter(email="fes@tadamon.ma").first()
        session, created = _session(_edition(fes))
        n_proposals = n_actions = 0
        if created:
            workshop, proposals = _workshop(fes, session, staff, rng)
            plan = _plan(workshop, proposals, staff, rng)
            n_proposals, n_actions = len(proposals), plan.actions.count()
        n_bookings = _pole(fes, staff, rng)
        total = Proposal.objects.count()
    return (f"consultations demo: {n_proposals} proposals, {n_actions} actions, {n_bookings} bookings of the pole's "
            f"services created ({total} proposals in all)")
