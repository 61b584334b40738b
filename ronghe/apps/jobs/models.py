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

from ronghe.apps.audit.models import AuditedModel


class Job(AuditedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "运行中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "失败"
        CANCELLED = "cancelled", "已取消"

    ENDED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    kind = models.CharField(max_length=64, help_text="the registered handler, e.g. assessments.import")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="jobs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    params = models.JSONField(default=dict, blank=True)
    inputs = models.JSONField(default=list, blank=True, help_text="uploaded files kept in storage: [{name, label}]")
    done = models.BigIntegerField(default=0)
    total = models.BigIntegerField(null=True, blank=True)
    message = models.CharField(max_length=300, blank=True)
    result = models.JSONField(null=True, blank=True)
    errors = models.JSONField(default=list, blank=True, help_text="the first faults: [{row, field, value, reason}]")
    error_count = models.PositiveIntegerField(default=0)
    output = models.CharField(max_length=255, blank=True, help_text="a file the job produced, in storage")
    output_label = models.CharField(max_length=255, blank=True)
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(default=0)
    parts_total = models.PositiveIntegerField(default=0)
    parts_done = models.PositiveIntegerField(default=0)
    request_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
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
