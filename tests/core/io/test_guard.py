"""The input guard: every hostile file is refused from its bytes, with the limit it breaks named in
简体中文 (English on request) and a stable code; ordinary files written by other programs pass."""

import time
import zipfile

import pytest

from ronghe.core.errors import AnswerFileError
from ronghe.core.io.guard import Limits, _greater, _letters, check_file, column_number
from ronghe.core.io.xlsx import read_answers
from ronghe.core.messages import use_locale
from tests.files import hostile


@pytest.fixture(autouse=True)
def _chinese():
    """The guard's messages are checked in 简体中文, the language users meet first."""
    with use_locale("zh-Hans"):
        yield


def refused(path, limits=None):
    with pytest.raises(AnswerFileError) as info:
        check_file(path, limits)
    (error,) = info.value.errors
    return error


def test_it_refuses_the_two_cell_sparse_sheet_by_its_rows(tmp_path):
    path = hostile.two_cell_sheet(tmp_path / "sparse.xlsx")
    assert path.stat().st_size < 10_000
    e = refused(path)
    assert e.code == "sheet.rows" and e.sheet == "答卷"
    assert e.reason == "工作表“答卷”有 1,048,576 行，超过上限 1,000,000 行"


def test_it_refuses_the_sparse_sheet_by_columns_when_rows_are_allowed(tmp_path):
    path = hostile.two_cell_sheet(tmp_path / "sparse.xlsx")
    e = refused(path, Limits(max_rows=2_000_000))
    assert e.code == "sheet.columns" and "16,384 列，超过上限 2,000 列" in e.reason


def test_it_refuses_rows_times_columns_beyond_the_cell_limit(tmp_path):
    path = hostile.far_cell_sheet(tmp_path / "far.xlsx", column="ZZ", row=900_000)
    e = refused(path, Limits(max_cells=100_000_000))
    assert e.code == "sheet.cells"
    assert e.reason == "工作表“答卷”的区域 900,000 行 × 702 列超过单元格上限 100,000,000"


def test_it_finds_a_far_cell_after_the_first_megabyte_whatever_the_dimension_says(tmp_path):
    path = hostile.far_cell_sheet(tmp_path / "far.xlsx", column="B", row=3_000_000)
    assert zipfile.ZipFile(path).getinfo(hostile.SHEET).file_size > 2 << 20
    e = refused(path)
    assert e.code == "sheet.rows" and "3,000,000 行" in e.reason
    wide = hostile.far_cell_sheet(tmp_path / "wide.xlsx", column="CZZ", row=30_000)
    e = refused(wide)
    assert e.code == "sheet.columns" and "2,730 列" in e.reason  # CZZ = 3·676 + 26·26 + 26


def test_it_counts_cells_without_references_by_their_position(tmp_path):
    assert check_file(hostile.unreferenced_cells(tmp_path / "ok.xlsx", 2000)) == "xlsx"
    e = refused(hostile.unreferenced_cells(tmp_path / "wide.xlsx", 2001))
    assert e.code == "sheet.columns" and "2,001 列" in e.reason


def test_it_refuses_a_zip_bomb_by_its_compression_ratio(tmp_path):
    path = hostile.zip_bomb(tmp_path / "bomb.xlsx", megabytes=300)
    assert path.stat().st_size < 1 << 20
    started = time.perf_counter()
    e = refused(path)
    assert time.perf_counter() - started < 5  # refused from the directory, before unpacking
    assert e.code == "zip.ratio" and "疑似压缩炸弹" in e.reason and "超过上限 250:1" in e.reason


def test_it_refuses_a_zip_bomb_by_its_unpacked_size(tmp_path):
    path = hostile.zip_bomb(tmp_path / "bomb.xlsx", megabytes=64)
    e = refused(path, Limits(max_ratio=10_000, max_unzipped_bytes=32 << 20))
    assert e.code == "zip.unzipped" and e.reason == "解压后大小超过上限 32 MB（疑似压缩炸弹）"


def test_it_unpacks_as_far_as_the_stream_goes_not_as_far_as_the_header_claims(tmp_path):
    path = hostile.lying_zip(tmp_path / "liar.xlsx", megabytes=8)
    assert zipfile.ZipFile(path).getinfo(hostile.SHEET).file_size == 1000
    e = refused(path, Limits(max_ratio=10_000))
    assert e.code == "zip.size_mismatch" and hostile.SHEET in e.reason


