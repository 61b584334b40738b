"""Imputation and outlier treatment as uncertain steps of the Monte Carlo, as COINr lets vary them.

The panel below is small enough to follow by hand (two years, the mini definition's four regions:
110000 and 120000 east, 140000 central, 620000 west). The reference rebuild draws the same
uniform numbers as the documented sampling plan — with imputation or treatment varied, row s of
``default_rng(seed).random((runs, K + N + 4))``: indicator weights, node weights, normalisation,
aggregation, imputation, treatment — and runs the whole pipeline run by run, with nothing of the
sampler or of the vectorised evaluation.
"""

import numpy as np
import pandas as pd
import pytest

from ronghe.core.errors import ParameterError
from ronghe.core.index.data import Panel
from ronghe.core.index.definition import Definition, check
from ronghe.core.index.pipeline import IndexPipeline
from ronghe.core.index.sensitivity import (
    Options,
    _sample,
    evaluate,
    options,
    prepare,
    rank_columns,
    run_frames,
    run_ranks,
    saltelli_samples,
    sobol,
    sobol_indices,
    uncertainty,
)
from tests.core.index.build import INDICATORS, MINI, REGIONS, definition

NAN = np.nan
# years 2014, 2015 × regions 110000, 120000, 140000, 620000 × indicators a1, a2 (lower), b1
X = np.array(
    [
        [[10, 4, 10], [20, 2, 20], [30, 3, 30], [40, 5, 40]],
        [[NAN, 4, 10], [30, 2, 20], [30, 3, 30], [40, 5, 40]],
    ],
    dtype=float,
)
P2 = Panel([2014, 2015], REGIONS, INDICATORS, X)


def _wide_panel(seed=4):
    """Eight provinces over three years with gaps and one far outlier, so that every imputation
    and treatment gives other scores."""
    from tests.core.index.test_sensitivity import REGIONS as EIGHT

    rng = np.random.default_rng(seed)
    Y = np.stack(
        [np.column_stack([rng.uniform(20, 60, 8), rng.uniform(2, 8, 8), rng.uniform(5, 15, 8)]) for _ in range(3)]
    )
    Y[:, 0, 0] = [200.0, 210.0, 230.0]  # an outlier on a1
    Y[2, 2, 1] = Y[1, 5, 0] = Y[2, 5, 0] = Y[2, 6, 2] = NAN
    return Panel([2013, 2014, 2015], EIGHT, INDICATORS, Y)


def _reference_ranks(d, panel, year, runs, seed, noise, norms, aggs, imps, treats):
    K, N = len(d.indicators), len(d.nodes)
    u = np.random.default_rng(seed).random((runs, K + N + 4))
    t = panel.years.index(year)
    pick = lambda x, options: options[min(int(x * len(options)), len(options) - 1)]  # noqa: E731
    out, drawn = [], []
    for s in range(runs):
        variant = d.model_copy(
            update={
                "indicators": [
                    i.model_copy(update={"weight": i.weight * (1 + noise * (2 * u[s, k] - 1))})
                    for k, i in enumerate(d.indicators)
                ],
                "nodes": [
                    n.model_copy(update={"weight": n.weight * (1 + noise * (2 * u[s, K + k] - 1))})
                    for k, n in enumerate(d.nodes)
                ],
            }
        )
        chosen = (
            pick(u[s, K + N + 2], imps),
            pick(u[s, K + N + 3], treats),
            pick(u[s, K + N], norms),
            pick(u[s, K + N + 1], aggs),
        )
        pipe = IndexPipeline.from_definition(variant).with_params(
            impute__method=chosen[0], treat__method=chosen[1], normalise__method=chosen[2], aggregate__method=chosen[3]
        )
        total = pipe.run(panel).total[t]
        key = np.where(np.isnan(total), -np.inf, total)
        out.append([1 + int(np.sum(key > x)) for x in key])
        drawn.append(chosen)
    return np.array(out).T, drawn


