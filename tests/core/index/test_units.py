"""Unit kinds: an index of regions (GB/T 2260 codes, the default) or of parks, industries and
enterprise groups, whose codes are their own and whose names come with the data."""

import numpy as np
import pytest
from openpyxl import load_workbook

from ronghe.core.errors import AnswerFileError
from ronghe.core.index.data import Panel, read_panel, read_panels, zones
from ronghe.core.index.definition import Definition, check
from ronghe.core.index.export import results_frame, write_results
from ronghe.core.index.pipeline import IndexPipeline
from tests.core.index.build import MINI, definition
from tests.core.index.test_data import _xlsx

IDS = ["a1", "a2", "b1"]


def _errors(path, unit):
    with pytest.raises(AnswerFileError) as exc:
        read_panel(path, IDS, unit=unit)
    return [(e.sheet, e.row, e.column, e.value, e.reason) for e in exc.value.errors]


def test_a_definition_is_of_regions_unless_it_says_otherwise():
    assert definition().unit == "region"
    for unit in ("park", "industry", "group"):
        assert definition(unit=unit, pipeline={"impute": {"method": "previous_year"}}).unit == unit
    faults = list(check(Definition.model_validate({**MINI, "unit": "park"})))
    assert faults == [
        ("pipeline", "definition.no_zone", {"unit": "park"})
    ]
    with pytest.raises(ValueError, match="unit"):
        Definition.model_validate({**MINI, "unit": "county"})


def test_park_codes_are_any_text_and_their_names_come_from_the_long_file(tmp_path):
    f = tmp_path / "parks.csv"
    f.write_text(
        "region,name,year,indicator,value\nZGC,中关村科技园区,2015,a1,3\nZGC,中关村,2016,a1,4\n"
        " 11-ETDZ ,北京经开区,2015,b1,5\n",
        encoding="utf-8",
    )
    p = read_panel(f, IDS, unit="park")
    assert p.regions == ["11-ETDZ", "ZGC"] and p.years == [2015, 2016]
    assert p.names == {"ZGC": "中关村科技园区", "11-ETDZ": "北京经开区"}  # the first name given for a code
    assert p.X[0, 1, 0] == 3 and p.X[1, 1, 0] == 4 and p.X[0, 0, 2] == 5
    assert _errors(f, "region") == [
        ("parks", 2, "region", "ZGC", "a region is a 6-digit GB/T 2260 code"),
        ("parks", 3, "region", "ZGC", "a region is a 6-digit GB/T 2260 code"),
        ("parks", 4, "region", " 11-ETDZ ", "a region is a 6-digit GB/T 2260 code"),
    ]


