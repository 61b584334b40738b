from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Schema


class JobOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    status_label: str
    done: int
    total: int | None
    percent: float | None
    message: str
    result: dict[str, Any] | None
    errors: list[dict[str, Any]]
    error_count: int
    output: str | None
    """Where to download the file the job produced, if any."""
    cancel_requested: bool
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def job_dict(job) -> dict[str, Any]:
    return {
        "id": job.pk, "kind": job.kind, "title": job.title, "status": job.status,
        "status_label": job.get_status_display(), "done": job.done, "total": job.total, "percent": job.percent,
        "message": job.message, "result": job.result, "errors": job.errors, "error_count": job.error_count,
        "output": reverse("jobs:output", args=[job.pk]) if job.output else None,
        "cancel_requested": job.cancel_requested, "attempts": job.attempts, "created_at": job.created_at,
        "started_at": job.started_at, "finished_at": job.finished_at,
    }
