"""``ronghe targets``: action-plan targets — list, validate, and their status from a scored results
file and/or index results, offline."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer
from rich.table import Table

from ronghe.cli.common import check_files, fail, out, print_errors, text
from ronghe.core.benchmarking.columns import FrameError, from_results, guess_framework, metrics, with_derived
from ronghe.core.errors import FrameworkFileError
from ronghe.core.frameworks import load as load_framework
from ronghe.core.frameworks import shipped as shipped_frameworks
from ronghe.core.index import definition as definitions
from ronghe.core.io.tables import write_tables
from ronghe.core.io.xlsx import read_results
from ronghe.core.targets import load as targets
from ronghe.core.targets.status import index_values, status_of

app = typer.Typer(help="Action-plan targets: the shipped plans, and their status from results and index values.",
                  no_args_is_help=True)


def _targets(name: str | None) -> list[targets.LoadedTargets]:
    try:
        return [targets.load(name)] if name else targets.load_shipped()
    except FileNotFoundError as exc:
        fail(str(exc))
    except FrameworkFileError as exc:
        print_errors(exc.errors)
        fail(f"{name} is not a valid targets file")


@app.command("list")
def list_(file: str = typer.Option(None, "--targets", help="targets file (default: every shipped one)")) -> None:
    """List the targets: metric, scope, baseline, target and source (verified or not)."""
    table = Table("id", "name", "metric", "scope", "baseline", "target", "source")
    for lt in _targets(file):
        for t in lt.file.targets:
            m, src = t.metric, lt.file.source(t.source)
            what = {"stage_share": f"stage ≥ {m.stage_min} %", "rate": f"{m.rate} (mean %)",
                    "rate_share": f"{m.rate} > {m.above:g} (% of enterprises)", "index": f"{m.index} index"}[m.kind]
            scope = " ".join([t.scope.region, *t.scope.industry, *t.scope.size])
            base = f"{t.baseline.value:g} ({t.baseline.year})" if t.baseline else "—"
            table.add_row(t.id, text(t.name.zh), what, text(scope), base, f"{t.target.value:g} ({t.target.year})",
                          text(src.title.zh + ("" if src.verified else "（未核实 unverified）")))
    out.print(table)


@app.command("validate")
def validate_(files: list[Path] = typer.Argument(..., help="targets YAML files")) -> None:
    """Check targets files; print every fault as file, path and reason (exit 1 if any)."""
    check_files(files, targets.validate)


def _index_table(path: Path, index: str, node: str | None) -> pd.DataFrame:
    if not path.exists():
        fail(f"no such file: {path}")
    try:
        results = (pd.read_csv(path, dtype={"region": str}, encoding="utf-8-sig") if path.suffix.lower() == ".csv"
                   else pd.read_excel(path, sheet_name="指数", engine="calamine", dtype={"region": str}))
        total = node or definitions.load(index).definition.total
        return index_values(results, total)
    except (KeyError, ValueError, OSError) as exc:
        fail(f"{path.name}: not index results of {index} ({exc})")


@app.command("status")
def status(scored: Path = typer.Option(None, "--scored", help="results .xlsx/.csv written by `ronghe assess score`"),
           index: Path = typer.Option(None, "--index", help="index results .xlsx/.csv written by `ronghe index run`"),
           region: str = typer.Option(None, "--region",
                                      help="measure over this region only (6-digit GB/T 2260 code)"),
           file: str = typer.Option(None, "--targets", help="targets file (default: every shipped one)"),
           out_path: Path = typer.Option(None, "--out", "-o", help="also write the table (.xlsx or .csv)")) -> None:
    """Each target's value now, gap, pace needed per year and whether it is on track, measured from a
    scored results file (stage shares and key rates) and/or index results (index targets)."""
    if scored is None and index is None:
        fail("give --scored results and/or --index results to measure the targets")
    if region is not None and not (region.isdigit() and len(region) == 6):
        fail("a region is a 6-digit GB/T 2260 code")
    frame, framework = None, None
    if scored is not None:
        if not scored.exists():
            fail(f"no such file: {scored}")
        table = read_results(scored)
        fw = guess_framework(table.columns, [load_framework(p).framework for p in shipped_frameworks()])
        if fw is None:
            fail(f"{scored.name}: no shipped framework has all of these columns")
        try:
            frame = with_derived(from_results(table, metrics(fw)))
        except FrameError as exc:
            fail(str(exc))
        framework = fw.name_slug
    rows = []
    for lt in _targets(file):
        for t in lt.file.targets:
            idx = None
            if t.metric.kind == "index" and index is not None and (region is None or region == t.scope.region):
                idx = _index_table(index, t.metric.index, t.metric.node)
            s = status_of(t, frame=frame, framework=framework, index=idx, region=region)
            now = s.current
            rows.append({"id": t.id, "name": t.name.zh, "year": now.year if now else None,
                         "value": None if now is None else round(now.value, 2), "n": now.n if now else None,
                         "target": t.target.value, "target_year": t.target.year,
                         "gap": None if s.gap is None else round(s.gap, 2),
                         "pace_needed": None if s.pace_needed is None else round(s.pace_needed, 2),
                         "pace_so_far": None if s.pace_so_far is None else round(s.pace_so_far, 2),
                         "state": s.state, "status": s.state_label, "reason": s.reason,
                         "verified": lt.file.source(t.source).verified})
    result = pd.DataFrame(rows)
    table = Table("target", "now", "target", "gap", "pace needed /yr", "status")
    for r in rows:
        now = "—" if r["value"] is None else f"{r['value']:g} ({r['year']}, n={r['n'] or '—'})"
        table.add_row(text(r["name"]), now, f"{r['target']:g} ({r['target_year']})",
                      "—" if r["gap"] is None else f"{r['gap']:g}",
                      "—" if r["pace_needed"] is None else f"{r['pace_needed']:g}",
                      text(r["status"] + (f": {r['reason']}" if r["reason"] else "")))
    out.print(table)
    if out_path is not None:
        write_tables(out_path, {"目标": result})
        out.print(f"wrote {text(out_path)}")