def test_every_imputation_fills_the_gap_by_its_own_rule_before_normalising():
    d = definition(pipeline={"normalise": {"method": "minmax"}})
    prep = prepare(
        d,
        P2,
        2015,
        normalisations=["minmax"],
        aggregations=["arithmetic"],
        imputations=["none", "previous_year", "group_mean", "regression"],
    )
    assert prep.imputations == ["none", "previous_year", "group_mean", "regression"] and prep.treatments == ["none"]
    # 110000's a1 in 2015, min-max on 2014's a1 (10 … 40): none → missing; previous year 10 → 0;
    # the east mean of 2015 (120000 alone: 30) → 66.67; regression has 3 complete rows for 2
    # predictors, too few, so the year's mean (30 + 30 + 40)/3 → 77.78
    got = [z[0, 0] for z in prep.Z]
    assert np.isnan(got[0]) and got[1:] == pytest.approx([0.0, 200 / 3, 700 / 9])
    for z in prep.Z:  # every other value is the same in every variant: 120000's a1 = (30 − 10)/30
        assert z[1, 0] == pytest.approx(200 / 3)


def test_a_winsorising_alternative_takes_the_bounds_of_the_definitions_treat_step():
    d = definition(
        pipeline={
            "impute": {"method": "previous_year"},
            "normalise": {"method": "minmax"},
            "treat": {"method": "none", "lower": 0.25, "upper": 0.25},
        }
    )
    prep = prepare(
        d, P2, 2015, normalisations=["minmax", "zscore"], aggregations=["arithmetic"], treatments=["none", "winsorise"]
    )
    assert prep.treatments == ["none", "winsorise"] and len(prep.Z) == 4  # (treatment, normalisation) pairs
    # a1 over both years after carrying 10 forward: 10 10 20 30 30 30 40 40; the 25 % and 75 %
    # quantiles are 17.5 and 32.5; 2014 clipped: 17.5 20 30 32.5, so min-max spans 17.5 … 32.5
    none_minmax, none_z, wins_minmax, wins_z = prep.Z
    assert none_minmax[:, 0] == pytest.approx([0.0, 200 / 3, 200 / 3, 100.0])
    assert wins_minmax[:, 0] == pytest.approx([0.0, 250 / 3, 250 / 3, 100.0])
    mean, sd = np.mean([17.5, 20, 30, 32.5]), np.std([17.5, 20, 30, 32.5], ddof=1)
    assert wins_z[1, 0] == pytest.approx(50 + 10 * (30 - mean) / sd)
    assert none_z[1, 0] == pytest.approx(50 + 10 * (30 - 25) / np.std([10, 20, 30, 40], ddof=1))


def test_the_variant_index_orders_imputation_then_treatment_then_normalisation():
    d = definition(pipeline={"normalise": {"method": "minmax"}})
    prep = prepare(
        d,
        P2,
        2015,
        normalisations=["minmax", "zscore", "rank"],
        aggregations=["arithmetic"],
        imputations=["none", "previous_year"],
        treatments=["none", "winsorise", "log"],
    )
    assert len(prep.Z) == 2 * 3 * 3
    v = np.arange(18)
    imp, treat, norm = prep.variant(v)
    assert imp.tolist() == [0] * 9 + [1] * 9
    assert treat.tolist() == ([0] * 3 + [1] * 3 + [2] * 3) * 2
    assert norm.tolist() == [0, 1, 2] * 6
    pipe = IndexPipeline.from_definition(d)
    for k in v:
        variant = pipe.with_params(
            impute__method=prep.imputations[imp[k]],
            treat__method=prep.treatments[treat[k]],
            normalise__method=prep.methods[norm[k]],
        )
        np.testing.assert_allclose(prep.Z[k], variant.run(P2).named["normalise"][1], rtol=1e-12)


