"""The Monte Carlo and Sobol analysis of the index, checked against their definitions.

The reference below draws the same uniform numbers (documented sampling plan: row s of
``default_rng(seed).random((runs, K + N + 2))``; columns: indicator weights, node weights,
normalisation, aggregation), perturbs every weight by the definition w·(1 + p·(2u − 1)), picks
methods by ⌊u·M⌋ and rebuilds the whole pipeline run by run. It uses nothing of the sampler or
the vectorised evaluation it checks.
"""

import numpy as np
import pandas as pd
import pytest

from ronghe.core.errors import ParameterError
from ronghe.core.index.data import Panel, provinces
from ronghe.core.index.pipeline import IndexPipeline
from ronghe.core.index.sensitivity import (
    Options,
    evaluate,
    options,
    prepare,
    rank_columns,
    rank_dtype,
    rank_quantiles,
    run_chunk,
    run_frames,
    run_ranks,
    sobol,
    summarise,
    uncertainty,
)
from tests.core.index.build import INDICATORS, MINI, definition
from tests.core.index.test_pipeline_steps import P

REGIONS = sorted(provinces())[:8]


def _panel(seed=3):
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.uniform(20, 60, 8), rng.uniform(2, 8, 8), rng.uniform(5, 15, 8)])
    X[-1] = [90.0, 1.0, 30.0]  # the last region by code leads on every indicator: always first
    X[2, 1] = np.nan  # 130000 (east) lacks a2: the definition imputes the east mean
    return Panel([2015], REGIONS, INDICATORS, X[None])


def _reference_ranks(d, panel, runs, seed, noise, norms, aggs):
    K, N = len(d.indicators), len(d.nodes)
    u = np.random.default_rng(seed).random((runs, K + N + 2))
    out = []
    for s in range(runs):
        variant = d.model_copy(update={
            "indicators": [i.model_copy(update={"weight": i.weight * (1 + noise * (2 * u[s, k] - 1))})
                           for k, i in enumerate(d.indicators)],
            "nodes": [n.model_copy(update={"weight": n.weight * (1 + noise * (2 * u[s, K + k] - 1))})
                      for k, n in enumerate(d.nodes)],
        })
        norm = norms[min(int(u[s, K + N] * len(norms)), len(norms) - 1)]
        agg = aggs[min(int(u[s, K + N + 1] * len(aggs)), len(aggs) - 1)]
        pipe = IndexPipeline.from_definition(variant).with_params(normalise__method=norm, aggregate__method=agg)
        total = pipe.run(panel).total[0]
        out.append([1 + int(np.sum(total > t)) for t in total])
    return np.array(out).T  # (regions, runs)


def test_the_uncertainty_table_follows_the_definition_of_the_perturbation():
    d, p = definition(), _panel()
    u = uncertainty(d, p, 2015, runs=80, seed=11, chunk=30)
    ref = _reference_ranks(d, p, 80, 11, 0.2, ["ratio", "minmax", "target"], ["arithmetic", "geometric"])
    nominal = [1 + int(np.sum(t > x)) for t in [IndexPipeline.from_definition(d).run(p).total[0]] for x in t]
    assert list(u.table.columns) == ["region", "nominal_rank", "mean_rank", "median_rank", "rank_p05", "rank_p95",
                                     "mean_abs_shift"]
    assert u.table["mean_rank"].tolist() == pytest.approx(ref.mean(axis=1))
    assert u.table["region"].tolist() == REGIONS and u.runs == 80
    assert u.table["nominal_rank"].tolist() == nominal
    for column, q in (("rank_p05", 0.05), ("median_rank", 0.5), ("rank_p95", 0.95)):
        assert u.table[column].tolist() == np.quantile(ref, q, axis=1, method="inverted_cdf").tolist(), column
    assert u.table["mean_abs_shift"].tolist() == pytest.approx(np.abs(ref - np.array(nominal)[:, None]).mean(1))
    assert u.table.iloc[-1][["nominal_rank", "rank_p05", "rank_p95"]].tolist() == [1, 1, 1]
    assert len(set(u.table["mean_abs_shift"])) > 2


