"""Submitting, running, cancelling and retrying background jobs.

- ``submit`` keeps the uploaded files in Django's storage (so any worker, on any machine, can read
  them), records the job and enqueues it when the transaction commits.
- ``execute`` (the task) runs a kind whole, or plans a partitioned kind and enqueues its parts;
  ``execute_part`` runs one part and the last part to finish runs the merge.
- Progress is written outside the handler's final transaction, at most every half second, and
  doubles as the cancellation check.
- Any fault ends the job as failed with its reasons (the faults of a file, capped, with their
  count); an unexpected error is logged with the request id and shown as a short message. A failed
  or cancelled job keeps its input, so it can be retried; a succeeded one frees it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ronghe.apps.jobs.models import Job
from ronghe.apps.jobs.registry import KINDS, JobCancelled, JobFailed, Progress
from ronghe.core.errors import AnswerFileError, FrameworkFileError, RongheError
from ronghe.logs import request_id

log = logging.getLogger(__name__)
Status = Job.Status
PROGRESS_EVERY = 0.5  # seconds between progress writes


class JobError(RongheError):
    """The step does not apply to the job (cancel an ended job, retry a running one …)."""


# --------------------------------------------------------------------------- submitting
def submit(kind: str, owner: Any, title: str, params: dict[str, Any], uploads: list[Any] = ()) -> Job:
    """Record a job of ``kind`` for ``owner`` and enqueue it once the surrounding transaction commits.

    ``uploads`` are uploaded files (or paths); each is kept in storage under ``jobs/`` until the job
    succeeds or is cancelled.
    """
    if kind not in KINDS:
        raise JobError(f"unknown kind of job {kind!r}")
    inputs = [_keep(u) for u in uploads]
    with transaction.atomic():
        job = Job.objects.create(kind=kind, owner=owner, title=title[:200], params=params, inputs=inputs,
                                 request_id=request_id.get() if request_id.get() != "-" else "")
        job.log("job.submitted", owner, kind=kind, title=job.title)
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _keep(upload: Any) -> dict[str, str]:
    label = Path(getattr(upload, "name", str(upload))).name
    suffix = Path(label).suffix.lower()[:10]
    name = f"jobs/inputs/{uuid.uuid4().hex}{suffix}"
    if isinstance(upload, str | Path):
        with open(upload, "rb") as fh:
            stored = default_storage.save(name, File(fh))
    else:
        upload.seek(0)
        stored = default_storage.save(name, upload)
    return {"name": stored, "label": label[:255]}


def _enqueue(job_id: int) -> None:
    from ronghe.apps.jobs.tasks import run_job

    run_job.enqueue(job_id)


def _enqueue_part(job_id: int, part: int) -> None:
    from ronghe.apps.jobs.tasks import run_job_part

    run_job_part.enqueue(job_id, part)


@contextmanager
def local_inputs(job: Job) -> Iterator[list[Path]]:
    """The job's input files as local paths (copied from storage, which may be remote), removed after."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    try:
        for item in job.inputs:
            fd, tmp = tempfile.mkstemp(prefix=f"job{job.pk}-", suffix=Path(item["label"]).suffix.lower()[:10],
                                       dir=folder)
            with os.fdopen(fd, "wb") as out, default_storage.open(item["name"], "rb") as src:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    out.write(chunk)
            paths.append(Path(tmp))
        yield paths
    finally:
        for p in paths:
            with contextlib.suppress(FileNotFoundError):
                p.unlink()


def save_output(job: Job, path: Path, label: str) -> None:
    """Keep a file the job produced (a results workbook …) in storage, for download."""
    with path.open("rb") as fh:
        job.output = default_storage.save(f"jobs/outputs/{job.pk}-{uuid.uuid4().hex}{path.suffix}", File(fh))
    job.output_label = label[:255]
    Job.objects.filter(pk=job.pk).update(output=job.output, output_label=job.output_label)


def part_name(job: Job, part: int, suffix: str) -> str:
    """Where part ``part`` of a partitioned job keeps its input or result (``suffix`` tells which),
    read back by the part and by the merge; removed when the job ends."""
    return f"jobs/parts/{job.pk}/{part:05d}{suffix}"


# --------------------------------------------------------------------------- running
class _Progress(Progress):
    def __init__(self, job: Job, part: int | None = None):
        self.job, self.part = job, part
        self.last = 0.0
        self.reported = 0

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        now = time.monotonic()
        final = total is not None and done >= total
        if now - self.last < PROGRESS_EVERY and not final:
            return
        self.last = now
        if self.part is None:
            fields: dict[str, Any] = {"done": done, "updated_at": timezone.now()}
            if total is not None:
                fields["total"] = total
        else:  # parts add up: each reports its own count
            fields = {"done": F("done") + (done - self.reported), "updated_at": timezone.now()}
            self.reported = done
        if message:
            fields["message"] = message[:300]
        Job.objects.filter(pk=self.job.pk).update(**fields)
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise JobCancelled()


def _start(job_id: int) -> Job | None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != Status.QUEUED:
            return None  # ran already (a duplicate delivery) or cancelled before it started
        if job.cancel_requested:
            _end(job, Status.CANCELLED, message=_("cancelled before it started"))
            return None
        job.status, job.started_at, job.attempts = Status.RUNNING, timezone.now(), job.attempts + 1
        job.save(update_fields=["status", "started_at", "attempts", "updated_at"])
    return job


