"""Periodic jobs: kinds registered with a ``schedule`` are submitted by the platform at those times.

``manage.py scheduler`` calls :func:`submit_due` every few seconds (or once, with ``--once``, from a
system timer). For each scheduled kind it finds the latest time of its schedule that has come (the
*slot*) and submits one job for it, unless one was submitted already: a job's ``params["slot"]``
records its slot, and a cache key taken with ``add`` (atomic in the database cache and in Redis)
keeps two schedulers from submitting the same slot together. A slot missed while no scheduler ran
(a restart at the wrong minute) is submitted when one runs again — only the latest, not every one
missed, since a periodic kind catches up on its own (it handles everything due by the day it runs).

The job then goes through the configured task backend like any other (the database queue and
``db_worker``, or RQ and ``rqworker``): progress, the audit log and retry are the same.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from ronghe.apps.jobs import services
from ronghe.apps.jobs.models import Job
from ronghe.apps.jobs.registry import KINDS, Kind

LOCK_SECONDS = 7 * 24 * 3600
"""How long the cache remembers that a slot was taken (the Job row remembers it for ever)."""


def scheduled() -> list[Kind]:
    """The registered kinds that have a schedule, by name."""
    return sorted((k for k in KINDS.values() if k.schedule), key=lambda k: k.name)


def latest_slot(kind: Kind, now: dt.datetime | None = None) -> dt.datetime:
    """The latest time of ``kind``'s schedule at or before ``now`` (aware, in the current time zone)."""
    from croniter import croniter

    now = timezone.localtime(now or timezone.now()).replace(microsecond=0)
    it = croniter(kind.schedule, now + dt.timedelta(seconds=1))  # a slot equal to now has come
    return it.get_prev(dt.datetime)


def next_slot(kind: Kind, now: dt.datetime | None = None) -> dt.datetime:
    """The next time of ``kind``'s schedule after ``now``."""
    from croniter import croniter

    return croniter(kind.schedule, timezone.localtime(now or timezone.now())).get_next(dt.datetime)


def submit_due(now: dt.datetime | None = None) -> list[Job]:
    """Submit each scheduled kind's latest slot that has no job yet; returns the jobs submitted."""
    submitted = []
    for kind in scheduled():
        slot = latest_slot(kind, now).isoformat()
        if Job.objects.filter(kind=kind.name, params__slot=slot).exists():
            continue
        if not cache.add(f"ronghe:periodic:{kind.name}:{slot}", 1, LOCK_SECONDS):
            continue  # another scheduler is submitting it
        submitted.append(services.submit(kind.name, None, f"{kind.name} · {slot[:16]}", {"slot": slot}))
    return submitted


def submit_now(name: str, by=None) -> Job:
    """Submit a scheduled kind at once, outside its schedule (an operator's catch-up)."""
    kind = KINDS.get(name)
    if kind is None or not kind.schedule:
        raise services.JobError(f"{name!r} is not a scheduled kind of job "
                                f"(scheduled: {', '.join(k.name for k in scheduled()) or 'none'})")
    now = timezone.localtime().replace(microsecond=0).isoformat()
    return services.submit(kind.name, by, f"{kind.name} · {now[:16]}", {"requested": now})