def test_the_5_percent_rank_is_the_rank_reached_in_5_percent_of_runs():
    d, p = definition(), _panel()
    u = uncertainty(d, p, 2015, runs=20, seed=5)
    ref = _reference_ranks(d, p, 20, 5, 0.2, ["ratio", "minmax", "target"], ["arithmetic", "geometric"])
    # with 20 runs the 5 % rank is each region's best rank (1 run in 20), not its second best
    assert u.table["rank_p05"].tolist() == ref.min(axis=1).tolist()
    assert u.table["rank_p95"].tolist() == np.sort(ref, axis=1)[:, 18].tolist()


def test_without_noise_and_alternatives_every_run_is_the_nominal_one():
    d, p = definition(), _panel()
    u = uncertainty(d, p, 2015, runs=50, weights=0.0, normalisations=["ratio"], aggregations=["arithmetic"])
    t = u.table
    assert t["median_rank"].tolist() == t["nominal_rank"].tolist() == t["rank_p05"].tolist() == t["rank_p95"].tolist()
    assert t["mean_abs_shift"].tolist() == [0.0] * 8
    s = sobol(d, p, 2015, n=64, weights=0.0, normalisations=["ratio"], aggregations=["arithmetic"])
    assert s.to_dict("records") == [{"input": "weights", "S1": 0.0, "ST": 0.0},
                                    {"input": "normalisation", "S1": 0.0, "ST": 0.0},
                                    {"input": "aggregation", "S1": 0.0, "ST": 0.0}]


def test_runs_are_reproducible_with_a_default_seed_of_0():
    d, p = definition(), _panel()
    a = uncertainty(d, p, 2015)
    assert a.runs == 1000
    assert a.table.equals(uncertainty(d, p, 2015, runs=1000, seed=0).table)
    assert not a.table.equals(uncertainty(d, p, 2015, runs=1000, seed=1).table)
    s = sobol(d, p, 2015)
    assert s.equals(sobol(d, p, 2015, n=512, seed=0))
    assert not s.equals(sobol(d, p, 2015, n=512, seed=1))
    assert not s.equals(sobol(d, p, 2015, n=511, seed=0))
    assert s["input"].tolist() == ["weights", "normalisation", "aggregation"]
    assert (s["ST"] > 0.01).all() and (s["ST"] >= s["S1"] - 0.05).all()  # each input moves some rank


def test_the_methods_drawn_are_the_ones_asked_for():
    d, p = definition(), _panel()
    only_minmax = uncertainty(d, p, 2015, runs=30, weights=0.0, normalisations=["minmax"],
                              aggregations=["arithmetic"]).table
    by_minmax = IndexPipeline.from_definition(d).with_params(normalise__method="minmax").run(p).total[0]
    ranks = rank_columns(by_minmax[:, None])[:, 0]
    assert only_minmax["median_rank"].tolist() == ranks.tolist()
    assert only_minmax["nominal_rank"].tolist() != ranks.tolist()  # nominal stays the definition's (ratio)
    geo = uncertainty(d, p, 2015, runs=30, weights=0.0, normalisations=["ratio"], aggregations=["geometric"]).table
    by_geo = IndexPipeline.from_definition(d).with_params(aggregate__method="geometric").run(p).total[0]
    assert geo["median_rank"].tolist() == rank_columns(by_geo[:, None])[:, 0].tolist()


@pytest.mark.parametrize("pipeline", [
    {},
    {"normalise": {"base_year": 2016}},
    {"aggregate": {"method": "geometric", "floor": 60}},
])
def test_the_vectorised_evaluation_equals_the_pipeline_for_every_method_pair(pipeline):
    d = definition(pipeline=pipeline)
    prep = prepare(d, P, 2015)
    assert prep.methods == ["ratio", "minmax", "target"] and prep.aggregations == ["arithmetic", "geometric"]
    assert prep.floor == (pipeline.get("aggregate", {}).get("floor", 0.1))
    pairs = [(m, a) for m in range(3) for a in range(2)]
    norm, agg = np.array([m for m, _ in pairs]), np.array([a for _, a in pairs])
    totals = evaluate(prep, norm, agg, np.tile(prep.w_ind, (6, 1)), np.tile(prep.w_node, (6, 1)))
    base = IndexPipeline.from_definition(d)
    for s, (m, a) in enumerate(pairs):
        variant = base.with_params(normalise__method=prep.methods[m], aggregate__method=prep.aggregations[a])
        r = variant.run(P)
        np.testing.assert_array_equal(prep.Z[m], r.named["normalise"][0])
        np.testing.assert_allclose(totals[:, s], r.total[0], rtol=1e-12)


