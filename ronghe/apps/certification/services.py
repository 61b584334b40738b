"""贯标 and 评定: the only code that changes a project, a case, a finding or a certificate.

Every state change goes through :func:`transition`, :func:`finding_transition` or
:func:`certificate_transition`, which ask the lifecycle table
(``ronghe.core.certification.lifecycle``) whether the step may be taken — from this state, by
this person's role, with every guard holding — then write the change and its audit record
(actor, time, reason, from, to) in one transaction, with the row locked. Notices to people are
sent only once the transaction has committed. A refused step raises :class:`Refused` with the
table's 简体中文 (or English) message and writes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from ronghe import uploads
from ronghe.apps.accounts import access
from ronghe.apps.audit.models import record
from ronghe.apps.certification.models import (
    Case,
    CaseAssessor,
    Certificate,
    ClauseCheck,
    Evidence,
    EvidenceClause,
    EvidenceVersion,
    Finding,
    Milestone,
    Project,
    Standard,
    Surveillance,
)
from ronghe.apps.notifications.services import members, notify
from ronghe.apps.organizations.models import Industry, Organization, Region
from ronghe.core.certification.lifecycle import CASE, CERTIFICATE, FINDING, Facts, add_months
from ronghe.core.certification.standard import load, shipped
from ronghe.core.errors import AnswerFileError
from ronghe.core.io.sniff import sha256_of, sniff
from ronghe.core.io.tables import write_tables
from ronghe.core.messages import message
from ronghe.workflow import InputError, Refused, check, clean_text

Kind = Organization.Kind
ACTIVE_CASE_STATES = tuple(s for s in CASE.states if s != CASE.initial and s not in CASE.terminal)
FINDING_CASE_STATES = ("stage1_planned", "stage1_done", "stage2_planned", "stage2_done")
"""A nonconformity is raised while the audits are under way and until the conclusion."""
CHANGEABLE = ("enterprise_name", "scope", "capability", "capability_grade")
"""Certificate fields a change (变更) may touch."""


def today() -> dt.date:
    return timezone.localdate()


# ------------------------------------------------------------------------------------- standards
def sync_standards(*, by: Any = None) -> list[tuple[Standard, bool]]:
    """Register every shipped standard file (idempotent; a changed file needs a new version)."""
    out = []
    with transaction.atomic():
        for path in shipped():
            loaded, raw = load(path), path.read_bytes()
            std = loaded.standard
            same = Standard.objects.filter(urn=std.urn, version=std.version).first()
            if same is not None:
                if same.sha256 != loaded.sha256:
                    raise InputError(gettext("%(file)s: %(urn)s version %(version)s is registered with other content; "
                                             "publish the change as a new version")
                                     % {"file": path.name, "urn": std.urn, "version": std.version})
                out.append((same, False))
                continue
            row = Standard.objects.create(urn=std.urn, version=std.version, slug=std.slug, kind=std.kind,
                                          code=std.code, title=std.name.zh, sha256=loaded.sha256, source=path.name,
                                          content=raw, placeholder=std.placeholder)
            Standard.objects.filter(urn=std.urn).exclude(pk=row.pk).update(is_active=False)
            row.log("standard.registered", by, urn=std.urn, version=std.version, sha256=loaded.sha256)
            out.append((row, True))
    return out


def requirement_standards():
    """The standards a project can adopt, newest first (registered on first use)."""
    if not Standard.objects.exists():
        sync_standards()
    return Standard.objects.filter(kind="requirements", is_active=True).order_by("-code")


def capability_grades() -> list[tuple[str, str]]:
    """GB/T 23006 grades as (code, "CL3 流程级") choices."""
    if not Standard.objects.exists():
        sync_standards()
    std = Standard.objects.filter(kind="capability-grades", is_active=True).first()
    if std is None:
        return []
    return [(g.code, f"{g.code} {g.name.zh}") for g in std.loaded().standard.grades]


# -------------------------------------------------------------------------------------- projects
def start_project(enterprise: Organization, standard: Standard, *, title: str, owner: str, capability: str,
                  capability_grade: str, consultancy: Organization | None = None, by: Any = None) -> Project:
    """A new 贯标 project with its seven milestones and a self-check row for every checkable clause."""
    if enterprise.kind != Kind.ENTERPRISE or standard.kind != "requirements":
        raise InputError(gettext("a project adopts a requirements standard for an enterprise"))
    if capability_grade not in dict(capability_grades()):
        raise InputError(gettext("capability grade: one of %(values)s")
                         % {"values": ", ".join(dict(capability_grades()))})
    if consultancy is not None and not enterprise.grants_given.filter(consultancy=consultancy,
                                                                      revoked_at__isnull=True).exists():
        raise InputError(gettext("the consultancy needs the enterprise's access grant first"))
    with transaction.atomic():
        p = Project.objects.create(enterprise=enterprise, standard=standard, consultancy=consultancy,
                                   title=clean_text(title, "title", required=True, limit=200),
                                   owner=clean_text(owner, "owner", required=True, limit=100),
                                   capability=clean_text(capability, "capability", required=True, limit=200),
                                   capability_grade=capability_grade, created_by=by)
        Milestone.objects.bulk_create([Milestone(project=p, kind=k, order=i)
                                       for i, k in enumerate(Milestone.Kind.values)])
        ClauseCheck.objects.bulk_create([ClauseCheck(project=p, clause=c.id, order=i)
                                         for i, c in enumerate(standard.loaded().checkable)])
        p.log("project.started", by, standard=standard.code, version=standard.version)
    return p


def update_milestone(project: Project, kind: str, *, owner: str = "", planned_on: dt.date | None = None,
                     done_on: dt.date | None = None, by: Any = None) -> Milestone:
    """Record a milestone's owner and dates. A milestone is done on a day that has come (for the
    trial run: the day it started)."""
    if done_on is not None and done_on > today():
        raise InputError(gettext("a milestone cannot be done on a day that has not come"))
    with transaction.atomic():
        m = Milestone.objects.select_for_update().get(project=project, kind=kind)
        before = {"owner": m.owner, "planned_on": m.planned_on, "done_on": m.done_on}
        m.owner, m.planned_on, m.done_on = clean_text(owner, "owner", limit=100), planned_on, done_on
        m.save()
        m.log("milestone.updated", by, before=before, owner=m.owner, planned_on=planned_on, done_on=done_on)
    return m


def check_clause(project: Project, clause: str, *, conformity: str, evidence: str = "", owner: str = "",
                 due_on: dt.date | None = None, by: Any = None) -> ClauseCheck:
    """Record the self-check of one clause."""
    if conformity not in ClauseCheck.Conformity.values:
        raise InputError(gettext("conformity: one of %(values)s")
                         % {"values": ", ".join(ClauseCheck.Conformity.values)})
    with transaction.atomic():
        try:
            c = ClauseCheck.objects.select_for_update().get(project=project, clause=clause)
        except ClauseCheck.DoesNotExist:
            raise InputError(gettext("clause %(clause)s is not checked in %(standard)s")
                             % {"clause": clause, "standard": project.standard.code}) from None
        c.conformity, c.owner, c.due_on = conformity, clean_text(owner, "owner", limit=100), due_on
        c.evidence = clean_text(evidence, "evidence")
        c.save()
        c.log("clause.checked", by, clause=clause, conformity=conformity)
    return c


def milestone_dates(project: Project) -> dict[str, dt.date | None]:
    return dict(project.milestones.values_list("kind", "done_on"))


def progress(project: Project) -> dict[str, Any]:
    """Milestones done, clauses by conformity, and the share (0–1) of clauses checked as
    conforming or not applicable."""
    milestones = list(project.milestones.all())
    counts = Counter(project.checks.values_list("conformity", flat=True))
    total = sum(counts.values())
    ok = counts["conforms"] + counts["not_applicable"]
    return {"milestones_done": sum(m.done_on is not None for m in milestones), "milestones": len(milestones),
            "clauses": total, "conformity": {c: counts[c] for c in ClauseCheck.Conformity.values},
            "conforming_share": ok / total if total else 0.0, "gaps": total - ok}


def gaps(project: Project) -> list[ClauseCheck]:
    """Clauses not (yet) conforming: unchecked, partial or nonconforming, overdue first."""
    rows = list(project.checks.exclude(conformity__in=["conforms", "not_applicable"]))
    return sorted(rows, key=lambda c: (c.due_on is None, c.due_on or dt.date.max, c.order))


# -------------------------------------------------------------------------------------- evidence
def add_evidence(project: Project, path: str | Path, *, original_name: str, evidence_date: dt.date,
                 clauses: Iterable[str], title: str = "", evidence: Evidence | None = None,
                 by: Any = None) -> EvidenceVersion:
    """Store a new evidence document, or a new version of ``evidence``: the file's kind is judged by
    its content (PDF, PNG, JPEG, docx/xlsx/pptx) and its size bounded; it is saved through Django's
    storage under a name of its own, so an earlier version is never overwritten."""
    kind = sniff(path, settings.RONGHE_EVIDENCE_MAX_BYTES)  # AnswerFileError names the fault
    known = {c.id for c in project.standard.loaded().checkable}
    clauses = sorted(set(clauses))
    unknown = [c for c in clauses if c not in known]
    if unknown or not clauses:
        raise InputError(gettext("clauses: name at least one checkable clause of %(standard)s")
                         % {"standard": project.standard.code}
                         + (gettext(" (unknown: %(clauses)s)") % {"clauses": ", ".join(unknown)} if unknown else ""))
    if evidence_date > today():
        raise InputError(gettext("the evidence date cannot be in the future"))
    checksum = sha256_of(path)
    stored = None
    try:
        with transaction.atomic():
            if evidence is None:
                evidence = Evidence.objects.create(project=project, title=clean_text(title or original_name, "title",
                                                                                     required=True, limit=200))
            else:
                evidence = Evidence.objects.select_for_update().get(pk=evidence.pk, project=project)
            number = (evidence.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            v = EvidenceVersion(evidence=evidence, number=number, original_name=Path(original_name).name[:200],
                                suffix=kind.suffix, content_type=kind.content_type, size=Path(path).stat().st_size,
                                sha256=checksum, evidence_date=evidence_date, uploaded_by=by)
            with open(path, "rb") as fh:
                v.file.save(Path(original_name).name, File(fh), save=False)
            stored = v.file.name
            v.save()
            EvidenceClause.objects.bulk_create([EvidenceClause(version=v, clause=c) for c in clauses])
            v.log("evidence.uploaded", by, number=number, sha256=v.sha256, size=v.size, kind=kind.name,
                  evidence_date=evidence_date, clauses=clauses)
    except BaseException:
        if stored:
            EvidenceVersion._meta.get_field("file").storage.delete(stored)
        raise
    return v


def add_uploaded_evidence(project: Project, upload: Any, *, evidence_date: dt.date, clauses: Iterable[str],
                          title: str = "", evidence: Evidence | None = None, by: Any = None) -> EvidenceVersion:
    """:func:`add_evidence` for a file uploaded to a page or to the API: it is copied to a bounded
    temporary file (``RONGHE_UPLOAD_MAX_BYTES`` refused before copying) that is removed afterwards,
    whatever happens; the content checks and ``RONGHE_EVIDENCE_MAX_BYTES`` are :func:`add_evidence`'s."""
    name = Path(upload.name or "upload").name
    try:
        with uploads.saved_upload(upload) as path:
            return add_evidence(project, path, original_name=name, evidence_date=evidence_date,
                                clauses=clauses, title=title, evidence=evidence, by=by)
    except AnswerFileError as exc:  # name the file as the person named it, not its temporary copy
        raise AnswerFileError([dataclasses.replace(e, value=name) for e in exc.errors]) from None


