"""The lifecycles of a call (申报通知) and of a declaration (申报), declared as tables.

A **call** is drafted and published by an authority (its *owner*), open for declarations until its
deadline, then closed for recommendation and acceptance; the expert review runs once every
declaration has been dealt with and a panel is drawn; the organiser shortlists, publishes the list
for public notice (公示) and, when the notice is over, publishes the final list.

A **declaration** is prepared by the enterprise (materials, eligibility checked automatically) and
submitted to the authority of its area (the *handler*: the most local authority inside the call's
jurisdiction). A handler below the owner recommends it (推荐) to the authority above, within its
quota, or not; the owner accepts it into the review (受理) or rejects it at the formal check. The
review's result shortlists it or not; an objection upheld during the notice takes it off the list;
the published list makes it a winner.

The machinery (tables, :func:`~ronghe.core.lifecycle.refusal`, generated docs) is
:mod:`ronghe.core.lifecycle`; the facts the guards read are gathered by the programs app's services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ronghe.core.lifecycle import Machine, Refusal, T, refuse
from ronghe.core.lifecycle import update_docs as _update_docs

ROLES = ("owner", "handler", "enterprise", "system")
"""The call's authority; the authority a declaration sits with; the declaring enterprise's members;
the platform (steps taken for every declaration by a step of the call)."""


@dataclass(frozen=True)
class CallFacts:
    today: dt.date
    declare_from: dt.date | None = None
    declare_until: dt.date | None = None
    recommend_until: dt.date | None = None
    reason: str = ""
    pending: int = 0
    """Declarations submitted and neither accepted nor turned down yet."""
    accepted: int = 0
    panel: int = 0
    """Experts on the panel."""
    short: int = 0
    """Accepted declarations with fewer experts without a conflict than the call's minimum."""
    sheets_missing: int = 0
    """Score sheets of the panel not submitted yet."""
    notice_start: dt.date | None = None
    notice_end: dt.date | None = None


@dataclass(frozen=True)
class DeclarationFacts:
    today: dt.date
    call_state: str = "open"
    declare_from: dt.date | None = None
    declare_until: dt.date | None = None
    recommend_until: dt.date | None = None
    failing: tuple[str, ...] = ()
    """Messages of the eligibility checks that fail."""
    missing: tuple[str, ...] = ()
    """Names of required materials not uploaded."""
    at_owner: bool = False
    """The declaration sits with the call's own authority."""
    quota: int | None = None
    """How many declarations the handler may recommend to this call (None: no limit)."""
    recommended: int = 0
    """How many it has recommended so far."""
    reason: str = ""


def _reason(f) -> Refusal | None:
    return None if f.reason.strip() else refuse("programs.reason.missing")


def _dates(f: CallFacts) -> Refusal | None:
    if f.declare_from is None or f.declare_until is None or f.recommend_until is None:
        return refuse("programs.dates.missing")
    if f.declare_from > f.declare_until or f.declare_until > f.recommend_until:
        return refuse("programs.dates.order")
    if f.declare_until < f.today:
        return refuse("programs.dates.past", day=f.declare_until)
    return None


def _window_over(f: CallFacts) -> Refusal | None:
    if f.declare_until is not None and f.today <= f.declare_until:
        return refuse("programs.window.running", day=f.declare_until)
    return None


def _nothing_pending(f: CallFacts) -> Refusal | None:
    return refuse("programs.pending", count=f.pending) if f.pending else None


def _accepted(f: CallFacts) -> Refusal | None:
    return None if f.accepted else refuse("programs.accepted.none")


def _panel_ready(f: CallFacts) -> Refusal | None:
    if not f.panel:
        return refuse("programs.panel.none")
    return refuse("programs.panel.short", count=f.short) if f.short else None


def _sheets_in(f: CallFacts) -> Refusal | None:
    return refuse("programs.sheets.missing", count=f.sheets_missing) if f.sheets_missing else None


def _notice_date(f: CallFacts) -> Refusal | None:
    return None if f.notice_start is not None else refuse("programs.notice.missing")


def _notice_over(f: CallFacts) -> Refusal | None:
    if f.notice_end is None or f.today <= f.notice_end:
        return refuse("programs.notice.running", end=f.notice_end)
    return None


def _call_open(f: DeclarationFacts) -> Refusal | None:
    if f.call_state != "open":
        return refuse("programs.call.closed")
    if f.declare_from and f.today < f.declare_from:
        return refuse("programs.call.not_yet", day=f.declare_from)
    if f.declare_until and f.today > f.declare_until:
        return refuse("programs.call.over", day=f.declare_until)
    return None


def _eligible(f: DeclarationFacts) -> Refusal | None:
    return refuse("programs.eligible.fail", reasons="；".join(f.failing)) if f.failing else None


def _materials(f: DeclarationFacts) -> Refusal | None:
    return refuse("programs.materials.missing", names="、".join(f.missing)) if f.missing else None


def _below_owner(f: DeclarationFacts) -> Refusal | None:
    return refuse("programs.recommend.at_owner") if f.at_owner else None


def _at_owner(f: DeclarationFacts) -> Refusal | None:
    return None if f.at_owner else refuse("programs.accept.not_at_owner")


def _quota(f: DeclarationFacts) -> Refusal | None:
    if f.quota is not None and f.recommended >= f.quota:
        return refuse("programs.quota.full", quota=f.quota)
    return None


def _recommending(f: DeclarationFacts) -> Refusal | None:
    if f.call_state not in ("open", "recommending"):
        return refuse("programs.recommend.closed")
    if f.recommend_until and f.today > f.recommend_until:
        return refuse("programs.recommend.over", day=f.recommend_until)
    return None


