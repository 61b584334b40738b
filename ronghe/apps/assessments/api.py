"""Assessments over REST: list what you may see, submit answers as JSON, read scores.

Authentication: see ``ronghe.api.auth``. Access is the same as on the pages (``accounts.access``):
invisible things are 404.
Every error is an ``ErrorOut`` (``ronghe.api.errors``).
"""

from django.conf import settings
from django.http import Http404
from ninja import Router
from ninja.pagination import paginate

from ronghe.api.auth import AUTH
from ronghe.api.errors import ApiError, answer_details, responses
from ronghe.api.fields import Id, Year
from ronghe.api.pagination import Pages
from ronghe.apps.accounts import access
from ronghe.apps.assessments import services
from ronghe.apps.assessments.schemas import AssessmentDetailOut, AssessmentIn, AssessmentOut
from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.core.errors import AnswerFileError

router = Router(tags=["assessments"], auth=AUTH)


def _detail(a, warnings=()):
    a.warnings = [{"item": e.column, "value": e.value, "reason": e.reason} for e in warnings]
    return a


@router.get("/", response=responses(list[AssessmentOut], 401), summary="Assessments visible to you",
            operation_id="assessments_list")
@paginate(Pages)
def list_assessments(request, enterprise: Id | None = None, year: Year | None = None):
    qs = access.assessments_for_user(request.user).select_related("enterprise", "framework", "score")
    if enterprise is not None:
        qs = qs.filter(enterprise_id=enterprise)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "enterprise_id", "-version", "-id")


@router.post("/", response=responses(AssessmentDetailOut, 401, 403, 404, 409),
             summary="Save answers to the draft (and submit it)", operation_id="assessments_save")
def save_answers(request, payload: AssessmentIn):
    """Merge the answers into the enterprise's draft for the framework and year (a new draft if there
    is none); values that are invalid for their item are not stored and come back as ``warnings``.
    With ``"submit": true`` the draft is then submitted: any invalid or missing answer answers 422
    with every fault in ``details``, and nothing is submitted."""
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
            summary="One assessment with its answers and score", operation_id="assessments_get")
def get_assessment(request, assessment_id: Id):
    return _detail(access.get_assessment_for_user(request.user, assessment_id))
