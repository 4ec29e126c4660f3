"""The representatives' space: the organizations a user represents, registering a new one, asking to
represent an existing one, editing it, its products and their photos.

Who may use it: any signed-in user reaches these pages (anonymous visitors are sent to log in).
Changing an organization, its products or photos needs ``registry.edit_organization`` on the
organization: its approved representatives, the regional staff of its region, national administrators.

Refusals, the same everywhere in this module:

- someone who holds a regional role (staff, partner, juror, trainer) in other regions only gets
  **404**: another region's objects do not exist for them, as on the staff screens;
- anyone else gets **403** when the organization is public (active, listed in the directory): they
  can see it exists, they may not change it; and **404** when it is not public.

These views run for users without a region scope, so they read with ``scopes_disabled()`` and check
permissions on each object themselves.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from tadamon.core import roles
from tadamon.core.decorators import login_required
from tadamon.core.text import normalize

from .. import services
from ..forms import ClaimForm, OrganizationForm, ProductForm
from ..models import Organization, Product, ProductPhoto, Representation

#: A second identical registration within this time is taken for a double submit.
TWIN_MINUTES = 10


def check_can_edit(user, organization):
    """Raise 403/404 (see the module's docstring) unless ``user`` may edit ``organization``."""
    if user.has_perm("registry.edit_organization", organization):
        return
    regional = roles.regions_for(user)
    if regional and organization.region_id not in regional:
        raise Http404
    if organization.is_active and organization.merged_into_id is None:
        raise PermissionDenied
    raise Http404


def _editable_organization(request, pk):
    with scopes_disabled():
        organization = get_object_or_404(Organization.objects.select_related("province", "region", "sector"), pk=pk)
    check_can_edit(request.user, organization)
    return organization


def _represents(user, organization):
    with scopes_disabled():
        return Representation.objects.filter(user=user, organization=organization,
                                             status=Representation.Status.APPROVED).exists()


def _provinces_for(user, organization):
    """Regional staff editing an organization they do not represent keep it in their regions."""
    if organization is None or roles.is_national_admin(user) or _represents(user, organization):
        return None
    from tadamon.core.models import Province

    return Province.objects.filter(region_id__in=roles.regions_for(user, ["regional_staff"]))


def _after_edit_url(user, organization):
    """Representatives go back to their space, staff to the staff view of the organization."""
    if _represents(user, organization):
        return reverse("registry:my_organizations") + f"#organization-{organization.pk}"
    return reverse("registry:manage_organization", args=[organization.pk])


@login_required
def my_organizations(request):
    """The organizations the user represents, with their products, and their requests waiting or refused."""
    with scopes_disabled():
        representations = list(
            Representation.objects.filter(user=request.user)
            .select_related("organization__province", "organization__sector", "organization__region")
            .prefetch_related(Prefetch("organization__products",
                                       queryset=Product.objects.annotate(n_photos=Count("photos"))))
            .order_by("status", "organization__name_ar"))
        approved = [r for r in representations if r.status == Representation.Status.APPROVED]
        others = [r for r in representations if r.status != Representation.Status.APPROVED]
        return render(request, "registry/representative/my_organizations.html",
                      {"approved": approved, "requests": others})


def _recent_twin(user, data):
    """The organization this same user registered moments ago with the same data: a double submit."""
    represented = Organization.objects.filter(representations__user=user,
                                              representations__status=Representation.Status.APPROVED)
    if data.get("registration_number"):
        return represented.filter(legal_form=data["legal_form"],
                                  registration_number=data["registration_number"]).first()
    since = timezone.now() - timedelta(minutes=TWIN_MINUTES)
    name = normalize(data["name_ar"])
    for candidate in represented.filter(province=data["province"], created_at__gte=since):
        if normalize(candidate.name_ar) == name:
            return candidate
    return None


def _lock_user(user):
    """Serialize one user's submissions: a double click waits for the first request to finish."""
    from django.contrib.auth import get_user_model

    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))


@login_required
def organization_create(request):
    """Register a new organization; the user becomes its representative at once."""
    with scopes_disabled():
        form = OrganizationForm(request.POST or None, request.FILES or None, creating=True, region=request.region)
        if request.method == "POST":
            if form.is_valid():
                organization, created = _create(request, form)
                if organization is not None:
                    if created:
                        messages.success(request, _(
                            "Your organization is registered. It shows as “not verified” until the regional team "
                            "checks it. Add its products now."))
                    else:
                        messages.info(request, _("This organization is already registered, and you represent it."))
                    return redirect("registry:my_organizations")
            elif form.duplicate is not None and _represents(request.user, form.duplicate):
                messages.info(request, _("This organization is already registered, and you represent it."))
                return redirect("registry:my_organizations")
        return render(request, "registry/representative/organization_form.html",
                      {"form": form, "creating": True, "duplicate": form.duplicate})


def _create(request, form):
    """(organization, created); (None, False) when another user registered the same number meanwhile."""
    data = form.changes()
    try:
        with transaction.atomic():
            _lock_user(request.user)
            twin = _recent_twin(request.user, data)
            if twin is not None:
                return twin, False
            return services.create_organization(request.user, data, request=request), True
    except IntegrityError:
        form.check_duplicate()
        return None, False