def test_perturbed_weights_reach_every_level_of_the_tree():
    prep = prepare(definition(), P, 2015)
    # triple the weight of a1 and double that of node B
    w_node = prep.w_node.copy()
    w_node[2] *= 2  # nodes: T, A, B
    w_ind = prep.w_ind * np.array([3.0, 1.0, 1.0])
    got = evaluate(prep, np.array([0]), np.array([0]), w_ind[None], w_node[None])[:, 0]
    # by hand, 2015 ratio scores: A = (3·a1 + a2)/4 over present, T = (0.6·A + 0.8·B)/1.4
    a1, a2, b1 = prep.Z[0].T
    A = np.where(np.isnan(a2), a1, (3 * a1 + np.nan_to_num(a2)) / 4)
    T = np.where(np.isnan(b1), A, (0.6 * A + 0.8 * np.nan_to_num(b1)) / 1.4)
    np.testing.assert_allclose(got, T, rtol=1e-12)


def test_a_geometric_alternative_over_zeros_is_refused_without_an_explicit_floor():
    from ronghe.core.index.definition import Definition
    from tests.core.index.build import MINI

    d = Definition.model_validate({**MINI, "pipeline": [s for s in MINI["pipeline"] if s["step"] != "aggregate"]})
    with pytest.raises(ParameterError) as exc:
        prepare(d, P, 2015)
    assert str(exc.value) == ("geometric aggregation needs positive values, but 3 value(s) are ≤ 0 after 'minmax' "
                              "normalisation; drop that pair or set an explicit floor on the aggregate step")
    assert prepare(d, P, 2015, aggregations=["arithmetic"]).floor is None  # min-max zeros are fine there
    assert prepare(d, P, 2015, normalisations=["ratio"]).floor is None  # no zero after ratio
    with pytest.raises(ParameterError, match="harmonic aggregation"):
        uncertainty(d, P, 2015, runs=10, aggregations=["harmonic"])
    assert prepare(definition(), P, 2015).floor == 0.1  # the floor is the definition's own, explicit


@pytest.mark.parametrize("kwargs,text", [
    ({"weights": 1.0}, "the weight perturbation must be at least 0 and below 1 (given 1.0): at 1 or more a weight can "
                        "become zero or negative"),
    ({"weights": 1.5}, "the weight perturbation must be at least 0 and below 1 (given 1.5): at 1 or more a weight can "
                        "become zero or negative"),
    ({"weights": -0.1}, "the weight perturbation must be at least 0 and below 1 (given -0.1): at 1 or more a weight "
                         "can become zero or negative"),
    ({"normalisations": []}, "'normalise' needs at least one method"),
    ({"aggregations": []}, "'aggregate' needs at least one method"),
    ({"normalisations": ["minmax", "z-score"]},
     "'normalise' has no method 'z-score' (choose from minmax, zscore, ratio, target, rank, percentile)"),
    ({"aggregations": ["median"]}, "'aggregate' has no method 'median' (choose from arithmetic, geometric, harmonic)"),
])
def test_every_option_is_checked_before_anything_runs(kwargs, text):
    d = definition()
    for run in (lambda: uncertainty(d, P, 2015, runs=10, **kwargs), lambda: sobol(d, P, 2015, n=8, **kwargs)):
        with pytest.raises(ParameterError) as exc:
            run()
        assert str(exc.value) == text


