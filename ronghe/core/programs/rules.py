"""Eligibility of an enterprise for a call (申报条件), as data, checked against what the platform knows.

A call's scope (its authority's jurisdiction, industries, size bands) and its rules are data: a
list of rule objects validated by :class:`RuleList` (faults with their path and reason), stored
with the call and evaluated by :func:`evaluate` against a :class:`Profile` — the facts the
platform holds about one enterprise, gathered by the programs app's services. Every check gives
its verdict *and* the reason in the user's language (简体中文 by default), whether it holds or not,
so that an enterprise sees exactly which condition it misses and why.

Rule kinds (``kind``):

- ``stage_at_least`` ``min`` 1–4: the latest approved assessment (against a framework with GB/T
  23020's stages) is at stage ``min`` or above (1 起步建设 … 4 创新突破);
- ``total_at_least`` ``min`` 0–100: that assessment's total is at least ``min``;
- ``assessed_since`` ``year``: that assessment is of ``year`` or later;
- ``certificate_grade_at_least`` ``min`` A/AA/AAA: a 两化融合管理体系 certificate in force (valid,
  within its validity) of grade ``min`` or above;
- ``no_open_nonconformity``: no nonconformity of a 评定 in progress awaits verification.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ronghe.core.messages import current_locale, message

STAGES = {1: ("起步建设", "Starting construction"), 2: ("单项覆盖", "Single-item coverage"),
          3: ("集成提升", "Integration and improvement"), 4: ("创新突破", "Innovation breakthrough")}
"""GB/T 23020's four stages by code (standards.md §1.3)."""
GRADES = ("A", "AA", "AAA")
"""Certificate grades, lowest first (standards.md §2.6)."""
MAX_RULES = 20


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StageRule(_Rule):
    kind: Literal["stage_at_least"]
    min: int = Field(ge=1, le=4)


class TotalRule(_Rule):
    kind: Literal["total_at_least"]
    min: float = Field(ge=0, le=100, allow_inf_nan=False)


class AssessedSinceRule(_Rule):
    kind: Literal["assessed_since"]
    year: int = Field(ge=1949, le=2200)


class CertificateRule(_Rule):
    kind: Literal["certificate_grade_at_least"]
    min: Literal["A", "AA", "AAA"]


class NoOpenNonconformityRule(_Rule):
    kind: Literal["no_open_nonconformity"]


Rule = Annotated[StageRule | TotalRule | AssessedSinceRule | CertificateRule | NoOpenNonconformityRule,
                 Field(discriminator="kind")]


class RuleList(BaseModel):
    rules: list[Rule] = Field(default_factory=list, max_length=MAX_RULES)


@dataclass(frozen=True)
class RuleFault:
    """One fault of a rule list: where (``rules/2/min``) and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class RulesError(ValueError):
    """A rule list that is not valid; ``faults`` names every fault."""

    def __init__(self, faults: list[RuleFault]):
        self.faults = faults
        super().__init__("; ".join(str(f) for f in faults))


def parse_rules(data: Any) -> list[Rule]:
    """The rules of ``data`` (a list of rule objects), or :class:`RulesError` with every fault and its path.
    A kind may appear once: two minimum stages would only hide which one counts."""
    try:
        rules = RuleList.model_validate({"rules": data}).rules
    except ValidationError as exc:
        raise RulesError([RuleFault("/".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()]) from None
    seen: dict[str, int] = {}
    faults = []
    for i, r in enumerate(rules):
        if r.kind in seen:
            faults.append(RuleFault(f"rules/{i}/kind", f"{r.kind} is already rule {seen[r.kind]}"))
        seen.setdefault(r.kind, i)
    if faults:
        raise RulesError(faults)
    return rules


def dump_rules(rules: list[Rule]) -> list[dict[str, Any]]:
    """The rules as plain data (for a JSON field)."""
    return [r.model_dump() for r in rules]


@dataclass(frozen=True)
class Scope:
    """Whom a call is for: a jurisdiction (a region code prefix, "" for the whole country), industries
    (GB/T 4754 division codes; empty: all) and size bands (empty: all)."""

    prefix: str = ""
    region_name: str = ""
    industries: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """What the platform knows about one enterprise. ``None`` means "not known" (no assessment …)."""

    region: str | None = None
    industry: str | None = None
    size: str | None = None
    stage: int | None = None
    """Stage code of the latest approved assessment against a framework with GB/T 23020's stages
    (0 is below stage 1), None if there is none."""
    total: float | None = None
    """That assessment's total, 0–100."""
    year: int | None = None
    """That assessment's year."""
    grades: tuple[str, ...] = ()
    """Grades of the enterprise's certificates in force."""
    open_findings: int = 0
    """Nonconformities of 评定 cases in progress not yet verified."""


