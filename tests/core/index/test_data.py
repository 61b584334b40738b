"""Reading indicator files: every bad cell of a long or wide file with its sheet, row, column,
value and reason; the spreadsheet formats; merging several files; the panel's own helpers.

tests/files/index/wide-2015.xls and .ods were written by LibreOffice from wide-2015.csv:
``soffice --headless --convert-to xls|ods --infilter=CSV:44,34,76,1 2015.csv`` (the sheet
takes the CSV's name, 2015), then renamed.
"""

import numpy as np
import pytest
from openpyxl import Workbook

from ronghe.core.errors import AnswerFileError
from ronghe.core.index.data import Panel, read_panel, read_panels, region_name, zone_of
from tests.conftest import FILES

IDS = ["a1", "a2", "b1"]


def _errors(path, indicators=IDS):
    with pytest.raises(AnswerFileError) as exc:
        read_panel(path, indicators)
    return [(e.sheet, e.row, e.column, e.value, e.reason) for e in exc.value.errors]


def _xlsx(path, sheets):
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_a_long_file_becomes_a_panel_sorted_by_year_and_region(tmp_path):
    f = tmp_path / "long.csv"
    f.write_text("\ufeffRegion , YEAR,indicator,value\n330000,2016,a1,\"1,200.5\"\n110000,2015,b1, 7 \n,,,\n"
                 "330000,2015,a2,5\n330000,2015,b1,\n", encoding="utf-8")
    p = read_panel(f, IDS)
    assert (p.years, p.regions, p.indicators) == ([2015, 2016], ["110000", "330000"], IDS)
    np.testing.assert_array_equal(p.X, [[[np.nan, np.nan, 7], [np.nan, 5, np.nan]],
                                        [[np.nan, np.nan, np.nan], [1200.5, np.nan, np.nan]]])


