"""Each method against a hand-computed case and against a straightforward independent
implementation (plain Python loops, no shared code with ronghe.core.index)."""

import math

import numpy as np
import pytest

from ronghe.core.index.steps import (
    Impute,
    Normalise,
    Treat,
    Weight,
    combine,
    entropy_weights,
    impute,
    normalise,
    pca_weights,
)

# one year, four regions, two indicators (the second: lower is better)
X = np.array([[[10.0, 4.0], [20.0, 2.0], [30.0, 1.0], [40.0, 3.0]]])
HIGHER = np.array([True, False])


def test_it_min_max_normalises_by_hand():
    Z = normalise(X, "minmax", higher=HIGHER)
    assert Z[0, :, 0].tolist() == [0, pytest.approx(100 / 3), pytest.approx(200 / 3), 100]
    assert Z[0, :, 1].tolist() == [0, pytest.approx(200 / 3), 100, pytest.approx(100 / 3)]  # 4 worst, 1 best


def test_it_z_scores_around_50_with_sd_10():
    Z = normalise(X, "zscore", higher=HIGHER)
    sd = np.std([10, 20, 30, 40], ddof=1)  # 12.91
    assert Z[0, 0, 0] == pytest.approx(50 + 10 * (10 - 25) / sd)
    assert Z[0, 2, 1] == pytest.approx(50 - 10 * (1 - 2.5) / np.std([4, 2, 1, 3], ddof=1))


def test_it_scores_ratio_to_reference_uncapped_the_ccid_way():
    Z = normalise(X, "ratio", higher=HIGHER, reference=np.array([25.0, 2.0]))
    assert Z[0, :, 0].tolist() == pytest.approx([40, 80, 120, 160])  # above the reference stays above 100
    assert Z[0, :, 1].tolist() == pytest.approx([50, 100, 200, 200 / 3])  # reference / value for lower-better


def test_it_scores_distance_to_target_capped_at_100():
    Z = normalise(X, "target", higher=HIGHER, target=np.array([30.0, 1.0]))
    assert Z[0, :, 0].tolist() == pytest.approx([0, 50, 100, 100])
    assert Z[0, :, 1].tolist() == pytest.approx([0, 200 / 3, 100, 100 / 3])


def test_it_scores_ranks_and_percentiles_with_ties():
    T = np.array([[[1.0], [2.0], [2.0], [5.0]]])
    assert normalise(T, "rank")[0, :, 0].tolist() == pytest.approx([0, 50, 50, 100])  # ranks 1, 2.5, 2.5, 4
    assert normalise(T, "percentile")[0, :, 0].tolist() == pytest.approx([12.5, 50, 50, 87.5])


def test_it_keeps_years_comparable_with_a_base_year():
    two_years = np.array([[[10.0], [20.0]], [[20.0], [30.0]]])
    Z = normalise(two_years, "minmax", base_year=0)
    assert Z[1, :, 0].tolist() == [100, 200]  # scaled by 2014's min/max, so growth shows


def test_it_imputes_by_previous_year_group_mean_and_regression():
    P = np.array([[[1.0], [2.0]], [[np.nan], [3.0]], [[np.nan], [np.nan]]])
    assert impute(P, "previous_year")[:, :, 0].tolist() == [[1, 2], [1, 3], [1, 3]]
    G = np.array([[[1.0], [3.0], [np.nan], [10.0]]])
    filled = impute(G, "group_mean", groups=np.array(["e", "e", "e", "w"]))
    assert filled[0, 2, 0] == 2.0
    Y = np.array([[[1.0, 2.0], [2.0, 4.0], [3.0, 6.0], [4.0, np.nan]]])
    assert impute(Y, "regression")[0, 3, 1] == pytest.approx(8.0)  # exact linear relation y = 2x
    assert math.isnan(Impute(method="none").fit_transform(Y)[0, 3, 1])


def test_it_winsorises_and_logs():
    V = np.array([[[v] for v in [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 100]]])
    w = Treat(method="winsorise", lower=0.1, upper=0.1).fit_transform(V)[0, :, 0]
    assert w.max() == pytest.approx(np.quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 0.9))
    lg = Treat(method="log").fit_transform(V)[0, :, 0]
    assert lg[0] == pytest.approx(math.log(1)) and lg[-1] == pytest.approx(math.log(100))
    untouched = Treat(method="log", only_skewed=True).fit_transform(np.array([[[1.0], [2.0], [3.0], [4.0]]]))
    assert untouched[0, :, 0].tolist() == [1, 2, 3, 4]  # not skewed: left alone


