"""The index steps at their edges, by hand: parameter bounds at their limits, imputation by
group with several groups and years, the regression fallback, the JRC skewness/kurtosis rule
that decides which indicators are treated, normalisation of constant and tiny-spread
indicators, weights per group, and aggregation with a missing child."""

import copy
import math
import pickle

import numpy as np
import pytest

from ronghe.core.errors import ParameterError
from ronghe.core.index.checks import kurtosis, skewness
from ronghe.core.index.steps import (
    Aggregate,
    Impute,
    Normalise,
    Treat,
    Weight,
    combine,
    entropy_weights,
    impute,
    normalise,
    pca_weights,
    to_mean_space,
    treat,
)

NAN = np.nan


# --------------------------------------------------------------------------- parameters
@pytest.mark.parametrize(("cls", "params"), [
    (Treat, {"lower": 0}), (Treat, {"lower": 0.5}), (Treat, {"upper": 0, "lower": 0.5}),
    (Aggregate, {"floor": 1e-9}), (Aggregate, {"floor": 100}), (Aggregate, {"floor": 3}),
    (Normalise, {"base_year": 0}), (Normalise, {"base_year": 12}), (Treat, {"only_skewed": True}),
])
def test_it_accepts_parameters_at_their_limits(cls, params):
    assert cls(**params).params.items() >= params.items()


@pytest.mark.parametrize(("cls", "params", "message"), [
    (Treat, {"lower": 0.5000001}, "Treat: lower must be a number in [0, 0.5], got 0.5000001"),
    (Treat, {"upper": -0.01}, "Treat: upper must be a number in [0, 0.5], got -0.01"),
    (Treat, {"lower": True}, "Treat: lower must be a number in [0, 0.5], got True"),
    (Treat, {"lower": "0.1"}, "Treat: lower must be a number in [0, 0.5], got '0.1'"),
    (Treat, {"only_skewed": 1}, "Treat: only_skewed must be true or false, got 1"),
    (Aggregate, {"floor": 0}, "Aggregate: floor must be a number in [1e-09, 100], got 0"),
    (Aggregate, {"floor": 100.5}, "Aggregate: floor must be a number in [1e-09, 100], got 100.5"),
    (Normalise, {"base_year": -1}, "Normalise: base_year must be a year index ≥ 0, got -1"),
    (Normalise, {"method": "sigmoid"},
     "Normalise: method must be one of minmax, zscore, ratio, target, rank, percentile, got 'sigmoid'"),
    (Impute, {"colour": 1, "bogus": 2}, "Impute has no parameter 'bogus'"),
])
def test_it_rejects_parameters_past_their_limits_saying_why(cls, params, message):
    with pytest.raises(ParameterError) as exc:
        cls(**params)
    assert str(exc.value) == message


def test_it_fills_defaults_and_reads_parameters_as_attributes():
    t = Treat(lower=0.1)
    assert t.params == {"method": "winsorise", "lower": 0.1, "upper": 0.05, "only_skewed": False}
    assert (t.method, t.lower) == ("winsorise", 0.1)
    with pytest.raises(AttributeError, match=r"^colour$"):
        _ = t.colour


def test_a_step_survives_copy_and_pickle():
    step = Normalise(method="zscore", base_year=1)
    for clone in (copy.deepcopy(step), pickle.loads(pickle.dumps(step))):
        assert clone.params == {"method": "zscore", "base_year": 1}


def test_it_names_the_step_that_was_not_fitted():
    with pytest.raises(RuntimeError) as exc:
        Normalise().transform(np.ones((1, 2, 1)))
    assert str(exc.value) == "Normalise is not fitted: call fit(X) first"
    with pytest.raises(RuntimeError) as exc:
        Aggregate().combine(np.ones(2), np.ones(2))
    assert str(exc.value) == "Aggregate is not fitted: call fit(X) first"


def test_it_takes_a_year_or_a_panel_and_refuses_other_shapes():
    two_d = Normalise().fit_transform([[1.0], [3.0]])  # one year: (regions, indicators)
    assert two_d.shape == (1, 2, 1) and two_d[0, :, 0].tolist() == [0, 100]
    with pytest.raises(ValueError) as exc:
        Normalise().fit(np.ones((2, 2, 2, 2)))
    assert str(exc.value) == "expected a (years, regions, indicators) panel, got shape (2, 2, 2, 2)"
    # nested lists with None for a missing value are a panel too
    assert impute([[[1.0]], [[None]]]).tolist() == [[[1.0]], [[1.0]]]