def evidence_versions(project: Project):
    """Every stored version of the project's evidence documents, newest document and version first."""
    return (EvidenceVersion.objects.filter(evidence__project=project).select_related("evidence")
            .prefetch_related("clauses").order_by("-evidence_id", "-number"))


def latest_evidence(project: Project) -> list[EvidenceVersion]:
    """The newest version of each evidence document, with its clauses."""
    newest = project.evidence.annotate(n=Max("versions__number")).values_list("pk", "n")
    q = Q(pk__in=[])
    for pk, n in newest:
        if n:
            q |= Q(evidence_id=pk, number=n)
    return list(EvidenceVersion.objects.filter(q).select_related("evidence").prefetch_related("clauses")
                .order_by("evidence__title"))


def clause_evidence(project: Project) -> dict[str, list[EvidenceVersion]]:
    """Each clause's evidence (newest version of each document that supports it), for audits."""
    out: dict[str, list[EvidenceVersion]] = defaultdict(list)
    for v in latest_evidence(project):
        for c in v.clauses.all():
            out[c.clause].append(v)
    return dict(out)


# ------------------------------------------------------------------------------------------ cases
STAGES_23020 = ("起步建设", "单项覆盖", "集成提升", "创新突破")
"""The four GB/T 23020 stages in order; the grade rules name them (standards.md §2.6)."""


