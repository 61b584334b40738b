"""Pilot programmes over REST: calls (public once published), eligibility, declarations and their
steps, an expert's own score sheets, a call's review results (its authority) and figures.

Access is the pages' (``accounts.access``): what you may not see is 404. A step the lifecycle refuses
answers 409 with the table's message (简体中文 by default) and its code; a value outside a step's
bounds answers 422 with each fault. Materials are uploaded on the pages (files judged by content).
"""

from pathlib import Path
from typing import Annotated, Literal

from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from ronghe import uploads
from ronghe.api.auth import AUTH
from ronghe.api.errors import ApiError, responses, step_error, step_errors, upload_error
from ronghe.api.fields import Id
from ronghe.api.pagination import Pages
from ronghe.apps.accounts import access
from ronghe.apps.accounts.services import user_for_key
from ronghe.apps.organizations.models import Organization
from ronghe.apps.programs import services
from ronghe.apps.programs.models import Material
from ronghe.apps.programs.schemas import (
    AssignmentOut,
    CallDetailOut,
    CallIn,
    CallOut,
    CallTransitionIn,
    DeclarationDetailOut,
    DeclarationOut,
    DeclarationTransitionIn,
    DeclareIn,
    EligibilityOut,
    MaterialOut,
    ProgramFiguresOut,
    ResultsOut,
    ScoresIn,
)
from ronghe.core.errors import AnswerFileError
from ronghe.core.programs.lifecycle import CALL, DECLARATION

router = Router(tags=["programs"], auth=AUTH)
STATES = Literal[tuple(DECLARATION.states)]  # type: ignore[valid-type]


