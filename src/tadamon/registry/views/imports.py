"""Staff screens of the registry's data: imports of organizations, exports, duplicates and merges.

- Imports, duplicates and merges: regional staff (their region only) and national administrators
  ("registry.manage_registry"). Another region's import or organization is a 404.
- Exports: whoever reads the registry ("registry.view_registry"): regional staff and partner
  viewers export their own region, national administrators any region.
"""

import logging
import secrets
from datetime import date

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from tadamon.core import activity, roles
from tadamon.core.decorators import permission_required
from tadamon.core.models import Region, Role

from .. import exporter, services
from ..duplicates import find_duplicates
from ..filters import DirectoryFilterForm, organization_queryset
from ..importer import MAX_FILE_SIZE
from ..models import ImportJob, Organization
from ..tasks import run_import_job

logger = logging.getLogger(__name__)

MANAGE = "registry.manage_registry"
VIEW = "registry.view_registry"
REPORT_PAGE_SIZE = 50
SESSION_TOKENS = "registry_import_tokens"

activity.register_actions({"registry.exported": gettext_lazy("registry exported")})


def _managed_region_ids(user):
    """None for national administrators (every region), else the regions the user is staff of."""
    if roles.is_national_admin(user):
        return None
    return roles.regions_for(user, [Role.REGIONAL_STAFF])


def _readable_region_ids(user):
    if roles.is_national_admin(user):
        return None
    return roles.regions_for(user, [Role.REGIONAL_STAFF, Role.PARTNER_VIEWER])


# ---- imports ------------------------------------------------------------------------------------

class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("An Excel workbook (.xlsx) or a CSV file, 20 MB at most, with the columns of the "
                               "import format."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))
    mode = forms.ChoiceField(label=gettext_lazy("Rows with errors"), choices=ImportJob.Mode.choices,
                             initial=ImportJob.Mode.VALID_ROWS, widget=forms.RadioSelect)
    dry_run = forms.BooleanField(label=gettext_lazy("Preview only (check the file and show what would change, "
                                                    "without writing anything)"),
                                 required=False, initial=True)
    region = forms.ModelChoiceField(label=gettext_lazy("Region"), queryset=Region.objects.none(), required=False)
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, regions=None, national=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        if national:
            field.queryset = Region.objects.all()
            field.empty_label = gettext_lazy("No region: rows of every region are accepted")
            field.help_text = gettext_lazy("Rows of provinces outside the chosen region are rejected.")
        elif regions is not None and len(regions) > 1:
            field.queryset = Region.objects.filter(pk__in=regions)
            field.required = True
        else:
            del self.fields["region"]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Choose an Excel workbook (.xlsx) or a CSV file (.csv)."))
        if uploaded.size > MAX_FILE_SIZE:
            raise forms.ValidationError(_("The file is larger than 20 MB: split it into smaller files."))
        if uploaded.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return uploaded


def _new_token(request):
    token = secrets.token_urlsafe(16)
    tokens = request.session.get(SESSION_TOKENS, [])[-9:]
    request.session[SESSION_TOKENS] = [*tokens, token]
    return token


def _use_token(request, token):
    """True the first time a form token comes back: a second submit of the same form is refused."""
    tokens = request.session.get(SESSION_TOKENS, [])
    if token not in tokens:
        return False
    tokens.remove(token)
    request.session[SESSION_TOKENS] = tokens
    return True


def _jobs(user):
    jobs = ImportJob.objects.select_related("region", "created_by")
    region_ids = _managed_region_ids(user)
    if region_ids is not None:
        jobs = jobs.filter(region_id__in=region_ids)
    return jobs


def _start(job):
    try:
        run_import_job.enqueue(job.pk)
    except Exception:
        logger.exception("could not enqueue import %s", job.pk)
        job.status = ImportJob.Status.FAILED
        job.error = _("The import could not be started. Try again in a few minutes.")
        job.save(update_fields=["status", "error"])


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def import_list(request):
    """Past imports of the user's region and the upload form."""
    region_ids = _managed_region_ids(request.user)
    national = region_ids is None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, regions=region_ids, national=national)
        if form.is_valid():
            if not _use_token(request, form.cleaned_data["token"]):
                latest = _jobs(request.user).filter(created_by=request.user).first()
                messages.info(request, _("This file was already sent."))
                return redirect("registry:import_detail", pk=latest.pk) if latest else redirect("registry:imports")
            if "region" in form.fields:
                region = form.cleaned_data["region"]
            else:
                region = Region.objects.filter(pk=region_ids[0]).first() if region_ids else None
            uploaded = form.cleaned_data["file"]
            original_name = uploaded.name[:255]
            # Stored under a name nobody can guess: the file holds phone numbers and e-mails.
            uploaded.name = secrets.token_hex(16) + ("." + original_name.rsplit(".", 1)[-1].lower())
            job = ImportJob.objects.create(
                region=region, created_by=request.user, file=uploaded, original_name=original_name,
                mode=form.cleaned_data["mode"], dry_run=form.cleaned_data["dry_run"],
                language=request.LANGUAGE_CODE)
            _start(job)
            return redirect("registry:import_detail", pk=job.pk)
        form.data = form.data.copy()
        form.data["token"] = _new_token(request)
    else:
        initial = {"token": _new_token(request)}
        if request.region is not None:
            initial["region"] = request.region.pk
        form = ImportForm(initial=initial, regions=region_ids, national=national)
    page = Paginator(_jobs(request.user).defer("report"), 20).get_page(request.GET.get("page"))
    return render(request, "registry/imports/list.html", {"form": form, "page": page})


