"""The representatives' space: registering an organization, asking to represent one, editing it,
its products and photos, and who may do each (403/404 matrix)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from PIL import Image

from tadamon.core.models import ActivityLog, Province
from tadamon.registry import services
from tadamon.registry.models import Organization, Product, ProductPhoto, Representation


def url(name, *args):
    """URLs under /en/: the messages checked below stay the English source text."""
    with translation.override("en"):
        return reverse(f"registry:{name}", args=args)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def jpeg(name="photo.jpg", size=(120, 80), color="#c08040"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name="statuts.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
                              content_type="application/pdf")


def org_data(sectors, **changes):
    data = {
        "legal_form": "cooperative", "name_ar": "تعاونية الأمل للكسكس", "name_fr": "Coopérative Al Amal",
        "role_in_organization": "الرئيسة", "registration_number": "", "created_on": "2019-03-01",
        "province": Province.objects.get(code="03.131").pk, "commune": "Missour", "address": "",
        "sector": sectors["terroir"].pk, "activities": "كسكس وعجائن", "members_total": "20", "members_women": "15",
        "members_youth": "6", "women_led": "on", "leader_name": "Fatima", "phone": "0612345678",
        "email": "amal@example.ma", "website": "", "facebook": "", "instagram": "",
        "description_ar": "", "description_fr": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def represent(user, org):
    with scopes_disabled():
        return Representation.objects.create(user=user, organization=org, status=Representation.Status.APPROVED)


def count(model, **filters):
    with scopes_disabled():
        return model.objects.filter(**filters).count()


# --- who may come in -------------------------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_log_in(client, make_org, make_product):
    org = make_org("تعاونية")
    product = make_product(org, "زيت")
    for name, args in [("my_organizations", []), ("organization_create", []), ("organization_edit", [org.pk]),
                       ("claim", [org.pk]), ("product_create", [org.pk]), ("product_edit", [product.pk])]:
        response = client.get(url(name, *args))
        assert response.status_code == 302, name
        assert "/accounts/login/" in response["Location"], name
    response = client.post(url("photo_delete", 1))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_edit_permission_matrix(client, make_user, make_org, fes_staff, marrakech_staff, fes_partner,
                                national_admin, plain_user):
    fes_org = make_org("تعاونية فاس", "Coop Fès")
    other_fes_org = make_org("تعاونية أخرى", "Autre coop")
    marrakech_org = make_org("تعاونية مراكش", "Coop Marrakech", province="07.351")
    representative = make_user("rep@example.ma")
    represent(representative, fes_org)
    hidden = make_org("تعاونية متوقفة", "Coop inactive", is_active=False)

    def status(user, org):
        client.force_login(user)
        return client.get(url("organization_edit", org.pk)).status_code

    assert status(representative, fes_org) == 200
    assert status(representative, other_fes_org) == 403  # public organization of someone else
    assert status(representative, hidden) == 404  # not public: its existence is not revealed
    assert status(plain_user, fes_org) == 403
    assert status(fes_staff, fes_org) == 200
    assert status(fes_staff, marrakech_org) == 404  # another region's object does not exist for them
    assert status(marrakech_staff, fes_org) == 404
    assert status(marrakech_staff, marrakech_org) == 200
    assert status(fes_partner, fes_org) == 403  # partners read, never edit
    assert status(fes_partner, marrakech_org) == 404
    assert status(national_admin, marrakech_org) == 200


def test_a_representative_cannot_change_another_organization(client, make_user, make_org, make_product):
    mine, theirs = make_org("تعاونيتي"), make_org("تعاونيتهم")
    product = make_product(theirs, "عسل", price=50)
    user = make_user("rep@example.ma")
    represent(user, mine)
    client.force_login(user)
    assert client.post(url("organization_edit", theirs.pk), {"name_ar": "x"}).status_code == 403
    assert client.get(url("product_create", theirs.pk)).status_code == 403
    assert client.post(url("product_edit", product.pk), {"name_ar": "x"}).status_code == 403
    with scopes_disabled():
        theirs.refresh_from_db()
        product.refresh_from_db()
    assert theirs.name_ar == "تعاونيتهم" and product.name_ar == "عسل"


# --- registering an organization -----------------------------------------------------------------------------

def test_register_an_organization(client, plain_user, sectors, fes):
    client.force_login(plain_user)
    page = client.get(url("organization_create"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<optgroup" in html and "Boulemane" in html  # provinces grouped by region
    response = client.post(url("organization_create"), org_data(sectors))
    assert response.status_code == 302 and response["Location"] == url("my_organizations")
    with scopes_disabled():
        org = Organization.objects.get()
        representation = Representation.objects.get()
    assert org.region == fes and org.members_women == 15 and org.women_led and not org.is_verified
    assert representation.user == plain_user and representation.status == Representation.Status.APPROVED
    assert representation.role_in_organization == "الرئيسة"
    assert count(ActivityLog, action="organization.created", object_id=str(org.pk)) == 1
    listing = client.get(url("my_organizations")).content.decode()
    assert "Coopérative Al Amal" in listing and url("organization_edit", org.pk) in listing
    assert url("product_create", org.pk) in listing
    with translation.override("ar"):
        home = client.get(reverse("core:home")).content.decode()
    assert "تعاونية الأمل للكسكس" in home and f"/ar/my/organizations/{org.pk}/edit/" in home


@pytest.mark.parametrize("changes, field", [
    ({"members_women": "25"}, "members_women"),
    ({"members_youth": "21"}, "members_youth"),
    ({"members_total": "", "members_women": "3"}, "members_total"),
    ({"name_ar": ""}, "name_ar"),
    ({"province": ""}, "province"),
    ({"phone": "call me"}, "phone"),
    ({"created_on": "2999-01-01"}, "created_on"),
])
def test_bad_organization_data_is_refused(client, plain_user, sectors, changes, field):
    client.force_login(plain_user)
    response = client.post(url("organization_create"), org_data(sectors, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert count(Organization) == 0 and count(Representation) == 0


def test_duplicate_registration_number_suggests_to_claim(client, plain_user, sectors, make_org):
    existing = make_org("تعاونية النخيل", "Coop Nakhil", registration_number="ODCO-1234")
    client.force_login(plain_user)
    response = client.post(url("organization_create"), org_data(sectors, registration_number=" ODCO-1234 "))
    assert response.status_code == 200
    html = response.content.decode()
    assert "already registered" in html
    assert url("claim", existing.pk) in html
    assert count(Organization) == 1
    # The same number under another legal form is another organization.
    response = client.post(url("organization_create"), org_data(sectors, registration_number="ODCO-1234",
                                                                legal_form="association"))
    assert response.status_code == 302
    assert count(Organization) == 2


def test_a_registration_racing_another_one_gets_the_message_not_a_500(client, plain_user, sectors, make_org,
                                                                       monkeypatch):
    """The form's check passed, then someone else registered the same number: the database refuses it."""
    from tadamon.registry.forms import OrganizationForm

    existing = make_org("تعاونية النخيل", registration_number="ODCO-77")
    original = OrganizationForm.check_duplicate
    calls = []

    def late_check(self, *args, **kwargs):
        calls.append(1)
        return None if len(calls) == 1 else original(self, *args, **kwargs)

    monkeypatch.setattr(OrganizationForm, "check_duplicate", late_check)
    client.force_login(plain_user)
    response = client.post(url("organization_create"), org_data(sectors, registration_number="ODCO-77"))
    assert response.status_code == 200
    assert url("claim", existing.pk) in response.content.decode()
    assert count(Organization) == 1 and count(Representation) == 0


