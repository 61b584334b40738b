"""How robust is a ranking? Monte Carlo uncertainty and Sobol sensitivity of the index.

Uncertain inputs (the definition's ``uncertainty`` section, overridable):
- **weights**: every indicator and node weight multiplied by U(1 − p, 1 + p), p = ``weights``;
- **normalisation**: one method drawn from a list (e.g. ratio, min-max, z-score);
- **aggregation**: one method drawn from a list (arithmetic, geometric).

Runs are evaluated together: the normalised data is computed once per method, runs are grouped
by (normalisation, aggregation) and each group is a few matrix products over all its runs —
there is no Python loop per run (the loop the COINr sensitivity code has, which rebuilds the
whole pipeline for each sample, is what this avoids). Output: each region's rank distribution
(mean, median and 5–95 % ranks by a stated quantile rule), the steps varied and, for Sobol,
first-order and total indices of the inputs (all weights together or each weight alone) with
bootstrap intervals, estimated with Saltelli (2010) and Jansen (1999) from A/B/AB matrices.
Every option is checked first (:func:`options`): what cannot be applied is refused, never skipped.
Memory grows linearly with regions: ranks in 2 bytes, runs evaluated in bounded blocks,
quantiles by partial sort per region.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ronghe.core.errors import ParameterError
from ronghe.core.index.data import Panel, zones
from ronghe.core.index.definition import Definition
from ronghe.core.index.pipeline import IndexPipeline, Tree
from ronghe.core.index.steps import (
    STEPS,
    Aggregate,
    Impute,
    Normalise,
    Treat,
    check_positive,
    from_mean_space,
    to_mean_space,
)
from ronghe.core.messages import message


@dataclass(frozen=True)
class Options:
    """What an analysis varies, checked: the weight perturbation p (each indicator and node weight
    times U(1 − p, 1 + p), 0 ≤ p < 1 so that no weight reaches 0), the normalisations and the
    aggregations drawn from, and the imputations and outlier treatments drawn from (each run one
    of each, uniformly; an empty tuple where the definition has no such step)."""

    weights: float
    normalise: tuple[str, ...]
    aggregate: tuple[str, ...]
    impute: tuple[str, ...] = ()
    treat: tuple[str, ...] = ()

    def table(self, d: Definition) -> pd.DataFrame:
        """The steps of the definition and how the analysis treats each: varied (with its
        alternatives) or fixed at the definition's method — stated with every result, so that no
        step is varied or skipped without the reader seeing it."""
        rows = []
        drawn = {"normalise": self.normalise, "aggregate": self.aggregate, "impute": self.impute, "treat": self.treat}
        for spec in d.pipeline:
            if spec.step in drawn:
                rows.append((spec.step, spec.method, len(drawn[spec.step]) > 1, ", ".join(drawn[spec.step])))
            else:  # the weight step
                rows.append((spec.step, spec.method, self.weights > 0,
                             f"each of {len(d.indicators)} indicator and {len(d.nodes) - 1} node weights "
                             f"× U({1 - self.weights:g}, {1 + self.weights:g})"))
        if d.step("weight") is None:
            rows.append(("weight", "given", self.weights > 0,
                         f"each of {len(d.indicators)} indicator and {len(d.nodes) - 1} node weights "
                         f"× U({1 - self.weights:g}, {1 + self.weights:g})"))
        return pd.DataFrame(rows, columns=["step", "nominal", "varied", "alternatives"])

    def arguments(self) -> dict[str, list[str] | None]:
        """The alternatives as :func:`prepare` takes them."""
        return {"normalisations": list(self.normalise), "aggregations": list(self.aggregate),
                "imputations": list(self.impute) or None, "treatments": list(self.treat) or None}


def options(d: Definition, weights: float | None = None, normalisations: list[str] | None = None,
            aggregations: list[str] | None = None, imputations: list[str] | None = None,
            treatments: list[str] | None = None) -> Options:
    """The analysis settings, the definition's ``uncertainty`` section overridden by the arguments,
    each checked; an alternative that cannot be applied is refused with the reason (never
    skipped, never replaced by a default). Imputations and treatments not given are the
    definition's ``uncertainty`` lists, else its pipeline's method (fixed); alternatives for a
    step the pipeline lacks are refused, as are group_mean for units without zones and a log
    treatment before ratio or target normalisation (their values are in the original units)."""
    noise = d.uncertainty.weights if weights is None else weights
    if isinstance(noise, bool) or not isinstance(noise, int | float) or not 0 <= noise < 1:
        raise ParameterError(message("index.weight_noise", value=noise))
    chosen = {}
    for step, given, default, allowed in (
            ("normalise", normalisations, d.uncertainty.normalise, Normalise._parameter_constraints["method"]),
            ("aggregate", aggregations, d.uncertainty.aggregate, Aggregate._parameter_constraints["method"]),
            ("impute", imputations, d.uncertainty.impute, Impute._parameter_constraints["method"]),
            ("treat", treatments, d.uncertainty.treat, Treat._parameter_constraints["method"])):
        spec = d.step(step)
        if step in ("impute", "treat"):
            if spec is None:
                if given is not None or default is not None:
                    raise ParameterError(message("index.no_step", step=step))
                chosen[step] = ()
                continue
            default = [spec.method] if default is None else default
        methods = list(dict.fromkeys(default if given is None else given))
        if not methods:
            raise ParameterError(message("index.no_alternative", step=step))
        for m in methods:
            if not allowed[0](m):
                raise ParameterError(message("index.unknown_method", step=step, method=m,
                                             options=allowed[1].removeprefix("one of ")))
        chosen[step] = tuple(methods)
    for method, attr, code in (("ratio", "reference", "index.needs_reference"),
                               ("target", "target", "index.needs_target")):
        missing = [i.id for i in d.indicators if getattr(i, attr) is None]
        if method in chosen["normalise"] and missing:
            raise ParameterError(message(code, indicators=", ".join(missing)))
    if d.unit != "region" and "group_mean" in chosen["impute"]:
        raise ParameterError(message("index.no_zone", unit=d.unit))
    fixed_units = [m for m in chosen["normalise"] if m in ("ratio", "target")]
    if "log" in chosen["treat"] and fixed_units:
        raise ParameterError(message("index.log_units", methods=", ".join(fixed_units)))
    return Options(float(noise), chosen["normalise"], chosen["aggregate"], chosen["impute"], chosen["treat"])


@dataclass
class Prepared:
    """Normalised data of one year for every alternative: ``Z[v]`` is (regions, K) for the data
    variant v = (i·T + j)·M + m — imputation i of I, treatment j of T, normalisation m of M (one
    variant per normalisation when neither imputation nor treatment varies)."""

    tree: Tree
    regions: list[str]
    methods: list[str]
    aggregations: list[str]
    Z: list[np.ndarray]
    w_ind: np.ndarray
    w_node: np.ndarray
    floor: float | None = None
    indicator_ids: list[str] | None = None
    node_ids: list[str] | None = None
    imputations: list[str] = field(default_factory=list)
    treatments: list[str] = field(default_factory=list)

    @property
    def draws(self) -> int:
        """Uniform numbers per run: K indicator and N node weights, normalisation, aggregation and,
        when imputation or treatment varies, one column each for them (so that analyses that vary
        neither keep the sampling plan, and the runs, they always had)."""
        extra = 2 if len(self.imputations) > 1 or len(self.treatments) > 1 else 0
        return len(self.w_ind) + len(self.w_node) + 2 + extra

    def variant(self, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Data variant indices → (imputation, treatment, normalisation) indices."""
        M, T = len(self.methods), max(len(self.treatments), 1)
        return v // (M * T), (v // M) % T, v % M


