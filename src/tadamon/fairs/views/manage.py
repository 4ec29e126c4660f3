"""Staff screens of fairs: editions, poles, the call, the review of applications, the selection.

Regional staff run their region's editions; national administrators every region; partner viewers
read. Editions and applications are read through scoped managers, so another region's are 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tadamon.core import activity, roles
from tadamon.core.decorators import permission_required
from tadamon.core.models import Region

from .. import services
from ..documents import exhibitors_xlsx
from ..forms import (
    CriterionForm,
    EditionForm,
    PoleForm,
    QuestionForm,
    QuotaForm,
    RequiredDocumentForm,
    ReturnForm,
    ReviewForm,
)
from ..models import Application, Edition, Pole, Review, SelectionQuota, SelectionRun

VIEW = "core.view_region"
MANAGE = "core.manage_region"


def _edition(request, pk, manage=False):
    edition = get_object_or_404(Edition.objects.select_related("region"), pk=pk)
    if manage and not request.user.has_perm("fairs.manage_edition", edition):
        raise PermissionDenied
    return edition


def _managed_regions(user):
    if roles.is_national_admin(user):
        return Region.objects.all()
    return Region.objects.filter(pk__in=roles.regions_for(user, ["regional_staff"]))


@permission_required(VIEW)
def edition_list(request):
    editions = Edition.objects.select_related("region").annotate(n_applications=Count("applications"))
    return render(request, "fairs/manage/edition_list.html", {
        "editions": editions, "can_create": request.user.has_perm(MANAGE)})


@permission_required(MANAGE)
def edition_create(request):
    form = EditionForm(request.POST or None, regions=_managed_regions(request.user),
                       initial={"region": request.region})
    if request.method == "POST" and form.is_valid():
        edition = form.save()
        activity.record(request.user, "edition.status_changed", edition, after={"status": edition.status},
                        request=request)
        messages.success(request, _("The edition is created as a draft."))
        return redirect("fairs:manage_edition", pk=edition.pk)
    return render(request, "fairs/manage/edition_form.html", {"form": form})


@permission_required(VIEW)
def edition_admin(request, pk):
    edition = _edition(request, pk)
    counts = dict(Application.objects.filter(edition=edition).values_list("status").annotate(n=Count("id")))
    can_manage = request.user.has_perm("fairs.manage_edition", edition)
    return render(request, "fairs/manage/edition_admin.html", {
        "edition": edition, "poles": edition.poles.all(), "criteria": edition.criteria.all(),
        "questions": edition.questions.all(), "documents": edition.required_documents.all(),
        "counts": [(Application.Status(s).label, counts.get(s, 0), s) for s in Application.Status.values],
        "next_statuses": [(s, Edition.Status(s).label) for s in Edition.TRANSITIONS[edition.status]],
        "can_manage": can_manage, "pole_form": PoleForm(), "criterion_form": CriterionForm(),
        "question_form": QuestionForm(), "document_form": RequiredDocumentForm(),
        "quotas": edition.quotas.select_related("pole"), "quota_form": QuotaForm(edition=edition),
    })


@permission_required(MANAGE)
def edition_edit(request, pk):
    edition = _edition(request, pk, manage=True)
    form = EditionForm(request.POST or None, instance=edition, regions=_managed_regions(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        services.record_configuration(request.user, edition, after={"changed": form.changed_data}, request=request)
        messages.success(request, _("Saved."))
        return redirect("fairs:manage_edition", pk=edition.pk)
    return render(request, "fairs/manage/edition_form.html", {"form": form, "edition": edition})


@permission_required(MANAGE)
@require_POST
def edition_status(request, pk):
    edition = _edition(request, pk, manage=True)
    try:
        services.change_edition_status(request.user, edition, request.POST.get("status", ""), request=request)
        messages.success(request, _("The status is now: %(s)s.") % {"s": edition.get_status_display()})
    except (services.TransitionError, ValueError) as error:
        messages.error(request, str(error))
    return redirect("fairs:manage_edition", pk=edition.pk)


def _add_child(form_class, attach):
    @permission_required(MANAGE)
    @require_POST
    def view(request, pk):
        edition = _edition(request, pk, manage=True)
        form = form_class(request.POST)
        if form.is_valid():
            obj = form.save(commit=False)
            obj.edition = edition
            obj.save()
            services.record_configuration(request.user, edition, after={attach: str(obj)}, request=request)
            messages.success(request, _("Added."))
        else:
            errors = "; ".join(f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}"
                               for f, e in form.errors.items())
            messages.error(request, _("Nothing was added: %(errors)s") % {"errors": errors})
        return redirect(f"{edition_admin_url(edition)}#{attach}")

    return view


def edition_admin_url(edition):
    from django.urls import reverse

    return reverse("fairs:manage_edition", args=[edition.pk])


add_pole = _add_child(PoleForm, "poles")
add_criterion = _add_child(CriterionForm, "criteria")
add_question = _add_child(QuestionForm, "questions")
add_document = _add_child(RequiredDocumentForm, "documents")


@permission_required(MANAGE)
@require_POST
def add_quota(request, pk):
    edition = _edition(request, pk, manage=True)
    form = QuotaForm(request.POST, edition=edition)
    if form.is_valid():
        services.add_quota(request.user, edition, form, request=request)
        messages.success(request, _("Added."))
    else:
        errors = "; ".join(" ".join(e) for e in form.errors.values())
        messages.error(request, _("Nothing was added: %(errors)s") % {"errors": errors})
    return redirect(f"{edition_admin_url(edition)}#quotas")


@permission_required(MANAGE)
@require_POST
def remove_quota(request, pk):
    quota = get_object_or_404(SelectionQuota.objects.select_related("edition"), pk=pk)
    edition = _edition(request, quota.edition_id, manage=True)
    services.remove_quota(request.user, quota, request=request)
    messages.success(request, _("The quota is removed."))
    return redirect(f"{edition_admin_url(edition)}#quotas")


@permission_required(MANAGE)
def pole_edit(request, pk):
    pole = get_object_or_404(Pole, pk=pk)
    edition = _edition(request, pole.edition_id, manage=True)
    form = PoleForm(request.POST or None, instance=pole)
    if request.method == "POST" and form.is_valid():
        form.save()
        services.record_configuration(request.user, edition, after={"pole": pole.name_fr, "changed": form.changed_data},
                                      request=request)
        messages.success(request, _("Saved."))
        return redirect("fairs:manage_edition", pk=edition.pk)
    return render(request, "fairs/manage/simple_form.html", {"form": form, "edition": edition, "title": pole.name})


@permission_required(VIEW)
def application_list(request, pk):
    edition = _edition(request, pk)
    applications = (Application.objects.filter(edition=edition)
                    .select_related("organization__province", "organization__sector", "pole")
                    .annotate(n_reviews=Count("reviews")).order_by("-score", "pk"))
    status = request.GET.get("status", "")
    pole = request.GET.get("pole", "")
    if status in Application.Status.values:
        applications = applications.filter(status=status)
    if pole.isdigit():
        applications = applications.filter(pole_id=int(pole))
    if request.GET.get("women_led") == "1":
        applications = applications.filter(organization__women_led=True)
    counts = dict(Application.objects.filter(edition=edition).values_list("status").annotate(n=Count("id")))
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "fairs/manage/application_list.html", {
        "edition": edition, "page": page, "query": query.urlencode(), "status": status, "pole": pole,
        "poles": edition.poles.all(), "statuses": Application.Status.choices,
        "counts": [(s, Application.Status(s).label, counts.get(s, 0)) for s in Application.Status.values],
        "can_manage": request.user.has_perm("fairs.manage_edition", edition),
    })


@permission_required(MANAGE)
@require_POST
def check_all_eligibility(request, pk):
    edition = _edition(request, pk, manage=True)
    n = 0
    for application in Application.objects.filter(edition=edition, status=Application.Status.SUBMITTED):
        services.check_eligibility(request.user, application, request=request)
        n += 1
    messages.success(request, _("Eligibility checked for %(n)s applications.") % {"n": n})
    return redirect("fairs:manage_applications", pk=edition.pk)


@permission_required(VIEW)
def application_review(request, pk):
    application = get_object_or_404(Application.objects.select_related("edition", "organization", "pole"), pk=pk)
    edition = application.edition
    can_manage = request.user.has_perm("fairs.manage_edition", edition)
    mine = Review.objects.filter(application=application, reviewer=request.user).first()
    review_form = ReviewForm(request.POST if request.method == "POST" and "score" in request.POST else None,
                             criteria=edition.criteria.all(), initial_scores=mine.scores if mine else None,
                             initial={"comment": mine.comment if mine else ""})
    return_form = ReturnForm(request.POST if request.method == "POST" and "return" in request.POST else None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            if "score" in request.POST and review_form.is_valid():
                services.save_review(request.user, application, review_form.scores(),
                                     review_form.cleaned_data["comment"], request=request)
                messages.success(request, _("Your scores are saved."))
                return redirect("fairs:manage_application", pk=application.pk)
            if "return" in request.POST and return_form.is_valid():
                services.return_for_completion(request.user, application, return_form.cleaned_data["message"],
                                               request=request)
                messages.success(request, _("The application is returned to the applicant."))
                return redirect("fairs:manage_application", pk=application.pk)
            if "eligibility" in request.POST:
                services.check_eligibility(request.user, application, request=request)
                return redirect("fairs:manage_application", pk=application.pk)
            if "pin" in request.POST:
                services.set_pin(request.user, application, request.POST.get("pin"), request=request)
                return redirect("fairs:manage_application", pk=application.pk)
        except services.TransitionError as error:
            messages.error(request, str(error))
    reviews = list(application.reviews.select_related("reviewer"))
    activity.personal_data_viewed(request, application)
    return render(request, "fairs/manage/application_review.html", {
        "application": application, "edition": edition, "organization": application.organization,
        "products": application.products.all(), "documents": application.documents.select_related(
            "required_document"), "questions": [(q, application.answers.get(str(q.pk), ""))
                                                for q in edition.questions.all()],
        "reviews": reviews, "review_form": review_form, "return_form": return_form, "can_manage": can_manage,
    })


@permission_required(VIEW)
def selection(request, pk):
    edition = _edition(request, pk)
    run = SelectionRun.objects.filter(edition=edition).first()
    can_manage = request.user.has_perm("fairs.manage_edition", edition)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            if "run" in request.POST:
                run = services.run_selection(request.user, edition, request=request)
                messages.success(request, _("The selection is computed. Check it, adjust the pins, then publish."))
            elif "publish" in request.POST:
                services.publish_selection(request.user, edition, request=request)
                messages.success(request, _("The selection is published and the applicants are notified."))
        except services.TransitionError as error:
            messages.error(request, str(error))
        except ValueError as error:  # the edition's quotas do not make a valid instance
            messages.error(request, _("The selection could not be computed: %(error)s") % {"error": error})
        except TimeoutError:
            messages.error(request, _("The selection found no answer in the time allowed. Try again; if it happens "
                                      "again, loosen the quotas."))
        return redirect("fairs:manage_selection", pk=edition.pk)
    rows = {"selected": [], "waitlist": []}
    if run is not None:
        by_id = {str(a.pk): a for a in services.selection_candidates(edition)}
        rows["selected"] = [by_id[str(i)] for i in run.result.get("selected", []) if str(i) in by_id]
        rows["waitlist"] = [by_id[str(i)] for i in run.result.get("waitlist", []) if str(i) in by_id]
    return render(request, "fairs/manage/selection.html", {
        "edition": edition, "run": run, "rows": rows, "can_manage": can_manage,
        "can_publish": can_manage and edition.status == Edition.Status.CALL_CLOSED and run is not None,
    })


@permission_required(VIEW)
def export_xlsx(request, pk):
    edition = _edition(request, pk)
    applications = (Application.objects.filter(edition=edition)
                    .select_related("organization__province", "organization__sector", "pole")
                    .order_by("status", "-score"))
    response = HttpResponse(exhibitors_xlsx(edition, applications),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="tadamon-edition-{edition.pk}.xlsx"'
    return response


urlpatterns = [
    path("manage/fairs/", edition_list, name="manage_editions"),
    path("manage/fairs/new/", edition_create, name="manage_edition_create"),
    path("manage/fairs/<int:pk>/", edition_admin, name="manage_edition"),
    path("manage/fairs/<int:pk>/edit/", edition_edit, name="manage_edition_edit"),
    path("manage/fairs/<int:pk>/status/", edition_status, name="manage_edition_status"),
    path("manage/fairs/<int:pk>/poles/add/", add_pole, name="manage_add_pole"),
    path("manage/fairs/<int:pk>/criteria/add/", add_criterion, name="manage_add_criterion"),
    path("manage/fairs/<int:pk>/questions/add/", add_question, name="manage_add_question"),
    path("manage/fairs/<int:pk>/documents/add/", add_document, name="manage_add_document"),
    path("manage/fairs/poles/<int:pk>/", pole_edit, name="manage_pole"),
    path("manage/fairs/<int:pk>/quotas/add/", add_quota, name="manage_add_quota"),
    path("manage/fairs/quotas/<int:pk>/remove/", remove_quota, name="manage_remove_quota"),
    path("manage/fairs/<int:pk>/applications/", application_list, name="manage_applications"),
    path("manage/fairs/<int:pk>/applications/eligibility/", check_all_eligibility, name="manage_eligibility"),
    path("manage/fairs/applications/<int:pk>/", application_review, name="manage_application"),
    path("manage/fairs/<int:pk>/selection/", selection, name="manage_selection"),
    path("manage/fairs/<int:pk>/export.xlsx", export_xlsx, name="manage_export"),
]