# --------------------------------------------------------------------------- imputation
def test_it_imputes_the_mean_of_the_regions_group_per_year_and_indicator():
    # 2 years × 5 regions × 2 indicators; groups e, e, w, w, w
    X = np.array([
        [[1.0, 10.0], [NAN, 30.0], [5.0, NAN], [7.0, 60.0], [NAN, 90.0]],
        [[2.0, NAN], [4.0, 20.0], [NAN, NAN], [8.0, 40.0], [10.0, 80.0]],
    ])
    groups = np.array(["e", "e", "w", "w", "w"])
    Y = impute(X, "group_mean", groups=groups)
    assert Y[0].tolist() == [[1, 10], [1, 30], [5, 75], [7, 60], [6, 90]]
    assert Y[1].tolist() == [[2, 20], [4, 20], [9, 60], [8, 40], [10, 80]]


def test_a_group_with_no_value_stays_missing_and_no_group_means_one_group():
    X = np.array([[[NAN, 1.0], [NAN, 5.0], [3.0, NAN]]])
    Y = impute(X, "group_mean", groups=np.array(["a", "a", "b"]))
    np.testing.assert_array_equal(Y[0], [[NAN, 1], [NAN, 5], [3, NAN]])  # a: no value of the first; b: of the second
    Z = impute(X, "group_mean")  # every region in one group: the year's mean of the indicator
    assert Z[0].tolist() == [[3, 1], [3, 5], [3, 3]]


def test_it_carries_the_last_observed_value_forward_per_region_and_indicator():
    X = np.array([[[1.0, NAN]], [[NAN, 2.0]], [[3.0, NAN]], [[NAN, NAN]]])
    np.testing.assert_array_equal(impute(X)[:, 0, :], [[1, NAN], [1, 2], [3, 2], [3, 2]])


def test_regression_imputes_from_the_indicators_present_in_the_missing_rows():
    # five complete rows with z = 2x + y + 1 exactly; row 6 lacks z, row 7 lacks y and z
    X = np.array([[[1.0, 0.0, 3.0], [2.0, 1.0, 6.0], [3.0, 0.0, 7.0], [4.0, 2.0, 11.0], [5.0, 1.0, 12.0],
                   [6.0, 3.0, NAN], [7.0, NAN, NAN]]])
    Y = impute(X, "regression")[0]
    # y first, from x alone (z is missing in that row too): least squares y = 0.3x − 0.1 → 2.0
    assert Y[6, 1] == pytest.approx(2.0)
    # then z from x and y (row 7 uses its imputed y): 2·6 + 3 + 1 and 2·7 + 2 + 1
    assert Y[5:, 2].tolist() == pytest.approx([16.0, 17.0])


def test_regression_falls_back_to_the_mean_without_enough_complete_rows():
    # one predictor needs more than 2 complete rows; with exactly 2 the line would fit them exactly
    X = np.array([[[1.0, 10.0], [2.0, 30.0], [3.0, NAN], [NAN, 50.0]]])
    Y = impute(X, "regression")[0]
    assert Y[2, 1] == pytest.approx(30.0)  # mean of 10, 30, 50 — not the line through (1, 10), (2, 30)
    assert Y[3, 0] == pytest.approx(2.0)  # mean of 1, 2, 3
    X3 = np.array([[[1.0, 10.0], [2.0, 30.0], [4.0, 70.0], [3.0, NAN]]])
    assert impute(X3, "regression")[0, 3, 1] == pytest.approx(50.0)  # 3 complete rows: y = 20x − 10


def test_regression_uses_the_column_mean_when_no_other_indicator_is_present():
    X = np.array([[[1.0, 10.0], [2.0, 30.0], [3.0, 50.0], [NAN, NAN], [6.0, NAN]]])
    Y = impute(X, "regression")[0]
    # x of row 4 has no predictor in that row: the mean of every x (3), not of the complete rows (2)
    assert Y[3, 0] == pytest.approx(3.0)
    # y then regresses on x over the three complete rows: y = 20x − 10
    assert Y[3:, 1].tolist() == pytest.approx([50.0, 110.0])