def prepare(d: Definition, panel: Panel, year: int, normalisations: list[str] | None = None,
            aggregations: list[str] | None = None, imputations: list[str] | None = None,
            treatments: list[str] | None = None) -> Prepared:
    """Impute and treat with every alternative (in the pipeline's order), then normalise ``year``
    with every alternative.

    The base weights are the ones the definition's weight step yields (given, equal, PCA or
    entropy). Every (data variant, geometric or harmonic aggregation) pair is checked: values
    ≤ 0 are refused unless the aggregate step sets an explicit ``floor``."""
    chosen = options(d, None, normalisations, aggregations, imputations, treatments)
    pipe = IndexPipeline.from_definition(d)
    ind_pos = {k: j for j, k in enumerate(panel.indicators)}
    X0 = panel.X[:, :, [ind_pos[i.id] for i in d.indicators]]
    groups = zones(panel.regions, d.unit)
    spec = d.step("normalise")
    base = panel.year_index(spec.base_year) if spec and spec.base_year is not None else 0
    context = {
        "higher": np.array([i.direction == "higher" for i in d.indicators]),
        "reference": np.array([i.reference for i in d.indicators], dtype=np.float64),  # None → NaN
        "target": np.array([i.target for i in d.indicators], dtype=np.float64),
    }
    methods = list(chosen.normalise)
    t = panel.year_index(year)
    Z = []
    for imputation in chosen.impute or (None,):
        for treatment in chosen.treat or (None,):
            X = X0
            for spec in d.pipeline:
                if spec.step in ("impute", "treat"):
                    method = imputation if spec.step == "impute" else treatment
                    step = STEPS[spec.step](**{**(spec.model_extra or {}), "method": method})
                    X = step.fit_transform(X, groups=groups)
            Z += [Normalise(method=m, base_year=base).fit(X).transform(X, **context)[t] for m in methods]
    agg = d.step("aggregate")
    floor = (agg.model_extra or {}).get("floor") if agg else None
    floor = None if floor is None else float(floor)
    names = methods
    if len(Z) > len(methods):  # say which imputation and treatment the values come from
        names = [f"{m} (impute: {i}, treat: {j})" for i in chosen.impute or ("-",) for j in chosen.treat or ("-",)
                 for m in methods]
    for m, z in zip(names, Z, strict=True):
        for a in chosen.aggregate:
            check_positive(z, ~np.isnan(z), a, floor, m)
    w_ind = np.array([i.weight for i in d.indicators])
    weight = d.step("weight")
    if weight is not None and weight.method != "given":
        w_ind = pipe.run(panel).weights
    return Prepared(pipe.tree, list(panel.regions), methods, list(chosen.aggregate), Z, w_ind,
                    np.array([n.weight for n in d.nodes]), floor, [i.id for i in d.indicators],
                    [n.id for n in d.nodes], list(chosen.impute), list(chosen.treat))


