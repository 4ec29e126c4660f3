"""Demo editions from the seed articles, plus an upcoming edition whose call is open.

- Fès-Meknès, 3rd regional SSE fair: 10 days (15th–24th), horse-racing grounds in central Fès;
  products pole 260 exhibitors on 130 stands; international cooperation pole (Corsica, Palestine,
  the UAE, Senegal); institutional pole.
- Fès-Meknès, 1st fair of innovative cooperatives: 20–24 February 2024, 1,500 m², about 40 stands
  (80 exhibitors), at most 5 from outside the region, AGORA, partners pole.
- Marrakech-Safi, 2nd regional SSE fair: 27 January – 2 February 2025, Place du 16 Novembre,
  2,000 m², about 170 exhibitors, institutional wing, training-workshop space.

The past editions get their exhibitors (as many of the demo's organizations as their poles hold),
so that their public pages list them. Two editions are to come: Fès-Meknès's 4th fair, whose call
is open so that the demo's cooperative can apply, and Marrakech-Safi's 3rd fair, whose call is
closed with scored applications waiting for the selection, so that staff can run it.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.core.models import Region
from tadamon.registry.demo import DEMO_REPRESENTATIVE
from tadamon.registry.models import Organization

from .models import Application, Criterion, Edition, EditionPartner, Institution, Pole, Review, SelectionQuota
from .services import weighted_score

DEMO_STAFF = {"03": "fes@tadamon.ma", "07": "marrakech@tadamon.ma"}

INSTITUTIONS = [
    ("council_fm", "مجلس جهة فاس مكناس", "Conseil de la Région Fès-Meknès"),
    ("council_ms", "مجلس جهة مراكش آسفي", "Conseil de la Région Marrakech-Safi"),
    ("ministry", "وزارة السياحة والصناعة التقليدية والاقتصاد الاجتماعي والتضامني",
     "Ministère du Tourisme, de l'Artisanat et de l'Économie Sociale et Solidaire"),
    ("wilaya_fm", "ولاية جهة فاس مكناس", "Wilaya de la Région Fès-Meknès"),
    ("entraide", "التعاون الوطني", "Entraide Nationale"),
    ("odco", "مكتب تنمية التعاون", "Office du Développement de la Coopération"),
    ("chamber_crafts", "غرفة الصناعة التقليدية", "Chambre d'Artisanat"),
    ("chamber_agri", "الغرفة الفلاحية", "Chambre d'Agriculture"),
    ("cri", "المركز الجهوي للاستثمار", "Centre Régional d'Investissement"),
    ("albarid", "بريد بنك", "Al Barid Bank"),
]

CRITERIA = [
    ("جودة المنتوج", "Qualité du produit", 3),
    ("الابتكار", "Innovation", 2),
    ("قيادة نسائية", "Leadership féminin", 1),
    ("أول مشاركة", "Première participation", 1),
    ("التوازن الترابي", "Équilibre territorial", 1),
]


def _institutions():
    out = {}
    for key, ar, fr in INSTITUTIONS:
        out[key], _ = Institution.objects.get_or_create(name_fr=fr, defaults={"name_ar": ar})
    return out


def _edition(region, title_fr, **fields):
    edition = Edition.objects.filter(region=region, title_fr=title_fr).first()
    if edition is not None:
        return edition, False
    return Edition.objects.create(region=region, title_fr=title_fr, **fields), True


def _poles(edition, rows):
    for position, (kind, ar, fr, capacity, stands, applications) in enumerate(rows):
        Pole.objects.get_or_create(edition=edition, kind=kind, name_fr=fr, defaults={
            "name_ar": ar, "capacity": capacity, "stands": stands, "accepts_applications": applications,
            "position": position})


def _partners(edition, institutions, rows):
    for position, (key, role) in enumerate(rows):
        EditionPartner.objects.get_or_create(edition=edition, institution=institutions[key], role=role,
                                             defaults={"position": position})


def _criteria(edition):
    for position, (ar, fr, weight) in enumerate(CRITERIA):
        Criterion.objects.get_or_create(edition=edition, name_fr=fr, defaults={
            "name_ar": ar, "weight": weight, "max_points": 10, "position": position})


@transaction.atomic
def load_demo():
    with scopes_disabled():
        fes = Region.objects.get(code="03")
        marrakech = Region.objects.get(code="07")
        inst = _institutions()
        created = 0
        o, p = EditionPartner.Role.ORGANIZER, EditionPartner.Role.PARTNER

        e, new = _edition(
            fes, "3e Salon régional de l'économie sociale et solidaire", kind=Edition.Kind.REGIONAL_FAIR, number=3,
            title_ar="المعرض الجهوي الثالث للاقتصاد الاجتماعي والتضامني",
            slogan_ar="الاقتصاد الاجتماعي والتضامني دعامة للتنمية الجهوية ورافعة للنموذج التنموي الجديد",
            slogan_fr="L'ESS, pilier du développement régional et levier du nouveau modèle de développement",
            starts_on=date(2025, 10, 15), ends_on=date(2025, 10, 24), opens_at=time(10), closes_at=time(22),
            venue_name_ar="حلبة سباق الخيل بوسط مدينة فاس", venue_name_fr="Hippodrome du centre-ville de Fès",
            venue_address="Fès", status=Edition.Status.CLOSED)
        created += new
        _poles(e, [
            ("products", "قطب المنتوجات", "Pôle des produits", 260, 130, True),
            ("international", "قطب التعاون الدولي", "Pôle de la coopération internationale", 12, 6, False),
            ("institutional", "القطب المؤسساتي", "Pôle institutionnel", 20, 10, False),
        ])
        Pole.objects.filter(edition=e, kind="international").update(
            description_ar="ضيوف من كورسيكا وفلسطين والإمارات العربية المتحدة والسنغال",
            description_fr="Invités de Corse, de Palestine, des Émirats arabes unis et du Sénégal")
        _partners(e, inst, [("council_fm", o), ("wilaya_fm", p), ("ministry", p), ("entraide", p), ("odco", p)])
        _criteria(e)

        e, new = _edition(
            fes, "1er Salon des coopératives innovantes", kind=Edition.Kind.THEMATIC_FAIR, number=1,
            title_ar="المعرض الأول للتعاونيات المبتكرة", slogan_ar="التعاونيات المبتكرة: رائدات التميز",
            slogan_fr="Coopératives innovantes : leaders de l'excellence",
            starts_on=date(2024, 2, 20), ends_on=date(2024, 2, 24), opens_at=time(10), closes_at=time(20),
            venue_name_ar="فاس", venue_name_fr="Fès", area_m2=1500, outside_region_max=5,
            status=Edition.Status.CLOSED)
        created += new
        _poles(e, [
            ("products", "فضاء العرض", "Espace d'exposition", 80, 40, True),
            ("agora", "فضاء أكورا لتبادل التجارب", "Espace AGORA d'échange d'expériences", 0, 0, False),
            ("partners", "قطب الشركاء", "Pôle des partenaires", 10, 5, False),
        ])
        _partners(e, inst, [("council_fm", o), ("chamber_crafts", p), ("odco", p), ("cri", p)])
        _criteria(e)

        e, new = _edition(
            marrakech, "2e Salon régional de l'économie sociale et solidaire", kind=Edition.Kind.REGIONAL_FAIR,
            number=2, title_ar="المعرض الجهوي الثاني للاقتصاد الاجتماعي والتضامني",
            slogan_ar="من أجل اقتصاد اجتماعي وتضامني منصف ودامج", slogan_fr="Pour une ESS équitable et inclusive",
            starts_on=date(2025, 1, 27), ends_on=date(2025, 2, 2), opens_at=time(10), closes_at=time(22),
            venue_name_ar="ساحة 16 نونبر، مراكش", venue_name_fr="Place du 16 Novembre, Marrakech", area_m2=2000,
            status=Edition.Status.CLOSED)
        created += new
        _poles(e, [
            ("marketing", "فضاء العرض والتسويق", "Espace d'exposition et de commercialisation", 170, 85, True),
            ("institutional_wing", "الجناح المؤسساتي", "Aile institutionnelle", 16, 8, False),
            ("workshops", "فضاء الورشات التكوينية", "Espace des ateliers de formation", 0, 0, False),
        ])
        _partners(e, inst, [("council_ms", o), ("ministry", p), ("entraide", p), ("albarid", p)])
        _criteria(e)

        now = timezone.now()
        start = (now + timedelta(days=60)).date()
        e, new = _edition(
            fes, "4e Salon régional de l'économie sociale et solidaire", kind=Edition.Kind.REGIONAL_FAIR, number=4,
            title_ar="المعرض الجهوي الرابع للاقتصاد الاجتماعي والتضامني",
            slogan_ar="الاقتصاد الاجتماعي والتضامني رافعة للتنمية الجهوية",
            slogan_fr="L'ESS, levier du développement régional",
            starts_on=start, ends_on=start + timedelta(days=9), opens_at=time(10), closes_at=time(22),
            venue_name_ar="حلبة سباق الخيل بوسط مدينة فاس", venue_name_fr="Hippodrome du centre-ville de Fès",
            area_m2=6000, status=Edition.Status.CALL_OPEN, call_opens_at=now - timedelta(days=2),
            call_closes_at=now + timedelta(days=30), outside_region_max=20, women_led_min_share="0.35",
            allowed_legal_forms=["cooperative", "association", "mutual", "social_enterprise"])
        created += new
        _poles(e, [
            ("products", "قطب المنتوجات", "Pôle des produits", 260, 130, True),
            ("international", "قطب التعاون الدولي", "Pôle de la coopération internationale", 12, 6, False),
            ("institutional", "القطب المؤسساتي", "Pôle institutionnel", 20, 10, False),
        ])
        _partners(e, inst, [("council_fm", o), ("wilaya_fm", p), ("ministry", p), ("odco", p)])
        _criteria(e)

        e, new = _edition(
            marrakech, "3e Salon régional de l'économie sociale et solidaire", kind=Edition.Kind.REGIONAL_FAIR,
            number=3, title_ar="المعرض الجهوي الثالث للاقتصاد الاجتماعي والتضامني",
            slogan_ar="من أجل اقتصاد اجتماعي وتضامني منصف ودامج", slogan_fr="Pour une ESS équitable et inclusive",
            starts_on=start + timedelta(days=20), ends_on=start + timedelta(days=26), opens_at=time(10),
            closes_at=time(22), venue_name_ar="ساحة 16 نونبر، مراكش", venue_name_fr="Place du 16 Novembre, Marrakech",
            area_m2=2000, status=Edition.Status.CALL_CLOSED, call_opens_at=now - timedelta(days=40),
            call_closes_at=now - timedelta(days=5), outside_region_max=10, women_led_min_share="0.40",
            allowed_legal_forms=["cooperative", "association", "mutual", "social_enterprise"])
        created += new
        _poles(e, [
            ("marketing", "فضاء العرض والتسويق", "Espace d'exposition et de commercialisation", 60, 30, True),
            ("institutional_wing", "الجناح المؤسساتي", "Aile institutionnelle", 16, 8, False),
            ("workshops", "فضاء الورشات التكوينية", "Espace des ateliers de formation", 0, 0, False),
        ])
        _partners(e, inst, [("council_ms", o), ("ministry", p), ("entraide", p), ("albarid", p)])
        _criteria(e)
        SelectionQuota.objects.get_or_create(edition=e, name="توازن القطاعات · équilibre des secteurs", defaults={
            "group_by": SelectionQuota.GroupBy.SECTOR, "max_share": 40})
        applications = _demo_applications()
    from .demo_floor import load_floor_demo
    from .demo_sales import load_sales_demo

    return (f"fairs demo: {created} editions created ({Edition.objects.with_scopes_disabled().count()} in all), "
            f"{applications} applications created; {load_floor_demo()}; {load_sales_demo()}")


def _demo_applications():
    """Exhibitors of the past editions, and scored applications waiting for Marrakech-Safi's selection.
    Idempotent: an edition that already has applications is left alone."""
    from django.contrib.auth import get_user_model

    staff = {code: get_user_model().objects.filter(email=email).first() for code, email in DEMO_STAFF.items()}
    demo_user = get_user_model().objects.filter(email=DEMO_REPRESENTATIVE).first()
    created = 0
    for edition in Edition.objects.select_related("region").order_by("starts_on", "pk"):
        author = staff.get(edition.region.code)
        pole = edition.poles.filter(accepts_applications=True).first()
        if author is None or pole is None or edition.applications.exists():
            continue
        if edition.status not in (Edition.Status.CLOSED, Edition.Status.CALL_CLOSED):
            continue  # the open call is for the demo's cooperative to try
        rng = random.Random(edition.pk)  # noqa: S311 (demo data, not secrets)
        local = list(Organization.objects.filter(region=edition.region, is_active=True).exclude(
            representations__user=demo_user).order_by("pk"))
        outside = list(Organization.objects.exclude(region=edition.region).filter(is_active=True).exclude(
            representations__user=demo_user).order_by("pk"))
        rng.shuffle(local)
        rng.shuffle(outside)
        past = edition.status == Edition.Status.CLOSED
        wanted = pole.capacity if past else pole.capacity * 2
        n_outside = min(len(outside), (edition.outside_region_max or 0) + (0 if past else 4))
        chosen = outside[:n_outside] + local[:max(0, wanted - n_outside)]
        status = Application.Status.CONFIRMED if past else Application.Status.ELIGIBLE
        criteria = list(edition.criteria.all())
        for organization in chosen:
            application = Application.objects.create(
                edition=edition, organization=organization, created_by=author, pole=pole, status=status,
                declaration_accepted=True, first_participation=rng.random() < 0.4,
                needs_power=rng.random() < 0.3, needs_step_free=rng.random() < 0.05,
                submitted_at=edition.call_closes_at or timezone.now())
            products = list(organization.products.order_by("pk")[:2])
            application.products.set(products)
            if not past and criteria:
                scores = {str(c.pk): rng.randint(4, 10) for c in criteria}
                Review.objects.create(application=application, reviewer=author, scores=scores)
                application.score = weighted_score(edition, application.reviews.all())
                application.save(update_fields=["score"])
            created += 1
        if past and chosen:
            edition.selection_published_at = timezone.make_aware(
                datetime.combine(edition.starts_on - timedelta(days=20), time(12)))
            edition.save(update_fields=["selection_published_at"])
    return created
