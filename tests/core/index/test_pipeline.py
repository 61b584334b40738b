import numpy as np
import pandas as pd
import pytest

from ronghe.core.errors import AnswerFileError
from ronghe.core.index import outputs
from ronghe.core.index.checks import check_panel, kurtosis, skewness
from ronghe.core.index.data import Panel, provinces, read_panel
from ronghe.core.index.definition import load, validate
from ronghe.core.index.pipeline import IndexPipeline
from ronghe.core.index.sensitivity import rank_columns, sobol, uncertainty

D = load("lianghua-regional").definition
IDS = [i.id for i in D.indicators]
REF = np.array([i.reference for i in D.indicators])


def panel_at(fractions_by_category, years=(2014,)):
    """Every indicator of a category at the same fraction of its reference (lower-better inverted)."""
    regions = sorted(provinces())[:3]
    X = np.empty((len(years), len(regions), len(IDS)))
    for k, ind in enumerate(D.indicators):
        f = np.array(fractions_by_category[ind.parent])  # (years, regions)
        X[:, :, k] = REF[k] * (f if ind.direction == "higher" else 1 / f)
    return Panel(list(years), regions, IDS, X)


def test_it_computes_the_total_as_0_25_0_5_0_25_of_the_categories():
    # ratio normalisation: a category whose indicators sit at f × reference scores 100·f
    p = panel_at({"JCHJ": [[0.7171, 0.5, 1.2]], "GYYY": [[0.5970, 0.5, 1.0]], "YYXY": [[0.7343, 0.5, 1.356]]})
    r = IndexPipeline.from_definition(D).run(p)
    assert r.node("JCHJ")[0].tolist() == pytest.approx([71.71, 50, 120])
    assert r.total[0].tolist() == pytest.approx([66.135, 50, 0.25 * 120 + 0.5 * 100 + 0.25 * 135.6])
    assert set(r.named) == {"raw", "impute", "treat", "normalise", "weight", "aggregate"}


def test_it_replays_a_variant_by_editing_the_spec():
    p = panel_at({"JCHJ": [[0.5, 0.6, 0.9]], "GYYY": [[0.4, 0.8, 0.7]], "YYXY": [[0.9, 0.5, 0.6]]})
    base = IndexPipeline.from_definition(D)
    variant = base.with_params(normalise__method="minmax", aggregate__method="geometric")
    assert base.named_steps["normalise"].method == "ratio"
    assert variant.named_steps["normalise"].method == "minmax"
    assert not np.allclose(base.run(p).total, variant.run(p).total)


def test_it_ranks_tiers_and_measures_growth():
    values = np.array([[72.0, 65.0, 40.0], [70.0, 75.0, 40.0]])
    r = outputs.ranks(values)
    assert r.tolist() == [[1, 2, 3], [2, 1, 3]]
    assert outputs.rank_changes(r).tolist() == [[0, 0, 0], [-1, 1, 0]]
    assert outputs.tiers(values, D.tiers)[0].tolist() == ["第一梯队", "第二梯队", "第四梯队"]
    assert outputs.growth(values)[1].tolist() == [-2, 10, 0]
    assert outputs.cagr(52.73, 66.14, 3) == pytest.approx(0.0785, abs=5e-5)  # published 7.85 %


def test_it_reports_zone_averages_and_target_gaps():
    regions = ["110000", "140000", "620000", "330000"]  # east, central, west, east
    values = np.array([[80.0, 60.0, 50.0, 78.0], [84.0, 62.0, 52.0, 83.0]])
    z = outputs.zone_summary(values, regions, [2014, 2015])
    assert z.loc[0, "east"] == 79 and z.loc[0, "gap_east_west"] == 29
    gaps = outputs.target_gaps(values, regions, [2014, 2015], D.targets).set_index(["region", "target_year"])
    assert gaps.loc[("330000", 2015), "gap"] == -3 and gaps.loc[("330000", 2015), "met"]
    assert gaps.loc[("330000", 2017), "needed_per_year"] == pytest.approx(1.5)  # 86 − 83 over 2 years
    assert gaps.loc[("000000", 2018), "value"] == pytest.approx(np.mean([84, 62, 52, 83]))


def test_it_reads_long_and_wide_files_alike(tmp_path):
    long = tmp_path / "long.csv"
    long.write_text("region,year,indicator,value\n330000,2014,BB_HOUSEHOLD,60\n110000,2014,BB_HOUSEHOLD,70\n"
                    "330000,2015,NC_RATE,50.5\n", encoding="utf-8")
    p = read_panel(long, IDS)
    assert p.years == [2014, 2015] and p.regions == ["110000", "330000"]
    assert p.X[0, 1, IDS.index("BB_HOUSEHOLD")] == 60 and np.isnan(p.X[1, 0, 0])
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for year, v in ((2014, 60), (2015, 65)):
        ws = wb.create_sheet(str(year))
        ws.append(["region", "name", "BB_HOUSEHOLD"])
        ws.append(["330000", "浙江省", v])
    wb.save(tmp_path / "wide.xlsx")
    w = read_panel(tmp_path / "wide.xlsx", IDS)
    assert w.years == [2014, 2015] and w.X[:, 0, IDS.index("BB_HOUSEHOLD")].tolist() == [60, 65]


