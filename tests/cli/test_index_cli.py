import pandas as pd
import pytest
from typer.testing import CliRunner

from ronghe.cli import app
from tests.conftest import FILES

DATA = FILES / "index" / "provinces-long.csv"



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
    jx = table[table.region == 360000] if table.region.dtype != object else table[table.region == "360000"]
    t14, t16 = jx[jx.year == 2014]["TOTAL 总指数"].iloc[0], jx[jx.year == 2016]["TOTAL 总指数"].iloc[0]
    assert jx["cagr_2014_2016_pct"].iloc[0] == pytest.approx(((t16 / t14) ** 0.5 - 1) * 100, abs=0.02)


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
    assert r.stdout.startswith("default weights 一级指标权重按公开数据反推并已验证")  # placeholder: true, said first
    bad = tmp_path / "bad.csv"
    bad.write_text("region,year,indicator,value\n33000,2014,NC_RATE,1\n", encoding="utf-8")
    out = tmp_path / "r.xlsx"
    r = run("index", "run", "lianghua-regional", bad, "--out", out)
    assert r.exit_code == 1 and not out.exists()
    assert "地区应为 6 位 GB/T 2260 行政区划代码" in r.stderr


def test_it_builds_enterprise_indicators_from_scored_assessments_and_merges_them(tmp_path):
    """The CESI way: score answers carrying region codes, aggregate per province, merge with statistics."""
    import numpy as np

    from ronghe.core.frameworks import load
    from ronghe.core.frameworks.synthetic import answers

    fw = load("gbt23020-discrete").framework
    frame = answers(fw, 120, seed=5)
    frame.insert(0, "year", 2016)
    frame.insert(0, "region", np.where(np.arange(120) < 60, "330106", "110105"))  # 杭州西湖区, 北京朝阳区
    frame.insert(0, "enterprise", [f"企业{i}" for i in range(120)])
    answers_csv = tmp_path / "answers.csv"
    frame.to_csv(answers_csv, index=False)
    scored = tmp_path / "scored.xlsx"
    assert run("assess", "score", answers_csv, "-f", "gbt23020-discrete", "-o", scored).exit_code == 0
    ind = tmp_path / "enterprise-indicators.csv"
    r = run("index", "from-assessments", "lianghua-regional", scored, "--out", ind)
    assert r.exit_code == 0, r.output
    table = pd.read_csv(ind, dtype={"region": str})
    assert set(table.region) == {"330000", "110000"} and set(table.n) == {60}
    assert set(table.indicator) == {"RD_TOOLS", "NC_RATE", "MGMT_DIGITAL", "IIP_RATE", "INTEGRATED_SHARE"}
    nc = table.set_index(["region", "indicator"]).loc[("330000", "NC_RATE"), "value"]
    assert nc == pytest.approx(frame.loc[:59, "DX_05"].mean())  # mean 关键工序数控化率 of Zhejiang's firms
    # statistics without the enterprise indicators + the derived file = a full panel
    stats = pd.read_csv(DATA, dtype={"region": str})
    stats = stats[~stats.indicator.isin(table.indicator)]
    stats_csv = tmp_path / "stats.csv"
    stats.to_csv(stats_csv, index=False)
    out = tmp_path / "index.xlsx"
    r = run("index", "run", "lianghua-regional", stats_csv, ind, "--out", out)
    assert r.exit_code == 0, r.output
    merged = pd.read_excel(out, sheet_name="指数", engine="calamine", dtype={"region": str})
    assert merged[(merged.year == 2016) & (merged.region == "330000")]["GYYY 工业应用"].notna().all()
    dup = run("index", "run", "lianghua-regional", DATA, ind, "--out", tmp_path / "x.xlsx")
    assert dup.exit_code == 1 and "的数据在" in dup.stderr


