"""Public pages of prizes (the prize, its published winners, certificates) and the representatives'
candidacy form."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from tadamon.core.decorators import login_required, public
from tadamon.registry.models import Organization

from .. import services
from ..forms import CandidacyForm
from ..models import Award, Candidacy, Prize

PUBLIC_STATUSES = [s for s in Prize.Status.values if s != Prize.Status.DRAFT]


def public_prize(pk):
    with scopes_disabled():
        return get_object_or_404(Prize.objects.select_related("edition__region", "ceremony").filter(
            status__in=PUBLIC_STATUSES), pk=pk)


@public
def prize_detail(request, pk):
    prize = public_prize(pk)
    with scopes_disabled():
        categories = list(prize.categories.select_related("sector"))
        criteria = list(prize.criteria.all())
        count = prize.candidacies.filter(status=Candidacy.Status.SUBMITTED).count()
    return render(request, "prizes/public/prize.html", {
        "prize": prize, "categories": categories, "criteria": criteria, "candidacy_count": count,
        "winners": services.winners(prize) if prize.published_at else None,
        "candidacy_open": prize.candidacy_open()})


@login_required
def apply(request, pk):
    prize = public_prize(pk)
    organizations = services.exhibitors_of(request.user, prize)
    with scopes_disabled():
        mine = list(Candidacy.objects.filter(prize=prize, organization__in=organizations).select_related(
            "category", "organization"))
        queryset = Organization.objects.with_scopes_disabled().filter(pk__in=[o.pk for o in organizations])
        form = None
        if prize.candidacy_open() and organizations:
            form = CandidacyForm(request.POST or None, request.FILES or None, prize=prize, organizations=queryset)
            if request.method == "POST" and form.is_valid():
                data = form.cleaned_data
                try:
                    services.apply(request.user, prize, data["organization"], data["category"], data["pitch"],
                                   data["photos"], request=request)
                except services.PrizeError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _("Your candidacy was received. The jury will score it."))
                    return redirect("prizes:apply", pk=prize.pk)
    return render(request, "prizes/public/apply.html", {
        "prize": prize, "form": form, "mine": mine, "has_organizations": bool(organizations)})


@public
def award_certificate(request, code):
    """The winner's certificate; the code (in the QR) is the key, like the programme's."""
    with scopes_disabled():
        award = Award.objects.select_related(
            "ranking", "candidacy__prize__edition__region", "candidacy__organization__province",
            "candidacy__category").filter(code=code, ranking__prize__published_at__isnull=False).first()
        if award is None:
            raise Http404
        url = request.build_absolute_uri(award.get_absolute_url())
        pdf = services.certificate_pdf(award, absolute_url=url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tadamon-prize-{award.pk}.pdf"'
    return response


urlpatterns = [
    path("prizes/<int:pk>/", prize_detail, name="prize"),
    path("prizes/<int:pk>/apply/", apply, name="apply"),
    path("prizes/certificates/<str:code>.pdf", award_certificate, name="certificate"),
]
