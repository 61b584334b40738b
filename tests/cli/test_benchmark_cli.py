"""``ronghe assess benchmark`` and ``ronghe targets``, offline, on files written by LibreOffice and by
``ronghe assess score``; the numbers are checked against plain pandas on the scored file."""

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from ronghe.cli import app
from ronghe.core.frameworks import load
from ronghe.core.frameworks.synthetic import answers
from tests.conftest import FILES

REGIONS = ["330106", "330102", "330203", "320102", "110105"]


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    """A LibreOffice answers file of 400 enterprises over two years, scored by the CLI. Industry 17
    has only six rows a year: its group is too small to show."""
    from tests.files.libreoffice import to_xlsx

    tmp = tmp_path_factory.mktemp("bench")
    fw = load("gbt23020-discrete").framework
    n = 400
    rng = np.random.default_rng(5)
    raw = answers(fw, n, seed=4, maturity=rng.beta(2, 3, n), blank_rate=0.0)
    industry = rng.choice(["34", "35", "39"], n)
    industry[:12] = "17"
    raw.insert(0, "enterprise", [f"企业{i:03d}" for i in range(n)])
    raw.insert(1, "region", rng.choice(REGIONS, n))
    raw.insert(2, "industry", industry)
    raw.insert(3, "size", rng.choice(["300人以下", "300-1000人", "1000-5000人"], n))
    raw.insert(4, "year", np.where(np.arange(n) % 2 == 0, 2024, 2025))
    csv = tmp / "answers.csv"
    raw.to_csv(csv, index=False)
    xlsx = to_xlsx(csv, tmp)
    out = tmp / "scored.xlsx"
    r = run("assess", "score", xlsx, "-f", "gbt23020-discrete", "-o", out)
    assert r.exit_code == 0, r.output
    return out


def _rank(values: pd.Series, x: float) -> float:
    values = values.dropna()
    return 100 * ((values < x).sum() + (values == x).sum() / 2) / len(values)


def test_it_benchmarks_every_row_like_plain_pandas_on_the_scored_file(scored, tmp_path):
    out = tmp_path / "bench.xlsx"
    r = run("assess", "benchmark", scored, "--by", "industry,province", "--out", out)
    assert r.exit_code == 0, r.output
    sheets = pd.read_excel(out, sheet_name=None, engine="calamine", dtype={"region": str, "industry": str})
    assert set(sheets) == {"对标", "分组阶段", "分组分位数", "说明"}
    bench = sheets["对标"]
    source = pd.read_excel(scored, sheet_name="结果", engine="calamine", dtype={"region": str, "industry": str})
    source.columns = [c.split(" ", 1)[0] for c in source.columns]
    source["industry"] = source["industry"].str.zfill(2)
    assert len(bench) == len(source) == 400
    for i in (20, 21, 150, 301, 399):
        row = bench.iloc[i]
        me = source[source["row"] == row["row"]].iloc[0]
        same = source[(source["year"] == me["year"]) & (source["industry"] == me["industry"])]
        assert row["同行业（大类） n"] == len(same) and row["同行业（大类） 组"].startswith(me["industry"])
        for metric in ("LEVEL", "DX", "DX1", "nc_rate"):
            assert row[f"同行业（大类） {metric} P"] == pytest.approx(_rank(same[metric], me[metric]), abs=0.051)
        province = source[(source["year"] == me["year"]) & (source["region"].str[:2] == me["region"][:2])]
        assert row["同省份 LEVEL P"] == pytest.approx(_rank(province["LEVEL"], me["LEVEL"]), abs=0.051)
        p90 = same["XT"].quantile(0.9)
        assert row["同行业（大类） XT 差距"] == pytest.approx(max(0.0, p90 - me["XT"]), abs=0.006)