def test_it_aggregates_arithmetic_geometric_harmonic_by_hand():
    x, w = np.array([50.0, 80.0]), np.array([0.25, 0.75])
    assert combine(x, w, "arithmetic") == pytest.approx(0.25 * 50 + 0.75 * 80)
    assert combine(x, w, "geometric") == pytest.approx(50**0.25 * 80**0.75)
    assert combine(x, w, "harmonic") == pytest.approx(1 / (0.25 / 50 + 0.75 / 80))
    assert combine(np.array([50.0, np.nan]), w, "arithmetic") == 50  # weight re-normalised over present


def test_it_reproduces_the_published_2014_national_index():
    # CCID 2014: 基础环境 71.71, 工业应用 59.70, 应用效益 73.43 → 总指数 66.14 (standards.md §3.2)
    total = combine(np.array([71.71, 59.70, 73.43]), np.array([0.25, 0.5, 0.25]))
    assert float(total) == pytest.approx(66.135) and round(float(total), 2) == 66.14


def _loop_entropy(Z):
    n, k = len(Z), len(Z[0])
    e = []
    for j in range(k):
        col = [Z[i][j] - min(r[j] for r in Z) + 1e-9 for i in range(n)]
        s = sum(col)
        e.append(-sum(c / s * math.log(c / s) for c in col) / math.log(n))
    d = [1 - v for v in e]
    return [v / sum(d) for v in d]


def _loop_pca(Z):
    Z = np.asarray(Z)
    S = (Z - Z.mean(0)) / Z.std(0, ddof=1)
    vals, vecs = np.linalg.eig(np.corrcoef(S, rowvar=False))
    v = vecs[:, np.argmax(vals.real)].real
    return (v**2 / (v**2).sum()).tolist()


def test_it_derives_entropy_and_pca_weights_like_independent_code():
    rng = np.random.default_rng(3)
    Z = rng.uniform(0, 100, (40, 4))
    Z[:, 1] = Z[:, 0] * 0.8 + rng.normal(0, 5, 40)
    e = entropy_weights(Z)
    assert (e / e.sum()).tolist() == pytest.approx(_loop_entropy(Z.tolist()))
    p = pca_weights(Z)
    assert (p / p.sum()).tolist() == pytest.approx(_loop_pca(Z), abs=1e-9)
    w = Weight(method="entropy").fit(Z[None], groups=[np.arange(4)]).weights_
    assert w.sum() == pytest.approx(1)


def _loop_minmax(col):
    lo, hi = min(col), max(col)
    return [(v - lo) / (hi - lo) * 100 for v in col]


def _loop_percentile(col):
    return [(sum(u < v for u in col) + 0.5 * sum(u == v for u in col)) / len(col) * 100 for v in col]


@pytest.mark.parametrize("seed", range(5))
def test_it_normalises_like_independent_loops(seed):
    rng = np.random.default_rng(seed)
    data = np.round(rng.uniform(0, 50, (1, 25, 3)), 0)  # rounded: ties happen
    for k in range(3):
        col = data[0, :, k].tolist()
        assert normalise(data, "minmax")[0, :, k].tolist() == pytest.approx(_loop_minmax(col))
        assert normalise(data, "percentile")[0, :, k].tolist() == pytest.approx(_loop_percentile(col))


def test_it_refuses_to_run_before_fit_and_rejects_bad_methods():
    from ronghe.core.errors import ParameterError

    with pytest.raises(RuntimeError, match="not fitted"):
        Normalise().transform(X)
    with pytest.raises(ParameterError, match="method must be one of"):
        Normalise(method="sigmoid")


def test_it_matches_the_worked_examples_of_docs_index_method():
    x, w = np.array([50.0, 80.0]), np.array([0.25, 0.75])
    assert [round(float(combine(x, w, m)), 1) for m in ("arithmetic", "geometric", "harmonic")] == [72.5, 71.1, 69.6]
    z = normalise(np.array([[[10.0], [20.0], [30.0], [40.0]]]), "zscore")[0, :, 0]
    assert (round(z[0], 1), round(z[-1], 1)) == (38.4, 61.6)
