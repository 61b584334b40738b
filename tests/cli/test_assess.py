import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from ronghe.cli import app
from tests.conftest import FILES

MINI = str(FILES / "frameworks" / "mini.yaml")



def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_it_scores_a_libreoffice_file_and_summarises_the_stages(lo_files, tmp_path):
    out = tmp_path / "results.xlsx"
    r = run("assess", "score", lo_files["mini-good"], "--framework", MINI, "--out", out)
    assert r.exit_code == 0, r.output
    assert "3 scored" in r.stdout and "3 集成提升" in r.stdout
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("结果").to_python()
    assert [row[0] for row in rows[1:]] == ["杭州甲机械有限公司", "宁波乙化工有限公司", "温州丙电子有限公司"]


def test_it_writes_nothing_when_a_cell_is_bad(lo_files, tmp_path):
    out = tmp_path / "results.xlsx"
    r = run("assess", "score", lo_files["mini-bad"], "--framework", MINI, "--out", out)
    assert r.exit_code == 1
    assert not out.exists()
    assert "a1 没有这个选项；请从 A, B, C, D 中选择" in r.stderr
    assert "b2 的取值应在 0–100 % 之间" in r.stderr
    assert "nothing was written" in r.stderr
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind either


def test_it_skips_invalid_rows_when_asked_and_lists_them(lo_files, tmp_path):
    out = tmp_path / "results.xlsx"
    r = run("assess", "score", lo_files["mini-bad"], "-f", MINI, "-o", out, "--skip-invalid")
    assert r.exit_code == 0, r.output
    assert "3 row(s) skipped" in r.stdout
    errors = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("错误").to_python()
    assert sorted({row[1] for row in errors[1:]}) == [2, 3, 4]


def test_it_exits_2_when_no_row_is_valid(tmp_path):
    bad = tmp_path / "all-bad.csv"
    bad.write_text("enterprise,a1\n甲,Q\n", encoding="utf-8")
    out = tmp_path / "r.csv"
    r = run("assess", "score", bad, "-f", MINI, "-o", out, "--skip-invalid")
    assert r.exit_code == 2 and not out.exists()


def test_it_writes_a_template_for_a_shipped_framework(tmp_path):
    out = tmp_path / "answers.xlsx"
    r = run("assess", "template", "gbt23020-discrete", "--out", out)
    assert r.exit_code == 0, r.output
    header = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("答卷").to_python()[0]
    assert header[:5] == ["enterprise", "credit_code", "region", "year", "JC_01"]


@pytest.mark.parametrize(("args", "message"), [
    (("assess", "score", "nope.xlsx", "-f", MINI, "-o", "r.xlsx"), "no such file: nope.xlsx"),
    (("assess", "template", "no-such-framework", "--out", "t.xlsx"), "no framework named 'no-such-framework'"),
    (("assess", "template", MINI, "--out", "t.csv"), "the template is an .xlsx file"),
])
def test_it_fails_with_one_clear_line(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    r = run(*args)
    assert r.exit_code == 1
    assert message in r.stderr
    assert "Traceback" not in r.output


def test_it_shows_rich_markup_in_a_cell_as_the_text_it_is(tmp_path):
    answers = tmp_path / "a.csv"
    answers.write_text("enterprise,a1\n[/x],[bold]E\n", encoding="utf-8")
    r = run("assess", "score", answers, "--framework", MINI, "--out", tmp_path / "r.xlsx")
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit)  # a clean exit, not a MarkupError
    assert "[bold]E" in r.stderr and "MarkupError" not in r.output


def test_it_refuses_a_hostile_file_with_the_limit_named(tmp_path):
    from tests.files import hostile

    path = hostile.two_cell_sheet(tmp_path / "sparse.xlsx")
    r = run("assess", "score", path, "--framework", MINI, "--out", tmp_path / "r.xlsx")
    assert r.exit_code == 1 and "超过上限 1,000,000 行" in r.stderr
    r = run("--lang", "en", "assess", "score", path, "--framework", MINI, "--out", tmp_path / "r.xlsx")
    assert "more than the limit of 1,000,000" in r.stderr
    assert not (tmp_path / "r.xlsx").exists()
