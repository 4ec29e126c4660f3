"""Badges and stand signs: who gets a badge, the codes, the PDFs (Arabic shaped correctly, read back with
pdftotext), the QR codes (decoded from the rendered pages, or checked by re-encoding), the background
job with its progress and download, and the exhibitor's own badges."""

import re
import shutil
import subprocess
import unicodedata

import pytest
import segno
from django.urls import reverse
from django_scopes import scopes_disabled

from tadamon.fairs import badges, placement
from tadamon.fairs.floor_models import CODE_ALPHABET, Badge, DocumentJob, normalize_code

from .floor_fixtures import arabic, fair_fixture  # noqa: F401

BASE = "https://tadamon.example"
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is missing")


def _text(pdf):
    """The PDF's text by pdftotext, with Arabic presentation forms folded back to letters."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return unicodedata.normalize("NFKC", out.stdout.decode("utf-8"))


def _words(text):
    return set(re.findall(r"\w+", text))


def _decoded_qr_codes(pdf):
    """Every QR code on every page, decoded with zxing-cpp from pages rendered by pdftoppm."""
    zxingcpp = pytest.importorskip("zxingcpp")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is missing")
    import tempfile
    from pathlib import Path

    from PIL import Image

    texts = []
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "150", "-png", str(source), str(Path(folder) / "page")], check=True)
        for page in sorted(Path(folder).glob("page*.png")):
            texts += [r.text for r in zxingcpp.read_barcodes(Image.open(page))]
    return texts


def _rep(application):
    from tadamon.registry.models import Representation

    with scopes_disabled():
        return Representation.objects.filter(organization=application.organization).get().user


@pytest.fixture
def placed_fair(fair, fes_staff):
    placement.start_run(fes_staff, fair["edition"], time_limit=10)
    placement.publish(fes_staff, fair["edition"])
    return fair


# ---- who gets a badge ----------------------------------------------------------------------------

def test_badges_follow_the_staff_names(fair):
    application = fair["applications"][0]
    with scopes_disabled():
        first = badges.sync_badges(application)
    assert [b.name for b in first] == ["Fatima0 Alaoui"]  # default: the representative's name
    placement.save_participation(_rep(application), application,
                                 staff_names=["فاطمة العلوي", "Karim Bennani", "سعاد", "Omar"])
    with scopes_disabled():
        four = badges.sync_badges(application)
        assert [b.name for b in four] == ["فاطمة العلوي", "Karim Bennani", "سعاد", "Omar"]
        assert not Badge.objects.get(pk=first[0].pk).active
        codes = {b.code for b in four}
        assert len(codes) == 4 and all(len(c) == 12 and set(c) <= set(CODE_ALPHABET) for c in codes)
        placement.save_participation(_rep(application), application, staff_names=["Omar", "فاطمة العلوي"])
        two = badges.sync_badges(application)
        assert [b.name for b in two] == ["Omar", "فاطمة العلوي"]
        assert {b.code for b in two} <= codes  # a kept name keeps its code
        assert Badge.objects.filter(application=application, active=True).count() == 2
        assert badges.sync_badges(application) == two  # idempotent


def test_without_a_representative_the_leader_then_the_organization_names_the_badge(fair):
    from tadamon.registry.models import Representation

    application = fair["applications"][1]
    with scopes_disabled():
        Representation.objects.filter(organization=application.organization).delete()
        application.organization.leader_name = "رشيدة بناني"
        assert badges.default_staff_names(application) == ["رشيدة بناني"]
        application.organization.leader_name = ""
        assert badges.default_staff_names(application) == [application.organization.name_ar]


def test_codes_are_read_in_every_form():
    assert normalize_code("abcd-efgh-jkmn") == "ABCDEFGHJKMN"
    assert normalize_code(" ABCD EFGH JKMN ") == "ABCDEFGHJKMN"
    assert normalize_code("https://x.ma/manage/fairs/checkin/ABCDEFGHJKMN/") == "ABCDEFGHJKMN"
    assert normalize_code("https://x.ma/ar/manage/fairs/checkin/ABCDEFGHJKMN/?utm=1") == "ABCDEFGHJKMN"
    assert normalize_code("") == ""


# ---- the PDFs ------------------------------------------------------------------------------------

@needs_pdftotext
def test_badge_pdf_shapes_arabic_and_carries_names_stand_and_code(placed_fair):
    edition, application = placed_fair["edition"], placed_fair["applications"][0]
    placement.save_participation(_rep(application), application, staff_names=["فاطمة الزهراء العلوي", "Karim"])
    with scopes_disabled():
        own = badges.sync_badges(application)
        for badge in own:
            badge.application = application
        pdf = badges.badges_pdf(edition, own, BASE)
        number = application.stand_assignment.stand.number
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    words = _words(text)
    # Each Arabic word comes back as its letters (shaped glyphs mapped back), in reading order.
    for word in ["فاطمة", "الزهراء", "العلوي", "تعاونية", "للزرابي", "قطب", "المنتوجات", "عارض"]:
        assert word in words, word
    assert "Karim" in words and number in text and "Exposant" in words
    assert own[0].grouped_code in text and own[1].grouped_code in text


@needs_pdftotext
def test_sign_pdf_lists_organizations_and_products(placed_fair):
    edition, application = placed_fair["edition"], placed_fair["applications"][3]
    with scopes_disabled():
        pdf = badges.signs_pdf(edition, BASE)
        number = application.stand_assignment.stand.number
    text = _text(pdf)
    words = _words(text)
    for word in ["تعاونية", "العسل", "الحر", "منتوج"]:
        assert word in words, word
    assert "Coopérative du miel pur" in text and number in text


def test_badge_qr_codes_decode_to_their_check_in_urls(placed_fair):
    edition = placed_fair["edition"]
    with scopes_disabled():
        all_badges = badges.edition_badges(edition)
        pdf = badges.badges_pdf(edition, all_badges, BASE)
    expected = {f"{BASE}/manage/fairs/checkin/{b.code}/" for b in all_badges}
    assert {badges.checkin_url(b, BASE) for b in all_badges} == expected
    # Re-encoding: the image embedded in each badge is segno's QR code of the expected URL.
    items = badges.badge_items(all_badges, BASE)
    for item, badge in zip(items, all_badges, strict=True):
        assert item["qr"] == badges.qr_data_uri(f"{BASE}/manage/fairs/checkin/{badge.code}/")
        assert badges.qr_matrix(item["url"]) == [list(r) for r in segno.make(item["url"], error="m",
                                                                            boost_error=False).matrix]
    # Decoding: read back from the printed pages.
    assert sorted(_decoded_qr_codes(pdf)) == sorted(expected)


def test_sign_qr_codes_decode_to_the_organizations_pages(placed_fair):
    edition = placed_fair["edition"]
    with scopes_disabled():
        pdf = badges.signs_pdf(edition, BASE)
    expected = {f"{BASE}{a.organization.get_absolute_url()}" for a in placed_fair["applications"]}
    assert all("/ar/organizations/" in url for url in expected)
    assert set(_decoded_qr_codes(pdf)) == expected


def test_the_badge_url_opens_the_check_in_page_in_the_staff_language(client, placed_fair, fes_staff):
    edition = placed_fair["edition"]
    with scopes_disabled():
        badge = badges.edition_badges(edition)[0]
    client.force_login(fes_staff)
    url = badges.checkin_url(badge, "")
    assert not url.startswith("/ar/")
    response = client.get(url, follow=True)
    assert response.status_code == 200 and badge.name in response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/ar/")


# ---- the background job --------------------------------------------------------------------------

@pytest.mark.parametrize("kind, count", [("badges", 6), ("signs", 3)])
def test_the_edition_job_makes_one_pdf_with_progress(client, placed_fair, fes_staff, fes_partner, marrakech_staff,
                                                     kind, count):
    edition = placed_fair["edition"]
    client.force_login(fes_staff)
    response = client.post(reverse("fairs:manage_documents_start", args=[edition.pk]), {"kind": kind})
    assert response.status_code == 302
    with scopes_disabled():
        job = DocumentJob.objects.get(edition=edition, kind=kind)
    assert job.status == "done" and job.done == job.total and job.progress_percent == 100
    if kind == "badges":
        assert job.total == count
    else:
        assert job.total >= count
    page = client.get(reverse("fairs:manage_documents", args=[edition.pk])).content.decode()
    download = reverse("fairs:manage_documents_download", args=[job.pk])
    assert download in page
    pdf = b"".join(client.get(download).streaming_content)
    assert pdf.startswith(b"%PDF")
    client.force_login(fes_partner)
    assert client.get(download).status_code == 200  # partners read
    client.force_login(marrakech_staff)
    assert client.get(download).status_code == 404


def test_a_running_job_is_followed_and_not_started_twice(client, placed_fair, fes_staff):
    edition = placed_fair["edition"]
    with scopes_disabled():
        running = DocumentJob.objects.create(edition=edition, kind="badges", status="running", total=10, done=4)
    client.force_login(fes_staff)
    client.post(reverse("fairs:manage_documents_start", args=[edition.pk]), {"kind": "badges"})
    with scopes_disabled():
        assert DocumentJob.objects.filter(edition=edition, kind="badges").count() == 1
    url = reverse("fairs:manage_documents", args=[edition.pk])
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'value="40"' in fragment and "every 1s" in fragment
    with scopes_disabled():
        DocumentJob.objects.filter(pk=running.pk).update(status="done")
    assert client.get(url, HTTP_HX_REQUEST="true").headers.get("HX-Refresh") == "true"
    assert client.post(reverse("fairs:manage_documents_start", args=[edition.pk]), {"kind": "nope"}).status_code == 302


# ---- the exhibitor's own badges ------------------------------------------------------------------

@needs_pdftotext
def test_exhibitor_downloads_its_own_badges_only(client, placed_fair):
    application, other = placed_fair["applications"][0], placed_fair["applications"][1]
    client.force_login(_rep(application))
    response = client.get(reverse("fairs:my_badges", args=[application.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "العلوي" in _words(_text(response.content)) or "Alaoui" in _text(response.content)
    assert client.get(reverse("fairs:my_badges", args=[other.pk])).status_code == 404