def test_double_submit_with_a_registration_number_creates_one(client, plain_user, sectors):
    client.force_login(plain_user)
    data = org_data(sectors, registration_number="ODCO-9")
    assert client.post(url("organization_create"), data).status_code == 302
    second = client.post(url("organization_create"), data, follow=True)
    assert second.redirect_chain[-1][0] == url("my_organizations")
    assert "already registered, and you represent it" in second.content.decode()
    assert count(Organization) == 1 and count(Representation) == 1


def test_double_submit_without_a_number_creates_one(client, plain_user, sectors):
    client.force_login(plain_user)
    data = org_data(sectors)
    assert client.post(url("organization_create"), data).status_code == 302
    # The same name written with other vowels and hamza still counts as the same organization.
    again = client.post(url("organization_create"), {**data, "name_ar": "تَعاونيّة الامل للكسكس"})
    assert again.status_code == 302
    assert count(Organization) == 1
    # Another province is another organization.
    other = client.post(url("organization_create"), {**data, "province": Province.objects.get(code="03.061").pk})
    assert other.status_code == 302
    assert count(Organization) == 2


def test_another_user_registering_the_same_name_is_not_a_double_submit(client, make_user, sectors):
    for email in ("a@example.ma", "b@example.ma"):
        client.force_login(make_user(email))
        assert client.post(url("organization_create"), org_data(sectors)).status_code == 302
    assert count(Organization) == 2