def _viewer(request):
    """Who calls a public route: a bearer token's user if one is sent, else the browser's session."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return user_for_key(header[7:].strip()[:200]) or AnonymousUser()
    return request.user


def _call_detail(user, c):
    c.rules_text = services.describe_rules(c)
    c.actions = [t.name for t in CALL.leaving(c.state)] if access.owns_call(user, c) else []
    c.listed = [{"declaration": d.pk, "enterprise_name": d.enterprise.name, "title": d.title,
                 "region": d.enterprise.region_id, "rank": d.rank, "average": d.average}
                for d in services.published_list(c)]
    return c


@router.get("/calls", auth=None, response=responses(list[CallOut]), operation_id="programs_calls",
            summary=_("Calls for pilots: every published one, and your authority's drafts"))
@paginate(Pages)
def list_calls(request, year: Annotated[int, Field(ge=1949, le=2200)] | None = None):
    qs = access.calls_for_user(_viewer(request)).select_related("owner")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-id")


@router.get("/calls/{call_id}", auth=None, response=responses(CallDetailOut, 404), operation_id="programs_call",
            summary=_("One call: scope, rules, materials, scoring sheet, dates, the public list"))
def get_call(request, call_id: Id):
    user = _viewer(request)
    return _call_detail(user, access.get_call_for_user(user, call_id))


@router.post("/calls", response=responses(CallDetailOut, 401, 403, 404), operation_id="programs_create_call",
             summary=_("Draft a call (an authority)"))
def create_call(request, payload: CallIn):
    authorities = access.authorities_of(request.user)
    data = payload.dict()
    owner_id = data.pop("owner")
    owner = next((a for a in authorities if owner_id is None or a.pk == owner_id), None)
    if owner is None:
        raise Http404("calls are drafted by authorities")
    with step_errors():
        c = services.create_call(owner, by=request.user, **data)
    return _call_detail(request.user, c)


@router.post("/calls/{call_id}/transitions", response=responses(CallDetailOut, 401, 403, 404, 409),
             operation_id="programs_call_transition", summary=_("Take a step of the call (its authority)"))
def call_transition(request, call_id: Id, payload: CallTransitionIn):
    c = access.get_call_for_user(request.user, call_id)
    if not access.owns_call(request.user, c):
        raise Http404("not your call")
    with step_errors():
        c = services.call_transition(c, by=request.user, **payload.dict())
    return _call_detail(request.user, access.get_call_for_user(request.user, c.pk))


def _my_enterprises(user):
    return access.enterprises_for_user(user, write=True).filter(memberships__user=user)


@router.get("/calls/{call_id}/eligibility", response=responses(list[EligibilityOut], 401, 404),
            operation_id="programs_eligibility", summary=_("Whether your enterprises may declare, and why"))
def eligibility(request, call_id: Id):
    c = access.get_call_for_user(request.user, call_id)
    out = []
    for e, checks in services.eligibility_summary(c, _my_enterprises(request.user)[:50]):
        out.append({"enterprise": e.pk, "enterprise_name": e.name, "eligible": all(k.ok for k in checks),
                    "checks": [k.as_dict() for k in checks]})
    return out


def _declaration_detail(user, d):
    roles = access.declaration_roles(user, d)
    live = d.state in ("draft", "returned")
    d.eligibility = [k.as_dict() for k in services.check_eligibility(d.call, d.enterprise)] if live else d.eligibility
    d.material_list = list(services.latest_materials(d).values())
    d.missing = services.missing_materials(d)
    d.actions = [t.name for t in DECLARATION.leaving(d.state) if roles & t.roles]
    d.events = [{"at": e.at, "actor": e.actor.get_username() if e.actor else None, "action": e.action,
                 "from_state": e.data.get("from_state"), "to_state": e.data.get("to_state"),
                 "reason": e.data.get("reason")} for e in d.history().select_related("actor")]
    return d


@router.post("/calls/{call_id}/declarations", response=responses(DeclarationDetailOut, 401, 403, 404, 409),
             operation_id="programs_declare", summary=_("Start a declaration for one of your enterprises"))
def declare(request, call_id: Id, payload: DeclareIn):
    c = access.get_call_for_user(request.user, call_id)
    enterprise = _my_enterprises(request.user).filter(pk=payload.enterprise).first()
    if enterprise is None:
        raise Http404("no such enterprise")
    with step_errors():
        d = services.declare(c, enterprise, title=payload.title, summary=payload.summary, contact=payload.contact,
                             by=request.user)
    return _declaration_detail(request.user, access.get_declaration_for_user(request.user, d.pk))


@router.get("/declarations", response=responses(list[DeclarationOut], 401), operation_id="programs_declarations",
            summary=_("Declarations you may see (your enterprises', your jurisdiction's, those you review)"))
@paginate(Pages)
def list_declarations(request, call: Id | None = None, state: STATES | None = None):
    qs = access.declarations_for_user(request.user).select_related("call", "enterprise")
    if call is not None:
        qs = qs.filter(call_id=call)
    if state is not None:
        qs = qs.filter(state=state)
    return qs.order_by("-id")


@router.get("/declarations/{declaration_id}", response=responses(DeclarationDetailOut, 401, 404),
            operation_id="programs_declaration", summary=_("One declaration: eligibility, materials, steps, history"))
def get_declaration(request, declaration_id: Id):
    return _declaration_detail(request.user, access.get_declaration_for_user(request.user, declaration_id))


@router.post("/declarations/{declaration_id}/transitions", response=responses(DeclarationDetailOut, 401, 403, 404,
                                                                                409),
             operation_id="programs_declaration_transition",
             summary=_("Submit, withdraw, return, recommend, accept, reject … a declaration"))
def declaration_transition(request, declaration_id: Id, payload: DeclarationTransitionIn):
    d = access.get_declaration_for_user(request.user, declaration_id)
    with step_errors():
        services.declaration_transition(d, payload.name, by=request.user, reason=payload.reason)
    return _declaration_detail(request.user, access.get_declaration_for_user(request.user, declaration_id))


@router.post("/declarations/{declaration_id}/materials", response=responses(MaterialOut, 401, 403, 404, 409, 413),
             operation_id="programs_upload_material",
             summary=_("Upload a material the call asks for, or a new version of it (multipart)"))
def upload_material(request, declaration_id: Id, file: File[UploadedFile], kind: Form[str]):
    # The page's upload, through the same service: ``kind`` is the id of one of the call's materials; PDF,
    # images or Office documents recognised by content, bounded in size; an earlier upload of the same kind
    # is kept as an older version. A refused file answers 422 (413 when too large) with the reason.
    d = access.get_declaration_for_user(request.user, declaration_id, write=True)  # before the file is read
    if len(kind) > 50 or len(Path(file.name or "").name) > 200:
        raise ApiError(422, "invalid", _("The file name is longer than 200 characters."))
    try:
        with uploads.saved_upload(file) as path:
            m = services.add_material(d, kind, path, original_name=file.name or "upload", by=request.user)
    except AnswerFileError as exc:
        raise upload_error(exc) from exc
    except (services.Refused, services.InputError) as exc:
        raise step_error(exc) from exc
    return m


@router.get("/materials/{material_id}/file", response=responses({200: None}, 401, 404),
            operation_id="programs_material_file", summary=_("Download one version of a declaration's material"),
            openapi_extra={"responses": {200: {"description": "The stored file, as uploaded",
                                                 "content": {"application/octet-stream": {"schema": {
                                                     "type": "string", "format": "binary"}}}}}})
def material_file(request, material_id: Id):
    m = Material.objects.filter(pk=material_id).first()
    if m is None:
        raise Http404("no such material")
    access.get_declaration_for_user(request.user, m.declaration_id)  # 404 unless the declaration is visible
    name = f"{Path(m.original_name).stem}-v{m.number}{m.suffix}"
    return FileResponse(m.file.open("rb"), as_attachment=True, filename=name, content_type=m.content_type)


def _assignment(a):
    a.criteria = a.call.criteria
    return a


@router.get("/reviews", response=responses(list[AssignmentOut], 401), operation_id="programs_reviews",
            summary=_("Your own score sheets as an expert (never another expert's)"))
@paginate(Pages)
def list_reviews(request):
    qs = access.assignments_for_user(request.user).select_related("call", "declaration__enterprise")
    return [_assignment(a) for a in qs.order_by("-id")[:10_000]]


@router.post("/reviews/{assignment_id}", response=responses(AssignmentOut, 401, 403, 404, 409),
             operation_id="programs_score", summary=_("Save or submit your score sheet"))
def score(request, assignment_id: Id, payload: ScoresIn):
    a = access.get_assignment_for_user(request.user, assignment_id)
    with step_errors():
        a = services.save_scores(a, payload.scores, comment=payload.comment, submit=payload.submit, by=request.user)
    return _assignment(access.get_assignment_for_user(request.user, a.pk))


@router.get("/calls/{call_id}/results", response=responses(ResultsOut, 401, 404), operation_id="programs_results",
            summary=_("The review: every expert's total, averages, spreads, ranks, shortlist (the call's authority)"))
def results(request, call_id: Id):
    c = access.get_call_for_user(request.user, call_id)
    if not (access.owns_call(request.user, c) or request.user.is_staff):
        raise Http404("not your call")
    r = services.results(c)
    return {"call": c.pk, "experts": [e.name for e in r["experts"]], "sheets": r["sheets"],
            "submitted": r["submitted"], "flagged": r["flagged"],
            "rows": [{"declaration": x["declaration"].pk, "enterprise_name": x["declaration"].enterprise.name,
                      "state": x["declaration"].state, "rank": x["rank"], "average": x["average"],
                      "spread": x["spread"], "flagged": x["flagged"], "shortlisted": x["shortlisted"],
                      "count": x["count"], "totals": [t["total"] for t in x["totals"]]} for x in r["rows"]]}


@router.get("/figures", response=responses(ProgramFiguresOut, 401, 404), operation_id="programs_figures",
            summary=_("Declarations, pass rates and winners by region and industry in your jurisdiction"))
def figures(request, authority: Id | None = None, call: Id | None = None):
    authorities = access.authorities_of(request.user)
    chosen: Organization | None = next((a for a in authorities if authority is None or a.pk == authority), None)
    if chosen is None:
        raise Http404("figures are for authorities")
    the_call = None
    if call is not None:
        the_call = access.calls_for_user(request.user).filter(pk=call).first()
        if the_call is None:
            raise Http404("no such call")
    f = services.figures(chosen, the_call)
    return {**f, "authority": chosen.name, "call": the_call.pk if the_call else None}