def uses_23020_stages(framework) -> bool:
    """Whether a framework version's stages are GB/T 23020's (codes 1… named 起步建设, 单项覆盖 …), so
    that its stored stage codes can be compared with the grade rules."""
    labels = tuple(s.label.zh for s in framework.loaded().framework.stages)
    return bool(labels) and labels == STAGES_23020[:len(labels)]


def latest_stage(enterprise: Organization) -> tuple[int | None, str]:
    """Stage code and label of the enterprise's latest approved assessment against a framework with
    GB/T 23020's stages (its stored score; 0 is below stage 1), or ``(None, "")`` if there is none."""
    from ronghe.apps.assessments.models import Assessment

    scored = (Assessment.objects.filter(enterprise=enterprise, status=Assessment.Status.SCORED)
              .select_related("score", "framework").defer("framework__content")
              .order_by("-year", "-reviewed_at", "-id"))
    for a in scored[:50]:
        if uses_23020_stages(a.framework):
            return a.score.stage, f"{a.year}年 {a.score.stage_label}"
    return None, ""


def _notify(case: Case, event: str) -> None:
    """Tell the enterprise's and the body's people (in the site and by e-mail, once committed)."""
    notify(members(case.enterprise, case.body), "certification.case",
           f"评定 #{case.pk}：{CASE.label(case.state)}", f"{case.enterprise}：{event}",
           reverse("certification:case", args=[case.pk]))  # the actor gets a copy too: a receipt


