import pandas as pd
import pytest
from typer.testing import CliRunner

from ronghe.cli import app
from tests.conftest import FILES

DATA = FILES / "index" / "provinces-long.csv"


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_it_runs_the_index_and_writes_every_sheet(tmp_path):
    out = tmp_path / "index.xlsx"
    r = run("index", "run", "lianghua-regional", DATA, "--out", out)
    assert r.exit_code == 0, r.output
    sheets = pd.read_excel(out, sheet_name=None, engine="calamine")
    assert set(sheets) == {"指数", "区域对比", "目标", "数据检查"}
    table = sheets["指数"]
    latest = table[table.year == 2016]
    assert len(latest) == 31 and latest["rank"].tolist() == list(range(1, 32))
    totals = latest["TOTAL 总指数"]
    expected = 0.25 * latest["JCHJ 基础环境"] + 0.5 * latest["GYYY 工业应用"] + 0.25 * latest["YYXY 应用效益"]
    assert (totals - expected).abs().max() < 0.011  # rounded to 2 decimals
    assert "360000 江西省" in r.stdout


def test_it_reports_rank_uncertainty_and_sobol_indices(tmp_path):
    out = tmp_path / "u.xlsx"
    r = run("index", "uncertainty", "lianghua-regional", DATA, "--runs", 200, "--sobol", 64, "--out", out)
    assert r.exit_code == 0, r.output
    sheets = pd.read_excel(out, sheet_name=None, engine="calamine")
    u = sheets["排名不确定性"]
    assert (u.rank_p05 <= u.median_rank).all() and (u.median_rank <= u.rank_p95).all()
    assert sheets["敏感性"]["input"].tolist() == ["weights", "normalisation", "aggregation"]


def test_it_checks_data_and_refuses_a_bad_file(tmp_path):
    r = run("index", "check", "lianghua-regional", DATA)
    assert r.exit_code == 0 and "31 regions × 19 indicators" in r.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("region,year,indicator,value\n33000,2014,NC_RATE,1\n", encoding="utf-8")
    out = tmp_path / "r.xlsx"
    r = run("index", "run", "lianghua-regional", bad, "--out", out)
    assert r.exit_code == 1 and not out.exists()
    assert "a region is a 6-digit GB/T 2260 code" in r.stderr
