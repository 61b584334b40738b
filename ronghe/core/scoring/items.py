"""Item scorers: one class per item type, turning coded answers into 0–100 scores.

Each scorer handles *all* items of its type at once: ``fit(items)`` learns the arrays it needs
(option score tables, curves) and ``transform(codes)`` scores a block of coded answers,
``codes`` being an ``(n, len(items))`` float array as produced by
:func:`ronghe.core.scoring.answers.encode` (NaN = unanswered; NaN in, NaN out). Work is
vectorised over assessments; loops run over items (a few dozen), never over answers.

Built-in scorers register in :data:`SCORERS` exactly as an extension would.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from ronghe.core.errors import ParameterError
from ronghe.core.frameworks.schema import Item

SCORERS: dict[str, type[ItemScorer]] = {}


def register(*types: str):  # pragma: no mutate block (import-time only)
    """Class decorator: make a scorer responsible for the given item types."""

    def deco(cls: type[ItemScorer]) -> type[ItemScorer]:
        for t in types:
            SCORERS[t] = cls
        cls.types = types
        return cls

    return deco


class ItemScorer:
    """Common protocol: parameters in ``__init__``, ``fit`` learns, ``transform`` scores."""

    types: ClassVar[tuple[str, ...]] = ()
    _parameter_constraints: ClassVar[dict[str, Any]] = {}

    def __init__(self, **params: Any):
        self.params = params
        self._validate_params()

    def _validate_params(self) -> None:
        for name, value in self.params.items():
            if name not in self._parameter_constraints:
                raise ParameterError(f"{type(self).__name__} has no parameter {name!r}")
            check, text = self._parameter_constraints[name]
            if not check(value):
                raise ParameterError(f"{type(self).__name__}: {name} must be {text}, got {value!r}")

    def fit(self, items: Sequence[Item]) -> ItemScorer:
        bad = [i.id for i in items if i.type not in self.types]
        if bad:
            raise ParameterError(f"{type(self).__name__} scores {'/'.join(self.types)} items, not {bad}")
        self.items_ = list(items)
        self._fit(self.items_)
        return self

    def _fit(self, items: list[Item]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def transform(self, codes: np.ndarray) -> np.ndarray:
        """Scores 0–100 of the coded answers ``codes`` (n, len(items)); NaN where unanswered."""
        if not hasattr(self, "items_"):
            raise RuntimeError(f"{type(self).__name__} is not fitted: call fit(items) first")
        codes = np.asarray(codes, dtype=np.float64)
        if codes.ndim != 2 or codes.shape[1] != len(self.items_):
            raise ValueError(f"expected an (n, {len(self.items_)}) array, got shape {codes.shape}")
        out = self._transform(codes)
        out[np.isnan(codes)] = np.nan
        return out

    def _transform(self, codes: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError


@register("single")
class SingleChoice(ItemScorer):
    """A single-choice answer is coded as the option's index; it scores the option's points."""

    def _fit(self, items: list[Item]) -> None:
        width = max((len(i.options or []) for i in items), default=1)
        table = np.zeros((len(items), width))
        for j, it in enumerate(items):
            table[j, : len(it.options or [])] = [o.score for o in it.options or []]
        self.table_ = table
        self.offsets_ = np.arange(len(items)) * width

    def _transform(self, codes: np.ndarray) -> np.ndarray:
        idx = np.nan_to_num(codes, nan=0.0).astype(np.int64)
        return self.table_.ravel()[idx + self.offsets_]


@register("multi")
class MultiChoice(ItemScorer):
    """A multiple-choice answer is coded as a bit mask of chosen options; it scores the sum of
    their points capped at 100 (``multi_rule: sum``) or the best one (``max``)."""

    def _fit(self, items: list[Item]) -> None:
        self.scores_ = [np.array([o.score for o in it.options or []]) for it in items]
        self.rules_ = [it.multi_rule for it in items]

    def _transform(self, codes: np.ndarray) -> np.ndarray:
        out = np.empty_like(codes)
        masks = np.nan_to_num(codes, nan=0.0).astype(np.int64)
        for j, (scores, rule) in enumerate(zip(self.scores_, self.rules_, strict=True)):
            bits = (masks[:, j, None] >> np.arange(len(scores))) & 1
            if rule == "sum":
                out[:, j] = np.minimum(bits @ scores, 100.0)
            else:
                out[:, j] = (bits * scores).max(axis=1)
        return out


@register("yesno")
class YesNo(ItemScorer):
    """Yes is coded 1 and scores ``yes_score``; no is coded 0 and scores ``no_score``."""

    def _fit(self, items: list[Item]) -> None:
        self.yes_ = np.array([i.yes_score for i in items])
        self.no_ = np.array([i.no_score for i in items])

    def _transform(self, codes: np.ndarray) -> np.ndarray:
        return np.where(codes >= 0.5, self.yes_, self.no_)


@register("number", "percent")
class Numeric(ItemScorer):
    """A number scores along its curve: ``thresholds`` (a step function) or ``linear``
    (interpolation clamped to the end points). Units are the item's own (percent 0–100)."""

    def _fit(self, items: list[Item]) -> None:
        self.curves_ = []
        for it in items:
            assert it.curve is not None, f"{it.id}: numeric item without a curve"
            xs = np.array([p[0] for p in it.curve.points], dtype=np.float64)
            ys = np.array([p[1] for p in it.curve.points], dtype=np.float64)
            self.curves_.append((it.curve.kind, xs, ys, float(it.curve.below)))

    def _transform(self, codes: np.ndarray) -> np.ndarray:
        out = np.empty_like(codes)
        for j, (kind, xs, ys, below) in enumerate(self.curves_):
            x = codes[:, j]
            if kind == "linear":
                out[:, j] = np.interp(x, xs, ys)
            else:
                k = np.searchsorted(xs, x, side="right") - 1
                out[:, j] = np.where(k < 0, below, ys[np.clip(k, 0, len(ys) - 1)])
        return out
