"""Demo prizes and honours, from the seed articles.

- The innovation prize (جائزة الإبداع) of Fès-Meknès's 1st fair of innovative cooperatives: three
  production poles (handicrafts, terroir products, pastries), a jury of five partners (the demo's
  juror and four more), about 30 candidacies from the fair's exhibitors, every assigned sheet
  scored, the final ranking locked, the winners published, the ceremony in the programme.
- Honours that are not competitions: the celebration of leading cooperatives at Marrakech-Safi's
  2nd fair, the caftan ceremony of Fès-Meknès's 3rd fair.

Scores are drawn from ``random.Random`` with a fixed seed: the same results on every run. Loading is
idempotent (a prize is identified by its edition and French title).
"""

import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.core.demo import DEMO_PASSWORD
from tadamon.fairs.models import Application, Edition
from tadamon.registry.models import Sector

from . import services
from .models import Category, Criterion, Honour, Prize

SEED = 2024
INNOVATION_EDITION = "1er Salon des coopératives innovantes"
CATEGORIES = [
    ("handicrafts", "الصناعة التقليدية", "Artisanat"),
    ("terroir", "المنتوجات المجالية", "Produits du terroir"),
    ("pastries", "الحلويات", "Pâtisserie"),
]
CRITERIA = [
    ("الابتكار في المنتوج", "Innovation du produit", 3, 10),
    ("الجودة والتقديم", "Qualité et présentation", 2, 10),
    ("الأثر الاجتماعي والتضامني", "Impact social et solidaire", 2, 10),
    ("القابلية للتسويق", "Potentiel commercial", 1, 10),
]
#: The demo's juror first, then four partners' representatives (e-mail, name, institution).
JURORS = [
    ("jury@tadamon.ma", "Hicham Bennani", "Chambre d'Artisanat · غرفة الصناعة التقليدية"),
    ("jury.odco@tadamon.ma", "Samira El Fassi", "ODCO · مكتب تنمية التعاون"),
    ("jury.cri@tadamon.ma", "Omar Berrada", "Centre Régional d'Investissement · المركز الجهوي للاستثمار"),
    ("jury.agri@tadamon.ma", "Khadija Alaoui", "Chambre d'Agriculture · الغرفة الفلاحية"),
    ("jury.council@tadamon.ma", "Rachid Lahlou", "Conseil de la Région · مجلس الجهة"),
]
#: How many candidacies each category takes (pastry makers are fewer among the fair's exhibitors).
PER_CATEGORY = {"handicrafts": 12, "terroir": 12, "pastries": 10}
HONOURS = [
    ("2e Salon régional de l'économie sociale et solidaire", "07", Honour.Kind.LEADING, [
        ("تكريما لريادتها في تثمين المنتوج المحلي وتمكين النساء القرويات",
         "Pour son rôle pionnier dans la valorisation du produit local et l'autonomisation des femmes rurales"),
        ("تقديرا لانخراطها في التسويق الإلكتروني والشراء التضامني",
         "Pour son engagement dans le e-marketing et l'achat solidaire"),
        ("اعترافا بحكامتها الديمقراطية ونمو عدد منخرطيها",
         "Pour sa gouvernance démocratique et la croissance de ses membres"),
    ]),
    ("3e Salon régional de l'économie sociale et solidaire", "03", Honour.Kind.CAFTAN, [
        ("مشاركة في الحفل الأول للقفطان بتصميم يجمع الطرز الفاسي والصناعة التقليدية",
         "Participation au premier défilé du caftan, broderie fassie et savoir-faire artisanal"),
        ("تكريما لحرفيات الخياطة التقليدية وحفظ التراث اللامادي",
         "Hommage aux artisanes de la couture traditionnelle et au patrimoine immatériel"),
    ]),
]


def _jurors():
    User = get_user_model()
    users = []
    for email, name, _institution in JURORS:
        user = User.objects.filter(email=email).first()
        if user is None:
            first, last = name.split(" ", 1)
            user = User(email=email, first_name=first, last_name=last, preferred_language="ar", email_verified=True)
            user.set_password(DEMO_PASSWORD)
            user.save()
        users.append(user)
    return users


def _candidates(edition, rng):
    """About ten exhibitors per category, each with a product of the category's sector."""
    exhibitors = list(Application.objects.filter(edition=edition, status__in=services.EXHIBITOR_STATUSES)
                      .select_related("organization").order_by("pk"))
    rng.shuffle(exhibitors)
    taken, out = set(), []
    for key, *_names in CATEGORIES:
        found = [a.organization for a in exhibitors if a.organization_id not in taken
                 and a.organization.products.filter(category__key=key).exists()][:PER_CATEGORY[key]]
        taken |= {o.pk for o in found}
        out.append((key, found))
    return out


