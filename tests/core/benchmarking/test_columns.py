"""The results frame: its metrics, the attributes derived from its identity columns, and a results
file read back into it (what the CLI benchmarks) — each against values written out by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from ronghe.core.benchmarking.cohorts import ALL_KEY, Cohort, of_row
from ronghe.core.benchmarking.columns import (
    IDENTITY,
    FrameError,
    Metric,
    check_frame,
    from_results,
    guess_framework,
    metrics,
    section_of,
    with_derived,
)
from ronghe.core.frameworks import load, shipped
from ronghe.core.frameworks.load import parse_document
from ronghe.core.frameworks.schema import Framework
from tests.conftest import FILES

MINI = FILES / "frameworks" / "mini.yaml"


def _cells(column: pd.Series) -> list:
    """A column's values with every missing one as None (pandas' text columns hold NaN for None)."""
    return [None if pd.isna(v) else v for v in column.tolist()]


def _framework(text: str) -> Framework:
    fw, errors = parse_document(text.encode(), "t.yaml", Framework, lambda _fw: [])
    assert errors == []
    return fw


def test_the_metrics_come_summary_first_with_their_kinds_names_and_parents():
    got = metrics(load(MINI).framework)
    assert [(m.id, m.kind, m.name, m.name_en, m.parent) for m in got] == [
        ("L", "total", "发展水平", "Level", None),
        ("A", "aspect", "基础建设", "Foundation", "L"),
        ("B", "aspect", "单项应用", "Applications", "L"),
        ("nc_rate", "rate", "关键工序数控化率", "NC rate of key processes", None),
        ("B1", "indicator", "研发", "R&D", "B"),
        ("B2", "indicator", "生产", "Production", "B"),
    ]
    assert [m.unit for m in got] == ["分", "分", "分", "%", "分", "分"]
    assert [m.summary for m in got] == [True, True, True, True, False, False]


def test_a_second_root_is_a_root_and_a_name_without_english_reads_in_chinese():
    text = MINI.read_text(encoding="utf-8").replace(
        "  - {id: L, name: {zh-Hans: 发展水平, en: Level}}",
        "  - {id: L, name: {zh-Hans: 发展水平, en: Level}}\n  - {id: E, name: {zh-Hans: 效能}}\n"
        "  - {id: E1, parent: E, weight: 1, name: {zh-Hans: 效益}}")
    got = {m.id: m for m in metrics(_framework(text))}
    assert [m.id for m in metrics(_framework(text))][:5] == ["L", "E", "E1", "A", "B"]  # roots, then aspects
    assert (got["E"].kind, got["E"].parent, got["E"].name_en) == ("root", None, "效能")
    assert (got["E1"].kind, got["E1"].parent, got["E1"].label("en")) == ("aspect", "E", "效益")
    assert got["A"].label("en") == "Foundation" and got["A"].label() == "基础建设"
    assert got["A"].label("en-GB") == "Foundation" and got["A"].label("zh-Hant") == "基础建设"


def test_a_metric_without_an_english_name_keeps_its_chinese_label():
    m = Metric("x", "rate", "比率", "")
    assert (m.label("en"), m.label(), m.unit) == ("比率", "比率", "%")


@pytest.mark.parametrize(("industry", "section"), [
    ("34", "C"), ("13", "C"), (13, "C"), ("5", "A"), ("01", "A"), ("c", "C"), ("F", "F"), ("99", None),
    (None, None), (float("nan"), None)])
def test_the_section_of_a_division_follows_gbt_4754(industry, section):
    assert section_of(industry) == section


def test_a_frame_without_a_column_it_needs_names_every_missing_one():
    frame = pd.DataFrame({c: [] for c in IDENTITY if c not in ("region", "stage")} | {"A": []})
    with pytest.raises(FrameError) as info:
        check_frame(frame, ["A", "B", "C"])
    assert str(info.value) == "the scored results lack the column(s) region, stage, B, C"
    check_frame(frame.assign(region=[], stage=[], B=[], C=[]), ["A", "B", "C"])  # complete: no error


def test_the_derived_attributes_are_the_prefixes_of_a_county_code_and_the_section():
    frame = pd.DataFrame({"region": ["330106", "11010", None, "440305", np.nan],
                          "industry": ["34", "5", None, "F", np.nan]})
    got = with_derived(frame)
    assert _cells(got["province"]) == ["33", None, None, "44", None]
    assert _cells(got["city"]) == ["3301", None, None, "4403", None]
    assert _cells(got["section"]) == ["C", "A", None, "F", None]
    assert _cells(got["region"])[:4] == ["330106", "11010", None, "440305"]  # the frame itself is kept


RESULTS = pd.DataFrame({
    "row": [2, 3, 4, 5],
    "enterprise": ["甲", "乙", "丙", "丁"],
    "credit_code": ["c1", "c2", "c3", "c4"],
    "year": ["2025", 2024, "", "x"],
    "region": [330106, "330108", "", None],
    "industry": ["34", 35.5, float("nan"), "17"],
    "size": ["300人以下", None, "", "1000-5000人"],
    "stage": [2, "3", "", "未定"],
    "complete": ["是", " TRUE ", "否", float("nan")],
    "L": [71.5, "62", "", "n/a"],
    "nc_rate": [40, None, 55.5, 0],
})
METRICS = [Metric("L", "total", "发展水平", "Level"), Metric("nc_rate", "rate", "率", "rate")]


def test_a_results_file_becomes_a_results_frame_cell_by_cell():
    got = from_results(RESULTS, METRICS)
    assert list(got.columns) == ["key", "credit_code", "enterprise", "year", "region", "industry", "size",
                                 "stage", "complete", "L", "nc_rate"]
    assert got["key"].tolist() == [2, 3, 4, 5]
    assert got["credit_code"].tolist() == ["c1", "c2", "c3", "c4"]
    assert got["enterprise"].tolist() == ["甲", "乙", "丙", "丁"]
    assert got["year"].tolist() == [2025, 2024, 0, 0] and got["year"].dtype == np.int64
    assert _cells(got["region"]) == ["330106", "330108", None, None]
    assert _cells(got["industry"]) == ["34", "35.5", None, "17"]
    assert _cells(got["size"]) == ["300人以下", None, None, "1000-5000人"]
    assert got["stage"].tolist() == [2, 3, 0, 0] and got["stage"].dtype == np.int64
    assert got["complete"].tolist() == [True, True, False, False] and got["complete"].dtype == bool
    assert got["L"].tolist()[:2] == [71.5, 62.0] and math.isnan(got["L"][2]) and math.isnan(got["L"][3])
    assert got["nc_rate"].tolist()[0] == 40.0 and math.isnan(got["nc_rate"][1])
    assert got["nc_rate"].tolist()[2:] == [55.5, 0.0]


@pytest.mark.parametrize(("value", "flag"), [
    ("是", True), ("true", True), ("1", True), (" Yes ", True), ("YES", True), (True, True), (1, True),
    (1.0, True), ("否", False), ("false", False), ("0", False), ("", False), ("no", False), (False, False),
    (0, False), (0.0, False), (float("nan"), False), (None, False)])
def test_the_complete_column_reads_the_ways_a_person_writes_yes(value, flag):
    table = RESULTS.iloc[:1].assign(complete=[value])
    assert from_results(table, METRICS)["complete"].tolist() == [flag]


def test_a_results_file_without_the_optional_columns_is_one_year_of_unknown_attributes():
    table = RESULTS[["stage", "complete", "L", "nc_rate"]]
    got = from_results(table, METRICS)
    assert list(got.columns) == [*IDENTITY, "L", "nc_rate"]
    assert got["key"].tolist() == [1, 2, 3, 4]
    assert got["year"].tolist() == [0, 0, 0, 0]
    for column in ("region", "industry", "size"):
        assert _cells(got[column]) == [None] * 4


def test_a_table_that_is_no_results_file_of_the_framework_names_what_it_lacks():
    with pytest.raises(FrameError) as info:
        from_results(RESULTS.drop(columns=["complete", "nc_rate"]), METRICS)
    assert str(info.value).startswith("the results lack the column(s) complete, nc_rate: ")
    with pytest.raises(FrameError, match="the column\\(s\\) stage: "):
        from_results(RESULTS.drop(columns=["stage"]), METRICS)


def test_the_framework_of_a_results_table_is_the_largest_whose_every_metric_is_a_column():
    frameworks = [load(p).framework for p in shipped()] + [load(MINI).framework]
    ids = {fw.name_slug: [m.id for m in metrics(fw)] for fw in frameworks}
    by_slug = {fw.name_slug: fw for fw in frameworks}
    assert guess_framework(ids["mini"], frameworks) is by_slug["mini"]
    assert guess_framework(["row", *ids["gbt23020-discrete"]], frameworks) is by_slug["gbt23020-discrete"]
    both = {*ids["mini"], *ids["gbt23020-process"]}  # the larger of the two that fit
    assert guess_framework(both, frameworks) is by_slug["gbt23020-process"]
    assert guess_framework(both, [by_slug["mini"], by_slug["gbt23020-process"]][::-1]) is by_slug["gbt23020-process"]
    assert guess_framework(ids["mini"][1:], frameworks) is None
    assert guess_framework([], frameworks) is None


def test_the_cohort_of_a_row_is_its_key_of_that_kind_or_none_when_unknown():
    frame = with_derived(pd.DataFrame({"region": ["330106", None], "industry": ["34", None],
                                       "size": ["300人以下", None]}))
    assert of_row(frame, 0, "division") == Cohort("division", "34")
    assert of_row(frame, 0, "section") == Cohort("section", "C")
    assert of_row(frame, 0, "province") == Cohort("province", "33")
    assert of_row(frame, 0, "city") == Cohort("city", "3301")
    assert of_row(frame, 0, "size") == Cohort("size", "300人以下")
    assert of_row(frame, 1, "all") == Cohort("all", ALL_KEY)
    for kind in ("division", "section", "province", "city", "size"):
        assert of_row(frame, 1, kind) is None
