"""The edition report made in the background: one PDF and one XLSX per run, with its progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from tadamon.core.models import Region, RegionFromParent
from tadamon.fairs.models import AllocationRun, Edition


class ReportJob(RegionFromParent, models.Model):
    #: The statuses of every background run of an edition (allocation runs, document batches).
    Status = AllocationRun.Status

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="report_jobs",
                                verbose_name=_("edition"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    pdf = models.FileField(upload_to="insights/reports/%Y/", blank=True)
    xlsx = models.FileField(upload_to="insights/reports/%Y/", blank=True)
    language = models.CharField(max_length=8, default="ar")
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("edition report")
        verbose_name_plural = _("edition reports")

    def __str__(self):
        return f"{self.edition} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self):
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def progress_percent(self):
        if not self.total:
            return 0 if self.is_active else 100
        return min(100, round(100 * self.done / self.total))
