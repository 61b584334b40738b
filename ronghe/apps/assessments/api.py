"""Assessments over REST: list what you may see, submit answers as JSON, read scores.

Authentication: ``Authorization: Bearer <key>`` (``manage.py create_api_token``) or the browser
session. Access is the same as on the pages (``accounts.access``): invisible things are 404.
"""

from django.http import Http404
from ninja import Router, Schema, Status
from ninja.security import HttpBearer, django_auth

from ronghe.apps.accounts import access
from ronghe.apps.accounts.services import user_for_key
from ronghe.apps.assessments import services
from ronghe.apps.assessments.models import Assessment
from ronghe.apps.assessments.schemas import AssessmentDetailOut, AssessmentIn, AssessmentOut
from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.core.errors import AnswerFileError


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_key(token)
        if user is not None:
            request.user = user
        return user


router = Router(tags=["assessments"], auth=[TokenAuth(), django_auth])


def _out(a: Assessment, errors=()) -> dict:
    score = getattr(a, "score", None) if a.status == Assessment.Status.SCORED else None
    return {
        "id": a.pk, "enterprise": a.enterprise_id, "enterprise_name": a.enterprise.name, "framework": a.framework.slug,
        "framework_version": a.framework.version, "year": a.year, "version": a.version, "status": a.status,
        "total": score.total if score else None, "stage_label": score.stage_label if score else None,
        "answers": a.answers, "errors": [{"item": e.column, "value": e.value, "reason": e.reason} for e in errors],
        "score": score,
    }


@router.get("/", response=list[AssessmentOut], summary="Assessments visible to you")
def list_assessments(request, enterprise: int | None = None, year: int | None = None):
    qs = Assessment.objects.filter(enterprise__in=access.enterprises_for_user(request.user)).select_related(
        "enterprise", "framework", "score")
    if enterprise is not None:
        qs = qs.filter(enterprise_id=enterprise)
    if year is not None:
        qs = qs.filter(year=year)
    return [_out(a) for a in qs.order_by("-year", "enterprise_id", "-version")[:1000]]


class Message(Schema):
    detail: str


@router.post("/", response={200: AssessmentDetailOut, 409: Message, 422: AssessmentDetailOut},
             summary="Save answers to the draft (and submit it)")
def save_answers(request, payload: AssessmentIn):
    enterprise = access.get_enterprise_for_user(request.user, payload.enterprise, write=True)
    try:
        framework = FrameworkVersion.objects.get(slug=payload.framework, is_active=True)
    except FrameworkVersion.DoesNotExist as exc:
        raise Http404(f"no framework {payload.framework!r}") from exc
    try:
        a = services.start(enterprise, framework, payload.year, by=request.user)
        errors = services.save_draft(a, payload.answers, by=request.user)
        if payload.submit and not errors:
            services.submit(a, by=request.user)
    except AnswerFileError as exc:
        errors = exc.errors
    except services.WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    a.refresh_from_db()
    return Status(422 if errors and payload.submit else 200, _out(a, errors))


@router.get("/{assessment_id}", response=AssessmentDetailOut, summary="One assessment with its answers and score")
def get_assessment(request, assessment_id: int):
    return _out(access.get_assessment_for_user(request.user, assessment_id))
