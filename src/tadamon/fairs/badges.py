"""Badges of the exhibitors' staff and A4 stand signs, in Arabic and French, as PDF.

A badge carries a QR code of the URL of its check-in page, which ends with the badge's random code
(12 characters from an alphabet without look-alike letters, also printed under the QR code to be typed
when a camera fails). Stand signs carry a QR code of each exhibitor's public page.

A whole edition's badges or signs are made in the background (:func:`execute_job`), in chunks whose
pages are joined into one PDF at the end, so that the page can show the progress.
"""

import logging
import secrets

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from tadamon.core.pdf import stylesheets as pdf_stylesheets
from tadamon.registry.models import Representation

from .floor_models import Badge, DocumentJob, Participation, StandAssignment
from .floorplan import text_dir
from .placement import exhibitors_to_place

logger = logging.getLogger(__name__)

#: Badges (or signs) rendered at a time: the progress moves after each chunk.
CHUNK = 40
#: Error correction of the QR codes: M survives a crease or a smudge on a printed badge.
QR_ERROR = "m"


# ---- who gets a badge ----------------------------------------------------------------------------

def default_staff_names(application):
    """The badge names when the exhibitor listed none: its representative's name (the first approved
    one), else the organization's leader, else the organization itself."""
    with scopes_disabled():
        representation = (Representation.objects.filter(organization=application.organization,
                                                        status=Representation.Status.APPROVED)
                          .select_related("user").order_by("created_at", "pk").first())
    if representation is not None:
        name = representation.user.get_full_name().strip()
        if name:
            return [name]
    organization = application.organization
    if organization.leader_name.strip():
        return [organization.leader_name.strip()]
    return [organization.name_ar or organization.name_fr]


def staff_names(application, participation=None):
    if participation is None:
        with scopes_disabled():
            participation = Participation.objects.filter(application=application).first()
    names = list(participation.staff_names) if participation is not None else []
    return names[:Participation.MAX_STAFF] or default_staff_names(application)


def sync_badges(application, participation=None):
    """One active badge per staff name of ``application``; a badge whose name was removed is switched
    off (its code stops working) and one whose name comes back gets its code back. Idempotent."""
    names = staff_names(application, participation)
    with scopes_disabled():
        existing = {b.name: b for b in Badge.objects.filter(application=application)}
        active = []
        for position, name in enumerate(names):
            badge = existing.get(name)
            if badge is None:
                try:
                    with transaction.atomic():
                        badge = Badge.objects.create(edition_id=application.edition_id,
                                                     region_id=application.region_id, application=application,
                                                     name=name, position=position)
                except IntegrityError:  # made at the same moment by another request
                    badge = Badge.objects.get(application=application, name=name)
            if not badge.active or badge.position != position:
                badge.active, badge.position = True, position
                badge.save(update_fields=["active", "position"])
            active.append(badge)
        keep = {b.pk for b in active}
        Badge.objects.filter(application=application, active=True).exclude(pk__in=keep).update(active=False)
    return active


def checkin_url(badge, base_url=""):
    """The URL the badge's QR code carries: the staff check-in page of this badge (without a language
    prefix: the site sends each person to their own language)."""
    path = reverse("fairs:checkin_badge", kwargs={"code": badge.code})
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            path = "/" + path[len(prefix):]
            break
    return f"{base_url.rstrip('/')}{path}"


def qr_data_uri(payload):
    """The QR code of ``payload`` as a PNG data URI: one black-and-white pixel block per module, drawn
    without smoothing (``image-rendering: pixelated`` in the templates). PNG rather than SVG: WeasyPrint
    lays out a whole edition's badges about a third faster, with the same sharp squares on paper."""
    return segno.make(payload, error=QR_ERROR, boost_error=False).png_data_uri(scale=3, border=2, dark="#111111")


def qr_matrix(payload):
    """The modules of the QR code of ``payload`` (for checking what a badge carries)."""
    return [list(row) for row in segno.make(payload, error=QR_ERROR, boost_error=False).matrix]


# ---- the pages -----------------------------------------------------------------------------------

def _edition_context(edition):
    return {"edition": edition, "title_ar": edition.title_ar, "title_fr": edition.title_fr}


def badge_items(badges, base_url=""):
    """What each badge shows, from badges with ``application`` (organization, pole) selected."""
    with scopes_disabled():
        application_ids = {b.application_id for b in badges}
        stands = {a.application_id: a.stand for a in StandAssignment.objects.filter(
            application_id__in=application_ids).select_related("stand__area")}
    items = []
    for badge in badges:
        application = badge.application
        organization = application.organization
        stand = stands.get(application.pk)
        url = checkin_url(badge, base_url)
        items.append({
            "name": badge.name, "name_dir": text_dir(badge.name), "code": badge.grouped_code,
            "organization_ar": organization.name_ar, "organization_fr": organization.name_fr,
            "pole_ar": application.pole.name_ar if application.pole else "",
            "pole_fr": application.pole.name_fr if application.pole else "",
            "stand": stand.number if stand else "", "qr": qr_data_uri(url), "url": url,
        })
    return items


