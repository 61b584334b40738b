"""Pilot programmes: the only code that changes a call, a declaration, a panel or a score sheet.

Every state change goes through :func:`call_transition` or :func:`declaration_transition`, which ask
the lifecycle tables (``ronghe.core.programs.lifecycle``) whether the step may be taken — from this
state, by this person's role, with every guard holding — then write the change and its audit record
(actor, time, reason, from, to) in one transaction with the row locked. A refused step raises
:class:`Refused` with the table's 简体中文 (or English) message and writes nothing.

Eligibility is the core's (:mod:`ronghe.core.programs.rules`) over the facts gathered here
(:func:`profile`); the review's arithmetic is the core's (:mod:`ronghe.core.programs.review`) over the
submitted score sheets.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ronghe.apps.accounts import access
from ronghe.apps.audit.models import record
from ronghe.apps.notifications.services import members, notify
from ronghe.apps.organizations.models import Industry, Organization, Region
from ronghe.apps.programs.models import (
    Assignment,
    Call,
    Declaration,
    Expert,
    Material,
    PanelMember,
    Quota,
    Recommendation,
)
from ronghe.core.io.sniff import sha256_of, sniff
from ronghe.core.io.tables import write_tables
from ronghe.core.messages import message
from ronghe.core.programs import panel as panels
from ronghe.core.programs import review as reviews
from ronghe.core.programs import rules as eligibility
from ronghe.core.programs.lifecycle import CALL, DECLARATION, CallFacts, DeclarationFacts
from ronghe.workflow import InputError, Refused, check, clean_text, within

Kind = Organization.Kind
IN_REVIEW = ("accepted", "shortlisted", "not_selected", "winner")
"""Declaration states that take part in the review."""
WAITING = ("submitted", "recommended")
"""Declaration states that wait for an authority."""
MAX_QUOTA = 100_000
"""The most places a call or one authority's recommendation quota may hold."""


def today() -> dt.date:
    return timezone.localdate()


# ------------------------------------------------------------------------------- the call's data
def _rules_error(exc: eligibility.RulesError, what: str) -> InputError:
    return InputError(f"{what}: " + "; ".join(str(f) for f in exc.faults), [(f.path, f.reason) for f in exc.faults])


def clean_call_data(*, rules: Any = None, criteria: Any = None, materials: Any = None, industries: Any = None,
                    sizes: Any = None) -> dict[str, Any]:
    """The call's data fields validated (rules and sheet by the core, codes against the tables), as stored."""
    out: dict[str, Any] = {}
    if rules is not None:
        try:
            out["rules"] = eligibility.dump_rules(eligibility.parse_rules(rules))
        except eligibility.RulesError as exc:
            raise _rules_error(exc, "rules") from None
    if criteria is not None:
        try:
            out["criteria"] = [c.model_dump() for c in reviews.parse_sheet(criteria)]
        except eligibility.RulesError as exc:
            raise _rules_error(exc, "criteria") from None
    if materials is not None:
        if not isinstance(materials, list) or len(materials) > 20:
            raise InputError(_("materials: at most %(n)s") % {"n": 20})
        clean, seen = [], set()
        for i, m in enumerate(materials):
            name = clean_text(str(m.get("name", "")) if isinstance(m, dict) else "", f"materials/{i}/name",
                              required=True, limit=100)
            mid = f"m{i + 1}"
            if mid in seen:
                raise InputError(_("%(field)s: duplicate") % {"field": f"materials/{i}"})
            seen.add(mid)
            clean.append({"id": mid, "name": name, "required": bool(m.get("required", True))})
        out["materials"] = clean
    if industries is not None:
        codes = sorted({str(c) for c in industries})
        unknown = set(codes) - set(Industry.objects.filter(code__in=codes).values_list("code", flat=True))
        if unknown:
            raise InputError(_("industries: unknown codes %(codes)s") % {"codes": ", ".join(sorted(unknown))})
        out["industries"] = codes
    if sizes is not None:
        bands = [s for s in Organization.Size.values if s in set(sizes)]
        if len(bands) != len(set(sizes)):
            raise InputError(_("sizes: one of %(values)s") % {"values": ", ".join(Organization.Size.values)})
        out["sizes"] = bands
    return out


CALL_FIELDS = ("program", "title", "year", "description", "declare_from", "declare_until", "recommend_until",
               "places", "pass_mark", "quota", "panel_size", "min_reviewers", "spread_limit", "trim", "avoid_level",
               "notice_days")


