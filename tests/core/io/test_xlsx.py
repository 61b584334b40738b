import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from ronghe.core.errors import AnswerFileError
from ronghe.core.io.xlsx import read_answers, read_results, score_file, write_results, write_template
from ronghe.core.scoring import score_one


def _sheet(path, name):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def test_it_scores_a_file_written_by_libreoffice_like_score_one(lo_files, mini):
    scored = score_file(lo_files["mini-good"], mini)
    assert scored.errors == [] and scored.rows == [2, 3, 4]
    assert scored.ids["enterprise"].tolist() == ["杭州甲机械有限公司", "宁波乙化工有限公司", "温州丙电子有限公司"]
    expected = score_one(mini, {"a1": "B", "a2": "是", "b1": "CAE", "b2": 75.5, "b3": 12})
    assert scored.scores.total[2] == pytest.approx(expected.total)
    assert scored.scores.total[0] == pytest.approx(84.9)  # the hand-computed case of test_score.py


def test_it_names_row_column_value_and_reason_of_every_bad_cell(lo_files, mini):
    with pytest.raises(AnswerFileError) as exc:
        score_file(lo_files["mini-bad"], mini)
    got = [(e.row, e.column, e.value, e.reason) for e in exc.value.errors]
    assert got == [
        (2, "a1", "E", "not an option of a1; choose one of A, B, C, D"),
        (3, "b2", "abc", "b2 takes a number in %"),
        (4, "b2", 175.0, "b2 must lie within 0–100 %"),
    ]
    assert {e.sheet for e in exc.value.errors} == {"mini-bad"}  # LibreOffice names the sheet after the CSV


def test_it_scores_the_good_rows_and_keeps_the_errors_when_asked(lo_files, mini):
    scored = score_file(lo_files["mini-bad"], mini, skip_invalid=True)
    assert scored.rows == [5] and scored.skipped == 3
    assert scored.ids["enterprise"].tolist() == ["台州丁汽配有限公司"]
    assert len(scored.errors) == 3


def test_it_reads_back_its_own_template_filled_in(tmp_path, mini):
    path = write_template(mini, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["答卷"]
    assert [c.value for c in ws[1]] == ["enterprise", "credit_code", "region", "year", "a1", "a2", "b1", "b2", "b3"]
    assert ws["A2"].value == "企业名称" and ws["I2"].value == "每百人计算机数 (台/百人)"
    kinds = {str(dv.sqref)[0]: dv.type for dv in ws.data_validations.dataValidation}
    assert kinds == {"E": "list", "F": "list", "G": None, "H": "decimal", "I": "decimal"}
    a1 = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith("E"))
    assert a1.formula1 == '"A,B,C,D"'
    items = list(wb["题目说明"].iter_rows(values_only=True))
    assert len(items) == 1 + 5
    b3 = next(r for r in items if r[0] == "b3")
    assert b3[9] == "仅当 a2 = 是" and b3[10] == "否"
    for r, row in enumerate([["甲", None, "330106", 2025, "C", "是", "CAD,PDM", 60, 35],
                             ["乙", None, "330200", 2025, "D", "否", "无", 40, None]], start=3):
        for k, v in enumerate(row, start=1):
            ws.cell(row=r, column=k, value=v)
    wb.save(path)
    table = read_answers(path, mini)
    assert table.rows == [3, 4]
    scored = score_file(path, mini)
    assert scored.scores.total.tolist() == pytest.approx([84.9, 35.0])


def test_it_writes_results_with_diagnosis_and_an_error_sheet(lo_files, mini, tmp_path):
    out = write_results(tmp_path / "r.xlsx", score_file(lo_files["mini-bad"], mini, skip_invalid=True), mini)
    results = _sheet(out, "结果")
    assert results[0][:4] == ["enterprise", "credit_code", "year", "row"]  # identity columns present in the file
    assert "L 发展水平" in results[0] and "nc_rate 关键工序数控化率" in results[0]
    assert results[1][0] == "台州丁汽配有限公司"
    errors = _sheet(out, "错误")
    assert [r[1:3] for r in errors[1:]] == [[2, "a1"], [3, "b2"], [4, "b2"]]
    diagnosis = _sheet(out, "诊断")
    assert any(r[2] == "晋级差距" and r[3] == "B 单项应用" for r in diagnosis[1:])


def test_it_writes_csv_results_and_errors_beside_them(lo_files, mini, tmp_path):
    write_results(tmp_path / "r.csv", score_file(lo_files["mini-bad"], mini, skip_invalid=True), mini)
    assert pd.read_csv(tmp_path / "r.csv")["enterprise"].tolist() == ["台州丁汽配有限公司"]
    assert pd.read_csv(tmp_path / "r.errors.csv")["row"].tolist() == [2, 3, 4]


