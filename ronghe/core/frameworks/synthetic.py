"""Synthetic answers for a framework: benchmarks, demo data and large-file tests.

Real populations are not uniform: an enterprise that is strong in one area tends to be strong
in others. Each synthetic enterprise therefore has a latent maturity ``m`` in 0–1 (Beta
distributed), and every answer is drawn around it: choice items pick options near ``m`` along
their score order, numbers fall near ``m`` along their curve's range. The answers are raw cell
values as a person would type them (option ids, ``A,C``, 是/否, numbers), so they go through the
same reading and validation as a real file.

Generation is vectorised per item column; there is no loop per enterprise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ronghe.core.frameworks.schema import Framework, Item

YES, NO = "是", "否"


def _numeric_range(item: Item) -> tuple[float, float]:
    """The span of values worth drawing for a number item: its curve's range, widened a little."""
    assert item.curve is not None
    xs = [p[0] for p in item.curve.points]
    lo, hi = min(xs), max(xs)
    span = (hi - lo) or max(abs(hi), 1.0)
    lo, hi = lo - 0.25 * span, hi + 0.25 * span
    if item.min is not None:
        lo = max(lo, item.min)
    if item.max is not None:
        hi = min(hi, item.max)
    return lo, hi


def answers(fw: Framework, n: int, *, seed: int = 0, blank_rate: float = 0.0,
            maturity: np.ndarray | None = None) -> pd.DataFrame:
    """``n`` rows of raw answers, one column per item id.

    ``blank_rate`` is the fraction of optional (``required: false``) answers left empty;
    ``maturity`` (0–1, shape ``(n,)``) fixes each row's latent level, e.g. to make one region or
    one year stronger than another.
    """
    rng = np.random.default_rng(seed)
    m = rng.beta(2.2, 3.0, size=n) if maturity is None else np.clip(np.asarray(maturity, float), 0, 1)
    cols: dict[str, np.ndarray] = {}
    for item in fw.items:
        noisy = np.clip(m + rng.normal(0.0, 0.18, size=n), 0.0, 1.0)
        if item.type in {"single", "multi"}:
            opts = sorted((o for o in item.options or [] if not o.exclusive), key=lambda o: o.score)
            # (an exclusive option — 以上都没有 — is what "无" below says; it is never drawn with others)
            ids = np.array([o.id for o in opts], dtype=object)
            if item.type == "single":
                pick = np.minimum((noisy * len(ids)).astype(np.int64), len(ids) - 1)
                col = ids[pick]
            else:
                # each option chosen with a probability rising with maturity
                chosen = rng.random((n, len(ids))) < (0.15 + 0.7 * noisy)[:, None]
                col = np.full(n, "", dtype=object)
                for k, oid in enumerate(ids):
                    sep = np.where(col == "", "", ",")
                    col = np.where(chosen[:, k], col + sep + oid, col)
                col = np.where(col == "", "无", col)
        elif item.type == "yesno":
            col = np.where(rng.random(n) < 0.2 + 0.7 * noisy, YES, NO).astype(object)
        else:
            lo, hi = _numeric_range(item)
            col = np.round(lo + noisy * (hi - lo), 1)
        if not item.required and blank_rate > 0:
            col = col.astype(object)
            col[rng.random(n) < blank_rate] = None
        cols[item.id] = col
    return pd.DataFrame(cols)
