"""贯标 and 评定 over REST: the standards (public), projects, cases and their transitions, findings,
certificates, the public verification (rate-limited) and an authority's figures.

Access is the pages' (``accounts.access``): what you may not see is 404. A step the lifecycle refuses
answers 409 with the table's message (简体中文 by default) and its code; a value outside a step's
bounds answers 422. Every error is an ``ErrorOut``.
"""


from pathlib import Path
from typing import Annotated, Any, Literal

from django.http import FileResponse, Http404
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from ninja import File, Form, Router, UploadedFile
from ninja.pagination import paginate
from pydantic import Field, StringConstraints

from ronghe.api.auth import AUTH
from ronghe.api.errors import ApiError, responses, step_error, step_errors, upload_error
from ronghe.api.fields import Id, Slug
from ronghe.api.pagination import Pages
from ronghe.apps.accounts import access
from ronghe.apps.certification import services, throttle
from ronghe.apps.certification.models import Case, EvidenceVersion, Finding, Standard
from ronghe.apps.certification.schemas import (
    ApplyIn,
    CaseDetailOut,
    CaseOut,
    CertEvidenceIn,
    CertEvidenceOut,
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
from ronghe.core.errors import AnswerFileError

router = Router(tags=["certification"], auth=AUTH)
LookUp = Annotated[str, StringConstraints(min_length=2, max_length=100, pattern=r"^[^\x00]*$")]
"""A certificate number or part of an enterprise name."""


def _locale() -> str:
    return get_language() or "zh-hans"


@router.get("/standards", auth=None, response=responses(list[StandardOut]), operation_id="certification_standards",
            summary=gettext_lazy("The management-system standards in use (public)"))
@paginate(Pages)
def list_standards(request):
    services.requirement_standards()  # registers the shipped files on first use
    return Standard.objects.filter(is_active=True).order_by("slug")


@router.get("/standards/{slug}", auth=None, response=responses(StandardDetailOut, 404),
            operation_id="certification_standard",
            summary=gettext_lazy("One standard: its clause tree or capability grades"))
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
            summary=gettext_lazy("贯标 projects visible to you"))
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
            operation_id="certification_project",
            summary=gettext_lazy("One project: milestones, clause self-check, progress"))
def get_project(request, project_id: Id):
    return _project_detail(access.get_project_for_user(request.user, project_id))


@router.post("/projects/{project_id}/clauses", response=responses(ProjectDetailOut, 401, 403, 404),
             operation_id="certification_check_clause", summary=gettext_lazy("Record the self-check of one clause"))
def check_clause(request, project_id: Id, payload: ClauseCheckIn):
    p = access.get_project_for_user(request.user, project_id, write=True)
    try:
        services.check_clause(p, by=request.user, **payload.dict())
    except services.InputError as exc:
        raise step_error(exc) from exc
    return _project_detail(p)


@router.get("/projects/{project_id}/evidence", response=responses(list[CertEvidenceOut], 401, 404),
            operation_id="certification_evidence",
            summary=gettext_lazy("Every version of the project's evidence documents"))
@paginate(Pages)
def list_evidence(request, project_id: Id):
    return services.evidence_versions(access.get_project_for_user(request.user, project_id))


@router.post("/projects/{project_id}/evidence", response=responses(CertEvidenceOut, 401, 403, 404, 413),
             operation_id="certification_upload_evidence",
             summary=gettext_lazy("Upload an evidence document, or a new version of one (multipart)"),
             description=gettext_lazy("The page's upload, through the same service: PDF, PNG, JPEG, docx, xlsx or "
                                      "pptx, recognised by the file's content (not its name), at most "
                                      "``RONGHE_EVIDENCE_MAX_BYTES`` (20 MB); ``clauses`` are the checkable clauses "
                                      "it supports (the field repeated, one clause each); ``evidence_date`` is the "
                                      "day it is evidence for. With ``evidence`` (a document's id) it becomes that "
                                      "document's next version; nothing is overwritten. A file that is not accepted "
                                      "answers 422 with the reason in ``details``."))
def upload_evidence(request, project_id: Id, file: File[UploadedFile], payload: Form[CertEvidenceIn]):
    p = access.get_project_for_user(request.user, project_id, write=True)  # before the file is read
    document = None
    if payload.evidence is not None:
        document = p.evidence.filter(pk=payload.evidence).first()
        if document is None:
            raise Http404("no such evidence document in this project")
    if len(Path(file.name or "").name) > 200:
        raise ApiError(422, "invalid", _("The file name is longer than 200 characters."))
    try:
        v = services.add_uploaded_evidence(p, file, evidence_date=payload.evidence_date, clauses=payload.clauses,
                                           title=payload.title, evidence=document, by=request.user)
    except AnswerFileError as exc:
        raise upload_error(exc) from exc
    except services.InputError as exc:
        raise step_error(exc) from exc
    return services.evidence_versions(p).get(pk=v.pk)


@router.get("/evidence/{version_id}/file", response=responses({200: None}, 401, 404),
            operation_id="certification_evidence_file",
            summary=gettext_lazy("Download one version of an evidence document"),
            openapi_extra={"responses": {200: {"description": gettext_lazy("The stored file, as uploaded"),
                                                 "content": {"application/octet-stream": {"schema": {
                                                     "type": "string", "format": "binary"}}}}}})
