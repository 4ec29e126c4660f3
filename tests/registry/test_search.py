"""Normalization properties and search recall on variant spellings, on SQLite and PostgreSQL."""

import pytest
from django_scopes import scopes_disabled
from hypothesis import given
from hypothesis import strategies as st

from tadamon.core.text import normalize, within_one_edit
from tadamon.registry.search import search_ids

ARABIC = st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), max_size=30)
ANY_TEXT = st.one_of(st.text(max_size=40), ARABIC)


@given(ANY_TEXT)
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


@given(st.text(alphabet="ابتثجحخدذرسشصضطظعغفقكلمنهوي ", min_size=1, max_size=20),
       st.lists(st.sampled_from("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640"), max_size=5))
def test_diacritics_and_tatweel_vanish(base, marks):
    decorated = "".join(ch + "".join(marks) for ch in base)
    assert normalize(decorated) == normalize(base)


@pytest.mark.parametrize("variant,canonical", [
    ("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه"), ("ؤ", "و"), ("ئ", "ي"),
    ("٠١٢٣٤٥٦٧٨٩", "0123456789"), ("۰۱۲۳۴۵۶۷۸۹", "0123456789"), ("Coopérative", "cooperative"),
    ("ÇA", "ca"), ("Œuvre", "oeuvre"), ("زيـــت", "زيت"), ("مُؤَسَّسَة", "موسسه"),
])
def test_variants_map_to_one_form(variant, canonical):
    assert normalize(variant) == canonical


@given(st.text(alphabet="abcdefghij", min_size=5, max_size=12), st.integers(min_value=0, max_value=11))
def test_one_substitution_is_within_one_edit(word, position):
    position %= len(word)
    typo = word[:position] + ("z" if word[position] != "z" else "y") + word[position + 1:]
    assert within_one_edit(word, typo)


def test_two_edits_are_not_one():
    assert not within_one_edit("zagora", "zigura")


@pytest.fixture
def catalogue(make_org, make_product):
    argan = make_org("تعاونية تيفاوين لإنتاج زيت الأركان", "Coopérative Tifaouine d'huile d'argan",
                     description_ar="زيت أركان تقليدي معصور يدويا", sector="cosmetics")
    honey = make_org("تعاونية النحل الذهبي", "Coopérative Abeille d'Or", description_fr="Miel de thym et d'euphorbe")
    pottery = make_org("جمعية الفخار الأصيل", "Association Poterie Authentique", sector="handicrafts",
                       province="07.351", legal_form="association")
    saffron = make_org("تعاونية الزعفران الحر", "Coopérative Safran Pur", province="07.351")
    make_product(argan, "زيت أركان غذائي", "Huile d'argan alimentaire")
    make_product(honey, "عسل الزعتر", "Miel de thym")
    return {"argan": argan, "honey": honey, "pottery": pottery, "saffron": saffron}


def _names(query, kind="organization", **filters):
    ids, total = search_ids(kind, query, filters)
    assert total == len(ids) or total > len(ids)
    return ids


@pytest.mark.parametrize("query,expected", [
    ("الاركان", "argan"),            # hamza dropped
    ("الأرْكان", "argan"),           # diacritics typed
    ("تعاونيه تيفاوين", "argan"),    # taa marbuta typed as haa
    ("تيفاوبن", "argan"),            # one typo in a long word
    ("argan", "argan"),
    ("ARGANE", "argan"),             # one extra letter, capitals
    ("cooperative tifaouine", "argan"),
    ("abeille", "honey"),
    ("abeile", "honey"),             # typo in French
    ("miel thym", "honey"),
    ("euphorbe", "honey"),           # description
    ("poterie authentiqe", "pottery"),
    ("الفخار", "pottery"),
    ("safran", "saffron"),
    ("الزعفرن", "saffron"),          # a letter missing
])
def test_recall_on_variant_spellings(catalogue, query, expected):
    ids = _names(query)
    assert catalogue[expected].pk in ids


def test_names_rank_before_descriptions(catalogue, make_org):
    mention = make_org("تعاونية الواحة", "Coopérative L'Oasis", description_fr="Nous vendons aussi du safran")
    ids = _names("safran")
    assert ids.index(catalogue["saffron"].pk) < ids.index(mention.pk)


def test_short_words_are_not_fuzzy(catalogue):
    assert _names("mial") == []  # four letters: no typo tolerance, and no such prefix


def test_only_the_word_being_typed_is_a_prefix(catalogue):
    """The last word is matched as the start of a word (the visitor is still typing it); the words
    before it are whole words."""
    assert catalogue["saffron"].pk in _names("تعاونية الزعف")
    assert catalogue["argan"].pk in _names("تعاونية تيفاو")
    assert catalogue["argan"].pk not in _names("تعاو تيفاوين")  # a word before the last is whole
    assert catalogue["argan"].pk in _names("تعاونيه تيفاوين")


def test_a_short_last_word_is_whole(make_org):
    """Three letters are a word (زيت, oil), not the start of another (زيتون, olives)."""
    olives = make_org("تعاونية الزيتون", "Coopérative Les Olives")
    oil = make_org("تعاونية الزيت البلدي", "Coopérative L'Huile")
    assert _names("زيت") == [oil.pk]
    assert set(_names("الزيت")) == {oil.pk, olives.pk}  # five letters typed: the start of a word
    assert olives.pk in _names("زيتو")


def test_filters_apply(catalogue):
    assert _names("تعاونية", region_id=catalogue["saffron"].region_id) == [catalogue["saffron"].pk]
    assert catalogue["pottery"].pk in _names("poterie", legal_form="association")
    assert _names("poterie", legal_form="cooperative") == []


