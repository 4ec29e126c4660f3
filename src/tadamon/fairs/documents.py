"""Documents of a fair: the acceptance letter (PDF) and the exhibitor list (XLSX)."""

import io
from datetime import date

from tadamon.core.pdf import render_pdf


def acceptance_letter(application):
    """The acceptance letter, Arabic then French on one A4 page."""
    return render_pdf("fairs/pdf/letter.html", {
        "application": application, "edition": application.edition, "organization": application.organization,
        "pole": application.pole, "today": date.today(),
    })


def _safe(value):
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def exhibitors_xlsx(edition, applications):
    """The list of applications (selected and confirmed first) for the organizing team."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("exhibitors")
    sheet.append(["application", "status", "pole", "organization_ar", "organization_fr", "legal_form",
                  "registration_number", "province", "sector", "women_led", "phone", "email", "score",
                  "needs_power", "needs_water", "needs_refrigeration", "needs_step_free"])
    for a in applications:
        o = a.organization
        sheet.append([_safe(x) for x in [
            a.pk, a.status, a.pole.name_fr if a.pole else "", o.name_ar, o.name_fr, o.legal_form,
            o.registration_number, o.province.code, o.sector.key, "1" if o.women_led else "0", o.phone, o.email,
            a.score, int(a.needs_power), int(a.needs_water), int(a.needs_refrigeration), int(a.needs_step_free)]])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
