"""The fair's operations: exhibitors declare their daily sales (on a phone, even when the network drops:
static/fairs/sales.js keeps the form and sends it later), representatives read their sales history, and
staff record visitor counts per gate and hour and the incidents of the day."""

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from tadamon.core.decorators import login_required, permission_required
from tadamon.registry.models import Representation

from .. import sales
from ..sales_forms import IncidentForm, SalesForm, VisitorCorrectionForm, VisitorCountForm
from ..sales_models import Incident, Sale, VisitorCount
from .exhibitor import _placed_application
from .manage import MANAGE, VIEW, _edition


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _form_errors(form):
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@login_required
def declare(request, pk):
    application = _placed_application(request, pk)
    edition = application.edition
    days = sales.fair_days(edition, until=timezone.localdate())
    with scopes_disabled():
        products = application.organization.products.filter(is_active=True).order_by("pk")
        form = SalesForm(request.POST or None, days=days, products=products)
        history = list(Sale.objects.filter(edition=edition, organization=application.organization))
    needs_confirmation = False
    if request.method == "POST":
        status, payload = 400, {"ok": False}
        if form.is_valid():
            data = form.cleaned_data
            try:
                sale, outcome = sales.declare_sales(
                    request.user, application, parse_date(data["day"]), data["amount"], form.lines(),
                    confirmed=data["confirm"], client_key=data["client_key"], request=request)
            except sales.NeedsConfirmation as error:
                needs_confirmation = True
                payload.update(message=str(error), needs_confirmation=True)
                form.add_error("amount", str(error))
            except sales.OperationError as error:
                payload["message"] = str(error)
                form.add_error(None, str(error))
            else:
                text = {"created": _("Saved: %(amount)s MAD on %(day)s. Thank you!"),
                        "corrected": _("Corrected: %(amount)s MAD on %(day)s (the change is kept in the log)."),
                        "unchanged": _("Already saved: %(amount)s MAD on %(day)s.")}[outcome] % {
                    "amount": sale.amount, "day": sale.day.isoformat()}
                if _wants_json(request):
                    return JsonResponse({"ok": True, "message": text, "outcome": outcome})
                messages.success(request, text)
                return redirect("fairs:sales_declare", pk=application.pk)
        else:
            payload["message"] = _form_errors(form)
        if _wants_json(request):
            return JsonResponse(payload, status=status)
    return render(request, "fairs/sales/declare.html", {
        "application": application, "edition": edition, "form": form, "history": history,
        "total": sum(s.amount for s in history), "needs_confirmation": needs_confirmation, "days": days,
    })


@login_required
def my_sales(request):
    """A representative's sales at every fair, for the organizations they represent."""
    with scopes_disabled():
        organizations = Representation.objects.filter(
            user=request.user, status=Representation.Status.APPROVED).values_list("organization_id", flat=True)
        rows = list(Sale.objects.filter(organization_id__in=list(organizations))
                    .select_related("organization", "edition").order_by("-day", "-id")[:500])
    editions = {}
    for sale in rows:
        key = sale.edition_id or 0
        group = editions.setdefault(key, {"edition": sale.edition, "sales": [], "total": 0})
        group["sales"].append(sale)
        group["total"] += sale.amount
    return render(request, "fairs/sales/my_sales.html", {"groups": list(editions.values())})


