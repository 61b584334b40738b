"""Random results frames for benchmarking tests, and plain-Python twins of the definitions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ronghe.core.benchmarking.columns import Metric, from_arrays

METRICS = [Metric("T", "total", "总分", "Total"), Metric("A", "aspect", "甲", "A", "T"),
           Metric("B", "aspect", "乙", "B", "T"), Metric("r", "rate", "率", "rate"),
           Metric("A1", "indicator", "甲一", "A1", "A")]
REGIONS = ["330106", "330108", "330203", "110105", "110108", "440305"]
INDUSTRIES = ["34", "35", "39", "17", None]
SIZES = ["300人以下", "300-1000人", "1000-5000人"]


def random_frame(n: int, seed: int = 0, year: int = 2025, ties: bool = True) -> pd.DataFrame:
    """``n`` results with coarse values (so that ties occur), some NaN, some incomplete rows."""
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 21, size=(n, len(METRICS))).astype(float) * 5 if ties else rng.uniform(0, 100, (n, 5))
    values[rng.random((n, len(METRICS))) < 0.08] = np.nan
    return from_arrays(keys=list(range(1, n + 1)), years=[year] * n,
                       regions=[REGIONS[i] for i in rng.integers(0, len(REGIONS), n)],
                       industries_=[INDUSTRIES[i] for i in rng.integers(0, len(INDUSTRIES), n)],
                       sizes=[SIZES[i] for i in rng.integers(0, len(SIZES), n)],
                       stages=rng.integers(0, 5, n), complete=rng.random(n) > 0.1, values=values,
                       metric_ids=[m.id for m in METRICS])


def plain_rank(values: list[float], x: float) -> float | None:
    """The percentile rank by its definition, with a Python loop: below + half the ties."""
    values = [v for v in values if v == v]
    if x != x or not values:
        return None
    below = sum(1 for v in values if v < x)
    equal = sum(1 for v in values if v == x)
    return 100.0 * (below + equal / 2) / len(values)