def test_a_normalisation_that_needs_a_value_the_definition_lacks_is_refused_by_name():
    d = definition(indicators=[{**i, "reference": None} if i["id"] != "b1" else i for i in MINI["indicators"]],
                   uncertainty={"normalise": ["minmax"]}, pipeline={"normalise": {"method": "minmax"}})
    with pytest.raises(ParameterError) as exc:
        options(d, normalisations=["minmax", "ratio"])
    assert str(exc.value) == "ratio normalisation needs a reference value for every indicator; missing for a1, a2"
    d = definition(indicators=[{**i, "target": None} for i in MINI["indicators"]],
                   uncertainty={"normalise": ["ratio"]})
    with pytest.raises(ParameterError) as exc:
        options(d, normalisations=["target"])
    assert str(exc.value) == "target normalisation needs a target for every indicator; missing for a1, a2, b1"
    assert options(d).normalise == ("ratio",)


def test_the_analysis_states_what_it_varied_and_with_what():
    d = definition()
    o = options(d, 0.3, ["minmax", "minmax", "zscore"], ["geometric"])
    assert o == Options(0.3, ("minmax", "zscore"), ("geometric",), ("group_mean",), ("none",))
    table = o.table(d)
    assert table.to_dict("records") == [
        {"step": "impute", "nominal": "group_mean", "varied": False, "alternatives": "group_mean"},
        {"step": "treat", "nominal": "none", "varied": False, "alternatives": "none"},
        {"step": "normalise", "nominal": "ratio", "varied": True, "alternatives": "minmax, zscore"},
        {"step": "weight", "nominal": "given", "varied": True,
         "alternatives": "each of 3 indicator and 2 node weights × U(0.7, 1.3)"},
        {"step": "aggregate", "nominal": "arithmetic", "varied": False, "alternatives": "geometric"},
    ]
    fixed = options(d, 0, ["ratio"], ["arithmetic"]).table(d)
    assert not fixed["varied"].any()
    u = uncertainty(d, _panel(), 2015, runs=20, weights=0.3, normalisations=["minmax", "zscore"],
                    aggregations=["geometric"])
    assert u.varied.equals(table)
    assert options(d) == Options(0.2, ("ratio", "minmax", "target"), ("arithmetic", "geometric"), ("group_mean",),
                                 ("none",))


def test_weights_from_a_weight_step_other_than_given_are_the_ones_perturbed():
    p = _panel()
    d = definition(pipeline={"weight": {"method": "entropy"}})
    learned = IndexPipeline.from_definition(d).run(p).weights
    assert prepare(d, p, 2015).w_ind.tolist() == pytest.approx(learned.tolist())
    assert learned[:2].tolist() != pytest.approx([0.5, 0.5])  # not the given weights
    assert prepare(definition(), p, 2015).w_ind.tolist() == [i["weight"] for i in MINI["indicators"]]
    skewed = [{**i, "weight": w} for i, w in zip(MINI["indicators"], [0.8, 0.2, 1.0], strict=True)]
    assert prepare(definition(indicators=skewed), p, 2015).w_ind.tolist() == [0.8, 0.2, 1.0]
    no_step = definition(indicators=skewed, pipeline=[s for s in MINI["pipeline"] if s["step"] != "weight"])
    assert prepare(no_step, p, 2015).w_ind.tolist() == [0.8, 0.2, 1.0]


def test_ties_share_the_best_rank_and_missing_totals_rank_after_every_present_one():
    totals = np.full((40, 3), 5.0)
    totals[7, 1] = np.nan
    totals[:, 2] = [3.0, 9.0, 3.0, np.nan, 1.0, 9.0] + [0.5] * 34
    r = rank_columns(totals)
    assert r[:, 0].tolist() == [1] * 40
    assert r[7, 1] == 40 and np.delete(r[:, 1], 7).tolist() == [1] * 39
    assert r[:6, 2].tolist() == [3, 1, 3, 40, 5, 1] and r[6:, 2].tolist() == [6] * 34
    reference = [[1 + int(np.sum(np.nan_to_num(c, nan=-np.inf) > x)) for x in np.nan_to_num(c, nan=-np.inf)]
                 for c in np.random.default_rng(2).integers(0, 4, (5, 9)).astype(float)]
    assert rank_columns(np.random.default_rng(2).integers(0, 4, (5, 9)).astype(float).T).T.tolist() == reference
    assert rank_columns(np.array([[2.0]])).tolist() == [[1]]


