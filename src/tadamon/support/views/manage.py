"""The programme team's screens: programmes and their questionnaire, cohorts and their call,
screening with reasons, participants (coach, stage, follow-up), group trainings linked to the
programme app's sessions, funding decisions, tranches and repayments, indicators.

Who: regional staff of the region and national administrators manage; partner viewers read.
Objects of another region are 404 (scoped managers); other roles get 403; anonymous users log in.
"""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from tadamon.core import activity
from tadamon.core.decorators import permission_required, refuse
from tadamon.programme.models import Session

from .. import funding as funding_services
from .. import services
from ..forms import (
    CohortForm,
    DecisionForm,
    FundingDecisionForm,
    LinkTrainingForm,
    ParticipantForm,
    ProgrammeForm,
    QuestionForm,
    TrancheForm,
)
from ..indicators import indicators, labelled
from ..models import Application, Cohort, FundingFile, Participant, Programme, Repayment

MANAGE, VIEW = "support.manage", "support.view"


def _check(request, obj, perm="support.manage_object"):
    if not request.user.has_perm(perm, obj):
        refuse(request, obj.region_id)
    return obj


@permission_required(VIEW)
def home(request):
    programmes = list(Programme.objects.prefetch_related("cohorts", "partners").select_related("region"))
    if request.region is not None:
        programmes = [p for p in programmes if p.region_id == request.region.pk]
    return render(request, "support/manage/home.html", {
        "programmes": programmes, "figures": labelled(indicators(Cohort.objects.all())),
        "can_manage": request.user.has_perm(MANAGE)})


@permission_required(MANAGE)
def programme_edit(request, pk=None):
    obj = _check(request, get_object_or_404(Programme, pk=pk)) if pk else None
    region = obj.region if obj else request.region
    if region is None:
        messages.error(request, _("Choose a region first (at the top of the page)."))
        return redirect("support:manage")
    form = ProgrammeForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            saved.region = region
            saved.save()
            form.save_m2m()
            activity.record(request.user, "support.programme_saved", saved, request=request)
        messages.success(request, _("Saved."))
        return redirect("support:manage_programme", pk=saved.pk)
    return render(request, "support/manage/form.html", {"form": form, "title": _("Support programme")})


@permission_required(VIEW)
def programme_admin(request, pk):
    obj = _check(request, get_object_or_404(Programme, pk=pk), "support.view_object")
    can_manage = request.user.has_perm("support.manage_object", obj)
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        _check(request, obj)
        if form.is_valid():
            question = form.save(commit=False)
            question.programme = obj
            with transaction.atomic():
                question.save()
                activity.record(request.user, "support.programme_saved", obj, after={"question": question.text_fr},
                                request=request)
            messages.success(request, _("The question is added to the diagnosis."))
            return redirect("support:manage_programme", pk=obj.pk)
    return render(request, "support/manage/programme.html", {
        "programme": obj, "cohorts": list(obj.cohorts.all()), "questions": list(obj.questions.all()),
        "form": form, "can_manage": can_manage, "figures": labelled(indicators(obj.cohorts.all()))})


@permission_required(MANAGE)
def cohort_edit(request, pk=None, programme_pk=None):
    obj = _check(request, get_object_or_404(Cohort, pk=pk)) if pk else None
    parent = obj.programme if obj else _check(request, get_object_or_404(Programme, pk=programme_pk))
    form = CohortForm(request.POST or None, instance=obj, region=parent.region)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = form.save(commit=False)
                saved.programme = parent
                saved.save()
                form.save_m2m()
                # The participants carry the cohort's dates: the database refuses a change that would
                # put one of them in two overlapping cohorts.
                saved.participants.update(starts_on=saved.starts_on, ends_on=saved.ends_on)
                activity.record(request.user, "support.cohort_saved", saved, request=request,
                                after={"starts_on": str(saved.starts_on), "ends_on": str(saved.ends_on)})
        except IntegrityError:
            form.add_error(None, _("With these dates, an organization of this cohort would be in two cohorts at "
                                   "once. Nothing was changed."))
        else:
            messages.success(request, _("Saved."))
            return redirect("support:manage_cohort", pk=saved.pk)
    return render(request, "support/manage/form.html", {"form": form, "title": _("Cohort and its call")})


@permission_required(VIEW)
def cohort_admin(request, pk):
    """Screening (eligibility and decisions with reasons), participants, trainings and figures."""
    obj = _check(request, get_object_or_404(Cohort.objects.select_related("programme"), pk=pk), "support.view_object")
    applications = list(obj.applications.select_related("organization__province", "organization__sector")
                        .order_by("status", "created_at"))
    participants = list(obj.participants.select_related("organization", "coach"))
    coaches = services.coaches_for(obj.region)
    sessions = Session.objects.filter(region=obj.region, kind="training").exclude(
        support_trainings__cohort=obj).select_related("edition").order_by("-starts_at")
    return render(request, "support/manage/cohort.html", {
        "cohort": obj, "applications": applications, "participants": participants,
        "participant_forms": [(p, ParticipantForm(instance=p, coaches=coaches, prefix=f"p{p.pk}"))
                              for p in participants],
        "decision_form": DecisionForm(), "link_form": LinkTrainingForm(sessions=sessions),
        "trainings": list(obj.trainings.select_related("session")),
        "figures": labelled(indicators(Cohort.objects.filter(pk=obj.pk))),
        "can_manage": request.user.has_perm("support.manage_object", obj)})