def execute(job_id: int) -> None:
    """The task body: run the job's kind, or plan it and enqueue its parts."""
    job = _start(job_id)
    if job is None:
        return
    token = request_id.set(job.request_id or f"job-{job.pk}")
    try:
        kind = KINDS[job.kind]
        progress = _Progress(job)
        with _outcome(job):
            if kind.partitioned:
                parts = kind.plan(job, progress)
                Job.objects.filter(pk=job.pk).update(parts_total=parts, parts_done=0, done=0)
                for k in range(parts):  # the job row is committed already: workers may take the parts at once
                    _enqueue_part(job.pk, k)
                if parts == 0:
                    _merge(job)
            else:
                _end(job, Status.SUCCEEDED, result=kind.run(job, progress))
    finally:
        request_id.reset(token)


def execute_part(job_id: int, part: int) -> None:
    """One part of a partitioned job; the part that completes the set runs the merge."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status != Status.RUNNING:
        return  # failed or cancelled meanwhile: the other parts stop here
    token = request_id.set(job.request_id or f"job-{job.pk}")
    try:
        with _outcome(job):
            KINDS[job.kind].run_part(job, part, _Progress(job, part))
            with transaction.atomic():
                Job.objects.filter(pk=job.pk).update(parts_done=F("parts_done") + 1)
                last = Job.objects.select_for_update().get(pk=job.pk)
                complete = last.parts_done == last.parts_total and last.status == Status.RUNNING
            if complete:
                _merge(last)
    finally:
        request_id.reset(token)


def _merge(job: Job) -> None:
    result = KINDS[job.kind].merge(job, _Progress(job))
    _forget_parts(job)
    _end(job, Status.SUCCEEDED, result=result)


def _forget_parts(job: Job) -> None:
    folder = f"jobs/parts/{job.pk}"
    with contextlib.suppress(FileNotFoundError, NotImplementedError):
        for name in default_storage.listdir(folder)[1]:
            default_storage.delete(f"{folder}/{name}")


@contextmanager
def _outcome(job: Job) -> Iterator[None]:
    """Turn whatever the handler raises into the job's end state."""
    try:
        yield
    except JobCancelled:
        _end(job, Status.CANCELLED, message=_("cancelled"))
    except AnswerFileError as exc:
        _end(job, Status.FAILED, message=_("%(n)s problems — nothing was written") % {"n": len(exc.errors)},
             faults=exc.errors)
    except FrameworkFileError as exc:
        _end(job, Status.FAILED, message=str(exc.errors[0]) if exc.errors else "invalid definition")
    except (JobFailed, RongheError) as exc:
        _end(job, Status.FAILED, message=str(exc))
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _end(job, Status.FAILED, message=_("an internal error stopped the job; it is in the log"))


def _end(job: Job, status: str, *, result: dict | None = None, message: str = "", faults: list | None = None) -> None:
    with transaction.atomic():
        current = Job.objects.select_for_update().get(pk=job.pk)
        if current.ended:
            return  # another part ended it first
        fields: dict[str, Any] = {"status": status, "finished_at": timezone.now()}
        if result is not None:
            fields["result"] = result
        if message:
            fields["message"] = message[:300]
        elif status == Status.SUCCEEDED:
            fields["message"] = ""
        if faults is not None:
            limit = settings.RONGHE_MAX_ERRORS_SHOWN
            fields["errors"] = [{"row": e.row or None, "field": e.column or None,
                                 "value": None if e.value is None else str(e.value)[:200], "reason": e.reason,
                                 "sheet": e.sheet} for e in faults[:limit]]
            fields["error_count"] = len(faults)
        if status == Status.SUCCEEDED and current.total:
            fields["done"] = current.total
        Job.objects.filter(pk=job.pk).update(**fields)
        current.refresh_from_db()
        current.log(f"job.{status}", None, message=fields.get("message", ""))
    if status in (Status.SUCCEEDED, Status.CANCELLED):
        _forget_inputs(current)
    if status != Status.SUCCEEDED:
        _forget_parts(current)


def _forget_inputs(job: Job) -> None:
    for item in job.inputs:
        with contextlib.suppress(Exception):
            default_storage.delete(item["name"])
    Job.objects.filter(pk=job.pk).update(inputs=[])


# --------------------------------------------------------------------------- people's actions
def cancel(job: Job, *, by: Any = None) -> Job:
    """Stop a job: a queued one at once, a running one at its next progress report."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.ended:
            raise JobError(_("the job has already ended (%(state)s)") % {"state": job.get_status_display()})
        job.cancel_requested = True
        job.save(update_fields=["cancel_requested", "updated_at"])
        job.log("job.cancel_requested", by)
        if job.status == Status.QUEUED:
            job.status, job.finished_at, job.message = Status.CANCELLED, timezone.now(), _("cancelled")
            job.save(update_fields=["status", "finished_at", "message", "updated_at"])
    if job.status == Status.CANCELLED:
        _forget_inputs(job)
    return job


def retry(job: Job, *, by: Any = None) -> Job:
    """Run a failed job again from the start (its input was kept; nothing of the failed run was written)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.status != Status.FAILED:
            raise JobError(_("only a failed job can be run again"))
        job.status, job.done, job.total, job.message = Status.QUEUED, 0, None, ""
        job.errors, job.error_count, job.result, job.cancel_requested = [], 0, None, False
        job.parts_total = job.parts_done = 0
        job.started_at = job.finished_at = None
        job.save()
        job.log("job.retried", by)
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def jobs_for(user: Any):
    """The jobs ``user`` may see: their own (staff: all)."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.all() if user.is_staff else Job.objects.filter(owner=user)
