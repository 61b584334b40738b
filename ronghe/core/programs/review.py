"""The expert review of a call: its scoring sheet, and averages, spreads and ranks over the experts.

**The scoring sheet** (评分表) is data: criteria with the points each is worth (分值), summing to 100,
validated by :func:`parse_sheet` (faults with their path). A criterion's points are its weight: an
expert gives each criterion 0 … its points, in steps of 0.1, and the expert's total is the sum
(0–100), i.e. Σ weightᶜ · (scoreᶜ / pointsᶜ) · 100 with weightᶜ = pointsᶜ / 100.

**Aggregation** (:func:`aggregate`) over every declaration at once, vectorised over an array of
scores (declarations × experts × criteria, NaN where an expert does not score: excluded for a
conflict of interest, not on the panel, or not submitted yet):

- an expert's total counts only when every criterion is scored;
- the **average** is the mean of the experts' totals; with ``trim`` and at least
  :data:`TRIM_MIN` totals, the highest and the lowest are dropped first (去掉一个最高分和一个最低分);
- the **spread** is the highest total minus the lowest (points); it is **flagged** when it exceeds
  the call's limit, so the organiser looks at it before the shortlist;
- the **rank** is the standard competition rank of the average, highest first (equal averages share a
  rank and the next rank skips: 1, 2, 2, 4); a declaration without any total has no rank.

Scores have one decimal, so the arithmetic is done in integer tenths: a sum is exact, and an average
is one correctly rounded division of two integers, so equal averages are equal floats and ranks never
depend on the order of additions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ronghe.core.programs.rules import RuleFault, RulesError

TRIM_MIN = 5
"""At least this many totals before ``trim`` drops the highest and the lowest."""
TOTAL_POINTS = 100
MAX_CRITERIA = 20


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    name: str = Field(min_length=1, max_length=100)
    points: float = Field(gt=0, le=TOTAL_POINTS, allow_inf_nan=False)
    """What the criterion is worth (its weight × 100)."""
    guidance: str = Field("", max_length=500)


class Sheet(BaseModel):
    criteria: list[Criterion] = Field(min_length=1, max_length=MAX_CRITERIA)


def parse_sheet(data: Any) -> list[Criterion]:
    """The criteria of ``data``, or :class:`~ronghe.core.programs.rules.RulesError` with every fault:
    ids unique, points in tenths and summing to 100."""
    try:
        criteria = Sheet.model_validate({"criteria": data}).criteria
    except ValidationError as exc:
        raise RulesError([RuleFault("/".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()]) from None
    faults = []
    seen: set[str] = set()
    for i, c in enumerate(criteria):
        if c.id in seen:
            faults.append(RuleFault(f"criteria/{i}/id", f"duplicate criterion id {c.id}"))
        seen.add(c.id)
        if round(c.points * 10) != c.points * 10:
            faults.append(RuleFault(f"criteria/{i}/points", "points have at most one decimal"))
    total = sum(round(c.points * 10) for c in criteria)
    if total != TOTAL_POINTS * 10:
        faults.append(RuleFault("criteria", f"the points add up to {total / 10:g}, not {TOTAL_POINTS}"))
    if faults:
        raise RulesError(faults)
    return criteria


def parse_lines(text: str) -> list[dict[str, Any]]:
    """Criteria written one per line as ``名称 30`` (or ``名称 | 30 | guidance``), for a form: ids are
    made ``c1``, ``c2`` … in order. Lines that are blank are skipped; a line without points is a fault."""
    out = []
    faults = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")] if "|" in line else None
        if parts is None:
            m = re.fullmatch(r"(.+?)[\s:：]+([0-9]+(?:\.[0-9]+)?)\s*分?", line)
            parts = [m.group(1), m.group(2)] if m else [line]
        try:
            points = float(parts[1])
        except (IndexError, ValueError):
            faults.append(RuleFault(f"line {n}", "write the criterion's name and its points, e.g. 创新性 30"))
            continue
        out.append({"id": f"c{len(out) + 1}", "name": parts[0], "points": points,
                    "guidance": parts[2] if len(parts) > 2 else ""})
    if faults:
        raise RulesError(faults)
    return out


def check_scores(criteria: list[Criterion], scores: dict[str, Any], *, complete: bool = True) -> dict[str, float]:
    """An expert's scores for one declaration, one per criterion (``complete=False``: those given, for a
    draft), each within 0 … its points with one decimal; :class:`RulesError` names every fault."""
    faults, out = [], {}
    known = {c.id for c in criteria}
    for key in scores:
        if key not in known:
            faults.append(RuleFault(str(key)[:40], "not a criterion of this sheet"))
    for c in criteria:
        value = scores.get(c.id)
        if value is None or value == "":
            if complete:
                faults.append(RuleFault(c.id, "not scored"))
            continue
        try:
            v = float(value)
        except (TypeError, ValueError):
            faults.append(RuleFault(c.id, "a number"))
            continue
        if not (0 <= v <= c.points) or round(v * 10) != v * 10:
            faults.append(RuleFault(c.id, f"from 0 to {c.points:g}, at most one decimal"))
            continue
        out[c.id] = v
    if faults:
        raise RulesError(faults)
    return out


@dataclass
class Review:
    """The aggregated review: one entry per declaration (the rows of ``scores``), in points 0–100."""

    totals: np.ndarray
    """(declarations, experts) each expert's total; NaN where the expert gave none."""
    count: np.ndarray
    """(declarations,) how many totals."""
    average: np.ndarray
    """(declarations,) the (trimmed) mean of the totals; NaN without any."""
    spread: np.ndarray
    """(declarations,) highest − lowest total; NaN without any."""
    flagged: np.ndarray
    """(declarations,) spread above the limit."""
    rank: np.ndarray
    """(declarations,) competition rank of the average, 1 is best; 0 without any total."""