@pytest.mark.parametrize(
    "imps,treats",
    [
        (["group_mean", "previous_year", "none", "regression"], ["none", "winsorise"]),
        (["group_mean", "none"], ["none"]),
        (["group_mean"], ["winsorise", "none", "log"]),
    ],
)
def test_the_monte_carlo_equals_a_run_by_run_rebuild_with_imputation_and_treatment_drawn(imps, treats):
    d, p = definition(), _wide_panel()
    norms = ["minmax", "zscore"]
    u = uncertainty(d, p, 2015, runs=60, seed=7, normalisations=norms, imputations=imps, treatments=treats, chunk=25)
    ref, drawn = _reference_ranks(d, p, 2015, 60, 7, 0.2, norms, ["arithmetic", "geometric"], imps, treats)
    assert u.table["mean_rank"].tolist() == pytest.approx(ref.mean(axis=1))
    for column, q in (("rank_p05", 0.05), ("median_rank", 0.5), ("rank_p95", 0.95)):
        assert u.table[column].tolist() == np.quantile(ref, q, axis=1, method="inverted_cdf").tolist(), column
    assert len({c[0] for c in drawn}) == len(imps) and len({c[1] for c in drawn}) == len(treats)
    params, scores = run_frames(d, p, 2015, runs=60, seed=7, normalisations=norms, imputations=imps, treatments=treats)
    assert list(zip(params["impute"], params["treat"], params["normalise"], params["aggregate"], strict=True)) == drawn
    assert scores.pivot(index="region", columns="run", values="rank").loc[p.regions].to_numpy().tolist() == ref.tolist()
    prep = prepare(d, p, 2015, norms, imputations=imps, treatments=treats)
    halves = np.hstack([run_ranks(prep, 0.2, 7, 0, 25), run_ranks(prep, 0.2, 7, 25, 60)])
    assert halves.tolist() == ref.tolist()  # parts of a job draw row r of the stream for run r


def test_varying_imputation_moves_ranks_that_the_nominal_imputation_keeps():
    d, p = definition(), _wide_panel()
    fixed = uncertainty(d, p, 2015, runs=40, weights=0.0, normalisations=["minmax"], aggregations=["arithmetic"])
    assert (fixed.table["rank_p05"] == fixed.table["rank_p95"]).all()
    varied = uncertainty(
        d,
        p,
        2015,
        runs=40,
        weights=0.0,
        normalisations=["minmax"],
        aggregations=["arithmetic"],
        imputations=["group_mean", "none", "previous_year"],
    )
    assert (varied.table["rank_p05"] < varied.table["rank_p95"]).any()
    only = uncertainty(
        d,
        p,
        2015,
        runs=20,
        weights=0.0,
        normalisations=["minmax"],
        aggregations=["arithmetic"],
        imputations=["previous_year"],
    ).table
    by_prev = (
        IndexPipeline.from_definition(d)
        .with_params(impute__method="previous_year", normalise__method="minmax")
        .run(p)
        .total[2]
    )
    assert only["median_rank"].tolist() == rank_columns(by_prev[:, None])[:, 0].tolist()
    assert only["nominal_rank"].tolist() == fixed.table["nominal_rank"].tolist()  # nominal stays group_mean


def test_the_definition_can_name_the_alternatives_and_every_result_lists_them():
    d = definition(
        uncertainty={**MINI["uncertainty"], "impute": ["none", "previous_year"], "treat": ["none", "winsorise"]},
        pipeline={"impute": {"method": "previous_year"}},
    )
    o = options(d)
    assert o == Options(
        0.2,
        ("ratio", "minmax", "target"),
        ("arithmetic", "geometric"),
        ("none", "previous_year"),
        ("none", "winsorise"),
    )
    assert o.table(d).to_dict("records")[:2] == [
        {"step": "impute", "nominal": "previous_year", "varied": True, "alternatives": "none, previous_year"},
        {"step": "treat", "nominal": "none", "varied": True, "alternatives": "none, winsorise"},
    ]
    assert options(d, imputations=["regression"], treatments=["none"]).table(d).to_dict("records")[:2] == [
        {"step": "impute", "nominal": "previous_year", "varied": False, "alternatives": "regression"},
        {"step": "treat", "nominal": "none", "varied": False, "alternatives": "none"},
    ]
    assert uncertainty(d, _wide_panel(), 2015, runs=10).varied.equals(o.table(d))
    assert o.arguments() == {
        "normalisations": ["ratio", "minmax", "target"],
        "aggregations": ["arithmetic", "geometric"],
        "imputations": ["none", "previous_year"],
        "treatments": ["none", "winsorise"],
    }
    bare = definition(pipeline=[s for s in MINI["pipeline"] if s["step"] not in ("impute", "treat")])
    assert options(bare).impute == () and options(bare).treat == ()
    assert options(bare).arguments()["imputations"] is None and options(bare).arguments()["treatments"] is None
    assert [r["step"] for r in options(bare).table(bare).to_dict("records")] == ["normalise", "weight", "aggregate"]


