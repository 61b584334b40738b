"""The lifecycle of a service request (服务需求), declared as a table.

An enterprise sends a request to a provider about one of its offerings (with its diagnosis attached
only if it chooses to); the provider answers it (a proposal, a price) or declines; the enterprise
engages the provider or closes the request; once the service is delivered either side records it as
completed, and the enterprise rates it (1–5 with a comment). The enterprise may withdraw a request
until it engages. The machinery is :mod:`ronghe.core.lifecycle`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ronghe.core.lifecycle import Machine, Refusal, T, refuse
from ronghe.core.lifecycle import update_docs as _update_docs

ROLES = ("enterprise", "provider")
"""The requesting enterprise's members; the provider's members."""
RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class RequestFacts:
    answer: str = ""
    reason: str = ""
    rating: int | None = None


def _answer(f: RequestFacts) -> Refusal | None:
    return None if f.answer.strip() else refuse("providers.answer.missing")


def _reason(f: RequestFacts) -> Refusal | None:
    return None if f.reason.strip() else refuse("programs.reason.missing")


def _rating(f: RequestFacts) -> Refusal | None:
    return None if f.rating in RATINGS else refuse("providers.rating.missing")


REQUEST = Machine(
    name="request",
    states={
        "new": ("未发送", "Not sent"),
        "sent": ("已发送", "Sent"),
        "answered": ("服务商已答复", "Answered"),
        "declined": ("服务商已婉拒", "Declined"),
        "engaged": ("服务中", "In service"),
        "closed": ("已关闭", "Closed"),
        "completed": ("服务已完成", "Service completed"),
        "rated": ("已评价", "Rated"),
        "withdrawn": ("已撤回", "Withdrawn"),
    },
    initial="new",
    roles=ROLES,
    guards={"answer": _answer, "reason": _reason, "rating": _rating},
    codes="providers",
    transitions=(
        T("send", "new", "sent", {"enterprise"}, label=("发送服务需求", "Send the request")),
        T("answer", "sent", "answered", {"provider"}, ("answer",), ("answer",), ("答复", "Answer")),
        T("decline", "sent", "declined", {"provider"}, ("reason",), ("reason",), ("婉拒", "Decline")),
        T("withdraw", ("sent", "answered"), "withdrawn", {"enterprise"}, label=("撤回", "Withdraw")),
        T("engage", "answered", "engaged", {"enterprise"}, label=("确认委托服务", "Engage the provider")),
        T("close", "answered", "closed", {"enterprise"}, label=("不再需要，关闭", "Close (no longer needed)")),
        T("complete", "engaged", "completed", {"enterprise", "provider"},
          label=("服务已完成", "Record the service as completed")),
        T("rate", "completed", "rated", {"enterprise"}, ("rating",), ("rating", "review"),
          ("评价服务", "Rate the service")),
    ),
)

MACHINES = {"request": REQUEST}


def update_docs(path: str) -> bool:
    """Rewrite the generated blocks of ``path`` (docs/programs.md) from this machine."""
    return _update_docs(path, MACHINES)


if __name__ == "__main__":
    import sys

    print("updated" if update_docs(sys.argv[1]) else "current")
