"""An enterprise among its peers: the panel of percentiles, quartiles, gaps and stage counts.

:class:`Peers` holds the scored results of one framework and one year (a results frame, see
:mod:`.columns`) and answers for any of its rows. Only complete assessments are members of a
peer group; a group's sorted values and summary are computed once and kept, so a second panel
from the same groups costs a few binary searches. Small groups are replaced first
(:mod:`.suppression`), then the numbers are computed on the group that is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ronghe.core.benchmarking import cohorts
from ronghe.core.benchmarking.cohorts import KINDS, Cohort
from ronghe.core.benchmarking.columns import Metric, check_frame, with_derived
from ronghe.core.benchmarking.percentiles import QUANTILES, GroupStats, percentile_ranks, quartile
from ronghe.core.benchmarking.suppression import DEFAULT_MIN_GROUP, Resolution, resolve


@dataclass(frozen=True)
class MetricRow:
    """One metric of one enterprise against one group. Scores 0–100, rates in percent;
    ``rank`` 0–100; ``quartile`` 1 (top quarter) … 4, 0 when there is no rank."""

    metric: Metric
    value: float | None
    rank: float | None
    quartile: int
    n: int
    mean: float | None
    p10: float | None
    p25: float | None
    p50: float | None
    p75: float | None
    p90: float | None
    gap_top10: float | None


@dataclass(frozen=True)
class GroupPanel:
    """The enterprise against the group that answers for one kind (see :class:`Resolution`)."""

    resolution: Resolution
    stage_counts: tuple[int, ...] = ()
    """Members per stage code 0, 1, …; empty when no group could be shown."""
    rows: tuple[MetricRow, ...] = ()

    @property
    def shown(self) -> bool:
        return self.resolution.used is not None

    def row(self, metric_id: str) -> MetricRow:
        return next(r for r in self.rows if r.metric.id == metric_id)


@dataclass(frozen=True)
class Panel:
    key: object
    year: int
    groups: tuple[GroupPanel, ...] = field(default_factory=tuple)

    def group(self, kind: str) -> GroupPanel:
        return next(g for g in self.groups if g.resolution.kind == kind)


def _num(v: float) -> float | None:
    return None if v != v else float(v)


class Peers:
    """Scored results of one framework and year, indexed by peer group.

    ``frame`` is a results frame; ``metrics`` the framework's metrics (its columns);
    ``n_stages`` the framework's number of stages (codes 0 … n_stages). ``by_metric`` may give the
    metric values already laid out metric by metric (metrics × rows, as the web's snapshot keeps
    them); the frame then needs only its identity columns.

    Memory: the values once (8 bytes × metrics × rows) and each group's small summary; ranks are
    counted on demand over the members.
    """

    def __init__(self, frame: pd.DataFrame, metrics: Sequence[Metric], n_stages: int,
                 by_metric: np.ndarray | None = None):
        self.metrics = list(metrics)
        ids = [m.id for m in self.metrics]
        check_frame(frame, [] if by_metric is not None else ids)
        self.frame = with_derived(frame.reset_index(drop=True))
        self.n_stages = n_stages
        if by_metric is None:
            by_metric = np.ascontiguousarray(self.frame[ids].to_numpy(dtype=np.float64, na_value=np.nan).T)
        self._by_metric = by_metric
        self.complete = self.frame["complete"].to_numpy(dtype=bool)
        self.stages = np.clip(self.frame["stage"].to_numpy(dtype=np.int64), 0, n_stages)
        self._keys = {kind: cohorts.keys(self.frame, kind) for kind in KINDS}
        self._members: dict[str, dict[str, np.ndarray]] = {}
        self._stats: dict[Cohort, GroupStats] = {}
        self._by_members: dict[tuple[int, bytes], GroupStats] = {}
        self._position: dict[object, int] | None = None

    def __len__(self) -> int:
        return len(self.frame)

    def extend(self, frame: pd.DataFrame, by_metric: np.ndarray) -> Peers:
        """A new :class:`Peers` with the rows of ``frame`` (identity columns; their values metric by
        metric in ``by_metric``) appended after these. Groups that no new row joins keep their
        computed summaries, so a panel after one more approval recomputes six groups, not all.
        The keys must be new (a replaced row asks for a rebuild); this object is left unchanged, so
        a thread still using it is not disturbed."""
        part = with_derived(frame.reset_index(drop=True))
        new = object.__new__(Peers)
        new.metrics, new.n_stages = self.metrics, self.n_stages
        offset = len(self.frame)
        new.frame = pd.concat([self.frame, part], ignore_index=True)
        new._by_metric = np.concatenate([self._by_metric, by_metric], axis=1)
        done = part["complete"].to_numpy(dtype=bool)
        new.complete = np.concatenate([self.complete, done])
        new.stages = np.concatenate([self.stages, np.clip(part["stage"].to_numpy(dtype=np.int64), 0, self.n_stages)])
        new._keys, new._members, touched = {}, {}, set()
        for kind in KINDS:
            keys = cohorts.keys(part, kind)
            new._keys[kind] = pd.concat([self._keys[kind], keys], ignore_index=True)
            joined = {str(keys.iat[i]): [] for i in np.flatnonzero(done) if keys.iat[i] is not None}
            for i in np.flatnonzero(done):
                if keys.iat[i] is not None:
                    joined[str(keys.iat[i])].append(offset + i)
            touched |= {Cohort(kind, k) for k in joined}
            if kind in self._members:
                groups = dict(self._members[kind])
                for k, positions in joined.items():
                    groups[k] = np.concatenate([groups.get(k, np.empty(0, dtype=np.int64)),
                                                np.asarray(positions, dtype=np.int64)])
                new._members[kind] = groups
        new._stats = {c: st for c, st in self._stats.items() if c not in touched}
        new._by_members = {}
        new._position = None
        return new

    @property
    def values(self) -> np.ndarray:
        """The metric values, rows × metrics (a view)."""
        return self._by_metric.T

    def columns(self, rows: np.ndarray) -> np.ndarray:
        """The members' values metric by metric (no copy when the group is every row)."""
        return self._by_metric if len(rows) == self._by_metric.shape[1] else self._by_metric[:, rows]

    # ------------------------------------------------------------------ groups
    def members(self, kind: str) -> dict[str, np.ndarray]:
        """Positions of the complete rows of every group of ``kind``, by key (ascending positions)."""
        if kind not in self._members:
            positions = np.flatnonzero(self.complete)
            codes, uniques = pd.factorize(self._keys[kind].to_numpy()[positions], use_na_sentinel=True)
            order = np.argsort(codes, kind="stable")
            bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
            self._members[kind] = {str(key): positions[order[bounds[k]:bounds[k + 1]]]
                                   for k, key in enumerate(uniques) if key is not None}
        return self._members[kind]

    def sizes(self, kind: str) -> dict[Cohort, int]:
        return {Cohort(kind, k): len(v) for k, v in self.members(kind).items()}

    def size(self, cohort: Cohort) -> int:
        found = self.members(cohort.kind).get(cohort.key)
        return 0 if found is None else len(found)

    def stats(self, cohort: Cohort) -> GroupStats:
        """The group's sorted values and summary, computed once — and once for groups with the same
        members (a section that holds every enterprise is the same group as everyone)."""
        if cohort not in self._stats:
            rows = self.members(cohort.kind).get(cohort.key, np.empty(0, dtype=np.int64))
            everyone = len(rows) == int(self.complete.sum())  # a section of every enterprise is everyone
            key = ("everyone",) if everyone else (len(rows), rows.tobytes())
            same = self._by_members.get(key)
            if same is None:
                same = GroupStats.of_columns(self.columns(rows), self.stages[rows], self.n_stages)
                self._by_members[key] = same
            self._stats[cohort] = same
        return self._stats[cohort]

    def own(self, position: int) -> dict[str, str | None]:
        """Row ``position``'s key of every kind."""
        return {kind: (None if (k := self._keys[kind].iat[position]) is None else str(k)) for kind in KINDS}

    def position(self, key: object) -> int:
        """The position of the row whose ``key`` is ``key`` (KeyError when absent)."""
        if self._position is None:
            self._position = {k: i for i, k in enumerate(self.frame["key"].tolist())}
        return self._position[key]

    def resolve(self, position: int, kind: str, min_size: int = DEFAULT_MIN_GROUP) -> Resolution:
        own = self.own(position)
        sizes = {Cohort(k, own[k]): self.size(Cohort(k, own[k])) for k in cohorts.chain(kind) if own[k] is not None}
        return resolve(kind, own, sizes, min_size)

    # ------------------------------------------------------------------ the panel
    def panel(self, position: int, kinds: Sequence[str] = KINDS, min_size: int = DEFAULT_MIN_GROUP) -> Panel:
        """Row ``position`` against each kind of peer group (small groups replaced first)."""
        x = self.values[position]
        groups = []
        for kind in kinds:
            res = self.resolve(position, kind, min_size)
            if res.used is None:
                groups.append(GroupPanel(res))
                continue
            st = self.stats(res.used)
            ranks = percentile_ranks(self.columns(self.members(res.used.kind)[res.used.key]), x)
            gaps = st.gap_to_top10(x)
            quarts = quartile(ranks)
            rows = tuple(MetricRow(
                metric=m, value=_num(x[j]), rank=_num(ranks[j]), quartile=int(quarts[j]), n=int(st.n[j]),
                mean=_num(st.mean[j]), **{f"p{q}": _num(st.quantiles[k, j]) for k, q in enumerate(QUANTILES)},
                gap_top10=_num(gaps[j])) for j, m in enumerate(self.metrics))
            groups.append(GroupPanel(res, tuple(int(c) for c in st.stage_counts), rows))
        return Panel(self.frame["key"].iat[position], int(self.frame["year"].iat[position]), tuple(groups))