def _call_fields(fields: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in fields.items() if k in CALL_FIELDS}
    if "title" in data:
        data["title"] = clean_text(data["title"], "title", required=True, limit=200)
    if "description" in data:
        data["description"] = clean_text(data["description"], "description")
    if "program" in data and data["program"] not in Call.Program.values:
        raise InputError(_("program: one of %(values)s") % {"values": ", ".join(Call.Program.values)})
    if "avoid_level" in data and data["avoid_level"] not in Call.Level.values:
        raise InputError(_("avoid_level: province, city or county"))
    for key, low, high in (("pass_mark", 0, 100), ("spread_limit", 0, 100)):
        if key in data:
            within(float(data[key]), key, low, high)
    for key, low, high in (("places", 1, 100_000), ("panel_size", 1, 99), ("min_reviewers", 1, 99),
                           ("notice_days", 1, 365), ("year", 1949, 2200)):
        if key in data:
            within(int(data[key]), key, low, high)
    if data.get("quota") is not None:
        within(int(data["quota"]), "quota", 0, MAX_QUOTA)
    return data


def create_call(owner: Organization, *, by: Any, rules: Any = (), criteria: Any = None, materials: Any = (),
                industries: Any = (), sizes: Any = (), **fields: Any) -> Call:
    """A draft call of ``owner`` (an authority the person acts for)."""
    if owner.kind != Kind.AUTHORITY:
        raise InputError(_("a call is published by an authority"))
    data = {**_call_fields(fields), **clean_call_data(rules=list(rules), criteria=criteria or DEFAULT_SHEET,
                                                      materials=list(materials), industries=list(industries),
                                                      sizes=list(sizes))}
    with transaction.atomic():
        call = Call.objects.create(owner=owner, created_by=by, **data)
        call.log("call.created", by, title=call.title)
    return call


def update_call(call: Call, *, by: Any, **fields: Any) -> Call:
    """Change a draft call (published calls are fixed: people declared against them)."""
    data_keys = ("rules", "criteria", "materials", "industries", "sizes")
    data = {**_call_fields(fields), **clean_call_data(**{k: fields[k] for k in data_keys if k in fields})}
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.state != "draft":
            raise Refused.of("programs.transition.state", action="修改申报通知", state=CALL.label(call.state),
                             allowed=CALL.label("draft"))
        before = {k: getattr(call, k) for k in data}
        for k, v in data.items():
            setattr(call, k, v)
        call.save()
        call.log("call.updated", by, before=before, after=data)
    return call


DEFAULT_SHEET = [
    {"id": "c1", "name": "基础条件与实施能力", "points": 25, "guidance": "两化融合基础、组织保障与投入"},
    {"id": "c2", "name": "技术先进性与创新性", "points": 30, "guidance": "技术路线、关键环节的创新"},
    {"id": "c3", "name": "应用成效", "points": 25, "guidance": "效率、成本、质量等可量化成效"},
    {"id": "c4", "name": "示范推广价值", "points": 20, "guidance": "可复制、可推广的程度"},
]
"""A sheet a new call starts from (the organiser edits it); ronghe's default, not an official one."""


def scope(call: Call) -> eligibility.Scope:
    owner = call.owner
    return eligibility.Scope(prefix="" if owner.national else owner.region.prefix,
                             region_name="" if owner.national else owner.region.name,
                             industries=tuple(call.industries), sizes=tuple(call.sizes))


def rules_of(call: Call) -> list:
    return eligibility.parse_rules(call.rules)


def criteria_of(call: Call) -> list[reviews.Criterion]:
    return reviews.parse_sheet(call.criteria)


def describe_rules(call: Call) -> list[str]:
    return eligibility.describe(rules_of(call))


# ------------------------------------------------------------------------------- eligibility
def profile(enterprise: Organization) -> eligibility.Profile:
    """What the platform knows about ``enterprise`` for the rules: its latest approved assessment against
    a framework with GB/T 23020's stages (stage, total, year), its certificates in force, its open
    nonconformities on 评定 cases in progress."""
    from ronghe.apps.assessments.models import Assessment
    from ronghe.apps.certification import services as certification
    from ronghe.apps.certification.models import Certificate, Finding
    from ronghe.core.certification.lifecycle import CASE

    stage = total = year = None
    scored = (Assessment.objects.filter(enterprise=enterprise, status=Assessment.Status.SCORED)
              .select_related("score", "framework").defer("framework__content")
              .order_by("-year", "-reviewed_at", "-id"))
    for a in scored[:50]:
        if certification.uses_23020_stages(a.framework):
            stage, total, year = a.score.stage, a.score.total, a.year
            break
    grades = tuple(Certificate.objects.filter(enterprise=enterprise, state="valid", valid_until__gte=today())
                   .values_list("grade", flat=True))
    open_findings = Finding.objects.filter(case__enterprise=enterprise, state__in=["open", "answered"]).exclude(
        case__state__in=CASE.terminal).count()
    return eligibility.Profile(region=enterprise.region_id, industry=enterprise.industry_id, size=enterprise.size,
                               stage=stage, total=total, year=year, grades=grades, open_findings=open_findings)


