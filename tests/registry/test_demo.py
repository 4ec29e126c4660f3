"""The demo registry, its drawn pictures, and the national-scale generator."""

import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled
from PIL import Image

from tadamon.core.demo import load_demo_accounts
from tadamon.core.models import Province
from tadamon.registry import demo, demo_pictures
from tadamon.registry.models import LegalForm, Organization, Product, ProductPhoto, Representation, Sector
from tadamon.registry.search import search_ids


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def counts():
    with scopes_disabled():
        return (Organization.objects.count(), Product.objects.count(), ProductPhoto.objects.count(),
                Representation.objects.count())


# ---- pictures ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", sorted(demo_pictures.KINDS))
def test_every_kind_of_picture_is_a_480_by_360_jpeg(kind):
    for variant in range(demo_pictures.variants(kind)):
        image = Image.open(io.BytesIO(demo_pictures.draw(kind, variant)))
        assert (image.format, image.size, image.mode) == ("JPEG", (480, 360), "RGB")
        # not a blank picture: many distinct colours
        assert len(image.getcolors(maxcolors=100000) or []) > 200


def test_variants_differ_and_drawing_is_deterministic():
    assert demo_pictures.draw("honey", 0) != demo_pictures.draw("honey", 1)
    demo_pictures.draw.cache_clear()
    first = demo_pictures.draw("caftan", 2)
    demo_pictures.draw.cache_clear()
    assert demo_pictures.draw("caftan", 2) == first


def test_logos():
    image = Image.open(io.BytesIO(demo_pictures.draw_logo(5)))
    assert image.size == (demo_pictures.LOGO_SIZE, demo_pictures.LOGO_SIZE)


# ---- what the demo looks like (built in memory, nothing saved) ------------------------------------

@pytest.fixture
def built(db):
    sectors = {s.key: s for s in Sector.objects.all()}
    builder = demo.Builder(demo.demo_places(), sectors)
    return [builder.build(i) for i in range(demo.DEFAULT_ORGANIZATIONS)]


def test_demo_covers_both_regions_every_province_and_every_sector(built):
    organizations = [b.organization for b in built]
    provinces = Counter(o.province.code for o in organizations)
    assert set(provinces) == set(demo.COMMUNES)
    assert set(Province.objects.filter(region__code__in=demo.REGIONS).values_list("code", flat=True)) == set(provinces)
    regions = Counter(o.province.region.code for o in organizations)
    assert set(regions) == {"03", "07"} and min(regions.values()) > 150
    sectors = {o.sector.key for o in organizations}
    assert sectors >= {"terroir", "handicrafts", "pastries", "textile", "cosmetics", "agriculture", "services"}


def test_demo_figures_are_realistic(built):
    organizations = [b.organization for b in built]
    forms = Counter(o.legal_form for o in organizations)
    assert forms[LegalForm.COOPERATIVE] > 0.65 * len(organizations)
    assert forms[LegalForm.ASSOCIATION] > 20 and forms[LegalForm.MUTUAL] > 0 and forms[LegalForm.SOCIAL_ENTERPRISE] > 0
    members = sum(o.members_total for o in organizations)
    women = sum(o.members_women for o in organizations)
    assert 0.29 < women / members < 0.40  # about 34 % women, as nationally
    assert all(0 <= o.members_women <= o.members_total and o.members_youth <= o.members_total
               for o in organizations)
    assert 0.08 < sum(o.women_led for o in organizations) / len(organizations) < 0.35
    assert 0.5 < sum(o.verified_at is not None for o in organizations) / len(organizations) < 0.9
    assert all(1995 <= o.created_on.year <= 2025 for o in organizations)
    assert all(re.fullmatch(r"06\d{8}", o.phone) for o in organizations)
    assert all(re.search("[\u0600-\u06ff]", o.name_ar) and o.name_fr for o in organizations)
    assert all(re.search("[\u0600-\u06ff]", o.description_ar) and o.description_fr for o in organizations)
    numbers = [(o.legal_form, o.registration_number) for o in organizations]
    assert len(set(numbers)) == len(numbers) and all(n for _, n in numbers)
    assert all(1 <= len(b.products) <= 4 for b in built)
    products = [p for b in built for p, _ in b.products]
    assert any(p.price is None for p in products) and any(p.price for p in products)
    food = [p for p in products if p.category.is_food]
    assert sum(bool(p.sanitary_authorization) for p in food) > 0.7 * len(food)
    assert all(pictures for b in built for _, pictures in b.products)
    assert all(o.search_name and o.search_body for o in organizations)  # refresh_search() was called


