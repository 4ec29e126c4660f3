"""Staff screen of the documents printed for a whole edition: the exhibitors' badges and the stand signs,
made in the background (progress on the page) and downloaded as one PDF each."""

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from tadamon.core.decorators import permission_required

from .. import badges, placement
from ..floor_models import Badge, DocumentJob, Participation
from .manage import MANAGE, VIEW, _edition


@permission_required(VIEW)
def documents(request, pk):
    edition = _edition(request, pk)
    jobs = badges.latest_jobs(edition)
    if request.htmx and request.method == "GET":
        running = [job for job in jobs.values() if job is not None and job.is_active]
        if running:
            return render(request, "fairs/floor/_documents_progress.html", {"edition": edition, "jobs": jobs})
        return HttpResponseClientRefresh()
    exhibitors = badges.exhibitors_to_place(edition).count()
    listed = Participation.objects.filter(edition=edition).exclude(staff_names=[]).count()
    return render(request, "fairs/floor/documents.html", {
        "edition": edition, "jobs": jobs, "exhibitors": exhibitors, "listed": listed,
        "badge_count": Badge.objects.filter(edition=edition, active=True).aggregate(n=Count("id"))["n"],
        "running": any(job is not None and job.is_active for job in jobs.values()),
        "can_manage": request.user.has_perm("fairs.manage_edition", edition),
    })


@permission_required(MANAGE)
@require_POST
def start(request, pk):
    edition = _edition(request, pk, manage=True)
    kind = request.POST.get("kind", "")
    if kind not in DocumentJob.Kind.values:
        messages.error(request, _("Unknown document: nothing was started."))
        return redirect("fairs:manage_documents", pk=edition.pk)
    job, created = badges.start_job(request.user, edition, kind, base_url=placement.site_url(request),
                                    language=request.LANGUAGE_CODE)
    if created:
        messages.success(request, _("The PDF is being made. This page follows its progress."))
    else:
        messages.info(request, _("This PDF is already being made."))
    return redirect("fairs:manage_documents", pk=edition.pk)


@permission_required(VIEW)
def download(request, pk):
    job = get_object_or_404(DocumentJob.objects.select_related("edition"), pk=pk)
    edition = _edition(request, job.edition_id)
    if job.status != DocumentJob.Status.DONE or not job.file:
        raise Http404
    name = f"tadamon-{job.kind}-{edition.pk}.pdf"
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")


urlpatterns = [
    path("manage/fairs/<int:pk>/badges/", documents, name="manage_documents"),
    path("manage/fairs/<int:pk>/badges/start/", start, name="manage_documents_start"),
    path("manage/fairs/documents/<int:pk>/download/", download, name="manage_documents_download"),
]
