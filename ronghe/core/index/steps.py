"""The steps of a composite index, each with the same small API (style habit 5).

Data is a panel ``X`` of shape (years, regions, indicators), NaN where a value is missing.
Every step stores its parameters in ``__init__`` and validates them against
``_parameter_constraints``; ``fit`` learns what it needs (attributes ending in ``_``);
``transform`` refuses to run before ``fit``. A function twin (``normalise(X, ...)``) does the
one-shot call. Built-in steps register in :data:`STEPS` exactly as an extension would.

Units: normalised values are on a 0–100 scale (z-scores are rescaled to mean 50, sd 10), except
``ratio`` (actual ÷ reference × 100, **uncapped**: the CCID method, where 100 means "at the
reference" and values above 100 are kept).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from ronghe.core.errors import ParameterError

STEPS: dict[str, type[Step]] = {}

Constraint = tuple[Callable[[Any], bool], str]


def register(kind: str):  # pragma: no mutate block (import-time only)
    def deco(cls: type[Step]) -> type[Step]:
        STEPS[kind] = cls
        cls.kind = kind
        return cls

    return deco


def _one_of(*options: str) -> Constraint:  # pragma: no mutate block (import-time only)
    return (lambda v: v in options, "one of " + ", ".join(options))


def _number(lo: float = -np.inf, hi: float = np.inf) -> Constraint:  # pragma: no mutate block (import-time only)
    return (lambda v: isinstance(v, int | float) and not isinstance(v, bool) and lo <= v <= hi,
            f"a number in [{lo:g}, {hi:g}]")


class Step:
    """Base class: parameter validation, fit/transform protocol, panel checks."""

    kind: ClassVar[str] = ""
    _parameter_constraints: ClassVar[dict[str, Constraint]] = {}
    _defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, **params: Any):
        unknown = set(params) - set(self._parameter_constraints)
        if unknown:
            raise ParameterError(f"{type(self).__name__} has no parameter {sorted(unknown)[0]!r}")
        self.params = {**self._defaults, **params}
        for name, value in self.params.items():
            check, text = self._parameter_constraints[name]
            if value is not None and not check(value):
                raise ParameterError(f"{type(self).__name__}: {name} must be {text}, got {value!r}")

    def __getattr__(self, name: str) -> Any:
        params = self.__dict__.get("params", {})
        if name in params:
            return params[name]
        raise AttributeError(name)

    def fit(self, X: np.ndarray, **context: Any) -> Step:
        X = _panel(X)
        self._fit(X, **context)
        self.fitted_ = True
        return self

    def transform(self, X: np.ndarray, **context: Any) -> np.ndarray:
        if not getattr(self, "fitted_", False):
            raise RuntimeError(f"{type(self).__name__} is not fitted: call fit(X) first")
        return self._transform(_panel(X).copy(), **context)

    def fit_transform(self, X: np.ndarray, **context: Any) -> np.ndarray:
        return self.fit(X, **context).transform(X, **context)

    def _fit(self, X: np.ndarray, **context: Any) -> None:
        pass

    def _transform(self, X: np.ndarray, **context: Any) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError


def _panel(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 2:
        X = X[None]
    if X.ndim != 3:
        raise ValueError(f"expected a (years, regions, indicators) panel, got shape {X.shape}")
    return X


# --------------------------------------------------------------------------- imputation
@register("impute")
class Impute(Step):
    """Fill missing values.

    ``none`` leaves them (aggregation then re-weights over what is present); ``group_mean`` uses
    the mean of the region's group (e.g. east/central/west) in the same year; ``previous_year``
    carries the region's last observed value forward; ``regression`` predicts the value by
    least squares on the other indicators of the same year (complete cases), falling back to
    the year's mean.
    """

    _parameter_constraints: ClassVar = {"method": _one_of("none", "group_mean", "previous_year", "regression")}
    _defaults: ClassVar = {"method": "none"}

    def _transform(self, X: np.ndarray, groups: np.ndarray | None = None, **_: Any) -> np.ndarray:
        if self.method == "none":
            return X
        if self.method == "previous_year":
            return _forward_fill(X)
        if self.method == "group_mean":
            g = np.zeros(X.shape[1], dtype=np.int64) if groups is None else np.asarray(groups)
            for label in np.unique(g):
                rows = g == label
                with np.errstate(invalid="ignore"), _quiet():
                    means = np.nanmean(X[:, rows, :], axis=1, keepdims=True)
                block = X[:, rows, :]
                X[:, rows, :] = np.where(np.isnan(block), means, block)
            return X
        return _regression_fill(X)


def _forward_fill(X: np.ndarray) -> np.ndarray:
    """Carry the last observed value forward along the year axis (vectorised)."""
    T = X.shape[0]
    idx = np.where(~np.isnan(X), np.arange(T)[:, None, None], 0)
    np.maximum.accumulate(idx, axis=0, out=idx)
    filled = np.take_along_axis(X, idx, axis=0)
    return np.where(np.isnan(X), filled, X)


def _regression_fill(X: np.ndarray) -> np.ndarray:
    for t in range(X.shape[0]):
        Y = X[t]
        complete = ~np.isnan(Y).any(axis=1)
        for k in np.flatnonzero(np.isnan(Y).any(axis=0)):
            missing = np.isnan(Y[:, k])
            others = [j for j in range(Y.shape[1]) if j != k and not np.isnan(Y[missing][:, j]).any()]
            train = complete
            if others and train.sum() > len(others) + 1:
                A = np.column_stack([np.ones(train.sum()), Y[train][:, others]])
                coef, *_ = np.linalg.lstsq(A, Y[train, k], rcond=None)
                B = np.column_stack([np.ones(missing.sum()), Y[missing][:, others]])
                Y[missing, k] = B @ coef
            else:
                with _quiet():
                    Y[missing, k] = np.nanmean(Y[:, k])
    return X


class _quiet:  # pragma: no mutate block (switches warnings off; changes no value)
    """Silence NumPy's 'mean of empty slice' warnings: an all-missing slice stays NaN on purpose."""

    def __enter__(self):
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)


