"""The 评定 lifecycles, declared in one place: cases, findings and certificates.

Each :class:`Machine` is a table of :class:`Transition` rows — name, source states, target, the
roles allowed to take it, its guards and the inputs it needs — following GB/T 23003-2018's
procedure (6.2 initial assessment, 6.3 surveillance, 6.4 re-assessment, 6.5 certificate
suspension, withdrawal, change) and the platform's flow 申请 → 受理 → 评估审核 → 合规性审查 →
公示 → 证书 (shared/specs/standards.md §2.4, §4.1). The services of
``ronghe.apps.certification`` are the only code that changes a state, and they ask
:func:`refusal` first: a transition is taken only from a source state, by a permitted role, with
every guard holding. A refusal is a :class:`Refusal` with a stable code and a 简体中文 (or
English) message naming what is missing.

Why a table and not django-fsm-2: guards here must say *why* they fail (a date, a count, a
stage), the table must be checkable without a database (a hypothesis state machine drives it
and the services), and the graph in docs/certification.md is drawn from it by :func:`mermaid` and
kept current by a test. The table holds no side effects: the services do their writes in one
transaction and send notices on commit.

Guards are pure functions of :class:`Facts`, which the services gather from the database.
Dates are calendar dates; "3 months" is calendar months (:func:`add_months`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from ronghe.core.messages import message

TRIAL_MONTHS = 3
"""Months of trial run before applying, and before the internal audit and management review
(评定工作委员会 notice of 2018-09-13, standards.md §2.4)."""

GRADE_STAGE = {"A": 0, "AA": 2, "AAA": 3}
"""The lowest GB/T 23020 stage code the enterprise's latest approved assessment must reach for a
grade: AA needs 单项覆盖 (2) or above, AAA 集成提升 (3) or above (standards.md §2.6)."""

ROLES = ("enterprise", "body", "assessor", "committee", "system")
"""Who acts: the applicant enterprise's members; members of the case's assessment body; the
assessors assigned to the case; the 评定工作委员会; the platform itself (expiry, renewal)."""


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Facts:
    """What the guards look at, gathered by the service. ``None`` means "not recorded"."""

    today: dt.date
    trial_run_start: dt.date | None = None
    internal_audit_on: dt.date | None = None
    management_review_on: dt.date | None = None
    reassessment: bool = False
    previous_certificate_state: str | None = None
    open_case: bool = False
    """The enterprise already has a case in progress."""
    lead_assessor: bool = False
    plan_date: dt.date | None = None
    """The audit date given with a plan, or planned for the audit being completed."""
    earlier_audit_on: dt.date | None = None
    """The stage-1 audit's date, when planning stage 2."""
    report: str = ""
    reason: str = ""
    grade: str | None = None
    latest_stage: int | None = None
    """Stage code (GB/T 23020: 1 起步建设 … 4 创新突破) of the latest approved assessment, None if none."""
    latest_stage_label: str = ""
    open_findings: int = 0
    """Nonconformities whose corrective action is not verified."""
    notice_start: dt.date | None = None
    notice_end: dt.date | None = None
    answer: str = ""
    valid_until: dt.date | None = None
    surveillance_due: dt.date | None = None
    """The earliest surveillance audit not yet done, if any."""
    changes: dict[str, str] = field(default_factory=dict)


Guard = Callable[[Facts], "Refusal | None"]


