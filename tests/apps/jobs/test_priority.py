"""Background work runs at a lower CPU priority than the pages (RONGHE_TASK_NICE)."""

import multiprocessing
import os

from ronghe.apps.jobs import tasks


def _niceness_after_two_tasks() -> tuple[int, int]:
    tasks._lower_priority()
    first = os.nice(0)
    tasks._lower_priority()  # a worker runs many tasks: the priority is lowered once, not per task
    return first, os.nice(0)


def _in_a_child(settings, nice: int) -> tuple[int, int]:
    settings.RONGHE_TASK_NICE = nice
    with multiprocessing.get_context("fork").Pool(1) as pool:  # niceness cannot be raised back: a child
        return pool.apply(_niceness_after_two_tasks)


def test_a_task_lowers_its_workers_priority_to_the_setting_once(settings):
    base = os.nice(0)
    assert _in_a_child(settings, 7) == (max(base, 7), max(base, 7))


def test_it_never_raises_a_priority_or_touches_it_at_zero(settings):
    base = os.nice(0)
    assert _in_a_child(settings, 0) == (base, base)
    if base > 0:
        assert _in_a_child(settings, base - 1) == (base, base)