def apply(project: Project, body: Organization, *, by: Any, previous_certificate: Certificate | None = None) -> Case:
    """The enterprise applies to an assessment body (申请): guards on the trial run, the internal audit
    and the management review (or, for a re-assessment, a certificate still in force)."""
    if body.kind != Kind.ASSESSMENT_BODY:
        raise InputError(gettext("choose an assessment body"))
    enterprise = project.enterprise
    roles = {"enterprise"} if by is not None and by.memberships.filter(organization=enterprise).exists() else set()
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=enterprise.pk)  # one application at a time
        dates = milestone_dates(project)
        facts = Facts(today=today(), trial_run_start=dates.get("trial_run"),
                      internal_audit_on=dates.get("internal_audit"),
                      management_review_on=dates.get("management_review"),
                      reassessment=previous_certificate is not None,
                      previous_certificate_state=previous_certificate.state if previous_certificate else None,
                      open_case=Case.objects.filter(enterprise=enterprise, state__in=ACTIVE_CASE_STATES).exists())
        check(CASE, CASE.initial, "apply", roles, facts)
        case = Case(project=project, enterprise=enterprise, body=body, applied_on=facts.today,
                    kind=Case.Kind.REASSESSMENT if previous_certificate else Case.Kind.INITIAL,
                    previous_certificate=previous_certificate, state="applied")
        case.save()
        case.log("case.apply", by, from_state=CASE.initial, to_state="applied", reason="",
                 trial_run_start=facts.trial_run_start, body=body.pk)
        _notify(case, CASE.get("apply").label[0])
    return case


def assign_assessor(case: Case, user: Any, role: str = CaseAssessor.Role.MEMBER, *, by: Any) -> CaseAssessor:
    """Put a member of the case's body on its audit team, unless the assessor has a conflict of
    interest (works for the enterprise, or for an organisation that consulted it)."""
    if "body" not in access.case_roles(by, case):
        raise Refused.of("cert.transition.role", action="指派评定人员", roles=message("cert.role.body"))
    if role not in CaseAssessor.Role.values:
        raise InputError(gettext("role: lead or member"))
    if not user.memberships.filter(organization=case.body).exists():
        raise Refused.of("cert.assign.member", user=user.get_username(), body=case.body)
    conflicts = access.conflicts_of_interest(user, case.enterprise)
    if conflicts:
        raise Refused.of("cert.assign.conflict", user=user.get_username(), orgs="、".join(conflicts))
    if case.state in CASE.terminal:
        raise Refused.of("cert.assign.closed", state=CASE.label(case.state))
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)
        if role == CaseAssessor.Role.LEAD:
            case.team.filter(role=CaseAssessor.Role.LEAD).exclude(user=user).update(role=CaseAssessor.Role.MEMBER)
        a, _created = CaseAssessor.objects.update_or_create(case=case, user=user, defaults={"role": role})
        case.log("case.assign", by, assessor=user.pk, username=user.get_username(), role=role)
    return a


def _case_facts(case: Case, name: str, *, reason: str, date: dt.date | None, report: str, grade: str) -> Facts:
    base: dict[str, Any] = {"today": today(), "reason": reason, "report": report}
    if name in ("plan_stage1", "plan_stage2"):
        base["lead_assessor"] = case.team.filter(role=CaseAssessor.Role.LEAD).exists()
        base["plan_date"] = date
        base["earlier_audit_on"] = case.stage1_on if name == "plan_stage2" else None
    elif name == "complete_stage1":
        base["plan_date"] = case.stage1_on
    elif name == "complete_stage2":
        base["plan_date"] = case.stage2_on
    elif name == "conclude":
        stage, label = latest_stage(case.enterprise)
        base.update(grade=grade or None, latest_stage=stage, latest_stage_label=label,
                    open_findings=case.findings.exclude(state="verified").count())
    elif name == "publish_notice":
        base["notice_start"] = date
    elif name == "issue":
        base["notice_end"] = case.notice_end
    return Facts(**base)