PITCHES = [
    "منتوج جديد يجمع بين المعرفة التقليدية وتغليف صديق للبيئة، تصنعه نساء التعاونية.",
    "Un produit repensé avec un emballage recyclable et une traçabilité par QR code.",
    "تطوير وصفة محلية بمكونات من المنطقة ووسائل إنتاج موفرة للطاقة.",
]


@transaction.atomic
def load_demo():
    with scopes_disabled():
        honours = _honours()
        edition = Edition.objects.filter(region__code="03", title_fr=INNOVATION_EDITION).first()
        if edition is None or Prize.objects.filter(edition=edition).exists():
            return f"prizes demo: nothing new ({honours} honours added)"
        staff = get_user_model().objects.filter(email="fes@tadamon.ma").first()
        rng = random.Random(SEED)  # noqa: S311 (demo data, not secrets)
        candidacy_closes = timezone.make_aware(datetime.combine(edition.starts_on - timedelta(days=10), time(18)))
        scoring_closes = timezone.make_aware(datetime.combine(edition.ends_on - timedelta(days=1), time(18)))
        prize = Prize.objects.create(
            edition=edition, title_ar="جائزة الإبداع", title_fr="Prix de l'innovation",
            description_ar="جائزة لأكثر التعاونيات إبداعا في ثلاثة أقطاب إنتاجية: الصناعة التقليدية والمنتوجات "
                           "المجالية والحلويات، تمنحها لجنة من الشركاء وفق معايير تعتمدها.",
            description_fr="Le prix des coopératives les plus innovantes dans trois pôles de production : artisanat, "
                           "produits du terroir et pâtisserie, décerné par un jury de partenaires selon ses critères.",
            candidacy_closes_at=candidacy_closes, scoring_closes_at=scoring_closes, jurors_per_candidacy=3,
            winners_per_category=3)
        sectors = {s.key: s for s in Sector.objects.all()}
        categories = {}
        for position, (key, ar, fr) in enumerate(CATEGORIES):
            categories[key] = Category.objects.create(prize=prize, name_ar=ar, name_fr=fr, sector=sectors.get(key),
                                                      position=position)
        for position, (ar, fr, weight, points) in enumerate(CRITERIA):
            Criterion.objects.create(prize=prize, name_ar=ar, name_fr=fr, weight=weight, max_points=points,
                                     position=position)
        services.advance(staff, prize)
        users = _jurors()
        members = []
        for user, (email, name, institution) in zip(users, JURORS, strict=True):
            member = services.invite_juror(staff, prize, name=name, email=email, institution=institution)
            services.accept_invitation(user, member.token)
            members.append(member)
        count = 0
        for key, organizations in _candidates(edition, rng):
            for n, organization in enumerate(organizations):
                services._create_candidacy(staff, prize, organization, categories[key], PITCHES[n % len(PITCHES)],
                                           nominated=n % 5 == 4)
                count += 1
        # One partner juror is linked to a candidate: the conflict is detected, they never see it.
        first = prize.candidacies.order_by("pk").first()
        if first is not None:
            members[1].linked_organizations.add(first.organization)
        prize.refresh_from_db()
        services.advance(staff, prize)
        prize.refresh_from_db()
        services.run_assignment(staff, prize)
        criteria = list(prize.criteria.all())
        scoring_time = scoring_closes - timedelta(days=2)
        for member, user in zip(members, users, strict=True):
            strictness = rng.uniform(-2, 1)
            for sheet in member.assignments.order_by("pk"):
                quality = (sheet.candidacy_id * 7919) % 5
                scores = {str(c.pk): max(0, min(c.max_points, round(4 + quality + strictness + rng.uniform(-1, 1))))
                          for c in criteria}
                services.save_scores(user, sheet, scores, "", submit=True, now=scoring_time)
        prize.refresh_from_db()
        services.lock_ranking(staff, prize, "صادقت لجنة التحكيم على الترتيب بالإجماع. · Classement adopté à "
                                            "l'unanimité par le jury.")
        services.publish(staff, prize)
        services.create_ceremony(staff, prize)
    return f"prizes demo: «{prize.title_fr}» with {count} candidacies, 5 jurors, winners published; " \
           f"{honours} honours added"


def _honours():
    staff = {code: get_user_model().objects.filter(email=email).first()
             for code, email in (("03", "fes@tadamon.ma"), ("07", "marrakech@tadamon.ma"))}
    added = 0
    for title_fr, code, kind, citations in HONOURS:
        edition = Edition.objects.filter(region__code=code, title_fr=title_fr).first()
        if edition is None or Honour.objects.filter(edition=edition, kind=kind).exists():
            continue
        organizations = [a.organization for a in Application.objects.filter(
            edition=edition, status__in=services.EXHIBITOR_STATUSES).select_related("organization").order_by(
            "organization__registration_number")[:len(citations)]]
        for organization, (ar, fr) in zip(organizations, citations, strict=False):
            services.add_honour(staff[code], edition, organization, kind, ar, fr)
            added += 1
    return added
