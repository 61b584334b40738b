"""Scoring throughput: in-memory batch scoring and reading + scoring an xlsx file.

Prints figures; docs/benchmarks.md records them. Targets (issue "Foundation and the enterprise
assessment core"): 1,000,000 assessments of ~80 items scored in under 10 s on 2 cores; the xlsx
path limited by reading, not by scoring.

    .venv/bin/python benchmarks/scoring.py                 # N = 1,000,000 in memory, 100,000 xlsx
    .venv/bin/python benchmarks/scoring.py --n 100000 --xlsx-n 10000 --framework mini.yaml
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from openpyxl import Workbook

from ronghe.core.frameworks import load
from ronghe.core.frameworks.compile import compile
from ronghe.core.frameworks.synthetic import answers
from ronghe.core.io.guard import check_file
from ronghe.core.io.xlsx import score_file
from ronghe.core.scoring import score
from ronghe.core.scoring.answers import encode


def _timed(label: str, fn, n: int):
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    print(f"  {label:<34} {dt:8.2f} s   {n / dt:>12,.0f} assessments/s")
    return out, dt


def in_memory(compiled, n: int, seed: int) -> dict[str, float]:
    fw = compiled.framework
    print(f"in memory: N = {n:,} assessments × {len(fw.items)} items ({fw.name_slug})")
    frame, t_gen = _timed("generate raw answers", lambda: answers(fw, n, seed=seed, blank_rate=0.1), n)
    encoded, t_enc = _timed("encode (validate + code)", lambda: encode(compiled, frame), n)
    assert not encoded.errors, encoded.errors[:3]
    scores, t_score = _timed("score (items → nodes → stage)", lambda: score(compiled, encoded), n)
    stages, counts = np.unique(scores.stage, return_counts=True)
    dist = ", ".join(f"{s}: {c / n:.1%}" for s, c in zip(stages, counts, strict=True))
    print(f"  mean total {np.nanmean(scores.total):.1f}; stage distribution {dist}")
    return {"generate": t_gen, "encode": t_enc, "score": t_score}


def xlsx_path(compiled, n: int, seed: int) -> dict[str, float]:
    fw = compiled.framework
    print(f"xlsx: N = {n:,} rows × {len(fw.items)} items")
    frame = answers(fw, n, seed=seed, blank_rate=0.1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.xlsx"

        def write() -> None:
            wb = Workbook(write_only=True)
            ws = wb.create_sheet("答卷")
            ws.append(["enterprise", *frame.columns])
            for i, row in enumerate(frame.itertuples(index=False, name=None)):
                ws.append([f"企业{i:06d}", *row])
            wb.save(path)

        _, t_write = _timed("write xlsx (openpyxl, setup only)", write, n)
        print(f"  file size {path.stat().st_size / 2**20:.1f} MiB")
        scored, t_total = _timed("read + encode + score (score_file)", lambda: score_file(path, compiled), n)
        assert not scored.errors
        _, t_guard = _timed("  of which the input guard (check_file)", lambda: check_file(path), n)
        _, t_score = _timed("  of which scoring alone", lambda: score(compiled, encode(compiled, frame)), n)
    return {"write": t_write, "read_and_score": t_total, "guard": t_guard, "score_only": t_score}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--framework", default="gbt23020-discrete")
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--xlsx-n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} cores, {platform.machine()}")
    compiled = compile(load(args.framework))
    in_memory(compiled, args.n, args.seed)
    if args.xlsx_n:
        xlsx_path(compiled, args.xlsx_n, args.seed)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