# --------------------------------------------------------------------------- outlier treatment
def _jrc_columns():
    """30 regions, four indicators: which does the JRC rule (|skew| > 2 and kurtosis > 3.5) pick?"""
    n = 30
    skewed_flat = [1.0] * 4 + [0.0] * 26  # skew 2.27 but kurtosis 3.39: not treated
    skewed_peaked = [0.0] * 24 + [1.0] * 5 + [2.0]  # skew 2.15, kurtosis 4.25: treated
    symmetric_peaked = [-10.0, 10.0] + [0.0] * 28  # skew 0, kurtosis 26: not treated
    X = np.column_stack([skewed_flat, skewed_peaked, symmetric_peaked, [-v for v in skewed_peaked]])
    assert X.shape == (n, 4)
    return X


def test_the_jrc_rule_needs_both_skewness_above_2_and_kurtosis_above_3_5():
    X = _jrc_columns()
    sk, ku = skewness(X), kurtosis(X)
    assert sk[:2] == pytest.approx([2.2725, 2.1534], abs=1e-4) and ku[:2] == pytest.approx([3.3860, 4.2488], abs=1e-4)
    assert sk[3] == pytest.approx(-sk[1]) and sk[2] == 0 and ku[2] > 3.5
    t = Treat(method="winsorise", only_skewed=True).fit(X[None])
    assert t.apply_.tolist() == [False, True, False, True]
    Y = t.transform(X[None])[0]
    assert Y[:, 0].tolist() == X[:, 0].tolist() and Y[:, 2].tolist() == X[:, 2].tolist()
    assert Y[:, 1].max() == 1 and Y[:, 3].min() == -1  # the 2 (and −2) clipped to the 95 % (5 %) quantile
    everything = Treat(method="winsorise").fit(X[None])
    assert everything.apply_.tolist() == [True] * 4
    assert everything.transform(X[None])[0, :, 2].tolist() == [0.0] * 30  # ±10 clipped to the quantiles, 0


def test_it_winsorises_each_indicator_at_both_ends():
    X = np.array([[[float(v), 10.0 * v] for v in [-50, 2, 3, 4, 5, 6, 7, 8, 9, 100]]])
    Y = treat(X, lower=0.1, upper=0.1)[0]
    lo, hi = np.quantile(X[0, :, 0], [0.1, 0.9])
    assert Y[:, 0].tolist() == np.clip(X[0, :, 0], lo, hi).tolist()
    assert Y[:, 1].tolist() == pytest.approx((10 * np.clip(X[0, :, 0], lo, hi)).tolist())
    assert (Y[0, 0], Y[-1, 0]) == (pytest.approx(-3.2), pytest.approx(18.1))


def test_it_logs_each_indicator_from_its_own_minimum():
    X = np.array([[[1.0, -5.0], [3.0, 5.0], [9.0, -4.0]], [[0.0, 0.0], [2.0, 1.0], [4.0, 2.0]]])
    Y = Treat(method="log").fit_transform(X)
    # minimum over every year: 0 for the first indicator, −5 for the second; ln(x − min + 1)
    assert Y[0, :, 0].tolist() == pytest.approx(np.log([2.0, 4.0, 10.0]).tolist())
    assert Y[1, :, 1].tolist() == pytest.approx(np.log([6.0, 7.0, 8.0]).tolist())
    assert Treat(method="none").fit_transform(X).tolist() == X.tolist()
    np.testing.assert_array_equal(treat(X, "log"), Y)  # the function twin passes its method on


# --------------------------------------------------------------------------- normalisation
def test_a_constant_base_year_gives_no_minmax_or_zscore():
    X = np.array([[[5.0], [5.0]], [[5.0], [7.0]]])
    for method in ("minmax", "zscore"):
        assert np.isnan(normalise(X, method)).all()


def test_z_scores_keep_a_small_spread():
    X = np.array([[[0.1], [0.2], [0.3]]])
    assert normalise(X, "zscore")[0, :, 0].tolist() == pytest.approx([40, 50, 60])