def evidence_file(request, version_id: Id):
    v = EvidenceVersion.objects.select_related("evidence").filter(pk=version_id).first()
    if v is None:
        raise Http404("no such evidence")
    access.get_project_for_user(request.user, v.evidence.project_id)  # 404 unless the project is visible
    name = f"{Path(v.original_name).stem}-v{v.number}{v.suffix}"
    return FileResponse(v.file.open("rb"), as_attachment=True, filename=name, content_type=v.content_type)


def _case_detail(request, c):
    roles = access.case_roles(request.user, c)
    c.actions = [t.name for t in CASE.leaving(c.state) if roles & t.roles]
    c.events = services.history(c)
    return c


@router.post("/projects/{project_id}/apply", response=responses(CaseDetailOut, 401, 403, 404, 409),
             operation_id="certification_apply", summary=gettext_lazy("Apply to an assessment body for 评定"))
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
    with step_errors():
        c = services.apply(p, body, by=request.user, previous_certificate=previous)
    return _case_detail(request, c)


@router.get("/cases", response=responses(list[CaseOut], 401), operation_id="certification_cases",
            summary=gettext_lazy("评定 cases visible to you (an assessment body: those assigned to it)"))
@paginate(Pages)
def list_cases(request, state: Literal[tuple(CASE.states)] | None = None):  # type: ignore[valid-type]
    qs = access.cases_for_user(request.user).select_related("enterprise", "body")
    if state is not None:
        qs = qs.filter(state=state)
    return qs.order_by("-id")


@router.get("/cases/{case_id}", response=responses(CaseDetailOut, 401, 404), operation_id="certification_case",
            summary=gettext_lazy("One case: state, the steps you may take, findings, history"))
def get_case(request, case_id: Id):
    return _case_detail(request, access.get_case_for_user(request.user, case_id))


@router.post("/cases/{case_id}/transitions", response=responses(CaseDetailOut, 401, 403, 404, 409),
             operation_id="certification_transition", summary=gettext_lazy("Take a step of the case's lifecycle"))
def take_transition(request, case_id: Id, payload: TransitionIn):
    c = access.get_case_for_user(request.user, case_id)
    with step_errors():
        c = services.transition(c, by=request.user, **payload.dict())
    return _case_detail(request, Case.objects.select_related("enterprise", "body").get(pk=c.pk))


@router.post("/cases/{case_id}/findings", response=responses(FindingOut, 401, 403, 404, 409),
             operation_id="certification_raise_finding",
             summary=gettext_lazy("Raise a nonconformity (an assigned assessor)"))
def raise_finding(request, case_id: Id, payload: FindingIn):
    c = access.get_case_for_user(request.user, case_id)
    with step_errors():
        return services.raise_finding(c, by=request.user, **payload.dict())


@router.post("/findings/{finding_id}/transitions", response=responses(FindingOut, 401, 403, 404, 409),
             operation_id="certification_finding_transition",
             summary=gettext_lazy("Answer, verify or reopen a nonconformity"))
def finding_transition(request, finding_id: Id, payload: FindingTransitionIn):
    f = Finding.objects.filter(pk=finding_id, case__in=access.cases_for_user(request.user)).first()
    if f is None:
        raise Http404("no such finding")
    with step_errors():
        return services.finding_transition(f, by=request.user, **payload.dict())


@router.get("/certificates", response=responses(list[CertificateDetailOut], 401),
            operation_id="certification_certificates", summary=gettext_lazy("Certificates in your view (the registry)"))
@paginate(Pages)
def list_certificates(request):
    return access.certificates_for_user(request.user).select_related("standard", "body").order_by("-issued_on", "id")


@router.post("/certificates/{certificate_id}/transitions", response=responses(CertificateDetailOut, 401, 403, 404, 409),
             operation_id="certification_certificate_transition",
             summary=gettext_lazy("Surveillance, suspension, reinstatement, withdrawal or change of a certificate"))
def certificate_transition(request, certificate_id: Id, payload: CertificateTransitionIn):
    cert = access.get_certificate_for_user(request.user, certificate_id)
    with step_errors():
        services.certificate_transition(cert, by=request.user, **payload.dict())
    return access.get_certificate_for_user(request.user, certificate_id)


@router.get("/verify", auth=None, response=responses(list[CertificateOut], 429), operation_id="certification_verify",
            summary=gettext_lazy("Verify a certificate by number or enterprise name (public, rate-limited)"),
            description=gettext_lazy("Issued certificates whose number is ``q`` or whose enterprise name contains it,"
                                     " with their current state. Each client may look up ``RONGHE_VERIFY_RATE`` times"
                                     " (default 30 a minute)."))
@paginate(Pages)
def verify(request, q: LookUp):
    if not throttle.allow(request):
        raise ApiError(429, "throttled", _("Too many look-ups from your address; please wait a minute."))
    return services.verify(q)


@router.get("/figures", response=responses(FiguresOut, 401, 404), operation_id="certification_figures",
            summary=gettext_lazy("Adoption and certification figures in your jurisdiction (authorities)"))
def figures(request, authority: Id | None = None, expiring_days: Annotated[int, Field(ge=1, le=3660)] = 90):
    authorities = access.authorities_of(request.user)
    chosen = next((a for a in authorities if authority is None or a.pk == authority), None)
    if chosen is None:
        raise Http404("figures are for authorities")
    f = services.figures(chosen, expiring_days=expiring_days)
    return {**f, "authority": chosen.name}