def transition(case: Case, name: str, *, by: Any, reason: str = "", date: dt.date | None = None, report: str = "",
               grade: str = "") -> Case:
    """Take the case's transition ``name`` (see ``lifecycle.CASE``): refused with a clear message
    unless it leaves the current state, ``by`` holds a permitted role and every guard holds."""
    if name == "apply":
        raise Refused.of("cert.transition.unknown", name=name)  # an application is made with :func:`apply`
    reason, report = clean_text(reason, "reason"), clean_text(report, "report")
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("enterprise", "body", "project").get(pk=case.pk)
        roles = access.case_roles(by, case) if by is not None else set()
        facts = _case_facts(case, name, reason=reason, date=date, report=report, grade=grade)
        check(CASE, case.state, name, roles, facts)
        before, t = case.state, CASE.get(name)
        _apply_case_effects(case, name, facts, by)
        case.state, case._transition = t.target, True
        if t.target in CASE.terminal:
            case.decided_on = facts.today
        case.save()
        case.log(f"case.{name}", by, from_state=before, to_state=t.target, reason=reason,
                 **({"date": date} if date else {}), **({"grade": grade} if name == "conclude" else {}))
        if name == "issue":
            _issue_certificate(case, by)
        _notify(case, t.label[0])
    return case


def _apply_case_effects(case: Case, name: str, facts: Facts, by: Any) -> None:
    if name == "plan_stage1":
        case.stage1_on = facts.plan_date
    elif name == "plan_stage2":
        case.stage2_on = facts.plan_date
    elif name == "complete_stage1":
        case.stage1_report = facts.report
    elif name == "complete_stage2":
        case.stage2_report = facts.report
    elif name == "conclude":
        case.grade, case.conclusion = facts.grade or "", facts.report
    elif name in ("dispute", "return_case"):
        case.grade = ""
    elif name == "submit_review" and case.reviewed_at is None:
        case.reviewed_at = timezone.now()
    elif name == "publish_notice":
        case.notice_start = facts.notice_start
        case.notice_end = facts.notice_start + dt.timedelta(days=settings.RONGHE_CERT_NOTICE_DAYS)


