"""The exhibitor's side of the fair, once selected: stand preferences (before the placements are
published), the names of the people on the stand (one badge each), and their badges as a PDF.

Only the organization's representatives see these pages (any other user gets a 404).
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from tadamon.core.decorators import login_required

from .. import badges, placement
from ..floor_forms import PreferencesForm, StaffNamesForm
from ..floor_models import Participation, Stand, StandAssignment
from ..floor_services import placements_published
from .apply import _own_application


def exhibitor_context(application):
    """What the exhibitor may see of its stand: nothing until the placements are published."""
    with scopes_disabled():
        edition = application.edition
        placed = (application.status in placement.PLACED_STATUSES and edition.selection_published_at is not None)
        published = placed and placements_published(edition)
        assignment = (StandAssignment.objects.filter(application=application)
                      .select_related("stand__pole", "stand__area").first() if published else None)
        neighbours = []
        if assignment is not None:
            neighbours = [a.application.organization for a in StandAssignment.objects.filter(
                stand=assignment.stand).exclude(application=application).select_related("application__organization")]
        participation = Participation.objects.filter(application=application).first()
    return {"application": application, "placed": placed, "published": published,
            "assignment": assignment, "neighbours": neighbours, "participation": participation,
            "can_prefer": placed and not published}


def _placed_application(request, pk):
    application = _own_application(request, pk)
    if application.status not in placement.PLACED_STATUSES or application.edition.selection_published_at is None:
        raise Http404
    return application


@login_required
def fair_details(request, pk):
    application = _placed_application(request, pk)
    context = exhibitor_context(application)
    with scopes_disabled():
        stands = Stand.objects.filter(edition=application.edition, pole=application.pole).order_by("number")
        participation = context["participation"]
        names = badges.staff_names(application, participation)
        preferences = list(participation.stand_preferences) if participation else []
        names_form = StaffNamesForm(request.POST if "names" in request.POST else None, names=names)
        prefs_form = PreferencesForm(request.POST if "preferences" in request.POST else None, stands=stands,
                                     initial_ids=preferences)
        if request.method == "POST":
            try:
                if "names" in request.POST and names_form.is_valid():
                    placement.save_participation(request.user, application, staff_names=names_form.names(),
                                                 request=request)
                    messages.success(request, _("Saved. Each person will get a badge."))
                    return redirect("fairs:application", pk=application.pk)
                if "preferences" in request.POST:
                    if not context["can_prefer"]:
                        messages.error(request, _("The stands are already allocated: preferences can no longer "
                                                  "be changed."))
                        return redirect("fairs:application", pk=application.pk)
                    if prefs_form.is_valid():
                        placement.save_participation(request.user, application, preferences=prefs_form.stands(),
                                                     request=request)
                        messages.success(request, _("Your preferences are saved. We will try to honour them."))
                        return redirect("fairs:application", pk=application.pk)
            except placement.AllocationError as error:
                messages.error(request, str(error))
        return render(request, "fairs/floor/fair_details.html", {
            **context, "names_form": names_form, "prefs_form": prefs_form, "has_stands": stands.exists()})


@login_required
def my_badges(request, pk):
    """The exhibitor's own badges (PDF), made on the spot: at most four."""
    application = _placed_application(request, pk)
    with scopes_disabled():
        own = badges.sync_badges(application)
        for badge in own:
            badge.application = application
        pdf = badges.badges_pdf(application.edition, own, placement.site_url(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tadamon-badges-{application.pk}.pdf"'
    return response


urlpatterns = [
    path("applications/<int:pk>/fair/", fair_details, name="fair_details"),
    path("applications/<int:pk>/badges.pdf", my_badges, name="my_badges"),
]
