"""Demo programmes from the seed articles.

- Marrakech-Safi, 2nd regional SSE fair (27 January – 2 February 2025): the training-workshop
  space's workshops (management and accounting, SSE principles and values, e-marketing,
  networking, entrepreneurship, branding, project writing, legal and organizational structuring,
  territorial SSE poles), music and folklore shows by troupes of the region's provinces, and the
  celebration of leading cooperatives. Past: registrations, attendance, certificates, feedback.
- Fès-Meknès, 3rd regional SSE fair (15–24 October 2025): seminars, training sessions led by
  Moroccan and foreign experts, and the first caftan ceremony.
- Fès-Meknès, communication and training day on the SSE support programmes (Mowakaba, Tamkine,
  support for fairs, the cooperative incubator platform): more than 200 participants from the
  region's organizations and institutions.
- Fès-Meknès, 4th regional SSE fair (to come): workshops open for registration, two of them led
  by the demo trainer (trainer@tadamon.ma), so that a visitor can register.

Editions are found by region code, kind and number (the fairs demo creates the fairs; this one
creates the communication day). An edition that already has sessions is left alone: loading twice
changes nothing.
"""

import random
from datetime import date, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django_scopes import scopes_disabled

from tadamon.core.models import Region
from tadamon.fairs.models import Edition
from tadamon.registry.models import Organization

from .models import Certificate, Feedback, Registration, Session, Space, Speaker, TimeSlot
from .services import generate_slots, normalize_phone

TRAINER = "trainer@tadamon.ma"
DAY_TITLE_FR = "Journée de communication et de formation sur les programmes d'appui à l'ESS"

WOMEN = [("فاطمة", "Fatima"), ("خديجة", "Khadija"), ("مليكة", "Malika"), ("نعيمة", "Naima"), ("زهرة", "Zahra"),
         ("حياة", "Hayat"), ("سعاد", "Souad"), ("لطيفة", "Latifa"), ("إيمان", "Imane"), ("حنان", "Hanane"),
         ("نادية", "Nadia"), ("أمينة", "Amina"), ("ربيعة", "Rabia"), ("حفيظة", "Hafida"), ("ثريا", "Touria"),
         ("كلثوم", "Keltoum"), ("السعدية", "Saadia"), ("يامنة", "Yamna")]
MEN = [("محمد", "Mohamed"), ("أحمد", "Ahmed"), ("عبد الله", "Abdellah"), ("الحسن", "El Hassan"), ("يوسف", "Youssef"),
       ("رشيد", "Rachid"), ("مصطفى", "Mustapha"), ("عمر", "Omar"), ("سعيد", "Said"), ("إدريس", "Driss"),
       ("حميد", "Hamid"), ("المهدي", "El Mehdi"), ("عبد الكريم", "Abdelkrim"), ("إبراهيم", "Brahim")]
FAMILY = [("العلوي", "Alaoui"), ("بنعلي", "Benali"), ("الإدريسي", "Idrissi"), ("الفاسي", "Fassi"),
          ("الشرقاوي", "Cherkaoui"), ("التازي", "Tazi"), ("المرابط", "Mrabet"), ("بنيس", "Bennis"),
          ("الصنهاجي", "Senhaji"), ("أمزيان", "Amzian"), ("بوعزة", "Bouazza"), ("الزموري", "Zemmouri"),
          ("المكناسي", "Meknassi"), ("الوزاني", "Ouazzani"), ("الحراق", "Harrak"), ("السوسي", "Soussi"),
          ("الرحماني", "Rahmani"), ("أوحمو", "Ouhammou"), ("الدكالي", "Doukkali"), ("بوزيد", "Bouzid")]

#: Institutions present at the communication day (Arabic, as people write them at the door).
DAY_INSTITUTIONS = [
    "التعاون الوطني", "مكتب تنمية التعاون", "غرفة الصناعة التقليدية لجهة فاس مكناس", "الغرفة الفلاحية لجهة فاس مكناس",
    "المديرية الجهوية للصناعة التقليدية والاقتصاد الاجتماعي", "ولاية جهة فاس مكناس", "المركز الجهوي للاستثمار",
    "المبادرة الوطنية للتنمية البشرية", "بريد بنك", "جامعة سيدي محمد بن عبد الله", "مجلس جهة فاس مكناس",
]

