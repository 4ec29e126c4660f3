"""Public pages of the programme: an edition's programme (by day, space and audience), "now and
next" for the venue's screens, a session's page, calendars, registration and the person's own
registration page (reached with its signed link), and the verification of certificates.

Everything is read inside ``scopes_disabled()`` and limited to editions that are not drafts.
"""

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from tadamon.core.decorators import login_required, public
from tadamon.core.pagecache import cached_for_visitors
from tadamon.fairs.models import Edition

from .. import ics, services
from ..forms import FeedbackForm, RegistrationForm
from ..models import Audience, Certificate, Feedback, Registration, Session, Space, Speaker

PUBLIC_STATUSES = [s for s in Edition.Status.values if s != Edition.Status.DRAFT]
SESSION_KEY = "programme_registrations"


def _public_sessions():
    return (Session.objects.filter(edition__status__in=PUBLIC_STATUSES)
            .select_related("edition__region", "space", "slot")
            .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.all())))


def _public_edition(pk):
    return get_object_or_404(Edition.objects.select_related("region").filter(status__in=PUBLIC_STATUSES), pk=pk)


def _remember(request, registration):
    """Keep the registration in the browser's session, so that the session page shows it again."""
    kept = [pk for pk in request.session.get(SESSION_KEY, []) if pk != registration.pk][-19:]
    request.session[SESSION_KEY] = [*kept, registration.pk]


def _my_registration(request, session):
    query = Registration.objects.filter(session=session).exclude(status=Registration.Status.CANCELLED)
    if request.user.is_authenticated:
        mine = query.filter(user=request.user).first()
        if mine:
            return mine
    kept = request.session.get(SESSION_KEY, [])
    return query.filter(pk__in=kept).first() if kept else None


@public
@cached_for_visitors("core", "fairs", "programme")
def programme_list(request):
    with scopes_disabled():
        editions = Edition.objects.filter(status__in=PUBLIC_STATUSES, sessions__isnull=False).select_related(
            "region").distinct()
        if request.region is not None:
            editions = editions.filter(region=request.region)
        editions = list(editions.order_by("-starts_on"))
    today = timezone.localdate()
    upcoming = [e for e in editions if e.ends_on >= today]
    past = [e for e in editions if e.ends_on < today]
    return render(request, "programme/public/programme_list.html", {"upcoming": upcoming[::-1], "past": past})


@public
@cached_for_visitors("core", "fairs", "programme")
def edition_programme(request, pk):
    """The programme of an edition, one day at a time (or all days), filtered by space and audience."""
    with scopes_disabled():
        edition = _public_edition(pk)
        sessions = list(_public_sessions().filter(edition=edition, starts_at__isnull=False).order_by(
            "starts_at", "space__position", "pk"))
        spaces = list(Space.objects.filter(edition=edition))
    days = sorted({timezone.localtime(s.starts_at).date() for s in sessions})
    day = request.GET.get("day", "")
    chosen_day = None
    if day == "all":
        chosen_day = "all"
    else:
        try:
            chosen_day = date.fromisoformat(day)
        except ValueError:
            chosen_day = None
        if chosen_day not in days:
            today = timezone.localdate()
            chosen_day = today if today in days else (days[0] if days else "all")
    space = request.GET.get("space", "")
    audience = request.GET.get("audience", "")
    shown = sessions
    if chosen_day != "all":
        shown = [s for s in shown if timezone.localtime(s.starts_at).date() == chosen_day]
    if space.isdigit():
        shown = [s for s in shown if s.space_id == int(space)]
    if audience in Audience.values:
        shown = [s for s in shown if s.audience == audience]
    groups = {}
    for s in shown:
        groups.setdefault(timezone.localtime(s.starts_at).date(), []).append(s)
    return render(request, "programme/public/edition_programme.html", {
        "edition": edition, "days": days, "chosen_day": chosen_day, "groups": sorted(groups.items()),
        "spaces": spaces, "space": space, "audiences": Audience.choices, "audience": audience,
        "filtered": bool(space or audience), "count": len(shown),
    })