def test_it_names_every_bad_cell_of_an_indicator_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("region,year,indicator,value\n3300,2014,BB_HOUSEHOLD,60\n330000,2014,NOPE,1\n"
                   "330000,2014,BB_HOUSEHOLD,x\n110000,2014,BB_HOUSEHOLD,1\n110000,2014,BB_HOUSEHOLD,2\n"
                   "11,2099.5,NOPE,1e999\n120000,2014,BB_HOUSEHOLD,inf\n",
                   encoding="utf-8")
    with pytest.raises(AnswerFileError) as exc:
        read_panel(bad, IDS)
    assert [(e.row, e.column, e.reason) for e in exc.value.errors] == [
        (2, "region", "a region is a 6-digit GB/T 2260 code"),
        (3, "indicator", "not an indicator of this index"),
        (4, "value", "the value must be a finite number"),
        (6, "value", "duplicate value (first at row 5)"),
        # every fault of a row in one run, not only the first
        (7, "region", "a region is a 6-digit GB/T 2260 code"),
        (7, "year", "the year must be a whole number from 1949 to 2200"),
        (7, "indicator", "not an indicator of this index"),
        (7, "value", "the value must be a finite number"),
        (8, "value", "the value must be a finite number"),
    ]


def test_it_checks_coverage_outliers_and_unknown_codes():
    X = np.full((1, 12, 2), 5.0)
    X[0, :, 0] = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 50]
    X[0, :6, 1] = np.nan
    regions = [f"{c}" for c in sorted(provinces())[:11]] + ["990000"]
    report = check_panel(Panel([2014], regions, ["A", "B"], X))
    assert any("A: skewness" in f for f in report.findings)
    assert any("B: coverage 50%" in f for f in report.findings)
    assert "1 region code(s) with no province in GB/T 2260: 990000" in report.findings
    assert skewness(X[0])[0] == pytest.approx(pd.Series(X[0, :, 0]).skew())
    assert kurtosis(X[0])[0] == pytest.approx(pd.Series(X[0, :, 0]).kurt())


def test_it_ranks_each_run_like_a_sort():
    totals = np.array([[3.0, 1.0], [5.0, 2.0], [4.0, np.nan]])
    assert rank_columns(totals).tolist() == [[3, 2], [1, 1], [2, 3]]


def _loop_monte_carlo(p, runs, seed, noise):
    """Independent reference: rebuild the index run by run (what the vectorised code avoids)."""
    from ronghe.core.index.sensitivity import _sample, prepare

    prep = prepare(D, p, 2014)
    rng = np.random.default_rng(seed)
    u = rng.random((runs, len(prep.w_ind) + len(prep.w_node) + 2))
    norm, agg, wi, wn = _sample(prep, u, noise)
    ranks = []
    for s in range(runs):
        d = D.model_copy(update={
            "indicators": [i.model_copy(update={"weight": float(wi[s, k])}) for k, i in enumerate(D.indicators)],
            "nodes": [n.model_copy(update={"weight": float(wn[s, k])}) for k, n in enumerate(D.nodes)],
        })
        pipe = IndexPipeline.from_definition(d).with_params(normalise__method=prep.methods[norm[s]],
                                                             aggregate__method=prep.aggregations[agg[s]])
        total = pipe.run(p).total[0]
        ranks.append([1 + sum(o > t for o in total) for t in total])
    return np.array(ranks).T


def test_it_matches_a_run_by_run_monte_carlo():
    rng = np.random.default_rng(9)
    regions = sorted(provinces())[:8]
    X = REF * rng.uniform(0.4, 1.3, (1, len(regions), len(IDS)))
    p = Panel([2014], regions, IDS, X)
    u = uncertainty(D, p, 2014, runs=60, seed=4, chunk=25)
    loop = _loop_monte_carlo(p, 60, 4, D.uncertainty.weights)
    assert u.table["median_rank"].tolist() == np.quantile(loop, 0.5, axis=1, method="inverted_cdf").tolist()
    assert u.table["rank_p95"].tolist() == np.quantile(loop, 0.95, axis=1, method="inverted_cdf").tolist()


def test_it_attributes_rank_variance_to_the_inputs_that_vary():
    rng = np.random.default_rng(2)
    regions = sorted(provinces())[:15]
    p = Panel([2014], regions, IDS, REF * rng.uniform(0.4, 1.3, (1, len(regions), len(IDS))))
    only_weights = sobol(D, p, 2014, n=256, normalisations=["ratio"], aggregations=["arithmetic"])
    s = only_weights.set_index("input")
    assert s.loc["normalisation", "ST"] == 0 and s.loc["aggregation", "ST"] == 0
    assert s.loc["weights", "ST"] > 0.5


def test_it_ships_a_valid_regional_definition():
    from ronghe.core.index.definition import resolve

    assert validate(resolve("lianghua-regional")) == []
    assert [n.weight for n in D.nodes if n.parent == "TOTAL"] == [0.25, 0.5, 0.25]
    assert D.placeholder
