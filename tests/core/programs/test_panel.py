"""Drawing a panel: reproducible from its seed, conflicts honoured, widened only as far as needed."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ronghe.core.programs.panel import draw, same_region


def test_it_compares_regions_at_the_calls_level():
    assert same_region("330106", "330102", "city") and not same_region("330106", "330102", "county")
    assert same_region("330106", "330203", "province") and not same_region("330106", "330203", "city")
    assert not same_region(None, "330106", "province") and not same_region("", "", "county")


def test_it_draws_the_same_panel_from_the_same_seed_and_widens_it_for_conflicts():
    conflict = np.zeros((2, 6), dtype=bool)
    assert draw(conflict, size=3, min_reviewers=3, seed=7) == draw(conflict, size=3, min_reviewers=3, seed=7)
    first = draw(conflict, size=3, min_reviewers=3, seed=7)
    assert len(first.members) == 3 and first.short == []
    conflict[0, first.members[0]] = True  # one of them turns out to know the first enterprise
    again = draw(conflict, size=3, min_reviewers=3, seed=7)
    assert again.members[:3] == first.members and len(again.members) == 4 and again.short == []
    assert not conflict[0, again.members[3]]


def test_it_reports_declarations_the_whole_pool_cannot_serve():
    conflict = np.array([[True, True, False], [False, False, False]])
    result = draw(conflict, size=2, min_reviewers=2, seed=1)
    assert result.short == [0] and sorted(result.members) == [0, 1, 2]


@settings(max_examples=200, deadline=None)
@given(conflict=st.tuples(st.integers(1, 6), st.integers(1, 10)).flatmap(lambda s: arrays(bool, s)),
       size=st.integers(1, 10), need=st.integers(1, 4), seed=st.integers(0, 2**32))
def test_it_draws_distinct_experts_and_reports_exactly_the_unserved(conflict, size, need, seed):
    result = draw(conflict, size=size, min_reviewers=need, seed=seed)
    assert len(set(result.members)) == len(result.members) >= min(size, conflict.shape[1])
    free = (~conflict[:, result.members]).sum(axis=1)
    assert result.short == [int(d) for d in np.flatnonzero(free < need)]
    possible = (~conflict).sum(axis=1) >= need
    assert all(not possible[d] for d in result.short)  # only what the whole pool cannot serve is short