def sign_items(edition, base_url=""):
    """One sign per stand with exhibitors: the stand, its pole, each exhibitor with products and QR."""
    with scopes_disabled():
        assignments = list(StandAssignment.objects.filter(edition=edition)
                           .select_related("stand__pole", "stand__area", "application__organization__province")
                           .prefetch_related("application__products").order_by("stand__number", "application_id"))
        products = {}
        for a in assignments:
            products[a.application_id] = [p for p in a.application.products.all() if p.is_active][:4]
    signs = {}
    for a in assignments:
        sign = signs.setdefault(a.stand_id, {"stand": a.stand, "exhibitors": []})
        organization = a.application.organization
        url = f"{base_url.rstrip('/')}{_public_path(organization)}"
        sign["exhibitors"].append({
            "name_ar": organization.name_ar, "name_fr": organization.name_fr,
            "province_ar": organization.province.name_ar, "province_fr": organization.province.name_fr,
            "products": [{"ar": p.name_ar, "fr": p.name_fr} for p in products[a.application_id]],
            "qr": qr_data_uri(url), "url": url,
        })
    return list(signs.values())


def _public_path(organization):
    with translation.override(settings.LANGUAGE_CODE):
        return organization.get_absolute_url()


def render_documents(template, chunks, context, progress=None):
    """Render ``template`` once per chunk of items and join all pages into one PDF (bytes)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    stylesheets = pdf_stylesheets(font_config)
    documents = []
    done = 0
    for chunk in chunks:
        html = render_to_string(template, {**context, "items": chunk})
        documents.append(HTML(string=html, base_url=str(settings.MEDIA_ROOT)).render(
            stylesheets=stylesheets, font_config=font_config))
        done += len(chunk)
        if progress is not None:
            progress(done)
    if not documents:
        html = render_to_string(template, {**context, "items": []})
        documents.append(HTML(string=html).render(stylesheets=stylesheets, font_config=font_config))
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def _chunks(items, size=CHUNK):
    return [items[i:i + size] for i in range(0, len(items), size)]


def edition_badges(edition):
    """Active badges of every exhibitor to place, in stand order (then organization), made if needed."""
    with scopes_disabled():
        applications = list(exhibitors_to_place(edition).select_related("organization", "pole"))
        participations = {p.application_id: p for p in Participation.objects.filter(edition=edition)}
        badges = []
        for application in applications:
            for badge in sync_badges(application, participations.get(application.pk)):
                badge.application = application
                badges.append(badge)
        stands = dict(StandAssignment.objects.filter(edition=edition).values_list("application_id", "stand__number"))
    badges.sort(key=lambda b: (stands.get(b.application_id) or "~", b.application.organization.name_ar, b.position))
    return badges


def badges_pdf(edition, badges, base_url="", progress=None):
    items = badge_items(badges, base_url)
    return render_documents("fairs/pdf/badges.html", _chunks(items), _edition_context(edition), progress)


def signs_pdf(edition, base_url="", progress=None):
    items = sign_items(edition, base_url)
    return render_documents("fairs/pdf/signs.html", _chunks(items, 20), _edition_context(edition), progress)


# ---- the background job --------------------------------------------------------------------------

def start_job(actor, edition, kind, *, base_url="", language="ar"):
    """Queue the PDF of all badges or all signs (a second click while one runs returns that one)."""
    from .tasks import build_documents_job

    with scopes_disabled():
        with transaction.atomic():
            active = (DocumentJob.objects.select_for_update()
                      .filter(edition=edition, kind=kind, status__in=["pending", "running"]).first())
            if active is not None:
                return active, False
            job = DocumentJob.objects.create(edition=edition, region_id=edition.region_id, kind=kind,
                                             created_by=actor, base_url=base_url[:200], language=language)
    try:
        build_documents_job.enqueue(job.pk)
    except Exception:
        logger.exception("could not enqueue document job %s", job.pk)
        with scopes_disabled(), translation.override(language):
            DocumentJob.objects.filter(pk=job.pk).update(
                status="failed", finished_at=timezone.now(),
                error=_("The documents could not be started. Try again in a few minutes."))
    return job, True


def execute_job(job_id):
    with scopes_disabled():
        with transaction.atomic():
            job = DocumentJob.objects.select_for_update().filter(pk=job_id).first()
            if job is None or job.status != "pending":
                return None
            job.status = "running"
            job.save(update_fields=["status"])
        edition = job.edition

        def progress(done):
            DocumentJob.objects.filter(pk=job.pk).update(done=done)

        try:
            with translation.override(job.language or "ar"):
                if job.kind == DocumentJob.Kind.BADGES:
                    badges = edition_badges(edition)
                    DocumentJob.objects.filter(pk=job.pk).update(total=len(badges))
                    pdf = badges_pdf(edition, badges, job.base_url, progress)
                    total = len(badges)
                else:
                    total = StandAssignment.objects.filter(edition=edition).values("stand").distinct().count()
                    DocumentJob.objects.filter(pk=job.pk).update(total=total)
                    pdf = signs_pdf(edition, job.base_url, progress)
        except Exception:
            logger.exception("document job %s failed", job.pk)
            with translation.override(job.language or "ar"):
                DocumentJob.objects.filter(pk=job.pk).update(
                    status="failed", finished_at=timezone.now(),
                    error=_("The documents could not be made because of an unexpected error. The team has been "
                            "told. Try again later."))
            job.refresh_from_db()
            return job
        job.refresh_from_db()
        # Stored under a name nobody can guess; served only through the staff download view.
        job.file.save(f"{job.kind}-{edition.pk}-{secrets.token_hex(12)}.pdf", ContentFile(pdf), save=False)
        job.total = total
        job.done = total
        job.status = "done"
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "total", "done", "status", "finished_at"])
    return job


def latest_jobs(edition):
    with scopes_disabled():
        return {kind: DocumentJob.objects.filter(edition=edition, kind=kind).select_related("created_by").first()
                for kind in DocumentJob.Kind.values}