def test_a_unit_needs_a_code_and_a_name_in_a_long_file(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text(
        "region,name,year,indicator,value\n,无代码,2015,a1,3\nC13, ,2015,a1,4\nC14,农副食品,2015,a1,x\n",
        encoding="utf-8",
    )
    assert _errors(f, "industry") == [
        ("bad", 2, "region", "", "the unit's code is empty"),
        ("bad", 3, "name", " ", "the name is empty"),
        ("bad", 4, "value", "x", "the value must be a finite number"),
    ]
    g = tmp_path / "nameless.csv"
    g.write_text("region,year,indicator,value\nC13,2015,a1,3\n", encoding="utf-8")
    assert _errors(g, "industry") == [
        (
            "nameless",
            1,
            "name",
            None,
            "the 'name' column is missing: units other than regions (parks, industries, groups) are named in the data",
        )
    ]


def test_a_wide_workbook_of_groups_names_every_row(tmp_path):
    f = _xlsx(
        tmp_path / "groups.xlsx",
        {
            "2015": [["region", "name", "a1", "b1"], ["G1", "海尔集团", 1, 2], ["G2", "美的集团", 3, None]],
            "2016": [["region", "name", "a1"], ["G1", "海尔", 5], ["G3", "", 6], [None, "无代码", 7]],
        },
    )
    assert _errors(f, "group") == [
        ("2016", 3, "name", "", "the name is empty"),
        ("2016", 4, "region", "", "the unit's code is empty"),
    ]
    ok = _xlsx(
        tmp_path / "ok.xlsx",
        {
            "2015": [["region", "name", "a1"], ["G1", "海尔集团", 1], ["G2", "美的集团", 3]],
            "2016": [["region", "name", "a1"], ["G1", "海尔", 5]],
        },
    )
    p = read_panel(ok, IDS, unit="group")
    assert p.regions == ["G1", "G2"] and p.names == {"G1": "海尔集团", "G2": "美的集团"}
    np.testing.assert_array_equal(p.X[:, :, 0], [[1.0, 3.0], [5.0, np.nan]])
    nameless = _xlsx(tmp_path / "nameless.xlsx", {"2015": [["region", "a1"], ["G1", 1]]})
    assert _errors(nameless, "group")[0][2:4] == ("name", None)
    assert _errors(_xlsx(tmp_path / "r.xlsx", {"2015": [["region", "a1"], ["G1", 1]]}), "region") == [
        ("2015", 2, "region", "G1", "a region is a 6-digit GB/T 2260 code")
    ]


def test_merged_files_keep_the_names_of_the_first_file_that_names_a_unit(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("region,name,year,indicator,value\nZGC,中关村,2015,a1,3\n", encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text(
        "region,name,year,indicator,value\nZGC,另一个名字,2015,b1,4\nSIP,苏州工业园区,2015,a1,5\n", encoding="utf-8"
    )
    p = read_panels([a, b], IDS, unit="park")
    assert p.names == {"ZGC": "中关村", "SIP": "苏州工业园区"}
    assert p.regions == ["SIP", "ZGC"] and p.X[0, 1, 2] == 4


def test_only_regions_have_zones():
    assert zones(["110000", "140000", "620000", "990000"]).tolist() == ["east", "central", "west", ""]
    for unit in ("park", "industry", "group"):
        assert zones(["110000", "140000"], unit).tolist() == ["", ""]


def test_a_group_mean_over_units_without_zones_is_the_mean_of_every_unit():
    # the definition refuses group_mean for parks; a variant built from it still has no zones: the
    # gap of 110000 (east, were it a region) is the mean of all three units, not of the east alone
    d = definition(unit="park", pipeline={"impute": {"method": "previous_year"}})
    X = np.array([[[np.nan, 4.0, 10.0], [20.0, 4.0, 10.0], [50.0, 4.0, 10.0]]])
    p = Panel([2015], ["110000", "120000", "620000"], IDS, X)
    filled = IndexPipeline.from_definition(d).with_params(impute__method="group_mean").run(p).named["impute"]
    assert filled[0, 0, 0] == 35.0
    as_regions = IndexPipeline.from_definition(definition()).run(p).named["impute"]
    assert as_regions[0, 0, 0] == 20.0  # regions: the east mean (120000 alone)


@pytest.mark.parametrize("unit", ["park", "industry", "group"])
def test_the_results_of_other_units_carry_their_names_and_no_zone_comparison(tmp_path, unit):
    d = definition(unit=unit, pipeline={"impute": {"method": "none"}})
    X = np.array([[[50.0, 4.0, 10.0], [25.0, 2.0, 20.0]]])
    p = Panel([2015], ["110000", "ZGC"], IDS, X, names={"ZGC": "中关村", "110000": "一号园区"})
    result = IndexPipeline.from_definition(d).run(p)
    frame = results_frame(result)
    # T = 0.6·(a1/50 + 4/a2)/2·100 + 0.4·b1/10·100: 110000 → 0.6·100 + 0.4·100 = 100; ZGC → 0.6·125 + 80 = 155
    assert frame[["region", "name", "zone", "T 总指数"]].values.tolist() == [
        ["ZGC", "中关村", "", 155.0],
        ["110000", "一号园区", "", 100.0],
    ]
    write_results(tmp_path / "parks.xlsx", result)
    assert load_workbook(tmp_path / "parks.xlsx").sheetnames == ["指数", "目标"]
    write_results(
        tmp_path / "regions.xlsx",
        IndexPipeline.from_definition(definition()).run(Panel([2015], ["110000", "620000"], IDS, X)),
    )
    regions = load_workbook(tmp_path / "regions.xlsx").sheetnames
    assert regions == ["指数", "区域对比", "目标"]
    unnamed = results_frame(IndexPipeline.from_definition(d).run(Panel([2015], ["110000", "ZGC"], IDS, X)))
    assert unnamed["name"].tolist() == ["ZGC", "110000"]  # a unit is never given a province's name
    assert results_frame(IndexPipeline.from_definition(definition()).run(Panel([2015], ["110000", "620000"], IDS, X)))[
        ["name", "zone"]
    ].values.tolist() == [["甘肃省", "west"], ["北京市", "east"]]
