"""Check-in at the fair: staff scan badges with the phone's camera (the browser's BarcodeDetector when
it has one, a typed code otherwise), see who is present per pole, and call the absent exhibitors."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tadamon.core.decorators import permission_required

from .. import checkin
from ..floor_forms import ScanForm
from ..floor_models import Attendance, Badge, StandAssignment
from .manage import MANAGE, VIEW, _edition


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


@permission_required(VIEW)
def checkin_page(request, pk):
    edition = _edition(request, pk)
    today = timezone.localdate()
    return render(request, "fairs/floor/checkin.html", {
        "edition": edition, "form": ScanForm(), "presence": checkin.presence(edition, today),
        "can_manage": request.user.has_perm("fairs.manage_edition", edition),
        "outside_dates": not (edition.starts_on <= today <= edition.ends_on),
    })


@permission_required(VIEW)
def presence_fragment(request, pk):
    edition = _edition(request, pk)
    return render(request, "fairs/floor/_presence.html", {
        "edition": edition, "presence": checkin.presence(edition)})


@permission_required(MANAGE)
@require_POST
def scan(request, pk):
    edition = _edition(request, pk, manage=True)
    form = ScanForm(request.POST)
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": message}, status=400)
        messages.error(request, message)
        return redirect("fairs:manage_checkin", pk=edition.pk)
    result = checkin.scan(request.user, edition, form.cleaned_data["code"], form.cleaned_data["direction"])
    if _wants_json(request):
        return JsonResponse({"ok": result.ok, "message": result.message, "changed": result.changed})
    (messages.success if result.ok else messages.error)(request, result.message)
    return redirect("fairs:manage_checkin", pk=edition.pk)


@permission_required(VIEW)
def badge_page(request, code):
    """The page a badge's QR code opens (any phone camera): who it is, today's record, and buttons."""
    badge = get_object_or_404(Badge.objects.select_related("edition", "application__organization",
                                                           "application__pole"),
                              code=code.upper())
    edition = _edition(request, badge.edition_id)
    stand = StandAssignment.objects.filter(application=badge.application).select_related("stand").first()
    today = Attendance.objects.filter(badge=badge, day=timezone.localdate()).first()
    return render(request, "fairs/floor/badge_checkin.html", {
        "edition": edition, "badge": badge, "stand": stand.stand if stand else None, "today": today,
        "can_manage": request.user.has_perm("fairs.manage_edition", edition),
        "scan_url": reverse("fairs:manage_checkin_scan", args=[edition.pk]),
    })


urlpatterns = [
    path("manage/fairs/<int:pk>/checkin/", checkin_page, name="manage_checkin"),
    path("manage/fairs/<int:pk>/checkin/presence/", presence_fragment, name="manage_checkin_presence"),
    path("manage/fairs/<int:pk>/checkin/scan/", scan, name="manage_checkin_scan"),
    path("manage/fairs/checkin/<str:code>/", badge_page, name="checkin_badge"),
]