def test_the_base_year_is_clamped_to_the_last_year_of_the_panel():
    X = np.array([[[0.0], [10.0]], [[10.0], [30.0]], [[20.0], [60.0]]])  # three years, two regions
    late = Normalise(method="minmax", base_year=7).fit_transform(X)
    assert late[:, :, 0].tolist() == [[-50, -25], [-25, 25], [0, 100]]
    assert normalise(X, "minmax", base_year=1)[0, :, 0].tolist() == [-50, 0]
    assert normalise(X)[2, :, 0].tolist() == [200, 600]  # minmax on the first year by default


def test_distance_to_target_is_floored_at_0_for_values_below_the_base_years_worst():
    X = np.array([[[10.0], [20.0]], [[5.0], [40.0]]])
    assert normalise(X, "target", target=np.array([30.0]))[1, :, 0].tolist() == [0, 100]


def test_it_names_the_missing_reference_or_target():
    with pytest.raises(ParameterError) as exc:
        normalise(np.ones((1, 2, 1)), "ratio")
    assert str(exc.value) == "ratio normalisation needs a reference value for every indicator"
    with pytest.raises(ParameterError) as exc:
        normalise(np.ones((1, 2, 1)), "target")
    assert str(exc.value) == "target normalisation needs a target for every indicator"


def test_ranks_without_ties_and_for_one_or_two_regions():
    X = np.array([[[3.0, 1.0, 7.0], [1.0, NAN, 5.0], [2.0, NAN, NAN]]])
    R = normalise(X, "rank")[0]
    assert R[:, 0].tolist() == [100, 0, 50]
    assert R[0, 1] == 50 and np.isnan(R[1:, 1]).all()  # a single value sits in the middle
    assert R[:2, 2].tolist() == [100, 0] and np.isnan(R[2, 2])


# --------------------------------------------------------------------------- weights
def test_weights_are_learned_per_group_and_sum_to_1_within_each():
    rng = np.random.default_rng(5)
    X = rng.uniform(0, 100, (2, 20, 5))
    X[:, :, 1] = X[:, :, 0] * 0.9 + rng.normal(0, 3, (2, 20))
    groups = [np.array([0, 1, 2]), np.array([3, 4])]
    given = np.array([0.2, 0.3, 0.5, 0.6, 0.4])
    assert Weight(method="given").fit(X, groups=groups, given=given).weights_.tolist() == pytest.approx(given.tolist())
    assert Weight(method="equal").fit(X, groups=groups).weights_.tolist() == pytest.approx([1 / 3] * 3 + [0.5] * 2)
    assert Weight(method="equal").fit(X).weights_.tolist() == pytest.approx([0.2] * 5)  # one group by default
    for method, fn in (("pca", pca_weights), ("entropy", entropy_weights)):
        w = Weight(method=method).fit(X, groups=groups).weights_
        for g in groups:
            raw = fn(X[0][:, g])  # learned on the first year
            assert w[g].tolist() == pytest.approx((raw / raw.sum()).tolist())


def test_fit_transform_passes_the_context_to_fit():
    X = np.ones((1, 3, 2))
    w = Weight(method="given")
    assert w.fit_transform(X, given=np.array([0.25, 0.75])).tolist() == X.tolist()
    assert w.weights_.tolist() == [0.25, 0.75]
    with pytest.raises(ParameterError) as exc:
        Weight(method="given").fit(X)
    assert str(exc.value) == "given weights need the definition's weights"


def test_constant_indicators_share_their_groups_weight_equally():
    X = np.full((1, 6, 3), 7.0)
    assert Weight(method="entropy").fit(X).weights_.tolist() == pytest.approx([1 / 3] * 3)
    assert entropy_weights(X[0]).tolist() == [0, 0, 0]


