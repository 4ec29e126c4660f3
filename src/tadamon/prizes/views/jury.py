"""The juror's screens: their juries, the invitation, the assigned candidacies and the score sheet.

A juror reaches a candidacy only through an assignment of their own membership: a candidacy not
assigned to them, or one they are in conflict with (its assignment is removed), is a 404.
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from tadamon.core.decorators import login_required, permission_required
from tadamon.core.text import posted_text

from .. import services
from ..models import Assignment, JuryMember

JUDGE = "prizes.judge"


def memberships(user):
    with scopes_disabled():
        return list(JuryMember.objects.filter(user=user).select_related("prize__edition").annotate(
            n_assigned=Count("assignments", distinct=True),
            n_submitted=Count("assignments", filter=Q(assignments__submitted_at__isnull=False), distinct=True)))


@permission_required(JUDGE)
def jury_home(request):
    return render(request, "prizes/jury/home.html", {"memberships": memberships(request.user)})


@login_required
def invitation(request, token):
    with scopes_disabled():
        member = get_object_or_404(JuryMember.objects.select_related("prize__edition"), token=token)
    if request.method == "POST":
        try:
            services.accept_invitation(request.user, token, request=request)
        except services.PrizeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Welcome to the jury."))
            return redirect("prizes:jury_prize", pk=member.prize_id)
    return render(request, "prizes/jury/invitation.html", {"member": member, "prize": member.prize})


def _member(request, prize_pk):
    with scopes_disabled():
        return get_object_or_404(JuryMember.objects.select_related("prize__edition"), prize_id=prize_pk,
                                 user=request.user)


@permission_required(JUDGE)
def jury_prize(request, pk):
    member = _member(request, pk)
    with scopes_disabled():
        assignments = list(member.assignments.exclude(candidacy__conflicts__member=member).select_related(
            "candidacy__organization__province", "candidacy__category"))
    return render(request, "prizes/jury/prize.html", {
        "member": member, "prize": member.prize, "assignments": assignments,
        "done": sum(1 for a in assignments if a.submitted)})


def _assignment(request, pk):
    with scopes_disabled():
        return get_object_or_404(
            Assignment.objects.select_related("member__prize__edition", "candidacy__organization__province",
                                              "candidacy__category").exclude(
                candidacy__conflicts__member__user=request.user),
            pk=pk, member__user=request.user)


@permission_required(JUDGE)
def score(request, pk):
    assignment = _assignment(request, pk)
    prize = assignment.member.prize
    with scopes_disabled():
        criteria = list(prize.criteria.all())
        photos = list(assignment.candidacy.photos.all())
    values = {str(c.pk): assignment.scores.get(str(c.pk), "") for c in criteria}
    comment = assignment.comment
    if request.method == "POST":
        values = {str(c.pk): request.POST.get(f"c{c.pk}", "").strip() for c in criteria}
        comment = request.POST.get("comment", "")
        submit = request.POST.get("action") == "submit"
        try:
            posted_text(request, "comment", services.PrizeError)
            with scopes_disabled():
                services.save_scores(request.user, assignment, values, comment, submit=submit, request=request)
        except services.PrizeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Score submitted. Thank you.") if submit else _("Draft saved."))
            return redirect("prizes:jury_prize", pk=prize.pk) if submit else redirect("prizes:score", pk=pk)
    rows = [(c, values.get(str(c.pk), "")) for c in criteria]
    return render(request, "prizes/jury/score.html", {
        "assignment": assignment, "candidacy": assignment.candidacy, "prize": prize, "rows": rows,
        "comment": comment, "photos": photos, "open": prize.scoring_open()}, status=400 if request.method == "POST"
        else 200)


@permission_required(JUDGE)
@require_POST
def declare_conflict(request, pk):
    assignment = _assignment(request, pk)
    try:
        with scopes_disabled():
            services.declare_conflict(request.user, assignment.member, assignment.candidacy,
                                      posted_text(request, "reason", services.PrizeError), request=request)
    except services.PrizeError as error:
        messages.error(request, str(error))
        return redirect("prizes:score", pk=assignment.pk)
    messages.success(request, _("Conflict of interest recorded: this candidacy was taken off your list."))
    return redirect("prizes:jury_prize", pk=assignment.member.prize_id)


urlpatterns = [
    path("jury/", jury_home, name="jury_home"),
    path("jury/invitations/<str:token>/", invitation, name="invitation"),
    path("jury/prizes/<int:pk>/", jury_prize, name="jury_prize"),
    path("jury/sheets/<int:pk>/", score, name="score"),
    path("jury/sheets/<int:pk>/conflict/", declare_conflict, name="declare_conflict"),
]