def _count_table_quantiles(ranks, qs):
    """The former definition: a regions × (regions + 1) table of rank counts, each quantile the
    first rank whose cumulative count reaches ⌈q·S⌉."""
    R, S = ranks.shape
    flat = (np.arange(R, dtype=np.int64)[:, None] * (R + 1) + ranks).ravel()
    cum = np.cumsum(np.bincount(flat, minlength=R * (R + 1)).reshape(R, R + 1), axis=1)
    return [np.argmax(cum >= np.ceil(q * S), axis=1) for q in qs]


@pytest.mark.parametrize("regions,runs", [(1, 1), (2, 3), (7, 19), (7, 20), (7, 21), (30, 100), (13, 1000)])
def test_rank_quantiles_equal_the_count_table_they_replace(regions, runs):
    rng = np.random.default_rng(regions * runs)
    ranks = rank_columns(rng.normal(size=(regions, runs)) + rng.normal(size=(regions, 1)))
    qs = (0.01, 0.05, 0.25, 0.5, 0.95, 0.999, 1.0)
    expected = _count_table_quantiles(ranks, qs)
    got = rank_quantiles(ranks, qs)
    assert [g.tolist() for g in got] == [e.tolist() for e in expected]
    assert [g.tolist() for g in rank_quantiles(ranks.astype(np.uint16), qs)] == [e.tolist() for e in expected]
    assert [g.tolist() for g in got] == [np.quantile(ranks, q, axis=1, method="inverted_cdf").tolist() for q in qs]


def test_the_summary_is_the_same_block_by_block():
    rng = np.random.default_rng(4)
    ranks = rank_columns(rng.normal(size=(23, 57)) + rng.normal(size=(23, 1)))
    nominal = rank_columns(rng.normal(size=(23, 1)))[:, 0]
    whole = summarise(list("abcdefghijklmnopqrstuvw"), nominal, ranks, block=23).table
    for block in (1, 5, 22):
        assert summarise(list("abcdefghijklmnopqrstuvw"), nominal, ranks.astype(np.uint16), block=block).table \
            .equals(whole)
    assert whole["mean_abs_shift"].tolist() == pytest.approx(np.abs(ranks - nominal[:, None]).mean(axis=1))
    assert whole["mean_rank"].tolist() == pytest.approx(ranks.mean(axis=1))


def test_ranks_are_kept_in_two_bytes_below_65536_regions_and_run_blocks_shrink_with_regions():
    assert rank_dtype(65_535) is np.uint16 and rank_dtype(65_536) is np.int32
    assert np.iinfo(rank_dtype(65_535)).max >= 65_535
    assert run_chunk(300, 4, 2000) == 2000
    assert run_chunk(30_000, 4, 2000) == 256 * 2**20 // (8 * 30_000 * 8)
    assert run_chunk(10**9, 4, 2000) == 1 and run_chunk(0, 4, 5) == 5
    assert run_chunk(1, 4, 10**9) == run_chunk(0, 4, 10**9) == 256 * 2**20 // (8 * 1 * 8)
    assert run_chunk(1000, 6, 2000, budget=8 * 1000 * 10 * 7) == 7


def test_run_blocks_of_any_size_give_the_same_ranks():
    d, p = definition(), _panel()
    prep = prepare(d, p, 2015)
    whole = run_ranks(prep, 0.2, 3, 0, 50, chunk=50)
    assert whole.dtype == np.uint16
    for chunk in (1, 7, 49):
        assert np.array_equal(run_ranks(prep, 0.2, 3, 0, 50, chunk=chunk), whole)
    assert np.array_equal(np.hstack([run_ranks(prep, 0.2, 3, 0, 20), run_ranks(prep, 0.2, 3, 20, 50)]), whole)


