"""Regional index robustness at county scale: Monte Carlo and Sobol time and peak memory.

Targets (issue 18): memory linear in units (30,000 units × 30 indicators × 10,000 runs within
4 GB), time linear in units × runs, the Monte Carlo of 3,000 × 30 × 10,000 under 10 s, a
900,000-row long CSV read in under 2 s. Prints figures; docs/benchmarks.md records them.

Peak memory is the process's maximum resident set (``resource.getrusage``, the interpreter and
libraries included, ~120 MB) and, per stage, the peak of Python and NumPy allocations seen by
``tracemalloc`` (NumPy reports its buffers to it). ``--sizes`` runs each size in a fresh process
so that one size's peak does not hide the next one's.

    .venv/bin/python benchmarks/index.py                       # 3,000 × 30 × 10,000
    .venv/bin/python benchmarks/index.py --regions 300 --runs 1000
    .venv/bin/python benchmarks/index.py --sizes 300,3000,10000,30000 --runs 10000
    .venv/bin/python benchmarks/index.py --csv-rows 900000     # read a long CSV
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from ronghe.core.index.data import Panel, provinces, read_panel
from ronghe.core.index.definition import Definition
from ronghe.core.index.pipeline import IndexPipeline
from ronghe.core.index.sensitivity import sobol, uncertainty


def county_definition(k: int) -> Definition:
    """The shipped three-category structure with ``k`` synthetic indicators spread over it."""
    cats = [("JCHJ", 0.25), ("GYYY", 0.5), ("YYXY", 0.25)]
    per = [k // 3 + (1 if i < k % 3 else 0) for i in range(3)]
    indicators = []
    for (cat, _), m in zip(cats, per, strict=True):
        w = [round(1 / m, 6)] * m
        w[-1] = round(1 - sum(w[:-1]), 6)
        for j in range(m):
            indicators.append({"id": f"{cat}_{j:02d}", "parent": cat, "weight": w[j], "name": f"{cat} {j}",
                               "unit": "%", "source": "synthetic", "reference": 100.0, "target": 120.0,
                               "direction": "lower" if j % 7 == 6 else "higher"})
    return Definition.model_validate({
        "urn": "urn:ronghe:index:county-benchmark", "version": 1, "provider": "benchmark", "name": "county benchmark",
        "total": "TOTAL",
        "nodes": [{"id": "TOTAL", "name": "总指数"}] + [{"id": c, "parent": "TOTAL", "weight": w, "name": c}
                                                        for c, w in cats],
        "indicators": indicators,
        "pipeline": [{"step": "impute", "method": "previous_year"}, {"step": "treat", "method": "none"},
                     {"step": "normalise", "method": "ratio"},
                     {"step": "weight", "method": "given"},
                     {"step": "aggregate", "method": "arithmetic", "floor": 0.1}],
        "uncertainty": {"weights": 0.25, "normalise": ["ratio", "minmax", "zscore"],
                        "aggregate": ["arithmetic", "geometric"]},
    })


def county_panel(d: Definition, regions: int, years: int = 2, seed: int = 0) -> Panel:
    rng = np.random.default_rng(seed)
    provs = sorted(provinces())
    codes = sorted({f"{provs[i % len(provs)][:2]}{(i // len(provs)) // 99 + 1:02d}{(i // len(provs)) % 99 + 1:02d}"
                    for i in range(regions)})
    level = rng.beta(2, 3, size=len(codes))[None, :, None]
    X = 100 * (0.3 + level + rng.normal(0, 0.15, (years, len(codes), len(d.indicators))))
    X = np.maximum(X, 1.0)
    X[rng.random(X.shape) < 0.02] = np.nan
    return Panel(list(range(2020, 2020 + years)), codes, [i.id for i in d.indicators], X)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _timed(label: str, f, trace: bool = True):
    """Time ``f()``; with ``trace`` also its peak allocations (tracemalloc slows code that makes
    many Python objects, such as parsing text, so the CSV reader is timed without it)."""
    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    value = f()
    dt = time.perf_counter() - t0
    peak = ""
    if trace:
        peak = f"   peak allocations {tracemalloc.get_traced_memory()[1] / 2**20:8.0f} MB"
        tracemalloc.stop()
    print(f"  {label:<36} {dt:8.2f} s{peak}")
    return value, dt


def read_csv_benchmark(rows: int) -> None:
    d = county_definition(30)
    regions = max(2, -(-rows * 100 // (30 * 3 * 98)))  # 2 % of the values are missing
    long = county_panel(d, regions, years=3).long().dropna()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.csv"
        long.to_csv(path, index=False)
        print(f"long CSV: {len(long):,} rows, {path.stat().st_size / 2**20:.0f} MB")
        ids = [i.id for i in d.indicators]
        best = min(_timed("read_panel", lambda: read_panel(path, ids), trace=False)[1] for _ in range(3))
        print(f"  best of 3: {best:.2f} s")
        _timed("read_panel under tracemalloc", lambda: read_panel(path, ids))


def sizes_benchmark(sizes: list[int], args: argparse.Namespace) -> None:
    """Each size in a fresh process; a summary line per size."""
    for regions in sizes:
        cmd = [sys.executable, __file__, "--regions", str(regions), "--runs", str(args.runs), "--indicators",
               str(args.indicators), "--sobol-n", str(args.sobol_n)]
        print(f"$ {' '.join(cmd[1:])}", flush=True)
        subprocess.run(cmd, check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--regions", type=int, default=3000)
    ap.add_argument("--indicators", type=int, default=30)
    ap.add_argument("--runs", type=int, default=10_000)
    ap.add_argument("--sobol-n", type=int, default=1024)
    ap.add_argument("--sizes", help="comma-separated region counts, each run in its own process")
    ap.add_argument("--csv-rows", type=int, help="only time reading a long CSV of about this many rows")
    args = ap.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} cores, {platform.machine()}, "
          f"load average {os.getloadavg()[0]:.2f}")
    if args.csv_rows:
        read_csv_benchmark(args.csv_rows)
        return
    if args.sizes:
        sizes_benchmark([int(x) for x in args.sizes.split(",")], args)
        return
    d = county_definition(args.indicators)
    panel = county_panel(d, args.regions)
    print(f"{len(panel.regions):,} regions × {len(d.indicators)} indicators × {len(panel.years)} years")
    _timed("index (all years, all steps)", lambda: IndexPipeline.from_definition(d).run(panel))
    u, dt = _timed(f"Monte Carlo, {args.runs:,} runs", lambda: uncertainty(d, panel, panel.years[-1], runs=args.runs))
    print(f"    {args.runs / dt:,.0f} runs/s, {args.runs * len(panel.regions) / dt / 1e6:.2f} M region-runs/s")
    width = (u.table.rank_p95 - u.table.rank_p05).median()
    print(f"    median 5–95 % rank interval width: {width:.0f} places")
    steps = {"imputations": ["previous_year", "group_mean", "none"], "treatments": ["none", "winsorise"]}
    _, dt = _timed("  with imputation × treatment (6)",
                   lambda: uncertainty(d, panel, panel.years[-1], runs=args.runs, **steps))
    print(f"    {args.runs / dt:,.0f} runs/s over 18 data variants (imputation × treatment × normalisation)")
    s, dt = _timed(f"Sobol, n = {args.sobol_n} ({args.sobol_n * 5:,} evaluations)",
                   lambda: sobol(d, panel, panel.years[-1], n=args.sobol_n, bootstrap=200))
    for row in s.itertuples():
        print(f"    {row.input:<14} S1 {row.S1:6.3f} [{row.S1_low:6.3f}, {row.S1_high:6.3f}]"
              f"   ST {row.ST:6.3f} [{row.ST_low:6.3f}, {row.ST_high:6.3f}]")
    print(f"  process peak resident memory {_peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