@permission_required(MANAGE)
@require_POST
def decide(request, pk):
    application = _check(request, get_object_or_404(Application, pk=pk))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("support:manage_cohort", pk=application.cohort_id)
    try:
        if form.cleaned_data["decision"] == "select":
            services.select(request.user, application, reason=form.cleaned_data["reason"], request=request)
            messages.success(request, _("Selected: %(o)s.") % {"o": application.organization})
        else:
            services.reject(request.user, application, reason=form.cleaned_data["reason"], request=request)
            messages.success(request, _("Not selected: %(o)s.") % {"o": application.organization})
    except services.SupportError as error:
        messages.error(request, str(error))
    return redirect("support:manage_cohort", pk=application.cohort_id)


@permission_required(MANAGE)
@require_POST
def participant_update(request, pk):
    participant = _check(request, get_object_or_404(Participant, pk=pk))
    form = ParticipantForm(request.POST, instance=Participant.objects.get(pk=pk),
                           coaches=services.coaches_for(participant.region), prefix=f"p{pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["coach"] != participant.coach:
                services.assign_coach(request.user, participant, data["coach"], request=request)
            if data["stage"] != participant.stage:
                services.set_stage(request.user, participant, data["stage"], request=request)
            if data["ceased_on"] != participant.ceased_on:
                services.record_followup(request.user, participant, data["ceased_on"], request=request)
            messages.success(request, _("Saved."))
        except services.SupportError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Check the coach, the stage and the date."))
    return redirect("support:manage_cohort", pk=participant.cohort_id)


@permission_required(MANAGE)
@require_POST
def link_training(request, pk):
    obj = _check(request, get_object_or_404(Cohort, pk=pk))
    form = LinkTrainingForm(request.POST, sessions=Session.objects.filter(region=obj.region, kind="training"))
    if form.is_valid():
        try:
            _training, registered = services.link_training(request.user, obj, form.cleaned_data["session"],
                                                           request=request)
            messages.success(request, _("The training is linked; %(n)s participants registered.") % {"n": registered})
        except services.SupportError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Choose a training workshop of the region."))
    return redirect("support:manage_cohort", pk=obj.pk)


@permission_required(VIEW)
def funding_admin(request, pk):
    """The decision on a funding file, its tranches and its repayment schedule."""
    file = _check(request, get_object_or_404(FundingFile.objects.select_related("participant__organization"), pk=pk),
                  "support.view_object")
    can_manage = request.user.has_perm("support.manage_object", file)
    decision_form, tranche_form = FundingDecisionForm(prefix="d"), TrancheForm(prefix="t")
    if request.method == "POST":
        _check(request, file)
        try:
            if "decide" in request.POST:
                decision_form = FundingDecisionForm(request.POST, prefix="d")
                if decision_form.is_valid():
                    d = decision_form.cleaned_data
                    funding_services.decide(request.user, file, approve=d["decision"] == "approve",
                                            amount=d["amount"] or 0, funder=d["funder"], reason=d["reason"],
                                            loan_months=d["loan_months"] or 0, grace_months=d["grace_months"] or 0,
                                            request=request)
                    messages.success(request, _("The decision is recorded."))
                    return redirect("support:manage_funding", pk=file.pk)
            elif "tranche" in request.POST:
                tranche_form = TrancheForm(request.POST, prefix="t")
                if tranche_form.is_valid():
                    t = tranche_form.cleaned_data
                    funding_services.add_tranche(request.user, file, amount=t["amount"], paid_on=t["paid_on"],
                                                 note=t["note"], request=request)
                    messages.success(request, _("The tranche is recorded."))
                    return redirect("support:manage_funding", pk=file.pk)
            elif "repaid" in request.POST:
                repayment = get_object_or_404(Repayment, pk=request.POST.get("repaid"), funding=file)
                funding_services.mark_repaid(request.user, repayment, request=request)
                return redirect("support:manage_funding", pk=file.pk)
        except funding_services.SupportError as error:
            messages.error(request, str(error))
    with scopes_disabled():
        documents = list(file.documents.all())
    return render(request, "support/manage/funding.html", {
        "file": file, "participant": file.participant, "decision_form": decision_form, "tranche_form": tranche_form,
        "tranches": list(file.tranches.all()), "repayments": list(file.repayments.all()), "documents": documents,
        "paid": funding_services.paid_total(file), "can_manage": can_manage})


urlpatterns = [
    path("manage/support/", home, name="manage"),
    path("manage/support/programmes/new/", programme_edit, name="programme_new"),
    path("manage/support/programmes/<int:pk>/", programme_admin, name="manage_programme"),
    path("manage/support/programmes/<int:pk>/edit/", programme_edit, name="programme_edit"),
    path("manage/support/programmes/<int:programme_pk>/cohorts/new/", cohort_edit, name="cohort_new"),
    path("manage/support/cohorts/<int:pk>/", cohort_admin, name="manage_cohort"),
    path("manage/support/cohorts/<int:pk>/edit/", cohort_edit, name="cohort_edit"),
    path("manage/support/cohorts/<int:pk>/trainings/", link_training, name="link_training"),
    path("manage/support/applications/<int:pk>/decide/", decide, name="decide"),
    path("manage/support/participants/<int:pk>/", participant_update, name="participant_update"),
    path("manage/support/funding/<int:pk>/", funding_admin, name="manage_funding"),
]