def _names(enterprise: Organization) -> dict[str, str]:
    names: dict[str, str] = {}
    if enterprise.region_id:
        names[enterprise.region_id] = enterprise.region.name
    if enterprise.industry_id:
        names[enterprise.industry_id] = f"{enterprise.industry_id} {enterprise.industry.name}"
    return names


def check_eligibility(call: Call, enterprise: Organization) -> list[eligibility.Check]:
    """Every check of ``call`` on ``enterprise`` (scope, then rules), each with its reason."""
    names = _names(enterprise)
    for code, name in Industry.objects.filter(code__in=call.industries).values_list("code", "name"):
        names.setdefault(code, f"{code} {name}")
    return eligibility.evaluate(scope(call), rules_of(call), profile(enterprise), names)


# ------------------------------------------------------------------------- the authority chain
def chain(call: Call, enterprise: Organization) -> list[Organization]:
    """The authorities a declaration climbs, most local first, ending with the call's owner: those whose
    jurisdiction contains the enterprise and lies inside the owner's (one per region, the owner first
    at its own level)."""
    owner = call.owner
    code = enterprise.region_id or ""
    top = "" if owner.national else owner.region.prefix
    by_prefix: dict[str, Organization] = {}
    for org in Organization.objects.filter(kind=Kind.AUTHORITY, national=False, region__isnull=False
                                           ).select_related("region").order_by("pk"):
        p = org.region.prefix
        if code.startswith(p) and p.startswith(top) and len(p) > len(top):
            by_prefix.setdefault(p, org)
    return [by_prefix[p] for p in sorted(by_prefix, key=len, reverse=True)] + [owner]


def _above(call: Call, declaration: Declaration) -> Organization | None:
    steps = chain(call, declaration.enterprise)
    ids = [o.pk for o in steps]
    if declaration.at_authority_id not in ids or declaration.at_authority_id == call.owner_id:
        return None
    return steps[ids.index(declaration.at_authority_id) + 1]


def quota_for(call: Call, authority: Organization) -> int | None:
    row = call.quotas.filter(authority=authority).first()
    return row.number if row else call.quota


def recommended_by(call: Call, authority: Organization) -> int:
    """How many of the call's declarations ``authority`` has recommended (withdrawn ones free their place)."""
    return Recommendation.objects.filter(declaration__call=call, from_authority=authority).exclude(
        declaration__state="withdrawn").count()


def set_quota(call: Call, authority: Organization, number: int, *, by: Any) -> Quota:
    """The owner gives a recommending authority its own quota."""
    if not access.owns_call(by, call):
        raise Refused.of("programs.transition.role", action="分配推荐名额", roles=message("programs.role.owner"))
    if authority.kind != Kind.AUTHORITY or authority.pk == call.owner_id or (
            not call.owner.national and not access.in_jurisdiction(call.owner, authority.region_id)):
        raise InputError(_("a quota is for an authority inside the call's jurisdiction"))
    within(number, "quota", 0, MAX_QUOTA)
    with transaction.atomic():
        row, _created = Quota.objects.update_or_create(call=call, authority=authority, defaults={"number": number})
        call.log("call.quota", by, authority=authority.pk, number=number)
    return row


# ---------------------------------------------------------------------------- declarations
def declare(call: Call, enterprise: Organization, *, title: str, summary: str = "", contact: str = "",
            by: Any) -> Declaration:
    """Start a declaration (a draft the enterprise prepares) while the call is open."""
    if enterprise.kind != Kind.ENTERPRISE:
        raise InputError(_("an enterprise declares"))
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.state != "open":
            raise Refused.of("programs.declare.state")
        if call.declarations.filter(enterprise=enterprise).exclude(state="withdrawn").exists():
            raise Refused.of("programs.declare.duplicate")
        d = Declaration.objects.create(call=call, enterprise=enterprise, created_by=by,
                                       title=clean_text(title, "title", required=True, limit=200),
                                       summary=clean_text(summary, "summary"),
                                       contact=clean_text(contact, "contact", limit=100))
        d.log("declaration.created", by, call=call.pk)
    return d


def update_declaration(d: Declaration, *, title: str, summary: str = "", contact: str = "", by: Any) -> Declaration:
    with transaction.atomic():
        d = Declaration.objects.select_for_update().get(pk=d.pk)
        if d.state not in ("draft", "returned"):
            raise Refused.of("programs.transition.state", action="修改申报", state=DECLARATION.label(d.state),
                             allowed="、".join(DECLARATION.label(s) for s in ("draft", "returned")))
        d.title = clean_text(title, "title", required=True, limit=200)
        d.summary, d.contact = clean_text(summary, "summary"), clean_text(contact, "contact", limit=100)
        d.save()
        d.log("declaration.updated", by)
    return d


