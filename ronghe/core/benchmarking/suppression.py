"""Small-group suppression: a peer group with fewer members than a minimum is never shown.

Percentiles, quartiles and stage counts of a group of three would come close to telling each
member the others' scores, so a group below ``min_size`` (default 10) is replaced by the next
wider group (:data:`.cohorts.WIDER`) that is large enough, and the output says which group was
used instead. Nothing about the small group is shown but the fact that it was too small.
This is its own step, run before anything is computed, and tested on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from ronghe.core.benchmarking.cohorts import Cohort, chain

DEFAULT_MIN_GROUP = 10
"""Fewest members a peer group must have to be shown (a setting: ``RONGHE_BENCHMARK_MIN_GROUP``)."""


@dataclass(frozen=True)
class Resolution:
    """Which group answers for a requested kind.

    ``requested`` is the row's own group of that kind (None when its attribute is unknown),
    ``used`` the group shown instead (itself, or a wider one; None when even everyone is too
    few), ``n`` the members of ``used`` and ``skipped`` the groups passed over as too small.
    """

    kind: str
    requested: Cohort | None
    used: Cohort | None
    n: int
    skipped: tuple[Cohort, ...] = field(default_factory=tuple)

    @property
    def replaced(self) -> bool:
        """Whether a wider group stands in for the requested one."""
        return self.used is not None and self.used != self.requested


def shown(sizes: pd.Series, min_size: int = DEFAULT_MIN_GROUP) -> pd.Series:
    """Which groups may be shown: a boolean Series over ``sizes`` (members per group)."""
    if min_size < 1:
        raise ValueError("the minimum group size is at least 1")
    return sizes.fillna(0).astype("int64") >= min_size


def resolve(kind: str, own: Mapping[str, str | None], sizes: Mapping[Cohort, int],
            min_size: int = DEFAULT_MIN_GROUP) -> Resolution:
    """The group that answers for ``kind``: the row's own group of that kind when it has at least
    ``min_size`` members, else the first wider one that has (``own`` maps each kind to the row's
    key of that kind; ``sizes`` gives members per group)."""
    if min_size < 1:
        raise ValueError("the minimum group size is at least 1")
    requested = Cohort(kind, own[kind]) if own.get(kind) is not None else None
    skipped = []
    for k in chain(kind):
        key = own.get(k)
        if key is None:
            continue
        cohort = Cohort(k, key)
        n = int(sizes.get(cohort, 0))
        if n >= min_size:
            return Resolution(kind, requested, cohort, n, tuple(skipped))
        skipped.append(cohort)
    return Resolution(kind, requested, None, 0, tuple(skipped))


def suppress_groups(table: pd.DataFrame, min_size: int = DEFAULT_MIN_GROUP, n_column: str = "n"
                    ) -> tuple[pd.DataFrame, int]:
    """The rows of a per-group table whose group is large enough, and how many were left out."""
    keep = shown(table[n_column], min_size)
    return table[keep.to_numpy()].reset_index(drop=True), int((~keep).sum())
