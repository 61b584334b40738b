"""Data checks: sample skewness and kurtosis at their minimum sample sizes, the coverage
threshold exactly, the JRC outlier rule per indicator, and every finding's wording."""

import numpy as np
import pandas as pd
import pytest

from ronghe.core.index.checks import check_panel, kurtosis, skewness
from ronghe.core.index.data import Panel, provinces
from tests.core.index.test_step_rules import _jrc_columns

NAN = np.nan


def test_skewness_needs_3_values_and_kurtosis_4_like_excel():
    X = np.array([[1.0, 1.0, 2.0, 5.0, 0.1],
                  [2.0, 4.0, 2.0, 5.0, 0.2],
                  [7.0, 5.0, NAN, 5.0, 0.4],
                  [NAN, 9.0, NAN, 5.0, 0.8]])
    sk, ku = skewness(X), kurtosis(X)
    assert sk[0] == pytest.approx(pd.Series([1.0, 2, 7]).skew()) and np.isnan(ku[0])  # three values
    assert sk[1] == pytest.approx(pd.Series([1.0, 4, 5, 9]).skew())
    assert ku[1] == pytest.approx(pd.Series([1.0, 4, 5, 9]).kurt())
    assert np.isnan(sk[2]) and np.isnan(ku[2])  # two values
    assert np.isnan(sk[3]) and np.isnan(ku[3])  # no spread
    assert sk[4] == pytest.approx(pd.Series([0.1, 0.2, 0.4, 0.8]).skew())  # a spread below 1 is a spread
    assert ku[4] == pytest.approx(pd.Series([0.1, 0.2, 0.4, 0.8]).kurt())


def test_it_flags_coverage_below_the_threshold_not_at_it():
    regions = sorted(provinces())[:20]
    X = np.ones((1, 20, 3))
    X[0, :7, 0] = NAN  # 13 of 20 = 65 %: enough
    X[0, :8, 1] = NAN  # 12 of 20 = 60 %: too little
    report = check_panel(Panel([2020], regions, ["A", "B", "C"], X))
    assert report.findings == ["2020 B: coverage 60% is below 65%"]
    assert not report.ok
    assert report.table[["indicator", "coverage", "missing"]].values.tolist() == [
        ["A", 0.65, 7], ["B", 0.6, 8], ["C", 1.0, 0]]
    assert check_panel(Panel([2020], regions, ["A", "B", "C"], X), min_coverage=0.6).ok


def test_it_flags_outliers_by_the_jrc_rule_per_year_and_indicator():
    regions = sorted(provinces())[:30]
    X = _jrc_columns()[None]
    report = check_panel(Panel([2019], regions, ["flat", "peaked", "symmetric", "negative"], X))
    t = report.table
    assert list(t.columns) == ["year", "indicator", "coverage", "missing", "skewness", "kurtosis", "outlier"]
    assert t["year"].tolist() == [2019] * 4
    assert t["outlier"].tolist() == [False, True, False, True]
    assert t["skewness"].tolist() == pytest.approx(skewness(X[0]).tolist())
    assert t["kurtosis"].tolist() == pytest.approx(kurtosis(X[0]).tolist())
    assert report.findings == [
        "2019 peaked: skewness 2.15, kurtosis 4.25 — consider winsorising or a log transform",
        "2019 negative: skewness -2.15, kurtosis 4.25 — consider winsorising or a log transform",
    ]


def test_too_few_values_are_never_an_outlier():
    X = np.array([[[0.0], [0.0], [100.0]]])  # skewness 1.73 from three values, no kurtosis
    report = check_panel(Panel([2019], ["110000", "120000", "130000"], ["A"], X))
    assert report.table["outlier"].tolist() == [False] and report.ok


def test_it_names_unknown_province_codes_and_regions_without_any_value():
    X = np.array([[[1.0, NAN], [NAN, NAN], [2.0, 3.0]], [[1.0, 2.0], [NAN, NAN], [NAN, 3.0]]])
    report = check_panel(Panel([2019, 2020], ["110000", "330100", "990100"], ["A", "B"], X), min_coverage=0.3)
    assert report.findings == [
        "1 region code(s) with no province in GB/T 2260: 990100",
        "region 330100: no values at all",
    ]
    assert report.unknown == ["990100"]


def test_unknown_codes_are_counted_in_one_finding_naming_the_first_five():
    codes = ["110000", "990100", "990200", "990300", "990400", "990500", "990600", "980000"]
    X = np.ones((1, len(codes), 1))
    for regions, expected in (
            (codes[:6], "5 region code(s) with no province in GB/T 2260: 990100, 990200, 990300, 990400, 990500"),
            (codes, "7 region code(s) with no province in GB/T 2260: 980000, 990100, 990200, 990300, 990400 …")):
        regions = sorted(regions)
        report = check_panel(Panel([2019], regions, ["A"], X[:, : len(regions)]))
        assert report.findings == [expected]
        assert report.unknown == [c for c in regions if c != "110000"]


def test_codes_of_units_other_than_regions_are_not_checked_against_gbt_2260():
    X = np.array([[[1.0], [2.0], [NAN]]])
    for unit in ("park", "industry", "group"):
        report = check_panel(Panel([2019], ["990100", "C13", "ZGC"], ["A"], X), min_coverage=0.5, unit=unit)
        assert report.findings == ["region ZGC: no values at all"] and report.unknown == []
    assert check_panel(Panel([2019], ["990100", "C13", "ZGC"], ["A"], X), min_coverage=0.5).unknown == \
        ["990100", "C13", "ZGC"]
