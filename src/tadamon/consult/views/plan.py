"""Staff screens of the action plan (actions, milestones, indicators, progress updates with
evidence) and of the pole's shared services (catalogue, bookings to approve, usage figures).

Partner viewers read; the contact of an action (a partner's account) posts its progress.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from tadamon.core.decorators import login_required, permission_required

from .. import services
from ..forms import ContactForm, IndicatorForm, MilestoneForm, ProgressForm, ReasonForm, ServiceForm
from ..models import Action, ActionPlan, Booking, PoleService


def _plan(request, pk):
    plan = get_object_or_404(ActionPlan.objects.select_related("workshop__session", "region"), pk=pk)
    if not request.user.has_perm("consult.view_object", plan):
        raise PermissionDenied
    return plan


@permission_required("consult.view")
def plan(request, pk):
    item = _plan(request, pk)
    actions = list(item.actions.select_related("owner", "proposal", "contact").prefetch_related("milestones"))
    return render(request, "consult/manage/plan.html", {
        "plan": item, "actions": actions, "budget": sum(a.budget_mad for a in actions),
        "can_manage": request.user.has_perm("consult.manage_object", item)})


@login_required
def action(request, pk):
    """Staff and partner viewers of the region read; staff add milestones and indicators; staff and
    the action's contact report progress. Others: 403 (another region's action: 404 for staff)."""
    with scopes_disabled():
        item = get_object_or_404(Action.objects.select_related("plan__workshop__session", "owner", "proposal"),
                                 pk=pk)
    can_report = request.user.has_perm("consult.report_progress", item)
    if not (can_report or request.user.has_perm("consult.view_object", item)):
        raise PermissionDenied
    can_manage = request.user.has_perm("consult.manage_object", item)
    milestone_form = MilestoneForm(prefix="m")
    indicator_form = IndicatorForm(prefix="i")
    contact_form = ContactForm(prefix="c")
    progress_form = ProgressForm(prefix="p", initial={"progress": item.progress, "status": item.status})
    if request.method == "POST":
        kind = request.POST.get("form")
        try:
            with scopes_disabled():
                if kind == "milestone" and can_manage:
                    milestone_form = MilestoneForm(request.POST, prefix="m")
                    if milestone_form.is_valid():
                        services.add_milestone(request.user, item, request=request, **milestone_form.cleaned_data)
                        return _saved(request, item)
                elif kind == "contact" and can_manage:
                    contact_form = ContactForm(request.POST, prefix="c")
                    if contact_form.is_valid():
                        services.set_contact(request.user, item, contact_form.cleaned_data["contact_email"],
                                             request=request)
                        return _saved(request, item)
                elif kind == "indicator" and can_manage:
                    indicator_form = IndicatorForm(request.POST, prefix="i")
                    if indicator_form.is_valid():
                        services.add_indicator(request.user, item, request=request, **indicator_form.cleaned_data)
                        return _saved(request, item)
                elif kind == "progress" and can_report:
                    progress_form = ProgressForm(request.POST, request.FILES, prefix="p")
                    if progress_form.is_valid():
                        reached = {}
                        for indicator in item.indicators.all():
                            raw = request.POST.get(f"reached-{indicator.pk}", "").strip()
                            if raw:
                                try:
                                    reached[indicator] = max(0, int(float(raw)))
                                except ValueError:
                                    raise services.ConsultError(_("A value reached is a number.")) from None
                        services.report_progress(request.user, item, reached=reached, request=request,
                                                 **progress_form.cleaned_data)
                        return _saved(request, item)
                else:
                    raise PermissionDenied
        except services.ConsultError as error:
            messages.error(request, str(error))
    with scopes_disabled():
        context = {"action": item, "milestones": list(item.milestones.all()), "indicators": list(item.indicators.all()),
                   "updates": list(item.updates.select_related("author")), "can_manage": can_manage,
                   "can_report": can_report, "milestone_form": milestone_form, "indicator_form": indicator_form,
                   "contact_form": contact_form,
                   "progress_form": progress_form}
    return render(request, "consult/manage/action.html", context)


def _saved(request, item):
    messages.success(request, _("Saved."))
    return redirect("consult:manage_action", pk=item.pk)


@permission_required("consult.view")
def pole(request):
    """The catalogue, the bookings waiting for a decision, and the usage of the last 90 days."""
    region = request.region
    items = PoleService.objects.all()
    bookings = Booking.objects.select_related("service", "organization").order_by("starts_at")
    if region:
        items, bookings = items.filter(region=region), bookings.filter(region=region)
    now = timezone.now()
    stats = services.usage(region, since=now - timedelta(days=90), until=now + timedelta(days=30)) if region else None
    return render(request, "consult/manage/pole.html", {
        "services": list(items), "pending": list(bookings.filter(status=Booking.Status.PENDING)),
        "coming": list(bookings.filter(status=Booking.Status.APPROVED, ends_at__gt=now)[:30]),
        "stats": stats, "region": region, "can_manage": request.user.has_perm("consult.manage")})


@permission_required("consult.manage")
def service_edit(request, pk=None):
    item = get_object_or_404(PoleService, pk=pk) if pk else None
    region = item.region if item else request.region
    form = ServiceForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        if region is None:
            messages.error(request, _("Choose a region first (at the top of the page)."))
        elif not request.user.has_perm("consult.manage_object", region):
            raise PermissionDenied
        else:
            services.save_service(request.user, form.save(commit=False), region, request=request)
            messages.success(request, _("Saved."))
            return redirect("consult:manage_pole")
    return render(request, "consult/manage/form.html", {
        "form": form, "title": item.name if item else _("New shared service")})


@permission_required("consult.manage")
@require_POST
def booking_decide(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    if not request.user.has_perm("consult.manage_object", booking):
        raise PermissionDenied
    approve = request.POST.get("decision") == "approve"
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        services.decide_booking(request.user, booking, approve=approve, reason=reason, request=request)
    except services.ConsultError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved."))
    return redirect("consult:manage_pole")


urlpatterns = [
    path("manage/plans/<int:pk>/", plan, name="manage_plan"),
    path("manage/actions/<int:pk>/", action, name="manage_action"),
    path("manage/pole/", pole, name="manage_pole"),
    path("manage/pole/services/new/", service_edit, name="manage_service_new"),
    path("manage/pole/services/<int:pk>/", service_edit, name="manage_service"),
    path("manage/pole/bookings/<int:pk>/decide/", booking_decide, name="manage_booking_decide"),
]
