"""Job pages: my jobs, one job with its progress (polled), cancel, retry, and the file it produced."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ronghe.apps.audit.models import record
from ronghe.apps.jobs import services
from ronghe.apps.jobs.schemas import job_dict


def _job(request, pk: int):
    return get_object_or_404(services.jobs_for(request.user), pk=pk)


@login_required
def job_list(request):
    return render(request, "jobs/list.html", {"jobs": services.jobs_for(request.user)[:200]})


@login_required
def detail(request, pk: int):
    return render(request, "jobs/detail.html", {"job": _job(request, pk)})


@login_required
def status(request, pk: int):
    """The job's state as JSON, polled by its page."""
    return JsonResponse(job_dict(_job(request, pk)))


@login_required
@require_POST
def cancel(request, pk: int):
    try:
        services.cancel(_job(request, pk), by=request.user)
    except services.JobError as exc:
        messages.error(request, str(exc))
    return redirect("jobs:detail", pk=pk)


@login_required
@require_POST
def retry(request, pk: int):
    try:
        services.retry(_job(request, pk), by=request.user)
    except services.JobError as exc:
        messages.error(request, str(exc))
    return redirect("jobs:detail", pk=pk)


@login_required
def output(request, pk: int):
    job = _job(request, pk)
    if not job.output:
        raise Http404("this job produced no file")
    record("export", actor=request.user, target=job, file=job.output_label, kind=job.kind)
    return FileResponse(default_storage.open(job.output, "rb"), as_attachment=True, filename=job.output_label)