# --------------------------------------------------------------------------- outlier treatment
@register("treat")
class Treat(Step):
    """Tame outliers before normalising.

    ``winsorise`` clips each indicator to its [``lower``, 1 − ``upper``] quantiles (learned on
    the fitted data); ``log`` replaces x by ln(x − min + 1) so that skewed indicators compress.
    With ``only_skewed`` the treatment applies only to indicators whose |skewness| > 2 and
    kurtosis > 3.5 (the JRC rule of thumb).
    """

    _parameter_constraints: ClassVar = {
        "method": _one_of("none", "winsorise", "log"),
        "lower": _number(0, 0.5),
        "upper": _number(0, 0.5),
        "only_skewed": (lambda v: isinstance(v, bool), "true or false"),
    }
    _defaults: ClassVar = {"method": "winsorise", "lower": 0.05, "upper": 0.05, "only_skewed": False}

    def _fit(self, X: np.ndarray, **_: Any) -> None:
        flat = X.reshape(-1, X.shape[2])
        with _quiet():
            self.low_ = np.nanquantile(flat, self.lower, axis=0)
            self.high_ = np.nanquantile(flat, 1 - self.upper, axis=0)
            self.min_ = np.nanmin(flat, axis=0)
        from ronghe.core.index.checks import kurtosis, skewness

        self.apply_ = (np.abs(skewness(flat)) > 2) & (kurtosis(flat) > 3.5) if self.only_skewed else \
            np.ones(X.shape[2], dtype=bool)

    def _transform(self, X: np.ndarray, **_: Any) -> np.ndarray:
        if self.method == "none":
            return X
        if self.method == "winsorise":
            treated = np.clip(X, self.low_, self.high_)
        else:
            treated = np.log(np.maximum(X - self.min_ + 1.0, 1e-12))
        return np.where(self.apply_, treated, X)


