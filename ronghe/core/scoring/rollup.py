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
    asked = np.ones(values.shape, dtype=bool)
    for spec in compiled.conditions:
        asked[:, spec.target] = asked[:, spec.source] & _holds(spec, values[:, spec.source])
    return asked


def item_scores(compiled: Compiled, values: np.ndarray) -> np.ndarray:
    """(n, I) item scores 0–100, NaN where unanswered (applicability not yet applied)."""
    out = np.empty_like(values)
    for scorer, cols in compiled.scorers:
        out[:, cols] = scorer.transform(values[:, cols])
    return out


def roll_up(compiled: Compiled, scores: np.ndarray, asked: np.ndarray) -> np.ndarray:
    """(n, N) node scores 0–100: weighted mean of applicable children, leaves first."""
    n, n_items = scores.shape
    n_nodes = len(compiled.node_ids)
    child_scores = np.zeros((n, n_items + n_nodes))
    child_asked = np.zeros((n, n_items + n_nodes))
    child_scores[:, :n_items] = np.where(asked, np.nan_to_num(scores, nan=0.0), 0.0)
    child_asked[:, :n_items] = asked
    nodes = np.full((n, n_nodes), np.nan)
    for group in compiled.heights:
        for k in group:
            cols, w = compiled.children[k]
            # a row-wise sum over the children, not a matrix product: BLAS blocks a product
            # differently for different row counts, and a batch must equal one-by-one exactly
            num = (child_scores[:, cols] * w).sum(axis=1)
            den = (child_asked[:, cols] * w).sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                value = np.where(den > 0, num / den, np.nan)
            nodes[:, k] = value
            child_scores[:, n_items + k] = np.nan_to_num(value, nan=0.0)
            child_asked[:, n_items + k] = den > 0
    return nodes
