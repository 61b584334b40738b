"""Reading indicator files at the edges: the limits reach the reader, unreadable files, a sheet
of one row, a later sheet without the long columns, empty cells written by a spreadsheet (None,
not empty text), the year's bounds, and merging files whose faults have no sheet of their own.

Each expectation is written out by hand; every value follows from the file in the test.
"""

import zipfile

import numpy as np
import pytest

from ronghe.core.errors import AnswerFileError
from ronghe.core.index.data import _number, read_panel, read_panels
from ronghe.core.io.guard import Limits
from tests.core.index.test_data import _xlsx

IDS = ["a1", "a2", "b1"]


def _faults(call):
    with pytest.raises(AnswerFileError) as exc:
        call()
    return [(e.sheet, e.row, e.column, e.value, e.reason, e.code) for e in exc.value.errors]


def _csv(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_the_limits_given_reach_the_file_check_for_one_file_and_for_several(tmp_path):
    f = _csv(tmp_path / "s.csv", "region,year,indicator,value\n110000,2015,a1,1\n")
    g = _csv(tmp_path / "t.csv", "region,year,indicator,value\n330000,2015,a1,2\n")
    small = Limits(max_bytes=10)
    too_large = (None, 0, "", "s.csv", f"the file is {f.stat().st_size} B, more than the limit of 10 B",
                 "file.too_large")
    assert _faults(lambda: read_panel(f, IDS, small)) == [too_large]
    assert _faults(lambda: read_panels([f], IDS, small)) == [too_large]
    # with several files the fault is named after the file it concerns, and every file is reported
    assert _faults(lambda: read_panels([f, g], IDS, small)) == [
        ("s.csv", *too_large[1:]),
        ("t.csv", 0, "", "t.csv", f"the file is {g.stat().st_size} B, more than the limit of 10 B", "file.too_large")]
    # and without limits the same files read
    assert read_panels([f, g], IDS).regions == ["110000", "330000"]


def test_a_csv_that_is_not_utf8_is_refused_with_the_parser_s_reason(tmp_path):
    f = tmp_path / "latin.csv"
    f.write_bytes("region,year,indicator,value\n110000,2015,a1,1\n110000,2015,a2,\xff\n".encode("latin-1"))
    [(sheet, row, column, value, reason, code)] = _faults(lambda: read_panel(f, IDS))
    assert (sheet, row, column, value, code) == (None, 0, "", "latin.csv", "data.unreadable_csv")
    assert reason == "cannot read the CSV: 'utf-8' codec can't decode byte 0xff in position 60: invalid start byte"


@pytest.mark.parametrize("body", ["110000,2015,a1,1,5\n", "110000,2015,a1,1\n110000,2015,a2,1,5\n"])
def test_a_csv_line_with_more_fields_than_the_header_is_refused_not_shifted(tmp_path, body):
    f = _csv(tmp_path / "extra.csv", "region,year,indicator,value\n" + body)
    [(sheet, row, column, value, reason, code)] = _faults(lambda: read_panel(f, IDS))
    line = body.count("\n") + 1
    assert (sheet, row, column, value, code) == (None, 0, "", "extra.csv", "data.unreadable_csv")
    assert reason == f"cannot read the CSV: Error tokenizing data. C error: Expected 4 fields in line {line}, saw 5\n"


def test_a_zip_that_is_no_workbook_is_refused_as_unreadable(tmp_path):
    f = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(f, "w") as zf:
        zf.writestr("notes.txt", "not a workbook")
    [(sheet, row, column, value, reason, code)] = _faults(lambda: read_panel(f, IDS))
    assert (sheet, row, column, value, code) == (None, 0, "", "notes.xlsx", "file.unreadable")
    assert reason.startswith("cannot read the spreadsheet: ") and len(reason) > len("cannot read the spreadsheet: ")


def test_a_long_sheet_of_one_row_is_read_and_so_is_the_sheet_after_an_empty_one(tmp_path):
    header = ["region", "year", "indicator", "value"]
    f = _xlsx(tmp_path / "one.xlsx", {"first": [header], "second": [header, ["330000", 2016, "a2", 4]],
                                      "third": [header, [110000, 2015, "a1", 2.5]]})
    p = read_panel(f, IDS)
    assert (p.years, p.regions) == ([2015, 2016], ["110000", "330000"])
    np.testing.assert_array_equal(p.X, [[[2.5, np.nan, np.nan], [np.nan, np.nan, np.nan]],
                                        [[np.nan, np.nan, np.nan], [np.nan, 4, np.nan]]])


def test_a_later_sheet_of_a_long_workbook_without_the_long_columns_is_refused(tmp_path):
    f = _xlsx(tmp_path / "two.xlsx", {"2015": [["region", "year", "indicator", "value"], ["110000", 2015, "a1", 1]],
                                      "notes": [["region", "year", "remark"], ["110000", 2015, "estimated"]]})
    reason = "the '{}' column is missing: every sheet of a long file has region, year, indicator and value"
    assert _faults(lambda: read_panel(f, IDS)) == [
        ("notes", 1, "indicator", None, reason.format("indicator"), "data.long_column"),
        ("notes", 1, "value", None, reason.format("value"), "data.long_column")]


def test_empty_cells_of_a_workbook_are_faults_of_the_field_they_leave_empty(tmp_path):
    rows = [["region", "year", "indicator", "value"], [None, 2015, "a1", 1], ["110000", None, "a1", 1],
            ["110000", 2015, None, 1], ["110000", 2015, "a2", None], ["330000", 2015, "a1", 3]]
    f = _xlsx(tmp_path / "holes.xlsx", {"s": rows})
    faults = [(sheet, row, column, code) for sheet, row, column, _, _, code in _faults(lambda: read_panel(f, IDS))]
    assert faults == [("s", 2, "region", "row.region"), ("s", 3, "year", "data.year"),
                      ("s", 4, "indicator", "data.indicator")]  # an empty value is a missing value, not a fault
    good = _xlsx(tmp_path / "good.xlsx", {"s": [rows[0], rows[4], rows[5]]})
    p = read_panel(good, IDS)
    np.testing.assert_array_equal(p.X, [[[np.nan, np.nan, np.nan], [3, np.nan, np.nan]]])


@pytest.mark.parametrize(("year", "ok"), [(1948, False), (1949, True), (1950, True), (2199, True), (2200, True),
                                          (2201, False), (2015.5, False)])
def test_the_year_runs_from_1949_to_2200_inclusive(tmp_path, year, ok):
    f = _csv(tmp_path / "y.csv", f"region,year,indicator,value\n110000,{year},a1,1\n")
    if ok:
        assert read_panel(f, IDS).years == [year]
    else:
        faults = _faults(lambda: read_panel(f, IDS))
        assert [(r, c, code) for _, r, c, _, _, code in faults] == [(2, "year", "data.year")]


def test_a_mixed_column_reads_separators_and_flags_text_and_true(tmp_path):
    header = ["region", "year", "indicator", "value"]
    good = _xlsx(tmp_path / "mixed.xlsx", {"s": [header, ["110000", 2015, "a1", 3], ["110000", 2015, "a2", "1,200.5"],
                                                 ["110000", 2015, "b1", " 7 "]]})
    np.testing.assert_array_equal(read_panel(good, IDS).X, [[[3, 1200.5, 7]]])
    bad = _xlsx(tmp_path / "bad.xlsx", {"s": [header, ["110000", 2015, "a1", True], ["110000", 2015, "a2", "lots"],
                                              ["110000", 2015, "b1", "1,5"]]})
    assert [(r, c, v, code) for _, r, c, v, _, code in _faults(lambda: read_panel(bad, IDS))] == [
        (2, "value", True, "data.value"), (3, "value", "lots", "data.value")]


def test_a_cell_is_a_number_empty_or_a_fault():
    assert np.isnan(_number(None)) and np.isnan(_number("  ")) and np.isnan(_number(float("nan")))
    assert (_number(True), _number(float("inf")), _number("inf"), _number("1e999"), _number("nan"), _number("x")) == (
        None, None, None, None, None, None)
    assert (_number(3), _number(2.5), _number(" 1,200.5 "), _number("-0.5"), _number("1e3")) == (
        3.0, 2.5, 1200.5, -0.5, 1000.0)


def test_files_holding_only_empty_values_hold_no_values_merged_either(tmp_path):
    f = _csv(tmp_path / "f.csv", "region,year,indicator,value\n110000,2015,a1,\n")
    g = _csv(tmp_path / "g.csv", "region,year,indicator,value\n330000,2015,a1,\n")
    assert _faults(lambda: read_panels([f, g], IDS)) == [
        (None, 0, "", None, "the file holds no indicator values", "data.empty")]
    wide = _xlsx(tmp_path / "w.xlsx", {"2015": [["region", "a1"]]})
    assert _faults(lambda: read_panel(wide, IDS)) == [
        (None, 0, "", None, "the file holds no indicator values", "data.empty")]


def test_a_blank_value_in_one_file_does_not_clash_with_the_value_in_another(tmp_path):
    f = _csv(tmp_path / "f.csv", "region,year,indicator,value\n110000,2015,b1,5\n")
    g = _csv(tmp_path / "g.csv", "region,year,indicator,value\n110000,2015,b1,\n330000,2015,b1,6\n")
    p = read_panels([g, f], IDS)
    np.testing.assert_array_equal(p.X, [[[np.nan, np.nan, 5], [np.nan, np.nan, 6]]])
    # a file-level fault of one of several files is named after that file, with its own row and value
    empty = _csv(tmp_path / "empty.csv", "region,year,indicator,value\n")
    assert _faults(lambda: read_panels([f, empty], IDS)) == [
        ("empty.csv", 0, "", None, "the file holds no indicator values", "data.empty")]
