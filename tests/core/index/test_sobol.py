"""Sobol indices against functions whose indices are known in closed form.

The estimators (Saltelli 2010 for S1, Jansen 1999 for ST) run on Saltelli's A / B / AB_g
samples exactly as the index's sensitivity analysis runs them; each analytical value must lie
inside the estimator's 99 % bootstrap interval, and that interval must be narrow enough to
tell a wrong estimator from a right one.
"""

import math

import numpy as np
import pytest

from ronghe.core.index.sensitivity import saltelli_samples, sobol_indices

PI = math.pi


def ishigami(u, a=7.0, b=0.1):
    x = -PI + 2 * PI * u
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a=7.0, b=0.1):
    """(S1, ST) of x1, x2, x3 (Ishigami & Homma 1990; Sobol' & Levitan 1999)."""
    v1 = 0.5 * (1 + b * PI**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = 8 * b**2 * PI**8 / 225
    v = v1 + v2 + v13
    assert v == pytest.approx(a**2 / 8 + b * PI**4 / 5 + b**2 * PI**8 / 18 + 0.5)
    return np.array([v1, v2, 0]) / v, np.array([v1 + v13, v2, v13]) / v, v


G_A = np.array([0.0, 1.0, 4.5, 9.0, 99.0, 99.0])


def g_function(u):
    return np.prod((np.abs(4 * u - 2) + G_A) / (1 + G_A), axis=1)


def g_indices():
    """(S1, ST, V) of Sobol's G-function: V_i = 1 / (3 (1 + a_i)²), V = Π (1 + V_i) − 1."""
    vi = 1 / (3 * (1 + G_A) ** 2)
    v = np.prod(1 + vi) - 1
    st = np.array([vi[i] * np.prod(np.delete(1 + vi, i)) for i in range(len(vi))]) / v
    return vi / v, st, v


def _run(model, n, groups, seed=7):
    u = saltelli_samples(n, groups, np.random.default_rng(seed))
    f = np.atleast_2d(model(u))
    return f, sobol_indices(f, n, [f"g{k}" for k in range(len(groups))])


def _bootstrap(f, n, groups, reps=300, seed=1):
    """99 % percentile intervals of S1 and ST from resampling the n base rows of every block."""
    rng = np.random.default_rng(seed)
    G = len(groups)
    names = [f"g{k}" for k in range(G)]
    s1, st = [], []
    for _ in range(reps):
        rows = rng.integers(0, n, n)
        cols = np.concatenate([rows + b * n for b in range(G + 2)])
        r = sobol_indices(f[:, cols], n, names)
        s1.append(r["S1"].to_numpy())
        st.append(r["ST"].to_numpy())
    return np.percentile(s1, [0.5, 99.5], axis=0), np.percentile(st, [0.5, 99.5], axis=0)


def _assert_within(estimate, interval, truth, width):
    lo, hi = interval
    assert np.all(lo <= truth) and np.all(truth <= hi), (truth, lo, hi)
    assert np.all(hi - lo < width), hi - lo
    assert estimate == pytest.approx(truth, abs=width)


def test_it_estimates_the_ishigami_indices():
    groups = [np.array([0]), np.array([1]), np.array([2])]
    n = 8192
    f, r = _run(ishigami, n, groups)
    s1, st, _ = ishigami_indices()
    ci1, cit = _bootstrap(f, n, groups)
    _assert_within(r["S1"].to_numpy(), ci1, s1, 0.1)
    _assert_within(r["ST"].to_numpy(), cit, st, 0.1)
    assert r["input"].tolist() == ["g0", "g1", "g2"]


def test_it_estimates_the_g_function_indices():
    groups = [np.array([k]) for k in range(6)]
    n = 32768  # the G-function's first-order estimator is noisier than Ishigami's
    f, r = _run(g_function, n, groups)
    s1, st, v = g_indices()
    assert v < 1  # a small total variance must still give indices, not zeros
    ci1, cit = _bootstrap(f, n, groups)
    _assert_within(r["S1"].to_numpy(), ci1, s1, 0.1)
    _assert_within(r["ST"].to_numpy(), cit, st, 0.1)


def test_grouped_inputs_have_the_indices_of_their_union():
    # Ishigami with x1 and x3 as one group: S1 = (V1 + V13) / V, ST = 1 − V2 / V
    groups = [np.array([0, 2]), np.array([1])]
    n = 8192
    f, r = _run(ishigami, n, groups)
    s1, st, _ = ishigami_indices()
    truth_s1 = np.array([st[0], s1[1]])
    truth_st = np.array([1 - s1[1], st[1]])
    ci1, cit = _bootstrap(f, n, groups)
    _assert_within(r["S1"].to_numpy(), ci1, truth_s1, 0.1)
    _assert_within(r["ST"].to_numpy(), cit, truth_st, 0.1)


def test_several_outputs_are_aggregated_by_variance():
    # outputs Ishigami(x1, x2, x3) and 3·G(x1, x2, x3, …): each index is Σ V_o S_o / Σ V_o
    groups = [np.array([0]), np.array([1]), np.array([2])]
    n = 8192

    def both(u):
        padded = np.column_stack([u, np.full((len(u), 3), 0.5)])  # G's last three inputs fixed mid-range
        return np.vstack([ishigami(u), 3 * g_function(padded)])

    f, r = _run(both, n, groups)
    s1_i, st_i, v_i = ishigami_indices()
    vi = 1 / (3 * (1 + G_A[:3]) ** 2)
    g_var = np.prod(1 + vi) - 1  # the fixed inputs scale G by (|4·0.5 − 2| + a)/(1 + a) = a/(1 + a)
    scale = 3 * np.prod(G_A[3:] / (1 + G_A[3:]))
    v_g = scale**2 * g_var
    s1_g = scale**2 * vi / v_g
    st_g = scale**2 * np.array([vi[i] * np.prod(np.delete(1 + vi, i)) for i in range(3)]) / v_g
    truth_s1 = (v_i * s1_i + v_g * s1_g) / (v_i + v_g)
    truth_st = (v_i * st_i + v_g * st_g) / (v_i + v_g)
    ci1, cit = _bootstrap(f, n, groups)
    _assert_within(r["S1"].to_numpy(), ci1, truth_s1, 0.1)
    _assert_within(r["ST"].to_numpy(), cit, truth_st, 0.1)


def test_a_constant_output_has_no_sensitivity():
    groups = [np.array([0]), np.array([1])]
    _, r = _run(lambda u: np.full(len(u), 3.0), 64, groups)
    assert r[["S1", "ST"]].to_numpy().tolist() == [[0, 0], [0, 0]]


def test_the_saltelli_samples_hold_a_b_and_each_ab_matrix():
    groups = [np.array([0, 3]), np.array([1]), np.array([2])]
    u = saltelli_samples(5, groups, np.random.default_rng(0))
    assert u.shape == (5 * 5, 4)
    assert ((u >= 0) & (u < 1)).all()
    A, B = u[:5], u[5:10]
    assert not np.isin(A, B).any()
    for g, cols in enumerate(groups):
        AB = u[(2 + g) * 5 : (3 + g) * 5]
        others = np.setdiff1d(np.arange(4), cols)
        assert np.array_equal(AB[:, cols], B[:, cols]) and np.array_equal(AB[:, others], A[:, others])
    again = saltelli_samples(5, groups, np.random.default_rng(0))
    assert np.array_equal(u, again)
    rng = np.random.default_rng(0)
    assert np.array_equal(A, rng.random((5, 4))) and np.array_equal(B, rng.random((5, 4)))


@pytest.mark.parametrize("model,groups,n", [
    (ishigami, [np.array([0]), np.array([1]), np.array([2])], 2048),
    (lambda u: np.vstack([ishigami(u), 5 * g_function(np.column_stack([u, np.full((len(u), 3), 0.5)]))]),
     [np.array([0, 2]), np.array([1])], 1024),
])
def test_the_bootstrap_intervals_equal_the_resampling_loop_and_hold_the_analytical_values(model, groups, n):
    f, _ = _run(model, n, groups)
    names = [f"g{k}" for k in range(len(groups))]
    r = sobol_indices(f, n, names, bootstrap=300, rng=np.random.default_rng(1), level=0.99, block=1)
    assert list(r.columns) == ["input", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]
    ci1, cit = _bootstrap(f, n, groups)  # the loop: sobol_indices on resampled columns, 300 times
    np.testing.assert_allclose(r[["S1_low", "S1_high"]].to_numpy().T, ci1, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(r[["ST_low", "ST_high"]].to_numpy().T, cit, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(r[["S1", "ST"]], sobol_indices(f, n, names)[["S1", "ST"]], rtol=1e-12)
    narrower = sobol_indices(f, n, names, bootstrap=300, rng=np.random.default_rng(1), level=0.5)
    assert (narrower["S1_high"] - narrower["S1_low"] < r["S1_high"] - r["S1_low"]).all()
    if len(groups) == 3:
        s1, st, _ = ishigami_indices()
        assert ((r["S1_low"] <= s1) & (s1 <= r["S1_high"])).all() and ((r["ST_low"] <= st) & (st <= r["ST_high"])).all()


def test_outputs_taken_in_blocks_give_the_same_indices():
    groups = [np.array([0]), np.array([1]), np.array([2])]
    f = np.vstack([ishigami(saltelli_samples(256, groups, np.random.default_rng(s))) for s in range(5)])
    whole = sobol_indices(f, 256, ["a", "b", "c"], block=5)
    for block in (1, 2, 4):
        np.testing.assert_allclose(sobol_indices(f, 256, ["a", "b", "c"], block=block)[["S1", "ST"]],
                                   whole[["S1", "ST"]], rtol=1e-12)


def test_a_constant_output_has_no_sensitivity_and_a_zero_interval():
    f = np.full((2, 64 * 4), 3.0)
    r = sobol_indices(f, 64, ["a", "b"], bootstrap=20, rng=np.random.default_rng(0))
    assert r.drop(columns="input").to_numpy().tolist() == [[0.0] * 6] * 2
