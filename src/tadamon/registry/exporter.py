"""Export of the registry (the directory's current filters) to XLSX and CSV.

The columns are those of the import contract (:data:`tadamon.registry.importer.COLUMNS`), so an
export can be corrected in a spreadsheet and imported again, followed by a few read-only columns.
Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) get a leading single quote: a name like ``=HYPERLINK(...)`` stays text.
CSV is UTF-8 with a BOM, so that Excel shows Arabic correctly.
"""

import csv
import io

from django.urls import NoReverseMatch

from .importer import COLUMNS, FORMULA_STARTS

EXTRA_COLUMNS = ["region_code", "province_name", "verified", "active", "url"]
HEADER = COLUMNS + EXTRA_COLUMNS


def neutralize(value):
    """The cell value as text, with a quote before a leading formula character."""
    if value is None:
        return ""
    text = str(value)
    if text[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def _cell(value):
    """Numbers stay numbers in XLSX; everything else is neutralized text."""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, int):
        return value
    return neutralize(value)


def organization_row(org, url=""):
    """One organization as a list of values in :data:`HEADER` order."""
    return [
        org.name_ar, org.name_fr, org.legal_form, org.registration_number,
        org.province.code if org.province_id else "", org.sector.key if org.sector_id else "",
        org.created_on.isoformat() if org.created_on else "", org.members_total, org.members_women,
        org.members_youth, org.women_led, org.leader_name, org.phone, org.email, org.description_ar,
        org.description_fr,
        org.region.code if org.region_id else "", org.province.name_fr if org.province_id else "",
        org.verified_at is not None, org.is_active, url,
    ]


def _urls(url_for):
    def safe(org):
        if url_for is None:
            return ""
        try:
            return url_for(org)
        except NoReverseMatch:  # the public page is not available
            return ""

    return safe


def to_xlsx(organizations, url_for=None):
    """The bytes of an XLSX workbook (one sheet "organizations")."""
    from openpyxl import Workbook

    url = _urls(url_for)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("organizations")
    sheet.append(HEADER)
    for org in organizations:
        sheet.append([_cell(v) if v is not None else None for v in organization_row(org, url(org))])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_csv(organizations, url_for=None):
    """The bytes of a CSV file, UTF-8 with BOM, comma-separated."""
    url = _urls(url_for)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for org in organizations:
        row = organization_row(org, url(org))
        writer.writerow(["" if v is None else (("1" if v else "0") if isinstance(v, bool) else neutralize(v))
                         for v in row])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")
