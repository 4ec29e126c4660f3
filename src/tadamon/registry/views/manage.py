"""Staff screens of the registry: the region's figures, the requests to represent organizations,
and the staff view of an organization (verify, deactivate, history).

Who may use them:

- ``registry.view_registry`` (national administrators, regional staff, partner viewers) reads the
  overview and the organizations;
- ``registry.manage_registry`` (national administrators, regional staff) reads the requests and their
  documents; acting on an organization or a request also needs ``registry.manage_organization`` on
  it (the staff of its region, national administrators). Partner viewers get 403 on every action.

Organizations and requests are read through the region-scoped managers (the middleware activates
the user's regions), so another region's objects are 404.
"""


from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tadamon.core import activity
from tadamon.core.decorators import permission_required
from tadamon.core.models import ActivityLog
from tadamon.core.text import normalize
from tadamon.core.views import private_file

from .. import services
from ..forms import ActiveForm, DecisionForm, OrganizationLookupForm
from ..models import LegalForm, Organization, Product, Representation

VIEW = "registry.view_registry"
MANAGE = "registry.manage_registry"


def _in_current_region(request, queryset, field="region"):
    """The region chosen in the header (staff: one of theirs), or every region the scope allows."""
    if request.region is not None:
        return queryset.filter(**{field: request.region})
    return queryset


def _organization(request, pk, manage=False):
    organization = get_object_or_404(Organization.objects.select_related("province", "region", "sector",
                                                                         "verified_by", "merged_into"), pk=pk)
    if not request.user.has_perm(VIEW, organization):
        raise Http404
    if manage and not request.user.has_perm("registry.manage_organization", organization):
        raise PermissionDenied
    return organization


def _representation(request, pk):
    representation = get_object_or_404(
        Representation.objects.select_related("organization__province", "organization__region", "user"), pk=pk)
    if not request.user.has_perm("registry.manage_organization", representation.organization):
        raise PermissionDenied
    return representation


def _next(request, fallback):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@permission_required(VIEW)
def manage_home(request):
    """The region's registry at a glance, and a look-up of organizations by name or number."""
    organizations = _in_current_region(request, Organization.objects.filter(merged_into__isnull=True))
    by_form = dict(organizations.values_list("legal_form").annotate(n=Count("id")))
    pending = _in_current_region(request, Representation.objects.filter(status=Representation.Status.PENDING))
    unverified = organizations.filter(verified_at__isnull=True, is_active=True)
    form = OrganizationLookupForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if query:
        listed = organizations.filter(Q(search_name__contains=normalize(query))
                                      | Q(registration_number__iexact=query)).order_by("name_ar", "pk")
    else:
        listed = unverified.order_by("-created_at", "pk")
    page = Paginator(listed.select_related("province", "sector"), 25).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "registry/manage/home.html", {
        "by_form": [(label, by_form.get(value, 0)) for value, label in LegalForm.choices],
        "total": sum(by_form.values()),
        "inactive": organizations.filter(is_active=False).count(),
        "pending_count": pending.count(),
        "unverified_count": unverified.count(),
        "form": form, "query": query, "page": page, "params": params.urlencode(),
        "can_manage": request.user.has_perm(MANAGE),
    })


@permission_required(MANAGE)
def claims(request):
    """Requests to represent an organization, waiting for a decision."""
    pending = _in_current_region(request, Representation.objects.filter(status=Representation.Status.PENDING))
    pending = pending.select_related("organization__province", "user").order_by("created_at", "pk")
    page = Paginator(pending, 30).get_page(request.GET.get("page"))
    return render(request, "registry/manage/claims.html", {"page": page, "query": ""})


@permission_required(MANAGE)
@require_POST
def claim_decide(request, pk):
    representation = _representation(request, pk)
    back = _next(request, reverse("registry:claims"))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
        return redirect(back)
    if representation.status != Representation.Status.PENDING:
        messages.info(request, _("This request was already decided."))
        return redirect(back)
    services.decide_representation(request.user, representation, approve=form.approve,
                                   reason=form.cleaned_data["reason"], request=request)
    if form.approve:
        messages.success(request, _("Approved: %(user)s now represents %(org)s.")
                         % {"user": representation.user, "org": representation.organization.name})
    else:
        messages.success(request, _("Refused. %(user)s will receive the reason by e-mail.")
                         % {"user": representation.user})
    return redirect(back)


@permission_required(MANAGE)
def claim_document(request, pk):
    """The supporting document of a request, only for the staff who decide it (never a public link)."""
    representation = _representation(request, pk)
    return private_file(representation.document)


@permission_required(VIEW)
def manage_organization(request, pk):
    organization = _organization(request, pk)
    representations = list(organization.representations.select_related("user", "decided_by")
                           .order_by("status", "-created_at"))
    product_ids = list(Product.objects.filter(organization=organization).values_list("pk", flat=True))
    entries = None
    if request.user.has_perm("core.view_activity"):
        # The history of the organization, of the requests to represent it and of its products.
        types = ContentType.objects.get_for_models(Organization, Representation, Product)
        entries = ActivityLog.objects.filter(
            Q(content_type=types[Organization], object_id=str(organization.pk))
            | Q(content_type=types[Representation], object_id__in=[str(r.pk) for r in representations])
            | Q(content_type=types[Product], object_id__in=[str(pk) for pk in product_ids])
        ).select_related("region", "content_type")[:100]
    activity.personal_data_viewed(request, organization)  # contact person, representatives
    return render(request, "registry/manage/organization.html", {
        "organization": organization, "representations": representations, "products_count": len(product_ids),
        "entries": entries, "can_manage": request.user.has_perm("registry.manage_organization", organization),
    })


@permission_required(MANAGE)
@require_POST
def organization_verify(request, pk):
    organization = _organization(request, pk, manage=True)
    services.verify_organization(request.user, organization, request=request)
    messages.success(request, _("The organization is verified."))
    return redirect("registry:manage_organization", pk=organization.pk)


@permission_required(MANAGE)
@require_POST
def organization_set_active(request, pk):
    organization = _organization(request, pk, manage=True)
    form = ActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
        return redirect("registry:manage_organization", pk=organization.pk)
    active = form.cleaned_data["active"]
    services.set_active(request.user, organization, active, reason=form.cleaned_data["reason"].strip(),
                        request=request)
    messages.success(request, _("The organization is active again.") if active
                     else _("The organization is deactivated: it no longer shows in the directory."))
    return redirect("registry:manage_organization", pk=organization.pk)


urlpatterns = [
    path("manage/registry/", manage_home, name="manage_home"),
    path("manage/registry/claims/", claims, name="claims"),
    path("manage/registry/claims/<int:pk>/decide/", claim_decide, name="claim_decide"),
    path("manage/registry/claims/<int:pk>/document/", claim_document, name="claim_document"),
    path("manage/registry/organizations/<int:pk>/", manage_organization, name="manage_organization"),
    path("manage/registry/organizations/<int:pk>/verify/", organization_verify, name="organization_verify"),
    path("manage/registry/organizations/<int:pk>/active/", organization_set_active,
         name="organization_set_active"),
]
