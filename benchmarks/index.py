"""Regional index robustness at county scale: Monte Carlo and Sobol throughput.

Target (issue "Regional development index engine"): 3,000 counties × 30 indicators × 10,000
Monte Carlo runs in under 30 s on this 2-core machine. Prints figures; docs/benchmarks.md
records them.

    .venv/bin/python benchmarks/index.py                       # 3,000 × 30 × 10,000
    .venv/bin/python benchmarks/index.py --regions 300 --runs 1000
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from ronghe.core.index.data import Panel, provinces
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
        "pipeline": [{"step": "impute", "method": "previous_year"}, {"step": "normalise", "method": "ratio"},
                     {"step": "weight", "method": "given"}, {"step": "aggregate", "method": "arithmetic"}],
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--regions", type=int, default=3000)
    ap.add_argument("--indicators", type=int, default=30)
    ap.add_argument("--runs", type=int, default=10_000)
    ap.add_argument("--sobol-n", type=int, default=1024)
    args = ap.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} cores, {platform.machine()}")
    d = county_definition(args.indicators)
    panel = county_panel(d, args.regions)
    print(f"{len(panel.regions):,} regions × {len(d.indicators)} indicators × {len(panel.years)} years")
    t0 = time.perf_counter()
    IndexPipeline.from_definition(d).run(panel)
    print(f"  index (all years, all steps)        {time.perf_counter() - t0:8.2f} s")
    t0 = time.perf_counter()
    u = uncertainty(d, panel, panel.years[-1], runs=args.runs)
    dt = time.perf_counter() - t0
    print(f"  Monte Carlo, {args.runs:,} runs            {dt:8.2f} s   {args.runs / dt:,.0f} runs/s")
    width = (u.table.rank_p95 - u.table.rank_p05).median()
    print(f"    median 5–95 % rank interval width: {width:.0f} places")
    t0 = time.perf_counter()
    s = sobol(d, panel, panel.years[-1], n=args.sobol_n)
    dt = time.perf_counter() - t0
    evaluations = args.sobol_n * 5
    print(f"  Sobol, n = {args.sobol_n} ({evaluations:,} evaluations) {dt:8.2f} s")
    for row in s.itertuples():
        print(f"    {row.input:<14} S1 {row.S1:6.3f}   ST {row.ST:6.3f}")


if __name__ == "__main__":
    main()
