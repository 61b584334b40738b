"""Reports over REST: the enterprise diagnosis report, the annual monitoring report and the
regional evaluation report as PDF (default) or HTML, and the batch of a jurisdiction's enterprise
reports as a background job. Each route calls the same service as the page (``services``); access
is the same as on the pages (invisible things are 404). Every error is an ``ErrorOut``.
"""

from typing import Literal

from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from ronghe.api.auth import AUTH
from ronghe.api.errors import ApiError, responses
from ronghe.api.fields import Id, Slug, Year
from ronghe.apps.reports import services

router = Router(tags=["reports"], auth=AUTH)

Format = Literal["pdf", "html"]
REPORT_RESPONSE = {"responses": {200: {"description": "PDF (format=pdf) or HTML (format=html)", "content": {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    "text/html": {"schema": {"type": "string"}}}}}}


def _answer(request, context: dict, format: str, name: str) -> HttpResponse:
    content = services.export(context, format, by=request.user, via="api")
    if format == "html":
        return HttpResponse(content, content_type="text/html; charset=utf-8")
    from urllib.parse import quote

    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename=\"report.pdf\"; filename*=UTF-8''{quote(name)}"
    return response


@router.get("/enterprise/{assessment_id}", response=responses({200: None}, 401, 404, 409),
            summary=_("An approved assessment's diagnosis report, as PDF or HTML"),
            description=_("For whoever may see the assessment's result (the enterprise, its consultancy, the "
                          "authority over its region): cover, summary with the percentiles in its industry and "
                          "province, the aspects' radar, every indicator's score, the peer benchmark, the weakest "
                          "points with advice, the change on the previous year and the notes on the method. 409 "
                          "until the assessment is approved."),
            operation_id="reports_enterprise", openapi_extra=REPORT_RESPONSE)
def enterprise(request, assessment_id: Id, format: Format = "pdf"):
    try:
        a = services.enterprise_for_user(request.user, assessment_id)
    except services.ReportError as exc:
        raise ApiError(409, "not_scored", str(exc)) from exc
    return _answer(request, services.enterprise_context(a), format, services.file_name(a))


class MonitoringQuery(Schema):
    region: str | None = Field(None, pattern=r"^\d{6}$", description="region code; default: your jurisdiction")
    framework: Slug | None = None
    year: Year | None = None
    format: Format = "pdf"


@router.get("/monitoring", response=responses({200: None}, 401, 404),
            summary=_("The annual monitoring report of a jurisdiction, as PDF or HTML"),
            description=_("For authorities (their jurisdiction and the regions below it) and staff: number "
                          "assessed, stage distribution, key rates and their trend, by sub-region and industry, "
                          "and progress against the action-plan targets; the figures of the dashboard."),
            operation_id="reports_monitoring", openapi_extra=REPORT_RESPONSE)
def monitoring(request, q: Query[MonitoringQuery]):
    from ronghe.apps.frameworks.models import FrameworkVersion

    try:
        context = services.monitoring_context(request.user, q.region, q.framework, q.year)
    except FrameworkVersion.DoesNotExist as exc:
        raise Http404("no such framework") from exc
    return _answer(request, context, q.format, services.monitoring_file_name(context))


@router.get("/regions/{evaluation_id}", response=responses({200: None}, 404), auth=None,
            summary=_("A regional evaluation's report, as PDF or HTML"),
            description=_("Published evaluations for everyone; a draft for its authority and staff: method, "
                          "ranking with tiers, sub-index tables, rank uncertainty and a profile per region."),
            operation_id="reports_region", openapi_extra=REPORT_RESPONSE)
def region(request, evaluation_id: Id, format: Format = "pdf"):
    ev = services.evaluation_for_user(request.user, evaluation_id)
    return _answer(request, services.region_context(ev), format, services.region_file_name(ev))


class BatchIn(Schema):
    region: str | None = Field(None, pattern=r"^\d{6}$", description="region code; default: your jurisdiction")
    year: Year
    framework: Slug | None = None


class BatchQueued(Schema):
    """The batch runs as a background job: follow ``url`` (``/api/jobs/{id}``) and download its output."""

    job: int
    reports: int
    """How many enterprise reports it will draw."""
    url: str


@router.post("/batch", response=responses({202: BatchQueued}, 401, 404, 409),
             summary=_("Draw the diagnosis reports of every enterprise of a jurisdiction (background job)"),
             description=_("For authorities and staff: the latest approved assessment of the year of every "
                           "enterprise in the region, one PDF each, in one zip that the job offers when done. "
                           "409 when there is none."),
             operation_id="reports_batch")
def batch(request, payload: BatchIn):
    try:
        job = services.submit_batch(request.user, payload.region, payload.year, payload.framework)
    except services.ReportError as exc:
        raise ApiError(409, "empty", str(exc)) from exc
    return Status(202, {"job": job.pk, "reports": job.params["count"], "url": f"/api/jobs/{job.pk}"})