@public
def now_next(request, pk):
    """For the screens of the venue: what is on now and what comes next (refreshes by itself)."""
    with scopes_disabled():
        edition = _public_edition(pk)
        now = timezone.now()
        at = request.GET.get("at", "")
        if at:
            try:
                parsed = datetime.fromisoformat(at)
                now = timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
            except ValueError:
                pass
        sessions = _public_sessions().filter(edition=edition, starts_at__isnull=False)
        space = request.GET.get("space", "")
        if space.isdigit():
            sessions = sessions.filter(space_id=int(space))
        current = list(sessions.filter(starts_at__lte=now, ends_at__gt=now).order_by("space__position", "pk"))
        upcoming = list(sessions.filter(starts_at__gt=now).order_by("starts_at", "space__position")[:6])
    return render(request, "programme/public/now_next.html", {
        "edition": edition, "current": current, "upcoming": upcoming, "now": now,
        "refresh": 60, "space": space,
    })


def _ics_response(text, filename):
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public
def edition_ics(request, pk):
    with scopes_disabled():
        edition = _public_edition(pk)
        sessions = list(_public_sessions().filter(edition=edition, starts_at__isnull=False))
        text = ics.calendar(sessions, name=edition.title, host=request.get_host().split(":")[0] or "tadamon.ma",
                            url_for=lambda s: request.build_absolute_uri(s.get_absolute_url()))
    return _ics_response(text, f"tadamon-programme-{edition.pk}.ics")


@public
def session_ics(request, pk):
    with scopes_disabled():
        session = get_object_or_404(_public_sessions(), pk=pk, starts_at__isnull=False)
        text = ics.calendar([session], name=session.title, host=request.get_host().split(":")[0] or "tadamon.ma",
                            url_for=lambda s: request.build_absolute_uri(s.get_absolute_url()))
    return _ics_response(text, f"tadamon-session-{session.pk}.ics")


@public
def session_detail(request, pk):
    with scopes_disabled():
        session = get_object_or_404(_public_sessions(), pk=pk)
        mine = _my_registration(request, session)
        counts = services.session_counts([session])[session.pk]
        closed = services.registration_closed_reason(session)
        speakers = list(session.speakers.all())
    places = session.places
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.get_full_name(), "phone": request.user.phone}
    return render(request, "programme/public/session_detail.html", {
        "session": session, "edition": session.edition, "speakers": speakers, "mine": mine,
        "mine_token": services.registration_token(mine) if mine else "",
        "form": RegistrationForm(initial=initial, user=request.user), "closed_reason": closed,
        "places": places, "left": max(places - counts["confirmed"], 0) if places else None,
        "full": bool(places) and counts["confirmed"] >= places,
    })


@public
@require_POST
def register(request, pk):
    with scopes_disabled():
        session = get_object_or_404(_public_sessions(), pk=pk)
    form = RegistrationForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            registration, created = services.register(
                session, user=request.user, name=data["name"], phone=data["phone"], email=data.get("email", ""),
                institution=data["institution"], language=request.LANGUAGE_CODE, request=request)
        except services.ProgrammeError as error:
            messages.error(request, str(error))
            return redirect(session.get_absolute_url())
        _remember(request, registration)
        if not created:
            messages.info(request, _("You were already registered: here is your registration."))
        return redirect("programme:registration", token=services.registration_token(registration))
    with scopes_disabled():
        counts = services.session_counts([session])[session.pk]
        speakers = list(session.speakers.all())
    places = session.places
    return render(request, "programme/public/session_detail.html", {
        "session": session, "edition": session.edition, "speakers": speakers, "mine": None, "form": form,
        "closed_reason": services.registration_closed_reason(session), "places": places,
        "left": max(places - counts["confirmed"], 0) if places else None,
        "full": bool(places) and counts["confirmed"] >= places,
    }, status=400)


def _registration_or_404(token):
    registration = services.registration_from_token(token)
    if registration is None or registration.session.edition.status == Edition.Status.DRAFT:
        raise Http404
    return registration


@public
def registration_page(request, token):
    """The person's own registration: status, the QR code to show at the door, cancellation,
    the certificate and the feedback form."""
    import segno

    registration = _registration_or_404(token)
    with scopes_disabled():
        session = registration.session
        certificate = Certificate.objects.filter(registration=registration).first()
        feedback = Feedback.objects.filter(registration=registration).first()
    checkin_url = request.build_absolute_uri(reverse("programme:checkin_code", args=[registration.code]))
    qr_svg = ""
    if registration.status == Registration.Status.CONFIRMED:
        qr_svg = segno.make(checkin_url, error="m").svg_inline(scale=6, dark="#134a36", title=registration.code)
    return render(request, "programme/public/registration.html", {
        "registration": registration, "session": session, "edition": session.edition, "token": token,
        "qr_svg": qr_svg, "checkin_url": checkin_url, "certificate": certificate, "feedback": feedback,
        "position": services.waitlist_position(registration),
        "can_cancel": registration.is_active and registration.checked_in_at is None
        and (session.starts_at is None or session.starts_at > timezone.now()),
        "feedback_open": services.feedback_open(registration) and feedback is None,
        "feedback_form": FeedbackForm(),
    })


