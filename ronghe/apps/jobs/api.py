"""Background jobs over REST: your jobs, one job's progress and outcome, cancel and retry."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Router
from ninja.pagination import paginate

from ronghe.api.auth import AUTH
from ronghe.api.errors import ApiError, responses
from ronghe.api.fields import Id
from ronghe.api.pagination import Pages
from ronghe.apps.jobs import services
from ronghe.apps.jobs.schemas import JobOut, job_dict

router = Router(tags=["jobs"], auth=AUTH)


@router.get("/", response=responses(list[JobOut], 401), summary=_("Your background jobs, newest first"),
            operation_id="jobs_list")
@paginate(Pages)
def list_jobs(request):
    return [job_dict(j) for j in services.jobs_for(request.user)[:10_000]]


@router.get("/{job_id}", response=responses(JobOut, 401, 404), summary=_("One job: state, progress, result or faults"),
            operation_id="jobs_get")
def get_job(request, job_id: Id):
    return job_dict(get_object_or_404(services.jobs_for(request.user), pk=job_id))


@router.post("/{job_id}/cancel", response=responses(JobOut, 401, 403, 404, 409),
             summary=_("Cancel a queued or running job"), operation_id="jobs_cancel")
def cancel_job(request, job_id: Id):
    try:
        job = services.cancel(get_object_or_404(services.jobs_for(request.user), pk=job_id), by=request.user)
    except services.JobError as exc:
        raise ApiError(409, "conflict", str(exc)) from exc
    return job_dict(job)


@router.post("/{job_id}/retry", response=responses(JobOut, 401, 403, 404, 409), summary=_("Run a failed job again"),
             operation_id="jobs_retry")
def retry_job(request, job_id: Id):
    try:
        job = services.retry(get_object_or_404(services.jobs_for(request.user), pk=job_id), by=request.user)
    except services.JobError as exc:
        raise ApiError(409, "conflict", str(exc)) from exc
    return job_dict(job)
