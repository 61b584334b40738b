"""Assessments over REST: list what you may see, submit answers as JSON, read scores and results,
review (approve, return with a reason), revise a returned one, delete one's own draft, export answers
and scores as xlsx. Each route calls the same service as the page (``services``, ``exports``).

Authentication: see ``ronghe.api.auth``. Access is the same as on the pages (``accounts.access``):
invisible things are 404.
Every error is an ``ErrorOut`` (``ronghe.api.errors``).
"""

from typing import Annotated, Literal

from django.conf import settings
from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field, StringConstraints

from ronghe import pagecache
from ronghe.api.auth import AUTH
from ronghe.api.errors import ApiError, answer_details, responses
from ronghe.api.fields import Id, Year
from ronghe.api.pagination import Pages, Rows
from ronghe.apps.accounts import access
from ronghe.apps.assessments import exports, services
from ronghe.apps.assessments.models import Assessment
from ronghe.apps.assessments.schemas import (
    AssessmentDetailOut,
    AssessmentExportQueued,
    AssessmentIn,
    AssessmentOut,
    AssessmentResultOut,
    AssessmentReturnIn,
)
from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.apps.organizations.models import Organization
from ronghe.core.errors import AnswerFileError
from ronghe.core.frameworks.outline import outline
from ronghe.downloads import XLSX_RESPONSE, xlsx_response

router = Router(tags=["assessments"], auth=AUTH)


def _detail(a, warnings=()):
    a.warnings = [{"item": e.column, "value": e.value, "reason": e.reason} for e in warnings]
    return a


StatusName = Literal["draft", "submitted", "rejected", "scored"]


@router.get("/", response=responses(list[AssessmentOut], 401), summary=_("Assessments visible to you"),
            description=_("Every assessment you may see (an enterprise its own, drafts included; an authority its "
                          "jurisdiction's from submission on), newest year first, in pages with the total count."),
            operation_id="assessments_list")
@paginate(Pages)
def list_assessments(request, enterprise: Id | None = None, year: Year | None = None,
                     status: StatusName | None = None):
    qs = access.assessments_for_user(request.user)
    if enterprise is not None:
        qs = qs.filter(enterprise_id=enterprise)
    if year is not None:
        qs = qs.filter(year=year)
    if status is not None:
        qs = qs.filter(status=status)
    # newest year first; within a year the order of the (year, enterprise) index read backwards, so that a
    # page of a province's 100,000 assessments is read from the index instead of sorting them all
    # Rows as dicts of exactly what AssessmentOut shows, keyed by its field names and aliases: no model
    # instances, no JSON columns (answers, the score's nodes/diagnosis) decoded for nothing, and no
    # dotted lookups ("enterprise.name") resolved through a template Variable per item and field.
    # The total of a full page, over a province's assessments, is counted once per change of what it counts
    # (ronghe/pagecache.py), as the enterprise list's is.
    user, scope = request.user, access.provinces(request.user)
    return Rows(qs.order_by("-year", "-enterprise_id", "-version", "-id").values(*LIST_COLUMNS, **LIST_JOINED),
                counted=lambda: pagecache.cached("api-assessment-count", (user.pk, user.is_staff, enterprise, year,
                                                                          status), qs.count,
                                                 people=None, enterprises=scope, assessments=scope))


LIST_COLUMNS = ("id", "enterprise_id", "year", "version", "status")
LIST_JOINED = {"enterprise.name": F("enterprise__name"), "framework.slug": F("framework__slug"),
               "framework.version": F("framework__version"), "score_total": F("score__total"),
               "score_stage_label": F("score__stage_label")}
"""The list's columns, keyed as ``AssessmentOut`` reads them (the score's two are shown for a scored
assessment only: ``schemas._scored``)."""


