"""The applicant's side: apply to a call for exhibitors in steps saved as drafts, follow the
application, withdraw, confirm, download the acceptance letter."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from tadamon.core.decorators import login_required
from tadamon.registry.models import Organization, Representation

from .. import services
from ..forms import (
    ChooseOrganizationForm,
    DeclarationStepForm,
    NeedsStepForm,
    PoleStepForm,
    ProductsStepForm,
    QuestionsStepForm,
)
from ..models import Application, ApplicationDocument, Edition

STEP_KEYS = ["pole", "products", "needs", "questions", "declaration"]


def represented_organizations(user):
    return Organization.objects.with_scopes_disabled().filter(
        representations__user=user, representations__status=Representation.Status.APPROVED,
        is_active=True).distinct()


def _own_application(request, pk):
    """The application, if the user represents its organization; otherwise 404 (never reveal it)."""
    with scopes_disabled():
        application = get_object_or_404(Application.objects.select_related("edition", "organization", "pole"), pk=pk)
    if not request.user.has_perm("fairs.edit_application", application):
        raise Http404
    return application


@login_required
def apply(request, pk):
    with scopes_disabled():
        edition = get_object_or_404(Edition.objects.exclude(status=Edition.Status.DRAFT), pk=pk)
        organizations = represented_organizations(request.user)
        if not edition.call_is_open():
            messages.error(request, _("The call for exhibitors of this edition is not open."))
            return redirect("fairs:edition", pk=edition.pk)
        if not organizations.exists():
            messages.warning(request, _("To apply, first register your organization or ask to represent it."))
            return redirect("registry:my_organizations")
        form = ChooseOrganizationForm(request.POST or None, organizations=organizations,
                                      initial={"organization": organizations.first()})
        if request.method == "POST" and form.is_valid() or organizations.count() == 1 and request.method == "GET":
            organization = form.cleaned_data["organization"] if form.is_bound else organizations.get()
            application, created = services.start_application(request.user, edition, organization, request=request)
            if not created:
                messages.info(request, _("Your organization already has an application for this edition."))
            return redirect("fairs:application_step", pk=application.pk, step="pole")
    return render(request, "fairs/apply/choose_organization.html", {"edition": edition, "form": form})


@login_required
def application_step(request, pk, step):
    if step not in STEP_KEYS:
        raise Http404
    application = _own_application(request, pk)
    with scopes_disabled():
        editable = services.can_edit(application)
        form = _step_form(step, application, request)
        if request.method == "POST":
            if not editable:
                messages.error(request, _("This application can no longer be changed."))
                return redirect("fairs:application", pk=application.pk)
            if form.is_valid():
                with transaction.atomic():
                    # Lock the row: a double click or a second representative waits for the first.
                    list(Application.objects.select_for_update().filter(pk=application.pk).values_list("pk"))
                    current = Application.objects.values_list("status", flat=True).get(pk=application.pk)
                    if current not in services.EDITABLE:
                        messages.info(request, _("This application is already sent."))
                        return redirect("fairs:application", pk=application.pk)
                    _save_step(step, form, application)
                if current in services.SENT:
                    services.check_eligibility(None, application, request=request)
                index = STEP_KEYS.index(step)
                if index + 1 < len(STEP_KEYS):
                    messages.success(request, _("Saved. You can come back to it until the deadline."))
                    return redirect("fairs:application_step", pk=application.pk, step=STEP_KEYS[index + 1])
                try:
                    services.submit(request.user, application, request=request)
                except services.TransitionError as error:
                    messages.error(request, str(error))
                    return redirect("fairs:application_step", pk=application.pk, step="declaration")
                services.check_eligibility(None, application, request=request)
                messages.success(request, _("Your application is submitted. You can still change it until the "
                                            "deadline."))
                return redirect("fairs:application", pk=application.pk)
        context = {"application": application, "form": form, "step": step, "steps": _steps(step),
                   "editable": editable, "missing": services.missing_for_submission(application)
                   if step == "declaration" else []}
        return render(request, "fairs/apply/step.html", context)


def _steps(current):
    labels = {"pole": _("Pole"), "products": _("Products"), "needs": _("Needs"), "questions": _("Questions"),
              "declaration": _("Send")}
    return [{"key": k, "label": labels[k], "number": i + 1, "current": k == current}
            for i, k in enumerate(STEP_KEYS)]


def _step_form(step, application, request):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    if step == "pole":
        return PoleStepForm(data, instance=application)
    if step == "products":
        return ProductsStepForm(data, instance=application)
    if step == "needs":
        return NeedsStepForm(data, instance=application)
    if step == "questions":
        return QuestionsStepForm(data, files, application=application)
    return DeclarationStepForm(data, instance=application)


def _save_step(step, form, application):
    """Save only the step's own fields: never write back a stale status or other step's fields."""
    if step != "questions":
        instance = form.save(commit=False)
        fields = [f for f in form.Meta.fields if f in {fld.name for fld in instance._meta.concrete_fields}]
        if fields:
            instance.save(update_fields=[*fields, "updated_at"])
        form.save_m2m()
        return
    answers = dict(application.answers)
    for name, value in form.cleaned_data.items():
        if name.startswith("q_"):
            answers[name[2:]] = value
        elif name.startswith("doc_") and value:
            document_id = int(name[4:])
            existing = ApplicationDocument.objects.filter(application=application,
                                                          required_document_id=document_id).first()
            if existing:
                existing.file.delete(save=False)
                existing.file.save(value.name, value)
            else:
                doc = ApplicationDocument(application=application, required_document_id=document_id)
                doc.file.save(value.name, value, save=False)
                doc.save()
    application.answers = answers
    application.first_participation = form.cleaned_data.get("first_participation", False)
    application.save(update_fields=["answers", "first_participation", "updated_at"])


@login_required
def application_detail(request, pk):
    application = _own_application(request, pk)
    with scopes_disabled():
        return render(request, "fairs/apply/application.html", {
            "application": application, "editable": services.can_edit(application),
            "products": list(application.products.all()),
            "withdrawable": application.status in services.WITHDRAWABLE,
            "letter": application.status in (Application.Status.SELECTED, Application.Status.CONFIRMED)
            and application.edition.selection_published_at is not None,
        })


@login_required
def my_applications(request):
    with scopes_disabled():
        applications = (Application.objects.filter(organization__in=represented_organizations(request.user))
                        .select_related("edition", "organization", "pole").order_by("-created_at"))
        return render(request, "fairs/apply/my_applications.html", {"applications": list(applications)})


@login_required
@require_POST
def withdraw(request, pk):
    application = _own_application(request, pk)
    try:
        services.withdraw(request.user, application, request=request)
        messages.success(request, _("Your application is withdrawn."))
    except services.TransitionError as error:
        messages.error(request, str(error))
    return redirect("fairs:application", pk=application.pk)


@login_required
@require_POST
def confirm(request, pk):
    application = _own_application(request, pk)
    try:
        services.confirm(request.user, application, request=request)
        messages.success(request, _("Thank you: your participation is confirmed."))
    except services.TransitionError as error:
        messages.error(request, str(error))
    return redirect("fairs:application", pk=application.pk)


@login_required
def letter(request, pk):
    """The acceptance letter (PDF, Arabic and French on one page)."""
    application = _own_application(request, pk)
    if application.status not in (Application.Status.SELECTED, Application.Status.CONFIRMED) or \
            application.edition.selection_published_at is None:
        raise Http404
    from ..documents import acceptance_letter

    with scopes_disabled():
        pdf = acceptance_letter(application)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tadamon-letter-{application.pk}.pdf"'
    return response


urlpatterns = [
    path("fairs/<int:pk>/apply/", apply, name="apply"),
    path("applications/", my_applications, name="my_applications"),
    path("applications/<int:pk>/", application_detail, name="application"),
    path("applications/<int:pk>/step/<slug:step>/", application_step, name="application_step"),
    path("applications/<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("applications/<int:pk>/confirm/", confirm, name="confirm"),
    path("applications/<int:pk>/letter.pdf", letter, name="letter"),
]
