from typer.testing import CliRunner

from ronghe.cli import app
from tests.conftest import FILES


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_it_lists_the_shipped_frameworks():
    r = run("frameworks", "list")
    assert r.exit_code == 0
    for name in ("gbt23020-discrete", "gbt23020-process", "maturity-5level"):
        assert name in r.stdout


def test_it_shows_the_tree_stages_and_rates_in_both_languages():
    r = run("frameworks", "show", "gbt23020-discrete")
    assert r.exit_code == 0
    assert "JC 基础建设" in r.stdout and "集成提升" in r.stdout and "nc_rate" in r.stdout
    r = run("frameworks", "show", "gbt23020-discrete", "--locale", "en", "--items")
    assert "Foundation" in r.stdout and "[percent]" in r.stdout and "only when DX_03 = yes" in r.stdout


def test_it_validates_good_files(tmp_path):
    r = run("frameworks", "validate", FILES / "frameworks" / "mini.yaml")
    assert r.exit_code == 0 and "ok" in r.stdout


def test_it_lists_every_fault_of_a_broken_file(tmp_path):
    text = (FILES / "frameworks" / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("weight: 0.6\n", "weight: 0.7\n").replace("{item: a2, op: eq, value: true}",
                                                                   "{item: zz, op: eq, value: true}")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    r = run("frameworks", "validate", bad)  # 简体中文 by default
    assert r.exit_code == 1
    assert "nodes/B2" in r.stderr and "所含题目的权重之和为 1.1，不是 1（b2=0.7 + b3=0.4）" in r.stderr
    assert "items/b3/condition/item" in r.stderr and "条件引用了不存在的题目“zz”" in r.stderr
    r = run("--lang", "en", "frameworks", "validate", bad)
    assert r.exit_code == 1
    assert "weights of its items sum to 1.1, not 1 (b2=0.7 + b3=0.4)" in r.stderr
    assert "condition on a missing item 'zz'" in r.stderr