def test_it_varies_what_the_options_say_and_writes_every_table_as_csv(tmp_path):
    out = tmp_path / "u.csv"
    runs = tmp_path / "runs.parquet"
    r = run("index", "uncertainty", "lianghua-regional", DATA, "--runs", 50, "--normalise", "minmax,zscore",
            "--aggregate", "arithmetic", "--weights", 0.1, "--sobol", 32, "--bootstrap", 20, "--individual-weights",
            "--runs-out", runs, "--out", out)
    assert r.exit_code == 0, r.output
    u = pd.read_csv(out, encoding="utf-8-sig")
    assert list(u.columns) == ["region", "name", "nominal_rank", "mean_rank", "median_rank", "rank_p05", "rank_p95",
                               "mean_abs_shift"]
    assert len(u) == 31 and u["name"].iloc[0] == "北京市"
    varied = pd.read_csv(tmp_path / "u.分析设置.csv", encoding="utf-8-sig").set_index("step")
    assert varied.loc["normalise", "alternatives"] == "minmax, zscore" and bool(varied.loc["normalise", "varied"])
    assert not bool(varied.loc["aggregate", "varied"]) and varied.loc["aggregate", "alternatives"] == "arithmetic"
    assert "U(0.9, 1.1)" in varied.loc["weight", "alternatives"]
    s = pd.read_csv(tmp_path / "u.敏感性.csv", encoding="utf-8-sig")  # a CSV no longer drops the Sobol table
    assert s["input"].iloc[0].startswith("weight:") and s["input"].iloc[-1] == "aggregation"
    assert list(s.columns) == ["input", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]
    import duckdb

    with duckdb.connect() as con:
        params = con.execute(f"SELECT DISTINCT normalise, aggregate FROM '{runs}' ORDER BY 1").fetchall()
        assert params == [("minmax", "arithmetic"), ("zscore", "arithmetic")]
        assert con.execute(f"SELECT count(*) FROM '{tmp_path / 'runs.scores.parquet'}'").fetchone() == (50 * 31,)
    assert "u.敏感性.csv" in r.stdout.replace("\n", "")


@pytest.mark.parametrize("args,text", [
    (["--weights", 1], "权重扰动幅度应不小于 0 且小于 1（当前为 1.0）"),
    (["--weights", 1.5], "权重扰动幅度应不小于 0 且小于 1（当前为 1.5）"),
    (["--normalise", "minmax,z"], "“normalise”没有“z”方法"),
    (["--aggregate", ""], "“aggregate”至少需要一种方法"),
    (["--out-name", "u.txt"], "不支持的输出格式“.txt”：可选 .xlsx, .csv"),
    (["--runs-out", "runs.csv"], "不支持的输出格式“.csv”：可选 .parquet"),
])
def test_it_refuses_an_option_it_cannot_apply_and_writes_nothing(tmp_path, args, text):
    name = "u.xlsx"
    if args[0] == "--out-name":
        name, args = args[1], []
    args = [tmp_path / a if str(a).endswith((".csv", ".parquet")) else a for a in args]
    r = run("index", "uncertainty", "lianghua-regional", DATA, "--runs", 20, *args, "--out", tmp_path / name)
    assert r.exit_code == 1, r.output
    assert text in r.stderr.replace("\n", "")
    assert list(tmp_path.iterdir()) == []


def test_a_run_writes_every_table_as_csv_and_refuses_an_unknown_format(tmp_path):
    r = run("index", "run", "lianghua-regional", DATA, "--out", tmp_path / "i.csv")
    assert r.exit_code == 0, r.output
    assert sorted(f.name for f in tmp_path.iterdir()) == ["i.csv", "i.区域对比.csv", "i.数据检查.csv", "i.目标.csv"]
    r = run("index", "run", "lianghua-regional", DATA, "--out", tmp_path / "i.json")
    assert r.exit_code == 1 and "不支持的输出格式“.json”" in r.stderr and not (tmp_path / "i.json").exists()


def test_it_varies_imputation_and_treatment_and_lists_them_with_the_other_steps(tmp_path):
    out, runs = tmp_path / "u.xlsx", tmp_path / "runs.parquet"
    r = run("index", "uncertainty", "lianghua-regional", DATA, "--runs", 40, "--normalise", "minmax,zscore",
            "--impute", "previous_year,none", "--treat", "none,winsorise", "--sobol", 16, "--bootstrap", 0,
            "--runs-out", runs, "--out", out)
    assert r.exit_code == 0, r.output
    sheets = pd.read_excel(out, sheet_name=None, engine="calamine")
    varied = sheets["分析设置"].set_index("step")
    assert varied.loc["impute", "alternatives"] == "previous_year, none" and bool(varied.loc["impute", "varied"])
    assert varied.loc["treat", "alternatives"] == "none, winsorise" and bool(varied.loc["treat", "varied"])
    assert sheets["敏感性"]["input"].tolist() == ["weights", "normalisation", "aggregation", "imputation", "treatment"]
    assert "impute     varied  previous_year, none" in r.stdout
    import duckdb

    with duckdb.connect() as con:
        drawn = con.execute(f"SELECT DISTINCT impute, treat FROM '{runs}' ORDER BY 1, 2").fetchall()
    assert drawn == [("none", "none"), ("none", "winsorise"), ("previous_year", "none"),
                     ("previous_year", "winsorise")]


