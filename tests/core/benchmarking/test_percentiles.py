import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.core.benchmarking.percentiles import QUANTILES, GroupStats, percentile_ranks, quartile
from tests.core.benchmarking.helpers import plain_rank


def _stats(values):
    arr = np.asarray(values, dtype=float).reshape(-1, 1)
    return GroupStats.of(arr, np.zeros(len(arr), dtype=int), 4)


class _Ranked:
    """A one-metric group whose ranks come from ``percentile_ranks``."""

    def __init__(self, values):
        self.columns = np.asarray(values, dtype=float).reshape(1, -1)
        self.n = (~np.isnan(self.columns)).sum(axis=1)

    def rank(self, x):
        return percentile_ranks(self.columns, np.asarray(x, dtype=float).reshape(-1, 1)).ravel()


def test_it_ranks_the_top_of_ten_distinct_values_at_95_and_the_bottom_at_5():
    st_ = _Ranked(range(10, 110, 10))
    assert st_.rank(np.array([100.0]))[0] == 95.0
    assert st_.rank(np.array([10.0]))[0] == 5.0
    assert st_.rank(np.array([55.0]))[0] == 50.0  # between the 5th and 6th values: five below
    assert st_.rank(np.array([0.0]))[0] == 0.0 and st_.rank(np.array([999.0]))[0] == 100.0


def test_it_counts_ties_as_half_below():
    st_ = _Ranked([50, 50, 50, 50])
    assert st_.rank(np.array([50.0]))[0] == 50.0
    st_ = _Ranked([10, 20, 20, 30])
    assert st_.rank(np.array([20.0]))[0] == pytest.approx(100 * (1 + 1) / 4)


def test_it_leaves_not_applicable_values_out():
    st_ = _Ranked([10, np.nan, 30, np.nan])
    assert st_.n[0] == 2 and st_.rank(np.array([30.0]))[0] == 75.0 and _stats([10, np.nan, 30]).n[0] == 2
    assert np.isnan(st_.rank(np.array([np.nan]))[0])
    empty = _Ranked([np.nan, np.nan])
    assert empty.n[0] == 0 and np.isnan(empty.rank(np.array([50.0]))[0]) and np.isnan(_stats([np.nan]).p90[0])


def test_it_gives_quartile_one_to_the_top_quarter():
    assert quartile(np.array([100, 75, 74.9, 50, 49.9, 25, 24.9, 0, np.nan])).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 0]


def test_it_interpolates_quantiles_like_the_statistics_module_inclusive_method():
    values = [3, 7, 8, 12, 13, 14, 18, 21, 22, 40, 41]
    st_ = _stats(values)
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    quartiles = statistics.quantiles(values, n=4, method="inclusive")
    expected = {10: deciles[0], 25: quartiles[0], 50: quartiles[1], 75: quartiles[2], 90: deciles[8]}
    for k, q in enumerate(QUANTILES):
        assert st_.quantiles[k, 0] == pytest.approx(expected[q])
    assert st_.mean[0] == pytest.approx(statistics.fmean(values))


def test_it_measures_the_gap_to_the_top_tenth_and_stops_at_zero():
    st_ = _stats(range(1, 11))  # P90 = 9.1
    assert st_.gap_to_top10(np.array([5.0]))[0] == pytest.approx(4.1)
    assert st_.gap_to_top10(np.array([10.0]))[0] == 0.0


def test_it_counts_stages():
    st_ = GroupStats.of(np.ones((5, 1)), np.array([0, 1, 1, 3, 4]), 4)
    assert st_.stage_counts.tolist() == [1, 2, 0, 1, 1] and st_.stage_shares().tolist() == [20, 40, 0, 20, 20]


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.one_of(st.integers(0, 20).map(float), st.just(float("nan"))), min_size=1, max_size=40),
       probes=st.lists(st.one_of(st.integers(-1, 21).map(float), st.just(float("nan"))), min_size=1, max_size=5))
def test_it_ranks_like_the_definition_written_as_a_loop(values, probes):
    columns = np.array(values).reshape(1, -1)
    few = percentile_ranks(columns, np.array(probes).reshape(-1, 1))[:, 0]  # counted directly
    many = percentile_ranks(columns, np.array(probes * 3).reshape(-1, 1))[: len(probes), 0]  # sorted and searched
    assert np.array_equal(few, many, equal_nan=True)
    got = few
    for x, r in zip(probes, got, strict=True):
        want = plain_rank(values, x)
        assert (want is None and np.isnan(r)) or r == pytest.approx(want)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.one_of(st.floats(0, 100, allow_nan=False), st.just(float("nan"))), min_size=3,
                         max_size=3), min_size=1, max_size=30))
def test_it_reads_quantiles_and_means_exactly_as_numpy_computes_them(rows):
    values = np.array(rows)
    st_ = GroupStats.of(values, np.zeros(len(values), dtype=int), 4)
    for j in range(values.shape[1]):
        col = values[:, j][~np.isnan(values[:, j])]
        if len(col):
            assert st_.quantiles[:, j].tolist() == np.percentile(col, QUANTILES).tolist()
            assert st_.mean[j] == pytest.approx(col.mean(), rel=1e-12)
        else:
            assert np.isnan(st_.quantiles[:, j]).all() and np.isnan(st_.mean[j])


def test_an_empty_group_has_no_stage_shares_to_divide():
    empty = GroupStats.of(np.empty((0, 2)), np.empty(0, dtype=np.int64), 3)
    assert empty.size == 0 and empty.stage_counts.tolist() == [0, 0, 0, 0]
    assert empty.stage_shares().tolist() == [0.0, 0.0, 0.0, 0.0] and empty.n.tolist() == [0, 0]


def test_quartiles_are_whole_numbers_of_ranks_given_in_any_form():
    got = quartile(np.array([95.0, 75.0, 74.9, 50.0, 25.0, 24.9, np.nan]))
    assert got.tolist() == [1, 1, 2, 2, 3, 4, 0] and got.dtype == np.int64
    assert quartile(80).tolist() == 1 and quartile([10, 60]).tolist() == [4, 2]
