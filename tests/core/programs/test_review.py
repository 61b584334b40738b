"""The review's averages, spreads and ranks: hand-computed cases, and any panel checked against an
independent computation (exact fractions, one declaration at a time, ranks by counting)."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ronghe.core.programs.review import (
    TRIM_MIN,
    aggregate,
    check_scores,
    parse_lines,
    parse_sheet,
    shortlist,
)
from ronghe.core.programs.rules import RulesError

N = np.nan


def test_it_averages_spreads_and_ranks_a_hand_computed_panel():
    # 4 declarations × 3 experts × 2 criteria (30 + 70 points); expert 3 has a conflict with declaration 2
    scores = np.array([
        [[25, 60], [20, 55], [28, 65.5]],    # totals 85, 75, 93.5 → mean 84.5, spread 18.5
        [[30, 70], [10, 40], [N, N]],        # 100, 50 → 75, spread 50 (flagged)
        [[20, 60], [22, 58], [21, 59]],      # 80, 80, 80 → 80
        [[25, 59.5], [20, 55], [28, 67]],    # 84.5, 75, 95 → 84.833… spread 20 (not above 20)
    ])
    r = aggregate(scores, spread_limit=20)
    assert r.totals[0].tolist() == [85, 75, 93.5]
    assert r.count.tolist() == [3, 2, 3, 3]
    assert r.average[:3].tolist() == [84.5, 75, 80]
    assert r.average[3] == 254.5 / 3
    assert r.spread.tolist() == [18.5, 50, 0, 20]
    assert r.flagged.tolist() == [False, True, False, False]
    assert r.rank.tolist() == [2, 4, 3, 1]


def test_it_gives_equal_averages_one_rank_and_skips_the_next():
    scores = np.array([[[80]], [[90]], [[80]], [[70]], [[N]]])
    scores = np.concatenate([scores, scores], axis=1)  # two experts agreeing
    r = aggregate(scores, spread_limit=10)
    assert r.rank.tolist() == [2, 1, 2, 4, 0]
    assert np.isnan(r.average[4]) and np.isnan(r.spread[4]) and r.count[4] == 0
    # 255/3 and 170/2 are both exactly 85: equal, whatever the number of experts
    r = aggregate(np.array([[[85], [85], [85]], [[80], [90], [N]]]), spread_limit=100)
    assert r.average.tolist() == [85, 85] and r.rank.tolist() == [1, 1]


def test_it_counts_an_expert_only_with_every_criterion_scored():
    r = aggregate(np.array([[[10, 20], [15, N]]]), spread_limit=5)
    assert r.count.tolist() == [1] and r.average.tolist() == [30] and r.spread.tolist() == [0]


def test_it_drops_the_highest_and_lowest_when_trimming_five_or_more():
    five = np.array([[[60], [70], [80], [90], [100]]])
    assert aggregate(five, spread_limit=50, trim=True).average.tolist() == [80]
    skewed = np.array([[[10], [70], [80], [90], [100]]])
    assert aggregate(skewed, spread_limit=50, trim=True).average.tolist() == [80]
    assert aggregate(skewed, spread_limit=50).average.tolist() == [70]
    four = skewed[:, 1:]
    assert aggregate(four, spread_limit=50, trim=True).average.tolist() == [85]  # fewer than 5: plain mean
    assert TRIM_MIN == 5


def test_it_shortlists_within_the_places_above_the_pass_mark_ties_included():
    r = aggregate(np.array([[[90]], [[85]], [[85]], [[70]], [[59]], [[N]]]), spread_limit=10)
    assert shortlist(r, places=2, pass_mark=60).tolist() == [True, True, True, False, False, False]
    assert shortlist(r, places=10, pass_mark=60).tolist() == [True, True, True, True, False, False]
    assert shortlist(r, places=1, pass_mark=95).tolist() == [False] * 6


def _oracle(scores, limit, trim):
    """One declaration at a time with exact fractions; the rank by counting higher averages."""
    rows = []
    for decl in scores:
        totals = [sum(Fraction(round(s * 10), 10) for s in expert) for expert in decl
                  if len(expert) and not any(np.isnan(s) for s in expert)]
        if not totals:
            rows.append(None)
            continue
        kept = sorted(totals)[1:-1] if trim and len(totals) >= 5 else totals
        rows.append((sum(kept) / len(kept), max(totals) - min(totals), len(totals)))
    ranks = [0 if r is None else 1 + sum(1 for o in rows if o is not None and o[0] > r[0]) for r in rows]
    return rows, ranks


tenths = st.integers(0, 200).map(lambda t: t / 10)
panels = st.tuples(st.integers(1, 8), st.integers(1, 7), st.integers(1, 4)).flatmap(
    lambda shape: arrays(float, shape, elements=st.one_of(tenths, st.just(np.nan))))


@settings(max_examples=300, deadline=None)
@given(scores=panels, limit=st.integers(0, 400).map(lambda t: t / 10), trim=st.booleans())
def test_it_agrees_with_an_independent_exact_computation(scores, limit, trim):
    r = aggregate(scores, spread_limit=limit, trim=trim)
    rows, ranks = _oracle(scores, limit, trim)
    assert r.rank.tolist() == ranks
    for k, row in enumerate(rows):
        if row is None:
            assert r.count[k] == 0 and np.isnan(r.average[k]) and not r.flagged[k]
            continue
        mean, spread, n = row
        assert r.count[k] == n
        assert r.average[k] == float(mean)  # the correctly rounded value of the exact mean
        assert r.spread[k] == float(spread)
        assert r.flagged[k] == (spread > Fraction(round(limit * 10), 10))


def test_it_reads_a_scoring_sheet_and_refuses_one_that_does_not_add_up():
    sheet = parse_sheet(parse_lines("基础条件与实施能力 30\n创新性：40分\n示范推广价值 | 30 | 可复制、可推广\n"))
    assert [(c.id, c.name, c.points, c.guidance) for c in sheet] == [
        ("c1", "基础条件与实施能力", 30, ""), ("c2", "创新性", 40, ""), ("c3", "示范推广价值", 30, "可复制、可推广")]
    with pytest.raises(RulesError) as exc:
        parse_sheet([{"id": "a", "name": "x", "points": 30}, {"id": "a", "name": "y", "points": 60.05}])
    assert {f.path for f in exc.value.faults} == {"criteria/1/id", "criteria/1/points", "criteria"}
    with pytest.raises(RulesError) as exc:
        parse_lines("创新性\n")
    assert exc.value.faults[0].path == "line 1"


def test_it_checks_an_experts_scores_against_the_sheet():
    sheet = parse_sheet([{"id": "a", "name": "x", "points": 40}, {"id": "b", "name": "y", "points": 60}])
    assert check_scores(sheet, {"a": "35.5", "b": 60}) == {"a": 35.5, "b": 60.0}
    with pytest.raises(RulesError) as exc:
        check_scores(sheet, {"a": 41, "b": "x", "zz": 1})
    assert {f.path for f in exc.value.faults} == {"a", "b", "zz"}
    with pytest.raises(RulesError) as exc:
        check_scores(sheet, {"a": 10.25})
    assert {f.path for f in exc.value.faults} == {"a", "b"}