def test_sobol_can_take_every_weight_as_an_input_of_its_own():
    d, p = definition(), _panel()
    s = sobol(d, p, 2015, n=128, individual=True, bootstrap=50)
    assert s["input"].tolist() == ["weight:a1", "weight:a2", "weight:b1", "weight:A", "weight:B", "normalisation",
                                   "aggregation"]
    assert (s["S1_low"] <= s["S1_high"]).all() and (s["ST_low"] <= s["ST_high"]).all()
    only = sobol(d, p, 2015, n=128, individual=True, normalisations=["ratio"], aggregations=["arithmetic"])
    assert only.set_index("input").loc[["normalisation", "aggregation"], ["S1", "ST"]].to_numpy().tolist() == \
        [[0.0, 0.0], [0.0, 0.0]]
    assert (only.set_index("input").loc["weight:a1":"weight:B", "ST"] > 0).any()
    for bad, text in ((1, "the Sobol base sample needs at least 2 (given 1)"),):
        with pytest.raises(ParameterError) as exc:
            sobol(d, p, 2015, n=bad)
        assert str(exc.value) == text
    with pytest.raises(ParameterError, match="between 0 and 1"):
        sobol(d, p, 2015, n=8, level=1.0)


def test_the_runs_table_holds_every_run_of_the_analysis():
    d, p = definition(), _panel()
    params, scores = run_frames(d, p, 2015, runs=40, seed=11)
    ref = _reference_ranks(d, p, 40, 11, 0.2, ["ratio", "minmax", "target"], ["arithmetic", "geometric"])
    assert list(params.columns) == ["run", "impute", "treat", "normalise", "aggregate", "w_a1", "w_a2", "w_b1", "w_T",
                                    "w_A", "w_B"]
    assert set(params["impute"]) == {"group_mean"} and set(params["treat"]) == {"none"}  # fixed: the definition's
    assert list(scores.columns) == ["run", "region", "score", "rank"] and len(scores) == 40 * 8
    assert scores.pivot(index="region", columns="run", values="rank").loc[REGIONS].to_numpy().tolist() == ref.tolist()
    u = np.random.default_rng(11).random((40, 8))
    assert params["w_a1"].tolist() == pytest.approx((0.5 * (1 + 0.2 * (2 * u[:, 0] - 1))).tolist())
    assert params["normalise"].tolist() == [["ratio", "minmax", "target"][int(x * 3)] for x in u[:, 6]]
    assert params["aggregate"].tolist() == [["arithmetic", "geometric"][int(x * 2)] for x in u[:, 7]]
    assert np.array_equal(run_ranks(prepare(d, p, 2015), 0.2, 11, 0, 40),
                          scores.pivot(index="region", columns="run", values="rank").loc[REGIONS].to_numpy())


def test_the_runs_table_follows_the_options_given():
    d, p = definition(), _panel()
    params, scores = run_frames(d, p, 2015, runs=30, seed=2, weights=0.0, normalisations=["minmax"],
                                aggregations=["geometric"])
    assert set(params["normalise"]) == {"minmax"} and set(params["aggregate"]) == {"geometric"}
    assert params["w_a1"].tolist() == [0.5] * 30 and params["w_A"].tolist() == [0.6] * 30
    by_geo = IndexPipeline.from_definition(d).with_params(normalise__method="minmax", aggregate__method="geometric")
    total = by_geo.run(p).total[0]
    assert scores[scores.run == 0]["score"].tolist() == pytest.approx(total.tolist())
    assert all(type(r) is str for r in scores["region"]) and scores["region"].tolist()[:8] == REGIONS


def test_a_definition_without_a_weight_step_still_states_its_weights_and_two_aggregations_vary():
    d = definition(pipeline=[s for s in MINI["pipeline"] if s["step"] != "weight"])
    table = options(d, 0.0, ["ratio"], ["arithmetic", "geometric"]).table(d)
    assert table.to_dict("records")[-2:] == [
        {"step": "aggregate", "nominal": "arithmetic", "varied": True, "alternatives": "arithmetic, geometric"},
        {"step": "weight", "nominal": "given", "varied": False,
         "alternatives": "each of 3 indicator and 2 node weights × U(1, 1)"}]
    assert options(d, 0.5).table(d).to_dict("records")[-1] == {
        "step": "weight", "nominal": "given", "varied": True,
        "alternatives": "each of 3 indicator and 2 node weights × U(0.5, 1.5)"}


