"""Staff screens of the programme: an edition's sessions, spaces, speakers and time slots, the
grid where sessions are placed (by hand, with live conflict warnings, or by the automatic
scheduler), and the figures of a communication day.

Regional staff build their region's programmes, national administrators every region, partner
viewers read. Editions and their children are read through scoped managers, so another region's
are 404; a role without the right is 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tadamon.core import activity
from tadamon.core.decorators import permission_required
from tadamon.fairs.models import Edition

from .. import services
from ..forms import PlaceForm, SessionForm, SlotsForm, SpaceForm, SpeakerForm
from ..models import Registration, ScheduleRun, Session, Space, Speaker, TimeSlot

VIEW = "programme.view"
MANAGE = "programme.manage"


def _edition(request, pk, manage=False):
    edition = get_object_or_404(Edition.objects.select_related("region"), pk=pk)
    if not request.user.has_perm("programme.manage_edition" if manage else "programme.view_edition", edition):
        raise PermissionDenied
    return edition


def _session(request, pk, manage=False):
    session = get_object_or_404(Session.objects.select_related("edition__region", "space", "slot"), pk=pk)
    if not request.user.has_perm("programme.manage_edition" if manage else "programme.view_edition", session):
        raise PermissionDenied
    return session


def edition_url(edition):
    return reverse("programme:manage_edition", args=[edition.pk])


@permission_required(VIEW)
def edition_list(request):
    editions = Edition.objects.select_related("region").annotate(n_sessions=Count("sessions", distinct=True))
    return render(request, "programme/manage/edition_list.html", {"editions": editions})


@permission_required(VIEW)
def edition_admin(request, pk):
    edition = _edition(request, pk)
    sessions = list(Session.objects.filter(edition=edition).select_related("space", "slot")
                    .prefetch_related("speakers").order_by("starts_at", "pk"))
    counts = services.session_counts(sessions)
    rows = [(s, counts[s.pk]) for s in sessions]
    summary = services.participants_summary(edition)
    return render(request, "programme/manage/edition_admin.html", {
        "edition": edition, "rows": rows, "spaces": Space.objects.filter(edition=edition),
        "speakers": Speaker.objects.filter(region=edition.region),
        "slot_count": TimeSlot.objects.filter(edition=edition).count(),
        "settings": getattr(edition, "programme_settings", None),
        "unplaced": sum(1 for s in sessions if not s.is_placed),
        "summary": summary, "is_day": edition.kind == Edition.Kind.COMMUNICATION_DAY,
        "can_manage": request.user.has_perm("programme.manage_edition", edition),
    })


@permission_required(MANAGE)
def slots(request, pk):
    edition = _edition(request, pk, manage=True)
    current = services.programme_settings(edition)
    initial = {"slot_minutes": current.slot_minutes, "gap_minutes": current.gap_minutes,
               "day_starts": current.day_starts or edition.opens_at or "09:00",
               "day_ends": current.day_ends or edition.closes_at or "18:00"}
    form = SlotsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            n = services.generate_slots(request.user, edition, request=request, **form.cleaned_data)
            messages.success(request, _("%(n)s time slots are ready.") % {"n": n})
            return redirect("programme:manage_grid", pk=edition.pk)
        except services.ProgrammeError as error:
            messages.error(request, str(error))
    return render(request, "programme/manage/form.html", {
        "form": form, "edition": edition, "title": _("Time slots"),
        "intro": _("Every day of the edition is cut into slots between these hours. Sessions start at a slot and "
                   "last one or more slots.")})


def _save(request, form, saver):
    """Run ``saver`` on a valid posted form; the saved object, or None (the form shows the errors)."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = saver(request.user, form, request=request)
        except services.ProgrammeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
            return obj
    return None


@permission_required(MANAGE)
def space_edit(request, pk, space_pk=None):
    edition = _edition(request, pk, manage=True)
    space = get_object_or_404(Space, pk=space_pk, edition=edition) if space_pk else None
    form = SpaceForm(request.POST or None, instance=space, edition=edition)
    if _save(request, form, services.save_space):
        return redirect(f"{edition_url(edition)}#spaces")
    return render(request, "programme/manage/form.html", {
        "form": form, "edition": edition, "title": space.name if space else _("New space")})


