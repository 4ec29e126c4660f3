"""Staff screens of prizes: set a prize up, invite the jury, nominate, assign, follow the scoring,
lock the final ranking, publish, add the ceremony; and an edition's honours.

Regional staff run their region's prizes, national administrators every region, partner viewers
read. Prizes are read through scoped managers: another region's prize is a 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from tadamon.core import activity
from tadamon.core.decorators import permission_required
from tadamon.fairs.models import Edition

from .. import services
from ..forms import CategoryForm, CriterionForm, HonourForm, JurorForm, NominationForm, PrizeForm, RankingForm
from ..models import Assignment, Candidacy, Conflict, FinalRanking, Honour, Prize
from ..results import sheet_total

VIEW, MANAGE = "prizes.view", "prizes.manage"


def _prize(request, pk, manage=False):
    prize = get_object_or_404(Prize.objects.select_related("edition__region", "ceremony"), pk=pk)
    if not request.user.has_perm("prizes.manage_prize" if manage else "prizes.view_prize", prize):
        raise PermissionDenied
    return prize


def _editions(user):
    return Edition.objects.filter(pk__in=[e.pk for e in Edition.objects.select_related("region")
                                           if user.has_perm("fairs.manage_edition", e)])


@permission_required(VIEW)
def prize_list(request):
    prizes = Prize.objects.select_related("edition__region").annotate(n_candidacies=Count("candidacies"))
    return render(request, "prizes/manage/list.html", {"prizes": prizes, "can_create": request.user.has_perm(MANAGE)})


@permission_required(MANAGE)
def prize_create(request):
    form = PrizeForm(request.POST or None, editions=_editions(request.user),
                     initial=dict(zip(("candidacy_closes_at", "scoring_closes_at"), services.default_deadlines(),
                                      strict=True)))
    if request.method == "POST" and form.is_valid():
        prize = form.save()
        activity.record(request.user, "prize.saved", prize, after={"title": prize.title_fr}, request=request)
        return redirect("prizes:manage", pk=prize.pk)
    return render(request, "prizes/manage/form.html", {"form": form, "title": _("New prize")})


@permission_required(VIEW)
def prize_admin(request, pk):
    prize = _prize(request, pk)
    with scopes_disabled():
        candidacies = list(prize.candidacies.select_related("organization__province", "category").annotate(
            n_assigned=Count("assignments", distinct=True)))
        jury = list(prize.jury.select_related("user").annotate(n_assigned=Count("assignments", distinct=True)))
        sheets = Assignment.objects.filter(member__prize=prize)
        progress = {"assigned": sheets.count(), "submitted": sheets.filter(submitted_at__isnull=False).count(),
                    "conflicts": Conflict.objects.filter(member__prize=prize).count()}
        ranking = FinalRanking.objects.filter(prize=prize).first()
    names = {c.pk: c for c in candidacies}
    rows = ranking.rows if ranking else services.compute_ranking(prize)
    preview = [(row, names.get(row["candidacy"])) for row in rows]
    can_manage = request.user.has_perm("prizes.manage_prize", prize)
    forms = {}
    if can_manage:
        forms = {"category": CategoryForm(prefix="cat"), "criterion": CriterionForm(prefix="crit"),
                 "juror": JurorForm(prefix="jur"), "nominate": NominationForm(prefix="nom", prize=prize),
                 "ranking": RankingForm(prefix="rank")}
    return render(request, "prizes/manage/prize.html", {
        "prize": prize, "candidacies": candidacies, "jury": jury, "progress": progress, "ranking": ranking,
        "preview": preview, "can_manage": can_manage, "forms": forms,
        "categories": list(prize.categories.all()), "criteria": list(prize.criteria.all()),
        "winners": services.winners(prize) if ranking else None})


def _done(request, prize, message):
    messages.success(request, message)
    return redirect("prizes:manage", pk=prize.pk)


def _refused(request, prize, error):
    messages.error(request, str(error))
    return redirect("prizes:manage", pk=prize.pk)


def _form_errors(form):
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@permission_required(MANAGE)
@require_POST
def prize_action(request, pk, action):
    prize = _prize(request, pk, manage=True)
    try:
        if action == "advance":
            prize = services.advance(request.user, prize, request=request)
            return _done(request, prize, _("Status: %(s)s.") % {"s": prize.get_status_display()})
        if action == "assign":
            result = services.run_assignment(request.user, prize, request=request)
            return _done(request, prize, _("Candidacies assigned: each has %(k)s jurors; %(min)s to %(max)s "
                                           "candidacies per juror.") % {
                "k": prize.jurors_per_candidacy, "min": result["min_load"], "max": result["max_load"]})
        if action == "lock":
            form = RankingForm(request.POST, prefix="rank")
            form.is_valid()
            services.lock_ranking(request.user, prize, form.cleaned_data.get("note", ""), request=request)
            return _done(request, prize, _("The final ranking is locked."))
        if action == "publish":
            services.publish(request.user, prize, request=request, certificate_url=lambda award: (
                request.build_absolute_uri(reverse("prizes:certificate", args=[award.code]))))
            return _done(request, prize, _("The winners are published."))
        if action == "ceremony":
            session = services.create_ceremony(request.user, prize, request=request)
            messages.success(request, _("The ceremony was added to the programme: place it in the grid."))
            return redirect("programme:manage_session_edit", pk=prize.edition_id, session_pk=session.pk)
        return _add(request, prize, action)
    except services.PrizeError as error:
        return _refused(request, prize, error)


def _add(request, prize, action):
    if action == "nominate":
        form = NominationForm(request.POST, prefix="nom", prize=prize)
        if not form.is_valid():
            return _refused(request, prize, _form_errors(form))
        data = form.cleaned_data
        services.nominate(request.user, prize, data["organization"], data["category"], data["pitch"],
                          request=request)
        return _done(request, prize, _("Candidacy nominated."))
    if action == "juror":
        form = JurorForm(request.POST, prefix="jur")
        if not form.is_valid():
            return _refused(request, prize, _form_errors(form))
        data = form.cleaned_data
        services.invite_juror(request.user, prize, name=data["name"], email=data["email"],
                              institution=data["institution"], province=data["province"], request=request,
                              invitation_url=lambda m: request.build_absolute_uri(
                                  reverse("prizes:invitation", args=[m.token])))
        return _done(request, prize, _("Invitation sent by e-mail."))
    forms = {"category": (CategoryForm, "cat"), "criterion": (CriterionForm, "crit")}
    if action not in forms:
        raise PermissionDenied
    if prize.status not in (Prize.Status.DRAFT, Prize.Status.CANDIDACY):
        return _refused(request, prize, _("Categories and criteria are fixed once the scoring starts."))
    form_class, prefix = forms[action]
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        return _refused(request, prize, _form_errors(form))
    item = form.save(commit=False)
    item.prize = prize
    item.position = getattr(prize, "categories" if action == "category" else "criteria").count()
    item.save()
    activity.record(request.user, "prize.saved", prize, after={action: str(item)}, request=request)
    return _done(request, prize, _("Saved."))


@permission_required(VIEW)
def candidacy_detail(request, pk):
    """A candidacy for the deliberation: its pitch and photos, each juror's sheet (points, total,
    comment; drafts marked), and its conflicts."""
    candidacy = get_object_or_404(Candidacy.objects.select_related(
        "prize__edition__region", "organization__province", "category"), pk=pk)
    prize = _prize(request, candidacy.prize_id)
    with scopes_disabled():
        criteria = list(prize.criteria.all())
        weights = [(c.pk, float(c.weight), c.max_points) for c in criteria]
        sheets = [(a, [a.scores.get(str(c.pk), "") for c in criteria], sheet_total(a.scores, weights))
                  for a in candidacy.assignments.select_related("member")]
        conflicts = list(candidacy.conflicts.select_related("member"))
        photos = list(candidacy.photos.all())
    return render(request, "prizes/manage/candidacy.html", {
        "prize": prize, "candidacy": candidacy, "criteria": criteria, "sheets": sheets, "conflicts": conflicts,
        "photos": photos})


@permission_required(VIEW)
def honours(request, pk):
    edition = get_object_or_404(Edition.objects.select_related("region"), pk=pk)
    if not request.user.has_perm("fairs.view_edition_admin", edition):
        raise PermissionDenied
    can_manage = request.user.has_perm("fairs.manage_edition", edition)
    form = HonourForm(request.POST or None, edition=edition) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_honour(request.user, edition, data["organization"], data["kind"], data["citation_ar"],
                                    data["citation_fr"], request=request)
            except services.PrizeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Honour added; it shows on the edition's page."))
                return redirect("prizes:honours", pk=edition.pk)
    with scopes_disabled():
        items = list(Honour.objects.filter(edition=edition).select_related("organization"))
    return render(request, "prizes/manage/honours.html", {"edition": edition, "honours": items, "form": form})


urlpatterns = [
    path("manage/prizes/", prize_list, name="manage_list"),
    path("manage/prizes/new/", prize_create, name="create"),
    path("manage/prizes/<int:pk>/", prize_admin, name="manage"),
    path("manage/prizes/<int:pk>/<slug:action>/", prize_action, name="action"),
    path("manage/prizes/candidacies/<int:pk>/", candidacy_detail, name="manage_candidacy"),
    path("manage/fairs/<int:pk>/honours/", honours, name="honours"),
]
