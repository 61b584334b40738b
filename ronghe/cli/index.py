"""``ronghe index``: compute the regional development index and test how robust its ranking is."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from ronghe.cli.common import fail, out, print_errors, text
from ronghe.core.errors import AnswerFileError, FrameworkFileError, ParameterError
from ronghe.core.index import definition as definitions
from ronghe.core.index.checks import check_panel
from ronghe.core.index.data import Panel, read_panels, region_name
from ronghe.core.index.enterprise import LEVEL_DIGITS, indicators_from_assessments
from ronghe.core.index.export import check_out, results_frame, write_frames, write_parquet, write_results, written
from ronghe.core.index.pipeline import IndexPipeline
from ronghe.core.index.sensitivity import run_frames, sobol, uncertainty
from ronghe.core.io.xlsx import read_results

app = typer.Typer(help="Regional 两化融合 development index: run, check data, uncertainty and sensitivity.",
                  no_args_is_help=True)


def _definition(definition: str) -> definitions.Definition:
    try:
        return definitions.load(definition).definition
    except FileNotFoundError as exc:
        fail(str(exc))
    except FrameworkFileError as exc:
        print_errors(exc.errors)
        fail(f"{definition} is not a valid index definition")


def _load(definition: str, data: list[Path]) -> tuple[definitions.Definition, Panel]:
    d = _definition(definition)
    if d.placeholder:  # said before any result, as `ronghe frameworks show` and the result pages do
        out.print(f"[yellow]default weights[/] {text(d.notes.zh if d.notes else '')}")
    for path in data:
        if not path.exists():
            fail(f"no such file: {path}")
    try:
        panel = read_panels(data, [i.id for i in d.indicators], unit=d.unit)
    except AnswerFileError as exc:
        print_errors(exc.errors)
        fail(f"{len(exc.errors)} bad cell(s) in the data; nothing was computed")
    return d, panel


def _year(panel: Panel, year: int | None) -> int:
    if year is None:
        return panel.years[-1]
    if year not in panel.years:
        fail(f"no data for {year} (years: {', '.join(map(str, panel.years))})")
    return year


@app.command("check")
def check(definition: str = typer.Argument(..., help="index definition: short name or path"),
          data: list[Path] = typer.Argument(..., help="indicator data (.xlsx/.csv, long or wide), merged")) -> None:
    """Check indicator data: coverage, missing values, outliers, unknown region codes (counted, the
    first few named; only for definitions whose unit is a region)."""
    d, panel = _load(definition, data)
    report = check_panel(panel, unit=d.unit)
    out.print(f"{len(panel.regions)} regions × {len(panel.indicators)} indicators × years {panel.years}")
    for finding in report.findings:
        out.print(f"[yellow]•[/] {text(finding)}")
    if report.ok:
        out.print("[green]no findings[/]")


@app.command("run")
def run(definition: str = typer.Argument(..., help="index definition: short name or path"),
        data: list[Path] = typer.Argument(..., help="indicator data files (.xlsx/.csv, long or wide), merged"),
        out_path: Path = typer.Option(..., "--out", "-o",
                                      help="results .xlsx (one sheet per table) or .csv (one file per table)"),
        locale: str = typer.Option("zh-Hans", help="zh-Hans or en")) -> None:
    """Compute the index for every region and year: categories, total, ranks, tiers, zone gaps, targets."""
    try:
        check_out(out_path)
    except ParameterError as exc:
        fail(str(exc))
    d, panel = _load(definition, data)
    result = IndexPipeline.from_definition(d).run(panel)
    write_results(out_path, result, check_panel(panel, unit=d.unit), locale)
    table = results_frame(result, locale)
    total_col = next(c for c in table.columns if c.startswith(f"{d.total} "))
    latest = table[table.year == panel.years[-1]].head(10)
    shown = Table("rank", "region", "total", "tier", title=f"{panel.years[-1]} top {len(latest)} → {text(out_path)}",
                  title_justify="left")
    for _, row in latest.iterrows():
        shown.add_row(str(row["rank"]), text(f"{row['region']} {row['name']}"), f"{row[total_col]:.2f}",
                      text(row["tier"]))
    out.print(shown)


def _methods(value: str | None) -> list[str] | None:
    """A comma-separated list of methods (``minmax,zscore``); None keeps the definition's."""
    return None if value is None else [m.strip() for m in value.split(",") if m.strip()]