@pytest.mark.parametrize("args,text", [
    (["--impute", "mean,none"], "“impute”没有“mean”方法（可选：none, group_mean, previous_year, regression）"),
    (["--treat", ""], "“treat”至少需要一种方法"),
    (["--treat", "none,log"], "log 不能与 ratio 标准化同时使用"),
])
def test_it_refuses_an_imputation_or_treatment_it_cannot_apply(tmp_path, args, text):
    r = run("index", "uncertainty", "lianghua-regional", DATA, "--runs", 20, *args, "--out", tmp_path / "u.xlsx")
    assert r.exit_code == 1, r.output
    assert text in r.stderr.replace("\n", "")
    assert list(tmp_path.iterdir()) == []


def test_check_counts_unknown_codes_in_one_line(tmp_path):
    bad = tmp_path / "bad.csv"
    rows = [f"{c},2016,NC_RATE,50" for c in ["110000", "990100", "990200", "990300", "990400", "990500", "990600"]]
    bad.write_text("region,year,indicator,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    r = run("index", "check", "lianghua-regional", bad)
    assert r.exit_code == 0, r.output
    lines = [x for x in r.stdout.splitlines() if "GB/T 2260" in x]
    assert lines == ["• 6 region code(s) with no province in GB/T 2260: 990100, 990200, 990300, 990400, 990500 …"]


def test_an_index_of_parks_takes_any_code_with_a_name(tmp_path):
    import yaml

    from tests.core.index.build import MINI

    spec = tmp_path / "parks.yaml"
    doc = {**MINI, "urn": "urn:ronghe:index:parks", "unit": "park",
           "pipeline": [{**s, "method": "previous_year"} if s["step"] == "impute" else s for s in MINI["pipeline"]]}
    spec.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    data = tmp_path / "parks.csv"
    data.write_text("region,name,year,indicator,value\n" + "".join(
        f"{code},{name},2016,{ind},{v}\n" for code, name, vals in (("ZGC", "中关村科技园区", (50, 4, 10)),
                                                                   ("SIP", "苏州工业园区", (25, 2, 20)),
                                                                   ("990100", "某开发区", (10, 8, 5)))
        for ind, v in zip(("a1", "a2", "b1"), vals, strict=True)), encoding="utf-8")
    r = run("index", "check", spec, data)
    assert r.exit_code == 0 and "no findings" in r.stdout and "GB/T 2260" not in r.stdout
    assert "default weights" not in r.stdout  # the mini definition is no placeholder
    out = tmp_path / "i.xlsx"
    r = run("index", "run", spec, data, "--out", out)
    assert r.exit_code == 0, r.output
    sheets = pd.read_excel(out, sheet_name=None, engine="calamine")
    assert set(sheets) == {"指数", "目标", "数据检查"}  # no east/central/west comparison of parks
    # T = 0.6·(a1/50 + 4/a2)·50 + 0.4·b1·10: SIP 0.6·125 + 80 = 155, ZGC 100, 990100 0.6·35 + 20 = 41
    table = sheets["指数"]
    assert table[["region", "name", "T 总指数"]].values.tolist() == [
        ["SIP", "苏州工业园区", 155], ["ZGC", "中关村科技园区", 100], ["990100", "某开发区", 41]]
    nameless = tmp_path / "nameless.csv"
    nameless.write_text("region,year,indicator,value\nZGC,2016,a1,3\n", encoding="utf-8")
    r = run("index", "run", spec, nameless, "--out", tmp_path / "n.xlsx")
    assert r.exit_code == 1 and "缺少“name”列" in r.stderr