def test_pca_weights_are_squared_loadings_and_need_three_complete_rows():
    Z = np.array([[1.0, 2.0, 5.0], [2.0, 1.0, 5.0], [3.0, 4.0, 5.0], [4.0, 3.0, 5.0]])
    w = pca_weights(Z)  # a constant column carries no loading
    assert w.tolist() == pytest.approx([0.5, 0.5, 0.0])
    assert pca_weights(Z[:2]).tolist() == [1, 1, 1]
    assert pca_weights(Z[:3, :2]).tolist() == pytest.approx([0.5, 0.5])
    assert pca_weights(Z[:, :1]).tolist() == [1]
    # unequal spreads: correlations, not covariances, decide the loadings
    S = np.column_stack([Z[:, 0] * 0.01, Z[:, 1] * 100, [1.0, 2.0, 2.0, 4.0]])
    assert pca_weights(S).tolist() == pytest.approx(pca_weights(np.column_stack([Z[:, :2], S[:, 2]])).tolist())


def test_entropy_weights_by_hand_for_two_regions():
    Z = np.array([[0.0, 5.0], [10.0, 5.0]])  # the first indicator splits 0 / 10, the second is constant
    e = entropy_weights(Z)
    p = np.array([1e-9, 10 + 1e-9]) / (10 + 2e-9)
    assert e.tolist() == pytest.approx([1 + (p * np.log(p)).sum() / np.log(2), 0.0])
    assert entropy_weights(Z[:1]).tolist() == [1, 1]


# --------------------------------------------------------------------------- aggregation
def test_geometric_and_harmonic_means_re_weight_over_the_children_present():
    x, w = np.array([50.0, NAN, 80.0]), np.array([0.25, 0.25, 0.5])
    assert combine(x, w, "geometric") == pytest.approx(50 ** (1 / 3) * 80 ** (2 / 3))
    assert combine(x, w, "harmonic") == pytest.approx(0.75 / (0.25 / 50 + 0.5 / 80))
    assert combine(x, w) == pytest.approx((12.5 + 40) / 0.75)
    assert np.isnan(combine(np.array([NAN, NAN]), np.array([0.5, 0.5]), "geometric"))


def test_values_below_the_floor_are_raised_to_it_before_a_geometric_mean():
    x, w = np.array([0.5, 0.0, 8.0]), np.array([0.25, 0.25, 0.5])
    assert combine(x, w, "geometric", floor=0.1) == pytest.approx(0.5**0.25 * 0.1**0.25 * 8**0.5)
    assert combine(x, w, "geometric", floor=2.0) == pytest.approx(2**0.5 * 8**0.5)
    assert combine(x, w, "harmonic", floor=2.0) == pytest.approx(1 / (0.25 / 2 + 0.25 / 2 + 0.5 / 8))
    agg = Aggregate(method="geometric", floor=2.0).fit(np.ones((1, 1, 1)))
    assert agg.combine(x, w) == pytest.approx(4.0)
    assert to_mean_space(x, ~np.isnan(x), "geometric", 0.1).tolist() == pytest.approx(np.log([0.5, 0.1, 8]).tolist())
    assert to_mean_space(x, np.array([True, False, True]), "harmonic").tolist() == [2, 0, 0.125]  # the 0 is absent


@pytest.mark.parametrize("method", ["geometric", "harmonic"])
@pytest.mark.parametrize("x", [[0.5, 0.0, 8.0], [0.5, -3.0, 8.0]])
def test_without_a_floor_a_value_at_or_below_zero_is_refused_for_a_geometric_or_harmonic_mean(method, x):
    x, w = np.array(x), np.array([0.25, 0.25, 0.5])
    with pytest.raises(ParameterError) as exc:
        combine(x, w, method)
    assert str(exc.value).startswith(f"{method} aggregation needs positive values, but 1 value(s) are ≤ 0")
    with pytest.raises(ParameterError):
        Aggregate(method=method).fit(np.ones((1, 1, 1))).combine(x, w)
    assert combine(np.array([0.5, np.nan, 8.0]), w, method) == pytest.approx(
        combine(np.array([0.5, 8.0]), np.array([0.25, 0.5]), method))  # a missing value is no zero
    assert combine(x, w, "arithmetic") == pytest.approx(float(x @ w))
    assert Aggregate().floor is None


def test_aggregation_combines_along_the_last_axis_of_any_shape():
    children = np.array([[[10.0, 20.0], [NAN, 40.0]], [[1.0, 100.0], [5.0, NAN]]])
    w = np.array([0.5, 0.5])
    np.testing.assert_allclose(combine(children, w, "geometric"), [[math.sqrt(200), 40], [10, 5]], rtol=1e-12)
