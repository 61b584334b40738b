"""Regional evaluations over REST: the evaluations one may see, one with its ranking, publishing.

Access as on the pages: published evaluations are public; a draft only for the members of the
authority that ran it (and staff); only those members publish. Running one takes data files and
is a background job (``apps/regions/jobs.py``) over uploaded files or the authority's sample data;
the data template of an authority is a download.
"""

import contextlib

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import File, Form, Router, Status, UploadedFile
from ninja.pagination import paginate

from ronghe import uploads
from ronghe.api.auth import AUTH
from ronghe.api.errors import ApiError, responses, upload_error
from ronghe.api.fields import Id
from ronghe.api.pagination import Pages
from ronghe.apps.audit.models import record
from ronghe.apps.organizations.models import Organization
from ronghe.apps.regions import services
from ronghe.apps.regions.schemas import (
    RegionsEvaluationDetailOut,
    RegionsEvaluationOut,
    RegionsRunIn,
    RegionsRunOut,
    detail_dict,
    evaluation_dict,
)
from ronghe.core.errors import AnswerFileError, ParameterError
from ronghe.downloads import XLSX, XLSX_RESPONSE

router = Router(tags=["regions"])


@router.get("/evaluations", response=responses(list[RegionsEvaluationOut]),
            summary=gettext_lazy("Evaluations you may see: published ones, and your authority's drafts"),
            operation_id="regions_evaluations_list")
@paginate(Pages)
def list_evaluations(request):
    return [evaluation_dict(ev) for ev in services.visible_evaluations(request.user)[:10_000]]


@router.get("/evaluations/{evaluation_id}", response=responses(RegionsEvaluationDetailOut, 404),
            summary=gettext_lazy("One evaluation with its ranking (names, scores, tiers, rank intervals)"),
            operation_id="regions_evaluations_get")
def get_evaluation(request, evaluation_id: Id):
    ev = get_object_or_404(services.visible_evaluations(request.user), pk=evaluation_id)
    return detail_dict(ev, services.ranking(ev))


@router.post("/evaluations/{evaluation_id}/publish", response=responses(RegionsEvaluationOut, 401, 404, 409),
             summary=gettext_lazy("Publish (freeze) a draft of your authority"),
             operation_id="regions_evaluations_publish", auth=AUTH)
def publish_evaluation(request, evaluation_id: Id):
    ev = get_object_or_404(services.visible_evaluations(request.user), pk=evaluation_id)
    if not services.owns(request.user, ev):
        raise ApiError(404, "not_found", _("There is no such evaluation."))
    try:
        ev = services.publish(ev, by=request.user)
    except services.EvaluationError as exc:
        raise ApiError(409, "conflict", str(exc)) from exc
    return evaluation_dict(ev)


def _authority(request, pk: int | None) -> Organization:
    """One of the caller's authorities (``pk``, else the first); 404 for anyone else."""
    mine = Organization.objects.filter(kind=Organization.Kind.AUTHORITY, memberships__user=request.user)
    found = (mine.filter(pk=pk) if pk is not None else mine.order_by("pk")).first()
    if found is None:
        raise Http404("not one of your authorities")
    return found


@router.get("/template", response=responses({200: None}, 401, 404), auth=AUTH,
            summary=gettext_lazy("The data template of your authority (xlsx): its sub-regions with names, "
                                 "a column per indicator"),
            operation_id="regions_template", openapi_extra=XLSX_RESPONSE)
def get_template(request, authority: int | None = None):
    a = _authority(request, authority)
    year = timezone.localdate().year - 1
    response = HttpResponse(services.template_xlsx(a, "lianghua-regional", year), content_type=XLSX)
    record("evaluation.template", actor=request.user, target=a, year=year)
    response["Content-Disposition"] = f'attachment; filename="regional-template-{a.region_id or "national"}.xlsx"'
    return response


@router.post("/evaluations", response=responses({202: RegionsRunOut}, 401, 404, 413),
             summary=gettext_lazy("Run an evaluation (multipart: files, or sample=true) as a background job"),
             description=gettext_lazy(
                 "Queue a run for one of your authorities: the uploaded indicator files (long or wide, as on the "
                 "page) or, with sample, the authority's sample data; the enterprise indicators from the approved "
                 "assessments of the jurisdiction unless use_assessments is false. Answers 202 with the job; follow "
                 "it at /api/jobs/{id}: its result names the evaluation (a draft)."),
             operation_id="regions_evaluations_run", auth=AUTH)
def run_evaluation(request, payload: Form[RegionsRunIn], files: File[list[UploadedFile]] = None):
    a = _authority(request, payload.authority)  # before any file is read
    analysis = {"weights": payload.weights, "normalisations": payload.normalise or None,
                "aggregations": payload.aggregate or None, "imputations": payload.impute or None,
                "treatments": payload.treat or None}
    files = files or []
    if not payload.sample and not files:
        raise ApiError(422, "invalid", _("Choose one or more data files, or use the sample data."),
                       [{"field": "files", "reason": _("required without sample")}])
    if len(files) > 10:
        raise ApiError(422, "invalid", _("At most 10 files at once."), [{"field": "files", "reason": "> 10"}])
    try:
        services.check_analysis(payload.definition, analysis)
        with contextlib.ExitStack() as stack:
            if payload.sample:
                paths = [stack.enter_context(services.sample_path(a, payload.definition))]
            else:
                for f in files:
                    uploads.check(f)
                paths = files
            job = services.submit_job(request.user, a, payload.definition, paths, title=payload.title,
                                      runs=payload.runs, analysis=analysis, use_assessments=payload.use_assessments,
                                      sensitivity={"seed": payload.seed, "sobol": payload.sobol,
                                                   "individual": payload.individual_weights,
                                                   "bootstrap": payload.bootstrap, "level": payload.level})
    except AnswerFileError as exc:
        raise upload_error(exc) from exc
    except (services.EvaluationError, ParameterError) as exc:
        raise ApiError(422, "invalid", str(exc)) from exc
    return Status(202, {"job": job.pk, "url": f"/api/jobs/{job.pk}"})