def test_product_search(catalogue):
    with scopes_disabled():
        product = catalogue["honey"].products.get()
    assert product.pk in _names("عسل", kind="product")
    assert product.pk in _names("miel du thym", kind="product")  # little words do not matter
    assert _names("thim", kind="product") == []  # four letters: exact or prefix only


def test_empty_and_punctuation_queries(catalogue):
    assert search_ids("organization", "", {}) == ([], 0)
    assert search_ids("organization", "\"*'()", {}) == ([], 0)
    assert search_ids("organization", "OR AND NOT", {})[1] == 0


def test_edits_reindex(catalogue):
    org = catalogue["honey"]
    with scopes_disabled():
        org.name_fr = "Coopérative Ruche Bleue"
        org.save()
    assert org.pk in _names("ruche")
    assert org.pk not in _names("abeille")


@pytest.mark.django_db
def test_the_arabic_article_and_a_typo_together(make_org):
    """People type "زعفرن" (a letter missing, no article) for a cooperative named "الزعفران"."""
    from tadamon.registry.search import search_ids

    saffron = make_org("تعاونية الزعفران الحر", "Coopérative Safran Pur")
    argan = make_org("تعاونية أركان", "Coopérative Argane")
    with scopes_disabled():
        assert search_ids("organization", "زعفرن")[0] == [saffron.pk]
        assert search_ids("organization", "الاركان")[0] == [argan.pk]
        assert search_ids("organization", "زعفران")[0] == [saffron.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["عسل الزعتر", "تعاونية نسوية", "كسكس", "زعفرن"])
def test_words_written_with_the_article_or_only_in_products_are_found(make_org, make_product, query):
    """The four queries of docs/benchmarks.md that found no organization: the words are in a
    product's name, or written with the article (النسوية, الكسكس, الزعفران) in the name or description."""
    honey = make_org("تعاونية النحل الذهبي", "Coopérative Abeille d'Or")
    make_product(honey, "عسل الزعتر", "Miel de thym")
    women = make_org("التعاونية النسوية الأمل", "Coopérative féminine Al Amal")
    couscous = make_org("جمعية سنابل", "Association Sanabil", description_ar="نحضر الكسكس بالشعير")
    saffron = make_org("تعاونية الزعفران الحر", "Coopérative Safran Pur")
    make_org("جمعية الفخار الأصيل", "Association Poterie")
    expected = {"عسل الزعتر": honey, "تعاونية نسوية": women, "كسكس": couscous, "زعفرن": saffron}[query]
    ids, total = search_ids("organization", query)
    assert ids[0] == expected.pk
    assert total == len(ids)


def test_an_organization_follows_its_shown_products(catalogue, make_product):
    """Products' names are searched with their organization: adding, hiding and deleting a product
    changes what finds it."""
    pottery = catalogue["pottery"]
    assert pottery.pk not in _names("طاجين")
    tajine = make_product(pottery, "طاجين مزخرف", "Tajine décoré", category="handicrafts")
    assert pottery.pk in _names("طاجين")
    with scopes_disabled():
        tajine.is_active = False
        tajine.save()
    assert pottery.pk not in _names("طاجين")
    with scopes_disabled():
        tajine.is_active = True
        tajine.save()
        assert pottery.pk in _names("طاجين")
        tajine.delete()
    assert pottery.pk not in _names("طاجين")


def test_a_merge_moves_the_products_names(catalogue, make_org, make_product, national_admin):
    from tadamon.registry.services import merge_organizations

    duplicate = make_org("تعاونية النحل", "Coopérative Abeille")
    make_product(duplicate, "شمع النحل", "Cire d'abeille")
    with scopes_disabled():
        merge_organizations(national_admin, catalogue["honey"], duplicate)
    assert _names("شمع", is_active=True) == [catalogue["honey"].pk]


@pytest.mark.django_db
def test_a_search_counts_and_pages_through_its_best_hits_only(make_org):
    """Past ``max_results`` hits the count stops and the pages come from the index (the nearest
    names first on PostgreSQL): the pages never repeat nor skip a hit, and stop at the bound."""
    names = ["تعاونية الورد", "تعاونية الورد والزهر", "تعاونية الورد البلدي العطري", "تعاونية النخيل",
             "تعاونية الأمل للخياطة التقليدية", "تعاونية الفجر"]
    orgs = [make_org(name) for name in names]
    everything = search_ids("organization", "تعاونية الورد", max_results=None)
    assert everything[1] == 3  # "الورد" is in three names
    ids, total = search_ids("organization", "تعاونيه", max_results=4, limit=3)
    assert total == 4 and len(ids) == 3
    rest, total_again = search_ids("organization", "تعاونيه", max_results=4, limit=3, offset=3)
    assert total_again == 4 and len(rest) == 1  # the fourth and last page-able hit
    assert not set(ids) & set(rest)
    assert search_ids("organization", "تعاونيه", max_results=4, limit=3, offset=4) == ([], 4)
    assert search_ids("organization", "تعاونيه", max_results=None, limit=10)[1] == len(orgs)
    nearest, _ = search_ids("organization", "تعاونية الورد", max_results=2, limit=1)
    assert nearest == [orgs[0].pk]  # the name nearest the query comes first


@pytest.mark.django_db
def test_the_columns_a_search_reads_stay_in_the_row():
    """PostgreSQL: the vector and the names are stored MAIN (migrations 0007, 0008), so ranking
    1,000 hits by name never reads the TOAST table."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (column storage)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT attname, attstorage FROM pg_attribute "
                       "WHERE attrelid = 'registry_organization'::regclass AND attname IN "
                       "('search_vector', 'search_name', 'name_ar', 'name_fr', 'description_ar')")
        storage = dict(cursor.fetchall())
    assert storage == {"search_vector": "m", "search_name": "m", "name_ar": "m", "name_fr": "m", "description_ar": "x"}