def aggregate(scores: np.ndarray, *, spread_limit: float, trim: bool = False) -> Review:
    """Averages, spreads and ranks of ``scores`` (declarations × experts × criteria, NaN = not scored;
    one decimal). See the module's docstring for the rules."""
    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 3:
        raise ValueError("scores are declarations × experts × criteria")
    tenths = np.rint(scores * 10)
    complete = ~np.isnan(tenths).any(axis=2) & (scores.shape[2] > 0)
    sums = np.where(complete, np.nan_to_num(tenths).sum(axis=2), 0).astype(np.int64)  # exact integers
    count = complete.sum(axis=1)
    big = np.iinfo(np.int64).max
    hi = np.where(complete, sums, -big).max(axis=1, initial=-big)
    lo = np.where(complete, sums, big).min(axis=1, initial=big)
    total = sums.sum(axis=1)
    trimmed = trim & (count >= TRIM_MIN)
    num = np.where(trimmed, total - hi - lo, total)
    den = np.where(trimmed, count - 2, count) * 10
    has = count > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        average = np.where(has, num / np.where(has, den, 1), np.nan)  # one division of two integers
    spread_t = np.where(has, hi - lo, 0)
    spread = np.where(has, spread_t / 10, np.nan)
    flagged = has & (spread_t > round(spread_limit * 10))
    keyed = np.where(has, average, -np.inf)
    order = np.sort(keyed)[::-1]
    greater = np.searchsorted(-order, -keyed, side="left")  # how many averages are strictly higher
    rank = np.where(has, greater + 1, 0)
    totals = np.where(complete, sums / 10, np.nan)
    return Review(totals=totals, count=count, average=average, spread=spread, flagged=flagged, rank=rank)


def shortlist(review: Review, *, places: int, pass_mark: float) -> np.ndarray:
    """Which declarations are shortlisted: ranked within ``places`` with an average of at least
    ``pass_mark``. Ties on the last place are all in (the list may then be longer than ``places``)."""
    return (review.rank >= 1) & (review.rank <= places) & (np.nan_to_num(review.average, nan=-1) >= pass_mark)
