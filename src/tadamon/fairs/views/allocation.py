"""Staff screen of the stand allocation: run the engine in the background (progress on the page), see
the placements stand by stand, lock, place by hand, swap, re-optimise the rest, publish and notify."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh
from django_scopes import scopes_disabled

from tadamon.core.decorators import permission_required

from .. import floor_services as plan
from .. import placement
from ..floor_forms import PlaceForm, SwapForm
from ..floor_models import AllocationRun, Stand, StandAssignment
from ..models import Application
from .manage import MANAGE, VIEW, _edition


def _run_progress(run):
    """Seconds spent and the share of the time limit used, for the progress bar."""
    if run is None or run.started_at is None:
        return 0, 0
    end = run.finished_at or timezone.now()
    seconds = max(0, int((end - run.started_at).total_seconds()))
    if not run.is_active:
        return seconds, 100
    return seconds, min(95, round(100 * seconds / max(1, run.time_limit)))


@permission_required(VIEW)
def allocation(request, pk):
    edition = _edition(request, pk)
    can_manage = request.user.has_perm("fairs.manage_edition", edition)
    run = AllocationRun.objects.filter(edition=edition).select_related("created_by").first()
    if request.htmx and request.method == "GET":
        if run is not None and run.is_active:
            seconds, percent = _run_progress(run)
            return render(request, "fairs/floor/_run_progress.html", {
                "edition": edition, "run": run, "seconds": seconds, "percent": percent})
        return HttpResponseClientRefresh()
    exhibitors = placement.exhibitors_to_place(edition)
    stands = Stand.objects.filter(edition=edition).select_related("pole").order_by("number")
    data = plan.plan_data(edition)
    placed = {a.application_id: a for group in data["placements"].values() for a in group}
    rows = []
    for stand in data["stands"]:
        rows.append({"stand": stand, "assignments": data["placements"].get(stand.pk, [])})
    unplaced = [a for a in exhibitors if a.pk not in placed]
    seconds, percent = _run_progress(run)
    pending = placement.pending_notifications(edition)
    return render(request, "fairs/floor/allocation.html", {
        "edition": edition, "can_manage": can_manage, "run": run, "seconds": seconds, "percent": percent,
        "runs": AllocationRun.objects.filter(edition=edition).select_related("created_by")[:10],
        "rows": rows, "unplaced": unplaced, "exhibitor_count": len(exhibitors), "placed_count": len(placed),
        "summary": plan.pole_summary(edition, data), "published_at": plan.plan_of(edition).published_at
        if plan.plan_of(edition) else None, "pending": pending,
        "place_form": PlaceForm(exhibitors=exhibitors, stands=stands),
        "swap_form": SwapForm(exhibitors=exhibitors.filter(pk__in=list(placed))),
    })


@permission_required(MANAGE)
@require_POST
def allocation_action(request, pk):
    edition = _edition(request, pk, manage=True)
    action = request.POST.get("action", "")
    back = reverse("fairs:manage_allocation", args=[edition.pk])
    exhibitors = placement.exhibitors_to_place(edition)
    try:
        if action == "run":
            method = "greedy" if request.POST.get("method") == "greedy" else "solve"
            run, created = placement.start_run(request.user, edition, method=method,
                                               language=request.LANGUAGE_CODE)
            if created:
                messages.success(request, _("The allocation is running. Locked placements are kept."))
            else:
                messages.info(request, _("An allocation is already running for this edition."))
        elif action == "place":
            stands = Stand.objects.filter(edition=edition).select_related("pole")
            form = PlaceForm(request.POST, exhibitors=exhibitors, stands=stands)
            if form.is_valid():
                placement.place(request.user, form.cleaned_data["application"], form.cleaned_data["stand"],
                                request=request)
                messages.success(request, _("Placed and locked."))
            else:
                messages.error(request, _("Choose an exhibitor and a stand."))
        elif action in ("lock", "unlock", "unplace"):
            value = str(request.POST.get("application", ""))
            application = get_object_or_404(exhibitors, pk=int(value)) if value.isdigit() else None
            if application is None:
                messages.error(request, _("Choose an exhibitor."))
            elif action == "unplace":
                placement.unplace(request.user, application, request=request)
                messages.success(request, _("The exhibitor no longer has a stand."))
            else:
                placement.set_lock(request.user, application, action == "lock", request=request)
                messages.success(request, _("Locked.") if action == "lock" else _("Unlocked."))
        elif action == "swap":
            placed = StandAssignment.objects.filter(edition=edition).values_list("application_id", flat=True)
            form = SwapForm(request.POST, exhibitors=exhibitors.filter(pk__in=list(placed)))
            if form.is_valid():
                placement.swap(request.user, form.cleaned_data["first"], form.cleaned_data["second"],
                               request=request)
                messages.success(request, _("The two exhibitors swapped stands; both placements are locked."))
            else:
                messages.error(request, _("Choose two placed exhibitors."))
        elif action == "publish":
            n = placement.publish(request.user, edition, base_url=placement.site_url(request), request=request)
            messages.success(request, _("The placements are public on the map. %(n)s exhibitors are told their "
                                        "stand by e-mail and text message.") % {"n": n})
        else:
            messages.error(request, _("Unknown action: nothing was changed."))
    except placement.AllocationError as error:
        messages.error(request, str(error))
    return redirect(back)


@permission_required(VIEW)
def run_detail(request, pk):
    """One run as it was: who, when, the engine's input and output (for the record)."""
    run = get_object_or_404(AllocationRun.objects.select_related("edition", "created_by"), pk=pk)
    edition = _edition(request, run.edition_id)
    with scopes_disabled():
        names = dict(Application.objects.filter(edition=edition).values_list("pk", "organization__name_ar"))
        numbers = dict(Stand.objects.filter(edition=edition).values_list("pk", "number"))
    assignment = sorted(((names.get(int(k), k), numbers.get(v, v)) for k, v in
                         ((run.result or {}).get("assignment") or {}).items() if str(k).isdigit()),
                        key=lambda r: str(r[1]))
    return render(request, "fairs/floor/run_detail.html", {
        "edition": edition, "run": run, "assignment": assignment,
        "exhibitors": len(run.instance.get("exhibitors", [])), "stands": len(run.instance.get("stands", [])),
        "weights": run.instance.get("weights", {}),
    })


urlpatterns = [
    path("manage/fairs/<int:pk>/allocation/", allocation, name="manage_allocation"),
    path("manage/fairs/<int:pk>/allocation/action/", allocation_action, name="manage_allocation_action"),
    path("manage/fairs/allocation-runs/<int:pk>/", run_detail, name="manage_allocation_run"),
]