#: (key, Arabic name, French name, function ar, function fr, institution, country, account e-mail, bio ar, bio fr)
SPEAKERS = {
    "07": [
        ("hihi", "عبد الرحيم الحيحي", "Abderrahim El Hihi", "خبير محاسب", "Expert-comptable",
         "Cabinet Al Hihi, Marrakech", "", None,
         "خبير محاسب يواكب التعاونيات في التسيير المالي منذ خمس عشرة سنة.",
         "Expert-comptable, accompagne les coopératives dans leur gestion financière depuis quinze ans."),
        ("cherkaoui", "نزهة الشرقاوي", "Nezha Cherkaoui", "مستشارة في التسويق الرقمي", "Consultante en e-marketing",
         "Atlas Digital", "", None,
         "تكوّن التعاونيات على البيع عبر الإنترنت وشبكات التواصل الاجتماعي.",
         "Forme les coopératives à la vente en ligne et aux réseaux sociaux."),
        ("oubella", "مصطفى أوبلا", "Mustapha Oubella", "إطار بمكتب تنمية التعاون", "Cadre à l'ODCO",
         "مكتب تنمية التعاون", "", None,
         "متخصص في الهيكلة القانونية والتنظيمية للتعاونيات.",
         "Spécialiste de la structuration juridique et organisationnelle des coopératives."),
        ("diop", "أميناتا ديوب", "Aminata Diop", "منسقة شبكة الاقتصاد الاجتماعي", "Coordinatrice de réseau ESS",
         "RESSUP", "Sénégal", None,
         "تنسق شبكة سنغالية للاقتصاد الاجتماعي والتضامني وتتقاسم تجارب التشبيك الإفريقية.",
         "Coordonne un réseau sénégalais de l'ESS et partage les expériences africaines de mise en réseau."),
        ("rahmani", "سعاد الرحماني", "Souad Rahmani", "مدربة في ريادة الأعمال", "Formatrice en entrepreneuriat",
         "Centre Régional d'Investissement", "", None,
         "ترافق حاملي المشاريع من الفكرة إلى التمويل.",
         "Accompagne les porteurs de projets de l'idée au financement."),
    ],
    "03": [
        ("amrani", "ليلى العمراني", "Leila Amrani", "مكوّنة في تسيير التعاونيات", "Formatrice en gestion coopérative",
         "Tadamon", "", TRAINER,
         "مكوّنة معتمدة في الحكامة والتسويق لدى التعاونيات النسائية بجهة فاس مكناس.",
         "Formatrice agréée en gouvernance et en commercialisation auprès des coopératives féminines de la "
         "région Fès-Meknès."),
        ("santoni", "جان باتيست سانطوني", "Jean-Baptiste Santoni", "خبير في التعاونيات الفلاحية",
         "Expert en coopératives agricoles", "Chambre régionale de l'ESS de Corse", "France (Corse)", None,
         "يتقاسم تجربة التعاونيات الكورسيكية في تثمين المنتوجات المجالية.",
         "Partage l'expérience des coopératives corses dans la valorisation des produits du terroir."),
        ("ndiaye", "فاتو نداي", "Fatou Ndiaye", "خبيرة في التمويل التضامني", "Experte en finance solidaire",
         "Mutuelle d'épargne de Thiès", "Sénégal", None, "", ""),
        ("fassi", "إدريس الفاسي", "Driss El Fassi", "أستاذ الاقتصاد", "Professeur d'économie",
         "جامعة سيدي محمد بن عبد الله", "", None, "", ""),
        ("bennis", "أمال بنيس", "Amal Bennis", "المندوبة الجهوية لمكتب تنمية التعاون", "Déléguée régionale de l'ODCO",
         "مكتب تنمية التعاون", "", None, "", ""),
        ("harrak", "كريمة الحراق", "Karima Harrak", "مسؤولة برنامج تمكين", "Responsable du programme Tamkine",
         "مجلس جهة فاس مكناس", "", None, "", ""),
    ],
}

TRAINING, CONF, PANEL, AGORA, SHOW, CEREMONY, AWARD, B2B = (
    "training", "conference", "panel", "agora", "show", "ceremony", "award", "b2b")


