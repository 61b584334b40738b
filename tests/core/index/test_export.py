"""Index results as a table and as files, on the mini definition by hand (2015: ratio scores
as in test_pipeline_steps; 2016: no value missing)."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from ronghe.core.errors import ParameterError
from ronghe.core.index.checks import check_panel
from ronghe.core.index.export import results_frame, write_frames, write_parquet, write_results, written
from ronghe.core.index.pipeline import IndexPipeline
from tests.core.index.build import definition
from tests.core.index.test_pipeline_steps import P

# 2016: A = (a1/50·100 + 4/a2·100)/2 = 150, 110, 280, 55; B = b1/10·100 = 120, 250, 50, 150
# T 2015 = 124, 134, 92, 55; T 2016 = 138, 166, 188, 93
ROWS = [
    # region, name, zone, year, rank, change, tier, growth, cagr %, T, A, B
    ("120000", "天津市", "east", 2015, 1, 0, "第一梯队", math.nan, 23.88, 134, 90, 200),
    ("110000", "北京市", "east", 2015, 2, 0, "第一梯队", math.nan, 11.29, 124, 140, 100),
    ("140000", "山西省", "central", 2015, 3, 0, "第二梯队", math.nan, 104.35, 92, 120, 50),
    ("620000", "甘肃省", "west", 2015, 4, 0, "第二梯队", math.nan, 69.09, 55, 55, math.nan),
    ("140000", "山西省", "central", 2016, 1, 2, "第一梯队", 96, 104.35, 188, 280, 50),
    ("120000", "天津市", "east", 2016, 2, -1, "第一梯队", 32, 23.88, 166, 110, 250),
    ("110000", "北京市", "east", 2016, 3, -1, "第一梯队", 14, 11.29, 138, 150, 120),
    ("620000", "甘肃省", "west", 2016, 4, 0, "第二梯队", 38, 69.09, 93, 55, 150),
]
COLUMNS = ["region", "name", "zone", "year", "rank", "rank_change", "tier", "growth", "cagr_2015_2016_pct",
           "T 总指数", "A 甲", "B 乙"]


@pytest.fixture(scope="module")
def result():
    return IndexPipeline.from_definition(definition()).run(P)


def _same(frame, rows):
    assert list(frame.columns) == COLUMNS
    got = frame.astype(object).where(frame.notna(), math.nan).values.tolist()
    for g, e in zip(got, rows, strict=True):
        assert g == pytest.approx(list(e), nan_ok=True)


def test_it_tabulates_every_region_and_year_with_rank_change_tier_growth_and_cagr(result):
    _same(results_frame(result), ROWS)


def test_it_speaks_english(result):
    en = results_frame(result, "en")
    assert list(en.columns)[-3:] == ["T Total", "A Alpha", "B Beta"]
    assert en["name"].tolist()[:2] == ["Tianjin", "Beijing"] and en["tier"].tolist()[:3] == ["Tier 1", "Tier 1",
                                                                                               "Tier 2"]


def test_a_single_year_has_no_growth_rate():
    one = IndexPipeline.from_definition(definition()).run(P.__class__([2015], P.regions, P.indicators, P.X[:1]))
    frame = results_frame(one)
    assert "cagr_2015_2015_pct" in frame.columns and frame["cagr_2015_2015_pct"].isna().all()
    assert frame["rank"].tolist() == [1, 2, 3, 4]


def test_it_writes_the_table_as_csv(tmp_path, result):
    path = write_results(tmp_path / "out" / "index.csv", result)
    assert path == tmp_path / "out" / "index.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM, so that Excel reads the Chinese right
    back = pd.read_csv(path, dtype={"region": str}, encoding="utf-8-sig")
    _same(back, ROWS)
    zones = pd.read_csv(tmp_path / "out" / "index.区域对比.csv", encoding="utf-8-sig")  # nothing dropped
    assert zones.columns[0] == "year" and zones["east"].tolist()[0] == 129
    assert (tmp_path / "out" / "index.目标.csv").exists()
    assert sorted(f.name for f in (tmp_path / "out").iterdir()) == ["index.csv", "index.区域对比.csv", "index.目标.csv"]


def test_it_writes_a_workbook_with_zones_targets_and_checks(tmp_path, result):
    report = check_panel(P)
    path = write_results(tmp_path / "index.xlsx", result, report)
    wb = load_workbook(path)
    assert wb.sheetnames == ["指数", "区域对比", "目标", "数据检查"]
    sheet = wb["指数"]
    assert [c.value for c in sheet[1]] == COLUMNS
    assert [c.value for c in sheet[2]][:7] == ["120000", "天津市", "east", 2015, 1, 0, "第一梯队"]
    zones = [[c.value for c in row] for row in wb["区域对比"].iter_rows()]
    assert zones[0] == ["year", "east", "central", "west", "gap_east_central", "gap_central_west", "gap_east_west"]
    assert zones[1] == [2015, 129, 92, 55, 37, 37, 74]
    assert [c.value for c in wb["数据检查"][1]][:3] == ["year", "indicator", "coverage"]
    assert wb["数据检查"].max_row == 1 + 2 * 3
    skew = [row[4].value for row in wb["数据检查"].iter_rows(min_row=2)]
    assert skew[0] == round(float(report.table["skewness"][0]), 3) and skew[0] != report.table["skewness"][0]
    assert load_workbook(write_results(tmp_path / "bare.xlsx", result)).sheetnames == ["指数", "区域对比", "目标"]


def test_it_writes_named_tables_as_sheets_or_the_first_as_csv(tmp_path):
    frames = {"甲": pd.DataFrame({"x": [1, 2]}), "乙": pd.DataFrame({"y": ["a"]})}
    wb = load_workbook(write_frames(tmp_path / "t.xlsx", frames))
    assert wb.sheetnames == ["甲", "乙"] and [[c.value for c in r] for r in wb["乙"].iter_rows()] == [["y"], ["a"]]
    csv = write_frames(tmp_path / "t.csv", frames)
    assert csv.read_text(encoding="utf-8-sig") == "x\n1\n2\n"
    assert (tmp_path / "t.乙.csv").read_text(encoding="utf-8-sig") == "y\na\n"
    assert written(csv, frames) == [csv, tmp_path / "t.乙.csv"]
    assert written(tmp_path / "t.xlsx", frames) == [tmp_path / "t.xlsx"]
    for name in ("t.txt", "t.xls", "t", "t.parquet"):
        with pytest.raises(ParameterError) as exc:
            write_frames(tmp_path / name, frames)
        assert str(exc.value) == f"unsupported output format '{Path(name).suffix or name}': choose .xlsx, .csv"
        assert not (tmp_path / name).exists()
    with pytest.raises(ParameterError):
        write_results(tmp_path / "r.ods", IndexPipeline.from_definition(definition()).run(P))


def test_it_writes_parquet_tables_an_analyst_can_read_back(tmp_path):
    import duckdb

    frames = {"runs": pd.DataFrame({"run": [0, 1], "normalise": ["minmax", "=zscore"]}),
              "scores": pd.DataFrame({"run": [0, 0, 1], "region": ["110000", "330000", "110000"],
                                      "rank": np.array([1, 2, 1], dtype=np.int32)})}
    paths = write_parquet(tmp_path / "runs.parquet", frames)
    assert paths == [tmp_path / "runs.parquet", tmp_path / "runs.scores.parquet"]
    with duckdb.connect() as con:
        back = con.execute(f"SELECT * FROM '{paths[0]}'").fetchall()
        assert back == [(0, "minmax"), (1, "=zscore")]
        assert con.execute(f"SELECT region, rank FROM '{paths[1]}' ORDER BY run, region").fetchall() == [
            ("110000", 1), ("330000", 2), ("110000", 1)]
    with pytest.raises(ParameterError):
        write_parquet(tmp_path / "runs.csv", frames)
    assert np.isnan(results_frame(IndexPipeline.from_definition(definition()).run(P))["growth"][0])


def test_it_rounds_to_two_decimals_and_compounds_over_every_year(tmp_path):
    # 110000 (east) and 990000 (no known zone) over 2015–2017; ratio scores a1/50, 4/a2, b1/10 (× 100)
    X = np.array([[[40.0, 7.0, 10.0], [20.0, 6.0, 7.0]],
                  [[82 / 2, 6.0, 10.0], [20.0, 6.0, 7.0]],
                  [[45.0, 7.0, 12.0], [22.0, 6.0, 8.0]]])
    d = definition(targets=[{"region": "110000", "year": 2017, "value": 100}])
    result = IndexPipeline.from_definition(d).run(P.__class__([2015, 2016, 2017], ["110000", "990000"],
                                                              P.indicators, X))

    def total(a1, a2, b1):
        return 0.6 * (a1 * 2 + 400 / a2) / 2 + 0.4 * b1 * 10

    t = {(y, r): total(*X[k, i]) for k, y in enumerate([2015, 2016, 2017]) for i, r in enumerate(["110000", "990000"])}
    frame = results_frame(result).set_index(["year", "region"])
    assert frame.loc[(2016, "110000"), "growth"] == round(t[2016, "110000"] - t[2015, "110000"], 2)
    assert frame.loc[(2017, "110000"), "T 总指数"] == round(t[2017, "110000"], 2)
    assert frame.loc[(2015, "110000"), "A 甲"] == round((80 + 400 / 7) / 2, 2)
    cagr = ((t[2017, "110000"] / t[2015, "110000"]) ** 0.5 - 1) * 100
    assert frame.loc[(2015, "110000"), "cagr_2015_2017_pct"] == round(cagr, 2)
    assert frame.loc[(2015, "990000"), ["name", "zone"]].tolist() == ["990000", ""]
    path = write_results(tmp_path / "three.xlsx", result, check_panel(result.panel), locale="en")
    wb = load_workbook(path)
    assert [c.value for c in wb["指数"][1]][-3:] == ["T Total", "A Alpha", "B Beta"]
    targets = [[c.value for c in row] for row in wb["目标"].iter_rows()]
    assert targets[0] == ["region", "target_year", "target", "year", "value", "gap", "met", "needed_per_year"]
    assert targets[1][:6] == ["110000", 2017, 100, 2017, round(t[2017, "110000"], 2), round(100 - t[2017, "110000"], 2)]
    assert targets[1][4] != round(t[2017, "110000"], 3)
    east = [[c.value for c in row] for row in wb["区域对比"].iter_rows()][1][1]
    assert east == round(t[2015, "110000"], 2)
    checks = [[c.value for c in row] for row in wb["数据检查"].iter_rows()]
    assert checks[0][4] == "skewness" and all(v is None for v in [r[4] for r in checks[1:]])  # 2 regions: none
    assert [r[2] for r in checks[1:4]] == [1, 1, 1]


def test_csv_tables_start_with_a_byte_order_mark(tmp_path):
    csv = write_frames(tmp_path / "t.csv", {"甲": pd.DataFrame({"名称": ["浙江"]})})
    assert csv.read_bytes() == "\ufeff名称\n浙江\n".encode()