def test_it_compares_a_row_of_a_too_small_industry_with_its_section_and_says_so(scored, tmp_path):
    out = tmp_path / "bench.xlsx"
    assert run("assess", "benchmark", scored, "--by", "industry", "--out", out).exit_code == 0
    bench = pd.read_excel(out, sheet_name="对标", engine="calamine", dtype={"industry": str})
    small = bench[bench["industry"].str.zfill(2) == "17"]
    assert len(small) == 12 and set(small["同行业（大类） 组"]) == {"C 制造业"}
    assert small["同行业（大类） 替代"].all() and (small["同行业（大类） n"] == 200).all()
    groups = pd.read_excel(out, sheet_name="分组阶段", engine="calamine")
    assert not groups["group"].str.startswith("17").any() and groups["n"].min() >= 10
    notes = pd.read_excel(out, sheet_name="说明", engine="calamine")
    assert notes.set_index("item").loc["groups withheld (too small)", "value"] == 2  # 17 in 2024 and 2025


def test_it_refuses_an_unknown_peer_group_and_a_file_that_is_not_results(scored, tmp_path):
    r = run("assess", "benchmark", scored, "--by", "county", "--out", tmp_path / "b.xlsx")
    assert r.exit_code == 1 and "unknown peer group 'county'" in r.stderr
    other = tmp_path / "other.csv"
    other.write_text("row,total\n1,50\n", encoding="utf-8")
    r = run("assess", "benchmark", other, "--out", tmp_path / "b.xlsx")
    assert r.exit_code == 1 and "no shipped framework" in r.stderr
    assert not (tmp_path / "b.xlsx").exists()


def test_it_measures_the_targets_on_a_scored_file_like_pandas(scored, tmp_path):
    out = tmp_path / "status.csv"
    r = run("targets", "status", "--scored", scored, "--region", "330000", "--out", out)
    assert r.exit_code == 0, r.output
    status = pd.read_csv(out).set_index("id")
    source = pd.read_excel(scored, sheet_name="结果", engine="calamine", dtype={"region": str})
    source.columns = [c.split(" ", 1)[0] for c in source.columns]
    zj = source[(source["region"].str[:2] == "33") & (source["year"] == 2025)]
    assert status.loc["nc-rate-2025", "value"] == pytest.approx(round(zj["nc_rate"].mean(), 2))
    assert status.loc["nc-rate-2025", "n"] == len(zj) and status.loc["nc-rate-2025", "state"] in {"missed", "achieved"}
    large = zj[zj["size"].isin(["300-1000人", "1000-5000人"])]
    assert status.loc["advanced-large-2018", "value"] == pytest.approx(round(100 * (large["stage"] >= 3).mean(), 2))
    assert status.loc["equipment-nc-2018", "state"] == "no_data" and "equipment_nc_rate" in \
        status.loc["equipment-nc-2018", "reason"]
    assert status.loc["zhejiang-index-2017", "state"] == "no_data"


def test_it_measures_index_targets_from_index_results(tmp_path):
    index = tmp_path / "index.xlsx"
    data = FILES / "index" / "provinces-long.csv"
    assert run("index", "run", "lianghua-regional", data, "--out", index).exit_code == 0
    out = tmp_path / "status.xlsx"
    r = run("targets", "status", "--index", index, "--out", out)
    assert r.exit_code == 0, r.output
    status = pd.read_excel(out, engine="calamine").set_index("id")
    table = pd.read_excel(index, sheet_name="指数", engine="calamine", dtype={"region": str})
    zj = table[table["region"] == "330000"].sort_values("year").iloc[-1]
    assert status.loc["zhejiang-index-2017", "value"] == pytest.approx(zj["TOTAL 总指数"])
    assert status.loc["zhejiang-index-2017", "year"] == zj["year"]
    assert status.loc["rd-tools-2025", "state"] == "no_data"


def test_it_validates_targets_files_and_lists_the_shipped_ones(tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text("urn: urn:ronghe:targets:x\nversion: 1\nprovider: x\nname: x\nsources: []\ntargets: []\n",
                   encoding="utf-8")
    r = run("targets", "validate", bad)
    assert r.exit_code == 1 and "sources" in r.stderr and "targets" in r.stderr
    assert r.stderr.count("至少应有 1 项，现有 0 项") == 2  # the schema's fault, in 简体中文 by default
    r = run("targets", "list")
    assert r.exit_code == 0 and "zhejiang-index-2017" in r.stdout and "未核实 unverified" in r.stdout
    assert run("targets", "status").exit_code == 1
