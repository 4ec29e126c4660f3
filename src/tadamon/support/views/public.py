"""The public side and the applicant's side: the incubator's page, a programme and its cohorts, a
cohort's call (its rules, checked against the visitor's own organizations), applying, and the
applications and plans of the organizations a user represents.

Public pages read region-owned data with ``scopes_disabled()`` and show only public programmes.
Applying needs an account that represents the organization (checked by the service).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from tadamon.core.decorators import login_required, public
from tadamon.core.models import Region
from tadamon.fairs.views.apply import represented_organizations

from .. import services
from ..forms import ApplyForm
from ..indicators import indicators, labelled
from ..models import Application, Cohort, Participant, Programme
from ..radar import radar_svg


def _public_programmes():
    return Programme.objects.filter(is_public=True).select_related("region").prefetch_related("partners")


@public
def incubator(request):
    """The regional cooperative incubator: programmes, open calls, incubated organizations by stage,
    graduates."""
    region = request.region
    with scopes_disabled():
        programmes = _public_programmes()
        participants = Participant.objects.filter(cohort__programme__is_public=True).exclude(
            stage=Participant.Stage.WITHDRAWN).select_related("organization", "cohort__programme")
        cohorts = Cohort.objects.filter(programme__is_public=True)
        if region is not None:
            programmes, participants = programmes.filter(region=region), participants.filter(region=region)
            cohorts = cohorts.filter(region=region)
        participants = list(participants.order_by("organization__name_ar")[:300])
        figures = labelled(indicators(cohorts))
        context = {
            "region": region, "programmes": list(programmes), "open_cohorts": services.open_cohorts(region),
            "incubated": [p for p in participants if p.stage != Participant.Stage.GRADUATED],
            "graduates": [p for p in participants if p.stage == Participant.Stage.GRADUATED],
            "figures": [f for f in figures if f[2] is not None],
            "regions": Region.objects.all(),
        }
        return render(request, "support/public/incubator.html", context)


@public
def programme(request, pk):
    with scopes_disabled():
        obj = get_object_or_404(_public_programmes(), pk=pk)
        cohorts = list(obj.cohorts.order_by("-starts_on"))
        return render(request, "support/public/programme.html", {
            "programme": obj, "cohorts": cohorts, "open_ids": {c.pk for c in services.open_cohorts(obj.region)}})


@public
def cohort(request, pk):
    """A cohort's call: dates, rules, and — for a signed-in representative — whether each of their
    organizations meets them, read from the registry."""
    with scopes_disabled():
        obj = get_object_or_404(Cohort.objects.filter(programme__is_public=True).select_related("programme"), pk=pk)
        checks = []
        if request.user.is_authenticated:
            for organization in represented_organizations(request.user):
                checks.append((organization, services.eligibility_failures(obj, organization)))
        return render(request, "support/public/cohort.html", {
            "cohort": obj, "sectors": list(obj.sectors.all()), "provinces": list(obj.provinces.all()),
            "open": services.call_is_open(obj), "checks": checks})


@login_required
def apply(request, pk):
    with scopes_disabled():
        obj = get_object_or_404(Cohort.objects.filter(programme__is_public=True).select_related("programme"), pk=pk)
        organizations = represented_organizations(request.user)
        if not services.call_is_open(obj):
            messages.error(request, _("The call of this cohort is not open."))
            return redirect("support:cohort", pk=obj.pk)
        if not organizations.exists():
            messages.warning(request, _("To apply, first register your organization or ask to represent it."))
            return redirect("registry:my_organizations")
        form = ApplyForm(request.POST or None, organizations=organizations,
                         initial={"organization": organizations.first()})
        if request.method == "POST" and form.is_valid():
            try:
                application, created = services.apply(request.user, obj, form.cleaned_data["organization"],
                                                      motivation=form.cleaned_data["motivation"], request=request)
            except services.SupportError as error:
                form.add_error(None, str(error))
            else:
                if not created:
                    messages.info(request, _("Your organization already applied to this cohort."))
                elif application.status == Application.Status.INELIGIBLE:
                    messages.warning(request, _("Your application is recorded, but your organization does not "
                                                "meet the rules of this call: see why below."))
                else:
                    messages.success(request, _("Your application is sent. The programme's team will answer you "
                                                "here."))
                return redirect("support:mine")
        checks = [(o, services.eligibility_failures(obj, o)) for o in organizations]
        return render(request, "support/public/apply.html", {"cohort": obj, "form": form, "checks": checks})


@login_required
def mine(request):
    """The applications and plans of the organizations the user represents."""
    with scopes_disabled():
        applications = list(Application.objects.filter(
            organization__in=represented_organizations(request.user)).select_related(
            "cohort__programme", "organization").order_by("-created_at"))
        plans = {p.application_id: p for p in services.participations_of(request.user)}
        for application in applications:
            application.plan = plans.get(application.pk)
        return render(request, "support/public/mine.html", {"applications": applications,
                                                            "open_cohorts": services.open_cohorts()})


@login_required
@require_POST
def withdraw(request, pk):
    with scopes_disabled():
        application = get_object_or_404(Application, pk=pk)
        if not services.represents(request.user, application.organization):
            raise Http404
        try:
            services.withdraw(request.user, application, request=request)
            messages.success(request, _("Your application is withdrawn."))
        except services.SupportError as error:
            messages.error(request, str(error))
    return redirect("support:mine")


def radar_for(participant):
    """The participant's radar chart (initial dashed, final filled), or None without a diagnosis."""
    found = services.profiles(participant)
    if not found:
        return None
    return radar_svg(services.axes(), found.get("baseline"), found.get("final"), title=_("Diagnosis profile"))


urlpatterns = [
    path("support/", incubator, name="incubator"),
    path("support/programmes/<int:pk>/", programme, name="programme"),
    path("support/cohorts/<int:pk>/", cohort, name="cohort"),
    path("support/cohorts/<int:pk>/apply/", apply, name="apply"),
    path("support/mine/", mine, name="mine"),
    path("support/applications/<int:pk>/withdraw/", withdraw, name="withdraw"),
]
