"""How long an export of answers and scores takes, and how much memory it holds, at the inline limit.

``RONGHE_INLINE_EXPORT_ROWS`` (default 20,000) decides when an export stops being answered at once
and becomes a background job; this measures an export of that many scored GB/T 23020 (discrete)
assessments through the service the page, the API and the command call, as a national authority.

    .venv/bin/python benchmarks/exports.py [--rows 20000]

The database is ``DATABASE_URL`` (default: a fresh SQLite file at var/bench/exports.sqlite3, made
anew each run). Enterprises, assessments and scores are written with ``bulk_create`` (the workflow
would take hours); answers are the core's synthetic answers and the scores are the core's scores
of them, so every cell the export writes is a real value. Prints the figures for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
DB = BENCH_DIR / "exports.sqlite3"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ronghe.settings")


def setup(rows: int) -> None:
    """A fresh database with ``rows`` scored assessments of as many enterprises (2025)."""
    import io

    import django
    import numpy as np

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if os.environ["DATABASE_URL"].startswith("sqlite") and DB.exists():
        DB.unlink()
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone

    from ronghe.apps.accounts.models import Membership
    from ronghe.apps.assessments.models import Assessment, Score
    from ronghe.apps.frameworks.services import get_version
    from ronghe.apps.organizations.models import Organization, Region
    from ronghe.core.codes import org_code_check_char, uscc_check_char
    from ronghe.core.frameworks.compile import compile
    from ronghe.core.frameworks.synthetic import answers
    from ronghe.core.scoring import score
    from ronghe.core.scoring.answers import encode

    for command in ("migrate", "load_codes", "sync_frameworks"):
        call_command(command, stdout=io.StringIO())
    framework = get_version("gbt23020-discrete")
    loaded = framework.loaded()
    compiled = compile(loaded)
    counties = list(Region.objects.filter(level="county").values_list("code", flat=True))
    rng = np.random.default_rng(2026)
    raw = answers(loaded.framework, rows, seed=2025, blank_rate=0.1)
    scores = score(compiled, encode(compiled, raw))
    national = Organization.objects.create(kind="authority", name="工业和信息化部（基准测试）", national=True)
    user = User.objects.create_user("bench_national")
    Membership.objects.create(user=user, organization=national, role="manager")

    def code(county: str, k: int) -> str:
        body = f"E{k:07d}"[:8]
        first17 = "91" + county + body + org_code_check_char(body)
        return first17 + uscc_check_char(first17)

    sizes = [s for s, _ in Organization.Size.choices]
    picked = rng.choice(counties, size=rows)
    enterprises = Organization.objects.bulk_create(
        [Organization(kind="enterprise", name=f"基准企业{k:06d}", credit_code=code(c, k), region_id=c,
                      industry_id=("34", "35", "36", "38", "39", "26", "17")[k % 7], size=sizes[k % len(sizes)])
         for k, c in enumerate(picked)], batch_size=2000)
    now = timezone.now()
    records = raw.to_dict("records")
    made = Assessment.objects.bulk_create(
        [Assessment(enterprise=e, framework=framework, year=2025, status="scored", submitted_at=now,
                    reviewed_at=now, answers={k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()
                                              if v is not None and v == v})
         for e, r in zip(enterprises, records, strict=True)], batch_size=2000)
    result_rows = [scores.row(compiled, i) for i in range(rows)]
    Score.objects.bulk_create(
        [Score(assessment=a, framework_sha256=loaded.sha256, total=r.total, stage=r.stage, stage_label=r.stage_label,
               complete=r.complete, nodes={k: (None if v != v else round(v, 4)) for k, v in r.nodes.items()},
               rates={k: (None if v != v else round(v, 4)) for k, v in r.rates.items()}, diagnosis={})
         for a, r in zip(made, result_rows, strict=True)], batch_size=2000)


def measure() -> dict:
    """Time the whole export (untraced), then trace the memory of exports of one province and of two:
    a peak that does not grow with the rows shows that they stream."""
    from django.contrib.auth.models import User

    from ronghe.apps.assessments import exports

    user = User.objects.get(username="bench_national")
    out = BENCH_DIR / "export.xlsx"
    exports.assessments_to_export(user).first()  # the framework parsed once, as in a running server
    started = time.perf_counter()
    rows = exports.write_assessments(user, {}, out)
    seconds = time.perf_counter() - started
    peaks = {}
    for region in ("330000", "370000"):
        tracemalloc.start()
        n = exports.write_assessments(user, {"region": region}, BENCH_DIR / "part.xlsx")
        peaks[n] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    return {"rows": rows, "seconds": round(seconds, 1), "peaks": peaks, "file_mb": round(out.stat().st_size / 2**20, 1),
            "rows_per_s": round(rows / seconds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    started = time.perf_counter()
    setup(args.rows)
    print(f"setup: {args.rows} scored assessments in {time.perf_counter() - started:.0f} s")
    figures = measure()
    print(f"{dt.date.today()} export of {figures['rows']:,} assessments: {figures['seconds']} s, "
          f"{figures['rows_per_s']:,} rows/s, file {figures['file_mb']} MB "
          f"({os.environ['DATABASE_URL'].split(':')[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")
    for n, mb in figures["peaks"].items():
        print(f"  Python memory peak exporting {n:,} rows: {mb} MB")


if __name__ == "__main__":
    main()