def _issue_certificate(case: Case, by: Any) -> Certificate:
    issued = today()
    years = settings.RONGHE_CERT_VALID_YEARS
    p = case.project
    cert = Certificate(
        number=f"RH{issued:%Y}{case.pk:07d}", case=case, enterprise=case.enterprise,
        enterprise_name=case.enterprise.name, region=case.enterprise.region, industry=case.enterprise.industry,
        scope=f"{case.enterprise.name}的两化融合管理体系，与{p.capability}相关的活动", capability=p.capability,
        capability_grade=p.capability_grade, grade=case.grade, standard=p.standard, body=case.body,
        issued_on=issued, valid_until=add_months(issued, 12 * years) - dt.timedelta(days=1), state="valid")
    cert.save()
    Surveillance.objects.bulk_create([
        Surveillance(certificate=cert, due_on=add_months(issued, settings.RONGHE_CERT_SURVEILLANCE_MONTHS * k))
        for k in range(1, 12 * years // settings.RONGHE_CERT_SURVEILLANCE_MONTHS)])
    cert.log("certificate.issue", by, from_state=CERTIFICATE.initial, to_state="valid", reason="", case=case.pk,
             grade=cert.grade, valid_until=cert.valid_until)
    previous = case.previous_certificate
    if previous is not None and previous.state in CERTIFICATE.get("supersede").source:
        # a certificate that expired (or was withdrawn) while its re-assessment ran stays as it ended
        certificate_transition(previous, "supersede", by=by, system=True, reason=f"renewed by {cert.number}")
    return cert


# --------------------------------------------------------------------------------------- findings
def raise_finding(case: Case, *, severity: str, clause: str, description: str, evidence: str,
                  due_on: dt.date | None = None, by: Any) -> Finding:
    """An assigned assessor raises a nonconformity (major or minor) against a checkable clause."""
    if severity not in Finding.Severity.values:
        raise InputError(gettext("severity: major or minor"))
    description = clean_text(description, "description", required=True)
    evidence = clean_text(evidence, "evidence", required=True)
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("project__standard").get(pk=case.pk)
        check(FINDING, FINDING.initial, "raise_finding", access.case_roles(by, case), Facts(today=today()))
        if case.state not in FINDING_CASE_STATES:
            raise Refused.of("cert.finding.case_state", state=CASE.label(case.state))
        if clause not in {c.id for c in case.project.standard.loaded().checkable}:
            raise InputError(gettext("clause %(clause)s is not a checkable clause of %(standard)s")
                             % {"clause": clause, "standard": case.project.standard.code})
        number = (case.findings.aggregate(n=Max("number"))["n"] or 0) + 1
        f = Finding.objects.create(case=case, number=number, severity=severity, clause=clause,
                                   description=description, evidence=evidence, due_on=due_on, raised_by=by)
        f.log("finding.raise_finding", by, from_state=FINDING.initial, to_state="open", reason="",
              severity=severity, clause=clause)
    return f


def finding_transition(finding: Finding, name: str, *, by: Any, answer: str = "", reason: str = "") -> Finding:
    """Answer a nonconformity (the enterprise: correction and corrective action), verify it or
    reopen it (an assigned assessor)."""
    answer, reason = clean_text(answer, "answer"), clean_text(reason, "reason")
    with transaction.atomic():
        f = Finding.objects.select_for_update().select_related("case").get(pk=finding.pk)
        if name != "raise_finding" and f.case.state in CASE.terminal:
            raise Refused.of("cert.finding.case_state", state=CASE.label(f.case.state))
        check(FINDING, f.state, name, access.case_roles(by, f.case),
              Facts(today=today(), answer=answer, reason=reason))
        before, target = f.state, FINDING.get(name).target
        if name == "answer":
            f.answer = answer
        f.state, f._transition = target, True
        f.save()
        f.log(f"finding.{name}", by, from_state=before, to_state=target, reason=reason)
    return f


# ----------------------------------------------------------------------------------- certificates
def certificate_transition(cert: Certificate, name: str, *, by: Any, reason: str = "", date: dt.date | None = None,
                           report: str = "", changes: dict[str, str] | None = None, system: bool = False
                           ) -> Certificate:
    """Surveillance, suspension, reinstatement, withdrawal, change, expiry or renewal of a certificate.
    ``system`` is the platform acting on its own (expiry, renewal by a re-assessment)."""
    reason, report = clean_text(reason, "reason"), clean_text(report, "report")
    with transaction.atomic():
        c = Certificate.objects.select_for_update().get(pk=cert.pk)
        roles = {"system"} if system else access.certificate_roles(by, c)
        due = c.surveillances.filter(done_on__isnull=True).order_by("due_on").first()
        diff = {k: clean_text(str(v), k, limit=200) for k, v in (changes or {}).items()
                if k in CHANGEABLE and str(v).strip() and str(v).strip() != getattr(c, k)}
        if changes and set(changes) - set(CHANGEABLE):
            raise InputError(gettext("a change may touch only: %(fields)s") % {"fields": ", ".join(CHANGEABLE)})
        if "capability_grade" in diff and diff["capability_grade"] not in dict(capability_grades()):
            raise InputError(gettext("capability grade: CL1–CL5"))
        if date is not None and date > today():
            raise InputError(gettext("the date cannot be in the future"))
        facts = Facts(today=today(), reason=reason, report=report, valid_until=c.valid_until,
                      surveillance_due=due.due_on if due else None, changes=diff)
        check(CERTIFICATE, c.state, name, roles, facts)
        before, target = c.state, CERTIFICATE.get(name).target
        extra: dict[str, Any] = {}
        if name == "surveil":
            due.done_on, due.report = date or facts.today, report
            due.save()
            extra = {"due_on": due.due_on, "done_on": due.done_on}
        elif name == "change":
            extra = {"before": {k: getattr(c, k) for k in diff}, "after": diff}
            for k, v in diff.items():
                setattr(c, k, v)
            c.revision += 1
        c.state, c._transition = target, True
        c.save()
        c.log(f"certificate.{name}", None if system and by is None else by, from_state=before, to_state=target,
              reason=reason, **extra)
    return c


def expire_certificates(*, by: Any = None, progress: Any = None) -> int:
    """Record the expiry of every certificate past its validity; returns how many. Run daily by the
    scheduled job ``certification.daily`` (safe to run often: an expired certificate is not valid any
    more). ``progress(done, total)`` is told after each certificate."""
    due = list(Certificate.objects.filter(state__in=["valid", "suspended"], valid_until__lt=today())
               .order_by("valid_until", "pk"))
    for k, c in enumerate(due, 1):
        certificate_transition(c, "expire", by=by, system=True)
        if progress is not None:
            progress(k, len(due), "expire")
    return len(due)


OVERDUE_ACTION = "certificate.surveillance_overdue"


def announce_overdue_surveillance(*, progress: Any = None) -> int:
    """Tell each body once of each surveillance audit of a valid certificate whose due day has passed
    without it: a notification to the body's members and an audit record on the certificate (which
    is also what marks it as announced). Returns how many were announced now."""
    from django.contrib.auth.models import User

    day = today()
    rows = list(Surveillance.objects.filter(done_on__isnull=True, due_on__lt=day, certificate__state="valid",
                                            certificate__valid_until__gte=day)
                .select_related("certificate__body").order_by("due_on", "pk"))
    announced = 0
    for k, s in enumerate(rows, 1):
        cert = s.certificate
        with transaction.atomic():
            Certificate.objects.select_for_update().get(pk=cert.pk)  # one announcement per surveillance
            seen = cert.history().filter(action=OVERDUE_ACTION, data__due_on=s.due_on.isoformat()).exists()
            if not seen:
                cert.log(OVERDUE_ACTION, None, due_on=s.due_on.isoformat(), days=(day - s.due_on).days)
                notify(User.objects.filter(memberships__organization=cert.body_id), OVERDUE_ACTION,
                       _("Surveillance audit overdue: certificate %(number)s") % {"number": cert.number},
                       _("%(enterprise)s: the surveillance audit due on %(due)s has not been recorded.")
                       % {"enterprise": cert.enterprise_name, "due": s.due_on.isoformat()},
                       reverse("certification:certificate", args=[cert.pk]))
                announced += 1
        if progress is not None:
            progress(k, len(rows), "surveillance")
    return announced


def verify(query: str):
    """Public verification: certificates whose number is ``query`` or whose enterprise name contains
    it (at least 2 characters). Only issued certificates exist as rows, so nothing else can show."""
    q = (query or "").strip()
    if len(q) < 2 or len(q) > 100 or "\x00" in q:
        return Certificate.objects.none()
    return (Certificate.objects.filter(Q(number__iexact=q) | Q(enterprise_name__icontains=q))
            .select_related("body", "standard", "region", "industry").order_by("-issued_on", "number"))


REGISTRY_COLUMNS = ["证书编号", "企业名称", "统一社会信用代码", "地区", "行业", "评定范围", "新型能力", "能力等级",
                    "评定等级", "标准", "评定机构", "发证日期", "有效期至", "状态", "变更次数"]


def registry_frame(certificates) -> pd.DataFrame:
    """The registry's fields (standards.md §4.1), one row per certificate."""
    rows = [{"证书编号": c.number, "企业名称": c.enterprise_name, "统一社会信用代码": c.enterprise.credit_code,
             "地区": c.region_id or "", "行业": c.industry_id or "", "评定范围": c.scope, "新型能力": c.capability,
             "能力等级": c.capability_grade, "评定等级": c.grade, "标准": c.standard.code, "评定机构": c.body.name,
             "发证日期": c.issued_on.isoformat(), "有效期至": c.valid_until.isoformat(),
             "状态": CERTIFICATE.label(c.effective_state), "变更次数": c.revision - 1}
            for c in certificates.select_related("enterprise", "standard", "body")]
    return pd.DataFrame(rows, columns=REGISTRY_COLUMNS)


def export_registry(certificates, path: str | Path, *, by: Any = None) -> Path:
    """Write the registry to .xlsx or .csv (formula-safe) and record the export in the audit log."""
    path = Path(path)
    frame = registry_frame(certificates)
    write_tables(path, {"证书": frame})
    record("export", actor=by, target=Certificate, object_repr="certificate registry", rows=len(frame),
           format=path.suffix.lstrip("."))
    return path


# ---------------------------------------------------------------------------------------- history
MACHINES_BY_PREFIX = {"case": CASE, "finding": FINDING, "certificate": CERTIFICATE}
OTHER_ACTIONS = {
    "case.assign": _("Assessor assigned"),
    "project.started": _("Project started"),
    "milestone.updated": _("Milestone updated"),
    "clause.checked": _("Clause self-checked"),
    "evidence.uploaded": _("Evidence uploaded"),
    OVERDUE_ACTION: _("Surveillance audit overdue"),
    "certificate.demo_backdated": _("Dates moved back for the demo"),
}
"""Audit actions that are not a lifecycle transition, with their label (gettext)."""


def action_label(action: str, locale: str | None = None) -> str:
    """The name people read for an audit action code (``case.accept`` → 受理申请 / Accept the
    application): a lifecycle transition's declared label, else the catalogue's; an unknown code
    is shown as it is."""
    locale = locale or get_language() or "zh-hans"
    prefix, _dot, name = action.partition(".")
    machine = MACHINES_BY_PREFIX.get(prefix)
    if machine is not None and name in machine.names():
        return machine.get(name).label_in(locale)
    if action not in OTHER_ACTIONS:
        return action
    with translation.override("en" if locale.startswith("en") else "zh-hans"):
        return str(OTHER_ACTIONS[action])


def _state_label(machine, state: str | None, locale: str) -> str:
    return machine.label(state, locale) if state and state in machine.states else ""


def history(obj: Case | Certificate, locale: str | None = None) -> list[dict[str, Any]]:
    """A case's or certificate's audit trail, newest first, as people read it: time, actor, the action's
    label, the state reached (its label) and the reason. A case's trail includes its nonconformities'
    steps (named NC1, NC2 …). ``locale`` defaults to the request's language."""
    locale = locale or get_language() or "zh-hans"
    events = [(e, None) for e in obj.history().select_related("actor")]
    if isinstance(obj, Case):
        for f in obj.findings.all():
            events += [(e, f) for e in f.history().select_related("actor")]
    events.sort(key=lambda ef: (ef[0].at, ef[0].pk), reverse=True)
    rows = []
    for e, finding in events:
        machine = MACHINES_BY_PREFIX.get(e.action.partition(".")[0], CASE)
        label = action_label(e.action, locale)
        rows.append({"at": e.at, "actor": e.actor.get_username() if e.actor else None, "action": e.action,
                     "label": f"NC{finding.number} · {label}" if finding else label,
                     "from_state": e.data.get("from_state"), "to_state": e.data.get("to_state"),
                     "to_state_label": _state_label(machine, e.data.get("to_state"), locale),
                     "reason": e.data.get("reason") or ""})
    return rows


# ------------------------------------------------------------------------------------ dashboards
def work(user) -> dict[str, Any]:
    """An assessment body member's work: cases by state, the next deadlines, overdue surveillance."""
    bodies = access.orgs_of_kind(user, Kind.ASSESSMENT_BODY)
    cases = access.cases_for_user(user).filter(body__in=bodies).select_related("enterprise")
    by_state: dict[str, list[Case]] = defaultdict(list)
    for c in cases.order_by("applied_on", "pk"):
        by_state[c.state].append(c)
    day = today()
    deadlines = []
    for c in cases.filter(state="stage1_planned"):
        deadlines.append((c.stage1_on, c, "第一阶段审核"))
    for c in cases.filter(state="stage2_planned"):
        deadlines.append((c.stage2_on, c, "第二阶段审核"))
    for f in Finding.objects.filter(case__in=cases, state__in=["open", "answered"], due_on__isnull=False
                                    ).select_related("case__enterprise"):
        deadlines.append((f.due_on, f.case, f"不符合项 NC{f.number} 整改"))
    deadlines.sort(key=lambda d: (d[0] or dt.date.max, d[1].pk))
    overdue = (Surveillance.objects.filter(certificate__body__in=bodies, done_on__isnull=True, due_on__lt=day,
                                           certificate__state="valid")
               .select_related("certificate").order_by("due_on"))
    due_soon = (Surveillance.objects.filter(certificate__body__in=bodies, done_on__isnull=True, due_on__gte=day,
                                            due_on__lte=day + dt.timedelta(days=90), certificate__state="valid")
                .select_related("certificate").order_by("due_on"))
    return {"states": [(s, CASE.label(s), by_state.get(s, [])) for s in CASE.states if by_state.get(s)],
            "deadlines": [{"on": d, "case": c, "what": w, "overdue": d is not None and d < day}
                          for d, c, w in deadlines], "overdue_surveillance": list(overdue),
            "surveillance_soon": list(due_soon), "open": cases.filter(state__in=ACTIVE_CASE_STATES).count()}


def figures(authority: Organization, *, expiring_days: int = 90) -> dict[str, Any]:
    """贯标 and 评定 figures inside an authority's jurisdiction, by sub-region and by industry: projects,
    applications (cases), valid certificates by grade, certificates expiring within ``expiring_days``."""
    if authority.national:
        prefix, width = "", 2
    else:
        prefix = authority.region.prefix
        width = min(len(prefix) + 2, 6)
    day = today()
    projects = Project.objects.filter(enterprise__region__code__startswith=prefix)
    cases = Case.objects.filter(enterprise__region__code__startswith=prefix)
    certs = Certificate.objects.filter(enterprise__region__code__startswith=prefix)
    valid = certs.filter(state="valid", valid_until__gte=day)
    expiring = valid.filter(valid_until__lte=day + dt.timedelta(days=expiring_days))

    def grouped(key) -> dict[str, Counter]:
        out: dict[str, Counter] = defaultdict(Counter)
        for name, qs in (("projects", projects), ("cases", cases), ("expiring", expiring)):
            for r in qs.values(k=key).annotate(n=Count("pk")):
                out[r["k"] or ""][name] += r["n"]
        for r in valid.values("grade", k=key).annotate(n=Count("pk")):
            out[r["k"] or ""][r["grade"]] += r["n"]
        return out

    regions = grouped(Substr("enterprise__region__code", 1, width))
    names = {r.code[:width]: r.name for r in Region.objects.filter(code__startswith=prefix)
             if r.code == r.code[:width].ljust(6, "0")}
    industries = grouped(F("enterprise__industry__code"))
    industry_names = dict(Industry.objects.values_list("code", "name"))
    cols = ["projects", "cases", "A", "AA", "AAA", "expiring"]

    def table(groups, labels):
        return [{"code": k, "name": labels.get(k, k or "—"), **{c: v.get(c, 0) for c in cols}}
                for k, v in sorted(groups.items())]

    totals = {"projects": projects.count(), "cases": cases.count(), "active_cases":
              cases.filter(state__in=ACTIVE_CASE_STATES).count(), "valid": valid.count(),
              "expiring": expiring.count(), **{g: valid.filter(grade=g).count() for g in Case.Grade.values}}
    return {"authority": authority, "totals": totals, "by_region": table(regions, names),
            "by_industry": table(industries, industry_names), "expiring_days": expiring_days,
            "expiring_list": list(expiring.order_by("valid_until")[:100])}