@permission_required(VIEW)
def operations(request, pk):
    edition = _edition(request, pk)
    days = sales.fair_days(edition, until=timezone.localdate())
    with scopes_disabled():
        counts = list(VisitorCount.objects.filter(edition=edition).order_by("-day", "gate", "hour"))
        by_day = (Sale.objects.filter(edition=edition).values("day")
                  .annotate(total=Sum("amount"), exhibitors=Count("organization", distinct=True)).order_by("day"))
        incidents = list(Incident.objects.filter(edition=edition).select_related("reported_by"))
        recent = list(Sale.objects.filter(edition=edition).select_related("organization")[:30])
    return render(request, "fairs/sales/operations.html", {
        "edition": edition, "days": days, "counts": counts, "sales_by_day": list(by_day), "recent": recent,
        "visitors_total": sum(c.count for c in counts), "incidents": incidents,
        "sales_total": sum(row["total"] for row in by_day),
        "visitor_form": VisitorCountForm(days=days), "incident_form": IncidentForm(days=days),
        "correction_form": VisitorCorrectionForm(),
        "can_manage": request.user.has_perm("fairs.manage_edition", edition),
    })


def _fail(request, edition, message):
    messages.error(request, message)
    return redirect("fairs:manage_operations", pk=edition.pk)


@permission_required(MANAGE)
@require_POST
def add_visitors(request, pk):
    edition = _edition(request, pk, manage=True)
    form = VisitorCountForm(request.POST, days=sales.fair_days(edition, until=timezone.localdate()))
    if not form.is_valid():
        return _fail(request, edition, _form_errors(form))
    data = form.cleaned_data
    try:
        row = sales.record_visitors(request.user, edition, parse_date(data["day"]), data["gate"], data["hour"],
                                    data["count"], request=request)
    except sales.OperationError as error:
        return _fail(request, edition, str(error))
    messages.success(request, _("Counted: %(count)s visitors, %(gate)s, %(hour)sh.")
                     % {"count": row.count, "gate": row.gate, "hour": f"{row.hour:02d}"})
    return redirect("fairs:manage_operations", pk=edition.pk)


@permission_required(MANAGE)
@require_POST
def correct_visitors(request, pk):
    row = get_object_or_404(VisitorCount, pk=pk)
    edition = _edition(request, row.edition_id, manage=True)
    form = VisitorCorrectionForm(request.POST)
    if not form.is_valid():
        return _fail(request, edition, _form_errors(form))
    try:
        sales.correct_visitors(request.user, row, form.cleaned_data["count"], form.cleaned_data["reason"],
                               request=request)
    except sales.OperationError as error:
        return _fail(request, edition, str(error))
    messages.success(request, _("The count is corrected; the change is kept in the activity log."))
    return redirect("fairs:manage_operations", pk=edition.pk)


@permission_required(MANAGE)
@require_POST
def add_incident(request, pk):
    edition = _edition(request, pk, manage=True)
    form = IncidentForm(request.POST, days=sales.fair_days(edition, until=timezone.localdate()))
    if not form.is_valid():
        return _fail(request, edition, _form_errors(form))
    data = form.cleaned_data
    try:
        sales.report_incident(request.user, edition, parse_date(data["day"]), data["kind"], data["description"],
                              request=request)
    except sales.OperationError as error:
        return _fail(request, edition, str(error))
    messages.success(request, _("The incident is noted."))
    return redirect("fairs:manage_operations", pk=edition.pk)


@permission_required(MANAGE)
@require_POST
def resolve_incident(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    edition = _edition(request, incident.edition_id, manage=True)
    sales.resolve_incident(request.user, incident, request=request)
    messages.success(request, _("The incident is closed."))
    return redirect("fairs:manage_operations", pk=edition.pk)


urlpatterns = [
    path("applications/<int:pk>/sales/", declare, name="sales_declare"),
    path("my/sales/", my_sales, name="my_sales"),
    path("manage/fairs/<int:pk>/operations/", operations, name="manage_operations"),
    path("manage/fairs/<int:pk>/operations/visitors/", add_visitors, name="manage_visitors_add"),
    path("manage/fairs/visitors/<int:pk>/correct/", correct_visitors, name="manage_visitors_correct"),
    path("manage/fairs/<int:pk>/operations/incidents/", add_incident, name="manage_incident_add"),
    path("manage/fairs/incidents/<int:pk>/resolve/", resolve_incident, name="manage_incident_resolve"),
]