def add_material(d: Declaration, kind: str, path: str | Path, *, original_name: str, by: Any) -> Material:
    """Store a material the call asks for: judged by its content (PDF, images, Office documents), its
    size bounded, stored under a name of its own (an earlier upload is kept as an older version)."""
    known = {m["id"]: m["name"] for m in d.call.materials}
    if kind not in known:
        raise InputError(_("material: one of %(values)s") % {"values": ", ".join(known) or "—"})
    if d.state not in ("draft", "returned"):
        raise Refused.of("programs.transition.state", action="上传材料", state=DECLARATION.label(d.state),
                         allowed="、".join(DECLARATION.label(s) for s in ("draft", "returned")))
    found = sniff(path, settings.RONGHE_EVIDENCE_MAX_BYTES)  # AnswerFileError names the fault
    checksum = sha256_of(path)
    stored = None
    try:
        with transaction.atomic():
            Declaration.objects.select_for_update().get(pk=d.pk)
            number = (d.materials.filter(kind=kind).aggregate(n=Max("number"))["n"] or 0) + 1
            m = Material(declaration=d, kind=kind, number=number, original_name=Path(original_name).name[:200],
                         suffix=found.suffix, content_type=found.content_type, size=Path(path).stat().st_size,
                         sha256=checksum, uploaded_by=by)
            with open(path, "rb") as fh:
                m.file.save(Path(original_name).name, File(fh), save=False)
            stored = m.file.name
            m.save()
            m.log("material.uploaded", by, kind=kind, number=number, sha256=m.sha256, size=m.size, type=found.name)
    except BaseException:
        if stored:
            Material._meta.get_field("file").storage.delete(stored)
        raise
    return m


def latest_materials(d: Declaration) -> dict[str, Material]:
    """The newest upload of each material."""
    out: dict[str, Material] = {}
    for m in d.materials.order_by("kind", "-number"):
        out.setdefault(m.kind, m)
    return out


def missing_materials(d: Declaration) -> list[str]:
    have = set(d.materials.values_list("kind", flat=True))
    return [m["name"] for m in d.call.materials if m.get("required", True) and m["id"] not in have]


def _declaration_facts(d: Declaration, name: str, reason: str) -> DeclarationFacts:
    call = d.call
    base: dict[str, Any] = {"today": today(), "call_state": call.state, "declare_from": call.declare_from,
                            "declare_until": call.declare_until, "recommend_until": call.recommend_until,
                            "reason": reason, "at_owner": d.at_authority_id == call.owner_id}
    if name == "submit":
        base["failing"] = tuple(c.message for c in check_eligibility(call, d.enterprise) if not c.ok)
        base["missing"] = tuple(missing_materials(d))
    if name == "recommend" and d.at_authority_id:
        base["quota"] = quota_for(call, d.at_authority)
        base["recommended"] = recommended_by(call, d.at_authority)
    return DeclarationFacts(**base)


def declaration_transition(d: Declaration, name: str, *, by: Any, reason: str = "", system: bool = False
                           ) -> Declaration:
    """Take the declaration's transition ``name`` (``lifecycle.DECLARATION``): submit, withdraw, return,
    recommend, not_recommend, accept, reject, unlist — or, with ``system``, a step the call's own steps
    take for each declaration."""
    reason = clean_text(reason, "reason")
    with transaction.atomic():
        d = Declaration.objects.select_for_update(of=("self",)).select_related(
            "call__owner__region", "enterprise__region", "enterprise__industry", "at_authority").get(pk=d.pk)
        roles = {"system"} if system else access.declaration_roles(by, d) if by is not None else set()
        facts = _declaration_facts(d, name, reason)
        check(DECLARATION, d.state, name, roles, facts)
        before, target = d.state, DECLARATION.get(name).target
        extra: dict[str, Any] = {}
        if name == "submit":
            d.at_authority = chain(d.call, d.enterprise)[0]
            d.submitted_at = timezone.now()
            d.eligibility = [c.as_dict() for c in check_eligibility(d.call, d.enterprise)]
            extra["to_authority"] = d.at_authority_id
        elif name == "recommend":
            above = _above(d.call, d)
            if above is None:  # the guard saw it is below the owner; the chain changed meanwhile
                raise Refused.of("programs.recommend.at_owner")
            Recommendation.objects.create(declaration=d, from_authority=d.at_authority, to_authority=above, by=by)
            extra = {"from_authority": d.at_authority_id, "to_authority": above.pk}
            d.at_authority = above
        d.state, d._transition = target, True
        d.save()
        d.log(f"declaration.{name}", None if system and by is None else by, from_state=before, to_state=target,
              reason=reason, **extra)
        _tell(d, name, reason, by)
    return d


