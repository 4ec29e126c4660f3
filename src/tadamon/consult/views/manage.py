"""Staff and facilitator screens of consultations: workshops, the facilitator's table entry,
moderation (hide with a reason, merge), scores, the ranked list and the decisions (retain into the
action plan, or not, with the reason).

Region-owned rows are read through scoped managers: another region's are 404; a role without the
right is 403; anonymous users are sent to log in.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tadamon.core.decorators import permission_required
from tadamon.core.text import posted_text
from tadamon.programme.models import Registration, Session

from .. import services
from ..forms import (
    MergeForm,
    PlanForm,
    PreReadForm,
    ProposalForm,
    ReasonForm,
    RetainForm,
    ScoreForm,
    SettingsForm,
    WorkshopForm,
)
from ..models import Comment, Proposal, Score, Workshop

P = Proposal.Status


def _get(request, model, pk, perm, **related):
    obj = get_object_or_404(model.objects.select_related(*related.get("related", ())), pk=pk)
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


def _workshop(request, pk, perm="consult.view_object"):
    return _get(request, Workshop, pk, perm, related=["session__edition", "region"])


def _proposal(request, pk, perm="consult.manage_object"):
    return _get(request, Proposal, pk, perm, related=["workshop__session", "theme"])


@permission_required("consult.staff_screens")
def workshop_list(request):
    """Facilitators open a workshop's screen; partner viewers its ranked list."""
    workshops = []
    for w in Workshop.objects.select_related("session", "region").annotate(n_proposals=Count("proposals")):
        w.can_facilitate = request.user.has_perm("consult.facilitate", w)
        if w.can_facilitate or request.user.has_perm("consult.view_object", w):
            workshops.append(w)
    return render(request, "consult/manage/workshop_list.html", {
        "workshops": workshops, "can_create": request.user.has_perm("consult.manage")})


@permission_required("consult.manage")
def workshop_new(request):
    sessions = Session.objects.filter(workshop__isnull=True).select_related("edition").order_by("-starts_at")
    form = WorkshopForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and form.is_valid():
        session = form.cleaned_data["session"]
        if not request.user.has_perm("programme.manage_edition", session):
            raise PermissionDenied
        try:
            workshop = services.create_workshop(request.user, session, themes=form.cleaned_data["themes"],
                                                intro_ar=form.cleaned_data["intro_ar"],
                                                intro_fr=form.cleaned_data["intro_fr"], request=request)
        except services.ConsultError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("consult:manage_workshop", pk=workshop.pk)
    return render(request, "consult/manage/form.html", {"form": form, "title": _("New consultation workshop")})


@permission_required("consult.facilitate_any")
def workshop_admin(request, pk):
    workshop = _workshop(request, pk, "consult.facilitate")
    proposals = list(Proposal.objects.filter(workshop=workshop).select_related("theme", "merged_into")
                     .annotate(n_supports=Count("supports"), n_comments=Count("comments", distinct=True)))
    hidden_comments = Comment.objects.filter(proposal__workshop=workshop, hidden=False).select_related(
        "proposal", "author").order_by("-created_at")[:30]
    can_manage = request.user.has_perm("consult.manage_object", workshop)
    import segno

    participants = Registration.objects.filter(session=workshop.session).exclude(
        status=Registration.Status.CANCELLED).count()
    public_url = request.build_absolute_uri(workshop.get_absolute_url())
    return render(request, "consult/manage/workshop.html", {
        "participants": participants, "public_url": public_url,
        "qr_svg": segno.make(public_url, error="m").svg_inline(scale=6, dark="#134a36"),
        "workshop": workshop, "proposals": proposals, "comments": hidden_comments, "can_manage": can_manage,
        "phase_form": SettingsForm(workshop=workshop), "pre_read_form": PreReadForm(),
        "plan": getattr(workshop, "plan", None) if hasattr(workshop, "plan") else None,
        "counts": {s: sum(1 for p in proposals if p.status == s) for s in P.values}})


@permission_required("consult.manage")
@require_POST
def workshop_phase(request, pk):
    workshop = _workshop(request, pk, "consult.manage_object")
    form = SettingsForm(request.POST, workshop=workshop)
    if form.is_valid():
        services.configure(request.user, workshop, phase=form.cleaned_data["phase"],
                           staff_share=form.cleaned_data["staff_share"], weights=form.weights(), request=request)
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Check the phase and the weights: percentages from 0 to 100, weights from 0 to 10."))
    return redirect("consult:manage_workshop", pk=workshop.pk)


@permission_required("consult.manage")
@require_POST
def workshop_pre_read(request, pk):
    workshop = _workshop(request, pk, "consult.manage_object")
    form = PreReadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the PDF file of the pre-read."))
    else:
        try:
            services.set_pre_read(request.user, workshop, form.cleaned_data["pre_read"], request=request)
        except services.ConsultError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The pre-read is online."))
    return redirect("consult:manage_workshop", pk=workshop.pk)