def evaluate(p: Prepared, norm: np.ndarray, agg: np.ndarray, w_ind: np.ndarray, w_node: np.ndarray) -> np.ndarray:
    """Total index (regions, runs) for runs given by method indices and weight matrices (runs, ·)."""
    S = len(norm)
    out = np.empty((len(p.regions), S))
    for m in np.unique(norm):
        Z = p.Z[m]
        present = ~np.isnan(Z)
        for a in np.unique(agg):
            runs = np.flatnonzero((norm == m) & (agg == a))
            if len(runs):
                out[:, runs] = _evaluate_group(p, Z, present, p.aggregations[a], w_ind[runs], w_node[runs])
    return out


def _evaluate_group(p: Prepared, Z: np.ndarray, present: np.ndarray, method: str, Wi: np.ndarray,
                    Wn: np.ndarray) -> np.ndarray:
    tree = p.tree
    Zt = to_mean_space(Z, present, method, p.floor)
    P = np.where(present, 1.0, 0.0)
    values: dict[int, np.ndarray] = {}
    for k in tree.order:
        ind_cols, node_cols, _ = tree.children[k]
        num = Zt[:, ind_cols] @ Wi[:, ind_cols].T  # (R, S) zeros when the node has no indicator
        den = P[:, ind_cols] @ Wi[:, ind_cols].T
        for j in node_cols:
            ok = ~np.isnan(values[j])
            num += to_mean_space(values[j], ok, method) * Wn[:, j]  # a mean of values ≥ floor: no floor needed
            den += ok * Wn[:, j]
        values[k] = from_mean_space(num, den, method)
    return values[tree.total]


def rank_columns(totals: np.ndarray) -> np.ndarray:
    """Ranks (1 = best) of the regions in every column of ``totals``: each run (column) is sorted
    as one contiguous row of a runs × regions copy — one argsort per run, regions · log(regions)
    each, four times faster than sorting down strided columns. Ties share the best rank (1 + the
    number of regions strictly ahead, as :func:`ronghe.core.index.outputs.ranks`), so the sort
    need not be stable; NaN ranks after every present value (missing totals share that rank)."""
    key = np.where(np.isnan(totals), -np.inf, totals).T.copy()  # (runs, regions), rows contiguous
    order = np.argsort(-key)  # along the last axis: each run's regions
    ordered = np.take_along_axis(key, order)
    R = key.shape[1]
    start = np.zeros(ordered.shape, dtype=np.int32)  # pragma: no mutate (memory only)
    new = ordered[:, 1:] != ordered[:, :-1]  # a position where a lower value begins its own rank
    start[:, 1:] = np.where(new, np.arange(1, R, dtype=np.int32), 0)  # pragma: no mutate (memory only)
    np.maximum.accumulate(start, axis=1, out=start)
    ranks = np.empty(key.shape, dtype=np.int32)
    np.put_along_axis(ranks, order, start + 1, axis=1)
    return ranks.T


