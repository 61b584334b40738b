from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from ronghe.api.fields import Day, Id, Text, Year
from ronghe.apps.organizations.models import Organization
from ronghe.core.programs.lifecycle import CALL, DECLARATION
from ronghe.core.programs.review import Criterion
from ronghe.core.programs.rules import Rule

Title = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]
IndustryCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")]
Size = Literal[tuple(Organization.Size.values)]  # type: ignore[valid-type]
Program = Literal["management_system", "industrial_cloud", "internet_manufacturing", "smart_manufacturing", "other"]
CallStep = Literal[tuple(CALL.names())]  # type: ignore[valid-type]
DeclarationStep = Literal[tuple(t.name for t in DECLARATION.transitions if "system" not in t.roles)]  # type: ignore


class MaterialSpecOut(Schema):
    id: str
    name: str
    required: bool


class MaterialSpecIn(Schema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[^\x00]*$")]
    required: bool = True


class CriterionOut(Schema):
    id: str
    name: str
    points: float
    guidance: str


class RuleOut(Schema):
    kind: str
    min: float | str | None = None
    year: int | None = None


class CheckOut(Schema):
    rule: str
    """``scope.region``, ``scope.industry``, ``scope.size`` or a rule kind."""
    ok: bool
    code: str
    message: str
    """Why it holds or fails, in your language (简体中文 by default)."""


class ListedOut(Schema):
    declaration: int
    enterprise_name: str
    title: str
    region: str | None
    rank: int | None
    average: float | None


class CallOut(Schema):
    id: int
    title: str
    program: str
    year: int
    owner: int = Field(alias="owner_id")
    owner_name: str = Field(alias="owner.name")
    state: str
    state_label: str
    declare_from: dt.date | None
    declare_until: dt.date | None
    recommend_until: dt.date | None
    notice_start: dt.date | None
    notice_end: dt.date | None


class CallDetailOut(CallOut):
    description: str
    industries: list[str]
    sizes: list[str]
    materials: list[MaterialSpecOut]
    rules: list[RuleOut]
    rules_text: list[str]
    """Each rule in words."""
    criteria: list[CriterionOut]
    places: int
    pass_mark: float
    quota: int | None
    panel_size: int
    min_reviewers: int
    spread_limit: float
    trim: bool
    avoid_level: str
    notice_days: int
    actions: list[str]
    """The call's steps you may try now (its authority)."""
    listed: list[ListedOut]
    """The shortlist during the public notice, the winners once published."""


class CallIn(Schema):
    owner: Id | None = None
    """The authority publishing it (one you act for; default: your first)."""
    program: Program
    title: Title
    year: Year
    description: Text = ""
    industries: list[IndustryCode] = Field(default_factory=list, max_length=100)
    sizes: list[Size] = Field(default_factory=list, max_length=5)
    declare_from: Day
    declare_until: Day
    recommend_until: Day
    materials: list[MaterialSpecIn] = Field(default_factory=list, max_length=20)
    rules: list[Rule] = Field(default_factory=list, max_length=20)
    criteria: list[Criterion] | None = Field(None, max_length=20)
    """The scoring sheet (points add up to 100); default: ronghe's four criteria."""
    places: int = Field(10, ge=1, le=100_000)
    pass_mark: float = Field(60, ge=0, le=100, allow_inf_nan=False)
    quota: int | None = Field(None, ge=0, le=100_000)
    panel_size: int = Field(5, ge=1, le=99)
    min_reviewers: int = Field(3, ge=1, le=99)
    spread_limit: float = Field(20, ge=0, le=100, allow_inf_nan=False)
    trim: bool = False
    avoid_level: Literal["province", "city", "county"] = "city"
    notice_days: int = Field(7, ge=1, le=365)


class CallTransitionIn(Schema):
    name: CallStep
    reason: Text = ""
    date: Day | None = None


class EligibilityOut(Schema):
    enterprise: int
    enterprise_name: str
    eligible: bool
    checks: list[CheckOut]


class DeclareIn(Schema):
    enterprise: Id
    title: Title
    summary: Text = ""
    contact: Annotated[str, StringConstraints(max_length=100, pattern=r"^[^\x00]*$")] = ""


class MaterialOut(Schema):
    id: int
    kind: str
    number: int
    original_name: str
    content_type: str
    size: int
    sha256: str


class DeclarationEventOut(Schema):
    at: dt.datetime
    actor: str | None
    action: str
    from_state: str | None = None
    to_state: str | None = None
    reason: str | None = None


class DeclarationOut(Schema):
    id: int
    call: int = Field(alias="call_id")
    call_title: str = Field(alias="call.title")
    enterprise: int = Field(alias="enterprise_id")
    enterprise_name: str = Field(alias="enterprise.name")
    title: str
    state: str
    state_label: str
    at_authority: int | None = Field(None, alias="at_authority_id")
    submitted_at: dt.datetime | None
    average: float | None
    rank: int | None


class DeclarationDetailOut(DeclarationOut):
    summary: str
    contact: str
    eligibility: list[CheckOut]
    """At submission (before: now)."""
    materials: list[MaterialOut] = Field(alias="material_list")
    """The newest upload of each material."""
    missing: list[str]
    """Required materials not uploaded."""
    actions: list[str]
    events: list[DeclarationEventOut]


class DeclarationTransitionIn(Schema):
    name: DeclarationStep
    reason: Text = ""


class AssignmentOut(Schema):
    id: int
    call: int = Field(alias="call_id")
    call_title: str = Field(alias="call.title")
    declaration: int = Field(alias="declaration_id")
    enterprise_name: str = Field(alias="declaration.enterprise.name")
    title: str = Field(alias="declaration.title")
    scores: dict[str, float]
    comment: str
    submitted_at: dt.datetime | None
    criteria: list[CriterionOut]


class ScoresIn(Schema):
    scores: dict[Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=r"^[A-Za-z][A-Za-z0-9_]*$")],
                 Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]] = Field(default_factory=dict,
                                                                                      max_length=20)
    comment: Text = ""
    submit: bool = False
    """Submit the sheet (final); otherwise it is saved as a draft."""


class ResultRowOut(Schema):
    declaration: int
    enterprise_name: str
    state: str
    rank: int | None
    average: float | None
    """The (trimmed) mean of the experts' totals, 0–100."""
    spread: float | None
    """Highest − lowest total, points."""
    flagged: bool
    shortlisted: bool
    count: int
    totals: list[float | None]
    """Each panel member's total, in the order of ``experts`` (None: not scored or excluded)."""


class ResultsOut(Schema):
    call: int
    experts: list[str]
    sheets: int
    submitted: int
    flagged: int
    rows: list[ResultRowOut]


class ProgramFigureRow(Schema):
    code: str
    name: str
    declared: int
    recommended: int
    accepted: int
    winners: int
    pass_rate: float
    """winners ÷ declared, 0–1."""


class ProgramFigureTotals(Schema):
    declared: int
    recommended: int
    accepted: int
    winners: int
    pass_rate: float


class ProgramFiguresOut(Schema):
    authority: str
    call: int | None
    totals: ProgramFigureTotals
    by_region: list[ProgramFigureRow]
    by_industry: list[ProgramFigureRow]