def _csv(tmp_path, text, name="a.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_text(text, encoding=encoding)
    return p


@pytest.mark.parametrize(("text", "expected"), [
    ("enterprise,year,a1,aa1\n甲,2025,A,1\n", [(1, "aa1", "unknown column D: not an item of mini; did you mean 'a1'?"),
                                              (2, "a1", None)]),
    ("name,a1\n甲,A\n", [(1, "enterprise", "the 'enterprise' column (企业名称) is missing")]),
    ("enterprise,a1,a1\n甲,A,B\n", [(1, "a1", "duplicate column (also column B)")]),
    ("enterprise,year,a1\n甲,2025,A\n,2025,B\n甲,2025,C\n",
     [(3, "enterprise", "the enterprise name is empty"),
      (4, "enterprise", "duplicate enterprise and year (first at row 2)")]),
    ("enterprise,a1\n", [(2, "", "the file has no answer rows")]),
    ("enterprise,region,a1\n甲,3301,A\n", [(2, "region", "a region is a 6-digit GB/T 2260 code")]),
    ("enterprise,industry,a1\n甲,99,A\n", [(2, "industry", "an industry is a GB/T 4754 division (2 digits) or "
                                                          "section (A–T)")]),
    ("enterprise,size,a1\n甲,大型,A\n", [(2, "size", "a size band is one of 300人以下, 300-1000人, 1000-5000人, "
                                                   "5000-10000人, 10000人以上")]),
])
def test_it_rejects_a_badly_shaped_file_with_the_place_and_reason(tmp_path, mini, text, expected):
    with pytest.raises(AnswerFileError) as exc:
        read_answers(_csv(tmp_path, text), mini)
    got = [(e.row, e.column, e.reason) for e in exc.value.errors]
    for want in expected:
        if want[2] is None:  # no structural complaint about this cell: a1 = "A" is valid
            assert not any(g[:2] == want[:2] for g in got)
        else:
            assert want in got


def test_it_carries_industry_and_size_through_to_the_results(tmp_path, mini):
    path = _csv(tmp_path, "enterprise,region,industry,size,a1\n甲,330106,6,300人以下,A\n乙,330106,c,,B\n")
    table = read_answers(path, mini)
    assert table.ids["industry"].tolist() == ["06", "C"] and table.ids["size"].tolist()[0] == "300人以下"
    out = write_results(tmp_path / "r.xlsx", score_file(path, mini), mini)
    back = read_results(out)
    assert back["industry"].tolist() == ["06", "C"] and back["size"].iloc[0] == "300人以下"


def test_it_reads_gb18030_csv_and_refuses_other_formats(tmp_path, mini):
    table = read_answers(_csv(tmp_path, "enterprise,a1\n宁波乙,B\n", encoding="gb18030"), mini)
    assert table.ids["enterprise"].tolist() == ["宁波乙"]
    with pytest.raises(AnswerFileError, match=r"save the file as \.xlsx or \.csv") as info:
        read_answers(_csv(tmp_path, "x", name="a.txt"), mini)
    assert info.value.errors[0].code == "file.type"
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(AnswerFileError, match=r"not a valid \.xlsx file") as info:
        read_answers(broken, mini)
    assert info.value.errors[0].code == "zip.bad"


def _csv_file(tmp_path, text, name="answers.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_reports_identity_and_answer_faults_in_one_run(tmp_path, mini):
    """A bad year or region no longer hides the bad answers of the same file."""
    path = _csv_file(tmp_path, "enterprise,region,year,a1,b2\n甲,3301,2025,E,50\n乙,330106,1999,A,abc\n"
                               ",330106,2024,B,50\n")
    with pytest.raises(AnswerFileError) as exc:
        read_answers(path, mini, this_year=2026)
    got = [(e.row, e.column) for e in exc.value.errors]
    assert got == [(2, "a1"), (2, "region"), (3, "b2"), (3, "year"), (4, "enterprise")]


@pytest.mark.parametrize(("year", "ok"), [(1999, False), (2000, True), (2027, True), (2028, False),
                                          (2026.5, False), (-1, False), (2 ** 70, False)])
def test_it_bounds_the_year_to_the_framework_and_next_year(tmp_path, mini, year, ok):
    path = _csv_file(tmp_path, f"enterprise,year,a1\n甲,{year},B\n")
    if ok:
        assert read_answers(path, mini, this_year=2026).ids["year"].tolist() == [str(year)]
    else:
        with pytest.raises(AnswerFileError, match="the year must be a whole number from 2000 to 2027"):
            read_answers(path, mini, this_year=2026)


HOSTILE_NAMES = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "[/x] [bold]甲[/bold]"]


def test_it_writes_formula_like_text_as_text_in_xlsx_and_csv(tmp_path, mini):
    rows = "".join(f'"{n.replace(chr(34), chr(34) * 2)}",B,是,CAD,-5\n' for n in HOSTILE_NAMES)
    path = _csv_file(tmp_path, "enterprise,a1,a2,b1,b3\n" + rows)
    scored = score_file(path, mini)
    out = write_results(tmp_path / "r.xlsx", scored, mini)
    ws = openpyxl.load_workbook(out)["结果"]
    names = [ws.cell(row=r, column=1) for r in range(2, 2 + len(HOSTILE_NAMES))]
    expected = [n.strip() for n in HOSTILE_NAMES]  # the reader strips surrounding blanks
    assert [c.value for c in names] == expected  # the exact text …
    assert {c.data_type for c in names} == {"s"}  # … as string cells, which no spreadsheet evaluates
    header = [c.value for c in ws[1]]
    b3 = [ws.cell(row=r, column=header.index("b3") + 1).value for r in range(2, 2 + len(HOSTILE_NAMES))] \
        if "b3" in header else None
    assert b3 is None or set(b3) == {-5}  # negative numbers stay numbers
    csv_out = write_results(tmp_path / "r.csv", scored, mini)
    written = pd.read_csv(csv_out, encoding="utf-8-sig")["enterprise"].tolist()
    assert written == ["'" + n if n[0] in "=+-@" else n for n in expected]


def test_it_writes_index_tables_without_formulas(tmp_path):
    from ronghe.core.io.tables import write_tables

    frame = pd.DataFrame({"name": ["=1+1", "正常"], "value": [-1.5, 2.0]})
    (path,) = write_tables(tmp_path / "t.xlsx", {"表": frame})
    ws = openpyxl.load_workbook(path)["表"]
    assert (ws["A2"].value, ws["A2"].data_type, ws["B2"].value) == ("=1+1", "s", -1.5)
    (csv_path,) = write_tables(tmp_path / "t.csv", {"表": frame})
    assert csv_path.read_text(encoding="utf-8-sig").splitlines()[1] == "'=1+1,-1.5"
