import pandas as pd
import pytest

from ronghe.core.benchmarking.columns import from_arrays, with_derived
from ronghe.core.targets.schema import Target
from ronghe.core.targets.status import Observation, judge, measure, measure_index, scope_mask, within


def _target(**kw) -> Target:
    doc = {"id": "t", "source": "s", "name": "测试", "metric": {"kind": "rate", "rate": "nc_rate"},
           "target": {"year": 2025, "value": 68}, **kw}
    return Target.model_validate(doc)


def test_it_finds_a_target_on_track_off_track_achieved_or_missed():
    t = _target(baseline={"year": 2021, "value": 54.6})
    on = judge(t, [Observation(2023, 62.0, 100)])  # the line 54.6 → 68 reads 61.3 in 2023
    assert on.state == "on_track" and on.expected_now == pytest.approx(54.6 + 13.4 * 2 / 4)
    assert on.gap == pytest.approx(6.0) and on.years_left == 2 and on.pace_needed == pytest.approx(3.0)
    assert on.pace_so_far == pytest.approx((62.0 - 54.6) / 2)
    assert judge(t, [Observation(2023, 60.0)]).state == "off_track"
    assert judge(t, [Observation(2024, 70.0)]).state == "achieved"
    assert judge(t, [Observation(2025, 67.0)]).state == "missed"
    assert judge(t, [Observation(2026, 67.0)]).pace_needed is None


def test_it_uses_the_first_observed_year_when_there_is_no_baseline():
    t = _target()
    assert judge(t, [Observation(2023, 60.0)]).state == "unknown"
    s = judge(t, [Observation(2022, 50.0), Observation(2023, 56.0)])  # line 50 → 68 reads 56 in 2023
    assert s.state == "on_track" and s.pace_so_far == pytest.approx(6.0)


def test_it_mirrors_a_lower_is_better_target():
    t = _target(direction="lower", target={"year": 2025, "value": 10}, baseline={"year": 2021, "value": 30})
    s = judge(t, [Observation(2023, 18.0)])  # line 30 → 10 reads 20 in 2023: 18 is ahead
    assert s.state == "on_track" and s.gap == pytest.approx(8.0) and s.pace_needed == pytest.approx(-4.0)
    assert judge(t, [Observation(2023, 9.0)]).state == "achieved"


def test_it_says_why_there_is_no_data():
    s = judge(_target(), [], "no rate")
    assert s.state == "no_data" and s.reason == "no rate" and s.current is None


def frame():
    rows = [  # region, industry, size, stage, complete, year, nc_rate
        ("330106", "34", "300人以下", 3, True, 2024, 60.0), ("330106", "34", "300人以下", 1, True, 2024, 40.0),
        ("330203", "39", "1000-5000人", 4, True, 2024, None), ("110105", "34", "300人以下", 3, True, 2024, 80.0),
        ("330106", "01", "300人以下", 4, True, 2024, 90.0), ("330106", "34", "300人以下", 4, False, 2024, 99.0),
        ("330106", "34", "300人以下", 2, True, 2025, 70.0),
    ]
    return with_derived(from_arrays(
        keys=list(range(len(rows))), years=[r[5] for r in rows], regions=[r[0] for r in rows],
        industries_=[r[1] for r in rows], sizes=[r[2] for r in rows], stages=[r[3] for r in rows],
        complete=[r[4] for r in rows], values=[[r[6] if r[6] is not None else float("nan")] for r in rows],
        metric_ids=["nc_rate"]))


def test_it_measures_over_the_scope_and_the_complete_assessments_only():
    f = frame()
    share = _target(metric={"kind": "stage_share", "stage_min": 3},
                    scope={"region": "330000", "industry": ["C"], "size": ["300人以下", "1000-5000人"]})
    series, reason = measure(share, f)
    # 2024 in 浙江, manufacturing, those sizes, complete: stages 3, 1, 4 → 2 of 3
    assert reason == "" and series[0] == Observation(2024, pytest.approx(200 / 3), 3) and series[1].value == 0.0
    rate = _target(scope={"region": "330000"})
    (y2024, _), _ = measure(rate, f)
    assert y2024.value == pytest.approx((60 + 40 + 90) / 3) and y2024.n == 3  # the unanswered rate is left out
    online = _target(metric={"kind": "rate_share", "rate": "nc_rate", "above": 50})
    assert measure(online, f)[0][0].value == pytest.approx(100 * 3 / 4)
    narrowed, _ = measure(rate, f, region="330200")
    assert narrowed == []


def test_it_cannot_measure_a_rate_the_results_lack():
    series, reason = measure(_target(metric={"kind": "rate", "rate": "equipment_nc_rate"}), frame())
    assert series == [] and "equipment_nc_rate" in reason


def test_it_reads_index_values_for_the_region_or_the_provinces_mean():
    table = pd.DataFrame({"region": ["330000", "320000", "330000", "330100"], "year": [2015, 2015, 2016, 2016],
                          "value": [78.0, 82.0, 84.0, 99.0]})
    zj = _target(metric={"kind": "index", "index": "lianghua-regional"}, scope={"region": "330000"},
                 target={"year": 2017, "value": 86})
    assert measure_index(zj, table)[0] == [Observation(2015, 78.0), Observation(2016, 84.0)]
    national = _target(metric={"kind": "index", "index": "lianghua-regional"}, target={"year": 2017, "value": 86})
    assert measure_index(national, table)[0][0].value == 80.0
    assert measure_index(zj, table.iloc[:0])[1] != ""
    with pytest.raises(ValueError):
        measure(zj, frame())


def test_it_tells_which_regions_lie_in_a_scope():
    assert within("330106", "000000") and within("330106", "330000") and within("330106", "330100")
    assert not within("110105", "330000") and within("330100", "330100")
    mask = scope_mask(frame(), _target(scope={"region": "330100"}).scope)
    assert mask.tolist() == [True, True, False, False, True, True, True]
