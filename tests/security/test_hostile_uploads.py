"""Hostile uploads are refused with a clear message and change nothing: oversized pictures,
decompression bombs, PDFs or scripts disguised as pictures, spreadsheets with formulas, macros,
external links or a zip bomb."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_scopes import scopes_disabled
from openpyxl import Workbook
from PIL import Image

from tadamon.core.images import clean_document, clean_image
from tadamon.registry.importer import COLUMNS, ImportFileError, ImportParams, read_rows, run_import
from tadamon.registry.models import Organization

from ..registry.test_import import GOOD


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def _png(width, height, mode="1"):
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, "PNG", optimize=True)
    return out.getvalue()


def _refused(data, name="photo.jpg", clean=clean_image):
    with pytest.raises(ValidationError) as error:
        clean(SimpleUploadedFile(name, data, content_type="image/jpeg"))
    return " ".join(error.value.messages)


def test_hostile_pictures_are_refused_with_a_message():
    bomb = _png(12_000, 12_000)  # 144 megapixels in a few kilobytes
    assert len(bomb) < 200_000
    assert "too many pixels" in _refused(bomb)
    assert "too large" in _refused(b"\xff\xd8\xff" + b"\0" * (6 * 1024 * 1024))
    assert "not a picture" in _refused(b"%PDF-1.7\n1 0 obj << /JavaScript (app.alert(1)) >>\n%%EOF")
    assert "not a picture" in _refused(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    assert "not a picture" in _refused(_png(50, 50, "RGB")[:60])  # truncated
    assert "not a picture" in _refused(b"<?php system($_GET['c']); ?>")


def test_a_script_disguised_as_a_document_is_refused_and_a_real_pdf_is_kept():
    assert "PDF file or a photo" in _refused(b"#!/bin/sh\nrm -rf /\n", "claim.pdf", clean_document)
    kept = clean_document(SimpleUploadedFile("claim.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"))
    assert kept.read(5) == b"%PDF-"


def _xlsx(rows, extra_parts=()):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    if not extra_parts:
        return out.getvalue()
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source, zipfile.ZipFile(rebuilt, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        for name, data in extra_parts:
            target.writestr(name, data)
    return rebuilt.getvalue()


@pytest.mark.django_db
def test_formulas_are_never_evaluated_nor_stored_as_formulas(sectors):
    row = list(GOOD[0])
    row[1] = '=HYPERLINK("http://attacker.example/","Coopérative")'
    row[14] = "=cmd|' /C calc'!A0"
    report = run_import(ImportParams(file=_xlsx([row]), filename="orgs.xlsx", dry_run=False))
    with scopes_disabled():
        stored = list(Organization.objects.values_list("name_fr", "description_ar"))
    # A formula cell counts for its stored result: none here, so nothing; never the formula itself.
    assert stored == [("", "")]
    assert report.created == 1 and report.rejected == 0


@pytest.mark.django_db
def test_macros_and_external_links_are_ignored(sectors):
    content = _xlsx([GOOD[0]], extra_parts=[
        ("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro"),
        ("xl/externalLinks/externalLink1.xml", b'<externalLink xmlns="http://schemas.openxmlformats.org/'
                                               b'spreadsheetml/2006/main"><externalBook r:id="rId1" '
                                               b'xmlns:r="x"/></externalLink>'),
        ("xl/externalLinks/_rels/externalLink1.xml.rels",
         b'<Relationships><Relationship Id="rId1" Target="http://attacker.example/book.xlsx" '
         b'TargetMode="External"/></Relationships>'),
    ])
    rows = read_rows(content, "orgs.xlsx")
    assert len(list(rows)) == 1  # the data is read; nothing else is run or fetched


def test_a_zip_bomb_workbook_is_refused():
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + (
        b" " * (600 * 1024 * 1024)) + b"</sheetData></worksheet>"
    content = _xlsx([GOOD[0]])
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    bomb = rebuilt.getvalue()
    assert len(bomb) < 2 * 1024 * 1024  # under a megabyte or two, unpacking to 600 MB
    with pytest.raises(ImportFileError) as error:
        read_rows(bomb, "orgs.xlsx")
    assert "larger than 20 MB" in str(error.value)