TO_HANDLER = {"submit", "recommend", "withdraw"}
"""Transitions the authority the declaration sits with (afterwards) hears about."""
TO_ENTERPRISE = {"return_declaration", "not_recommend", "accept", "reject", "unlist", "win"}
"""Transitions the declaring enterprise hears about (shortlisting is told when the notice is published)."""


def _tell(d: Declaration, name: str, reason: str, by: Any) -> None:
    """The notification of a declaration's step, to the side that has to act or wants to know."""
    if name in TO_HANDLER:
        users = members(d.at_authority)
    elif name in TO_ENTERPRISE:
        users = members(d.enterprise)
    else:
        return
    action = DECLARATION.get(name).label_in(get_language() or "zh-Hans")
    notify(users, f"programs.declaration.{name}",
           _("%(call)s — %(enterprise)s: %(action)s") % {"call": d.call.title, "enterprise": d.enterprise.name,
                                                          "action": action},
           _("Reason given: %(reason)s") % {"reason": reason} if reason else "",
           reverse("programs:declaration", args=[d.pk]), actor=by)


# ----------------------------------------------------------------------------------- experts
def add_expert(authority: Organization, user: Any, *, name: str, region: Region, title: str = "",
               affiliation: str = "", organization: Organization | None = None, specialty: str = "",
               by: Any) -> Expert:
    """Put a user into an authority's expert pool (or update the entry)."""
    if authority.kind != Kind.AUTHORITY:
        raise InputError(_("an expert pool belongs to an authority"))
    with transaction.atomic():
        e, created = Expert.objects.update_or_create(authority=authority, user=user, defaults={
            "name": clean_text(name, "name", required=True, limit=60), "title": clean_text(title, "title", limit=60),
            "affiliation": clean_text(affiliation, "affiliation", limit=200), "organization": organization,
            "region": region, "specialty": clean_text(specialty, "specialty", limit=200), "active": True})
        e.log("expert.added" if created else "expert.updated", by, authority=authority.pk, user=user.pk)
    return e


def conflicts(expert: Expert, enterprise: Organization, level: str) -> list[str]:
    """Why ``expert`` may not review ``enterprise`` (empty: no conflict), in the user's language."""
    reasons = []
    if panels.same_region(expert.region_id, enterprise.region_id, level):
        code = (enterprise.region_id or "")[:panels.LEVELS[level]].ljust(6, "0")
        region = Region.objects.filter(code=code).first()
        reasons.append(message("programs.conflict.region", region=region.name if region else code))
    for org in access.expert_ties(expert.user, expert.organization, enterprise):
        reasons.append(message("programs.conflict.tie", org=org))
    return reasons


def draw_panel(call: Call, *, by: Any, seed: int | None = None) -> list[PanelMember]:
    """Draw the call's panel from its owner's active pool (again, if drawn before): random with a
    recorded seed, widened until every accepted declaration has the call's minimum of experts without a
    conflict; each conflict is recorded as an excluded score sheet with its reason."""
    if not access.owns_call(by, call):
        raise Refused.of("programs.transition.role", action="抽取评审专家", roles=message("programs.role.owner"))
    with transaction.atomic():
        call = Call.objects.select_for_update(of=("self",)).select_related("owner").get(pk=call.pk)
        if call.state != "recommending":
            raise Refused.of("programs.panel.state")
        decls = list(call.declarations.filter(state="accepted").select_related("enterprise").order_by("pk"))
        pool = list(Expert.objects.filter(authority=call.owner, active=True).select_related(
            "user", "organization", "region").order_by("pk"))
        reasons = [[conflicts(e, d.enterprise, call.avoid_level) for e in pool] for d in decls]
        matrix = np.array([[bool(r) for r in row] for row in reasons], dtype=bool).reshape(len(decls), len(pool))
        seed = secrets.randbits(48) if seed is None else seed
        result = panels.draw(matrix, size=call.panel_size, min_reviewers=call.min_reviewers, seed=seed)
        if result.short:
            raise Refused.of("programs.panel.pool", count=len(result.short), min=call.min_reviewers)
        if call.assignments.exclude(submitted_at=None).exists():
            raise Refused.of("programs.review.submitted")
        call.assignments.all().delete()
        call.panel.all().delete()
        members = [PanelMember(call=call, expert=pool[k], order=i + 1) for i, k in enumerate(result.members)]
        PanelMember.objects.bulk_create(members)
        Assignment.objects.bulk_create([
            Assignment(call=call, declaration=d, expert=pool[k], excluded=bool(reasons[i][k]),
                       reason="；".join(reasons[i][k])[:300]) for i, d in enumerate(decls) for k in result.members])
        call.panel_seed = seed
        call.save(update_fields=["panel_seed", "updated_at"])
        call.log("call.panel_drawn", by, seed=seed, experts=[pool[k].pk for k in result.members],
                 excluded=int(sum(bool(reasons[i][k]) for i in range(len(decls)) for k in result.members)))
        notify([pool[k].user for k in result.members], "programs.panel",
               _("You are on the review panel of %(call)s") % {"call": call.title},
               _("%(n)s declarations wait for your scores once the review starts.") % {"n": len(decls)},
               reverse("programs:reviews"), actor=by)
    return list(call.panel.select_related("expert"))


