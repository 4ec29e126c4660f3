"""Spreadsheets of the programme: a session's attendance list and a day's institutions.

Every cell goes through fairs' ``_safe``: a name starting with "=" or "+" is text, not a formula."""

import io

from django.utils import timezone

from tadamon.fairs.documents import _safe


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _workbook(title, header, rows):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(x) for x in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def attendance_xlsx(session, registrations):
    """One row per registration (confirmed, then waiting list): who came and when."""
    rows = []
    for r in registrations:
        certificate = getattr(r, "certificate", None) if hasattr(r, "certificate") else None
        rows.append([r.pk, r.name, r.phone, r.email, r.institution, r.status, _when(r.created_at),
                     "1" if r.checked_in_at else "0", _when(r.checked_in_at), certificate.code if certificate else ""])
    return _workbook("attendance", ["registration", "name", "phone", "email", "institution", "status",
                                    "registered_at", "present", "arrived_at", "certificate"], rows)


def institutions_xlsx(edition, summary):
    rows = [[i["name"], i["count"]] for i in summary["institutions"]]
    return _workbook("institutions", ["institution", "people"], rows)
