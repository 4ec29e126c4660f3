from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.core.images import clean_image
from tadamon.fairs.models import Criterion, Edition, Pole
from tadamon.registry import services as registry_services
from tadamon.registry.models import Representation


@pytest.fixture
def edition(fes):
    now = timezone.now()
    with scopes_disabled():
        edition = Edition.objects.create(
            region=fes, title_ar="المعرض الجهوي للاقتصاد الاجتماعي", title_fr="Salon régional de l'ESS", number=3,
            starts_on=date.today() + timedelta(days=30), ends_on=date.today() + timedelta(days=39),
            status=Edition.Status.CALL_OPEN, call_opens_at=now - timedelta(days=1),
            call_closes_at=now + timedelta(days=10), venue_name_ar="حلبة سباق الخيل", venue_name_fr="Hippodrome")
        Pole.objects.create(edition=edition, name_ar="قطب المنتوجات", name_fr="Pôle produits", capacity=2, stands=1)
        Criterion.objects.create(edition=edition, name_ar="الجودة", name_fr="Qualité", weight=2, max_points=10)
        Criterion.objects.create(edition=edition, name_ar="الابتكار", name_fr="Innovation", weight=1, max_points=10)
    return edition


def _photo():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "#c08040").save(buffer, "JPEG")
    return clean_image(SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg"))


@pytest.fixture
def applicant(make_user, make_org, make_product):
    """A representative with an organization of Fès-Meknès that has a product with a photo."""

    def make(email="rep@example.ma", name="تعاونية الأمل", women_led=False, province="03.131"):
        user = make_user(email, phone="0612345678")  # the decision also goes by text message
        org = make_org(name, f"Coopérative {email}", province=province, women_led=women_led,
                       created_on=date(2015, 1, 1), registration_number=email)
        with scopes_disabled():
            Representation.objects.create(user=user, organization=org, status=Representation.Status.APPROVED)
            product = make_product(org, "سلة من الدوم", category="handicrafts")
            registry_services.add_photo(user, product, _photo())
        return user, org, product

    return make