def save_scores(a: Assignment, scores: dict[str, Any], *, comment: str = "", submit: bool = False,
                by: Any) -> Assignment:
    """An expert saves (or submits, then it is final) their own score sheet while the review runs."""
    comment = clean_text(comment, "comment")
    with transaction.atomic():
        a = Assignment.objects.select_for_update(of=("self",)).select_related("call", "expert").get(pk=a.pk)
        if by is None or a.expert.user_id != by.pk:
            raise Refused.of("programs.transition.role", action="评分", roles="评审专家")
        if a.excluded:
            raise Refused.of("programs.review.excluded", reason=a.reason)
        if a.call.state != "reviewing":
            raise Refused.of("programs.review.state")
        if a.submitted_at is not None:
            raise Refused.of("programs.review.submitted")
        try:
            clean = reviews.check_scores(criteria_of(a.call), scores, complete=submit)
        except eligibility.RulesError as exc:
            raise _rules_error(exc, "scores") from None
        a.scores, a.comment = clean, comment
        if submit:
            a.submitted_at = timezone.now()
        a.save()
        a.log("review.submitted" if submit else "review.saved", by, declaration=a.declaration_id,
              total=sum(clean.values()) if submit else None)
    return a


# ------------------------------------------------------------------------------------ results
def review_of(call: Call) -> tuple[list[Declaration], list[Expert], reviews.Review]:
    """The declarations in review (rows), the panel (columns) and the aggregated submitted sheets."""
    decls = list(call.declarations.filter(state__in=IN_REVIEW).select_related("enterprise__region",
                                                                               "enterprise__industry").order_by("pk"))
    experts = [m.expert for m in call.panel.select_related("expert").order_by("order")]
    criteria = criteria_of(call)
    scores = np.full((len(decls), len(experts), len(criteria)), np.nan)
    row = {d.pk: i for i, d in enumerate(decls)}
    col = {e.pk: j for j, e in enumerate(experts)}
    for a in call.assignments.filter(excluded=False, submitted_at__isnull=False):
        if a.declaration_id in row and a.expert_id in col:
            scores[row[a.declaration_id], col[a.expert_id]] = [a.scores.get(c.id, np.nan) for c in criteria]
    return decls, experts, reviews.aggregate(scores, spread_limit=call.spread_limit, trim=call.trim)


def results(call: Call) -> dict[str, Any]:
    """The review as the organiser sees it: each declaration with every expert's total, the average, the
    spread (flagged above the call's limit), the rank and whether it makes the shortlist."""
    decls, experts, r = review_of(call)
    chosen = reviews.shortlist(r, places=call.places, pass_mark=call.pass_mark)
    excluded = {(a.declaration_id, a.expert_id): a.reason for a in call.assignments.filter(excluded=True)}
    rows = []
    for i, d in enumerate(decls):
        cells = []
        for j, e in enumerate(experts):
            cells.append({"expert": e, "total": None if np.isnan(r.totals[i, j]) else float(r.totals[i, j]),
                          "excluded": excluded.get((d.pk, e.pk))})
        rows.append({"declaration": d, "totals": cells, "count": int(r.count[i]),
                     "average": None if np.isnan(r.average[i]) else float(r.average[i]),
                     "spread": None if np.isnan(r.spread[i]) else float(r.spread[i]),
                     "flagged": bool(r.flagged[i]), "rank": int(r.rank[i]) or None, "shortlisted": bool(chosen[i])})
    rows.sort(key=lambda x: (x["rank"] is None, x["rank"] or 0, x["declaration"].pk))
    sheets = call.assignments.filter(excluded=False)
    return {"call": call, "experts": experts, "rows": rows, "flagged": sum(x["flagged"] for x in rows),
            "sheets": sheets.count(), "submitted": sheets.exclude(submitted_at=None).count()}