# --- editing ---------------------------------------------------------------------------------------------------

def test_a_representative_edits_their_organization(client, make_user, make_org, sectors):
    org = make_org("تعاونية", "Coop", registration_number="A-1")
    user = make_user("rep@example.ma")
    represent(user, org)
    client.force_login(user)
    form = client.get(url("organization_edit", org.pk))
    assert form.status_code == 200 and "role_in_organization" not in form.context["form"].fields
    data = org_data(sectors, name_ar="تعاونية الواحة", registration_number="A-1", role_in_organization=None)
    response = client.post(url("organization_edit", org.pk), {**data, "logo": jpeg("logo.png", (2000, 1000))})
    assert response.status_code == 302
    with scopes_disabled():
        org.refresh_from_db()
        entry = ActivityLog.objects.get(action="organization.updated", object_id=str(org.pk))
    assert org.name_ar == "تعاونية الواحة" and org.members_total == 20
    assert entry.before["name_ar"] == "تعاونية" and entry.after["name_ar"] == "تعاونية الواحة"
    assert org.logo.name.startswith("logos/")
    with Image.open(org.logo.path) as logo:
        assert max(logo.size) <= 800


def test_editing_to_a_number_already_used_is_refused(client, make_user, make_org, sectors):
    make_org("أخرى", registration_number="B-2")
    org = make_org("تعاونية", registration_number="B-1")
    user = make_user("rep@example.ma")
    represent(user, org)
    client.force_login(user)
    data = org_data(sectors, name_ar="تعاونية", registration_number="B-2", role_in_organization=None)
    response = client.post(url("organization_edit", org.pk), data)
    assert response.status_code == 200
    assert "Another organization already has this registration number" in response.content.decode()
    with scopes_disabled():
        org.refresh_from_db()
    assert org.registration_number == "B-1"


def test_regional_staff_edit_and_stay_in_their_region(client, make_org, fes_staff, sectors):
    org = make_org("تعاونية", "Coop")
    client.force_login(fes_staff)
    form = client.get(url("organization_edit", org.pk)).context["form"]
    codes = set(form.fields["province"].queryset.values_list("code", flat=True))
    assert "03.131" in codes and "07.351" not in codes
    data = org_data(sectors, name_ar="تعاونية مصححة", role_in_organization=None)
    response = client.post(url("organization_edit", org.pk), data)
    assert response.status_code == 302 and response["Location"] == url("manage_organization", org.pk)
    moved = client.post(url("organization_edit", org.pk),
                        {**data, "province": Province.objects.get(code="07.351").pk})
    assert moved.status_code == 200 and "province" in moved.context["form"].errors


# --- claiming --------------------------------------------------------------------------------------------------