@public
@require_POST
def registration_cancel(request, token):
    registration = _registration_or_404(token)
    try:
        _cancelled, _promoted = services.cancel(request.user if request.user.is_authenticated else None,
                                                registration, request=request)
        messages.success(request, _("Your registration is cancelled. Thank you for freeing your place."))
    except services.ProgrammeError as error:
        messages.error(request, str(error))
    return redirect("programme:registration", token=token)


@public
@require_POST
def registration_feedback(request, token):
    registration = _registration_or_404(token)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a rating from 1 to 5."))
        return redirect("programme:registration", token=token)
    try:
        _feedback, created = services.leave_feedback(registration, form.cleaned_data["rating"],
                                                     form.cleaned_data["comment"], request=request)
        if created:
            messages.success(request, _("Thank you for your opinion."))
        else:
            messages.info(request, _("Your opinion was already recorded: one per registration."))
    except services.ProgrammeError as error:
        messages.error(request, str(error))
    return redirect("programme:registration", token=token)


def certificate_response(request, certificate):
    url = request.build_absolute_uri(certificate.get_absolute_url())
    with scopes_disabled():
        pdf = services.certificate_pdf(certificate, absolute_url=url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tadamon-certificate-{certificate.registration_id}.pdf"'
    return response


@public
def registration_certificate(request, token):
    registration = _registration_or_404(token)
    with scopes_disabled():
        certificate = Certificate.objects.filter(registration=registration).select_related(
            "registration__session__edition__region").first()
    if certificate is None:
        raise Http404
    return certificate_response(request, certificate)


@public
def certificate_verify(request, code):
    """Anyone holding a certificate's QR sees whether it is genuine; a forged code is "not valid" (404)."""
    with scopes_disabled():
        certificate = Certificate.objects.select_related("registration__session__edition__region").filter(
            code=code).first()
    if certificate is None:
        for verifier in services.certificate_verifiers:
            found = verifier(code)
            if found is not None:
                return render(request, "programme/public/certificate_verify.html", {"other": found})
        return render(request, "programme/public/certificate_verify.html", {"certificate": None}, status=404)
    registration = certificate.registration
    return render(request, "programme/public/certificate_verify.html", {
        "certificate": certificate, "registration": registration, "session": registration.session,
        "edition": registration.session.edition})


@login_required
def my_registrations(request):
    with scopes_disabled():
        registrations = list(Registration.objects.filter(user=request.user).select_related(
            "session__edition", "session__space").order_by("-session__starts_at"))
    rows = [(r, services.registration_token(r)) for r in registrations]
    upcoming_cut = timezone.now() - timedelta(hours=12)
    return render(request, "programme/public/my_registrations.html", {
        "upcoming": [(r, t) for r, t in rows if r.session.starts_at and r.session.starts_at >= upcoming_cut],
        "past": [(r, t) for r, t in rows if not (r.session.starts_at and r.session.starts_at >= upcoming_cut)],
    })


urlpatterns = [
    path("programme/", programme_list, name="programmes"),
    path("programme/<int:pk>/", edition_programme, name="edition"),
    path("programme/<int:pk>/now/", now_next, name="now_next"),
    path("programme/<int:pk>/programme.ics", edition_ics, name="edition_ics"),
    path("programme/sessions/<int:pk>/", session_detail, name="session"),
    path("programme/sessions/<int:pk>/session.ics", session_ics, name="session_ics"),
    path("programme/sessions/<int:pk>/register/", register, name="register"),
    path("programme/my-registrations/", my_registrations, name="my_registrations"),
    path("programme/registration/<str:token>/", registration_page, name="registration"),
    path("programme/registration/<str:token>/cancel/", registration_cancel, name="registration_cancel"),
    path("programme/registration/<str:token>/feedback/", registration_feedback, name="registration_feedback"),
    path("programme/registration/<str:token>/certificate.pdf", registration_certificate,
         name="registration_certificate"),
    path("certificates/<str:code>/", certificate_verify, name="certificate_verify"),
]
