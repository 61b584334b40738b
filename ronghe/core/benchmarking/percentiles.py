"""Where a value stands in its peer group: percentile rank, quartile, group quantiles.

Definitions (docs/benchmarking.md has a worked example):

- **percentile rank** (0–100): the share of the group's values below ``x``, counting values
  equal to ``x`` as half below — ``100 · (below + equal / 2) / n``. A group's top scorer among
  ten distinct values ranks 95, its bottom one 5; everyone equal ranks 50.
- **quartile** 1–4, journal style: 1 is the top quarter (rank ≥ 75), 4 the bottom (rank < 25).
- **quantiles** P10 … P90: linear interpolation between the sorted values (NumPy's and
  pandas' default, R's type 7). P90 is the threshold of the group's top 10 %.
- **gap to the top 10 %**: ``max(0, P90 − x)`` in the metric's unit, the points missing to
  reach the group's top tenth.

Values that do not apply (NaN) are left out of the group and get no rank.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

QUANTILES = (10, 25, 50, 75, 90)
"""The quantiles summarised for every group, in percent."""


def quartile(rank: np.ndarray | float) -> np.ndarray:
    """Quartile 1 (top quarter) … 4 (bottom) of percentile ranks; 0 where the rank is NaN."""
    r = np.asarray(rank, dtype=np.float64)
    q = np.where(r >= 75, 1, np.where(r >= 50, 2, np.where(r >= 25, 3, 4)))
    return np.where(np.isnan(r), 0, q).astype(np.int64)


def percentile_ranks(columns: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Percentile ranks (0–100) of ``x`` in a group given metric by metric (``columns``: metrics ×
    members). ``x`` is one value per metric (shape (metrics,)) or several rows (rows × metrics).
    NaN where ``x`` is NaN or no member has a value.

    A few probes are counted directly (two comparisons over the members, no sort); many probes
    (a whole file) sort each column once and search it."""
    columns = np.asarray(columns, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    probes = x.reshape(-1, columns.shape[0])
    n = (~np.isnan(columns)).sum(axis=1)
    below = np.empty(probes.shape)
    equal = np.empty(probes.shape)
    if len(probes) <= 8:
        for i, row in enumerate(probes):
            below[i] = (columns < row[:, None]).sum(axis=1)
            equal[i] = (columns == row[:, None]).sum(axis=1)
    else:
        ordered = np.sort(columns, axis=1)  # NaN last
        for j in range(columns.shape[0]):
            col = ordered[j, : n[j]]
            below[:, j] = np.searchsorted(col, probes[:, j], side="left")
            equal[:, j] = np.searchsorted(col, probes[:, j], side="right") - below[:, j]
    with np.errstate(invalid="ignore", divide="ignore"):
        ranks = 100.0 * (below + equal / 2) / n
    ranks[np.isnan(probes) | (n == 0)[None, :]] = np.nan
    return ranks.reshape(x.shape)


@dataclass(frozen=True)
class GroupStats:
    """A group's summary per metric: ``n[j]`` values that apply, their mean and ``quantiles``
    (len(QUANTILES) × metrics); ``stage_counts[s]`` members at stage ``s``. Small: a process may
    keep one for every group of a national year."""

    size: int
    n: np.ndarray
    mean: np.ndarray
    quantiles: np.ndarray
    stage_counts: np.ndarray

    @classmethod
    def of(cls, values: np.ndarray, stages: np.ndarray, n_stages: int) -> GroupStats:
        """Stats of a group given its members' values (rows × metrics) and stage codes 0…n_stages."""
        return cls.of_columns(np.ascontiguousarray(np.asarray(values, dtype=np.float64).T), stages, n_stages)

    @classmethod
    def of_columns(cls, columns: np.ndarray, stages: np.ndarray, n_stages: int) -> GroupStats:
        """Stats of a group given its values metric by metric (metrics × members).

        Quantiles need only the values at a few sorted positions, so each column is partitioned
        around them (``np.partition``, linear time) instead of sorted; the interpolation is NumPy's
        linear method, the same arithmetic as ``np.percentile``, to the last bit."""
        m = columns.shape[0]
        quantiles = np.full((len(QUANTILES), m), np.nan)
        mean = np.full(m, np.nan)
        n = np.zeros(m, dtype=np.int64)
        for j in range(m):
            col = columns[j]
            valid = col[~np.isnan(col)]
            n[j] = len(valid)
            if not len(valid):
                continue
            last = len(valid) - 1
            pos = np.array(QUANTILES, dtype=np.float64) / 100 * last
            lo = np.floor(pos).astype(np.int64)
            hi = np.minimum(lo + 1, last)
            part = np.partition(valid, np.unique(np.concatenate([lo, hi])))
            a, b, t = part[lo], part[hi], pos - lo
            diff = b - a
            quantiles[:, j] = np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)  # NumPy's _lerp
            mean[j] = valid.sum() / len(valid)
        counts = np.bincount(np.asarray(stages, dtype=np.int64), minlength=n_stages + 1)[: n_stages + 1]
        return cls(columns.shape[1], n, mean, quantiles, counts)

    @property
    def p90(self) -> np.ndarray:
        return self.quantiles[QUANTILES.index(90)]

    def gap_to_top10(self, x: np.ndarray) -> np.ndarray:
        """Points (in each metric's unit) missing to reach the group's P90; 0 once there."""
        return np.maximum(self.p90 - np.asarray(x, dtype=np.float64), 0.0)

    def stage_shares(self) -> np.ndarray:
        """Share of members at each stage, percent."""
        return 100.0 * self.stage_counts / self.size if self.size else np.zeros_like(self.stage_counts, float)
