"""贯标 and 评定 over REST: the standards (public), projects, cases and their transitions, findings,
certificates, the public verification (rate-limited) and an authority's figures.

Access is the pages' (``accounts.access``): what you may not see is 404. A step the lifecycle refuses
answers 409 with the table's message (简体中文 by default) and its code; a value outside a step's
bounds answers 422. Every error is an ``ErrorOut``.
"""


from typing import Annotated, Any, Literal

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate
from pydantic import Field, StringConstraints

from ronghe.api.auth import AUTH
from ronghe.api.errors import ApiError, responses
from ronghe.api.fields import Id, Slug
from ronghe.api.pagination import Pages
from ronghe.apps.accounts import access
from ronghe.apps.certification import services, throttle
from ronghe.apps.certification.models import Case, Finding, Standard
from ronghe.apps.certification.schemas import (
    ApplyIn,
    CaseDetailOut,
    CaseOut,
    CertificateDetailOut,
    CertificateOut,
    CertificateTransitionIn,
    ClauseCheckIn,
    FiguresOut,
    FindingIn,
    FindingOut,
    FindingTransitionIn,
    ProjectDetailOut,
    ProjectOut,
    StandardDetailOut,
    StandardOut,
    TransitionIn,
)
from ronghe.apps.organizations.models import Organization
from ronghe.core.certification.lifecycle import CASE
from ronghe.core.errors import RongheError

router = Router(tags=["certification"], auth=AUTH)
LookUp = Annotated[str, StringConstraints(min_length=2, max_length=100, pattern=r"^[^\x00]*$")]
"""A certificate number or part of an enterprise name."""


def _step(exc: RongheError) -> ApiError:
    if isinstance(exc, services.Refused):
        return ApiError(409, exc.code, str(exc))
    return ApiError(422, "invalid", str(exc))


def _locale() -> str:
    return get_language() or "zh-hans"


@router.get("/standards", auth=None, response=responses(list[StandardOut]), operation_id="certification_standards",
            summary="The management-system standards in use (public)")
@paginate(Pages)
def list_standards(request):
    services.requirement_standards()  # registers the shipped files on first use
    return Standard.objects.filter(is_active=True).order_by("slug")


@router.get("/standards/{slug}", auth=None, response=responses(StandardDetailOut, 404),
            operation_id="certification_standard", summary="One standard: its clause tree or capability grades")
def get_standard(request, slug: Slug, locale: Literal["zh-Hans", "en"] = "zh-Hans"):
    services.requirement_standards()
    row = Standard.objects.filter(slug=slug, is_active=True).first()
    if row is None:
        raise Http404(slug)
    loaded = row.loaded()
    checkable = {c.id for c in loaded.checkable}
    data: dict[str, Any] = StandardOut.from_orm(row).dict()
    data["clauses"] = [{"id": c.id, "parent": c.parent, "title": c.title.get(locale), "basis": c.basis,
                        "requirement": c.requirement.get(locale) if c.requirement else None,
                        "notes": c.notes.get(locale) if c.notes else None, "checkable": c.id in checkable,
                        "documented": [{"id": d.id, "text": d.text.get(locale), "basis": d.basis}
                                       for d in c.documented]} for c in loaded.standard.clauses]
    data["grades"] = [{"code": g.code, "name": g.name.get(locale), "basis": g.basis} for g in loaded.standard.grades]
    return data


@router.get("/projects", response=responses(list[ProjectOut], 401), operation_id="certification_projects",
            summary="贯标 projects visible to you")
@paginate(Pages)
def list_projects(request, enterprise: Id | None = None):
    qs = access.projects_for_user(request.user).select_related("enterprise", "standard")
    if enterprise is not None:
        qs = qs.filter(enterprise_id=enterprise)
    return qs.order_by("-id")


def _project_detail(p):
    p.progress = services.progress(p)
    return p


@router.get("/projects/{project_id}", response=responses(ProjectDetailOut, 401, 404),
            operation_id="certification_project", summary="One project: milestones, clause self-check, progress")
def get_project(request, project_id: Id):
    return _project_detail(access.get_project_for_user(request.user, project_id))


@router.post("/projects/{project_id}/clauses", response=responses(ProjectDetailOut, 401, 403, 404),
             operation_id="certification_check_clause", summary="Record the self-check of one clause")
def check_clause(request, project_id: Id, payload: ClauseCheckIn):
    p = access.get_project_for_user(request.user, project_id, write=True)
    try:
        services.check_clause(p, by=request.user, **payload.dict())
    except services.InputError as exc:
        raise _step(exc) from exc
    return _project_detail(p)


def _case_detail(request, c):
    roles = access.case_roles(request.user, c)
    c.actions = [t.name for t in CASE.leaving(c.state) if roles & t.roles]
    c.events = services.history(c)
    return c


@router.post("/projects/{project_id}/apply", response=responses(CaseDetailOut, 401, 403, 404, 409),
             operation_id="certification_apply", summary="Apply to an assessment body for 评定")