class AssessmentExportFilter(Schema):
    """What to export (each optional); the scope is always what the caller may see."""

    framework: Annotated[str, StringConstraints(pattern=r"^([A-Za-z0-9][A-Za-z0-9_.-]{0,99})?$")] = Field(
        "", description="framework short name, e.g. gbt23020-discrete")
    year: Year | None = None
    region: Annotated[str, StringConstraints(pattern=r"^(\d{6})?$")] = Field(
        "", description="a region code: the assessments of enterprises in its subtree")
    industry: Annotated[str, StringConstraints(pattern=r"^([A-T]|\d{2})?$")] = Field(
        "", description="a GB/T 4754 section (A–T) or division (2 digits)")
    size: Literal[("", *Organization.Size.values)] = Field("", description="a size band, e.g. 300-1000人")
    status: Literal["", "draft", "submitted", "rejected", "scored"] = ""
    enterprise: Id | None = None


@router.get("/export", response=responses({200: None, 202: AssessmentExportQueued}, 401),
            summary=_("Download answers and scores as xlsx"),
            description=_("The answers and scores of the assessments you may see, filtered: a sheet per framework "
                          "version, one row per assessment with the enterprise's region and industry by name, its "
                          "status, total, stage, every indicator's score and every answer. Headers follow the "
                          "request's language. A larger export than the inline limit answers 202 with a background "
                          "job whose output is the file. Every export is in the audit log."),
            operation_id="assessments_export", openapi_extra=XLSX_RESPONSE)
def export_assessments(request, filters: Query[AssessmentExportFilter]):
    values = exports.clean_filters(filters.dict())
    qs = exports.assessments_to_export(request.user, **values)
    if exports.is_large(qs):
        job = exports.submit_export(request.user, values)
        return Status(202, {"job": job.pk, "rows": qs.count(), "url": f"/api/jobs/{job.pk}"})

    def write(path):
        exports.write_assessments(request.user, values, path)
        return path

    return xlsx_response(write, exports.file_name())


@router.post("/", response=responses(AssessmentDetailOut, 401, 403, 404, 409),
             summary=_("Save answers to the draft (and submit it)"),
             description=_("Merge the answers into the enterprise's draft for the framework and year (a new draft if "
                           "there is none); values that are invalid for their item are not stored and come back as "
                           "warnings. With \"submit\": true the draft is then submitted: any invalid or missing "
                           "answer answers 422 with every fault in details, and nothing is submitted."),
             operation_id="assessments_save")
def save_answers(request, payload: AssessmentIn):
    enterprise = access.get_enterprise_for_user(request.user, payload.enterprise, write=True)
    try:
        framework = FrameworkVersion.objects.get(slug=payload.framework, is_active=True)
    except FrameworkVersion.DoesNotExist as exc:
        raise Http404(f"no framework {payload.framework!r}") from exc
    try:
        a = services.start(enterprise, framework, payload.year, by=request.user)
        warnings = services.save_draft(a, payload.answers, by=request.user)
        if payload.submit:
            if warnings:
                raise AnswerFileError(warnings)
            services.submit(a, by=request.user)
    except AnswerFileError as exc:
        raise ApiError(422, "invalid_answers", "; ".join(dict.fromkeys(e.reason for e in exc.errors[:3])),
                       answer_details(exc.errors, settings.RONGHE_MAX_ERRORS_SHOWN)) from exc
    except services.InputError as exc:
        raise ApiError(422, "invalid", str(exc)) from exc
    except services.WorkflowError as exc:
        raise ApiError(409, "conflict", str(exc)) from exc
    a.refresh_from_db()
    return _detail(a, warnings)


@router.get("/{assessment_id}", response=responses(AssessmentDetailOut, 401, 404),
            summary=_("One assessment with its answers and score"), operation_id="assessments_get")
def get_assessment(request, assessment_id: Id):
    return _detail(access.get_assessment_for_user(request.user, assessment_id, score=True))


@router.get("/{assessment_id}/result", response=responses(AssessmentResultOut, 401, 404, 409),
            summary=_("A scored assessment's result: aspects, indicators, stage and diagnosis"),
            description=_("What the result page shows: the total and stage, the score of each aspect and of every "
                          "indicator of the tree (names in the request's language), the rates and the diagnosis "
                          "(gaps to the next stage, weakest indicators, advice). 409 until the assessment is scored."),
            operation_id="assessments_result")