# --------------------------------------------------------------------------- normalisation
@register("normalise")
class Normalise(Step):
    """Bring indicators to a common scale, turning 'lower is better' around.

    ``minmax``: (x − min)/(max − min) × 100. ``zscore``: 50 + 10·(x − mean)/sd. ``ratio``:
    x / reference × 100 (reference / x × 100 when lower is better), uncapped — the CCID method.
    ``target``: distance to target, 100 × (x − min)/(target − min) capped at 100. ``rank``:
    (rank − 1)/(n − 1) × 100 within the year. ``percentile``: share of regions with a lower
    value plus half the ties, × 100.

    Comparability across years: min/max/mean/sd are learned on ``base_year`` (an index into the
    panel's years, default the first) and applied to every year, so a value and its score keep
    the same relation over time; ``ratio`` and ``target`` use fixed values from the definition.
    """

    _parameter_constraints: ClassVar = {
        "method": _one_of("minmax", "zscore", "ratio", "target", "rank", "percentile"),
        "base_year": (lambda v: isinstance(v, int) and v >= 0, "a year index ≥ 0"),
    }
    _defaults: ClassVar = {"method": "minmax", "base_year": 0}

    def _fit(self, X: np.ndarray, **_: Any) -> None:
        base = X[min(self.base_year, X.shape[0] - 1)]
        with _quiet():
            self.min_ = np.nanmin(base, axis=0)
            self.max_ = np.nanmax(base, axis=0)
            self.mean_ = np.nanmean(base, axis=0)
            self.sd_ = np.nanstd(base, axis=0, ddof=1)

    def _transform(self, X: np.ndarray, *, higher: np.ndarray | None = None, reference: np.ndarray | None = None,
                   target: np.ndarray | None = None, **_: Any) -> np.ndarray:
        K = X.shape[2]
        up = np.ones(K, dtype=bool) if higher is None else np.asarray(higher, dtype=bool)
        sign = np.where(up, 1.0, -1.0)
        m = self.method
        with np.errstate(invalid="ignore", divide="ignore"):
            if m == "minmax":
                span = np.where(self.max_ > self.min_, self.max_ - self.min_, np.nan)
                z = (X - self.min_) / span
                return np.where(up, z, 1 - z) * 100
            if m == "zscore":
                return 50 + 10 * sign * (X - self.mean_) / np.where(self.sd_ > 0, self.sd_, np.nan)
            if m == "ratio":
                if reference is None:
                    raise ParameterError("ratio normalisation needs a reference value for every indicator")
                ref = np.asarray(reference, dtype=np.float64)
                return np.where(up, X / ref, ref / X) * 100
            if m == "target":
                if target is None:
                    raise ParameterError("target normalisation needs a target for every indicator")
                tgt = np.asarray(target, dtype=np.float64)
                worst = np.where(up, self.min_, self.max_)
                return np.clip((X - worst) / (tgt - worst), 0, 1) * 100
            scores = np.where(np.isnan(X), np.nan, sign * X)
            return _rank_scores(scores) if m == "rank" else _percentiles(scores)