@pytest.mark.parametrize(
    "kwargs,text",
    [
        ({"imputations": []}, "'impute' needs at least one method"),
        ({"treatments": []}, "'treat' needs at least one method"),
        (
            {"imputations": ["none", "mean"]},
            "'impute' has no method 'mean' (choose from none, group_mean, previous_year, regression)",
        ),
        ({"treatments": ["clip"]}, "'treat' has no method 'clip' (choose from none, winsorise, log)"),
        (
            {"treatments": ["none", "log"]},
            "a log treatment changes the indicators' units, while reference and target values are in the original "
            "units: log cannot go with ratio, target normalisation",
        ),
        (
            {"treatments": ["log"], "normalisations": ["minmax", "target"]},
            "a log treatment changes the indicators' units, while reference and target values are in the original "
            "units: log cannot go with target normalisation",
        ),
    ],
)
def test_an_alternative_that_cannot_be_applied_is_refused_before_anything_runs(kwargs, text):
    d = definition()
    for run in (
        lambda: uncertainty(d, P2, 2015, runs=10, **kwargs),
        lambda: sobol(d, P2, 2015, n=8, **kwargs),
        lambda: run_frames(d, P2, 2015, runs=10, **kwargs),
    ):
        with pytest.raises(ParameterError) as exc:
            run()
        assert str(exc.value) == text
    assert options(d, treatments=["none", "log"], normalisations=["minmax", "zscore"]).treat == ("none", "log")


def test_alternatives_for_a_step_the_pipeline_lacks_are_refused():
    bare = definition(pipeline=[s for s in MINI["pipeline"] if s["step"] not in ("impute", "treat")])
    for kwargs, step in (({"imputations": ["none"]}, "impute"), ({"treatments": ["none", "winsorise"]}, "treat")):
        with pytest.raises(ParameterError) as exc:
            options(bare, **kwargs)
        assert str(exc.value) == (
            f"alternatives for '{step}' need a {step} step in the definition's pipeline "
            f"(e.g. {{step: {step}, method: none}})"
        )
    doc = {
        **MINI,
        "pipeline": [s for s in MINI["pipeline"] if s["step"] != "treat"],
        "uncertainty": {**MINI["uncertainty"], "treat": ["none", "log"]},
    }
    assert list(check(Definition.model_validate(doc))) == [
        ("uncertainty/treat", "definition.alternatives", {"step": "treat"})
    ]
    with pytest.raises(ParameterError, match="need a treat step"):
        options(Definition.model_validate(doc))


def test_group_mean_is_refused_for_units_without_zones():
    d = definition(unit="park", pipeline={"impute": {"method": "previous_year"}})
    assert options(d).impute == ("previous_year",)
    with pytest.raises(ParameterError) as exc:
        options(d, imputations=["previous_year", "group_mean"])
    assert str(exc.value) == (
        "group_mean imputes from a region's east/central/west zone; units of kind 'park' have "
        "no zone: choose another imputation"
    )
    doc = {
        **MINI,
        "unit": "industry",
        "pipeline": [{**s, "method": "none"} if s["step"] == "impute" else s for s in MINI["pipeline"]],
        "uncertainty": {**MINI["uncertainty"], "impute": ["none", "group_mean"]},
    }
    assert list(check(Definition.model_validate(doc))) == [
        ("pipeline", "definition.no_zone", {"unit": "industry"})
    ]
    assert options(definition(), imputations=["group_mean"]).impute == ("group_mean",)  # regions have zones


def test_a_geometric_alternative_over_zeros_names_the_variant_that_has_them():
    d = Definition.model_validate({**MINI, "pipeline": [s for s in MINI["pipeline"] if s["step"] != "aggregate"]})
    with pytest.raises(ParameterError) as exc:
        prepare(d, P2, 2015, normalisations=["minmax"], aggregations=["geometric"], imputations=["none", "group_mean"])
    assert str(exc.value) == (
        "geometric aggregation needs positive values, but 2 value(s) are ≤ 0 after 'minmax "
        "(impute: none, treat: none)' normalisation; drop that pair or set an explicit floor "
        "on the aggregate step"
    )
    with pytest.raises(ParameterError) as exc:
        prepare(d, P2, 2015, normalisations=["ratio", "minmax"], aggregations=["geometric"], imputations=["none"])
    assert "after 'minmax' normalisation" in str(exc.value)  # one variant per normalisation: its name alone


