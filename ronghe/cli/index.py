"""``ronghe index``: compute the regional development index and test how robust its ranking is."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from ronghe.cli.common import fail, out, print_errors, text
from ronghe.core.errors import AnswerFileError, FrameworkFileError
from ronghe.core.index import definition as definitions
from ronghe.core.index.checks import check_panel
from ronghe.core.index.data import Panel, read_panels, region_name
from ronghe.core.index.enterprise import LEVEL_DIGITS, indicators_from_assessments
from ronghe.core.index.export import results_frame, write_frames, write_results
from ronghe.core.index.pipeline import IndexPipeline
from ronghe.core.index.sensitivity import sobol, uncertainty
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
    for path in data:
        if not path.exists():
            fail(f"no such file: {path}")
    try:
        panel = read_panels(data, [i.id for i in d.indicators])
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
    """Check indicator data: coverage, missing values, outliers, unknown region codes."""
    _, panel = _load(definition, data)
    report = check_panel(panel)
    out.print(f"{len(panel.regions)} regions × {len(panel.indicators)} indicators × years {panel.years}")
    for finding in report.findings:
        out.print(f"[yellow]•[/] {text(finding)}")
    if report.ok:
        out.print("[green]no findings[/]")


@app.command("run")
def run(definition: str = typer.Argument(..., help="index definition: short name or path"),
        data: list[Path] = typer.Argument(..., help="indicator data files (.xlsx/.csv, long or wide), merged"),
        out_path: Path = typer.Option(..., "--out", "-o", help="results .xlsx or .csv"),
        locale: str = typer.Option("zh-Hans", help="zh-Hans or en")) -> None:
    """Compute the index for every region and year: categories, total, ranks, tiers, zone gaps, targets."""
    d, panel = _load(definition, data)
    result = IndexPipeline.from_definition(d).run(panel)
    write_results(out_path, result, check_panel(panel), locale)
    table = results_frame(result, locale)
    total_col = next(c for c in table.columns if c.startswith(f"{d.total} "))
    latest = table[table.year == panel.years[-1]].head(10)
    shown = Table("rank", "region", "total", "tier", title=f"{panel.years[-1]} top {len(latest)} → {text(out_path)}",
                  title_justify="left")
    for _, row in latest.iterrows():
        shown.add_row(str(row["rank"]), text(f"{row['region']} {row['name']}"), f"{row[total_col]:.2f}",
                      text(row["tier"]))
    out.print(shown)


@app.command("uncertainty")
def uncertainty_(definition: str = typer.Argument(..., help="index definition: short name or path"),
                 data: list[Path] = typer.Argument(..., help="indicator data files (.xlsx/.csv), merged"),
                 out_path: Path = typer.Option(..., "--out", "-o", help="results .xlsx or .csv"),
                 runs: int = typer.Option(1000, min=10, help="Monte Carlo runs"),
                 year: int = typer.Option(None, help="year to analyse (default: the latest)"),
                 weights: float = typer.Option(None, help="weight noise ± fraction (default: the definition's)"),
                 sobol_n: int = typer.Option(0, "--sobol", help="also estimate Sobol indices with this base sample"),
                 seed: int = typer.Option(0, help="random seed")) -> None:
    """Rank distribution of every region under uncertain weights, normalisation and aggregation."""
    d, panel = _load(definition, data)
    y = _year(panel, year)
    u = uncertainty(d, panel, y, runs=runs, seed=seed, weights=weights)
    table = u.table.copy()
    table.insert(1, "name", [region_name(c) for c in table.region])
    frames = {"排名不确定性": table}
    if sobol_n:
        frames["敏感性"] = sobol(d, panel, y, n=sobol_n, seed=seed, weights=weights)
    write_frames(out_path, frames)
    shown = Table("region", "nominal", "median", "5–95 %", title=f"{y}: {runs} runs → {text(out_path)}",
                  title_justify="left")
    for row in table.sort_values("nominal_rank").head(10).itertuples():
        shown.add_row(text(f"{row.region} {row.name}"), str(row.nominal_rank), str(row.median_rank),
                      f"{row.rank_p05}–{row.rank_p95}")
    out.print(shown)
    if sobol_n:
        s = frames["敏感性"]
        out.print("Sobol: " + text("; ".join(f"{r.input} S1 {r.S1:.2f} ST {r.ST:.2f}" for r in s.itertuples())))


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