def _speakers(region):
    User = get_user_model()
    out = {}
    for key, ar, fr, role_ar, role_fr, institution, country, email, bio_ar, bio_fr in SPEAKERS[region.code]:
        user = User.objects.filter(email=email).first() if email else None
        speaker, _created = Speaker.objects.get_or_create(region=region, name_fr=fr, defaults={
            "name_ar": ar, "role_ar": role_ar, "role_fr": role_fr, "institution": institution, "country": country,
            "user": user, "bio_ar": bio_ar, "bio_fr": bio_fr})
        out[key] = speaker
    return out


def _spaces(edition, rows):
    out = {}
    for position, (key, ar, fr, capacity, kinds) in enumerate(rows):
        out[key], _created = Space.objects.get_or_create(edition=edition, name_fr=fr, defaults={
            "name_ar": ar, "capacity": capacity, "kinds": kinds, "position": position, "region": edition.region})
    return out


def _programme(edition, spaces, speakers, rows):
    """rows: (day index, slot index in the day, space key, kind, audience, ar, fr, duration, registration,
    capacity, speaker keys, languages)."""
    by_day = {}
    for slot in TimeSlot.objects.filter(edition=edition).order_by("starts_at"):
        by_day.setdefault(slot.day, []).append(slot)
    days = sorted(by_day)
    sessions = []
    for (day, index, space, kind, audience, ar, fr, duration, registration, capacity, who, languages) in rows:
        day_slots = by_day[days[day]]
        slot = day_slots[index]
        last = day_slots[index + duration - 1]
        session = Session.objects.create(
            edition=edition, region=edition.region, kind=kind, audience=audience, title_ar=ar, title_fr=fr,
            description_ar="", description_fr="", languages=languages, duration_slots=duration,
            registration_required=registration, capacity=capacity, slot=slot, space=spaces[space],
            starts_at=slot.starts_at, ends_at=last.ends_at)
        session.speakers.set([speakers[k] for k in who])
        sessions.append(session)
    return sessions


def _person(rng):
    first = rng.choice(WOMEN if rng.random() < 0.55 else MEN)
    family = rng.choice(FAMILY)
    if rng.random() < 0.7:
        return f"{first[0]} {family[0]}"
    return f"{first[1]} {family[1]}"


def _phone(rng, used):
    while True:
        phone = normalize_phone(f"06{rng.randint(10_000_000, 99_999_999)}")
        if phone not in used:
            used.add(phone)
            return phone