def test_claim_an_organization(client, plain_user, make_org):
    org = make_org("تعاونية النخيل", "Coop Nakhil")
    client.force_login(plain_user)
    page = client.get(url("claim", org.pk))
    assert page.status_code == 200 and "5 MB" in page.content.decode()
    response = client.post(url("claim", org.pk), {"role_in_organization": "أمين المال", "message": "السلام",
                                                  "document": pdf()})
    assert response.status_code == 302
    with scopes_disabled():
        representation = Representation.objects.get()
    assert representation.status == Representation.Status.PENDING
    assert representation.role_in_organization == "أمين المال"
    assert representation.document.name.startswith("claims/") and representation.document.name.endswith(".pdf")
    assert "statuts" not in representation.document.name
    assert count(ActivityLog, action="representation.requested") == 1
    # Not yet a representative.
    assert client.get(url("organization_edit", org.pk)).status_code == 403
    # Asking again: a friendly message, nothing new.
    again = client.post(url("claim", org.pk), {"role_in_organization": "x", "document": pdf()}, follow=True)
    assert "already asked" in again.content.decode()
    assert count(Representation) == 1


def test_already_requested_from_the_service_is_a_friendly_message(client, plain_user, make_org, monkeypatch):
    org = make_org("تعاونية")
    client.force_login(plain_user)

    def refuse(*args, **kwargs):
        raise services.AlreadyRequested

    monkeypatch.setattr(services, "request_representation", refuse)
    response = client.post(url("claim", org.pk), {"role_in_organization": "x", "document": pdf()}, follow=True)
    assert response.status_code == 200 and "already asked" in response.content.decode()


def test_a_claim_needs_a_document(client, plain_user, make_org):
    org = make_org("تعاونية")
    client.force_login(plain_user)
    response = client.post(url("claim", org.pk), {"role_in_organization": "الرئيس"})
    assert response.status_code == 200 and "document" in response.context["form"].errors
    text = SimpleUploadedFile("statuts.pdf", b"just some text", content_type="application/pdf")
    response = client.post(url("claim", org.pk), {"role_in_organization": "الرئيس", "document": text})
    assert "Send the document as a PDF file or a photo" in response.content.decode()
    assert count(Representation) == 0


def test_inactive_or_merged_organizations_cannot_be_claimed(client, plain_user, make_org):
    client.force_login(plain_user)
    inactive = make_org("متوقفة", is_active=False)
    keep = make_org("الأصل")
    merged = make_org("المكررة", merged_into=keep)
    assert client.get(url("claim", inactive.pk)).status_code == 404
    assert client.get(url("claim", merged.pk)).status_code == 404
    assert client.get(url("claim", 999999)).status_code == 404


def test_refused_requests_show_their_reason(client, plain_user, make_org, fes_staff):
    org = make_org("تعاونية النخيل")
    with scopes_disabled():
        representation = services.request_representation(plain_user, org, role_in_organization="x")
        services.decide_representation(fes_staff, representation, approve=False, reason="الوثيقة غير واضحة")
    client.force_login(plain_user)
    html = client.get(url("my_organizations")).content.decode()
    assert "تعاونية النخيل" in html and "الوثيقة غير واضحة" in html


# --- products and photos ---------------------------------------------------------------------------------------

@pytest.fixture
def rep_org(client, make_user, make_org):
    org = make_org("تعاونية الزيتون", "Coop Zitoun")
    user = make_user("rep@example.ma")
    represent(user, org)
    client.force_login(user)
    return user, org


def product_data(sectors, **changes):
    data = {"name_ar": "زيت الزيتون", "name_fr": "Huile d'olive", "category": sectors["terroir"].pk,
            "price": "80", "unit": "l", "sanitary_authorization": "ONSSA-123", "origin_label": "",
            "description_ar": "", "description_fr": ""}
    data.update(changes)
    return data


