"""Public pages: workshops and their proposals (propose, support once, comment), the public
accountability page of a region's action plan, and the catalogue of the pole's shared services
(booking by an organization's representative, and their bookings).

Public data is read inside ``scopes_disabled()``; writes need a signed-in person.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from tadamon.core.decorators import login_required, public
from tadamon.core.models import Region

from .. import services
from ..forms import BookingForm, CommentForm, ProposalForm
from ..models import Booking, PoleService, Proposal, Workshop

P = Proposal.Status


def _workshop(pk):
    return get_object_or_404(Workshop.objects.select_related("session__edition", "region"), pk=pk)


def _proposal(pk):
    return get_object_or_404(Proposal.objects.select_related("workshop__session", "theme", "merged_into"), pk=pk)


@public
def workshop_list(request):
    with scopes_disabled():
        workshops = Workshop.objects.select_related("session", "region").annotate(
            n_proposals=Count("proposals", filter=~Q(proposals__status=P.HIDDEN)))
        if request.region:
            workshops = workshops.filter(region=request.region)
        workshops = list(workshops)
    return render(request, "consult/workshop_list.html", {"workshops": workshops})


@public
def workshop(request, pk):
    with scopes_disabled():
        item = _workshop(pk)
        theme = request.GET.get("theme")
        proposals = (Proposal.objects.filter(workshop=item).exclude(status=P.HIDDEN).select_related("theme")
                     .annotate(n_supports=Count("supports")).order_by("-n_supports", "pk"))
        if theme and theme.isdigit():
            proposals = proposals.filter(theme_id=int(theme))
        proposals = list(proposals)
        themes = list(item.themes.annotate(n=Count("proposals", filter=~Q(proposals__status=P.HIDDEN))))
        mine = services.supports_of(request.user, proposals)
        can_facilitate = request.user.has_perm("consult.facilitate", item)
    form = ProposalForm(workshop=item) if request.user.is_authenticated and item.is_open else None
    return render(request, "consult/workshop.html", {
        "workshop": item, "proposals": proposals, "themes": themes, "mine": mine, "form": form,
        "theme": theme, "can_facilitate": can_facilitate})


@login_required
def propose(request, pk):
    with scopes_disabled():
        item = _workshop(pk)
        form = ProposalForm(request.POST or None, workshop=item)
        if request.method == "POST" and form.is_valid():
            try:
                proposal = services.submit_proposal(item, author=request.user, request=request,
                                                    **form.cleaned_data)
            except services.ConsultError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Thank you: your proposal is published."))
                return redirect("consult:proposal", pk=proposal.pk)
    return render(request, "consult/propose.html", {"workshop": item, "form": form})


@public
def proposal(request, pk):
    with scopes_disabled():
        item = _proposal(pk)
        if item.status == P.HIDDEN and not request.user.has_perm("consult.facilitate", item.workshop) \
                and item.author_id != getattr(request.user, "pk", None):
            return render(request, "consult/hidden.html", {"proposal": item}, status=410)
        comments = list(item.comments.select_related("author"))
        supports = item.supports.count()
        supported = item.pk in services.supports_of(request.user, [item])
        action = getattr(item, "action", None) if item.status == P.RETAINED else None
        can_facilitate = request.user.has_perm("consult.facilitate", item.workshop)
        can_manage = request.user.has_perm("consult.manage_object", item)
    return render(request, "consult/proposal.html", {
        "proposal": item, "comments": comments, "supports": supports, "supported": supported,
        "comment_form": CommentForm() if request.user.is_authenticated else None, "action": action,
        "can_facilitate": can_facilitate, "can_manage": can_manage})


@login_required
@require_POST
def support(request, pk):
    with scopes_disabled():
        item = _proposal(pk)
        try:
            services.support(request.user, item, request=request)
        except services.ConsultError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your support is counted."))
    return redirect("consult:proposal", pk=item.pk)


@login_required
@require_POST
def comment(request, pk):
    with scopes_disabled():
        item = _proposal(pk)
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.comment(request.user, item, form.cleaned_data["body"], request=request)
            except services.ConsultError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your comment is published."))
        else:
            messages.error(request, _("Write your comment first."))
    return redirect(f"{item.get_absolute_url()}#comments")


@public
def accountability(request, slug):
    region = get_object_or_404(Region, slug=slug)
    with scopes_disabled():
        workshops = services.accountability(region)
    return render(request, "consult/accountability.html", {"region": region, "workshops": workshops})


@public
def catalogue(request):
    with scopes_disabled():
        region = request.region
        items = PoleService.objects.filter(is_active=True).select_related("region")
        if region:
            items = items.filter(region=region)
        items = list(items)
    return render(request, "consult/catalogue.html", {"services": items, "region": region})


@public
def service(request, pk):
    with scopes_disabled():
        item = get_object_or_404(PoleService.objects.select_related("region"), pk=pk)
        busy = services.upcoming(item)
        organizations = services.representable_organizations(request.user)
        form = None
        if request.user.is_authenticated and organizations.exists():
            form = BookingForm(request.POST or None, organizations=organizations)
            if request.method == "POST" and form.is_valid():
                try:
                    booking = services.book(request.user, item, request=request, **form.cleaned_data)
                except services.ConsultError as error:
                    messages.error(request, str(error))
                else:
                    messages.success(request, _("Your booking is registered; staff will approve it. Price: "
                                                "%(price)s MAD.") % {"price": booking.price_mad})
                    return redirect("consult:my_bookings")
    return render(request, "consult/service.html", {"service": item, "busy": busy, "form": form})


@login_required
def my_bookings(request):
    with scopes_disabled():
        organizations = services.representable_organizations(request.user)
        bookings = list(Booking.objects.filter(organization__in=organizations)
                        .select_related("service", "organization").order_by("-starts_at"))
    return render(request, "consult/my_bookings.html", {"bookings": bookings})


@login_required
@require_POST
def cancel_booking(request, pk):
    with scopes_disabled():
        booking = get_object_or_404(Booking.objects.select_related("organization"), pk=pk)
        if not request.user.has_perm("consult.own_booking", booking):
            raise PermissionDenied
        try:
            services.cancel_booking(request.user, booking, request=request)
        except services.ConsultError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The booking is cancelled."))
    return redirect("consult:my_bookings")


urlpatterns = [
    path("consultations/", workshop_list, name="workshops"),
    path("consultations/<int:pk>/", workshop, name="workshop"),
    path("consultations/<int:pk>/propose/", propose, name="propose"),
    path("consultations/proposals/<int:pk>/", proposal, name="proposal"),
    path("consultations/proposals/<int:pk>/support/", support, name="support"),
    path("consultations/proposals/<int:pk>/comment/", comment, name="comment"),
    path("accountability/<slug:slug>/", accountability, name="accountability"),
    path("pole/", catalogue, name="catalogue"),
    path("pole/services/<int:pk>/", service, name="service"),
    path("pole/my-bookings/", my_bookings, name="my_bookings"),
    path("pole/bookings/<int:pk>/cancel/", cancel_booking, name="cancel_booking"),
]