@app.command("uncertainty")
def uncertainty_(definition: str = typer.Argument(..., help="index definition: short name or path"),
                 data: list[Path] = typer.Argument(..., help="indicator data files (.xlsx/.csv), merged"),
                 out_path: Path = typer.Option(..., "--out", "-o",
                                               help="results .xlsx (one sheet per table) or .csv (one file per "
                                                    "table: <stem>.<table>.csv beside it)"),
                 runs: int = typer.Option(1000, min=10, help="Monte Carlo runs"),
                 year: int = typer.Option(None, help="year to analyse (default: the latest)"),
                 weights: float = typer.Option(None, help="weight perturbation p: each weight × U(1 − p, 1 + p), "
                                                          "0 ≤ p < 1 (default: the definition's)"),
                 normalise: str = typer.Option(None, "--normalise",
                                               help="normalisations drawn from, e.g. minmax,zscore,ratio "
                                                    "(default: the definition's)"),
                 aggregate: str = typer.Option(None, "--aggregate",
                                               help="aggregations drawn from, e.g. arithmetic,geometric "
                                                    "(default: the definition's)"),
                 impute: str = typer.Option(None, "--impute",
                                            help="imputations drawn from, e.g. none,group_mean,previous_year,"
                                                 "regression (default: the definition's)"),
                 treat: str = typer.Option(None, "--treat",
                                           help="outlier treatments drawn from, e.g. none,winsorise,log "
                                                "(default: the definition's)"),
                 sobol_n: int = typer.Option(0, "--sobol", help="also estimate Sobol indices with this base sample"),
                 individual: bool = typer.Option(False, "--individual-weights",
                                                 help="Sobol: each weight an input of its own"),
                 bootstrap: int = typer.Option(200, min=0, help="Sobol: bootstrap replicates for the intervals "
                                                                "(0: none)"),
                 level: float = typer.Option(0.95, help="Sobol: share of bootstrap estimates inside the interval"),
                 runs_out: Path = typer.Option(None, "--runs-out",
                                               help="also write every run (parameters, scores, ranks) as "
                                                    ".parquet"),
                 seed: int = typer.Option(0, help="random seed")) -> None:
    """Rank distribution of every region under uncertain weights, imputation, outlier treatment,
    normalisation and aggregation:
    nominal, mean, median and 5/95 % ranks (the k-th smallest rank of S runs, k = ⌈q·S⌉), the
    steps varied and, with --sobol, Sobol indices with bootstrap intervals."""
    try:
        check_out(out_path)
        if runs_out is not None:
            check_out(runs_out, (".parquet",))
    except ParameterError as exc:
        fail(str(exc))
    d, panel = _load(definition, data)
    y = _year(panel, year)
    chosen = {"weights": weights, "normalisations": _methods(normalise), "aggregations": _methods(aggregate),
              "imputations": _methods(impute), "treatments": _methods(treat)}
    try:
        u = uncertainty(d, panel, y, runs=runs, seed=seed, **chosen)
        frames = {"排名不确定性": u.table.copy(), "分析设置": u.varied}
        if sobol_n:
            frames["敏感性"] = sobol(d, panel, y, n=sobol_n, seed=seed, bootstrap=bootstrap, level=level,
                                  individual=individual, **chosen)
        run_tables = run_frames(d, panel, y, runs=runs, seed=seed, **chosen) if runs_out is not None else None
    except ParameterError as exc:
        fail(str(exc))
    frames["排名不确定性"].insert(1, "name", [panel.names.get(c) or region_name(c) for c in u.table.region])
    write_frames(out_path, frames)
    if run_tables is not None:
        write_parquet(runs_out, {"runs": run_tables[0], "scores": run_tables[1]})
    for row in u.varied.itertuples():
        out.print(f"{row.step:<10} {'varied' if row.varied else 'fixed ':<7} {text(row.alternatives)}")
    shown = Table("region", "nominal", "mean", "median", "5–95 %", title=f"{y}: {runs} runs → {text(out_path)}",
                  title_justify="left")
    for row in frames["排名不确定性"].sort_values("nominal_rank").head(10).itertuples():
        shown.add_row(text(f"{row.region} {row.name}"), str(row.nominal_rank), f"{row.mean_rank:.1f}",
                      str(row.median_rank), f"{row.rank_p05}–{row.rank_p95}")
    out.print(shown)
    if sobol_n:
        s = frames["敏感性"]
        ci = (lambda r, k: f" [{getattr(r, k + '_low'):.2f}, {getattr(r, k + '_high'):.2f}]") if bootstrap else \
            (lambda r, k: "")
        out.print("Sobol: " + text("; ".join(f"{r.input} S1 {r.S1:.2f}{ci(r, 'S1')} ST {r.ST:.2f}{ci(r, 'ST')}"
                                             for r in s.itertuples())))
    out.print("written: " + text(", ".join(str(f) for f in written(out_path, frames))))


@app.command("from-assessments")
def from_assessments(definition: str = typer.Argument(..., help="index definition: short name or path"),
                     results: list[Path] = typer.Argument(..., help="results files of `ronghe assess score`"),
                     out_path: Path = typer.Option(..., "--out", "-o", help="long indicator file .csv or .xlsx"),
                     level: str = typer.Option("province", help="province, city or county")) -> None:
    """Compute the definition's enterprise indicators (mean key rates, stage shares) per region
    from scored assessments; the output merges with yearbook data in `ronghe index run`."""
    import pandas as pd

    if level not in LEVEL_DIGITS:
        fail("level is province, city or county")
    d = _definition(definition)
    frames = []
    for path in results:
        if not path.exists():
            fail(f"no such file: {path}")
        frame = read_results(path)
        if "region" not in frame or "year" not in frame:
            fail(f"{path.name}: the results need region and year columns (add them to the answers file)")
        frames.append(frame)
    try:
        table = indicators_from_assessments(pd.concat(frames, ignore_index=True), d, level)
    except KeyError as exc:
        fail(str(exc.args[0]))
    write_frames(out_path, {"indicators": table[["region", "year", "indicator", "value", "n"]]})
    out.print(f"{len(table)} values for {table.indicator.nunique()} indicators, "
              f"{table.region.nunique()} regions → {text(out_path)}")