@pytest.mark.parametrize(
    "imps,treats,names",
    [
        (["group_mean", "none"], ["none"], ["imputation"]),
        (["group_mean"], ["none", "winsorise"], ["treatment"]),
        (["group_mean", "previous_year"], ["none", "winsorise"], ["imputation", "treatment"]),
    ],
)
def test_sobol_counts_imputation_and_treatment_as_inputs_when_they_vary(imps, treats, names):
    d, p = definition(), _wide_panel()
    got = sobol(
        d, p, 2015, n=32, seed=3, bootstrap=20, imputations=imps, treatments=treats, normalisations=["minmax", "zscore"]
    )
    assert got["input"].tolist() == ["weights", "normalisation", "aggregation", *names]
    prep = prepare(d, p, 2015, ["minmax", "zscore"], imputations=imps, treatments=treats)
    K, N = 3, 3
    columns = {"imputation": K + N + 2, "treatment": K + N + 3}
    groups = [np.arange(K + N), np.array([K + N]), np.array([K + N + 1])] + [np.array([columns[n]]) for n in names]
    rng = np.random.default_rng(3)
    u = saltelli_samples(32, groups, rng)
    f = rank_columns(evaluate(prep, *_sample(prep, u, 0.2)))
    pd.testing.assert_frame_equal(got, sobol_indices(f, 32, got["input"].tolist(), bootstrap=20, rng=rng))
    assert (got.set_index("input").loc[names, "ST"] > 0).all()  # each moves some rank


def test_a_uniform_number_picks_imputation_and_treatment_like_any_method():
    prep = prepare(
        definition(),
        P2,
        2015,
        ["minmax", "zscore"],
        ["arithmetic"],
        imputations=["none", "previous_year", "group_mean"],
        treatments=["none", "winsorise"],
    )
    assert prep.draws == 3 + 3 + 4
    u = np.zeros((3, 10))
    u[0, 6:] = [1.0, 0.0, 1.0, 1.0]  # the last normalisation, imputation and treatment
    u[1, 6:] = [0.0, 0.0, 0.5, 0.5]  # imputation ⌊0.5·3⌋ = 1, treatment ⌊0.5·2⌋ = 1
    variant = _sample(prep, u, 0.0)[0]
    assert variant.tolist() == [(2 * 2 + 1) * 2 + 1, (1 * 2 + 1) * 2, 0]
    fixed = prepare(definition(), P2, 2015, ["minmax", "zscore"], ["arithmetic"])
    assert fixed.draws == 3 + 3 + 2 and _sample(fixed, u[:, :8], 0.0)[0].tolist() == [1, 0, 0]
    one_side = prepare(definition(), P2, 2015, ["minmax"], ["arithmetic"], treatments=["none", "winsorise"])
    assert one_side.draws == 10 and _sample(one_side, u, 0.0)[0].tolist() == [1, 1, 0]


def test_imputation_varies_in_a_pipeline_without_a_treat_step():
    d = definition(pipeline=[s for s in MINI["pipeline"] if s["step"] != "treat"])
    p, imps = _wide_panel(), ["group_mean", "previous_year", "none"]
    params, scores = run_frames(d, p, 2015, runs=30, seed=2, imputations=imps, normalisations=["minmax", "zscore"])
    ref, drawn = _reference_ranks(
        d, p, 2015, 30, 2, 0.2, ["minmax", "zscore"], ["arithmetic", "geometric"], imps, ["none"]
    )
    assert list(params.columns[:4]) == ["run", "impute", "normalise", "aggregate"]
    assert params["impute"].tolist() == [c[0] for c in drawn] and len(set(params["impute"])) == 3
    assert scores.pivot(index="region", columns="run", values="rank").loc[p.regions].to_numpy().tolist() == ref.tolist()
    bare = definition(pipeline=[s for s in MINI["pipeline"] if s["step"] not in ("impute", "treat")])
    assert list(run_frames(bare, p, 2015, runs=3)[0].columns[:3]) == ["run", "normalise", "aggregate"]