def _report_rows(job, status):
    """The report, problems first, optionally one status only."""
    order = {"rejected": 0, "updated": 1, "created": 2, "unchanged": 3}
    rows = job.report or []
    if status:
        rows = [r for r in rows if r.get("status") == status]
    return sorted(rows, key=lambda r: (order.get(r.get("status"), 4), r.get("row", 0)))


def _can_confirm(job):
    return (job.dry_run and job.status == ImportJob.Status.DONE and (job.created_count or job.updated_count)
            and not (job.mode == ImportJob.Mode.ALL_OR_NOTHING and job.rejected_count))


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def import_detail(request, pk):
    """One import: progress while it runs (polled every second), then the row-by-row report.

    POST on a finished preview starts the real import of the same file (once).
    """
    running = (ImportJob.Status.PENDING, ImportJob.Status.RUNNING)
    if request.htmx and request.method == "GET":
        job = get_object_or_404(_jobs(request.user).defer("report"), pk=pk)
        if job.status in running:
            return render(request, "registry/imports/progress.html", {"job": job, "running": True})
        return HttpResponseClientRefresh()
    job = get_object_or_404(_jobs(request.user), pk=pk)
    if request.method == "POST":
        return _confirm(request, job)
    status = request.GET.get("status", "")
    if status not in ("", "rejected", "created", "updated", "unchanged"):
        status = ""
    rows = _report_rows(job, status)
    page = Paginator(rows, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = {}
    for row in job.report or []:
        statuses[row.get("status")] = statuses.get(row.get("status"), 0) + 1
    real_job = None
    if job.dry_run:
        real_job = _jobs(request.user).filter(file=job.file.name, dry_run=False).defer("report").first()
    return render(request, "registry/imports/detail.html", {
        "job": job, "running": job.status in running, "page": page, "status": status,
        "query": urlencode({"status": status}) if status else "", "unchanged_count": statuses.get("unchanged", 0),
        "can_confirm": _can_confirm(job) and real_job is None, "real_job": real_job,
        "nothing_written": (job.mode == ImportJob.Mode.ALL_OR_NOTHING and job.rejected_count > 0),
    })


def _confirm(request, job):
    if not _can_confirm(job):
        messages.error(request, _("This preview cannot be imported."))
        return redirect("registry:import_detail", pk=job.pk)
    with transaction.atomic():
        # Lock the preview so that a double click starts one import, not two.
        ImportJob.objects.select_for_update().filter(pk=job.pk).first()
        existing = _jobs(request.user).filter(file=job.file.name, dry_run=False).first()
        if existing is not None:
            return redirect("registry:import_detail", pk=existing.pk)
        real = ImportJob.objects.create(
            region=job.region, created_by=request.user, file=job.file.name, original_name=job.original_name,
            mode=job.mode, dry_run=False, language=request.LANGUAGE_CODE)
    _start(real)
    return redirect("registry:import_detail", pk=real.pk)


# ---- exports ------------------------------------------------------------------------------------

def _export_organizations(request):
    """(organizations, region_ids) for the directory filters of the query string, limited to the
    regions the user reads. Raises Http404 for a region the user may not read."""
    form = DirectoryFilterForm(request.GET)
    if not form.is_valid():
        return None, form
    filters = form.filters()
    allowed = _readable_region_ids(request.user)
    if allowed is None:
        region_ids = [filters["region_id"]]
    elif filters["region_id"]:
        if filters["region_id"] not in allowed:
            raise Http404
        region_ids = [filters["region_id"]]
    else:
        region_ids = allowed
    organizations = []
    for region_id in region_ids:
        organizations.extend(organization_queryset(form.cleaned_data.get("q") or "",
                                                   {**filters, "region_id": region_id}, public=False))
    return organizations, form


@permission_required(VIEW)
def export_page(request):
    """The two export formats for the current directory filters."""
    form = DirectoryFilterForm(request.GET or None)
    query = request.GET.urlencode()
    return render(request, "registry/imports/export.html", {"form": form, "query": query})


def _export(request, kind):
    organizations, form = _export_organizations(request)
    if organizations is None:
        messages.error(request, _("Check the filters of the export."))
        return redirect(reverse("registry:export") + "?" + request.GET.urlencode())

    def url_for(org):
        return request.build_absolute_uri(org.get_absolute_url())

    stamp = date.today().isoformat()
    if kind == "xlsx":
        content = exporter.to_xlsx(organizations, url_for)
        response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument."
                                                      "spreadsheetml.sheet")
    else:
        content = exporter.to_csv(organizations, url_for)
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tadamon-organizations-{stamp}.{kind}"'
    region = request.region if getattr(request, "region", None) is not None else None
    activity.record(request.user, "registry.exported", None, region=region,
                    after={"format": kind, "rows": len(organizations), "filters": request.GET.urlencode()},
                    request=request)
    return response