def apply(request, project_id: Id, payload: ApplyIn):
    p = access.get_project_for_user(request.user, project_id, write=True)
    body = Organization.objects.filter(pk=payload.body, kind=Organization.Kind.ASSESSMENT_BODY).first()
    previous = None
    if payload.previous_certificate is not None:
        previous = p.enterprise.certificates.filter(pk=payload.previous_certificate).first()
        if previous is None:
            raise Http404("no such certificate")
    if body is None:
        raise Http404("no such assessment body")
    try:
        c = services.apply(p, body, by=request.user, previous_certificate=previous)
    except (services.Refused, services.InputError) as exc:
        raise _step(exc) from exc
    return _case_detail(request, c)


@router.get("/cases", response=responses(list[CaseOut], 401), operation_id="certification_cases",
            summary="评定 cases visible to you (an assessment body: those assigned to it)")
@paginate(Pages)
def list_cases(request, state: Literal[tuple(CASE.states)] | None = None):  # type: ignore[valid-type]
    qs = access.cases_for_user(request.user).select_related("enterprise", "body")
    if state is not None:
        qs = qs.filter(state=state)
    return qs.order_by("-id")


@router.get("/cases/{case_id}", response=responses(CaseDetailOut, 401, 404), operation_id="certification_case",
            summary="One case: state, the steps you may take, findings, history")
def get_case(request, case_id: Id):
    return _case_detail(request, access.get_case_for_user(request.user, case_id))


@router.post("/cases/{case_id}/transitions", response=responses(CaseDetailOut, 401, 403, 404, 409),
             operation_id="certification_transition", summary="Take a step of the case's lifecycle")
def take_transition(request, case_id: Id, payload: TransitionIn):
    c = access.get_case_for_user(request.user, case_id)
    try:
        c = services.transition(c, by=request.user, **payload.dict())
    except (services.Refused, services.InputError) as exc:
        raise _step(exc) from exc
    return _case_detail(request, Case.objects.select_related("enterprise", "body").get(pk=c.pk))


@router.post("/cases/{case_id}/findings", response=responses(FindingOut, 401, 403, 404, 409),
             operation_id="certification_raise_finding", summary="Raise a nonconformity (an assigned assessor)")
def raise_finding(request, case_id: Id, payload: FindingIn):
    c = access.get_case_for_user(request.user, case_id)
    try:
        return services.raise_finding(c, by=request.user, **payload.dict())
    except (services.Refused, services.InputError) as exc:
        raise _step(exc) from exc


@router.post("/findings/{finding_id}/transitions", response=responses(FindingOut, 401, 403, 404, 409),
             operation_id="certification_finding_transition",
             summary="Answer, verify or reopen a nonconformity")
def finding_transition(request, finding_id: Id, payload: FindingTransitionIn):
    f = Finding.objects.filter(pk=finding_id, case__in=access.cases_for_user(request.user)).first()
    if f is None:
        raise Http404("no such finding")
    try:
        return services.finding_transition(f, by=request.user, **payload.dict())
    except (services.Refused, services.InputError) as exc:
        raise _step(exc) from exc


@router.get("/certificates", response=responses(list[CertificateDetailOut], 401),
            operation_id="certification_certificates", summary="Certificates in your view (the registry)")
@paginate(Pages)
def list_certificates(request):
    return access.certificates_for_user(request.user).select_related("standard", "body").order_by("-issued_on", "id")


@router.post("/certificates/{certificate_id}/transitions", response=responses(CertificateDetailOut, 401, 403, 404, 409),
             operation_id="certification_certificate_transition",
             summary="Surveillance, suspension, reinstatement, withdrawal or change of a certificate")
def certificate_transition(request, certificate_id: Id, payload: CertificateTransitionIn):
    cert = access.get_certificate_for_user(request.user, certificate_id)
    try:
        services.certificate_transition(cert, by=request.user, **payload.dict())
    except (services.Refused, services.InputError) as exc:
        raise _step(exc) from exc
    return access.get_certificate_for_user(request.user, certificate_id)


@router.get("/verify", auth=None, response=responses(list[CertificateOut], 429), operation_id="certification_verify",
            summary="Verify a certificate by number or enterprise name (public, rate-limited)")
@paginate(Pages)
def verify(request, q: LookUp):
    """Issued certificates whose number is ``q`` or whose enterprise name contains it, with their
    current state. Each client may look up ``RONGHE_VERIFY_RATE`` times (default 30 a minute)."""
    if not throttle.allow(request):
        raise ApiError(429, "throttled", _("Too many look-ups from your address; please wait a minute."))
    return services.verify(q)


@router.get("/figures", response=responses(FiguresOut, 401, 404), operation_id="certification_figures",
            summary="Adoption and certification figures in your jurisdiction (authorities)")
def figures(request, authority: Id | None = None, expiring_days: Annotated[int, Field(ge=1, le=3660)] = 90):
    authorities = access.authorities_of(request.user)
    chosen = next((a for a in authorities if authority is None or a.pk == authority), None)
    if chosen is None:
        raise Http404("figures are for authorities")
    f = services.figures(chosen, expiring_days=expiring_days)
    return {**f, "authority": chosen.name}