def rank_dtype(regions: int) -> type[np.integer]:
    """The smallest integer type that holds ranks 1 … ``regions``: 2 bytes a rank up to 65,535
    regions, which keeps 30,000 regions × 10,000 runs at 600 MB."""
    return np.uint16 if regions < 2**16 else np.int32


def run_chunk(regions: int, nodes: int, chunk: int, budget: int = 256 * 2**20) -> int:
    """Runs evaluated together: at most ``chunk``, and few enough that the block of intermediate
    scores (regions × runs × (nodes + 4) float64) stays within ``budget`` bytes, so the memory of a
    run block does not grow with the number of regions."""
    return max(1, min(chunk, budget // (8 * max(regions, 1) * (nodes + 4))))


def _pick(u: np.ndarray, count: int) -> np.ndarray:
    """⌊u·count⌋, the method a uniform number picks (u = 1 picks the last)."""
    return np.minimum((u * count).astype(np.int64), count - 1)


def _sample(p: Prepared, u: np.ndarray, noise: float) -> tuple[np.ndarray, ...]:
    """Map uniform samples (runs, :attr:`Prepared.draws`) to data variant indices (imputation,
    treatment and normalisation, :meth:`Prepared.variant`), aggregation indices and perturbed
    weights."""
    K, N = len(p.w_ind), len(p.w_node)
    w_ind = p.w_ind * (1 + noise * (2 * u[:, :K] - 1))
    w_node = p.w_node * (1 + noise * (2 * u[:, K : K + N] - 1))
    norm = _pick(u[:, K + N], len(p.methods))
    agg = _pick(u[:, K + N + 1], len(p.aggregations))
    if p.draws > K + N + 2:
        T = max(len(p.treatments), 1)
        imp = _pick(u[:, K + N + 2], max(len(p.imputations), 1))
        treat = _pick(u[:, K + N + 3], T) if u.shape[1] > K + N + 3 else 0
        norm = (imp * T + treat) * len(p.methods) + norm
    return norm, agg, w_ind, w_node


QUANTILES = (0.05, 0.5, 0.95)
"""The rank quantiles reported: 5 %, median, 95 %."""


@dataclass
class Uncertainty:
    table: pd.DataFrame
    """Per region: nominal rank, mean rank, median rank, 5 % and 95 % rank, mean |shift| from nominal."""
    runs: int
    varied: pd.DataFrame | None = None
    """What the analysis varied and with what (:meth:`Options.table`)."""


def uncertainty(d: Definition, panel: Panel, year: int, *, runs: int = 1000, seed: int = 0,
                weights: float | None = None, normalisations: list[str] | None = None,
                aggregations: list[str] | None = None, imputations: list[str] | None = None,
                treatments: list[str] | None = None,
                chunk: int = 2000) -> Uncertainty:  # pragma: no mutate (a block size changes no value)
    """Monte Carlo over weights, imputation, outlier treatment, normalisation and aggregation:
    each region's rank distribution.

    Run s uses row s of ``default_rng(seed).random((runs, D))``: the K indicator and N node
    weights become w·(1 + p·(2u − 1)), the next two columns pick the normalisation and the
    aggregation as ⌊u·M⌋ of the M methods listed; when imputation or treatment varies, D = K + N + 4
    and the last two columns pick the imputation and the treatment the same way, else D = K + N + 2
    (tests/core/index/test_sensitivity.py rebuilds the runs from this description). Every option
    is checked first (:func:`options`); the result states what was varied (``varied``)."""
    chosen = options(d, weights, normalisations, aggregations, imputations, treatments)
    p = prepare(d, panel, year, **chosen.arguments())
    ranks = run_ranks(p, chosen.weights, seed, 0, runs, chunk=chunk)
    u = summarise(p.regions, nominal_rank(d, panel, year), ranks)
    u.varied = chosen.table(d)
    return u


def run_frames(d: Definition, panel: Panel, year: int, *, runs: int = 1000, seed: int = 0,
               weights: float | None = None, normalisations: list[str] | None = None,
               aggregations: list[str] | None = None, imputations: list[str] | None = None,
               treatments: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every Monte Carlo run of :func:`uncertainty` (same seed, same runs) for an analyst's own
    plots: (parameters — run, impute and treat where the definition has those steps, normalise,
    aggregate, one column per indicator and node weight —, scores — run, region, score, rank).
    Memory grows with runs × regions: meant for files."""
    chosen = options(d, weights, normalisations, aggregations, imputations, treatments)
    p = prepare(d, panel, year, **chosen.arguments())
    norm, agg, wi, wn = _sample(p, np.random.default_rng(seed).random((runs, p.draws)), chosen.weights)
    imp, treat, method = p.variant(norm)
    steps = {"impute": np.array(p.imputations, dtype=object)[imp] if p.imputations else None,
             "treat": np.array(p.treatments, dtype=object)[treat] if p.treatments else None}
    params = pd.DataFrame({"run": np.arange(runs), **{k: v for k, v in steps.items() if v is not None},
                           "normalise": np.array(p.methods)[method],
                           "aggregate": np.array(p.aggregations)[agg],
                           **{f"w_{k}": wi[:, j] for j, k in enumerate(p.indicator_ids)},
                           **{f"w_{k}": wn[:, j] for j, k in enumerate(p.node_ids)}})
    totals = evaluate(p, norm, agg, wi, wn)
    ranks = rank_columns(totals)
    scores = pd.DataFrame({"run": np.repeat(np.arange(runs), len(p.regions)),
                           "region": np.tile(p.regions, runs),
                           "score": totals.T.ravel(), "rank": ranks.T.ravel()})
    return params, scores


def run_ranks(p: Prepared, noise: float, seed: int, start: int, stop: int, *, chunk: int = 2000) -> np.ndarray:
    """The regions' ranks (regions, stop − start) in Monte Carlo runs ``start`` … ``stop − 1``.

    Run r's sample is always the r-th row of the seed's random stream (the generator is advanced
    to it), so the runs can be split into parts computed by different processes and put together
    again with the same result as one process computing them all.
    """
    D = p.draws
    bits = np.random.PCG64(seed)  # what np.random.default_rng(seed) uses
    bits.advance(start * D)  # one 64-bit draw per uniform number
    rng = np.random.Generator(bits)
    ranks = np.empty((len(p.regions), stop - start), dtype=rank_dtype(len(p.regions)))
    _rank_runs(p, _sample(p, rng.random((stop - start, D)), noise), ranks, chunk)
    return ranks


def _rank_runs(p: Prepared, runs: tuple[np.ndarray, ...], out: np.ndarray, chunk: int) -> None:
    """Rank every run into the columns of ``out``. The runs' samples are small (runs × inputs);
    the runs are ordered by (normalisation, aggregation) first, so that each block of
    :func:`run_chunk` runs is one or two groups and their matrix products are full-sized even
    where many regions make blocks short."""
    norm, agg, wi, wn = runs
    order = np.lexsort((agg, norm))
    step = run_chunk(len(p.regions), len(p.w_node), chunk)
    for first in range(0, len(order), step):
        idx = order[first : first + step]
        out[:, idx] = rank_columns(evaluate(p, norm[idx], agg[idx], wi[idx], wn[idx]))


def summarise(regions: list[str], nominal: np.ndarray, ranks: np.ndarray, block: int = 0) -> Uncertainty:
    """Per region: nominal rank, mean rank, median and 5–95 % ranks (:func:`rank_quantiles`) and
    mean |shift| from nominal over all runs, computed a block of regions at a time so that no
    temporary is larger than a block × runs."""
    R, S = ranks.shape
    block = block or max(1, (64 * 2**20) // (8 * max(S, 1)))  # pragma: no mutate (a block size changes no value)
    q = np.empty((len(QUANTILES), R), dtype=np.int64)
    mean, shift = np.empty(R), np.empty(R)
    for first in range(0, R, block):  # pragma: no mutate (any step covers every region once)
        part = ranks[first : first + block]
        last = first + len(part)
        q[:, first:last] = rank_quantiles(part, QUANTILES)
        mean[first:last] = part.mean(axis=1)
        shift[first:last] = np.abs(part - nominal[first:last, None]).mean(axis=1)  # uint16 − int32: int32
    table = pd.DataFrame({"region": regions, "nominal_rank": nominal, "mean_rank": mean, "median_rank": q[1],
                          "rank_p05": q[0], "rank_p95": q[2], "mean_abs_shift": shift})
    return Uncertainty(table, S)


def rank_quantiles(ranks: np.ndarray, qs: tuple[float, ...]) -> np.ndarray:
    """The q-quantiles of each region's ranks over the runs (rows of ``ranks``), by the rule
    "the smallest rank reached in at least a share q of the runs": with S runs, the k-th smallest
    rank, k = ⌈q·S⌉ (NumPy's ``inverted_cdf``; no interpolation, so a quantile is always a rank
    that occurred). One partial sort (``np.partition``) per block of regions: time and memory grow
    linearly with regions × runs."""
    S = ranks.shape[1]
    kth = [max(int(np.ceil(q * S)) - 1, 0) for q in qs]  # 0 < q ≤ 1, so k ≤ S − 1
    part = np.partition(ranks, sorted(set(kth)))  # along the last axis: each region's runs
    return np.stack([part[:, k] for k in kth]).astype(np.int64)


def nominal_rank(d: Definition, panel: Panel, year: int) -> np.ndarray:
    """The regions' ranks under the definition as written (the reference the runs are compared with)."""
    result = IndexPipeline.from_definition(d).run(panel)
    return rank_columns(result.total[panel.year_index(year)][:, None])[:, 0]


def sobol(d: Definition, panel: Panel, year: int, *, n: int = 512, seed: int = 0, weights: float | None = None,
          normalisations: list[str] | None = None, aggregations: list[str] | None = None,
          imputations: list[str] | None = None, treatments: list[str] | None = None, bootstrap: int = 0,
          level: float = 0.95, individual: bool = False,
          chunk: int = 2000) -> pd.DataFrame:  # pragma: no mutate (a block size changes no value)
    """First-order (S1) and total (ST) Sobol indices of the inputs weights / normalisation /
    aggregation for the regions' ranks, aggregated over regions by variance (the generalised
    indices of Gamboa et al.: Σ per-region numerators ÷ Σ per-region variances), which stays
    stable where single regions barely move. Sampling and estimators: :func:`saltelli_samples`,
    :func:`sobol_indices` (with ``bootstrap`` > 0, percentile intervals at ``level``). The
    n·(G + 2) evaluations run in blocks of :func:`run_chunk` runs, ranks kept in
    :func:`rank_dtype`, so memory grows linearly with regions.

    With ``individual``, every indicator weight and every node weight below the total is an
    input of its own (``weight:<id>``), instead of all weights together (``weights``). Imputation
    and treatment are inputs (``imputation``, ``treatment``) when they vary.
    """
    chosen = options(d, weights, normalisations, aggregations, imputations, treatments)
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ParameterError(message("index.sobol_n", value=n))
    if not 0 < level < 1:
        raise ParameterError(message("index.level", value=level))
    p = prepare(d, panel, year, **chosen.arguments())
    noise = chosen.weights
    K, N = len(p.w_ind), len(p.w_node)
    if individual:
        groups = {f"weight:{k}": np.array([j]) for j, k in enumerate(p.indicator_ids)}
        groups |= {f"weight:{node.id}": np.array([K + j]) for j, node in enumerate(d.nodes) if node.parent is not None}
    else:
        groups = {"weights": np.arange(K + N)}
    groups |= {"normalisation": np.array([K + N]), "aggregation": np.array([K + N + 1])}
    if len(p.imputations) > 1:
        groups["imputation"] = np.array([K + N + 2])
    if len(p.treatments) > 1:
        groups["treatment"] = np.array([K + N + 3])
    rng = np.random.default_rng(seed)
    u = saltelli_samples(n, list(groups.values()), rng)
    f = np.empty((len(p.regions), len(u)), dtype=rank_dtype(len(p.regions)))  # pragma: no mutate (memory only)
    _rank_runs(p, _sample(p, u, noise), f, chunk)
    return sobol_indices(f, n, list(groups), bootstrap=bootstrap, rng=rng, level=level)


def saltelli_samples(n: int, groups: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """Saltelli's sampling plan as one (n·(G + 2), D) array of uniform numbers in [0, 1): the
    matrices A and B (n rows each), then for every group g the matrix AB_g — A with group g's
    columns taken from B. D is the number of input columns, the highest one a group names + 1."""
    D = 1 + max(int(cols.max()) for cols in groups)
    A, B = rng.random((n, D)), rng.random((n, D))
    blocks = [A, B]
    for cols in groups:
        AB = A.copy()
        AB[:, cols] = B[:, cols]
        blocks.append(AB)
    return np.vstack(blocks)


def sobol_indices(f: np.ndarray, n: int, names: list[str], *, bootstrap: int = 0,
                  rng: np.random.Generator | None = None, level: float = 0.95,
                  block: int = 0) -> pd.DataFrame:  # pragma: no mutate (a block size changes no value)
    """S1 and ST of each input group from model outputs ``f`` (outputs, n·(G + 2)) evaluated on
    the rows of :func:`saltelli_samples`, one row per name in ``names`` (the groups' order).

    S1_g = mean(f_B · (f_ABg − f_A)) / V (Saltelli 2010), ST_g = mean((f_A − f_ABg)²) / (2V)
    (Jansen 1999), V the variance of f over A and B together. With several outputs, numerators
    and variances are summed over outputs before dividing; a constant output gives 0.

    With ``bootstrap`` = B > 0, the n base samples are drawn again with replacement B times
    (``rng.integers(0, n, n)`` each time; a sample keeps its A, B and AB rows together) and the
    columns ``S1_low``/``S1_high``/``ST_low``/``ST_high`` give the percentile interval holding
    ``level`` of the B estimates. Outputs are taken a block at a time, so only per-sample sums
    over outputs (length n) and a block × B matrix are held besides ``f``.
    """
    f = np.atleast_2d(f)
    G = len(names)
    R = f.shape[0]
    block = block or max(1, (32 * 2**20) // (8 * f.shape[1]))
    first = np.zeros((G, n))  # Σ over outputs of f_B (f_ABg − f_A), per sample
    total = np.zeros((G, n))  # Σ over outputs of (f_A − f_ABg)² / 2, per sample
    squares = np.zeros(n)  # Σ over outputs of f_A² + f_B², per sample
    variance = 0.0
    counts = _resample_counts(n, bootstrap, rng) if bootstrap else None
    centred = np.zeros(bootstrap)  # Σ over outputs of (resampled mean of f over A and B)²
    for start in range(0, R, block):
        fb = f[start : start + block].astype(np.float64)
        fA, fB = fb[:, :n], fb[:, n : 2 * n]
        variance += np.var(np.hstack([fA, fB]), axis=1).sum()
        for g in range(G):
            fAB = fb[:, (2 + g) * n : (3 + g) * n]
            first[g] += (fB * (fAB - fA)).sum(axis=0)
            total[g] += ((fA - fAB) ** 2 / 2).sum(axis=0)
        if counts is not None:
            squares += (fA**2 + fB**2).sum(axis=0)
            centred += (((fA + fB) @ counts.T / (2 * n)) ** 2).sum(axis=0)
    rows = []
    for g, name in enumerate(names):
        row = {"input": name, "S1": _ratio(first[g].sum() / n, variance), "ST": _ratio(total[g].sum() / n, variance)}
        if counts is not None:
            v = counts @ squares / (2 * n) - centred
            tail = 50 * (1 - level)
            for key, num in (("S1", counts @ first[g] / n), ("ST", counts @ total[g] / n)):
                estimates = np.where(v > 0, num / np.where(v > 0, v, 1.0), 0.0)
                row[f"{key}_low"], row[f"{key}_high"] = (float(x) for x in np.percentile(estimates, [tail, 100 - tail]))
        rows.append(row)
    table = pd.DataFrame(rows)
    if counts is not None:
        table = table[["input", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]]
    return table


def _ratio(num: float, var: float) -> float:
    return float(num / var) if var > 0 else 0.0


def _resample_counts(n: int, reps: int, rng: np.random.Generator | None) -> np.ndarray:
    """(reps, n): how often each base sample is drawn in each bootstrap replicate."""
    rng = rng if rng is not None else np.random.default_rng(0)
    counts = np.zeros((reps, n))
    for b in range(reps):
        counts[b] = np.bincount(rng.integers(0, n, n), minlength=n)
    return counts