@permission_required(VIEW)
def export_xlsx(request):
    return _export(request, "xlsx")


@permission_required(VIEW)
def export_csv(request):
    return _export(request, "csv")


# ---- duplicates and merges -----------------------------------------------------------------------

class MergeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why are these the same organization?"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))


#: Above this many organizations, a national administrator is asked to choose a region first.
NATIONAL_DUPLICATES_LIMIT = 20000


@permission_required(MANAGE)
def duplicate_list(request):
    """Suspected duplicates in the user's region (national administrators: the chosen region)."""
    region_ids = _managed_region_ids(request.user)
    region = None
    regions = ()
    if region_ids is None:
        regions = Region.objects.all()
        code = request.GET.get("region")
        region = regions.filter(code=code).first() if code else request.region
        if region is not None:
            region_ids = [region.pk]
    if region_ids is None and Organization.objects.count() > NATIONAL_DUPLICATES_LIMIT:
        groups, choose = [], True
    else:
        groups, choose = find_duplicates(region_ids), False
    page = Paginator(groups, 20).get_page(request.GET.get("page"))
    return render(request, "registry/imports/duplicates.html", {
        "page": page, "count": len(groups), "regions": regions, "region": region, "choose_region": choose,
        "query": urlencode({"region": region.code}) if region is not None and regions else ""})


def _managed_organization(request, pk):
    qs = Organization.objects.select_related("province", "sector", "region", "merged_into")
    region_ids = _managed_region_ids(request.user)
    if region_ids is not None:
        qs = qs.filter(region_id__in=region_ids)
    org = get_object_or_404(qs, pk=pk)
    if not request.user.has_perm("registry.manage_organization", org):
        raise Http404
    return org


def _display(org, field):
    model_field = Organization._meta.get_field(field)
    if model_field.choices:
        return getattr(org, f"get_{field}_display")()
    value = getattr(org, field)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def _comparison(keep, other):
    rows = []
    for field in services.ORGANIZATION_FIELDS:
        if field == "is_active":
            continue
        mine, theirs = _display(keep, field), _display(other, field)
        result = mine if mine not in ("", None) else theirs
        rows.append({"label": Organization._meta.get_field(field).verbose_name, "keep": mine, "other": theirs,
                     "result": result, "differs": str(mine) != str(theirs)})
    return rows


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def merge(request, keep, other):
    """Compare two organizations side by side; on POST, merge ``other`` into ``keep`` with a reason."""
    if keep == other:
        raise Http404
    kept, duplicate = _managed_organization(request, keep), _managed_organization(request, other)
    if kept.merged_into_id or duplicate.merged_into_id:
        messages.info(request, _("One of these organizations has already been merged."))
        return redirect("registry:duplicates")
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            locked = Organization.objects.select_for_update().filter(pk__in=[kept.pk, duplicate.pk]) \
                .values_list("pk", "merged_into_id")
            if any(merged for _pk, merged in locked):
                messages.info(request, _("One of these organizations has already been merged."))
                return redirect("registry:duplicates")
            services.merge_organizations(request.user, kept, duplicate, reason=form.cleaned_data["reason"],
                                         request=request)
        messages.success(request, _("“%(other)s” is merged into “%(keep)s”.") % {"other": duplicate.name,
                                                                               "keep": kept.name})
        return redirect("registry:duplicates")
    counts = {
        "keep": (kept.products.count(), kept.representations.count()),
        "other": (duplicate.products.count(), duplicate.representations.count()),
    }
    return render(request, "registry/imports/merge.html", {
        "keep": kept, "other": duplicate, "rows": _comparison(kept, duplicate), "form": form, "counts": counts,
    })


urlpatterns = [
    path("manage/registry/imports/", import_list, name="imports"),
    path("manage/registry/imports/<int:pk>/", import_detail, name="import_detail"),
    path("manage/registry/export/", export_page, name="export"),
    path("manage/registry/export.xlsx", export_xlsx, name="export_xlsx"),
    path("manage/registry/export.csv", export_csv, name="export_csv"),
    path("manage/registry/duplicates/", duplicate_list, name="duplicates"),
    path("manage/registry/duplicates/merge/<int:keep>/<int:other>/", merge, name="merge"),
]
