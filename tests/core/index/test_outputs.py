"""What authorities read off an index, by hand: ranks with ties and gaps, rank changes, tiers at
their minimum, zone means with a zone missing, growth, CAGR, and target gaps at their edges."""

import numpy as np
import pytest

from ronghe.core.index import outputs
from ronghe.core.index.definition import Target, Tier

NAN = np.nan


def test_ties_share_the_best_rank_and_a_missing_value_is_unranked():
    assert outputs.ranks(np.array([72.0, 65.0, NAN, 65.0, 80.0])).tolist() == [[2, 3, 0, 3, 1]]
    r = outputs.ranks(np.array([[NAN, 1.0, 2.0], [3.0, 3.0, 3.0]]))
    assert r.tolist() == [[0, 2, 1], [1, 1, 1]]


def test_rank_changes_count_places_gained_between_ranked_years_only():
    r = np.array([[1, 2, 0, 3], [2, 0, 1, 3], [1, 3, 2, 4]])
    assert outputs.rank_changes(r).tolist() == [[0, 0, 0, 0], [-1, 0, 0, 0], [1, 0, -1, -1]]


def test_a_value_exactly_at_a_tiers_minimum_is_in_that_tier():
    spec = [Tier(min=70, label={"zh-Hans": "第一梯队", "en": "Tier 1"}), Tier(min=60, label="第二梯队")]
    values = np.array([[70.0, 69.99, 60.0, 59.9, NAN]])
    assert outputs.tiers(values, spec).tolist() == [["第一梯队", "第二梯队", "第二梯队", "", ""]]
    assert outputs.tiers(values, spec, "en").tolist() == [["Tier 1", "第二梯队", "第二梯队", "", ""]]


def test_zone_means_and_gaps_leave_a_missing_zone_empty():
    regions = ["110000", "330000", "140000", "340000", "999999"]  # east, east, central, central, unknown
    values = np.array([[80.0, 70.0, 60.0, NAN, 10.0], [82.0, 72.0, 50.0, 40.0, 10.0]])
    z = outputs.zone_summary(values, regions, [2014, 2015])
    assert list(z.columns) == ["year", "east", "central", "west", "gap_east_central", "gap_central_west",
                               "gap_east_west"]
    assert z["year"].tolist() == [2014, 2015]
    assert z[["east", "central"]].to_numpy().tolist() == [[75, 60], [77, 45]]
    assert z["gap_east_central"].tolist() == [15, 32]
    assert z[["west", "gap_central_west", "gap_east_west"]].isna().all().all()
    west = outputs.zone_summary(np.array([[80.0, 50.0, 30.0]]), ["110000", "140000", "620000"], [2014])
    assert west.iloc[0][["gap_east_central", "gap_central_west", "gap_east_west"]].tolist() == [30, 20, 50]


def test_growth_is_the_change_from_the_previous_year():
    g = outputs.growth(np.array([[50.0, 60.0], [52.5, 59.0], [55.0, NAN]]))
    assert np.isnan(g[0]).all()
    np.testing.assert_array_equal(g[1:], [[2.5, -1.0], [2.5, NAN]])


def test_cagr_compounds_over_the_years_given():
    assert outputs.cagr(100.0, 121.0, 2) == pytest.approx(0.1)
    np.testing.assert_allclose(outputs.cagr(np.array([50.0, 80.0]), np.array([50.0, 40.0]), 1), [0.0, -0.5])
    assert np.isinf(outputs.cagr(0.0, 10.0, 1))


def _targets(*rows):
    return [Target(region=r, year=y, value=v) for r, y, v in rows]


def test_target_gaps_use_the_latest_value_up_to_the_target_year():
    regions, years = ["110000", "330000"], [2014, 2015, 2016, 2017]
    values = np.array([[60.0, 70.0], [61.0, NAN], [62.0, 74.5], [63.0, 80.0]])
    targets = _targets(("990000", 2016, 90), ("330000", 2013, 50), ("110000", 2016, 62), ("330000", 2015, 75),
                       ("110000", 2018, 64), ("330000", 2016, 75), ("000000", 2014, 64.5))
    t = outputs.target_gaps(values, regions, years, targets)
    assert list(t.columns) == ["region", "target_year", "target", "year", "value", "gap", "met", "needed_per_year"]
    # an unknown region and a target before any data are skipped, not the end of the list
    assert t[["region", "target_year"]].values.tolist() == [["110000", 2016], ["330000", 2015],
                                                             ["110000", 2018], ["330000", 2016], ["000000", 2014]]
    rows = {(r.region, r.target_year): r for r in t.itertuples()}
    exact = rows[("110000", 2016)]  # 62 reached exactly in 2016
    assert (exact.year, exact.value, exact.gap, exact.met, exact.needed_per_year) == (2016, 62, 0, True, 0)
    missing = rows[("330000", 2015)]  # 2015 is missing for 330000: its 2014 value counts
    assert (missing.year, missing.value, missing.gap, missing.met) == (2014, 70, 5, False)
    assert missing.needed_per_year == 5  # one year left
    ahead = rows[("110000", 2018)]  # latest year 2017 (63), one point short, one year left
    assert (ahead.year, ahead.gap, ahead.met, ahead.needed_per_year) == (2017, 1, False, 1)
    late = rows[("330000", 2016)]  # 74.5 in the target year itself: half a point short, no year left
    assert (late.year, late.gap, late.met, late.needed_per_year) == (2016, 0.5, False, 0)
    national = rows[("000000", 2014)]  # the mean of all regions: 65 ≥ 64.5
    assert (national.value, national.gap, national.met, national.needed_per_year) == (65, -0.5, True, 0)


def test_a_gap_under_one_point_still_needs_growth():
    t = outputs.target_gaps(np.array([[60.0], [60.5]]), ["110000"], [2014, 2015], _targets(("110000", 2017, 61)))
    assert (t.loc[0, "gap"], t.loc[0, "met"], t.loc[0, "needed_per_year"]) == (0.5, False, 0.25)