@login_required
def organization_edit(request, pk):
    organization = _editable_organization(request, pk)
    with scopes_disabled():
        form = OrganizationForm(request.POST or None, request.FILES or None, instance=organization,
                                region=organization.region, provinces=_provinces_for(request.user, organization))
        if request.method == "POST" and form.is_valid():
            try:
                services.update_organization(request.user, organization, form.changes(), request=request)
            except IntegrityError:
                organization.refresh_from_db()
                form.check_duplicate()
            else:
                messages.success(request, _("Saved."))
                return redirect(_after_edit_url(request.user, organization))
        return render(request, "registry/representative/organization_form.html", {
            "form": form, "organization": organization, "duplicate": form.duplicate,
            "back_url": _after_edit_url(request.user, organization)})


@login_required
def claim(request, pk):
    """Ask to represent an organization that is already registered; the regional team decides."""
    with scopes_disabled():
        organization = get_object_or_404(
            Organization.objects.select_related("province", "region", "sector"),
            pk=pk, is_active=True, merged_into__isnull=True)
        existing = Representation.objects.filter(user=request.user, organization=organization).first()
        form = ClaimForm(request.POST or None, request.FILES or None)
        if request.method == "POST":
            if existing is not None:
                messages.info(request, _already_message(existing))
                return redirect("registry:my_organizations")
            if form.is_valid():
                try:
                    services.request_representation(
                        request.user, organization, document=form.cleaned_data["document"],
                        message=form.cleaned_data["message"],
                        role_in_organization=form.cleaned_data["role_in_organization"], request=request)
                except services.AlreadyRequested:
                    messages.info(request, _("You have already asked to represent this organization."))
                else:
                    messages.success(request, _(
                        "Your request is sent. The regional team will check it; you will receive an e-mail with "
                        "their answer."))
                return redirect("registry:my_organizations")
        return render(request, "registry/representative/claim.html", {
            "organization": organization, "form": form, "existing": existing,
            "already": _already_message(existing) if existing else ""})


def _already_message(representation):
    if representation.status == Representation.Status.APPROVED:
        return _("You already represent this organization.")
    if representation.status == Representation.Status.PENDING:
        return _("You have already asked to represent this organization. The regional team will answer soon.")
    return _("Your request to represent this organization was refused. Contact the regional team if you think "
             "this is a mistake.")


def _twin_product(organization, data):
    since = timezone.now() - timedelta(minutes=TWIN_MINUTES)
    name = normalize(data["name_ar"])
    for candidate in Product.objects.filter(organization=organization, created_at__gte=since):
        if normalize(candidate.name_ar) == name:
            return candidate
    return None


@login_required
def product_create(request, pk):
    organization = _editable_organization(request, pk)
    with scopes_disabled():
        form = ProductForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                # Lock the organization: a double click waits, then finds the product just created.
                list(Organization.objects.select_for_update().filter(pk=organization.pk).values_list("pk"))
                twin = _twin_product(organization, form.cleaned_data)
                if twin is not None:
                    messages.info(request, _("This product is already added."))
                    return redirect("registry:product_edit", pk=twin.pk)
                product = services.save_product(request.user, Product(organization=organization), form.changes(),
                                                request=request)
                for picture in form.cleaned_data["photos"]:
                    services.add_photo(request.user, product, picture, request=request)
            messages.success(request, _("The product is added."))
            return redirect("registry:product_edit", pk=product.pk)
        return render(request, "registry/representative/product_form.html",
                      {"form": form, "organization": organization,
                       "back_url": _after_edit_url(request.user, organization)})


def _editable_product(request, pk):
    with scopes_disabled():
        product = get_object_or_404(Product.objects.select_related("organization__region", "category"), pk=pk)
    check_can_edit(request.user, product.organization)
    return product


@login_required
def product_edit(request, pk):
    product = _editable_product(request, pk)
    with scopes_disabled():
        photos = list(product.photos.all())
        form = ProductForm(request.POST or None, request.FILES or None, instance=product,
                           existing_photos=len(photos))
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                services.save_product(request.user, product, form.changes(), request=request)
                for picture in form.cleaned_data["photos"]:
                    services.add_photo(request.user, product, picture, request=request)
            messages.success(request, _("Saved."))
            return redirect("registry:product_edit", pk=product.pk)
        return render(request, "registry/representative/product_form.html", {
            "form": form, "organization": product.organization, "product": product, "photos": photos,
            "back_url": _after_edit_url(request.user, product.organization)})


@login_required
@require_POST
def photo_delete(request, pk):
    with scopes_disabled():
        photo = get_object_or_404(ProductPhoto.objects.select_related("product__organization__region"), pk=pk)
    check_can_edit(request.user, photo.product.organization)
    product = photo.product
    with scopes_disabled():
        services.remove_photo(request.user, photo, request=request)
    messages.success(request, _("The photo is removed."))
    return redirect("registry:product_edit", pk=product.pk)


urlpatterns = [
    path("my/organizations/", my_organizations, name="my_organizations"),
    path("my/organizations/new/", organization_create, name="organization_create"),
    path("my/organizations/<int:pk>/edit/", organization_edit, name="organization_edit"),
    path("my/organizations/<int:pk>/products/new/", product_create, name="product_create"),
    path("my/products/<int:pk>/edit/", product_edit, name="product_edit"),
    path("my/photos/<int:pk>/delete/", photo_delete, name="photo_delete"),
    path("organizations/<int:pk>/claim/", claim, name="claim"),
]