# ------------------------------------------------------------------------------- call steps
def _call_facts(call: Call, name: str, reason: str, date: dt.date | None) -> CallFacts:
    base: dict[str, Any] = {"today": today(), "declare_from": call.declare_from, "declare_until": call.declare_until,
                            "recommend_until": call.recommend_until, "reason": reason}
    if name == "start_review":
        accepted = list(call.declarations.filter(state="accepted").values_list("pk", flat=True))
        free = Counter(call.assignments.filter(excluded=False).values_list("declaration_id", flat=True))
        base.update(pending=call.declarations.filter(state__in=WAITING).count(), accepted=len(accepted),
                    panel=call.panel.count(), short=sum(1 for pk in accepted if free[pk] < call.min_reviewers))
    elif name == "shortlist":
        base["sheets_missing"] = call.assignments.filter(excluded=False, submitted_at__isnull=True,
                                                         declaration__state="accepted").count()
    elif name == "publish_notice":
        base["notice_start"] = date
    elif name == "publish_list":
        base["notice_end"] = call.notice_end
    return CallFacts(**base)


def call_transition(call: Call, name: str, *, by: Any, reason: str = "", date: dt.date | None = None) -> Call:
    """Take the call's transition ``name`` (``lifecycle.CALL``); the steps of the review also move its
    declarations (shortlisting, reopening, the final list), each with its own audit record."""
    reason = clean_text(reason, "reason")
    if date is not None and not dt.date(1949, 1, 1) <= date <= today() + dt.timedelta(days=366):
        raise InputError(_("date: within a year from today"))
    with transaction.atomic():
        call = Call.objects.select_for_update(of=("self",)).select_related("owner__region").get(pk=call.pk)
        roles = {"owner"} if by is not None and access.owns_call(by, call) else set()
        facts = _call_facts(call, name, reason, date)
        check(CALL, call.state, name, roles, facts)
        before, target = call.state, CALL.get(name).target
        extra: dict[str, Any] = {}
        if name == "publish":
            call.published_on = facts.today
        elif name == "publish_notice":
            call.notice_start = date
            call.notice_end = date + dt.timedelta(days=call.notice_days - 1)
            extra = {"notice_start": call.notice_start, "notice_end": call.notice_end}
        call.state, call._transition = target, True
        call.save()
        call.log(f"call.{name}", by, from_state=before, to_state=target, reason=reason, **extra)
        if name == "shortlist":
            _shortlist(call, by)
        elif name == "reopen_review":
            _reopen(call, by, reason)
        elif name == "publish_list":
            for d in call.declarations.filter(state="shortlisted"):
                declaration_transition(d, "win", by=by, system=True)
        if name == "publish_notice":
            for d in call.declarations.filter(state="shortlisted").select_related("enterprise"):
                notify(members(d.enterprise), "programs.notice",
                       _("%(call)s — %(enterprise)s: shortlisted, in public notice") % {
                           "call": call.title, "enterprise": d.enterprise.name},
                       _("Public notice from %(start)s to %(end)s.") % {"start": call.notice_start,
                                                                        "end": call.notice_end},
                       reverse("programs:declaration", args=[d.pk]), actor=by)
    return call


def _shortlist(call: Call, by: Any) -> None:
    decls, _experts, r = review_of(call)
    chosen = reviews.shortlist(r, places=call.places, pass_mark=call.pass_mark)
    for i, d in enumerate(decls):
        if d.state != "accepted":
            continue
        Declaration.objects.filter(pk=d.pk).update(average=None if np.isnan(r.average[i]) else float(r.average[i]),
                                                   rank=int(r.rank[i]) or None)
        declaration_transition(d, "select" if chosen[i] else "pass_over", by=by, system=True)


def _reopen(call: Call, by: Any, reason: str) -> None:
    """Back to the review: every declaration returns to it, and the sheets of those whose spread was
    flagged open again so that their experts can reconsider."""
    decls, _experts, r = review_of(call)
    flagged = [d.pk for i, d in enumerate(decls) if r.flagged[i]]
    for d in decls:
        if d.state in ("shortlisted", "not_selected"):
            declaration_transition(d, "reconsider", by=by, system=True, reason=reason)
    opened = call.assignments.filter(declaration__in=flagged, excluded=False).update(submitted_at=None)
    call.log("call.sheets_reopened", by, declarations=flagged, sheets=opened)


def published_list(call: Call) -> list[Declaration]:
    """The public list: the shortlist during the notice, the winners once published (rank order)."""
    if call.state == "in_notice":
        states = ["shortlisted"]
    elif call.state == "published":
        states = ["winner"]
    else:
        return []
    return list(call.declarations.filter(state__in=states).select_related("enterprise__region",
                                                                           "enterprise__industry")
                .order_by("rank", "enterprise__name"))


