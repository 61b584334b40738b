"""From coded answers to item and node scores: applicability, item scoring, weighted roll-up.

Rules (docs/scoring.md): an item whose condition does not hold is *not applicable* and drops
out of its node, whose remaining weights are re-normalised; an applicable item left unanswered
scores 0; a node with no applicable child is itself not applicable (NaN). All operations are
over whole columns or matrix products; nothing loops over assessments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ronghe.core.frameworks.compile import Compiled, ConditionSpec


def _holds(spec: ConditionSpec, x: np.ndarray) -> np.ndarray:
    """Whether the condition holds on the controller's codes ``x`` (NaN = unanswered → False)."""
    answered = ~np.isnan(x)
    if spec.op == "answered":
        return answered
    xv = np.nan_to_num(x, nan=-1.0)
    v = spec.values
    if spec.source_type == "multi":
        masks = xv.astype(np.int64)
        bit = np.zeros_like(answered)
        for b in v.astype(np.int64):
            bit |= ((masks >> b) & 1).astype(bool)
        return answered & bit
    with np.errstate(invalid="ignore"):
        result = {
            "eq": lambda: xv == v[0],
            "ne": lambda: xv != v[0],
            "in": lambda: np.isin(xv, v),
            "not_in": lambda: ~np.isin(xv, v),
            "gt": lambda: xv > v[0],
            "ge": lambda: xv >= v[0],
            "lt": lambda: xv < v[0],
            "le": lambda: xv <= v[0],
        }[spec.op]()
    return answered & result


def applicability(compiled: Compiled, values: np.ndarray) -> np.ndarray:
    """(n, I) bool: which items are asked, evaluated in condition-dependency order."""
    asked = np.ones(values.shape, dtype=bool, order="F")
    for spec in compiled.conditions:
        asked[:, spec.target] = asked[:, spec.source] & _holds(spec, values[:, spec.source])
    return asked


def item_scores(compiled: Compiled, values: np.ndarray) -> np.ndarray:
    """(n, I) item scores 0–100, NaN where unanswered (applicability not yet applied)."""
    out = np.empty(values.shape, order="F")
    for scorer, cols in compiled.scorers:
        out[:, cols] = scorer.transform(values[:, cols])
    return out


def roll_up(compiled: Compiled, scores: np.ndarray, asked: np.ndarray) -> np.ndarray:
    """(n, N) node scores 0–100: weighted mean of applicable children, leaves first."""
    n, n_items = scores.shape
    n_nodes = len(compiled.node_ids)
    # children × assessments: each child's column becomes one contiguous vector
    child_scores = np.empty((n_items + n_nodes, n))
    child_asked = np.empty((n_items + n_nodes, n))
    child_scores[:n_items] = np.where(asked & ~np.isnan(scores), scores, 0.0).T
    child_asked[:n_items] = asked.T
    nodes = np.full((n_nodes, n), np.nan)
    num = np.empty(n)
    den = np.empty(n)
    for group in compiled.heights:
        for k in group:
            cols, w = compiled.children[k]
            # Accumulate child by child in a fixed order. A matrix product (BLAS blocking) or a
            # row-wise .sum() (pairwise vs sequential) orders the additions differently for
            # different batch sizes, and a batch must score exactly as one row at a time.
            num.fill(0.0)
            den.fill(0.0)
            for col, weight in zip(cols.tolist(), w.tolist(), strict=True):
                num += child_scores[col] * weight
                den += child_asked[col] * weight
            has = den > 0
            np.divide(num, den, out=child_scores[n_items + k], where=has)
            child_scores[n_items + k, ~has] = 0.0
            nodes[k] = np.where(has, child_scores[n_items + k], np.nan)
            child_asked[n_items + k] = has
    return nodes.T