@permission_required(MANAGE)
def speaker_edit(request, pk, speaker_pk=None):
    edition = _edition(request, pk, manage=True)
    speaker = get_object_or_404(Speaker, pk=speaker_pk, region=edition.region) if speaker_pk else None
    form = SpeakerForm(request.POST or None, request.FILES or None, instance=speaker, edition=edition)
    if _save(request, form, services.save_speaker):
        return redirect(f"{edition_url(edition)}#speakers")
    return render(request, "programme/manage/form.html", {
        "form": form, "edition": edition, "title": speaker.name if speaker else _("New speaker"), "multipart": True})


@permission_required(MANAGE)
def session_edit(request, pk, session_pk=None):
    edition = _edition(request, pk, manage=True)
    session = get_object_or_404(Session, pk=session_pk, edition=edition) if session_pk else None
    form = SessionForm(request.POST or None, instance=session, edition=edition)
    saved = _save(request, form, services.save_session)
    if saved:
        return redirect("programme:manage_session", pk=saved.pk)
    return render(request, "programme/manage/form.html", {
        "form": form, "edition": edition, "title": session.title if session else _("New session")})


@permission_required(VIEW)
def grid(request, pk):
    """Days × spaces: where each session sits, the unplaced ones, a form per session to place it,
    the conflicts of the whole grid and the automatic scheduler."""
    edition = _edition(request, pk)
    can_manage = request.user.has_perm("programme.manage_edition", edition)
    spaces = list(Space.objects.filter(edition=edition))
    by_day = services.slots_by_day(edition)
    sessions = list(Session.objects.filter(edition=edition).select_related("slot", "space")
                    .prefetch_related("speakers").order_by("starts_at", "pk"))
    # cell (slot id, space id) -> sessions covering it (the first slot holds the session, the others "continued")
    cells = {}
    for s in sessions:
        if not s.is_placed:
            continue
        covered = services.covered_slots(s.slot, s.duration_slots, by_day.get(s.slot.day)) or [s.slot]
        for i, slot in enumerate(covered):
            cells.setdefault((slot.pk, s.space_id), []).append((s, i > 0))
    days = []
    for day, day_slots in by_day.items():
        rows = [(slot, [cells.get((slot.pk, sp.pk), []) for sp in spaces]) for slot in day_slots]
        days.append((day, rows))
    chosen = request.GET.get("day", "")
    day_keys = [d.isoformat() for d, _rows in days]
    if chosen not in day_keys:
        today = timezone.localdate().isoformat()
        chosen = today if today in day_keys else (day_keys[0] if day_keys else "")
    forms = []
    for s in sessions:
        forms.append((s, PlaceForm(initial={"slot": s.slot_id, "space": s.space_id}, edition=edition,
                                   prefix=f"s{s.pk}")))
    warnings = services.conflicts(edition) if sessions and spaces and by_day else []
    return render(request, "programme/manage/grid.html", {
        "edition": edition, "spaces": spaces, "days": days, "chosen_day": chosen, "forms": forms,
        "warnings": warnings, "can_manage": can_manage, "unplaced": [s for s in sessions if not s.is_placed],
        "run": ScheduleRun.objects.filter(edition=edition).first(), "has_slots": bool(by_day),
    })


def _place_form(request, session):
    return PlaceForm(request.POST, edition=session.edition, prefix=f"s{session.pk}")


@permission_required(MANAGE)
@require_POST
def place(request, pk):
    session = _session(request, pk, manage=True)
    form = _place_form(request, session)
    back = reverse("programme:manage_grid", args=[session.edition_id])
    day = request.POST.get("day", "")
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or _("Choose a time and a space from the lists."))
        return redirect(f"{back}?day={day}#session-{session.pk}")
    try:
        services.place_session(request.user, session, form.cleaned_data["slot"], form.cleaned_data["space"],
                               request=request)
        if form.cleaned_data["slot"]:
            messages.success(request, _("“%(s)s” is placed.") % {"s": session.title})
            day = form.cleaned_data["slot"].day.isoformat()
        else:
            messages.success(request, _("“%(s)s” is out of the grid.") % {"s": session.title})
    except services.ProgrammeError as error:
        messages.error(request, str(error))
    return redirect(f"{back}?day={day}#session-{session.pk}")


@permission_required(MANAGE)
@require_POST
def place_check(request, pk):
    """Live warnings (htmx): what the grid would complain about if this session moved there."""
    session = _session(request, pk, manage=True)
    form = _place_form(request, session)
    warnings = []
    if form.is_valid():
        slot, space = form.cleaned_data["slot"], form.cleaned_data["space"]
        if slot is not None and services.covered_slots(slot, session.duration_slots) is None:
            warnings.append(_("This session lasts %(n)s slots: it does not fit before the end of the day.")
                            % {"n": session.duration_slots})
        else:
            before = set(services.conflicts(session.edition))
            after = services.conflicts_if(session.edition, session, slot.pk if slot else None,
                                          space.pk if space else None)
            warnings = [w for w in after if w not in before]
    else:
        warnings = [" ".join(form.non_field_errors())]
    return render(request, "programme/manage/place_warnings.html", {"warnings": warnings, "session": session,
                                                                     "checked": form.is_valid()})


