"""Benchmarking and monitoring at national scale: 1,000,000 scored assessments (10 years × 100,000).

Targets (issue 15): a full recompute of the benchmark snapshot in under 60 s; p95 under 300 ms for
an enterprise's benchmark panel and for a province's dashboard, measured through the running
server. Prints figures; docs/benchmarks.md records them.

    .venv/bin/python benchmarks/analytics.py setup          # a fresh database with the data
    .venv/bin/python benchmarks/analytics.py recompute      # time the full recompute
    .venv/bin/python benchmarks/analytics.py measure        # start the server on :8102, time requests
    .venv/bin/python benchmarks/analytics.py all            # the three in turn

The database is ``DATABASE_URL`` (default: SQLite at var/bench/analytics.sqlite3); for PostgreSQL
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_bench``. Setup writes the enterprises,
assessments and scores with bulk SQL (the workflow's per-assessment services would take hours);
assessments carry no answers and scores no diagnosis, which no measured page reads. Everything
measured goes through the application: the recompute is the management command's service, the
requests go to ``manage.py runserver`` over HTTP.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DIR / 'analytics.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ronghe.settings")
PORT = int(os.environ.get("BENCH_PORT", "8102"))
PASSWORD = "bench-analytics-2026"
EAST = {"11", "12", "13", "21", "31", "32", "33", "35", "37", "44", "46"}
SIZES = ["300人以下", "300-1000人", "1000-5000人", "5000-10000人", "10000人以上"]
SIZE_WEIGHTS = [0.55, 0.25, 0.13, 0.04, 0.03]


def _django():
    import django

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    django.setup()


def _credit_code(division: str, serial: int) -> str:
    from ronghe.core.codes import org_code_check_char, uscc_check_char

    body = f"B{serial:07d}"[:8]
    first17 = "91" + division + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


def _json_rows(ids: list[str], matrix: np.ndarray) -> list[str]:
    rounded = np.round(matrix, 4)
    return [json.dumps({k: (None if v != v else float(v)) for k, v in zip(ids, row, strict=True)})
            for row in rounded.tolist()]


def setup(enterprises: int, years: int) -> None:
    """A fresh database: migrate, codes, frameworks, the enterprises and their scored assessments."""
    if os.environ["DATABASE_URL"].startswith("sqlite:///"):
        path = Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    _django()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from ronghe.apps.accounts.models import Membership
    from ronghe.apps.frameworks.services import get_version
    from ronghe.apps.organizations.models import Organization, Region
    from ronghe.apps.organizations.services import load_codes
    from ronghe.core.codes import industries
    from ronghe.core.frameworks.compile import compile
    from ronghe.core.frameworks.synthetic import answers
    from ronghe.core.scoring import score, stage_label
    from ronghe.core.scoring.answers import encode

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    load_codes()
    call_command("sync_frameworks", verbosity=0)
    framework = get_version("gbt23020-discrete")
    compiled = compile(framework.loaded())
    fw = compiled.framework
    print(f"migrate, codes, frameworks               {time.perf_counter() - t0:7.1f} s")

    rng = np.random.default_rng(2026)
    counties = list(Region.objects.filter(level="county").values_list("code", flat=True))
    weights = np.array([3.0 if c[:2] in EAST else 1.0 for c in counties])
    county = rng.choice(counties, enterprises, p=weights / weights.sum())
    divisions = [c for c, i in industries().items() if i.section == "C"]
    industry = rng.choice(divisions, enterprises)
    size = rng.choice(SIZES, enterprises, p=SIZE_WEIGHTS)
    maturity = np.clip(rng.beta(2.2, 3.0, enterprises) + np.where([c[:2] in EAST for c in county], 0.08, 0), 0, 1)
    now = timezone.now()
    t0 = time.perf_counter()
    q = "%s"
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(
            "INSERT INTO organizations_organization (id, created_at, updated_at, kind, name, credit_code, region_id, "
            f"national, industry_id, size) VALUES ({', '.join([q] * 10)})",
            [(i + 1, now, now, "enterprise", f"基准企业{i + 1:06d}", _credit_code(county[i], i + 1), county[i], False,
              industry[i], size[i]) for i in range(enterprises)])
    print(f"{enterprises:,} enterprises                    {time.perf_counter() - t0:7.1f} s")

    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
    labels = {(s, c): stage_label(compiled, s, c) for s in range(len(fw.stages) + 1) for c in (True, False)}
    first_year = 2025 - years + 1
    aid = 0
    for t, year in enumerate(range(first_year, 2026)):
        t0 = time.perf_counter()
        level = np.clip(maturity + 0.03 * t, 0, 1)
        raw = answers(fw, enterprises, seed=year, maturity=level, blank_rate=0.0)
        s = score(compiled, encode(compiled, raw))
        nodes, rates = _json_rows(list(compiled.node_ids), s.nodes), _json_rows(list(compiled.rate_ids), s.rates)
        stamp = timezone.make_aware(dt.datetime(year + 1, 3, 1))
        with transaction.atomic(), connection.cursor() as cur:
            cur.executemany(
                "INSERT INTO assessments_assessment (id, created_at, updated_at, enterprise_id, framework_id, year, "
                "version, status, answers, submitted_at, reviewed_at, review_reason) VALUES "
                f"(%s, %s, %s, %s, %s, %s, 1, 'scored', '{{}}'{json_cast}, %s, %s, '')",
                [(aid + i + 1, stamp, stamp, i + 1, framework.pk, year, stamp, stamp) for i in range(enterprises)])
            cur.executemany(
                "INSERT INTO assessments_score (id, assessment_id, framework_sha256, total, stage, stage_label, "
                f"complete, nodes, rates, diagnosis, scored_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s{json_cast}, "
                f"%s{json_cast}, '{{}}'{json_cast}, %s)",
                [(aid + i + 1, aid + i + 1, framework.sha256, float(s.total[i]), int(s.stage[i]),
                  labels[(int(s.stage[i]), bool(s.complete[i]))], bool(s.complete[i]), nodes[i], rates[i], stamp)
                 for i in range(enterprises)])
        aid += enterprises
        print(f"{year}: {enterprises:,} scored assessments       {time.perf_counter() - t0:7.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for table in ("organizations_organization", "assessments_assessment", "assessments_score"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            cur.execute("ANALYZE")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")

    # who asks: one authority per province, and enterprise members (their own panels only)
    for code in Region.objects.filter(level="province").values_list("code", flat=True):
        gov = Organization.objects.create(kind="authority", name=f"基准·{code}主管部门", region_id=code)
        user = User.objects.create_user(f"prov_{code}", password=PASSWORD)
        Membership.objects.create(user=user, organization=gov)
    for i in rng.choice(enterprises, 100, replace=False):
        user = User.objects.create_user(f"ent_{i + 1}", password=PASSWORD)
        Membership.objects.create(user=user, organization_id=int(i + 1))
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")


def recompute() -> None:
    """Time the full recompute (the service behind ``manage.py benchmark_recompute``)."""
    _django()
    from django.db import connection

    from ronghe.apps.benchmarking import services

    t0 = time.perf_counter()
    written = services.recompute()
    elapsed = time.perf_counter() - t0
    rows = sum(written.values())
    print(f"full recompute: {rows:,} scored assessments in {len(written)} snapshots  {elapsed:7.1f} s "
          f"({rows / elapsed:,.0f} /s) [{connection.vendor}]")


def _percentiles(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(np.ceil(0.95 * len(ms))) - 1)]
    return f"n={len(ms):4d}  p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms  max {ms[-1]:7.1f} ms"


def _login(base: str, user: str):
    import requests

    s = requests.Session()
    page = s.get(f"{base}/accounts/login/")
    page.raise_for_status()
    r = s.post(f"{base}/accounts/login/", data={"username": user, "password": PASSWORD,
                                              "csrfmiddlewaretoken": s.cookies["csrftoken"]},
               headers={"Referer": f"{base}/accounts/login/"}, allow_redirects=False)
    if r.status_code != 302:
        raise RuntimeError(f"cannot log in as {user}: {r.status_code}")
    return s


def _timed(session, url: str, times: list[float], check: str | None = None) -> None:
    t0 = time.perf_counter()
    r = session.get(url)
    times.append(time.perf_counter() - t0)
    if r.status_code != 200 or (check and check not in r.text):
        raise RuntimeError(f"GET {url}: {r.status_code} {r.text[:300]}")


def _approve_new(enterprise_pk: int, year: int, reviewer, framework, compiled, serial: int):
    """A new enterprise beside ``enterprise_pk`` (same county, industry, size), assessed for ``year``
    through the workflow: what happens when an authority approves one more assessment."""
    from ronghe.apps.assessments import services as assessments
    from ronghe.apps.organizations import services as orgs
    from ronghe.apps.organizations.models import Organization
    from ronghe.core.frameworks.synthetic import answers

    like = Organization.objects.get(pk=enterprise_pk)
    e = orgs.create_organization(kind="enterprise", name=f"基准新企业{serial}", region_id=like.region_id,
                                 credit_code=_credit_code(like.region_id, 900_000 + serial),
                                 industry_id=like.industry_id, size=like.size)
    row = answers(compiled.framework, 1, seed=serial, maturity=np.array([0.5])).iloc[0]
    a = assessments.start(e, framework, year)
    assessments.save_draft(a, {k: v for k, v in row.items() if v is not None and v == v})
    assessments.submit(a)
    assessments.approve(a, by=reviewer)
    return a


def measure(rounds: int, approvals: int = 20) -> None:
    """Start the production server (``manage.py serve``: gunicorn, 2 workers × 4 threads, DEBUG off),
    wait until it has warmed its caches (``RONGHE_BENCHMARK_WARM``; 0 measures cold workers), time
    enterprises' panels and provinces' dashboards over HTTP; then approve assessments one by one and
    time the next panel and dashboard each time."""
    _django()
    import requests
    from django.contrib.auth.models import User
    from django.db import connection

    from ronghe.apps.assessments.models import Assessment
    from ronghe.apps.frameworks.services import get_version
    from ronghe.apps.organizations.models import Organization
    from ronghe.core.frameworks.compile import compile

    base = f"http://127.0.0.1:{PORT}"
    env = {**os.environ, "RONGHE_DEBUG": "0", "RONGHE_CONN_MAX_AGE": "60", "RONGHE_LOG_LEVEL": "INFO",
           "WEB_CONCURRENCY": "2", "RONGHE_THREADS": "4"}  # the set-up these figures were first measured with
    log = (BENCH_DIR / "server.log").open("w")  # a pipe nobody reads would fill up and stop the server
    server = subprocess.Popen([sys.executable, "manage.py", "serve", "--bind", f"127.0.0.1:{PORT}",
                               "--task-workers", "0"], cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        t0 = time.perf_counter()
        for _ in range(60):  # gunicorn's workers import Django before they answer
            try:
                requests.get(f"{base}/accounts/login/", timeout=10).raise_for_status()
                break
            except requests.RequestException:
                time.sleep(1)
        warm = os.environ.get("RONGHE_BENCHMARK_WARM", "30") not in {"0", "0.0"}
        while warm and time.perf_counter() - t0 < 180:  # the master warms the caches before the workers fork
            lines = [x for x in (BENCH_DIR / "server.log").read_text().splitlines() if "benchmark cache warm" in x]
            if lines:
                break
            time.sleep(1)
        if warm:
            print(f"server ready and warm after {time.perf_counter() - t0:.1f} s:")
            for line in lines:
                print("  ", json.loads(line).get("message", line) if line.startswith("{") else line)
        enterprises = [(u.username, u.memberships.get().organization_id)
                       for u in User.objects.filter(username__startswith="ent_").order_by("username")]
        provinces = sorted(User.objects.filter(username__startswith="prov_").values_list("username", flat=True))
        years = sorted(Assessment.objects.values_list("year", flat=True).distinct())
        rnd = random.Random(15)
        cold_panel, panel_api, panel_page = [], [], []
        for k, (user, org) in enumerate(enterprises):
            s = _login(base, user)
            mine = dict(Assessment.objects.filter(enterprise_id=org).values_list("year", "id"))
            for r in range(rounds):
                year = years[-1 - ((k + r) % len(years))]  # every year, newest first
                target = cold_panel if k < 2 * len(years) and r == 0 else panel_api  # each worker's first per year
                _timed(s, f"{base}/api/benchmarking/assessments/{mine[year]}/panel", target, '"groups"')
            _timed(s, f"{base}/assessments/{mine[rnd.choice(years)]}/result/", panel_page, "peer-panel")
        print(f"server: manage.py serve (gunicorn 2 workers × 4 threads), DEBUG off, {connection.vendor}")
        print(f"enterprise panel, API, first of a year per worker  {_percentiles(cold_panel)}")
        print(f"enterprise panel, API                              {_percentiles(panel_api)}")
        print(f"enterprise result page with the panel              {_percentiles(panel_page)}")
        print(f"all panel requests (first ones included)           {_percentiles(cold_panel + panel_api)}")
        cold_dash, dash_page, dash_api = [], [], []
        for user in provinces:
            s = _login(base, user)
            code = user.removeprefix("prov_")
            for _ in range(2):  # the first request of each of the two workers
                _timed(s, f"{base}/benchmarking/?region={code}", cold_dash, 'id="stages"')
            for _ in range(rounds):
                _timed(s, f"{base}/benchmarking/?region={code}", dash_page, 'id="stages"')
                _timed(s, f"{base}/api/benchmarking/dashboard?region={code}", dash_api, '"stages"')
        print(f"province dashboard page, first per worker          {_percentiles(cold_dash)}")
        print(f"province dashboard page                            {_percentiles(dash_page)}")
        print(f"province dashboard, API                            {_percentiles(dash_api)}")
        print(f"all dashboard pages (first ones included)          {_percentiles(cold_dash + dash_page)}")
        # approvals while the site is in use: each is followed by a panel of that year and a dashboard
        framework = get_version("gbt23020-discrete")
        compiled = compile(framework.loaded())
        reviewer = User.objects.filter(is_staff=True).first() or User.objects.create_user("bench_admin", is_staff=True)
        staff = _login(base, "prov_330000")
        zj_user, zj_org = next(((u, o) for u, o in enterprises if Organization.objects.filter(
            pk=o, region__code__startswith="33").exists()), (None, None))
        after_panel, after_dash = [], []
        if zj_user is not None:
            s = _login(base, zj_user)
            mine = dict(Assessment.objects.filter(enterprise_id=zj_org).values_list("year", "id"))
            made = Organization.objects.filter(name__startswith="基准新企业").count()  # earlier runs' ones
            for k in range(made, made + approvals):
                _approve_new(zj_org, years[-1], reviewer, framework, compiled, k)
                _timed(s, f"{base}/api/benchmarking/assessments/{mine[years[-1]]}/panel", after_panel, '"groups"')
                _timed(staff, f"{base}/benchmarking/?region=330000", after_dash, 'id="stages"')
        if after_panel:
            print(f"panel right after an approval in its year          {_percentiles(after_panel)}")
            print(f"浙江 dashboard right after an approval in 浙江      {_percentiles(after_dash)}")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["setup", "recompute", "measure", "all"])
    parser.add_argument("--enterprises", type=int, default=100_000, help="enterprises, each assessed every year")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="requests per enterprise / province")
    args = parser.parse_args()
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores; "
          f"DATABASE_URL={os.environ['DATABASE_URL']}")
    if args.step in {"setup", "all"}:
        setup(args.enterprises, args.years)
    if args.step in {"recompute", "all"}:
        recompute()
    if args.step in {"measure", "all"}:
        measure(args.rounds)


if __name__ == "__main__":
    main()