def _in_notice(f: DeclarationFacts) -> Refusal | None:
    return None if f.call_state == "in_notice" else refuse("programs.unlist.not_in_notice")


CALL_GUARDS = {"reason": _reason, "dates": _dates, "window_over": _window_over, "nothing_pending": _nothing_pending,
               "accepted": _accepted, "panel_ready": _panel_ready, "sheets_in": _sheets_in,
               "notice_date": _notice_date, "notice_over": _notice_over}
DECLARATION_GUARDS = {"reason": _reason, "call_open": _call_open, "eligible": _eligible, "materials": _materials,
                      "below_owner": _below_owner, "at_owner": _at_owner, "quota": _quota,
                      "recommending": _recommending, "in_notice": _in_notice}

CALL = Machine(
    name="call",
    states={
        "draft": ("草稿", "Draft"),
        "open": ("申报中", "Open for declarations"),
        "recommending": ("推荐与受理", "Recommendation and acceptance"),
        "reviewing": ("专家评审", "Expert review"),
        "shortlisted": ("拟入选名单已确定", "Shortlist decided"),
        "in_notice": ("公示中", "Public notice"),
        "published": ("名单已公布", "List published"),
        "cancelled": ("已撤销", "Cancelled"),
    },
    initial="draft",
    roles=ROLES,
    guards=CALL_GUARDS,
    codes="programs",
    transitions=(
        T("publish", "draft", "open", {"owner"}, ("dates",), label=("发布申报通知", "Publish the call")),
        T("close", "open", "recommending", {"owner"}, ("window_over",),
          label=("截止申报", "Close declarations")),
        T("start_review", "recommending", "reviewing", {"owner"}, ("nothing_pending", "accepted", "panel_ready"),
          label=("开始专家评审", "Start the expert review")),
        T("shortlist", "reviewing", "shortlisted", {"owner"}, ("sheets_in",),
          label=("确定拟入选名单", "Decide the shortlist")),
        T("reopen_review", "shortlisted", "reviewing", {"owner"}, ("reason",), ("reason",),
          ("退回重新评审", "Reopen the review")),
        T("publish_notice", "shortlisted", "in_notice", {"owner"}, ("notice_date",), ("date",),
          ("发布公示", "Publish the notice")),
        T("publish_list", "in_notice", "published", {"owner"}, ("notice_over",),
          label=("公布最终名单", "Publish the final list")),
        T("cancel", ("draft", "open", "recommending", "reviewing"), "cancelled", {"owner"}, ("reason",),
          ("reason",), ("撤销申报通知", "Cancel the call")),
    ),
)

DECLARATION = Machine(
    name="declaration",
    states={
        "draft": ("填报中", "Being prepared"),
        "submitted": ("已申报", "Submitted"),
        "returned": ("退回修改", "Returned for changes"),
        "recommended": ("已推荐", "Recommended"),
        "accepted": ("已受理（评审中）", "Accepted for review"),
        "not_recommended": ("未获推荐", "Not recommended"),
        "rejected": ("形式审查未通过", "Rejected at the formal check"),
        "shortlisted": ("拟入选", "Shortlisted"),
        "not_selected": ("未入选", "Not selected"),
        "winner": ("入选", "Selected"),
        "withdrawn": ("已撤回", "Withdrawn"),
    },
    initial="draft",
    roles=ROLES,
    guards=DECLARATION_GUARDS,
    codes="programs",
    transitions=(
        T("submit", ("draft", "returned"), "submitted", {"enterprise"}, ("call_open", "eligible", "materials"),
          label=("提交申报", "Submit the declaration")),
        T("withdraw", ("draft", "submitted", "returned", "recommended"), "withdrawn", {"enterprise"}, ("reason",),
          ("reason",), ("撤回申报", "Withdraw")),
        T("return_declaration", ("submitted", "recommended"), "returned", {"handler"}, ("call_open", "reason"),
          ("reason",), ("退回修改", "Return for changes")),
        T("recommend", ("submitted", "recommended"), "recommended", {"handler"},
          ("below_owner", "recommending", "quota"), label=("推荐", "Recommend")),
        T("not_recommend", ("submitted", "recommended"), "not_recommended", {"handler"}, ("below_owner", "reason"),
          ("reason",), ("不予推荐", "Do not recommend")),
        T("accept", ("submitted", "recommended"), "accepted", {"owner"}, ("at_owner", "recommending"),
          label=("受理", "Accept for review")),
        T("reject", ("submitted", "recommended"), "rejected", {"owner"}, ("at_owner", "reason"), ("reason",),
          ("形式审查不通过", "Reject at the formal check")),
        T("select", "accepted", "shortlisted", {"system"}, label=("列入拟入选名单", "Shortlist")),
        T("pass_over", "accepted", "not_selected", {"system"}, label=("未列入拟入选名单", "Not shortlisted")),
        T("reconsider", ("shortlisted", "not_selected"), "accepted", {"system"},
          label=("重新评审", "Back to the review")),
        T("unlist", "shortlisted", "not_selected", {"owner"}, ("in_notice", "reason"), ("reason",),
          ("公示异议成立，移出名单", "Take off the list (objection upheld)")),
        T("win", "shortlisted", "winner", {"system"}, label=("公布入选", "Selected")),
    ),
)

MACHINES = {m.name: m for m in (CALL, DECLARATION)}


def update_docs(path: str) -> bool:
    """Rewrite the generated blocks of ``path`` (docs/programs.md) from these machines.
    ``python -m ronghe.core.programs.lifecycle docs/programs.md``."""
    return _update_docs(path, MACHINES)


if __name__ == "__main__":
    import sys

    print("updated" if update_docs(sys.argv[1]) else "current")
