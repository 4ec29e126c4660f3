"""Attendance: the door check-in (a phone camera reads the registration's QR code, or staff type
the code, or find the person by name), attendance lists, certificates, and the trainer's own sessions.

Staff of the edition's region and the session's own speakers (trainers with an account) take
attendance; partner viewers read the lists. Another region's session is a 404, a role without the
right a 403.
"""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from tadamon.core.decorators import permission_required, refuse

from .. import services
from ..documents import attendance_xlsx
from ..forms import CodeForm, WalkInForm
from ..models import Certificate, Registration, Session
from .public import certificate_response

ATTENDANCE = "programme.attendance"


def _session(request, pk, perm="programme.take_attendance"):
    with scopes_disabled():
        session = get_object_or_404(Session.objects.select_related("edition__region", "space", "slot"), pk=pk)
    if not request.user.has_perm(perm, session):
        refuse(request, session.region_id)
    return session


@permission_required("programme.lead")
def my_sessions(request):
    """The sessions the signed-in speaker or trainer leads, with their registrations and attendance."""
    with scopes_disabled():
        sessions = list(Session.objects.filter(speakers__user=request.user).select_related("edition", "space")
                        .distinct().order_by("starts_at", "pk"))
        counts = services.session_counts(sessions)
        certificates = dict(
            Certificate.objects.filter(registration__session__in=sessions).values_list("registration__session_id")
            .annotate(n=Count("id")))
    cut = timezone.now() - timedelta(hours=12)
    rows = [(s, counts[s.pk], certificates.get(s.pk, 0), services.feedback_summary(s)) for s in sessions]
    return render(request, "programme/manage/my_sessions.html", {
        "upcoming": [r for r in rows if r[0].starts_at is None or r[0].starts_at >= cut],
        "past": [r for r in rows if r[0].starts_at is not None and r[0].starts_at < cut],
    })


@permission_required(ATTENDANCE)
def checkin(request, pk):
    """The door of a session: scan a QR code, type its code, or find a name in the list."""
    session = _session(request, pk)
    code_form, walk_in_form = CodeForm(), WalkInForm()
    if request.method == "POST":
        action = request.POST.get("action", "code")
        try:
            if action == "code":
                code_form = CodeForm(request.POST)
                if code_form.is_valid():
                    registration = services.find_by_code(_code_from(code_form.cleaned_data["code"]))
                    if registration is None:
                        messages.error(request, _("No registration has this code. Check the letters, or find the "
                                                  "person by name."))
                    else:
                        _checked(request, *services.check_in(request.user, registration, session=session,
                                                             request=request))
                        return redirect("programme:checkin", pk=session.pk)
            elif action == "registration":
                with scopes_disabled():
                    registration = get_object_or_404(Registration, pk=request.POST.get("registration") or 0,
                                                     session=session)
                _checked(request, *services.check_in(request.user, registration, session=session, request=request))
                return redirect(f"{request.path}?q={request.POST.get('q', '')}")
            elif action == "walk_in":
                walk_in_form = WalkInForm(request.POST)
                if walk_in_form.is_valid():
                    registration = services.add_walk_in(request.user, session, request=request,
                                                        **walk_in_form.cleaned_data)
                    _checked(request, registration, True)
                    return redirect("programme:checkin", pk=session.pk)
        except services.ProgrammeError as error:
            messages.error(request, str(error))
    query = request.GET.get("q", "").strip()
    with scopes_disabled():
        registrations = Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED)
        if query:
            digits = services.normalize_phone(query)
            condition = Q(name__icontains=query) | Q(code__iexact=query) | Q(institution__icontains=query)
            if len(digits) >= 4:
                condition |= Q(phone__contains=digits)
            registrations = registrations.filter(condition)
        found = list(registrations.select_related("certificate").order_by("checked_in_at", "name")[:100])
        counts = services.session_counts([session])[session.pk]
    return render(request, "programme/manage/checkin.html", {
        "session": session, "edition": session.edition, "code_form": code_form, "walk_in_form": walk_in_form,
        "registrations": found, "q": query, "counts": counts,
    })


def _code_from(text):
    """A scanned QR holds the check-in address; its last part is the code. A typed code is the code."""
    text = (text or "").strip().rstrip("/")
    return text.rsplit("/", 1)[-1] if "/" in text else text


def _checked(request, registration, new):
    if new:
        messages.success(request, _("Welcome, %(name)s: arrival recorded.") % {"name": registration.name})
    else:
        messages.info(request, _("%(name)s had already arrived.") % {"name": registration.name})


@permission_required(ATTENDANCE)
def checkin_code(request, code):
    """The address in the registration's QR code: staff who scan it with the phone's own camera land
    here and confirm the arrival."""
    registration = services.find_by_code(code)
    if registration is None:
        return render(request, "programme/manage/checkin_code.html", {"registration": None}, status=404)
    session = _session(request, registration.session_id)
    if request.method == "POST":
        try:
            _checked(request, *services.check_in(request.user, registration, session=session, request=request))
            return redirect("programme:checkin", pk=session.pk)
        except services.ProgrammeError as error:
            messages.error(request, str(error))
    return render(request, "programme/manage/checkin_code.html", {"registration": registration, "session": session})


@permission_required(ATTENDANCE)
def attendance_list(request, pk):
    """The attendance list of a session as a spreadsheet (formula-safe)."""
    session = _session(request, pk, perm="programme.view_session")
    with scopes_disabled():
        registrations = list(Registration.objects.filter(session=session).exclude(
            status=Registration.Status.CANCELLED).select_related("certificate").order_by("status", "name"))
    response = HttpResponse(attendance_xlsx(session, registrations),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="tadamon-attendance-{session.pk}.xlsx"'
    return response


@permission_required(ATTENDANCE)
def certificate(request, pk, registration_pk):
    session = _session(request, pk, perm="programme.view_session")
    with scopes_disabled():
        registration = get_object_or_404(Registration, pk=registration_pk, session=session)
        found = Certificate.objects.filter(registration=registration).select_related(
            "registration__session__edition__region").first()
    if found is None:
        raise Http404
    return certificate_response(request, found)


urlpatterns = [
    path("manage/programme/mine/", my_sessions, name="my_sessions"),
    path("manage/programme/sessions/<int:pk>/check-in/", checkin, name="checkin"),
    path("manage/programme/check-in/<str:code>/", checkin_code, name="checkin_code"),
    path("manage/programme/sessions/<int:pk>/attendance.xlsx", attendance_list, name="attendance_xlsx"),
    path("manage/programme/sessions/<int:pk>/registrations/<int:registration_pk>/certificate.pdf", certificate,
         name="staff_certificate"),
]