@dataclass(frozen=True)
class Refusal:
    """Why a transition may not be taken: a stable code and the message in the active locale."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def _refuse(code: str, **params: object) -> Refusal:
    return Refusal(code, message(code, **params))


def _trial_run(f: Facts) -> Refusal | None:
    if f.reassessment:
        return None
    if f.trial_run_start is None:
        return _refuse("cert.trial_run.missing")
    ready = add_months(f.trial_run_start, TRIAL_MONTHS)
    if f.today < ready:
        return _refuse("cert.trial_run.short", start=f.trial_run_start, months=TRIAL_MONTHS, ready=ready)
    return None


def _checked_after_trial(what: str, day: dt.date | None, f: Facts) -> Refusal | None:
    if f.reassessment:
        return None
    if day is None or day > f.today:
        return _refuse(f"cert.{what}.missing")
    if f.trial_run_start is not None and day < add_months(f.trial_run_start, TRIAL_MONTHS):
        return _refuse(f"cert.{what}.early", day=day, months=TRIAL_MONTHS)
    return None


def _internal_audit(f: Facts) -> Refusal | None:
    return _checked_after_trial("internal_audit", f.internal_audit_on, f)


def _management_review(f: Facts) -> Refusal | None:
    return _checked_after_trial("management_review", f.management_review_on, f)


def _no_open_case(f: Facts) -> Refusal | None:
    return _refuse("cert.case.open") if f.open_case else None


def _previous_valid(f: Facts) -> Refusal | None:
    if f.reassessment and f.previous_certificate_state not in ("valid", "suspended"):
        return _refuse("cert.reassessment.previous")
    return None


def _lead_assessor(f: Facts) -> Refusal | None:
    return None if f.lead_assessor else _refuse("cert.team.missing")


def _plan_date(f: Facts) -> Refusal | None:
    if f.plan_date is None:
        return _refuse("cert.plan.missing")
    if f.earlier_audit_on is not None and f.plan_date < f.earlier_audit_on:
        return _refuse("cert.plan.order", day=f.plan_date, earlier=f.earlier_audit_on)
    return None


def _audit_held(f: Facts) -> Refusal | None:
    if f.plan_date is not None and f.plan_date > f.today:
        return _refuse("cert.audit.future", day=f.plan_date)
    return None


def _report(f: Facts) -> Refusal | None:
    return None if f.report.strip() else _refuse("cert.report.missing")


def _reason(f: Facts) -> Refusal | None:
    return None if f.reason.strip() else _refuse("cert.reason.missing")


def _findings_closed(f: Facts) -> Refusal | None:
    return _refuse("cert.findings.open", count=f.open_findings) if f.open_findings else None


def _grade(f: Facts) -> Refusal | None:
    if f.grade not in GRADE_STAGE:
        return _refuse("cert.grade.missing")
    need = GRADE_STAGE[f.grade]
    if need and (f.latest_stage is None or f.latest_stage < need):
        have = f.latest_stage_label or message("cert.grade.no_assessment")
        return _refuse(f"cert.grade.{f.grade.lower()}", stage=have)
    return None


def _notice_date(f: Facts) -> Refusal | None:
    return None if f.notice_start is not None else _refuse("cert.notice.missing")


def _notice_over(f: Facts) -> Refusal | None:
    if f.notice_end is None or f.today < f.notice_end:
        return _refuse("cert.notice.running", end=f.notice_end)
    return None


def _answer(f: Facts) -> Refusal | None:
    return None if f.answer.strip() else _refuse("cert.finding.answer")


def _surveillance_due(f: Facts) -> Refusal | None:
    return None if f.surveillance_due is not None else _refuse("cert.surveillance.none")


def _expired(f: Facts) -> Refusal | None:
    if f.valid_until is None or f.today <= f.valid_until:
        return _refuse("cert.expire.early", day=f.valid_until)
    return None


def _not_expired(f: Facts) -> Refusal | None:
    if f.valid_until is not None and f.today > f.valid_until:
        return _refuse("cert.reinstate.expired", day=f.valid_until)
    return None


def _changes(f: Facts) -> Refusal | None:
    return None if f.changes else _refuse("cert.change.none")


GUARDS: dict[str, Guard] = {
    "trial_run": _trial_run, "internal_audit": _internal_audit, "management_review": _management_review,
    "no_open_case": _no_open_case, "previous_valid": _previous_valid, "lead_assessor": _lead_assessor,
    "plan_date": _plan_date, "audit_held": _audit_held, "report": _report, "reason": _reason,
    "findings_closed": _findings_closed, "grade": _grade, "notice_date": _notice_date,
    "notice_over": _notice_over, "answer": _answer, "surveillance_due": _surveillance_due,
    "expired": _expired, "not_expired": _not_expired, "changes": _changes,
}
"""Every guard by name; a transition lists the names it needs."""


@dataclass(frozen=True)
class Transition:
    name: str
    source: tuple[str, ...]
    target: str
    roles: frozenset[str]
    guards: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    """Inputs the person supplies: ``reason``, ``date``, ``report``, ``grade``, ``answer``, ``changes``."""
    label: tuple[str, str] = ("", "")
    """(简体中文, English) name of the action."""

    def label_in(self, locale: str) -> str:
        return self.label[1] if locale.startswith("en") else self.label[0]


@dataclass(frozen=True)
class Machine:
    name: str
    states: dict[str, tuple[str, str]]
    """state → (简体中文, English) label, in the order of the process."""
    initial: str
    transitions: tuple[Transition, ...]

    def __post_init__(self) -> None:
        names = [t.name for t in self.transitions]
        assert len(names) == len(set(names)), f"{self.name}: duplicate transition names"
        for t in self.transitions:
            assert t.target in self.states and set(t.source) <= set(self.states), t.name
            assert t.roles <= set(ROLES), t.name
            assert set(t.guards) <= set(GUARDS), t.name

    def get(self, name: str) -> Transition:
        for t in self.transitions:
            if t.name == name:
                return t
        raise KeyError(name)

    def names(self) -> list[str]:
        return [t.name for t in self.transitions]

    def leaving(self, state: str) -> list[Transition]:
        """The transitions declared from ``state``."""
        return [t for t in self.transitions if state in t.source]

    @property
    def terminal(self) -> frozenset[str]:
        """States no transition leaves."""
        return frozenset(s for s in self.states if not self.leaving(s))

    def label(self, state: str, locale: str = "zh-Hans") -> str:
        zh, en = self.states[state]
        return en if locale.startswith("en") else zh


def refusal(machine: Machine, state: str, name: str, roles: set[str] | frozenset[str], facts: Facts
            ) -> Refusal | None:
    """Why ``name`` may not be taken from ``state`` by someone holding ``roles``, or None if it may.

    Checked in this order: the transition exists, it leaves ``state``, the role is permitted,
    then each guard in its declared order (the first that fails is reported).
    """
    try:
        t = machine.get(name)
    except KeyError:
        return _refuse("cert.transition.unknown", name=name)
    if state not in t.source:
        return _refuse("cert.transition.state", action=t.label[0], state=machine.label(state),
                       allowed="、".join(machine.label(s) for s in t.source))
    if not roles & t.roles:
        return _refuse("cert.transition.role", action=t.label[0],
                       roles="、".join(message(f"cert.role.{r}") for r in sorted(t.roles)))
    for g in t.guards:
        problem = GUARDS[g](facts)
        if problem is not None:
            return problem
    return None


def T(name, source, target, roles, guards=(), needs=(), label=("", "")) -> Transition:
    src = (source,) if isinstance(source, str) else tuple(source)
    return Transition(name, src, target, frozenset(roles), tuple(guards), tuple(needs), label)


CASE = Machine(
    name="case",
    states={
        "new": ("未申请", "Not applied"),
        "applied": ("已申请", "Applied"),
        "accepted": ("已受理", "Accepted"),
        "stage1_planned": ("第一阶段审核（已计划）", "Stage-1 audit planned"),
        "stage1_done": ("第一阶段审核完成", "Stage-1 audit done"),
        "stage2_planned": ("第二阶段审核（已计划）", "Stage-2 audit planned"),
        "stage2_done": ("第二阶段审核完成·不符合项整改", "Stage-2 audit done; corrective actions"),
        "concluded": ("已给出评定结论", "Conclusion given"),
        "confirmed": ("企业已确认结论", "Conclusion confirmed"),
        "in_review": ("合规性审查", "Compliance review"),
        "in_notice": ("公示中", "Public notice"),
        "certified": ("已发证", "Certified"),
        "declined": ("不予受理", "Declined"),
        "cancelled": ("已撤回", "Withdrawn by the applicant"),
        "refused": ("不予发证", "Refused"),
    },
    initial="new",
    transitions=(
        T("apply", "new", "applied", {"enterprise"},
          ("no_open_case", "previous_valid", "trial_run", "internal_audit", "management_review"),
          label=("提交评定申请", "Apply for assessment")),
        T("accept", "applied", "accepted", {"body"}, label=("受理申请", "Accept the application")),
        T("decline", "applied", "declined", {"body"}, ("reason",), ("reason",), ("不予受理", "Decline")),
        T("cancel", ("applied", "accepted"), "cancelled", {"enterprise"}, ("reason",), ("reason",),
          ("撤回申请", "Withdraw the application")),
        T("plan_stage1", "accepted", "stage1_planned", {"body"}, ("lead_assessor", "plan_date"), ("date",),
          ("制定第一阶段审核计划", "Plan the stage-1 audit")),
        T("complete_stage1", "stage1_planned", "stage1_done", {"assessor"}, ("audit_held", "report"), ("report",),
          ("完成第一阶段审核", "Complete the stage-1 audit")),
        T("plan_stage2", "stage1_done", "stage2_planned", {"body", "assessor"}, ("lead_assessor", "plan_date"),
          ("date",), ("制定第二阶段审核计划", "Plan the stage-2 audit")),
        T("complete_stage2", "stage2_planned", "stage2_done", {"assessor"}, ("audit_held", "report"), ("report",),
          ("完成第二阶段审核", "Complete the stage-2 audit")),
        T("conclude", "stage2_done", "concluded", {"assessor"}, ("findings_closed", "grade", "report"),
          ("grade", "report"), ("给出评定结论", "Give the conclusion")),
        T("confirm", "concluded", "confirmed", {"enterprise"}, label=("确认评定结论", "Confirm the conclusion")),
        T("dispute", "concluded", "stage2_done", {"enterprise"}, ("reason",), ("reason",),
          ("对结论提出异议", "Dispute the conclusion")),
        T("submit_review", "confirmed", "in_review", {"body"},
          label=("提交合规性审查", "Submit for compliance review")),
        T("return_case", "in_review", "stage2_done", {"committee"}, ("reason",), ("reason",),
          ("退回评定机构", "Return to the body")),
        T("publish_notice", "in_review", "in_notice", {"committee"}, ("notice_date",), ("date",),
          ("审查通过并公示", "Pass the review and publish the notice")),
        T("refuse", "in_notice", "refused", {"committee"}, ("reason",), ("reason",),
          ("公示异议成立，不予发证", "Refuse (objection upheld)")),
        T("issue", "in_notice", "certified", {"committee"}, ("notice_over",),
          label=("签发证书", "Issue the certificate")),
    ),
)

FINDING = Machine(
    name="finding",
    states={"new": ("未开具", "Not raised"), "open": ("待整改", "Open"), "answered": ("已提交整改", "Answered"),
            "verified": ("已验证关闭", "Verified")},
    initial="new",
    transitions=(
        T("raise_finding", "new", "open", {"assessor"}, label=("开具不符合项", "Raise a nonconformity")),
        T("answer", "open", "answered", {"enterprise"}, ("answer",), ("answer",),
          ("提交纠正和纠正措施", "Submit correction and corrective action")),
        T("verify", "answered", "verified", {"assessor"}, label=("验证纠正措施", "Verify the corrective action")),
        T("reopen", "answered", "open", {"assessor"}, ("reason",), ("reason",),
          ("验证不通过，退回整改", "Not verified: reopen")),
    ),
)

CERTIFICATE = Machine(
    name="certificate",
    states={"new": ("未发证", "Not issued"), "valid": ("有效", "Valid"), "suspended": ("暂停", "Suspended"),
            "withdrawn": ("撤销", "Withdrawn"), "expired": ("过期", "Expired"),
            "superseded": ("已换证", "Superseded")},
    initial="new",
    transitions=(
        T("issue", "new", "valid", {"committee"}, label=("签发证书", "Issue")),
        T("surveil", "valid", "valid", {"assessor", "body"}, ("surveillance_due", "report"), ("date", "report"),
          ("记录监督审核（通过）", "Record a surveillance audit (passed)")),
        T("suspend", "valid", "suspended", {"body", "committee"}, ("reason",), ("reason",), ("暂停证书", "Suspend")),
        T("reinstate", "suspended", "valid", {"body", "committee"}, ("reason", "not_expired"), ("reason",),
          ("恢复证书", "Reinstate")),
        T("withdraw", ("valid", "suspended"), "withdrawn", {"body", "committee"}, ("reason",), ("reason",),
          ("撤销证书", "Withdraw")),
        T("change", "valid", "valid", {"body", "committee"}, ("reason", "changes"), ("reason", "changes"),
          ("变更证书", "Change")),
        T("expire", ("valid", "suspended"), "expired", {"system"}, ("expired",), label=("到期失效", "Expire")),
        T("supersede", ("valid", "suspended"), "superseded", {"system"},
          label=("再评定换证", "Renewed by re-assessment")),
    ),
)

MACHINES = {m.name: m for m in (CASE, FINDING, CERTIFICATE)}


def mermaid(machine: Machine, locale: str = "zh-Hans") -> str:
    """The machine as a Mermaid state diagram (docs/certification.md is generated from it)."""
    lines = ["stateDiagram-v2"]
    for s in machine.states:
        if s != machine.initial:
            lines.append(f"    {s}: {machine.label(s, locale)}")
    for t in machine.transitions:
        for s in t.source:
            start = "[*]" if s == machine.initial else s
            roles = "/".join(sorted(t.roles))
            lines.append(f"    {start} --> {t.target}: {t.label_in(locale)} ({roles})")
    for s in sorted(machine.terminal):
        lines.append(f"    {s} --> [*]")
    return "\n".join(lines)


def markdown(machine: Machine) -> str:
    """The machine as docs/certification.md shows it: a table of transitions and the drawn graph."""
    rows = ["| transition | from | to | who | guards | inputs |", "|---|---|---|---|---|---|"]
    for t in machine.transitions:
        rows.append(f"| `{t.name}` {t.label[0]} | {', '.join(t.source)} | {t.target} | {', '.join(sorted(t.roles))} "
                    f"| {', '.join(t.guards) or '—'} | {', '.join(t.needs) or '—'} |")
    return "\n".join(rows) + "\n\n```mermaid\n" + mermaid(machine) + "\n```\n"


def update_docs(path: str) -> bool:
    """Rewrite the generated blocks (``<!-- lifecycle:NAME -->`` … ``<!-- /lifecycle -->``) of ``path``;
    return whether anything changed. ``python -m ronghe.core.certification.lifecycle docs/certification.md``."""
    import re
    from pathlib import Path

    p = Path(path)
    text = p.read_text(encoding="utf-8")
    new = re.sub(r"(<!-- lifecycle:(\w+) -->\n).*?(<!-- /lifecycle -->)",
                 lambda m: m.group(1) + markdown(MACHINES[m.group(2)]) + m.group(3), text, flags=re.S)
    if new != text:
        p.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    import sys

    print("updated" if update_docs(sys.argv[1]) else "current")
