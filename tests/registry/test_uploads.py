"""Hostile uploads through the representatives' forms: each is refused with a clear message and
nothing is stored; a real photo is stored re-encoded, without EXIF (GPS included), at most 1600 px."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from PIL import Image

from tadamon.registry.models import Organization, ProductPhoto, Representation

GPS_IFD = 0x8825


def url(name, *args):
    with translation.override("en"):
        return reverse(f"registry:{name}", args=args)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.fixture
def product(client, make_user, make_org, make_product):
    org = make_org("تعاونية الأركان", "Coop Argan")
    user = make_user("rep@example.ma")
    with scopes_disabled():
        Representation.objects.create(user=user, organization=org, status=Representation.Status.APPROVED)
    client.force_login(user)
    return make_product(org, "زيت أركان", "Huile d'argan", category="cosmetics", price=150)


def product_post(client, product, photos):
    data = {"name_ar": product.name_ar, "name_fr": product.name_fr, "category": product.category_id,
            "price": "150", "unit": "piece", "is_active": "on", "photos": photos}
    return client.post(url("product_edit", product.pk), data)


def jpeg_bytes(size=(400, 300), exif=None, quality=90):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "#b0602a")
    for x in range(0, size[0], 50):  # some detail, so the file is not trivially small
        image.paste("#2a60b0", (x, 0, x + 10, size[1]))
    image.save(buffer, "JPEG", quality=quality, **({"exif": exif} if exif is not None else {}))
    return buffer.getvalue()


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def decompression_bomb(side=30000):
    """A valid one-bit PNG of side × side white pixels: about 100 kB on disk, 900 million pixels once
    decoded. Written row by row with zlib, so that building it does not need the memory it attacks."""
    row = b"\x00" + b"\xff" * ((side + 7) // 8)  # filter byte + one bit per pixel
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # bit depth 1, greyscale: Pillow's mode "1"
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")


def assert_refused(response, message, media):
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "photos" in errors, errors
    assert message in " ".join(errors["photos"])
    assert message in response.content.decode()
    with scopes_disabled():
        assert ProductPhoto.objects.count() == 0
    assert stored_files(media) == []


def test_the_form_states_the_size_limit(client, product):
    assert "up to 5 MB" in client.get(url("product_edit", product.pk)).content.decode()


def test_a_file_renamed_jpg_is_refused(client, product, media):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 2000, content_type="image/jpeg")
    assert_refused(product_post(client, product, fake), "not a picture we can read", media)


def test_an_oversized_file_is_refused(client, product, media):
    big = jpeg_bytes() + b"\x00" * (5 * 1024 * 1024)
    assert len(big) > 5 * 1024 * 1024
    response = product_post(client, product, SimpleUploadedFile("big.jpg", big, content_type="image/jpeg"))
    assert_refused(response, "too large", media)
    assert "The limit is 5 MB" in response.content.decode()


def test_a_decompression_bomb_is_refused(client, product, media):
    bomb = decompression_bomb()
    assert len(bomb) < 1024 * 1024
    assert struct.unpack(">II", bomb[16:24]) == (30000, 30000)
    response = product_post(client, product, SimpleUploadedFile("bomb.png", bomb, content_type="image/png"))
    assert_refused(response, "too many pixels", media)


def test_an_svg_with_a_script_is_refused(client, product, media):
    svg = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
           b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>')
    for name, content_type in [("logo.svg", "image/svg+xml"), ("logo.jpg", "image/jpeg")]:
        response = product_post(client, product, SimpleUploadedFile(name, svg, content_type=content_type))
        assert_refused(response, "not a picture we can read", media)


def test_a_truncated_jpeg_is_refused(client, product, media):
    data = jpeg_bytes((800, 600))
    truncated = data[: len(data) // 2]
    response = product_post(client, product, SimpleUploadedFile("cut.jpg", truncated, content_type="image/jpeg"))
    assert_refused(response, "not a picture we can read", media)


def test_one_bad_file_among_good_ones_stores_nothing(client, product, media):
    good = SimpleUploadedFile("good.jpg", jpeg_bytes(), content_type="image/jpeg")
    bad = SimpleUploadedFile("bad.jpg", b"not a picture", content_type="image/jpeg")
    response = product_post(client, product, [good, bad])
    assert_refused(response, "bad.jpg", media)


def test_gps_exif_is_removed_and_the_photo_shrunk(client, product, media):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0110] = "Phone 12"  # camera model
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (34.0, 2.0, 1.5)  # latitude: somewhere in Fès
    gps[3], gps[4] = "W", (5.0, 0.0, 3.0)
    data = jpeg_bytes((3200, 2400), exif=exif.tobytes())
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(GPS_IFD)  # the upload really carries a position
    response = product_post(client, product, SimpleUploadedFile("IMG_0001.jpg", data, content_type="image/jpeg"))
    assert response.status_code == 302
    with scopes_disabled():
        photo = ProductPhoto.objects.get()
    assert photo.image.name.startswith("products/") and "IMG_0001" not in photo.image.name
    with Image.open(photo.image.path) as stored:
        assert dict(stored.getexif()) == {}
        assert stored.format == "JPEG"
        assert max(stored.size) <= 1600 and stored.size == (1600, 1200)
        assert (photo.width, photo.height) == stored.size


# --- the other upload fields go through the same checks --------------------------------------------------------

def test_a_bad_logo_is_refused_and_nothing_is_stored(client, plain_user, sectors, media):
    from tadamon.core.models import Province

    client.force_login(plain_user)
    data = {"legal_form": "cooperative", "name_ar": "تعاونية", "province": Province.objects.get(code="03.131").pk,
            "sector": sectors["terroir"].pk, "logo": SimpleUploadedFile("logo.png", decompression_bomb(),
                                                                          content_type="image/png")}
    response = client.post(url("organization_create"), data)
    assert response.status_code == 200 and "logo" in response.context["form"].errors
    assert "too many pixels" in response.content.decode()
    with scopes_disabled():
        assert Organization.objects.count() == 0
    assert stored_files(media) == []


@pytest.mark.parametrize("name, content, message", [
    ("proof.pdf", b"<svg><script>alert(1)</script></svg>", "Send the document as a PDF file or a photo"),
    ("proof.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "This file is too large"),
])
def test_a_bad_claim_document_is_refused(client, plain_user, make_org, media, name, content, message):
    org = make_org("تعاونية")
    client.force_login(plain_user)
    response = client.post(url("claim", org.pk), {"role_in_organization": "عضو",
                                                  "document": SimpleUploadedFile(name, content)})
    assert response.status_code == 200 and message in response.content.decode()
    with scopes_disabled():
        assert Representation.objects.count() == 0
    assert stored_files(media) == []