def test_it_refuses_entity_declarations_before_any_xml_parser_runs(tmp_path):
    e = refused(hostile.billion_laughs(tmp_path / "laughs.xlsx"))
    assert e.code == "xml.entities" and "xl/sharedStrings.xml" in e.reason


def test_it_refuses_a_csv_of_one_50_mb_line(tmp_path):
    path = hostile.long_line_csv(tmp_path / "line.csv", megabytes=50)
    e = refused(path)
    assert e.code == "csv.line" and e.reason == "第 1 行的长度超过单行上限 1 MB"


def test_it_names_the_line_that_is_too_long(tmp_path):
    path = tmp_path / "lines.csv"
    path.write_bytes(b"enterprise,a1\n" + b"x,B\n" * 5 + b"y," + b"z" * 2000 + b"\nw,B\n")
    assert refused(path, Limits(max_line_bytes=1000)).reason == "第 7 行的长度超过单行上限 1000 B"
    assert check_file(path, Limits(max_line_bytes=2004)) == "csv"  # the long line is 2003 bytes with its newline


def test_it_bounds_csv_lines_cells_and_text(tmp_path):
    path = tmp_path / "many.csv"
    path.write_bytes(b"enterprise,a1,b1\n" + b"x,B,C\n" * 99)
    assert check_file(path, Limits(max_rows=100, max_cells=300)) == "csv"
    assert refused(path, Limits(max_rows=99)).reason == "CSV 文件的行数超过上限 99 行"
    assert refused(path, Limits(max_cells=299)).code == "csv.cells"
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"enterprise,a1\nx\x00,B\n")
    assert refused(nul).code == "csv.nul"


def test_it_refuses_a_file_over_the_size_limit_and_unknown_types(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"enterprise\n" + b"x\n" * 1000)
    assert refused(path, Limits(max_bytes=1000)).reason == "文件大小 2.0 KB 超过上限 1000 B"
    for name in ("a.xls", "a.ods", "a.txt", "noext"):
        (tmp_path / name).write_bytes(b"enterprise\n")
        assert refused(tmp_path / name).code == "file.type"


def test_it_speaks_english_on_request(tmp_path):
    path = hostile.two_cell_sheet(tmp_path / "sparse.xlsx")
    with use_locale("en"):
        assert refused(path).reason == "sheet '答卷' has 1,048,576 rows, more than the limit of 1,000,000"


def test_it_lets_files_written_by_libreoffice_and_by_openpyxl_pass(lo_files, tmp_path, mini):
    for path in lo_files.values():
        assert check_file(path, Limits(max_rows=50, max_columns=20, max_cells=500)) == "xlsx"
    from ronghe.core.io.xlsx import write_template

    template = write_template(mini, tmp_path / "t.xlsx", rows=500)
    assert check_file(template) == "xlsx"


def test_it_guards_every_reader(tmp_path, mini):
    """The answers reader and the index data reader call the guard before parsing."""
    from ronghe.core.index.data import read_panel, read_panels

    path = hostile.two_cell_sheet(tmp_path / "sparse.xlsx")
    for read in (lambda: read_answers(path, mini), lambda: read_panel(path, ["X"]),
                 lambda: read_panels([path, path], ["X"])):
        with pytest.raises(AnswerFileError) as info:
            read()
        assert {e.code for e in info.value.errors} == {"sheet.rows"}


@pytest.mark.parametrize("n", [1, 25, 26, 27, 52, 702, 703, 2000, 16384])
def test_it_orders_column_letters_like_a_spreadsheet(n):
    import re

    assert column_number(_letters(n)) == n
    pattern = re.compile(_greater(_letters(n), "A", "Z") + r"\d")
    for m in (n - 1, n, n + 1, n + 30, n * 26):
        if m >= 1:
            assert bool(pattern.fullmatch(_letters(m) + "1")) == (m > n), (n, m)


@pytest.mark.parametrize("n", [1, 9, 10, 99, 100, 1_000_000, 1_048_576])
def test_it_orders_row_numbers(n):
    import re

    pattern = re.compile("0*" + _greater(str(n), "0", "9"))
    for m in (n - 1, n, n + 1, n * 10):
        if m >= 1:
            assert bool(pattern.fullmatch(str(m))) == (m > n), (n, m)
    assert bool(pattern.fullmatch("00" + str(n + 1)))
