"""``ronghe assess``: answer templates and scoring of answer files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ronghe.cli.common import compiled, err, fail, out, print_errors, text
from ronghe.core.errors import AnswerFileError
from ronghe.core.io.xlsx import score_file, write_results, write_template
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