@permission_required(MANAGE)
@require_POST
def schedule(request, pk):
    edition = _edition(request, pk, manage=True)
    if not TimeSlot.objects.filter(edition=edition).exists() or not Space.objects.filter(edition=edition).exists():
        messages.error(request, _("Create the time slots and at least one space before scheduling."))
        return redirect("programme:manage_grid", pk=edition.pk)
    run, created = services.start_schedule_run(request.user, edition, request=request)
    if not created:
        messages.info(request, _("The scheduler is already working on this programme."))
    return redirect("programme:manage_run", pk=run.pk)


@permission_required(VIEW)
def run_detail(request, pk):
    run = get_object_or_404(ScheduleRun.objects.select_related("edition__region", "created_by"), pk=pk)
    edition = _edition(request, run.edition_id)
    if request.htmx:
        if run.running:
            return render(request, "programme/manage/run_status.html", {"run": run})
        from django_htmx.http import HttpResponseClientRefresh

        return HttpResponseClientRefresh()
    return render(request, "programme/manage/run.html", {"run": run, "edition": edition,
                                                         "result": run.result or {}})


@permission_required(VIEW)
def session_admin(request, pk):
    session = _session(request, pk)
    return _session_page(request, session)


def _session_page(request, session):
    registrations = list(Registration.objects.filter(session=session).select_related("certificate")
                         .order_by("status", "queued_at", "pk"))
    counts = services.session_counts([session])[session.pk]
    can_manage = request.user.has_perm("programme.manage_edition", session)
    activity.personal_data_viewed(request, session)  # the registered people's names and phones
    return render(request, "programme/manage/session.html", {
        "session": session, "edition": session.edition, "registrations": registrations, "counts": counts,
        "feedback": services.feedback_summary(session), "can_manage": can_manage,
        "can_attend": request.user.has_perm("programme.take_attendance", session),
        "speakers": session.speakers.all(),
        "place_form": PlaceForm(initial={"slot": session.slot_id, "space": session.space_id},
                                edition=session.edition, prefix=f"s{session.pk}") if can_manage else None,
    })


@permission_required(VIEW)
def participants(request, pk):
    """A communication or training day: how many came and from which institutions."""
    edition = _edition(request, pk)
    summary = services.participants_summary(edition)
    if request.GET.get("format") == "xlsx":
        from ..documents import institutions_xlsx

        response = HttpResponse(institutions_xlsx(edition, summary),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="tadamon-participants-{edition.pk}.xlsx"'
        return response
    return render(request, "programme/manage/participants.html", {"edition": edition, "summary": summary})


urlpatterns = [
    path("manage/programme/", edition_list, name="manage_editions"),
    path("manage/programme/<int:pk>/", edition_admin, name="manage_edition"),
    path("manage/programme/<int:pk>/slots/", slots, name="manage_slots"),
    path("manage/programme/<int:pk>/spaces/new/", space_edit, name="manage_space_new"),
    path("manage/programme/<int:pk>/spaces/<int:space_pk>/", space_edit, name="manage_space"),
    path("manage/programme/<int:pk>/speakers/new/", speaker_edit, name="manage_speaker_new"),
    path("manage/programme/<int:pk>/speakers/<int:speaker_pk>/", speaker_edit, name="manage_speaker"),
    path("manage/programme/<int:pk>/sessions/new/", session_edit, name="manage_session_new"),
    path("manage/programme/<int:pk>/sessions/<int:session_pk>/edit/", session_edit, name="manage_session_edit"),
    path("manage/programme/<int:pk>/grid/", grid, name="manage_grid"),
    path("manage/programme/<int:pk>/schedule/", schedule, name="manage_schedule"),
    path("manage/programme/<int:pk>/participants/", participants, name="manage_participants"),
    path("manage/programme/runs/<int:pk>/", run_detail, name="manage_run"),
    path("manage/programme/sessions/<int:pk>/", session_admin, name="manage_session"),
    path("manage/programme/sessions/<int:pk>/place/", place, name="manage_place"),
    path("manage/programme/sessions/<int:pk>/place/check/", place_check, name="manage_place_check"),
]
