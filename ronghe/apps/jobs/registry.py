"""The kinds of background work, each a handler registered by the app that owns the work.

A kind either runs whole (``run``) or is *partitioned*: ``plan`` splits it into parts, each part
(``run_part``) runs as its own task on whichever worker takes it, and ``merge`` runs once every
part is done. Apps register their kinds in their ``jobs.py`` (imported when the app is ready).

A kind with a ``schedule`` (a cron expression) is also submitted by the platform itself at those
times, by ``manage.py scheduler`` (:mod:`ronghe.apps.jobs.periodic`), on whichever task backend
is configured.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class Progress:
    """What a handler reports: ``progress(done, total=None, message="")``; raises ``JobCancelled``
    when the job has been cancelled (checked as progress is reported)."""

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:  # pragma: no cover
        raise NotImplementedError


class JobCancelled(Exception):
    """Raised inside a handler when its job has been cancelled; nothing it prepared is written."""


class JobFailed(Exception):
    """A handler's refusal with a message for the user (faults of a file come as AnswerFileError)."""


@dataclass(frozen=True)
class Kind:
    name: str
    run: Callable[[Any, Progress], dict] | None = None
    plan: Callable[[Any, Progress], int] | None = None
    run_part: Callable[[Any, int, Progress], None] | None = None
    merge: Callable[[Any, Progress], dict] | None = None
    schedule: str | None = None
    """Cron expression (minute hour day-of-month month day-of-week, in ``TIME_ZONE``) at which the
    scheduler submits the kind on its own, with no owner; ``None``: only when someone submits it.
    Such a kind must be safe to run twice for the same time (it is idempotent)."""

    @property
    def partitioned(self) -> bool:
        return self.plan is not None


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if (kind.run is None) == (kind.plan is None) or (kind.plan is not None and (kind.run_part is None or
                                                                                   kind.merge is None)):
        raise ValueError(f"{kind.name}: give run, or plan + run_part + merge")
    if kind.schedule is not None:
        from croniter import croniter

        if not croniter.is_valid(kind.schedule):
            raise ValueError(f"{kind.name}: schedule {kind.schedule!r} is not a cron expression")
    KINDS[kind.name] = kind
    return kind
