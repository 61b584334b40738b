"""``ronghe assess``: answer templates and scoring of answer files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ronghe.cli.common import compiled, err, fail, out, print_errors, text
from ronghe.core.benchmarking import cohorts
from ronghe.core.benchmarking.columns import FrameError, from_results, guess_framework, metrics
from ronghe.core.benchmarking.peers import Peers
from ronghe.core.benchmarking.report import benchmark_rows, group_tables
from ronghe.core.benchmarking.suppression import DEFAULT_MIN_GROUP
from ronghe.core.errors import AnswerFileError
from ronghe.core.frameworks import load, shipped
from ronghe.core.frameworks.compile import compile
from ronghe.core.io.tables import write_tables
from ronghe.core.io.xlsx import read_results, score_file, write_results, write_template
from ronghe.core.scoring import stage_label

app = typer.Typer(help="Enterprise self-assessment: templates and scoring.", no_args_is_help=True)


@app.command("template")
def template(name: str = typer.Argument(..., help="framework short name, URN or path"),
             out_path: Path = typer.Option(..., "--out", "-o", help="the .xlsx to write"),
             locale: str = typer.Option("zh-Hans", help="language of labels: zh-Hans or en")) -> None:
    """Write an Excel answers template: one row per enterprise, drop-downs, item definitions."""
    if out_path.suffix.lower() != ".xlsx":
        fail("the template is an .xlsx file")
    c = compiled(name)
    write_template(c, out_path, locale)
    out.print(f"wrote {text(out_path)} ({len(c.item_ids)} items)")


@app.command("score")
def score_(answers: Path = typer.Argument(..., help="answers .xlsx or .csv"),
           framework_name: str = typer.Option(..., "--framework", "-f", help="framework short name, URN or path"),
           out_path: Path = typer.Option(..., "--out", "-o", help="results .xlsx or .csv"),
           skip_invalid: bool = typer.Option(False, "--skip-invalid",
                                             help="score the good rows; list the bad ones on an error sheet"),
           sheet: str = typer.Option(None, help="sheet to read (default: 答卷, else the first)"),
           locale: str = typer.Option("zh-Hans", help="language of labels: zh-Hans or en")) -> None:
    """Score an answers file: total, stage, every indicator, key rates and a diagnosis per enterprise.

    A bad cell stops the run with a table of row, column, value and reason, and nothing is
    written; with --skip-invalid the good rows are written and the errors go to an error sheet.
    """
    if not answers.exists():
        fail(f"no such file: {answers}")
    if out_path.suffix.lower() not in {".xlsx", ".csv"}:
        fail("results are written as .xlsx or .csv")
    c = compiled(framework_name)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("scoring", total=None)
        try:
            scored = score_file(answers, c, skip_invalid=skip_invalid, sheet=sheet,
                                progress=lambda done, total: bar.update(task, completed=done, total=total))
        except AnswerFileError as exc:
            bar.stop()
            print_errors(exc.errors)
            fail(f"{answers.name}: {len(exc.errors)} bad cell(s); nothing was written"
                 + ("" if skip_invalid else " (use --skip-invalid to score the good rows)"))
        bar.update(task, description="writing")
        if len(scored.scores):
            write_results(out_path, scored, c, locale)
    if scored.errors:
        print_errors(scored.errors, limit=20)
    n = len(scored.scores)
    if n == 0:
        fail(f"no valid rows in {answers.name}; nothing was written", code=2)
    summary = Table("stage", "enterprises", "share", title=f"{n} scored → {text(out_path)}", title_justify="left")
    codes, counts = np.unique(np.where(scored.scores.complete, scored.scores.stage, -1), return_counts=True)
    for code, count in zip(codes, counts, strict=True):
        label = stage_label(c, max(int(code), 0), code >= 0, locale)
        summary.add_row(f"{max(int(code), 0)} {text(label)}", str(count), f"{count / n:.1%}")
    out.print(summary)
    out.print(f"mean total {np.nanmean(scored.scores.total):.1f}"
              + (f"; {scored.skipped} row(s) skipped, see the error sheet" if scored.skipped else ""))


@app.command("benchmark")
def benchmark(results: Path = typer.Argument(..., help="results .xlsx or .csv written by `ronghe assess score`"),
              by: str = typer.Option("industry,province", "--by",
                                     help="peer groups, comma-separated: industry (division, then section), "
                                          "section, province, city, size, all"),
              out_path: Path = typer.Option(..., "--out", "-o", help="the .xlsx to write (.csv: the per-row table)"),
              framework_name: str = typer.Option(None, "--framework", "-f",
                                                 help="framework of the results (default: read from the columns)"),
              min_group: int = typer.Option(DEFAULT_MIN_GROUP, "--min-group", min=1,
                                            help="smallest group shown; a smaller one is replaced by a wider group"),
              locale: str = typer.Option("zh-Hans", help="language of labels: zh-Hans or en")) -> None:
    """Benchmark every scored row against its peers of the same year: percentile, quartile and gap to
    the group's top 10 % for the total, each aspect, indicator and key rate; each group's stage
    distribution and quantiles. A group under --min-group members is never shown: the row is compared
    with the next wider group (division → section → all, city → province → all), named in the output.
    """
    if not results.exists():
        fail(f"no such file: {results}")
    if out_path.suffix.lower() not in {".xlsx", ".csv"}:
        fail("the benchmark is written as .xlsx or .csv")
    try:
        kinds = cohorts.parse_kinds(by)
    except ValueError as exc:
        fail(str(exc))
    try:
        table = read_results(results)
    except (OSError, ValueError) as exc:
        fail(f"cannot read {results.name} as a results file: {exc}")
    if framework_name:
        c = compiled(framework_name)
    else:
        fw = guess_framework(table.columns, [load(p).framework for p in shipped()])
        if fw is None:
            fail(f"{results.name}: no shipped framework has all of these columns; name it with --framework")
        c = compile(load(fw.name_slug))
    fw = c.framework
    ms = metrics(fw)
    try:
        frame = from_results(table, ms)
    except FrameError as exc:
        fail(str(exc))
    labels = [stage_label(c, s, True, locale) for s in range(len(fw.stages) + 1)]
    rows, stages, quantiles, withheld = [], [], [], 0
    for year, part in frame.groupby("year", sort=True):
        peers = Peers(part, ms, len(fw.stages))
        rows.append(benchmark_rows(peers, kinds, min_group, identity=["key", "enterprise", "credit_code", "year",
                                                                      "region", "industry", "size"], locale=locale))
        s, q, w = group_tables(peers, kinds, min_group, stage_labels=labels, locale=locale)
        stages.append(s.assign(year=int(year)))
        quantiles.append(q.assign(year=int(year)))
        withheld += w
    notes = pd.DataFrame({"item": ["framework", "peer groups", "smallest group shown", "groups withheld (too small)",
                                   "percentile", "quartile", "gap"],
                          "value": [f"{fw.name_slug} v{fw.version}", ", ".join(kinds), min_group, withheld,
                                    "100 × (below + equal / 2) / n, complete assessments of the same year",
                                    "1 = top 25 % … 4 = bottom 25 %", "P90 of the group − value, 0 once reached"]})
    tables = {"对标": pd.concat(rows, ignore_index=True).rename(columns={"key": "row"}),
              "分组阶段": pd.concat(stages, ignore_index=True), "分组分位数": pd.concat(quantiles, ignore_index=True),
              "说明": notes}
    write_tables(out_path, tables)
    summary = Table("peer group", "groups shown", "rows compared with a wider group",
                    title=f"{len(frame)} rows → {text(out_path)}", title_justify="left")
    bench = tables["对标"]
    for kind in kinds:
        label = cohorts.LABELS[kind][1 if locale.startswith("en") else 0]
        groups = tables["分组阶段"]
        shown_groups = int(groups["kind"].eq(cohorts.Cohort(kind, "").label(locale)).sum()) if len(groups) else 0
        summary.add_row(text(label), str(shown_groups), str(int(bench[f"{label} 替代"].sum())))
    out.print(summary)
    if withheld:
        out.print(f"{withheld} group(s) under {min_group} members were not shown; their rows use a wider group")
