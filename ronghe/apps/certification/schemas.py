from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from ronghe.api.fields import Day, Id, ShortText

ClauseRef = Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=r"^[0-9.]+$")]


class StandardOut(Schema):
    slug: str
    urn: str
    version: int
    kind: str
    code: str
    title: str
    sha256: str
    placeholder: bool


class DocumentOut(Schema):
    id: str
    text: str
    basis: str


class ClauseOut(Schema):
    id: str
    parent: str | None
    title: str
    basis: str
    requirement: str | None
    documented: list[DocumentOut]
    notes: str | None
    checkable: bool


class GradeOut(Schema):
    code: str
    name: str
    basis: str


class StandardDetailOut(StandardOut):
    clauses: list[ClauseOut]
    grades: list[GradeOut]


class ProjectOut(Schema):
    id: int
    enterprise: int = Field(alias="enterprise_id")
    enterprise_name: str = Field(alias="enterprise.name")
    standard: str = Field(alias="standard.code")
    title: str
    owner: str
    capability: str
    capability_grade: str
    consultancy: int | None = Field(None, alias="consultancy_id")


class MilestoneOut(Schema):
    kind: str
    owner: str
    planned_on: dt.date | None
    done_on: dt.date | None


class ClauseCheckOut(Schema):
    clause: str
    conformity: str
    evidence: str
    owner: str
    due_on: dt.date | None


class CertEvidenceIn(Schema):
    """The form fields of an evidence upload (multipart, beside ``file``)."""

    evidence_date: Day
    """The day the document is evidence for (not in the future)."""
    clauses: list[ClauseRef] = Field(..., min_length=1, max_length=200)
    """The checkable clauses it supports: the field repeated, one clause each."""
    title: Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")] = ""
    """The document's title (default: the file's name); ignored for a new version."""
    evidence: Id | None = None
    """A document's id: the upload becomes its next version."""


class CertEvidenceOut(Schema):
    """One stored version of an evidence document."""

    id: int
    """The version's id (``GET /evidence/{id}/file`` downloads it)."""
    document: int = Field(alias="evidence_id")
    """The document's id: upload with ``evidence`` set to it to add a new version."""
    title: str = Field(alias="evidence.title")
    number: int
    """Version number, 1 for the first upload of the document."""
    original_name: str
    content_type: str
    """As judged from the file's content, not its name."""
    size: int
    """Bytes."""
    sha256: str
    evidence_date: dt.date
    """The day the document is evidence for (not the upload day)."""
    uploaded_at: dt.datetime = Field(alias="created_at")
    clauses: list[str]
    """The clauses it supports."""

    @staticmethod
    def resolve_clauses(obj) -> list[str]:
        return sorted(c.clause for c in obj.clauses.all())


class ProgressOut(Schema):
    milestones_done: int
    milestones: int
    clauses: int
    gaps: int
    conforming_share: float
    """Share (0–1) of clauses checked as conforming or not applicable."""


class ProjectDetailOut(ProjectOut):
    milestones: list[MilestoneOut]
    checks: list[ClauseCheckOut]
    progress: ProgressOut


class ClauseCheckIn(Schema):
    clause: ClauseRef
    conformity: Literal["unchecked", "conforms", "partial", "nonconforming", "not_applicable"]
    evidence: ShortText = ""
    owner: Annotated[str, StringConstraints(max_length=100)] = ""
    due_on: Day | None = None


class ApplyIn(Schema):
    body: Id
    """The assessment body applied to."""
    previous_certificate: Id | None = None
    """For a re-assessment: the certificate to renew."""


class CaseOut(Schema):
    id: int
    enterprise: int = Field(alias="enterprise_id")
    enterprise_name: str = Field(alias="enterprise.name")
    body: int = Field(alias="body_id")
    body_name: str = Field(alias="body.name")
    kind: str
    state: str
    state_label: str
    applied_on: dt.date | None
    stage1_on: dt.date | None
    stage2_on: dt.date | None
    grade: str
    notice_start: dt.date | None
    notice_end: dt.date | None


class FindingOut(Schema):
    id: int
    number: int
    severity: str
    clause: str
    description: str
    evidence: str
    state: str
    due_on: dt.date | None
    answer: str


class EventOut(Schema):
    at: dt.datetime
    actor: str | None
    action: str
    """The audit log's stable code (``case.accept``, ``finding.answer`` …)."""
    label: str
    """The action as people read it, in the request's language (简体中文 by default); a
    nonconformity's step is prefixed with its number (NC1 · …)."""
    from_state: str | None = None
    to_state: str | None = None
    to_state_label: str = ""
    reason: str | None = None


class CaseDetailOut(CaseOut):
    actions: list[str]
    """Transitions you may try from this state (guards are checked when you take one)."""
    findings: list[FindingOut]
    events: list[EventOut]
    """The case's history, newest first: each transition with its actor, time and reason."""
    certificate_number: str | None = None
    """The certificate's number once issued."""

    @staticmethod
    def resolve_certificate_number(obj) -> str | None:
        cert = getattr(obj, "certificate", None) if obj.state == "certified" else None
        return cert.number if cert else None


class TransitionIn(Schema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[a-z_0-9]+$")]
    """The transition, e.g. accept, plan_stage1, conclude (docs/certification.md lists them)."""
    reason: ShortText = ""
    report: ShortText = ""
    date: Day | None = None
    grade: Literal["", "A", "AA", "AAA"] = ""


class FindingIn(Schema):
    severity: Literal["major", "minor"]
    clause: ClauseRef
    description: Annotated[str, StringConstraints(min_length=1, max_length=5000)]
    evidence: Annotated[str, StringConstraints(min_length=1, max_length=5000)]
    due_on: Day | None = None


class FindingTransitionIn(Schema):
    name: Literal["answer", "verify", "reopen"]
    answer: ShortText = ""
    reason: ShortText = ""


class CertificateOut(Schema):
    number: str
    enterprise_name: str
    scope: str
    capability: str
    capability_grade: str
    grade: str
    standard: str = Field(alias="standard.code")
    body: str = Field(alias="body.name")
    issued_on: dt.date
    valid_until: dt.date
    state: str = Field(alias="effective_state")
    state_label: str


class CertificateDetailOut(CertificateOut):
    id: int
    enterprise: int = Field(alias="enterprise_id")
    region: str | None = Field(None, alias="region_id")
    industry: str | None = Field(None, alias="industry_id")
    revision: int
    case: int = Field(alias="case_id")


class CertificateTransitionIn(Schema):
    name: Literal["surveil", "suspend", "reinstate", "withdraw", "change"]
    reason: ShortText = ""
    report: ShortText = ""
    date: Day | None = None
    changes: dict[Literal["enterprise_name", "scope", "capability", "capability_grade"],
                  Annotated[str, StringConstraints(max_length=200)]] = {}


class FigureRow(Schema):
    code: str
    name: str
    projects: int
    cases: int
    A: int
    AA: int
    AAA: int
    expiring: int


class FiguresOut(Schema):
    authority: str
    totals: dict[str, int]
    by_region: list[FigureRow]
    by_industry: list[FigureRow]
    expiring_days: int
