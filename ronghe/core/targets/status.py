"""A target's status from live figures: value now, gap, pace needed per year, on or off track.

The value of each year is measured over the target's scope (:func:`measure` from scored results,
:func:`measure_index` from index values). Then :func:`judge` compares the latest year with the
target, for a higher-is-better metric:

- ``gap = target − now`` (points); ``pace_needed = gap / (target year − now year)`` per year;
- ``pace_so_far = (now − baseline) / (now year − baseline year)`` per year;
- ``expected_now``: the straight line from the baseline to the target, read at the current year
  (at the target year once it has passed);
- state: ``achieved`` (now ≥ target), ``missed`` (the target year has come and it is not reached),
  ``on_track`` (now ≥ expected_now), ``off_track`` (below it), ``unknown`` (no baseline and a
  single year: the pace cannot be judged), ``no_data`` (nothing to measure; ``reason`` says why).

Without a published baseline, the first observed year serves as one. Lower-is-better metrics
mirror every comparison. Values are percent for shares and rates, index points for an index.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ronghe.core.messages import message
from ronghe.core.targets.schema import Scope, Target


@dataclass(frozen=True)
class Observation:
    year: int
    value: float
    n: int | None = None
    """Enterprises behind a share or rate (None for an index value)."""


@dataclass(frozen=True)
class Status:
    target: Target
    series: tuple[Observation, ...]
    current: Observation | None
    gap: float | None
    years_left: int | None
    pace_needed: float | None
    pace_so_far: float | None
    expected_now: float | None
    state: str
    reason: str = ""

    @property
    def state_label(self) -> str:
        return message(f"target.{self.state}")


def _prefix(region: str) -> str:
    """The code prefix of a region's subtree: '' for the country, 33 for 浙江省, 3301 for 杭州市."""
    if region == "000000":
        return ""
    if region.endswith("0000"):
        return region[:2]
    if region.endswith("00"):
        return region[:4]
    return region


def within(region: str, scope_region: str) -> bool:
    """Whether ``region`` lies in (or is) ``scope_region``."""
    return region.startswith(_prefix(scope_region))


def scope_mask(frame: pd.DataFrame, scope: Scope, region: str | None = None) -> np.ndarray:
    """Rows of a results frame (with derived columns) inside ``scope``; ``region`` (in the scope's
    region) narrows it further, e.g. to the authority's jurisdiction."""
    prefix = _prefix(region or scope.region)
    mask = np.ones(len(frame), dtype=bool)
    if prefix:
        column = {2: "province", 4: "city", 6: "region"}[len(prefix)]
        mask &= frame[column].eq(prefix).to_numpy(dtype=bool, na_value=False)
    if scope.industry:
        divisions = {c for c in scope.industry if c.isdigit()}
        sections = {c for c in scope.industry if c.isalpha()}
        mask &= (frame["industry"].isin(divisions) | frame["section"].isin(sections)).to_numpy(dtype=bool, copy=True)
    if scope.size:
        mask &= frame["size"].isin(scope.size).to_numpy(dtype=bool)
    return mask


def measure(target: Target, frame: pd.DataFrame, region: str | None = None) -> tuple[list[Observation], str]:
    """The metric per year over the complete results in scope, and why there is none (or '').

    ``frame`` is a results frame with derived columns (``section``); ``region`` narrows the scope."""
    m = target.metric
    if m.kind == "index":
        raise ValueError("an index target is measured from index values (measure_index)")
    if m.rate is not None and m.rate not in frame.columns:
        return [], message("target.no_rate", rate=m.rate)
    rows = frame[scope_mask(frame, target.scope, region) & frame["complete"].to_numpy(dtype=bool)]
    out = []
    for year, group in rows.groupby("year", sort=True):
        if m.kind == "stage_share":
            value, n = 100.0 * float((group["stage"] >= m.stage_min).mean()), len(group)
        else:
            answered = group[m.rate].dropna()
            if not len(answered):
                continue
            n = len(answered)
            value = float(answered.mean()) if m.kind == "rate" else 100.0 * float((answered > m.above).mean())
        out.append(Observation(int(year), value, n))
    return out, "" if out else message("target.no_assessments")


def measure_index(target: Target, table: pd.DataFrame) -> tuple[list[Observation], str]:
    """The index value per year for the target's region, from a table (region, year, value).

    The whole country (``000000``) is the mean over the provinces in the table, as in the index
    definition's own targets."""
    region = target.scope.region
    if region == "000000":
        rows = table[table["region"].astype(str).str.endswith("0000")]
    else:
        rows = table[table["region"].astype(str) == region]
    rows = rows.dropna(subset=["value"])
    series = [Observation(int(y), float(g["value"].mean())) for y, g in rows.groupby("year", sort=True)]
    return series, "" if series else message("target.no_index")


def judge(target: Target, series: list[Observation], reason: str = "") -> Status:
    """Compare the latest observation with the target (see the module docstring)."""
    series = sorted(series, key=lambda o: o.year)
    if not series:
        return Status(target, (), None, None, None, None, None, None, "no_data", reason or message("target.no_data"))
    sign = 1.0 if target.direction == "higher" else -1.0
    now, goal = series[-1], target.target
    gap = sign * (goal.value - now.value)
    years_left = goal.year - now.year
    base = target.baseline
    base_year, base_value = (base.year, base.value) if base is not None else (series[0].year, series[0].value)
    pace_so_far = (now.value - base_value) / (now.year - base_year) if now.year > base_year else None
    expected = None
    if goal.year > base_year and now.year >= base_year:
        at = min(now.year, goal.year)  # the line stops at the target
        expected = base_value + (goal.value - base_value) * (at - base_year) / (goal.year - base_year)
    pace_needed = sign * gap / years_left if years_left > 0 and gap > 0 else None
    if gap <= 0:
        state = "achieved"
    elif years_left <= 0:
        state = "missed"
    elif expected is None or now.year == base_year:
        state = "unknown"
    else:
        state = "on_track" if sign * (now.value - expected) >= 0 else "off_track"
    return Status(target, tuple(series), now, gap, years_left, pace_needed, pace_so_far, expected, state)


def index_values(results: pd.DataFrame, node: str) -> pd.DataFrame:
    """(region, year, value) of one node from an index results table (``ronghe index run``'s sheet
    指数: columns ``region``, ``year`` and ``<node id> <name>`` per node)."""
    column = next((c for c in results.columns if str(c) == node or str(c).startswith(f"{node} ")), None)
    if column is None:
        raise KeyError(f"the index results have no column for node {node!r}")
    out = pd.DataFrame({"region": results["region"].map(lambda r: str(r).removesuffix(".0").zfill(6)),
                        "year": pd.to_numeric(results["year"], errors="coerce"),
                        "value": pd.to_numeric(results[column], errors="coerce")})
    return out.dropna(subset=["year"]).astype({"year": "int64"})


def status_of(target: Target, *, frame: pd.DataFrame | None = None, framework: str | None = None,
              index: pd.DataFrame | None = None, region: str | None = None) -> Status:
    """The status of ``target`` from scored results (``frame``, a results frame with derived
    columns, of the framework named ``framework``) or index values (``index``: region, year,
    value of the target's node), narrowed to ``region`` for assessment metrics."""
    m = target.metric
    if m.kind == "index":
        if index is None:
            return judge(target, [], message("target.no_index"))
        return judge(target, *measure_index(target, index))
    if m.frameworks and framework not in m.frameworks:
        return judge(target, [], message("target.other_framework", frameworks=", ".join(m.frameworks)))
    if frame is None:
        return judge(target, [], message("target.no_assessments"))
    return judge(target, *measure(target, frame, region))