def _per_column(S: np.ndarray, score: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Apply ``score`` to the present values of each (year, indicator) column; NaN stays NaN."""
    out = np.full_like(S, np.nan)
    T, _, K = S.shape
    for t in range(T):
        for k in range(K):
            ok = ~np.isnan(S[t, :, k])
            if ok.any():
                out[t, ok, k] = score(S[t, ok, k])
    return out


def _rank_scores(S: np.ndarray) -> np.ndarray:
    """(rank − 1)/(n − 1) × 100, average rank for ties (50 when a single region has a value)."""
    return _per_column(S, lambda v: (_average_ranks(v) - 1) / (len(v) - 1) * 100 if len(v) > 1 else np.full(1, 50.0))


def _average_ranks(v: np.ndarray) -> np.ndarray:
    """1-based ranks, ascending, ties sharing their average rank."""
    order = np.argsort(v, kind="stable")
    sorted_v = v[order]
    ranks = np.empty(len(v))
    ranks[order] = np.arange(1, len(v) + 1)
    uniq, inverse, counts = np.unique(sorted_v, return_inverse=True, return_counts=True)
    if len(uniq) < len(v):
        sums = np.bincount(inverse, weights=np.arange(1, len(v) + 1))
        ranks[order] = (sums / counts)[inverse]
    return ranks


def _percentile_of(v: np.ndarray) -> np.ndarray:
    s = np.sort(v)
    below = np.searchsorted(s, v, side="left")
    ties = np.searchsorted(s, v, side="right") - below
    return (below + 0.5 * ties) / len(v) * 100


def _percentiles(S: np.ndarray) -> np.ndarray:
    """Share of regions below plus half of the ties, × 100, per year and indicator."""
    return _per_column(S, _percentile_of)


# --------------------------------------------------------------------------- weights
@register("weight")
class Weight(Step):
    """Indicator weights within each group of siblings (they sum to 1 within a group).

    ``given``: the definition's weights. ``equal``: 1/n. ``pca``: squared loadings of the first
    principal component of the group's (normalised, base-year) indicators, rescaled to sum to
    1. ``entropy``: the entropy weight method — indicators whose values differ more across
    regions carry more weight: e_k = −Σ p ln p / ln n, w_k ∝ 1 − e_k.
    """

    _parameter_constraints: ClassVar = {"method": _one_of("given", "equal", "pca", "entropy")}
    _defaults: ClassVar = {"method": "given"}

    def _fit(self, X: np.ndarray, *, groups: list[np.ndarray] | None = None, given: np.ndarray | None = None,
             **_: Any) -> None:
        K = X.shape[2]
        groups = groups if groups is not None else [np.arange(K)]
        w = np.zeros(K)
        base = X[0]
        for g in groups:
            g = np.asarray(g)
            if self.method == "given":
                if given is None:
                    raise ParameterError("given weights need the definition's weights")
                w[g] = np.asarray(given, dtype=np.float64)[g]
            elif self.method == "equal":
                w[g] = 1.0
            elif self.method == "pca":
                w[g] = pca_weights(base[:, g])
            else:
                w[g] = entropy_weights(base[:, g])
            total = w[g].sum()
            w[g] = w[g] / total if total > 0 else 1.0 / len(g)
        self.weights_ = w

    def _transform(self, X: np.ndarray, **_: Any) -> np.ndarray:
        return X  # weights are learned state, read by aggregation


def pca_weights(Z: np.ndarray) -> np.ndarray:
    """Squared first-component loadings of the standardised columns of ``Z`` (complete rows)."""
    Z = Z[~np.isnan(Z).any(axis=1)]
    if Z.shape[1] == 1 or len(Z) < 3:
        return np.ones(Z.shape[1])
    sd = Z.std(axis=0, ddof=1)
    S = (Z - Z.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    corr = np.atleast_2d(np.cov(S, rowvar=False))
    _, vecs = np.linalg.eigh(corr)
    return vecs[:, -1] ** 2


def entropy_weights(Z: np.ndarray) -> np.ndarray:
    """Entropy weights of the columns of ``Z`` (values shifted to be positive)."""
    Z = Z[~np.isnan(Z).any(axis=1)]
    n = len(Z)
    if n < 2:
        return np.ones(Z.shape[1])
    P = Z - Z.min(axis=0) + 1e-9
    P = P / P.sum(axis=0)
    e = -(P * np.log(P)).sum(axis=0) / np.log(n)
    return np.clip(1.0 - e, 0.0, None)


# --------------------------------------------------------------------------- aggregation
@register("aggregate")
class Aggregate(Step):
    """Combine children into their parent, level by level up the tree.

    ``arithmetic``: Σ w·x. ``geometric``: Π x^w. ``harmonic``: 1 / Σ (w / x). Weights are
    re-normalised over the children present, so a missing child does not pull its parent to zero.

    A geometric or harmonic mean needs positive values. A value ≤ 0 is refused (as COINr does)
    unless the definition sets ``floor``: then every value below the floor is raised to it
    first — an explicit, documented choice, never a silent default.
    """

    _parameter_constraints: ClassVar = {
        "method": _one_of("arithmetic", "geometric", "harmonic"),
        "floor": _number(1e-9, 100),
    }
    _defaults: ClassVar = {"method": "arithmetic", "floor": None}

    def _transform(self, X: np.ndarray, **_: Any) -> np.ndarray:
        return X

    def combine(self, children: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Aggregate ``children`` (..., k) with ``weights`` (k,) into (...)."""
        if not getattr(self, "fitted_", False):
            raise RuntimeError("Aggregate is not fitted: call fit(X) first")
        return combine(children, weights, self.method, self.floor)


def check_positive(x: np.ndarray, present: np.ndarray, method: str, floor: float | None, normalisation: str = "") \
        -> None:
    """Refuse values ≤ 0 for a geometric or harmonic mean when no ``floor`` is set."""
    if method in ("geometric", "harmonic") and floor is None:
        count = int(np.count_nonzero(present & (np.where(present, x, 1.0) <= 0)))
        if count:
            from ronghe.core.messages import message

            raise ParameterError(message("index.nonpositive", aggregation=method, normalisation=normalisation,
                                         count=count))


def to_mean_space(x: np.ndarray, present: np.ndarray, method: str, floor: float | None = None) -> np.ndarray:
    """Map values so that every mean is a weighted arithmetic mean there: log for geometric,
    reciprocal for harmonic; absent values become 0 (they carry no weight). Values ≤ 0 are
    refused for those two unless ``floor`` is set (see :class:`Aggregate`)."""
    check_positive(x, present, method, floor)
    floor = 0.0 if floor is None else floor  # positive values only from here on
    if method == "geometric":
        t = np.log(np.maximum(np.where(present, x, 1.0), floor))
    elif method == "harmonic":
        t = 1.0 / np.maximum(np.where(present, x, 1.0), floor)
    else:
        t = x
    return np.where(present, t, 0.0)


def from_mean_space(num: np.ndarray, den: np.ndarray, method: str) -> np.ndarray:
    """The mean from Σ w·t (``num``) and Σ w over present children (``den``); NaN where den = 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "geometric":
            value = np.exp(num / den)
        elif method == "harmonic":
            value = den / num
        else:
            value = num / den
    return np.where(den > 0, value, np.nan)


def combine(children: np.ndarray, weights: np.ndarray, method: str = "arithmetic",
            floor: float | None = None) -> np.ndarray:
    """Weighted arithmetic / geometric / harmonic mean over the last axis, skipping NaN."""
    present = ~np.isnan(children)
    w = np.where(present, weights, 0.0)
    num = (to_mean_space(children, present, method, floor) * w).sum(-1)
    return from_mean_space(num, w.sum(-1), method)


def normalise(X: np.ndarray, method: str = "minmax", **context: Any) -> np.ndarray:
    """Function twin of :class:`Normalise`: fit and transform in one call."""
    base_year = context.pop("base_year", 0)
    return Normalise(method=method, base_year=base_year).fit_transform(X, **context)


def impute(X: np.ndarray, method: str = "previous_year", **context: Any) -> np.ndarray:
    """Function twin of :class:`Impute`."""
    return Impute(method=method).fit_transform(X, **context)


def treat(X: np.ndarray, method: str = "winsorise", **params: Any) -> np.ndarray:
    """Function twin of :class:`Treat`."""
    return Treat(method=method, **params).fit_transform(X)
