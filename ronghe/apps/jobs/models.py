"""A job: long work (an import, a Monte Carlo, a batch) run by a worker, with progress and cancel.

Django's Tasks API carries the work to a worker (``tasks.py``); the ``Job`` row is what people
see: its state, progress (``done`` of ``total``), the result or the faults, the file it produced.
The work itself is a handler of its kind (``registry.py``) that calls the same services as the
pages; a handler writes in one transaction at its end, so a job that fails or is cancelled leaves
nothing behind and can simply be run again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ronghe.apps.audit.models import AuditedModel


class Job(AuditedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    ENDED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    kind = models.CharField(_("Kind"), max_length=64, help_text="the registered handler, e.g. assessments.import")
    title = models.CharField(_("Title"), max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Owner"), null=True, on_delete=models.SET_NULL,
                              related_name="jobs")
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    params = models.JSONField(_("Params"), default=dict, blank=True)
    inputs = models.JSONField(_("Inputs"), default=list, blank=True,
                              help_text="uploaded files kept in storage: [{name, label}]")
    done = models.BigIntegerField(_("Done"), default=0)
    total = models.BigIntegerField(_("Total"), null=True, blank=True)
    message = models.CharField(_("Message"), max_length=300, blank=True)
    result = models.JSONField(_("Result"), null=True, blank=True)
    errors = models.JSONField(_("Errors"), default=list, blank=True,
                              help_text="the first faults: [{row, field, value, reason}]")
    error_count = models.PositiveIntegerField(_("Error count"), default=0)
    output = models.CharField(_("Output"), max_length=255, blank=True, help_text="a file the job produced, in storage")
    output_label = models.CharField(_("Output label"), max_length=255, blank=True)
    cancel_requested = models.BooleanField(_("Cancel requested"), default=False)
    attempts = models.PositiveIntegerField(_("Attempts"), default=0)
    parts_total = models.PositiveIntegerField(_("Parts total"), default=0)
    parts_done = models.PositiveIntegerField(_("Parts done"), default=0)
    request_id = models.CharField(_("Request id"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("Started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Background job")
        verbose_name_plural = _("Background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def ended(self) -> bool:
        return self.status in self.ENDED

    @property
    def percent(self) -> float | None:
        if not self.total:
            return 100.0 if self.status == self.Status.SUCCEEDED else None
        return round(100 * min(self.done, self.total) / self.total, 1)
