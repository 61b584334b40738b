"""Checks written for mutants of ``index/sensitivity.py`` that survived the full run of issue 21.

The Sobol estimator is compared with a plain NumPy implementation of the same estimators
(Saltelli 2010 for S1, Jansen 1999 for ST, percentile bootstrap over whole base samples) written
here from their definitions, sample by sample, rather than through per-sample sums and counts as
the estimator computes them; and on outputs whose variance is below 1 or exactly 0, where the
guards against a zero variance decide the result.
"""

import numpy as np
import pandas as pd
import pytest

from ronghe.core.index.sensitivity import run_frames, sobol_indices
from tests.core.index.build import definition
from tests.core.index.test_sensitivity import _panel


def _plain_sobol(f: np.ndarray, n: int, names: list[str], bootstrap: int, seed: int, level: float) -> pd.DataFrame:
    """S1 and ST with their percentile intervals, from the formulas, one replicate at a time."""
    f = np.atleast_2d(np.asarray(f, dtype=np.float64))
    fA_all, fB_all = f[:, :n], f[:, n : 2 * n]

    def estimate(pick: np.ndarray, g: int) -> tuple[float, float]:
        fA, fB = fA_all[:, pick], fB_all[:, pick]
        fAB = f[:, (2 + g) * n : (3 + g) * n][:, pick]
        v = sum(np.var(np.concatenate([fA[o], fB[o]])) for o in range(f.shape[0]))
        s1 = sum(np.mean(fB[o] * (fAB[o] - fA[o])) for o in range(f.shape[0]))
        st = sum(np.mean((fA[o] - fAB[o]) ** 2) / 2 for o in range(f.shape[0]))
        return (s1 / v, st / v) if v > 0 else (0.0, 0.0)

    rng = np.random.default_rng(seed)
    picks = [rng.integers(0, n, n) for _ in range(bootstrap)]
    tail = 50 * (1 - level)
    rows = []
    for g, name in enumerate(names):
        s1, st = estimate(np.arange(n), g)
        reps = np.array([estimate(pick, g) for pick in picks])
        s1_low, s1_high = np.percentile(reps[:, 0], [tail, 100 - tail])
        st_low, st_high = np.percentile(reps[:, 1], [tail, 100 - tail])
        rows.append(
            {
                "input": name,
                "S1": s1,
                "S1_low": s1_low,
                "S1_high": s1_high,
                "ST": st,
                "ST_low": st_low,
                "ST_high": st_high,
            }
        )
    return pd.DataFrame(rows)


def _assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert got["input"].tolist() == want["input"].tolist()
    for column in ("S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"):
        assert got[column].tolist() == pytest.approx(want[column].tolist(), rel=1e-9, abs=1e-12), column


def test_bootstrap_intervals_of_outputs_with_a_variance_below_1_are_the_plain_estimators():
    # Variances of about 10⁻⁴: a replicate's variance is compared with 0, not with 1, and divides
    # the numerator itself (sobol_indices #151, #160).
    n, names = 24, ["x", "y"]
    f = 0.01 * np.random.default_rng(5).normal(size=(3, n * (len(names) + 2)))
    got = sobol_indices(f, n, names, bootstrap=60, rng=np.random.default_rng(9), level=0.9)
    want = _plain_sobol(f, n, names, 60, 9, 0.9)
    _assert_same(got, want)
    assert (got["ST_high"] > 0.1).all()  # intervals of a real size, not the 0 of a "no variance" guard


def test_every_output_is_counted_when_there_are_more_outputs_than_columns():
    # 30 outputs of 8 columns each, one output per block (sobol_indices #7 counted only 8).
    n, names = 2, ["x", "y"]
    f = np.random.default_rng(2).normal(size=(30, n * (len(names) + 2)))
    got = sobol_indices(f, n, names, bootstrap=20, rng=np.random.default_rng(4), block=1)
    _assert_same(got, _plain_sobol(f, n, names, 20, 4, 0.95))
    pd.testing.assert_frame_equal(got, sobol_indices(f, n, names, bootstrap=20, rng=np.random.default_rng(4)))


def test_outputs_constant_over_a_and_b_give_0_with_0_intervals_whatever_the_ab_rows_hold():
    # Every replicate's variance is exactly 0 (the values are exact in binary), while the AB rows
    # differ from A: the estimates are 0, not the numerators undivided (sobol_indices #150).
    n = 2
    f = np.array([[1.0, 1.0, 1.0, 1.0, 3.0, 5.0], [2.0, 2.0, 2.0, 2.0, 0.0, 4.0]])
    got = sobol_indices(f, n, ["x"], bootstrap=8, rng=np.random.default_rng(1))
    assert got.iloc[0].drop("input").tolist() == [0.0] * 6
    _assert_same(got, _plain_sobol(f, n, ["x"], 8, 1, 0.95))


def test_the_runs_table_defaults_to_the_runs_and_seed_of_the_analysis():
    # uncertainty runs 1000 runs from seed 0 by default; its runs table must be those runs
    # (run_frames #1: 1001 runs, #2: seed 1).
    d, p = definition(), _panel()
    params, scores = run_frames(d, p, 2015)
    assert params["run"].tolist() == list(range(1000))
    assert len(scores) == 1000 * len(p.regions)
    explicit = run_frames(d, p, 2015, runs=1000, seed=0)
    pd.testing.assert_frame_equal(params, explicit[0])
    pd.testing.assert_frame_equal(scores, explicit[1])