# ------------------------------------------------------------------------------------ figures
def figures(authority: Organization, call: Call | None = None) -> dict[str, Any]:
    """Declarations inside an authority's jurisdiction (of one call, or every call) by sub-region and
    industry: declared (submitted), recommended (by an authority below), accepted for review, winners,
    and the pass rate (winners ÷ declared, 0–1)."""
    if authority.national:
        prefix, width = "", 2
    else:
        prefix = authority.region.prefix
        width = min(len(prefix) + 2, 6)
    qs = Declaration.objects.filter(enterprise__region__code__startswith=prefix, submitted_at__isnull=False)
    if call is not None:
        qs = qs.filter(call=call)
    recommended = set(Recommendation.objects.filter(declaration__in=qs).values_list("declaration_id", flat=True))

    def grouped(key) -> dict[str, Counter]:
        out: dict[str, Counter] = defaultdict(Counter)
        for pk, k, state in qs.annotate(k=key).values_list("pk", "k", "state"):
            c = out[k or ""]
            c["declared"] += 1
            c["recommended"] += pk in recommended
            c["accepted"] += state in IN_REVIEW
            c["winners"] += state == "winner"
        return out

    def table(groups, labels):
        rows = []
        for k, v in sorted(groups.items()):
            rows.append({"code": k, "name": labels.get(k, k or "—"), **{c: v[c] for c in COLUMNS},
                         "pass_rate": v["winners"] / v["declared"] if v["declared"] else 0.0})
        return rows

    names = {r.code[:width]: r.name for r in Region.objects.filter(code__startswith=prefix)
             if r.code == r.code[:width].ljust(6, "0")}
    industry_names = dict(Industry.objects.values_list("code", "name"))
    regions = table(grouped(Substr("enterprise__region__code", 1, width)), names)
    industries = table(grouped(F("enterprise__industry__code")), industry_names)
    total = Counter()
    for r in regions:
        total.update({c: r[c] for c in COLUMNS})
    totals = {**{c: total[c] for c in COLUMNS},
              "pass_rate": total["winners"] / total["declared"] if total["declared"] else 0.0}
    return {"authority": authority, "call": call, "totals": totals, "by_region": regions, "by_industry": industries}


COLUMNS = ("declared", "recommended", "accepted", "winners")
HEADERS = {"code": "代码", "name": "名称", "declared": "申报数", "recommended": "获推荐数",
           "accepted": "受理（评审）数", "winners": "入选数", "pass_rate": "入选率"}


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame([{HEADERS[k]: r[k] for k in HEADERS} for r in rows], columns=list(HEADERS.values()))


def results_frames(call: Call) -> dict[str, pd.DataFrame]:
    """The review as tables: one row per declaration, and one per score sheet."""
    res = results(call)
    rows = [{"排名": x["rank"], "企业名称": x["declaration"].enterprise.name, "统一社会信用代码":
             x["declaration"].enterprise.credit_code, "地区": x["declaration"].enterprise.region_id,
             "行业": x["declaration"].enterprise.industry_id, "申报项目": x["declaration"].title,
             "状态": x["declaration"].state_label, "评审专家数": x["count"], "平均分": x["average"],
             "极差": x["spread"], "极差超限": "是" if x["flagged"] else "", "拟入选": "是" if x["shortlisted"] else ""}
            for x in res["rows"]]
    sheets = [{"申报项目": x["declaration"].title, "企业名称": x["declaration"].enterprise.name,
               "专家": t["expert"].name, "总分": t["total"], "回避": t["excluded"] or ""}
              for x in res["rows"] for t in x["totals"]]
    return {"评审结果": pd.DataFrame(rows), "评分": pd.DataFrame(sheets)}


def figures_frames(f: dict[str, Any]) -> dict[str, pd.DataFrame]:
    return {"按地区": _frame(f["by_region"]), "按行业": _frame(f["by_industry"])}


def export(frames: dict[str, pd.DataFrame], path: str | Path, *, target: Any, what: str, by: Any) -> Path:
    """Write tables to .xlsx or .csv (formula-safe cells) and record the export in the audit log."""
    path = Path(path)
    write_tables(path, frames)
    record("export", actor=by, target=target, what=what, rows=sum(len(f) for f in frames.values()),
           format=path.suffix.lstrip("."))
    return path


def eligibility_summary(call: Call, enterprises) -> list[tuple[Organization, list[eligibility.Check]]]:
    """Each of ``enterprises`` with its checks (for an enterprise page with several organisations)."""
    return [(e, check_eligibility(call, e)) for e in enterprises]


def queue(call: Call, user: Any) -> list[Declaration]:
    """The declarations waiting for the authorities ``user`` acts for."""
    mine = [o.pk for o in access.authorities_of(user)]
    return list(call.declarations.filter(state__in=WAITING, at_authority__in=mine)
                .select_related("enterprise__region", "at_authority").order_by("submitted_at", "pk"))


def own_declarations(call: Call, user: Any):
    return call.declarations.filter(Q(enterprise__memberships__user=user)).exclude(state="withdrawn")