def test_the_table_keeps_ranks_as_whole_numbers():
    u = uncertainty(definition(), _panel(), 2015, runs=30)
    assert {u.table[c].dtype.kind for c in ("nominal_rank", "median_rank", "rank_p05", "rank_p95")} == {"i"}


@pytest.mark.parametrize("n", [True, 2.5, 1, 0])
def test_a_sobol_base_sample_is_a_whole_number_of_at_least_two(n):
    with pytest.raises(ParameterError) as exc:
        sobol(definition(), _panel(), 2015, n=n)
    assert str(exc.value) == f"the Sobol base sample needs at least 2 (given {n})"


def test_sobol_draws_its_bootstrap_from_the_seeds_stream_after_the_samples():
    from ronghe.core.index.sensitivity import _sample, saltelli_samples, sobol_indices

    d, p = definition(), _panel()
    assert len(sobol(d, p, 2015, n=2)) == 3  # the smallest base sample runs
    for level in (0.0, 1.0, -0.5):
        with pytest.raises(ParameterError) as exc:
            sobol(d, p, 2015, n=8, level=level)
        assert str(exc.value) == f"the confidence level must lie between 0 and 1 (given {level})"
    got = sobol(d, p, 2015, n=64, seed=5, bootstrap=40, level=0.8, individual=True)
    prep = prepare(d, p, 2015)
    K, N = 3, 3
    groups = [np.array([0]), np.array([1]), np.array([2]), np.array([K + 1]), np.array([K + 2]),
              np.array([K + N]), np.array([K + N + 1])]
    rng = np.random.default_rng(5)
    u = saltelli_samples(64, groups, rng)
    f = rank_columns(evaluate(prep, *_sample(prep, u, 0.2)))
    expected = sobol_indices(f, 64, got["input"].tolist(), bootstrap=40, rng=rng, level=0.8)
    pd.testing.assert_frame_equal(got, expected)
    weights = got[got["input"].str.startswith("weight:")]
    assert weights["ST"].nunique() == len(weights)  # each weight its own column of the sample


def test_two_missing_totals_share_the_rank_after_the_present_ones():
    totals = np.array([[3.0], [np.nan], [5.0], [np.nan]])
    assert rank_columns(totals)[:, 0].tolist() == [2, 3, 1, 3]


def test_a_uniform_number_of_exactly_one_picks_the_last_method():
    from ronghe.core.index.sensitivity import _sample

    prep = prepare(definition(), _panel(), 2015)
    u = np.full((2, 8), 0.5)
    u[0, 6:] = 1.0
    u[1, 6:] = 0.0
    norm, agg, wi, wn = _sample(prep, u, 0.2)
    assert norm.tolist() == [2, 0] and agg.tolist() == [1, 0]
    assert wi[0].tolist() == pytest.approx([0.5, 0.5, 1.0]) and wn[1].tolist() == pytest.approx([1.0, 0.6, 0.4])


@pytest.mark.parametrize("weights", [False, True, "0.1", None])
def test_a_weight_perturbation_is_a_number(weights):
    d = definition()
    if weights is None:
        assert options(d).weights == 0.2
        return
    with pytest.raises(ParameterError, match="the weight perturbation must be at least 0 and below 1"):
        options(d, weights)


def test_without_a_generator_the_bootstrap_draws_from_seed_0():
    from ronghe.core.index.sensitivity import sobol_indices

    f = np.random.default_rng(3).normal(size=(2, 16 * 4))
    a = sobol_indices(f, 16, ["x", "y"], bootstrap=10)
    pd.testing.assert_frame_equal(a, sobol_indices(f, 16, ["x", "y"], bootstrap=10, rng=np.random.default_rng(0)))
    assert not a.equals(sobol_indices(f, 16, ["x", "y"], bootstrap=10, rng=np.random.default_rng(1)))