def get_result(request, assessment_id: Id):
    a = access.get_assessment_for_user(request.user, assessment_id)
    if a.status != Assessment.Status.SCORED:
        raise ApiError(409, "not_scored", str(_("This assessment has no result yet: it is %(state)s.")
                                              % {"state": a.get_status_display()}))
    s = a.score
    tree = outline(a.framework.loaded().framework, exports.locale())

    def node(n):
        return {"id": n.id, "name": n.name, "depth": n.depth, "share": n.share, "score": s.nodes.get(n.id)}

    return {"id": a.pk, "enterprise": a.enterprise_id, "enterprise_name": a.enterprise.name,
            "framework": a.framework.slug, "framework_version": a.framework.version,
            "framework_sha256": s.framework_sha256, "year": a.year, "version": a.version, "total": s.total,
            "stage": s.stage, "stage_label": s.stage_label, "complete": s.complete,
            "placeholder_weights": tree.placeholder,
            "aspects": [node(c) for root in tree.roots for c in root.children],
            "indicators": [node(n) for n in tree.walk()],
            "rates": [{"id": rid, "label": label, "value": s.rates.get(rid)} for rid, label, _item in tree.rates],
            "diagnosis": s.diagnosis}


def _reviewable(request, assessment_id: int):
    a = access.get_assessment_for_user(request.user, assessment_id)
    if not access.can_review(request.user, a.enterprise):
        raise Http404("no such assessment")
    return a


@router.post("/{assessment_id}/approve", response=responses(AssessmentDetailOut, 401, 403, 404, 409),
             summary=_("Approve a submitted assessment (it is scored)"),
             description=_("For the authority whose jurisdiction covers the enterprise: the assessment is scored "
                           "with the framework's current file and the enterprise is told. Nobody approves the "
                           "assessment of an enterprise they work for, nor one they submitted (409)."),
             operation_id="assessments_approve")
def approve(request, assessment_id: Id):
    a = _reviewable(request, assessment_id)
    try:
        services.approve(a, by=request.user)
    except services.WorkflowError as exc:
        raise ApiError(409, "conflict", str(exc)) from exc
    return _detail(access.get_assessment_for_user(request.user, assessment_id))


@router.post("/{assessment_id}/return", response=responses(AssessmentDetailOut, 401, 403, 404, 409),
             summary=_("Return a submitted assessment to the enterprise, with the reason"),
             description=_("The enterprise is told the reason and may revise the assessment as a new version."),
             operation_id="assessments_return")
def return_(request, assessment_id: Id, payload: AssessmentReturnIn):
    a = _reviewable(request, assessment_id)
    try:
        services.reject(a, payload.reason, by=request.user)
    except services.InputError as exc:
        raise ApiError(422, "invalid", str(exc), [{"field": "reason", "reason": str(exc)}]) from exc
    except services.WorkflowError as exc:
        raise ApiError(409, "conflict", str(exc)) from exc
    return _detail(access.get_assessment_for_user(request.user, assessment_id))


@router.post("/{assessment_id}/revise", response=responses({201: AssessmentDetailOut}, 401, 403, 404, 409),
             summary=_("Start a new version of a returned assessment"),
             description=_("A new draft, version n+1, starting from the returned assessment's answers."),
             operation_id="assessments_revise")
def revise(request, assessment_id: Id):
    a = access.get_assessment_for_user(request.user, assessment_id, write=True)
    try:
        new = services.revise(a, by=request.user)
    except services.WorkflowError as exc:
        raise ApiError(409, "conflict", str(exc)) from exc
    return Status(201, _detail(access.get_assessment_for_user(request.user, new.pk)))


@router.delete("/{assessment_id}", response=responses({204: None}, 401, 403, 404, 409),
               summary=_("Delete your own draft"),
               description=_("Only a draft, only by the enterprise (or the consultancy it granted): submitted, "
                             "reviewed and scored assessments are kept (409). The deletion, with the answers it "
                             "held, is in the audit log."),
               operation_id="assessments_delete")
def delete_draft(request, assessment_id: Id):
    a = access.get_assessment_for_user(request.user, assessment_id, write=True)
    try:
        services.delete_draft(a, by=request.user)
    except services.WorkflowError as exc:
        raise ApiError(409, "conflict", str(exc)) from exc
    return Status(204, None)
