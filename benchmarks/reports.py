"""How many enterprise diagnosis reports (PDF) the platform draws per second, and whether memory
stays flat over a batch.

    .venv/bin/python benchmarks/reports.py [--reports 1000] [--workers 2]

Sets up a fresh database (``DATABASE_URL``, default a SQLite file at var/bench/reports.sqlite3)
with ``--reports`` scored GB/T 23020 (discrete) assessments of as many enterprises (synthetic
answers scored by the core, written with ``bulk_create``; the benchmark snapshot rebuilt so that
every report has its peer benchmark), then draws every report with the batch's own function
(``reports.services.write_batch``: context, template, WeasyPrint, into a zip) in ``--workers``
processes, each taking a share of the assessments, as background workers would. Prints reports
per second over the whole batch, and each worker's resident memory after its first report, at
half-way and at the end, and its peak (kB from /proc, MB printed), and the CPU seconds a report
takes (so that a run on a busy machine still says what idle cores would do).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
DB = BENCH_DIR / "reports.sqlite3"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ronghe.settings")


def setup(n: int) -> list[int]:
    """A fresh database with ``n`` scored 2025 assessments of as many enterprises; their ids."""
    import io

    import django
    import numpy as np

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if os.environ["DATABASE_URL"].startswith("sqlite") and DB.exists():
        DB.unlink()
    django.setup()
    from dataclasses import asdict

    from django.core.management import call_command
    from django.utils import timezone

    from ronghe.apps.assessments.models import Assessment, Score
    from ronghe.apps.benchmarking.services import recompute
    from ronghe.apps.frameworks.services import get_version
    from ronghe.apps.organizations.models import Organization, Region
    from ronghe.core.codes import org_code_check_char, uscc_check_char
    from ronghe.core.frameworks.compile import compile
    from ronghe.core.frameworks.synthetic import answers
    from ronghe.core.scoring import score
    from ronghe.core.scoring.answers import encode
    from ronghe.core.scoring.diagnosis import diagnose

    for command in ("migrate", "load_codes", "sync_frameworks"):
        call_command(command, stdout=io.StringIO())
    framework = get_version("gbt23020-discrete")
    loaded = framework.loaded()
    compiled = compile(loaded)
    counties = list(Region.objects.filter(level="county", code__startswith="33").values_list("code", flat=True))
    rng = np.random.default_rng(2026)
    raw = answers(loaded.framework, n, seed=2025, blank_rate=0.05)
    scores = score(compiled, encode(compiled, raw))

    def code(county: str, k: int) -> str:
        body = f"R{k:07d}"[:8]
        first17 = "91" + county + body + org_code_check_char(body)
        return first17 + uscc_check_char(first17)

    sizes = [s for s, _ in Organization.Size.choices]
    picked = rng.choice(counties, size=n)
    enterprises = Organization.objects.bulk_create(
        [Organization(kind="enterprise", name=f"浙江基准制造有限公司{k:05d}", credit_code=code(c, k), region_id=c,
                      industry_id=("34", "35", "36", "38", "39")[k % 5], size=sizes[k % len(sizes)])
         for k, c in enumerate(picked)], batch_size=2000)
    now = timezone.now()
    made = Assessment.objects.bulk_create(
        [Assessment(enterprise=e, framework=framework, year=2025, status="scored", submitted_at=now, reviewed_at=now,
                    answers={}) for e in enterprises], batch_size=2000)
    Score.objects.bulk_create(
        [Score(assessment=a, framework_sha256=loaded.sha256, total=r.total, stage=r.stage, stage_label=r.stage_label,
               complete=r.complete, nodes={k: (None if v != v else round(v, 4)) for k, v in r.nodes.items()},
               rates={k: (None if v != v else round(v, 4)) for k, v in r.rates.items()},
               diagnosis=asdict(diagnose(compiled, scores, i)))
         for i, (a, r) in enumerate(zip(made, (scores.row(compiled, i) for i in range(n)), strict=True))],
        batch_size=2000)
    recompute(framework, 2025)
    return [a.pk for a in made]


def _rss_kb() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _work(args: tuple[list[int], int, mp.Queue]) -> None:
    ids, k, queue = args
    from django.db import connections

    from ronghe.apps.reports import services

    connections.close_all()  # a fresh connection in this process
    samples: dict[str, int] = {}

    def progress(done: int, total: int | None = None, message: str = "") -> None:
        if done == 1:
            samples["after first"] = _rss_kb()
        if total and done == total // 2:
            samples["half-way"] = _rss_kb()

    services.write_batch(ids, BENCH_DIR / f"reports-{k}.zip", progress)
    samples["end"] = _rss_kb()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    samples["peak"] = usage.ru_maxrss
    samples["cpu_ms"] = int(1000 * (usage.ru_utime + usage.ru_stime))
    queue.put((k, len(ids), samples))


def measure(ids: list[int], workers: int) -> dict:
    from django.db import connections
    from django.utils import translation

    translation.activate("zh-hans")
    connections.close_all()
    queue: mp.Queue = mp.Queue()
    parts = [ids[k::workers] for k in range(workers)]
    ctx = mp.get_context("fork")
    started = time.perf_counter()
    procs = [ctx.Process(target=_work, args=((part, k, queue),)) for k, part in enumerate(parts)]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    seconds = time.perf_counter() - started
    return {"reports": len(ids), "seconds": round(seconds, 1), "per_s": round(len(ids) / seconds, 2),
            "workers": sorted(results)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    started = time.perf_counter()
    ids = setup(args.reports)
    print(f"setup: {len(ids)} scored assessments in {time.perf_counter() - started:.0f} s")
    load = os.getloadavg()[0]
    f = measure(ids, args.workers)
    print(f"{dt.date.today()} {f['reports']:,} enterprise reports (PDF) in {f['seconds']} s with {args.workers} "
          f"worker(s): {f['per_s']} PDFs/s ({os.environ['DATABASE_URL'].split(':')[0]}, {os.cpu_count()} cores, "
          f"load {load:.1f} before, {os.getloadavg()[0]:.1f} after)")
    size = sum(p.stat().st_size for p in BENCH_DIR.glob("reports-*.zip"))
    print(f"  zips: {size / 2**20:.1f} MB, {size / max(f['reports'], 1) / 1024:.0f} kB a report")
    cpu = sum(s["cpu_ms"] for _k, _n, s in f["workers"]) / 1000 / max(f["reports"], 1)
    print(f"  CPU time: {cpu:.2f} s a report (user + system, all workers): at most {args.workers / cpu:.1f} PDFs/s "
          f"on {args.workers} otherwise idle cores")
    for k, n, s in f["workers"]:
        print(f"  worker {k} ({n} reports): RSS after the first {s['after first'] / 1024:.0f} MB, half-way "
              f"{s.get('half-way', 0) / 1024:.0f} MB, end {s['end'] / 1024:.0f} MB, peak {s['peak'] / 1024:.0f} MB")


if __name__ == "__main__":
    main()
