"""The tasks the queue carries: they only name a job (and a part) and call the service.

A task runs at a lower CPU priority than the web server (``RONGHE_TASK_NICE``, a Unix nice
increment, default 10): where workers share cores with app servers, an import or a Monte Carlo
takes the cores the pages leave idle instead of slowing every page down (docs/benchmarks.md,
"Load on the production server"). The priority is the worker process's, set when it runs its
first task (RQ runs each task in a forked child, which starts from the parent's priority).
"""

import os

from django.conf import settings
from django_tasks import task

from ronghe.apps.jobs import services


def _lower_priority() -> None:
    """Raise this process's niceness to ``RONGHE_TASK_NICE`` (never lower it)."""
    wanted = settings.RONGHE_TASK_NICE
    if hasattr(os, "nice") and wanted > 0:
        current = os.nice(0)
        if current < wanted:
            os.nice(wanted - current)


@task()
def run_job(job_id: int) -> None:
    _lower_priority()
    services.execute(job_id)


@task()
def run_job_part(job_id: int, part: int) -> None:
    _lower_priority()
    services.execute_part(job_id, part)