def test_it_names_every_bad_cell_of_a_long_file(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("region,year,indicator,value\n33000,2015,a1,1\n330000,,a1,1\n330000,twenty,a1,1\n"
                 "330000,2015,zz,1\n330000,2015,a1,lots\n330000,2015,a1,1\n330000,2015,a1,2\n330000,2015\n",
                 encoding="utf-8")
    assert _errors(f) == [
        ("bad", 2, "region", "33000", "a region is a 6-digit GB/T 2260 code"),
        ("bad", 3, "year", "", "the year must be a whole number from 1949 to 2200"),
        ("bad", 4, "year", "twenty", "the year must be a whole number from 1949 to 2200"),
        ("bad", 5, "indicator", "zz", "not an indicator of this index"),
        ("bad", 6, "value", "lots", "the value must be a finite number"),
        ("bad", 8, "value", "2", "duplicate value (first at row 7)"),
        ("bad", 9, "indicator", "", "not an indicator of this index"),  # a short line
    ]


def test_a_long_sheet_in_a_workbook_is_read_like_a_csv(tmp_path):
    f = _xlsx(tmp_path / "long.xlsx", {"数据": [["region", "year", "indicator", "value"], [330000, 2015, "a1", 3.5],
                                               [110000.0, 2015.0, "b1", 2], ["11", 2015, "b1", 2]]})
    assert _errors(f) == [("数据", 4, "region", "11", "a region is a 6-digit GB/T 2260 code")]


def test_a_wide_workbook_has_a_sheet_per_year(tmp_path):
    f = _xlsx(tmp_path / "wide.xlsx", {
        "2016": [["region", "name", "a1", "b1"], ["330000", "浙江省", 50, None], ["", ""],
                 ["110000", "北京", "1,000", 3]],
        "2015": [["name", "region", "a1"], ["北京", 110000, 40]],
    })
    p = read_panel(f, IDS)
    assert (p.years, p.regions) == ([2015, 2016], ["110000", "330000"])
    np.testing.assert_array_equal(p.X[:, :, 0], [[40, np.nan], [1000, 50]])
    np.testing.assert_array_equal(p.X[:, :, 2], [[np.nan, np.nan], [3, np.nan]])


def test_it_names_every_bad_cell_of_a_wide_workbook(tmp_path):
    f = _xlsx(tmp_path / "wide.xlsx", {
        "说明": [["这是说明"]],
        "2016": [["a1", "a2"], [1, 2]],
        "2015": [["region", "a1", "zz", "a2"], ["110000", "x", 1, 2], ["11000", 1, 1, 1], ["110000", 3, 1, 1],
                 ["330000", 4, 1, True]],
    })
    assert _errors(f) == [
        ("说明", 0, "", "说明", "in the wide shape each sheet is named by its year (e.g. 2015)"),
        ("2016", 1, "region", None, "the 'region' column is missing"),
        ("2015", 1, "zz", "zz", "not an indicator of this index"),
        ("2015", 2, "a1", "x", "the value must be a number"),
        ("2015", 3, "region", "11000", "a region is a 6-digit GB/T 2260 code"),
        ("2015", 4, "region", "110000", "duplicate region (first at row 2)"),
        ("2015", 5, "a2", True, "the value must be a number"),  # TRUE is not a number
    ]


def test_an_empty_first_sheet_is_a_wide_sheet_without_its_region_column(tmp_path):
    f = _xlsx(tmp_path / "empty-first.xlsx", {"2015": [], "2016": [["region", "a1"], ["110000", 1]]})
    assert _errors(f) == [("2015", 1, "region", None, "the 'region' column is missing")]


@pytest.mark.parametrize("name", ["wide-2015.xls", "wide-2015.ods"])
def test_it_refuses_xls_and_ods_which_cannot_be_bounded_before_parsing(name):
    """Only xlsx and CSV are read: their extent is checked from the bytes (core/io/guard.py) before a
    parser allocates anything; the binary .xls and the .ods are refused with what to do instead."""
    suffix = name.rsplit(".", 1)[1]
    assert _errors(FILES / "index" / name, ["a1", "a2"]) == [
        (None, 0, "", name, f"unsupported file type '.{suffix}': save the file as .xlsx or .csv")]


def test_a_wide_csv_is_one_sheet_named_after_the_file():
    assert _errors(FILES / "index" / "wide-2015.csv", ["a1", "a2"]) == [
        ("wide-2015", 0, "", "wide-2015", "in the wide shape each sheet is named by its year (e.g. 2015)")]


def test_it_refuses_other_formats_and_empty_files(tmp_path):
    txt = tmp_path / "data.txt"
    txt.write_text("region,year,indicator,value\n", encoding="utf-8")
    assert _errors(txt) == [(None, 0, "", "data.txt", "unsupported file type '.txt': save the file as .xlsx or .csv")]
    empty = tmp_path / "empty.csv"
    empty.write_text("region,year,indicator,value\n", encoding="utf-8")
    assert _errors(empty) == [(None, 0, "", None, "the file holds no indicator values")]


def test_it_merges_files_and_names_a_value_given_twice(tmp_path):
    stats = tmp_path / "stats.csv"
    stats.write_text("region,year,indicator,value\n110000,2015,a1,1\n110000,2016,a1,2\n", encoding="utf-8")
    survey = tmp_path / "survey.csv"
    survey.write_text("region,year,indicator,value\n330000,2015,a2,3\n110000,2016,b1,\n", encoding="utf-8")
    p = read_panels([stats, survey], IDS)
    assert (p.years, p.regions) == ([2015, 2016], ["110000", "330000"])
    np.testing.assert_array_equal(p.X, [[[1, np.nan, np.nan], [np.nan, 3, np.nan]],
                                        [[2, np.nan, np.nan], [np.nan, np.nan, np.nan]]])
    one = read_panels([survey], IDS)
    assert (one.years, one.regions) == ([2015, 2016], ["110000", "330000"])
    again = tmp_path / "again.csv"
    again.write_text("region,year,indicator,value\n110000,2016,a1,2.5\n110000,2015,a1,1\n", encoding="utf-8")
    with pytest.raises(AnswerFileError) as exc:
        read_panels([stats, survey, again], IDS)
    assert [(e.sheet, e.row, e.column, e.value, e.reason) for e in exc.value.errors] == [
        ("again.csv", 0, "a1", 1.0, "110000 2015 is also given in stats.csv"),
        ("again.csv", 0, "a1", 2.5, "110000 2016 is also given in stats.csv"),
    ]


def test_a_panel_knows_its_years_and_its_long_shape():
    p = Panel([2015, 2016], ["110000", "330000"], ["a1", "b1"], np.arange(8.0).reshape(2, 2, 2))
    assert p.year_index(2016) == 1
    with pytest.raises(KeyError) as exc:
        p.year_index(2014)
    assert exc.value.args[0] == "no data for 2014 (years: 2015, 2016)"
    long = p.long()
    assert list(long.columns) == ["region", "year", "indicator", "value"]
    assert long.values.tolist()[:3] == [["110000", 2015, "a1", 0.0], ["110000", 2015, "b1", 1.0],
                                        ["330000", 2015, "a1", 2.0]]
    assert long.values.tolist()[-1] == ["330000", 2016, "b1", 7.0]


def test_region_names_and_zones_come_from_the_province_table():
    assert (region_name("330000"), region_name("330000", "en"), region_name("330000", "en-GB")) == (
        "浙江省", "Zhejiang", "Zhejiang")
    assert region_name("330100") == "330100"  # not a province: the code itself
    assert (zone_of("330106"), zone_of("140000"), zone_of("620000"), zone_of("990000")) == (
        "east", "central", "west", None)


def _reference_long(rows_by_sheet, indicators):
    """The long reader as it was written before it worked on columns: one Python loop over the
    rows, every field checked by the cell rules. The column reader must agree with it exactly."""
    import re

    from ronghe.core.index.data import _code, _number

    errors, records = [], {}
    for sheet, rows in rows_by_sheet.items():
        header = [str(c).strip().lower() for c in rows[0]]
        col = {n: header.index(n) for n in ("region", "year", "indicator", "value") if n in header}
        for i, row in enumerate(rows[1:], start=2):
            if all(c in (None, "") for c in row):
                continue
            region, year, ind, raw = (row[col[n]] if n in col and col[n] < len(row) else None
                                      for n in ("region", "year", "indicator", "value"))
            before = len(errors)
            code = _code(region)
            if code is None or not re.match(r"^\d{6}$", code):
                errors.append((sheet, i, "region", region))
            y = _number(year)
            if y is None or np.isnan(y) or not y.is_integer() or not 1949 <= y <= 2200:
                errors.append((sheet, i, "year", year))
            ind = str(ind).strip()
            if ind not in indicators:
                errors.append((sheet, i, "indicator", ind))
            value = _number(raw)
            if value is None:
                errors.append((sheet, i, "value", raw))
            if len(errors) > before:
                continue
            key = (int(y), code, ind)
            if key in records:
                errors.append((sheet, i, "value", raw, records[key][1]))
                continue
            records[key] = (value, i)
    return errors, records


@pytest.mark.parametrize("seed", range(6))
def test_the_column_reader_agrees_with_a_row_by_row_reader_on_messy_files(tmp_path, seed):
    rng = np.random.default_rng(seed)
    regions = ["110000", " 330100", "33010", "3301000", "", "abcdef", "330106 "]
    years = ["2015", "2016", " 2017", "2016.0", "2016.5", "1900", "", "twenty", "inf"]
    names = ["a1", "a2", " b1 ", "zz", "", "A1"]
    values = ["1", "2.5", " 7 ", "1,200.5", "", "nan", "inf", "-1e999", "lots", "1e3", "+4", "-0.5", "1_000"]
    lines = ["region,year,indicator,value"]
    for _ in range(300):
        pick = [str(rng.choice(options)) for options in (regions, years, names, values)]
        lines.append(",".join(f'"{c}"' if "," in c else c for c in pick) if rng.random() > 0.03 else ",,,")
    f = tmp_path / f"messy{seed}.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import csv

    rows = [list(r) for r in csv.reader(f.read_text(encoding="utf-8").splitlines())]
    expected, records = _reference_long({f.stem: rows}, set(IDS))
    if expected:
        with pytest.raises(AnswerFileError) as exc:
            read_panel(f, IDS)
        got = [(e.sheet, e.row, e.column, e.value) + ((int(e.reason.split("row ")[1].rstrip(")")),)
                                                      if e.code == "data.duplicate_value" else ())
               for e in exc.value.errors]
        assert got == expected
    # the good rows alone read to the panel the reference builds
    good = [rows[0]] + [r for i, r in enumerate(rows[1:], start=2)
                        if all(e[1] != i for e in expected) and any(c for c in r)]
    g = tmp_path / f"good{seed}.csv"
    g.write_text("\n".join(",".join(f'"{c}"' if "," in c else c for c in r) for r in good) + "\n", encoding="utf-8")
    _, records = _reference_long({g.stem: good}, set(IDS))
    p = read_panel(g, IDS)
    assert p.years == sorted({y for y, _, _ in records})
    assert p.regions == sorted({r for _, r, _ in records})
    got = {(p.years[t], p.regions[r], p.indicators[k]): p.X[t, r, k] for t, r, k in np.argwhere(~np.isnan(p.X))}
    assert got == {k: v for k, (v, _) in records.items() if not np.isnan(v)}


def test_a_long_workbook_with_numbers_text_and_true_is_checked_cell_by_cell(tmp_path):
    rows = [["region", "year", "indicator", "value"], [330000, 2015, "a1", True], [330000.0, "2016", "a1", "1,5"],
            [110000, 2015.0, "b1", 3], [None, None, None, None], ["110000", 2015, "b1", 4.5]]
    f = _xlsx(tmp_path / "mixed.xlsx", {"s": rows})
    assert _errors(f) == [("s", 2, "value", True, "the value must be a finite number"),
                          ("s", 6, "value", 4.5, "duplicate value (first at row 4)")]  # openpyxl writes no empty row


def test_a_long_file_of_blank_rows_holds_no_values(tmp_path):
    f = tmp_path / "blank.csv"
    f.write_text("region,year,indicator,value\n,,,\n,,,\n", encoding="utf-8")
    assert _errors(f) == [(None, 0, "", None, "the file holds no indicator values")]