def test_add_a_product_with_photos(client, rep_org, sectors):
    user, org = rep_org
    page = client.get(url("product_create", org.pk))
    assert page.status_code == 200 and "5 MB" in page.content.decode()
    response = client.post(url("product_create", org.pk),
                           {**product_data(sectors), "photos": [jpeg("a.jpg"), jpeg("b.jpg", color="#408040")]})
    with scopes_disabled():
        product = Product.objects.get()
    assert response.status_code == 302 and response["Location"] == url("product_edit", product.pk)
    assert product.organization == org and product.region == org.region and product.price == 80
    assert count(ProductPhoto, product=product) == 2
    assert count(ActivityLog, action="product.created") == 1
    assert count(ActivityLog, action="product.photo_added") == 2
    # A double submit does not add it twice.
    again = client.post(url("product_create", org.pk), product_data(sectors))
    assert again.status_code == 302 and again["Location"] == url("product_edit", product.pk)
    assert count(Product) == 1


def test_food_products_need_the_onssa_number_and_a_price_or_on_request(client, rep_org, sectors):
    user, org = rep_org
    response = client.post(url("product_create", org.pk), product_data(sectors, sanitary_authorization=""))
    assert "sanitary_authorization" in response.context["form"].errors
    response = client.post(url("product_create", org.pk), product_data(sectors, price=""))
    assert "price" in response.context["form"].errors
    response = client.post(url("product_create", org.pk), product_data(sectors, price="-5"))
    assert "price" in response.context["form"].errors
    assert count(Product) == 0
    # A handicraft needs no ONSSA number; "on request" leaves the price empty.
    response = client.post(url("product_create", org.pk), product_data(
        sectors, name_ar="زربية", category=sectors["handicrafts"].pk, sanitary_authorization="", price="",
        price_on_request="on", unit="piece"))
    assert response.status_code == 302
    with scopes_disabled():
        product = Product.objects.get()
    assert product.price is None and product.price_on_request


def test_edit_a_product_and_remove_a_photo(client, rep_org, sectors, make_product, media):
    user, org = rep_org
    product = make_product(org, "عسل", price=120, sanitary_authorization="S-1")
    response = client.post(url("product_edit", product.pk),
                           {**product_data(sectors, name_ar="عسل الزعتر", is_active="on"), "photos": jpeg()})
    assert response.status_code == 302
    with scopes_disabled():
        product.refresh_from_db()
        photo = ProductPhoto.objects.get(product=product)
    assert product.name_ar == "عسل الزعتر" and product.price == 80
    path = photo.image.path
    assert client.get(url("photo_delete", photo.pk)).status_code == 405
    assert client.post(url("photo_delete", photo.pk)).status_code == 302
    assert count(ProductPhoto) == 0
    import os

    assert not os.path.exists(path)
    assert count(ActivityLog, action="product.photo_removed") == 1


def test_photos_are_limited_per_product(client, rep_org, sectors, make_product):
    from tadamon.registry.forms import MAX_PHOTOS

    user, org = rep_org
    product = make_product(org, "عسل", price=10, sanitary_authorization="S")
    photos = [jpeg(f"p{i}.jpg") for i in range(MAX_PHOTOS + 1)]
    response = client.post(url("product_edit", product.pk), {**product_data(sectors), "photos": photos})
    assert response.status_code == 200 and "photos" in response.context["form"].errors
    assert count(ProductPhoto) == 0


def test_someone_else_cannot_remove_a_photo(client, make_user, make_org, make_product, fes_partner,
                                            marrakech_staff):
    org = make_org("تعاونية")
    product = make_product(org, "عسل")
    with scopes_disabled():
        from tadamon.core.images import clean_image

        photo = services.add_photo(None, product, clean_image(jpeg()))
    stranger = make_user("stranger@example.ma")
    represent(stranger, make_org("أخرى"))
    for user, expected in [(stranger, 403), (fes_partner, 403), (marrakech_staff, 404)]:
        client.force_login(user)
        assert client.post(url("photo_delete", photo.pk)).status_code == expected
    assert count(ProductPhoto) == 1
