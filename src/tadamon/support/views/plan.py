"""A participant's path, shared by the organization, its coach and the programme's staff: the plan
(stage, diagnosis radar, group trainings, coaching sessions, action items, funding), the diagnosis
questionnaire, coaching sessions and their reports (written on a phone), action items, and the
funding file with its documents.

Who: the organization's approved representatives, the participant's coach (trainer role), regional
staff of the region (partners read). Someone working in the region without the right gets 403;
anyone else 404 (another organization's plan does not exist for them).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from tadamon.core.decorators import login_required, permission_required, refuse
from tadamon.core.text import posted_text
from tadamon.core.views import private_file

from .. import funding as funding_services
from .. import services
from ..forms import ActionForm, DiagnosisForm, DocumentForm, FundingFileForm, ReportForm, ScheduleForm
from ..models import (
    ActionItem,
    Axis,
    CoachingSession,
    Diagnosis,
    DiagnosisQuestion,
    FundingDocument,
    FundingFile,
    Participant,
)
from .public import radar_for


def get_participant(request, pk, perm="support.view_plan"):
    with scopes_disabled():
        participant = get_object_or_404(
            Participant.objects.select_related("organization", "cohort__programme", "coach"), pk=pk)
    if not request.user.has_perm(perm, participant):
        refuse(request, participant.region_id)
    return participant


@login_required
def plan(request, pk):
    participant = get_participant(request, pk)
    user = request.user
    with scopes_disabled():
        sessions = list(participant.coaching_sessions.select_related("coach"))
        funding = FundingFile.objects.filter(participant=participant).prefetch_related("tranches").first()
        context = {
            "participant": participant, "radar": radar_for(participant),
            "diagnoses": {d.kind: d for d in participant.diagnoses.all()},
            "trainings": services.trainings_of(participant),
            "sessions": sessions, "now": timezone.now(),
            "actions": list(participant.action_items.all()),
            "funding": funding,
            "paid": funding_services.paid_total(funding) if funding else 0,
            "can_work": user.has_perm("support.work_on", participant),
            "can_fund": user.has_perm("support.edit_funding", participant),
            "can_mark": user.has_perm("support.mark_done", participant),
            "can_manage": user.has_perm("support.manage_object", participant),
            "action_form": ActionForm(),
        }
        return render(request, "support/plan/plan.html", context)


@login_required
def diagnosis(request, pk, kind):
    if kind not in Diagnosis.Kind.values:
        raise Http404
    participant = get_participant(request, pk, "support.work_on")
    with scopes_disabled():
        questions = list(DiagnosisQuestion.objects.filter(programme=participant.cohort.programme))
        existing = Diagnosis.objects.filter(participant=participant, kind=kind).first()
        form = DiagnosisForm(request.POST or None, questions=questions,
                             initial_answers=existing.answers if existing else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.save_diagnosis(request.user, participant, kind, form.answers(), request=request)
            except services.SupportError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The diagnosis is saved."))
                return redirect("support:plan", pk=participant.pk)
        groups = [(label, [form[f"q{q.pk}"] for q in questions if q.axis == key]) for key, label in Axis.choices]
        return render(request, "support/plan/diagnosis.html", {
            "participant": participant, "form": form, "groups": [g for g in groups if g[1]],
            "kind_label": Diagnosis.Kind(kind).label, "questions": questions})


@login_required
def schedule(request, pk):
    participant = get_participant(request, pk, "support.work_on")
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with scopes_disabled():
                services.schedule_coaching(request.user, participant, scheduled_at=form.cleaned_data["scheduled_at"],
                                           place=form.cleaned_data["place"], request=request)
        except services.SupportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The coaching session is scheduled."))
            return redirect("support:plan", pk=participant.pk)
    return render(request, "support/plan/form.html", {"participant": participant, "form": form,
                                                      "title": _("Schedule a coaching session")})


@login_required
def report(request, pk):
    """The coach writes the report of a session that took place, with the actions agreed."""
    with scopes_disabled():
        session = get_object_or_404(CoachingSession.objects.select_related("participant__organization",
                                                                           "participant__cohort"), pk=pk)
    if not request.user.has_perm("support.work_on", session):
        refuse(request, session.region_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_coaching(request.user, session, report=form.cleaned_data["report"],
                                     duration_minutes=form.cleaned_data["duration_minutes"],
                                     actions=form.actions(), request=request)
        except services.SupportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The report is saved."))
            return redirect("support:plan", pk=session.participant_id)
    return render(request, "support/plan/report.html", {"session": session, "participant": session.participant,
                                                        "form": form})


@login_required
@require_POST
def cancel_session(request, pk):
    with scopes_disabled():
        session = get_object_or_404(CoachingSession, pk=pk)
    if not request.user.has_perm("support.work_on", session):
        refuse(request, session.region_id)
    try:
        services.cancel_coaching(request.user, session, reason=posted_text(request, "reason", services.SupportError),
                                 request=request)
        messages.success(request, _("The coaching session is cancelled."))
    except services.SupportError as error:
        messages.error(request, str(error))
    return redirect("support:plan", pk=session.participant_id)


@login_required
@require_POST
def add_action(request, pk):
    participant = get_participant(request, pk, "support.work_on")
    form = ActionForm(request.POST)
    if form.is_valid():
        with scopes_disabled():
            services.add_action(request.user, participant, text=form.cleaned_data["text"],
                                due_on=form.cleaned_data["due_on"], request=request)
        messages.success(request, _("The action is added to the plan."))
    else:
        messages.error(request, _("Say what must be done and by when."))
    return redirect("support:plan", pk=participant.pk)


@login_required
@require_POST
def action_done(request, pk):
    with scopes_disabled():
        item = get_object_or_404(ActionItem.objects.select_related("participant__organization"), pk=pk)
    if not request.user.has_perm("support.mark_done", item):
        refuse(request, item.region_id)
    services.mark_done(request.user, item, request=request)
    messages.success(request, _("Marked as done."))
    return redirect("support:plan", pk=item.participant_id)


@login_required
def funding(request, pk):
    """The funding file: the business plan fields while it is prepared, then its decision, tranches,
    repayments and documents."""
    participant = get_participant(request, pk, "support.edit_funding")
    with scopes_disabled():
        file = FundingFile.objects.filter(participant=participant).first()
        editable = file is None or file.status == FundingFile.Status.DRAFT
        form = FundingFileForm(request.POST if request.method == "POST" and editable else None, instance=file)
        document_form = DocumentForm()
        if request.method == "POST" and editable and form.is_valid():
            try:
                data = {k: form.cleaned_data[k] for k in funding_services.FILE_FIELDS}
                file = funding_services.save_file(request.user, participant, data, request=request)
                if request.POST.get("send"):
                    funding_services.submit_file(request.user, file, request=request)
                    messages.success(request, _("The funding file is sent for decision."))
                else:
                    messages.success(request, _("Saved. You can come back to it."))
                return redirect("support:funding", pk=participant.pk)
            except funding_services.SupportError as error:
                form.add_error(None, str(error))
        context = {"participant": participant, "file": file, "form": form, "editable": editable,
                   "document_form": document_form,
                   "documents": list(file.documents.all()) if file else [],
                   "tranches": list(file.tranches.all()) if file else [],
                   "repayments": list(file.repayments.all()) if file else [],
                   "paid": funding_services.paid_total(file) if file else 0}
        return render(request, "support/plan/funding.html", context)


@login_required
@require_POST
def upload_document(request, pk):
    participant = get_participant(request, pk, "support.edit_funding")
    with scopes_disabled():
        file = get_object_or_404(FundingFile, participant=participant)
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            funding_services.add_document(request.user, file, title=form.cleaned_data["title"],
                                          cleaned_file=form.cleaned_data["file"], request=request)
            messages.success(request, _("The document is added."))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    return redirect("support:funding", pk=participant.pk)


@login_required
def funding_document(request, pk):
    """A document of a funding file: for the organization and the region's team, never a public link."""
    with scopes_disabled():
        document = get_object_or_404(FundingDocument.objects.select_related("funding__participant__organization"),
                                     pk=pk)
    if not request.user.has_perm("support.read_funding", document.funding):
        refuse(request, document.region_id)
    return private_file(document.file)


@permission_required("support.coach")
def caseload(request):
    """The coach's organizations: next session, sessions waiting for their report, open actions."""
    return render(request, "support/plan/caseload.html", {"participants": services.caseload(request.user)})


urlpatterns = [
    path("support/plan/<int:pk>/", plan, name="plan"),
    path("support/plan/<int:pk>/diagnosis/<slug:kind>/", diagnosis, name="diagnosis"),
    path("support/plan/<int:pk>/coaching/new/", schedule, name="schedule"),
    path("support/plan/<int:pk>/actions/new/", add_action, name="add_action"),
    path("support/plan/<int:pk>/funding/", funding, name="funding"),
    path("support/plan/<int:pk>/funding/documents/", upload_document, name="upload_document"),
    path("support/coaching/<int:pk>/report/", report, name="report"),
    path("support/coaching/<int:pk>/cancel/", cancel_session, name="cancel_session"),
    path("support/actions/<int:pk>/done/", action_done, name="action_done"),
    path("support/coach/", caseload, name="caseload"),
    path("support/documents/<int:pk>/", funding_document, name="funding_document"),
]