@permission_required("consult.facilitate_any")
def table_entry(request, pk):
    """The facilitator types the proposals of a table, one after the other."""
    workshop = _workshop(request, pk, "consult.facilitate")
    form = ProposalForm(request.POST or None, workshop=workshop, table=True,
                        initial={"author_label": request.session.get("consult_table", "")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.submit_proposal(workshop, typed_by=request.user, request=request, **data)
        except services.ConsultError as error:
            messages.error(request, str(error))
        else:
            request.session["consult_table"] = data["author_label"]
            messages.success(request, _("Saved. Type the next proposal of the table."))
            return redirect("consult:manage_table", pk=workshop.pk)
    return render(request, "consult/manage/form.html", {
        "form": form, "workshop": workshop, "title": _("Type a table's proposals"),
        "intro": _("The proposal is published under the name of the table; you are recorded as the one who typed it.")})


def _moderate(request, pk, form_class, run, title):
    proposal = _proposal(request, pk, "consult.facilitate")
    if not request.user.has_perm("consult.facilitate", proposal.workshop):
        raise PermissionDenied
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run(proposal, form.cleaned_data)
        except services.ConsultError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("consult:manage_workshop", pk=proposal.workshop_id)
    return render(request, "consult/manage/form.html", {"form": form, "workshop": proposal.workshop,
                                                        "proposal": proposal, "title": title})


@permission_required("consult.facilitate_any")
def hide(request, pk):
    return _moderate(request, pk, ReasonForm, lambda p, d: services.hide_proposal(
        request.user, p, d["reason"], request=request), _("Hide a proposal"))


@permission_required("consult.facilitate_any")
def merge(request, pk):
    def run(proposal, data):
        target = Proposal.objects.filter(pk=data["target"], workshop=proposal.workshop).first()
        if target is None:
            raise services.ConsultError(_("No proposal of this workshop has this number."))
        services.merge(request.user, proposal, target, data["reason"], request=request)

    return _moderate(request, pk, MergeForm, run, _("Merge into another proposal"))


@permission_required("consult.facilitate_any")
@require_POST
def hide_comment(request, pk):
    item = get_object_or_404(Comment.objects.select_related("proposal__workshop"), pk=pk)
    if not request.user.has_perm("consult.facilitate", item.proposal.workshop):
        raise PermissionDenied
    try:
        services.hide_comment(request.user, item, posted_text(request, "reason", services.ConsultError),
                              request=request)
    except services.ConsultError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved."))
    return redirect("consult:manage_workshop", pk=item.proposal.workshop_id)


@permission_required("consult.manage")
def score(request, pk):
    proposal = _proposal(request, pk)
    criteria = list(proposal.workshop.criteria.all())
    mine = dict(Score.objects.filter(proposal=proposal, scorer=request.user).values_list("criterion_id", "value"))
    form = ScoreForm(request.POST or None, criteria=criteria, initial_scores=mine)
    if request.method == "POST" and form.is_valid():
        services.score(request.user, proposal, form.values(), request=request)
        messages.success(request, _("Saved."))
        following = (Proposal.objects.filter(workshop=proposal.workshop, status=P.PUBLISHED, pk__gt=proposal.pk)
                     .exclude(scores__scorer=request.user).order_by("pk").first())
        if following:
            return redirect("consult:manage_score", pk=following.pk)
        return redirect("consult:manage_ranking", pk=proposal.workshop_id)
    return render(request, "consult/manage/score.html", {"form": form, "proposal": proposal})


@permission_required("consult.view")
def ranking(request, pk):
    workshop = _workshop(request, pk)
    rows = services.ranking(workshop)
    return render(request, "consult/manage/ranking.html", {
        "workshop": workshop, "rows": rows, "criteria": workshop.criteria.all(),
        "staff_share": workshop.staff_share, "vote_share": 100 - workshop.staff_share,
        "can_manage": request.user.has_perm("consult.manage_object", workshop),
        "plan": getattr(workshop, "plan", None) if hasattr(workshop, "plan") else None})


@permission_required("consult.manage")
def retain(request, pk):
    proposal = _proposal(request, pk)
    form = RetainForm(request.POST or None, initial={"title_ar": proposal.title, "title_fr": proposal.title})
    if request.method == "POST" and form.is_valid():
        try:
            action = services.retain(request.user, proposal, request=request, **form.cleaned_data)
        except services.ConsultError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The proposal is retained: it is now an action of the plan."))
            return redirect("consult:manage_action", pk=action.pk)
    return render(request, "consult/manage/form.html", {
        "form": form, "workshop": proposal.workshop, "proposal": proposal, "title": _("Retain into the action plan")})


@permission_required("consult.manage")
def not_retain(request, pk):
    return _moderate(request, pk, ReasonForm, lambda p, d: services.not_retain(
        request.user, p, d["reason"], request=request), _("Not retained"))


@permission_required("consult.manage")
def plan_new(request, pk):
    workshop = _workshop(request, pk, "consult.manage_object")
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(request.user, workshop, request=request, **form.cleaned_data)
        except services.ConsultError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("consult:manage_plan", pk=plan.pk)
    return render(request, "consult/manage/form.html", {"form": form, "workshop": workshop,
                                                        "title": _("New action plan")})


urlpatterns = [
    path("manage/consultations/", workshop_list, name="manage_workshops"),
    path("manage/consultations/new/", workshop_new, name="manage_workshop_new"),
    path("manage/consultations/<int:pk>/", workshop_admin, name="manage_workshop"),
    path("manage/consultations/<int:pk>/phase/", workshop_phase, name="manage_phase"),
    path("manage/consultations/<int:pk>/pre-read/", workshop_pre_read, name="manage_pre_read"),
    path("manage/consultations/<int:pk>/table/", table_entry, name="manage_table"),
    path("manage/consultations/<int:pk>/ranking/", ranking, name="manage_ranking"),
    path("manage/consultations/<int:pk>/plan/new/", plan_new, name="manage_plan_new"),
    path("manage/consultations/proposals/<int:pk>/hide/", hide, name="manage_hide"),
    path("manage/consultations/proposals/<int:pk>/merge/", merge, name="manage_merge"),
    path("manage/consultations/proposals/<int:pk>/score/", score, name="manage_score"),
    path("manage/consultations/proposals/<int:pk>/retain/", retain, name="manage_retain"),
    path("manage/consultations/proposals/<int:pk>/not-retained/", not_retain, name="manage_not_retain"),
    path("manage/consultations/comments/<int:pk>/hide/", hide_comment, name="manage_hide_comment"),
]