@dataclass(frozen=True)
class Check:
    """One verdict: the rule (``scope.region`` … or a rule kind), whether it holds, and why (a message
    code with its parameters, rendered in the active locale)."""

    rule: str
    ok: bool
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "ok": self.ok, "code": self.code, "message": self.message}


def _check(rule: str, ok: bool, code: str, **params: object) -> Check:
    full = f"programs.{code}.{'ok' if ok else 'fail'}"
    return Check(rule, ok, full, message(full, **params))


def _stage(code: int | None) -> str:
    if code is None:
        return message("programs.rule.no_assessment")
    zh, en = STAGES.get(code, ("待确定", "Undetermined"))
    return en if current_locale() == "en" else zh


def _list(values: tuple[str, ...], names: dict[str, str] | None) -> str:
    names = names or {}
    return "、".join(names.get(v, v) for v in values)


def check_scope(scope: Scope, profile: Profile, names: dict[str, str] | None = None) -> list[Check]:
    """The scope's checks: jurisdiction, industry, size band (each only where the call narrows it).
    ``names`` labels region, industry codes for the messages."""
    names = names or {}
    out = []
    region = profile.region or ""
    where = names.get(region, region) or message("programs.unknown")
    out.append(_check("scope.region", bool(region) and region.startswith(scope.prefix), "scope.region",
                      region=where, scope=scope.region_name or message("programs.scope.country")))
    if scope.industries:
        ind = profile.industry or ""
        out.append(_check("scope.industry", ind in scope.industries, "scope.industry",
                          industry=names.get(ind, ind) or message("programs.unknown"),
                          allowed=_list(scope.industries, names)))
    if scope.sizes:
        out.append(_check("scope.size", (profile.size or "") in scope.sizes, "scope.size",
                          size=profile.size or message("programs.unknown"), allowed="、".join(scope.sizes)))
    return out


def check_rule(rule: Rule, profile: Profile) -> Check:
    """One rule's verdict on ``profile``."""
    if isinstance(rule, StageRule):
        ok = profile.stage is not None and profile.stage >= rule.min
        return _check(rule.kind, ok, "rule.stage", need=_stage(rule.min), have=_stage(profile.stage))
    if isinstance(rule, TotalRule):
        ok = profile.total is not None and profile.total >= rule.min
        have = f"{profile.total:.1f}" if profile.total is not None else message("programs.rule.no_assessment")
        return _check(rule.kind, ok, "rule.total", min=f"{rule.min:g}", have=have)
    if isinstance(rule, AssessedSinceRule):
        ok = profile.year is not None and profile.year >= rule.year
        have = str(profile.year) if profile.year is not None else message("programs.rule.no_assessment")
        return _check(rule.kind, ok, "rule.year", year=rule.year, have=have)
    if isinstance(rule, CertificateRule):
        need = GRADES.index(rule.min)
        held = [g for g in profile.grades if g in GRADES]
        best = max(held, key=GRADES.index) if held else None
        ok = best is not None and GRADES.index(best) >= need
        return _check(rule.kind, ok, "rule.certificate", min=rule.min,
                      have=best or message("programs.rule.no_certificate"))
    if isinstance(rule, NoOpenNonconformityRule):
        return _check(rule.kind, profile.open_findings == 0, "rule.findings", count=profile.open_findings)
    raise TypeError(f"unknown rule {rule!r}")  # pragma: no cover - the union is closed


def evaluate(scope: Scope, rules: list[Rule], profile: Profile, names: dict[str, str] | None = None) -> list[Check]:
    """Every check of a call on one enterprise, scope first, then the rules in their order."""
    return [*check_scope(scope, profile, names), *(check_rule(r, profile) for r in rules)]


def eligible(checks: list[Check]) -> bool:
    return all(c.ok for c in checks)


def describe(rules: list[Rule]) -> list[str]:
    """Each rule in words, for the call's page (in the active locale)."""
    out = []
    for r in rules:
        if isinstance(r, StageRule):
            out.append(message("programs.describe.stage", need=_stage(r.min)))
        elif isinstance(r, TotalRule):
            out.append(message("programs.describe.total", min=f"{r.min:g}"))
        elif isinstance(r, AssessedSinceRule):
            out.append(message("programs.describe.year", year=r.year))
        elif isinstance(r, CertificateRule):
            out.append(message("programs.describe.certificate", min=r.min))
        else:
            out.append(message("programs.describe.findings"))
    return out