def _people(rng, organizations, n, institutions=()):
    """n (name, phone, institution, organization) of the demo's organizations (and some institutions)."""
    used, out = set(), []
    institutions = list(institutions)
    for i in range(n):
        if institutions and i % 9 == 0:  # every institution comes, some with two or three people
            institution, organization = institutions[(i // 9) % len(institutions)], None
        elif organizations:
            organization = organizations[i % len(organizations)]
            institution = organization.name_ar
        else:
            institution, organization = "", None
        out.append((_person(rng), _phone(rng, used), institution, organization))
    return out


def _register(session, people, *, present_share, feedback_share, rng, comments=()):
    """Registrations (confirmed), arrivals, certificates and feedback for a past session, in bulk."""
    rows = []
    for name, phone, institution, organization in people:
        came = rng.random() < present_share
        rows.append(Registration(
            session=session, region_id=session.region_id, name=name, phone=phone, institution=institution,
            organization=organization, language="ar" if any("\u0600" <= c <= "\u06ff" for c in name) else "fr",
            status=Registration.Status.CONFIRMED, queued_at=session.starts_at - timedelta(days=rng.randint(2, 20)),
            checked_in_at=session.starts_at + timedelta(minutes=rng.randint(-20, 15)) if came else None))
    Registration.objects.bulk_create(rows)
    present = [r for r in Registration.objects.filter(session=session, checked_in_at__isnull=False)]
    if session.kind == TRAINING:
        Certificate.objects.bulk_create([Certificate(registration=r) for r in present])
    feedback = []
    for r in present:
        if rng.random() < feedback_share:
            rating = rng.choices([5, 4, 3, 2], weights=[50, 35, 11, 4])[0]
            comment = rng.choice(comments) if comments and rng.random() < 0.3 else ""
            feedback.append(Feedback(registration=r, rating=rating, comment=comment))
    Feedback.objects.bulk_create(feedback)
    return len(rows)


COMMENTS = ["ورشة مفيدة جدا، نتمنى تكرارها.", "شكرا للمؤطر، أمثلة عملية وواضحة.", "الوقت كان قصيرا.",
            "Très utile pour notre coopérative.", "Formation claire, merci.", "نطلب ورشة ثانية حول نفس الموضوع."]


def _marrakech(edition, rng):
    generate_slots(None, edition, slot_minutes=90, day_starts=time(10), day_ends=time(22))
    speakers = _speakers(edition.region)
    spaces = _spaces(edition, [
        ("workshops", "فضاء الورشات التكوينية", "Espace des ateliers de formation", 60, [TRAINING, AGORA, B2B, PANEL]),
        ("stage", "المنصة الرئيسية", "Scène principale", 500, [CEREMONY, SHOW, AWARD, CONF]),
        ("hall", "قاعة الندوات بالجناح المؤسساتي", "Salle de conférences de l'aile institutionnelle", 120,
         [CONF, PANEL, AGORA, B2B]),
    ])
    P, C, E, W = "public", "cooperatives", "exhibitors", "women_artisans"
    ar_fr = ["ar", "fr"]
    sessions = _programme(edition, spaces, speakers, [
        (0, 0, "stage", CEREMONY, P, "حفل افتتاح المعرض الجهوي الثاني للاقتصاد الاجتماعي والتضامني",
         "Cérémonie d'ouverture du 2e Salon régional de l'ESS", 1, False, 0, [], ["ar", "fr"]),
        (0, 4, "workshops", TRAINING, C, "مبادئ وقيم الاقتصاد الاجتماعي والتضامني",
         "Principes et valeurs de l'économie sociale et solidaire", 1, True, 50, ["diop"], ar_fr),
        (0, 6, "stage", SHOW, P, "عرض فني: فرقة الدقة المراكشية", "Spectacle : troupe de Dakka Marrakchia", 1, False,
         0, [], ["ary"]),
        (1, 1, "workshops", TRAINING, C, "التسيير والمحاسبة في التعاونيات", "Gestion et comptabilité des coopératives",
         2, True, 40, ["hihi"], ["ar", "ary"]),
        (1, 4, "hall", CONF, E, "الأقطاب الترابية النموذجية للاقتصاد الاجتماعي والتضامني",
         "Les pôles territoriaux modèles de l'ESS", 1, False, 0, ["oubella", "diop"], ar_fr),
        (1, 6, "stage", SHOW, P, "عرض فني: فرقة كناوة الصويرة", "Spectacle : Gnaoua d'Essaouira", 1, False, 0, [],
         ["ary"]),
        (2, 1, "workshops", TRAINING, E, "التسويق الإلكتروني للمنتوجات التضامنية",
         "E-marketing des produits solidaires",
         1, True, 40, ["cherkaoui"], ["ar", "fr"]),
        (2, 4, "workshops", AGORA, E, "التشبيك وتبادل التجارب بين التعاونيات", "Réseautage et échange d'expériences",
         1, True, 60, ["diop"], ["ar", "fr"]),
        (2, 6, "stage", SHOW, P, "عرض فني: فرقة أحواش الحوز", "Spectacle : Ahwach d'Al Haouz", 1, False, 0, [],
         ["zgh"]),
        (3, 1, "workshops", TRAINING, W, "المقاولة الاجتماعية وريادة الأعمال", "Entrepreneuriat et entreprise sociale",
         1, True, 40, ["rahmani"], ["ar", "ary"]),
        (3, 4, "workshops", TRAINING, C, "بناء العلامة التجارية للتعاونية", "Construire la marque de sa coopérative",
         1, True, 40, ["cherkaoui"], ["ar", "fr"]),
        (3, 6, "stage", SHOW, P, "عرض فني: فن العيطة العبدية من آسفي", "Spectacle : Aïta Abdia de Safi", 1, False,
         0, [], ["ary"]),
        (4, 1, "workshops", TRAINING, C, "كتابة المشاريع وطلب التمويل",
         "Rédaction de projets et demande de financement",
         2, True, 40, ["hihi", "rahmani"], ["ar", "fr"]),
        (4, 4, "workshops", TRAINING, C, "الهيكلة القانونية والتنظيمية للتعاونيات",
         "Structuration juridique et organisationnelle des coopératives", 1, True, 40, ["oubella"], ["ar"]),
        (4, 6, "stage", SHOW, P, "عرض فني: فرقة عبيدات الرما من الرحامنة", "Spectacle : Abidat Rma des Rehamna", 1,
         False, 0, [], ["ary"]),
        (5, 2, "hall", B2B, E, "لقاءات أعمال بين التعاونيات والمشترين", "Rencontres B2B coopératives – acheteurs", 2,
         True, 80, [], ["ar", "fr"]),
        (6, 5, "stage", AWARD, P, "حفل الاحتفاء بالتعاونيات الرائدة واختتام المعرض",
         "Célébration des coopératives leaders et clôture du salon", 2, False, 0, [], ["ar", "fr"]),
    ])
    organizations = list(Organization.objects.filter(region=edition.region, is_active=True).order_by("pk")[:150])
    count = 0
    for session in sessions:
        if session.registration_required:
            n = min(session.capacity, rng.randint(24, session.capacity))
            start = rng.randint(0, max(len(organizations) - 1, 0))
            people = _people(rng, organizations[start:] + organizations[:start], n)
            count += _register(session, people, present_share=0.85, feedback_share=0.6, rng=rng, comments=COMMENTS)
    return len(sessions), count


def _fes_fair(edition, rng):
    generate_slots(None, edition, slot_minutes=90, day_starts=time(10), day_ends=time(22))
    speakers = _speakers(edition.region)
    spaces = _spaces(edition, [
        ("hall", "قاعة الندوات", "Salle des séminaires", 150, [CONF, PANEL, AGORA]),
        ("stage", "المنصة الرئيسية", "Scène principale", 600, [CEREMONY, SHOW, AWARD, CONF]),
        ("training", "فضاء التكوين", "Espace de formation", 40, [TRAINING, AGORA, B2B]),
    ])
    P, C, W, PRO = "public", "cooperatives", "women_artisans", "professionals"
    sessions = _programme(edition, spaces, speakers, [
        (0, 0, "stage", CEREMONY, P, "حفل افتتاح المعرض الجهوي الثالث", "Cérémonie d'ouverture du 3e Salon régional",
         1, False, 0, [], ["ar", "fr"]),
        (0, 4, "hall", CONF, PRO, "ندوة: الاقتصاد الاجتماعي والتضامني دعامة للتنمية الجهوية",
         "Séminaire : l'ESS, pilier du développement régional", 2, False, 0, ["fassi", "bennis"], ["ar", "fr"]),
        (1, 1, "training", TRAINING, W, "تسويق المنتوجات المجالية للتعاونيات النسائية",
         "Commercialiser les produits du terroir des coopératives féminines", 2, True, 35, ["amrani"], ["ar", "ary"]),
        (2, 4, "hall", PANEL, PRO, "ندوة: التعاون الدولي في الاقتصاد الاجتماعي، تجارب من كورسيكا والسنغال",
         "Séminaire : coopération internationale en ESS, expériences de Corse et du Sénégal", 2, False, 0,
         ["santoni", "ndiaye"], ["fr", "ar"]),
        (3, 1, "training", TRAINING, C, "الحكامة الديمقراطية داخل التعاونية",
         "Gouvernance démocratique de la coopérative",
         1, True, 35, ["amrani"], ["ar"]),
        (3, 4, "training", TRAINING, C, "التمويل التضامني والادخار الجماعي", "Finance solidaire et épargne collective",
         1, True, 35, ["ndiaye"], ["fr", "ar"]),
        (4, 4, "hall", CONF, PRO, "ندوة: النموذج التنموي الجديد والاقتصاد التضامني",
         "Séminaire : le nouveau modèle de développement et l'économie solidaire", 1, False, 0, ["fassi"], ["ar"]),
        (5, 6, "stage", CEREMONY, P, "حفل القفطان الأول", "Première cérémonie du caftan", 2, False, 0, [],
         ["ar", "fr"]),
        (7, 1, "training", TRAINING, C, "تثمين المنتوجات المجالية: التجربة الكورسيكية",
         "Valoriser les produits du terroir : l'expérience corse", 1, True, 35, ["santoni"], ["fr"]),
        (9, 5, "stage", AWARD, P, "حفل الاختتام وتكريم العارضين", "Clôture et hommage aux exposants", 1, False, 0, [],
         ["ar", "fr"]),
    ])
    organizations = list(Organization.objects.filter(region=edition.region, is_active=True).order_by("-pk")[:120])
    count = 0
    for session in sessions:
        if session.registration_required:
            people = _people(rng, organizations[rng.randint(0, 40):], rng.randint(20, session.capacity))
            count += _register(session, people, present_share=0.8, feedback_share=0.5, rng=rng, comments=COMMENTS)
    return len(sessions), count


def _communication_day(region, rng):
    edition = Edition.objects.filter(region=region, kind=Edition.Kind.COMMUNICATION_DAY, title_fr=DAY_TITLE_FR).first()
    if edition is None:
        edition = Edition.objects.create(
            region=region, kind=Edition.Kind.COMMUNICATION_DAY, number=1, title_fr=DAY_TITLE_FR,
            title_ar="اليوم التواصلي والتكويني حول برامج دعم الاقتصاد الاجتماعي والتضامني",
            slogan_ar="من أجل حوار منتظم بين المؤسسات والجمعيات والتعاونيات والقطاع الخاص",
            slogan_fr="Pour un dialogue régulier entre institutions, associations, coopératives et secteur privé",
            description_ar="يوم لإخبار الجمعيات والتعاونيات ببرامج الدعم الوطنية والمحلية، ولا سيما برنامجي مواكبة "
                           "وتمكين، ودعم المشاركة في المعارض، ومنصة حاضنة التعاونيات بالجهة، الأولى من نوعها وطنيا.",
            description_fr="Une journée pour informer les associations et coopératives des programmes d'appui "
                           "nationaux et locaux, notamment Mowakaba et Tamkine, de l'appui aux salons et de la "
                           "plateforme régionale d'incubation des coopératives, première du genre au niveau national.",
            starts_on=date(2025, 5, 14), ends_on=date(2025, 5, 14), opens_at=time(9, 30), closes_at=time(17),
            venue_name_ar="مقر مجلس جهة فاس مكناس", venue_name_fr="Siège du Conseil de la Région Fès-Meknès",
            venue_address="Fès", status=Edition.Status.CLOSED)
    if Session.objects.filter(edition=edition).exists():
        return edition, 0, 0
    generate_slots(None, edition, slot_minutes=90, day_starts=time(9, 30), day_ends=time(17))
    speakers = _speakers(region)
    spaces = _spaces(edition, [
        ("plenary", "القاعة الكبرى", "Grande salle", 250, [CEREMONY, CONF, PANEL]),
        ("room_a", "قاعة الورشات أ", "Salle d'ateliers A", 80, [TRAINING, AGORA]),
        ("room_b", "قاعة الورشات ب", "Salle d'ateliers B", 80, [TRAINING, AGORA]),
    ])
    C = "cooperatives"
    sessions = _programme(edition, spaces, speakers, [
        (0, 0, "plenary", CONF, C, "الجلسة الافتتاحية: برامج دعم الاقتصاد الاجتماعي والتضامني بالجهة",
         "Séance d'ouverture : les programmes d'appui à l'ESS dans la région", 2, True, 250,
         ["harrak", "bennis"], ["ar", "fr"]),
        (0, 2, "room_a", TRAINING, C, "ورشة: برنامج مواكبة، من التشخيص إلى التمويل",
         "Atelier : le programme Mowakaba, du diagnostic au financement", 1, True, 80, ["bennis", "amrani"], ["ar"]),
        (0, 2, "room_b", TRAINING, C, "ورشة: برنامج تمكين ودعم المشاركة في المعارض",
         "Atelier : le programme Tamkine et l'appui à la participation aux salons", 1, True, 80, ["harrak"], ["ar"]),
        (0, 3, "plenary", PANEL, C, "منصة حاضنة التعاونيات وخلاصات اليوم: نحو حوار منتظم",
         "La plateforme d'incubation des coopératives et conclusions : vers un dialogue régulier", 2, False, 0,
         ["harrak", "fassi"], ["ar", "fr"]),
    ])
    organizations = list(Organization.objects.filter(region=region, is_active=True).order_by("pk"))
    rng.shuffle(organizations)
    people = _people(rng, organizations, 214, institutions=DAY_INSTITUTIONS)
    plenary, mowakaba, tamkine = sessions[0], sessions[1], sessions[2]
    count = _register(plenary, people, present_share=0.96, feedback_share=0.3, rng=rng, comments=COMMENTS)
    count += _register(mowakaba, people[:70], present_share=0.9, feedback_share=0.4, rng=rng, comments=COMMENTS)
    count += _register(tamkine, people[70:135], present_share=0.9, feedback_share=0.4, rng=rng, comments=COMMENTS)
    return edition, len(sessions), count


def _upcoming(edition, rng):
    generate_slots(None, edition, slot_minutes=90, day_starts=time(10), day_ends=time(22))
    speakers = _speakers(edition.region)
    spaces = _spaces(edition, [
        ("stage", "المنصة الرئيسية", "Scène principale", 600, [CEREMONY, SHOW, AWARD, CONF]),
        ("training", "فضاء التكوين", "Espace de formation", 30, [TRAINING, AGORA, B2B]),
        ("agora", "فضاء أكورا", "Espace AGORA", 80, [AGORA, PANEL]),
    ])
    C, W, E, P = "cooperatives", "women_artisans", "exhibitors", "public"
    sessions = _programme(edition, spaces, speakers, [
        (0, 0, "stage", CEREMONY, P, "حفل افتتاح المعرض الجهوي الرابع", "Cérémonie d'ouverture du 4e Salon régional", 1,
         False, 0, [], ["ar", "fr"]),
        (1, 1, "training", TRAINING, W, "كتابة المشاريع وطلب التمويل للتعاونيات النسائية",
         "Rédiger un projet et demander un financement (coopératives féminines)", 2, True, 30, ["amrani"],
         ["ar", "ary"]),
        (2, 1, "training", TRAINING, C, "التسويق الرقمي: البيع عبر الهاتف وشبكات التواصل",
         "Marketing numérique : vendre par téléphone et sur les réseaux sociaux", 1, True, 25, ["amrani"], ["ar",
         "fr"]),
        (2, 4, "agora", AGORA, E, "أكورا: تبادل التجارب بين العارضين",
         "AGORA : échange d'expériences entre exposants", 1,
         True, 80, ["bennis"], ["ar", "fr"]),
        (3, 4, "training", TRAINING, C, "التمويل التضامني والادخار الجماعي",
         "Finance solidaire et épargne collective", 1,
         True, 30, ["ndiaye"], ["fr", "ar"]),
    ])
    organizations = list(Organization.objects.filter(region=edition.region, is_active=True).order_by("pk")[:40])
    workshop = sessions[1]
    rows = [Registration(session=workshop, region_id=workshop.region_id, name=name, phone=phone,
                         institution=institution, organization=organization, status=Registration.Status.CONFIRMED)
            for name, phone, institution, organization in _people(rng, organizations, 12)]
    Registration.objects.bulk_create(rows)
    return len(sessions), len(rows)


def load_demo():
    rng = random.Random(2025)  # noqa: S311 (demo data, not secrets)
    created_sessions, created_registrations = 0, 0
    with transaction.atomic(), scopes_disabled():
        fes = Region.objects.get(code="03")
        marrakech = Region.objects.get(code="07")
        plan = [
            (Edition.objects.filter(region=marrakech, kind=Edition.Kind.REGIONAL_FAIR, number=2).first(), _marrakech),
            (Edition.objects.filter(region=fes, kind=Edition.Kind.REGIONAL_FAIR, number=3).first(), _fes_fair),
            (Edition.objects.filter(region=fes, kind=Edition.Kind.REGIONAL_FAIR, number=4).first(), _upcoming),
        ]
        for edition, build in plan:
            if edition is None or Session.objects.filter(edition=edition).exists():
                continue
            n_sessions, n_registrations = build(edition, rng)
            created_sessions += n_sessions
            created_registrations += n_registrations
        _day, n_sessions, n_registrations = _communication_day(fes, rng)
        created_sessions += n_sessions
        created_registrations += n_registrations
        total = Session.objects.count()
    return (f"programme demo: {created_sessions} sessions and {created_registrations} registrations created "
            f"({total} sessions in all)")

