"""Scoring: coded answers → item scores → node scores → total, stage, key rates.

``score(compiled, encoded)`` scores any number of assessments at once (vectorised, in chunks
to bound memory); ``score_one(compiled, {item: value})`` scores a single one through exactly
the same path. Scores are on the 0–100 scale; rates keep their item's unit (percent 0–100).
The method, with a worked example, is in docs/scoring.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ronghe.core.errors import AnswerFileError
from ronghe.core.scoring.answers import Encoded, encode, encode_one
from ronghe.core.scoring.rollup import applicability, item_scores, roll_up
from ronghe.core.scoring.stages import reached_stage

if TYPE_CHECKING:
    from ronghe.core.frameworks.compile import Compiled

__all__ = ["Encoded", "Result", "Scores", "encode", "score", "score_one", "stage_label"]


def stage_label(compiled: Compiled, stage: int, complete: bool, locale: str = "zh-Hans") -> str:
    """The display label of a stage code (0 reads 待确定 or 未达标 depending on ``complete``)."""
    fw = compiled.framework
    if not complete:
        return fw.undetermined_label.get(locale)
    if stage == 0:
        return fw.below_label.get(locale)
    return fw.stages[stage - 1].label.get(locale)


@dataclass
class Result:
    """One scored assessment, keyed by ids: what a page, an API response or a report shows."""

    total: float
    stage: int
    stage_label: str
    complete: bool
    nodes: dict[str, float]
    items: dict[str, float]
    rates: dict[str, float]
    missing: list[str] = field(default_factory=list)
    """Ids of required, applicable items left unanswered."""


@dataclass
class Scores:
    """Scores of n assessments as arrays (columns follow ``compiled.item_ids`` / ``node_ids`` /
    ``rate_ids``). NaN marks a not-applicable item or node, or a rate with no answer."""

    items: np.ndarray
    nodes: np.ndarray
    total: np.ndarray
    stage: np.ndarray
    complete: np.ndarray
    missing: np.ndarray
    """(n,) number of required, applicable items left unanswered."""
    rates: np.ndarray
    missing_mask: np.ndarray
    """(n, I) bool: which required, applicable items were left unanswered."""

    def __len__(self) -> int:
        return len(self.total)

    def row(self, compiled: Compiled, i: int, locale: str = "zh-Hans") -> Result:
        """Assessment ``i`` as a :class:`Result`."""
        return Result(
            total=float(self.total[i]),
            stage=int(self.stage[i]),
            stage_label=stage_label(compiled, int(self.stage[i]), bool(self.complete[i]), locale),
            complete=bool(self.complete[i]),
            nodes=dict(zip(compiled.node_ids, self.nodes[i].tolist(), strict=True)),
            items=dict(zip(compiled.item_ids, self.items[i].tolist(), strict=True)),
            rates=dict(zip(compiled.rate_ids, self.rates[i].tolist(), strict=True)),
            missing=[compiled.item_ids[j] for j in np.flatnonzero(self.missing_mask[i])],
        )

    def frame(self, compiled: Compiled, locale: str = "zh-Hans") -> pd.DataFrame:
        """A results table: total, stage, stage label, completeness, every node, every rate."""
        labels = {
            (s, c): stage_label(compiled, s, c, locale)
            for s in range(len(compiled.framework.stages) + 1) for c in (True, False)
        }
        data: dict[str, Any] = {
            "total": self.total,
            "stage": self.stage.astype(np.int64),
            "stage_label": [labels[(int(s), bool(c))] for s, c in zip(self.stage, self.complete, strict=True)],
            "complete": self.complete,
            "missing": self.missing,
        }
        data.update({nid: self.nodes[:, k] for k, nid in enumerate(compiled.node_ids)})
        data.update({rid: self.rates[:, k] for k, rid in enumerate(compiled.rate_ids)})
        return pd.DataFrame(data)


def _score_block(compiled: Compiled, values: np.ndarray, out: Scores, rows: slice) -> None:
    """Score one block of rows into ``out[rows]``."""
    asked = applicability(compiled, values)
    raw = item_scores(compiled, values)
    unanswered = np.isnan(values)
    missing_mask = asked & unanswered & compiled.required
    nodes = roll_up(compiled, raw, asked)
    complete = ~missing_mask.any(axis=1)
    out.items[rows] = np.where(asked, np.where(unanswered, 0.0, raw), np.nan)
    out.nodes[rows] = nodes
    out.total[rows] = nodes[:, compiled.total]
    out.stage[rows] = reached_stage(compiled, nodes, complete)
    out.complete[rows] = complete
    out.missing[rows] = missing_mask.sum(axis=1)
    out.rates[rows] = np.where(asked[:, compiled.rate_items], values[:, compiled.rate_items], np.nan)
    out.missing_mask[rows] = missing_mask


def score(compiled: Compiled, answers: np.ndarray | Encoded, *, chunk: int = 20_000) -> Scores:
    """Score coded answers (``Encoded`` or its ``values`` array, shape (n, I)).

    Rows are processed ``chunk`` at a time into preallocated outputs. Small blocks keep every
    temporary under the allocator's mmap threshold, so its pages are reused instead of being
    faulted in afresh for each block; there is still no loop per assessment.
    """
    values = answers.values if isinstance(answers, Encoded) else np.asarray(answers, dtype=np.float64)
    if values.ndim != 2 or values.shape[1] != len(compiled.item_ids):
        raise ValueError(f"expected coded answers of shape (n, {len(compiled.item_ids)}), got {values.shape}")
    n, n_items = values.shape
    out = Scores(
        items=np.empty((n, n_items)), nodes=np.empty((n, len(compiled.node_ids))), total=np.empty(n),
        stage=np.empty(n, dtype=np.int8), complete=np.empty(n, dtype=bool), missing=np.empty(n, dtype=np.int64),
        rates=np.empty((n, len(compiled.rate_ids))), missing_mask=np.empty((n, n_items), dtype=bool),
    )
    for start in range(0, n, chunk):
        rows = slice(start, min(start + chunk, n))
        _score_block(compiled, values[rows], out, rows)
    return out


def score_one(compiled: Compiled, answers: Mapping[str, Any], locale: str = "zh-Hans") -> Result:
    """Score one assessment given as ``{item id: raw value}``.

    Raises :class:`~ronghe.core.errors.AnswerFileError` listing every bad value.
    """
    encoded = encode_one(compiled, dict(answers))
    if encoded.errors:
        raise AnswerFileError(encoded.errors)
    return score(compiled, encoded).row(compiled, 0, locale)