def test_the_demo_is_the_same_whatever_its_size(db):
    sectors = {s.key: s for s in Sector.objects.all()}
    small = [demo.Builder(demo.demo_places(), sectors).build(i).organization for i in range(40)]
    large = [demo.Builder(demo.demo_places(), sectors).build(i).organization for i in range(400)][:40]
    assert [(o.registration_number, o.name_ar, o.members_total) for o in small] == \
           [(o.registration_number, o.name_ar, o.members_total) for o in large]


def test_french_names_elide_before_a_vowel():
    assert demo.of("Imouzzer Kandar") == "d'Imouzzer Kandar"
    assert demo.of("Aïn Leuh") == "d'Aïn Leuh"
    assert demo.of("Safi") == "de Safi"


# ---- loading -------------------------------------------------------------------------------------

def test_load_demo_is_idempotent_and_complete(db, settings):
    load_demo_accounts()
    line = demo.load_demo(organizations=40)
    assert "\n" not in line and "40 organizations" in line
    first = counts()
    assert first[0] == 40 and first[1] >= 40 and first[2] >= first[1]
    assert demo.load_demo(organizations=40).startswith("registry demo: 0 organizations, 0 products, 0 photos")
    assert counts() == first
    # a larger demo adds only the organizations it did not have
    demo.load_demo(organizations=45)
    assert counts()[0] == 45
    with scopes_disabled():
        assert all(p.photos.exists() for p in Product.objects.all())
        photo = ProductPhoto.objects.first()
        assert (photo.width, photo.height) == (480, 360)
        with photo.image.open("rb") as handle:
            assert Image.open(handle).size == (480, 360)
        assert Organization.objects.exclude(logo="").exists()
        assert set(Organization.objects.values_list("region__code", flat=True).distinct()) == {"03", "07"}


def test_demo_representative_is_approved_for_a_fes_meknes_honey_or_argan_cooperative(db):
    load_demo_accounts()
    demo.load_demo(organizations=12)
    demo.load_demo(organizations=12)
    with scopes_disabled():
        representation = Representation.objects.get(user__email=demo.DEMO_REPRESENTATIVE)
        organization = representation.organization
        assert representation.status == Representation.Status.APPROVED
        assert organization.region.code == "03" and organization.legal_form == LegalForm.COOPERATIVE
        assert organization.is_active
        assert re.search("عسل|أركان", organization.name_ar + organization.activities)
        assert organization.products.filter(is_active=True).exists()


def test_demo_without_accounts_still_loads(db):
    assert "12 organizations" in demo.load_demo(organizations=12)
    assert counts()[3] == 0


def test_demo_organizations_are_searchable_with_typos(db):
    demo.load_demo(organizations=12)
    with scopes_disabled():
        tifaouine = Organization.objects.get(name_fr="Coopérative Tifaouine d'huile d'argan")
        ids, _ = search_ids("organization", "تيفاوبن")  # one letter wrong
        assert tifaouine.pk in ids
        product = tifaouine.products.first()
        ids, _ = search_ids("product", product.name_fr, limit=100)
        assert product.pk in ids


# ---- the national generator -------------------------------------------------------------------------

def test_generate_registry_creates_n_times_k(db, capsys):
    call_command("generate-registry", "--organizations", "30", "--products-per-org", "3", "--seed", "5",
                 "--batch-size", "7")
    output = capsys.readouterr().out
    assert "generated 30 organizations, 90 products, 0 photos" in output and "rows/s" in output
    with scopes_disabled():
        assert Organization.objects.count() == 30
        assert Product.objects.count() == 90
        # the first organizations go to one province of each region in turn
        assert len(set(Organization.objects.values_list("region__code", flat=True))) == 12
        assert all(n.startswith("S5-") for n in Organization.objects.values_list("registration_number", flat=True))
    call_command("generate-registry", "--organizations", "30", "--products-per-org", "3", "--seed", "5")
    assert "generated 0 organizations" in capsys.readouterr().out
    assert counts()[:2] == (30, 90)
    call_command("generate-registry", "--organizations", "10", "--products-per-org", "2", "--seed", "6")
    assert counts()[:2] == (40, 110)


def test_generated_organizations_are_searchable(db):
    call_command("generate-registry", "--organizations", "20", "--products-per-org", "1", "--seed", "8")
    with scopes_disabled():
        organization = Organization.objects.filter(name_ar__startswith="تعاونية").first()
        word = next(w for w in organization.search_name.split() if len(w) >= 6)
        typo = word[:2] + word[3:]  # one letter missing
        ids, _ = search_ids("organization", typo, limit=100)
        assert organization.pk in ids


def test_generate_registry_with_pictures(db):
    call_command("generate-registry", "--organizations", "3", "--products-per-org", "2", "--with-pictures")
    with scopes_disabled():
        assert Product.objects.count() == 6
        assert all(p.photos.exists() for p in Product.objects.all())


def test_generate_registry_refuses_nonsense(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("generate-registry", "--organizations", "-1")
