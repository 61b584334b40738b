"""What authorities read off an index: ranks and rank changes, tiers (梯队), east/central/west
averages and gaps, growth and CAGR, and the gap to action-plan targets.

All functions take (years, regions) arrays of index values (0–100 scale, uncapped for the ratio
method) and return arrays or tidy frames; nothing here recomputes the index.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ronghe.core.index.data import zone_of
from ronghe.core.index.definition import Target, Tier


def ranks(values: np.ndarray) -> np.ndarray:
    """(years, regions) ranks, 1 = highest value; ties share the best rank; NaN → 0 (unranked)."""
    v = np.atleast_2d(values)
    key = np.where(np.isnan(v), -np.inf, v)
    # rank = 1 + number of regions with a strictly higher value
    order = np.sort(key, axis=1)[:, ::-1]
    out = np.empty(v.shape, dtype=np.int64)
    for t in range(v.shape[0]):
        out[t] = np.searchsorted(-order[t], -key[t], side="left") + 1
    out[np.isnan(v)] = 0
    return out


def rank_changes(r: np.ndarray) -> np.ndarray:
    """Places gained since the previous year (positive = moved up); 0 for the first year."""
    change = np.zeros_like(r)
    change[1:] = np.where((r[1:] > 0) & (r[:-1] > 0), r[:-1] - r[1:], 0)
    return change


def tiers(values: np.ndarray, spec: list[Tier], locale: str = "zh-Hans") -> np.ndarray:
    """The tier label of each value: the first tier (from the top) whose minimum it reaches."""
    labels = np.full(values.shape, "", dtype=object)
    assigned = np.zeros(values.shape, dtype=bool)
    for tier in spec:
        hit = ~assigned & (values >= tier.min)
        labels[hit] = tier.label.get(locale)
        assigned |= hit
    return labels


def zone_summary(values: np.ndarray, regions: list[str], years: list[int]) -> pd.DataFrame:
    """Mean per zone and year, with the east–central, central–west and east–west gaps."""
    zones = np.array([zone_of(r) or "" for r in regions])
    rows = []
    for t, year in enumerate(years):
        means = {z: float(np.nanmean(values[t, zones == z])) if (zones == z).any() else np.nan
                 for z in ("east", "central", "west")}
        rows.append({"year": year, **means,
                     "gap_east_central": means["east"] - means["central"],
                     "gap_central_west": means["central"] - means["west"],
                     "gap_east_west": means["east"] - means["west"]})
    return pd.DataFrame(rows)


def growth(values: np.ndarray) -> np.ndarray:
    """Change in points from the previous year; NaN for the first year."""
    out = np.full(values.shape, np.nan)
    out[1:] = values[1:] - values[:-1]
    return out


def cagr(first: np.ndarray | float, last: np.ndarray | float, years: int) -> np.ndarray | float:
    """Compound annual growth rate over ``years`` years, as a fraction: (last/first)^(1/years) − 1."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.power(np.divide(last, first), 1.0 / years) - 1.0


def target_gaps(values: np.ndarray, regions: list[str], years: list[int], targets: list[Target]) -> pd.DataFrame:
    """For each target: the latest value not after the target year, the gap, and the annual growth
    (points per year) still needed. Region ``000000`` is the mean of all regions."""
    rows = []
    for tg in targets:
        if tg.region == "000000":
            series = np.nanmean(values, axis=1)
        elif tg.region in regions:
            series = values[:, regions.index(tg.region)]
        else:
            continue
        usable = [t for t, y in enumerate(years) if y <= tg.year and not np.isnan(series[t])]
        if not usable:
            continue
        t = usable[-1]
        gap = tg.value - series[t]
        remaining = tg.year - years[t]
        rows.append({"region": tg.region, "target_year": tg.year, "target": tg.value, "year": years[t],
                     "value": float(series[t]), "gap": float(gap), "met": bool(gap <= 0),
                     "needed_per_year": float(gap / remaining) if remaining > 0 and gap > 0 else 0.0})
    return pd.DataFrame(rows)
