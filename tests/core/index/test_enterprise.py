"""Regional indicators from scored enterprise assessments, by hand: means of a key rate, shares
at a stage or above, complete assessments only, the minimum sample and the region level."""

import pandas as pd
import pytest

from ronghe.core.index.enterprise import indicators_from_assessments
from tests.core.index.build import MINI, definition

INDICATORS = [
    {**MINI["indicators"][2], "parent": "A", "weight": 0.2},  # statistics: skipped here
    {**MINI["indicators"][0], "weight": 0.4, "kind": "enterprise", "assessments": {"rate": "nc_rate", "min_count": 2}},
    {**MINI["indicators"][1], "weight": 0.4, "kind": "enterprise", "assessments": {"stage_min": 3, "min_count": 3}},
    {**MINI["indicators"][2], "id": "b2"},
]

ASSESSMENTS = pd.DataFrame({
    "region": ["330106", "330106", "330206", "330102", "110101", "110102", "330106", None],
    "year": [2020, 2020, 2020, 2020, 2020, 2020, 2021, 2020],
    "stage": [3, 2, 4, 1, 3, 2, 3, 4],
    "complete": [True, True, True, False, True, True, True, True],
    "nc_rate": [60.0, 40.0, 80.0, 99.0, 50.0, 30.0, 70.0, 10.0],
})


def test_it_computes_rate_means_and_stage_shares_per_province_and_year():
    out = indicators_from_assessments(ASSESSMENTS, definition(indicators=INDICATORS))
    assert list(out.columns) == ["region", "year", "indicator", "value", "n"]
    # 330000 in 2020: complete rows 60, 40, 80 (the incomplete 99 does not count); 110000: 50, 30;
    # 2021 has one assessment: below min_count 2. Stage ≥ 3: 330000 2 of 3; 110000 has only 2 (< 3)
    assert out.values.tolist() == [
        ["110000", 2020, "a1", 40.0, 2],
        ["330000", 2020, "a1", 60.0, 3],
        ["330000", 2020, "a2", pytest.approx(200 / 3), 3],
    ]


def test_it_aggregates_at_the_city_or_county_level():
    d = definition(indicators=INDICATORS)
    city = indicators_from_assessments(ASSESSMENTS, d, level="city")
    assert city[city.indicator == "a1"][["region", "value", "n"]].values.tolist() == [["110100", 40.0, 2],
                                                                                      ["330100", 50.0, 2]]
    county = indicators_from_assessments(ASSESSMENTS, d, level="county")
    assert county[county.indicator == "a1"][["region", "value"]].values.tolist() == [["330106", 50.0]]


def test_it_names_a_rate_the_results_lack():
    with pytest.raises(KeyError) as exc:
        indicators_from_assessments(ASSESSMENTS.drop(columns="nc_rate"), definition(indicators=INDICATORS))
    assert exc.value.args[0] == "indicator a1 needs the rate column 'nc_rate', which the results lack"


def test_a_definition_without_enterprise_indicators_gives_an_empty_table():
    out = indicators_from_assessments(ASSESSMENTS, definition())
    assert out.empty and list(out.columns) == ["region", "year", "indicator", "value", "n"]
