"""Load on the production server: throughput and latency of a realistic mix, quiet and busy.

The server is what a deployment runs: `manage.py serve` (granian by default, 1 process per core ×
4 threads, DEBUG off) with RQ task workers, on PostgreSQL and Redis, on this 2-core machine; the load comes
from locust (FastHttpUser) in this process over loopback, bounded in users and time. The mix:

- an authority browsing its enterprise list (paged) and opening approved results,
- an enterprise autosaving its questionnaire,
- an integration calling the API (the assessment list and one assessment) with a bearer token.

The import's 100,000 enterprises are created first (in demo_city's 西湖区), so both phases serve an
authority whose jurisdiction holds them. Phase 1 measures the mix on a quiet server; phase 2, with the
same logged-in users, while the 100,000-row import and a 10,000-run index Monte Carlo run as
background jobs. Targets (issue "Production deployment"): ≥ 200 requests/s,
p95 < 300 ms, 0 errors. Results go to docs/benchmarks.md.

    .venv/bin/python -m pip install -e '.[bench]'      # locust (make bench does it)
    .venv/bin/python benchmarks/load.py                # 60 s per phase, 30 users
    .venv/bin/python benchmarks/load.py --seconds 20 --users 20 --rows 20000 --skip-busy
"""

from gevent import monkey

monkey.patch_all()  # locust's clients are gevent greenlets; patch before anything opens a socket

import argparse  # noqa: E402
import itertools  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402
from locust import FastHttpUser, constant, task  # noqa: E402
from locust.env import Environment  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/8"
PASSWORD = "ronghe-demo-2026"
STATE: dict = {}

SETUP = """
import json
from ronghe.apps.accounts.services import create_token
from ronghe.apps.assessments.models import Assessment
from django.contrib.auth.models import User
city = User.objects.get(username="demo_city")
from ronghe.apps.accounts import access
scored = list(access.assessments_for_user(city).filter(status="scored").values_list("pk", flat=True)[:200])
from ronghe.apps.accounts.models import Membership
from ronghe.apps.assessments.services import start
from ronghe.apps.organizations.services import create_organization
from ronghe.core.codes import org_code_check_char, uscc_check_char
person = User.objects.get(username="demo_enterprise")
first = Assessment.objects.get(status="draft", enterprise__memberships__user=person)
drafts = [first.pk]
for k in range({drafts} - 1):  # each enterprise user fills in its own enterprise's questionnaire
    body = f"F{{k:06d}}Y"
    first17 = "91330106" + body + org_code_check_char(body)
    org = create_organization(kind="enterprise", name=f"填报企业{{k:02d}}", region_id="330106", industry_id="34",
                              credit_code=first17 + uscc_check_char(first17), size="300人以下")
    Membership.objects.create(user=person, organization=org, role="manager")
    drafts.append(start(org, first.framework, first.year, by=person).pk)
token = create_token(city, "load")[1]
print(json.dumps({{"scored": scored, "drafts": drafts, "token": token}}))
"""

ENTERPRISES = """
from ronghe.apps.organizations.models import Organization
from ronghe.core.codes import org_code_check_char, uscc_check_char
n = {n}
def code(serial):
    body = f"L{{serial:06d}}X"[:8]
    first17 = "91330106" + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)
Organization.objects.bulk_create([Organization(kind="enterprise", name=f"负载企业{{k:06d}}", credit_code=code(k),
    region_id="330106", industry_id="34", size="300人以下") for k in range(n)], batch_size=5000)
print(n)
"""


def machine_gauge() -> float:
    """Milliseconds of one core for a fixed pure-Python workload (best of five). The machines these runs
    land on differ by two to three times in speed, so a figure is compared only with runs of a like gauge
    (docs/benchmarks.md)."""
    import timeit

    work = "sorted(str(i * 7919 % 10007) for i in range(20000)); {str(i): i for i in range(20000)}"
    return min(timeit.repeat(work, number=5, repeat=5)) / 5 * 1000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _csrf(session, url: str) -> str:
    return re.search(r'csrfmiddlewaretoken" value="([^"]+)"', session.get(url).text).group(1)


class Browser(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    username = ""

    def on_start(self):
        page = self.client.get("/accounts/login/", name="login page")
        token = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post("/accounts/login/", data={"username": self.username, "password": PASSWORD,
                                                   "csrfmiddlewaretoken": token},
                         headers={"Referer": self.host}, name="login")
        self.csrf = token


class Authority(Browser):
    weight = 6
    username = "demo_city"

    @task(3)
    def enterprise_list(self):
        self.client.get(f"/enterprises/?page={random.randint(1, 3)}", name="/enterprises/?page=")

    @task(3)
    def result(self):
        self.client.get(f"/assessments/{random.choice(STATE['scored'])}/result/", name="/assessments/[id]/result/")


class Enterprise(Browser):
    """A person filling in their enterprise's questionnaire: each user its own draft (one draft autosaved by
    every user at once would measure its row lock, not the platform)."""

    weight = 2
    username = "demo_enterprise"
    started = itertools.count()

    def on_start(self):
        super().on_start()
        self.draft = STATE["drafts"][next(self.started) % len(STATE["drafts"])]
        page = self.client.get(f"/assessments/{self.draft}/", name="/assessments/[id]/")
        self.csrf = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)  # rotated at login

    @task
    def autosave(self):
        url = f"/assessments/{self.draft}/"
        self.client.post(url, data={"csrfmiddlewaretoken": self.csrf, "action": "autosave",
                                    "q_JC_01": str(random.randint(0, 100))},
                         headers={"Referer": self.host + url, "X-Requested-With": "fetch"},
                         name="/assessments/[id]/ autosave")


class Integration(FastHttpUser):
    weight = 2
    wait_time = constant(0)

    @task
    def api_list(self):
        self.client.get("/api/assessments/?page_size=50", headers={"Authorization": f"Bearer {STATE['token']}"},
                        name="/api/assessments/")

    @task
    def api_detail(self):
        self.client.get(f"/api/assessments/{random.choice(STATE['scored'])}",
                        headers={"Authorization": f"Bearer {STATE['token']}"}, name="/api/assessments/[id]")


def start_users(base: str, users: int, warmup: int) -> tuple[Environment, object]:
    """Start the users and wait until every browser user has logged in: a login (a deliberately slow
    password hash) is not part of the mix, and the phases measure the same logged-in users. Then
    ``warmup`` seconds of the mix, unmeasured: a server that has just started renders each page once
    before its cache holds it, as any running server has long done."""
    env = Environment(user_classes=[Authority, Enterprise, Integration], host=base)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.sleep(1)
    counts = runner.user_classes_count
    browsers = counts.get("Authority", 0) + counts.get("Enterprise", 0)
    deadline = time.perf_counter() + 120
    while env.stats.get("login", "POST").num_requests < browsers and time.perf_counter() < deadline:
        gevent.sleep(0.5)
    gevent.sleep(warmup)
    return env, runner


def measure(env: Environment, seconds: int) -> dict:
    env.stats.reset_all()
    gevent.sleep(seconds)
    total = env.stats.total
    return {"requests": total.num_requests, "rps": total.num_requests / seconds, "failures": total.num_failures,
            "p50": total.get_response_time_percentile(0.5), "p95": total.get_response_time_percentile(0.95),
            "p99": total.get_response_time_percentile(0.99),
            "by_name": {name: (s.num_requests, *(s.get_response_time_percentile(q) for q in (0.5, 0.95)))
                        for (name, _), s in env.stats.entries.items() if s.num_requests}}


def report(title: str, f: dict) -> None:
    print(f"{title}: {f['requests']:,} requests, {f['rps']:.0f} req/s, p50 {f['p50']:.0f} ms, p95 {f['p95']:.0f} ms, "
          f"p99 {f['p99']:.0f} ms, {f['failures']} errors")
    for name, (n, p50, p95) in sorted(f["by_name"].items()):
        print(f"    {name:<36} {n:>7,}   p50 {p50:.0f} ms   p95 {p95:.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--users", type=int, default=30)
    ap.add_argument("--rows", type=int, default=100_000,
                    help="enterprises added to the authority's jurisdiction, the rows of the import in phase 2")
    ap.add_argument("--runs", type=int, default=10_000, help="Monte Carlo runs of the background evaluation")
    ap.add_argument("--skip-busy", action="store_true", help="phase 1 only")
    ap.add_argument("--warmup", type=int, default=20, help="seconds of unmeasured load before phase 1")
    ap.add_argument("--web-workers", type=int, default=None, help="web server processes (default: WEB_CONCURRENCY's)")
    ap.add_argument("--threads", type=int, default=None, help="threads per process (default: RONGHE_THREADS's)")
    ap.add_argument("--keepalive", type=int, default=None, help="gunicorn keep-alive seconds (RONGHE_KEEPALIVE)")
    ap.add_argument("--server", choices=["gunicorn", "granian"], default=None,
                    help="the web server (default: RONGHE_SERVER's, granian)")
    args = ap.parse_args()
    import psycopg
    import redis

    name = f"ronghe_load_{secrets.token_hex(3)}"
    tmp = Path(tempfile.mkdtemp(prefix="ronghe-load-"))
    env = {**os.environ, "RONGHE_DEBUG": "0", "RONGHE_SECRET_KEY": secrets.token_urlsafe(60),
           "DATABASE_URL": f"{PG}/{name}", "REDIS_URL": REDIS, "RONGHE_TASKS": "rq", "RONGHE_VAR_DIR": str(tmp),
           "RONGHE_ALLOWED_HOSTS": "127.0.0.1", "RONGHE_CONN_MAX_AGE": "60", "RONGHE_ACCESS_LOG_LEVEL": "WARNING"}

    def manage(*argv: str) -> str:
        r = subprocess.run([sys.executable, "manage.py", *argv], cwd=ROOT, env=env, capture_output=True, text=True)
        if r.returncode:
            raise SystemExit(r.stdout + r.stderr)
        return r.stdout

    keys, db = redis.Redis.from_url(REDIS).dbsize(), REDIS.rsplit("/", 1)[1]
    if keys:  # its task queue: a second run would take the first one's jobs (and flushing would lose them)
        raise SystemExit(f"Redis database {db} holds {keys} keys: another load run is using it, or an earlier "
                         f"one was stopped. When none runs: redis-cli -n {db} flushdb")
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    server = None
    try:
        started = time.perf_counter()
        for step in (("migrate", "--noinput", "-v", "0"), ("collectstatic", "--noinput", "-v", "0"), ("load_codes",),
                     ("sync_frameworks",), ("load_demo",)):
            manage(*step)
        import json

        STATE.update(json.loads(manage("shell", "-c", SETUP.format(drafts=args.users)).strip().splitlines()[-1]))
        print(f"set-up {time.perf_counter() - started:.0f} s: demo data, {len(STATE['scored'])} approved results "
              f"visible to demo_city")
        port = _free_port()
        if args.threads:
            env["RONGHE_THREADS"] = str(args.threads)
        if args.keepalive is not None:
            env["RONGHE_KEEPALIVE"] = str(args.keepalive)
        if args.server:
            env["RONGHE_SERVER"] = args.server
        workers = ["--workers", str(args.web_workers)] if args.web_workers else []
        server = subprocess.Popen([sys.executable, "manage.py", "serve", "--bind", f"127.0.0.1:{port}",
                                   "--task-workers", "1", *workers], cwd=ROOT, env=env, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                if requests.get(f"{base}/readyz", timeout=5).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        from ronghe import granian_conf, gunicorn_conf

        server_name = args.server or env.get("RONGHE_SERVER", "granian")
        conf = granian_conf.options() if server_name == "granian" else {
            "workers": gunicorn_conf.workers, "blocking_threads": gunicorn_conf.threads}
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores (gauge {machine_gauge():.1f} ms); "
              f"{args.users} users, {args.seconds} s; "
              f"{server_name} {args.web_workers or conf['workers']} "
              f"processes × "
              f"{args.threads or conf['blocking_threads']} threads, keep-alive "
              f"{gunicorn_conf.keepalive if args.keepalive is None else args.keepalive} s")
        if args.rows:  # the enterprises of the import exist before the load starts, in both phases
            manage("shell", "-c", ENTERPRISES.format(n=args.rows))
            with psycopg.connect(f"{PG}/{name}", autocommit=True) as conn:
                conn.execute("ANALYZE")  # as after any bulk load (autovacuum would, a minute later)
        load, runner = start_users(base, args.users, args.warmup)
        report("quiet", measure(load, args.seconds))
        if not args.skip_busy:
            jobs = start_background_work(base, tmp, args.rows, args.runs)
            report("busy (import + Monte Carlo in the background)", measure(load, args.seconds))
        runner.quit()
        if not args.skip_busy:
            finish_background_work(base, jobs)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, 9)
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        redis.Redis.from_url(REDIS).flushdb()


def start_background_work(base: str, tmp: Path, rows: int, runs: int) -> list[tuple[str, requests.Session, float]]:
    """Submit the import (as demo_city) and the evaluation (as demo_province) through the pages."""
    from ronghe.core.codes import org_code_check_char, uscc_check_char
    from ronghe.core.frameworks import load
    from ronghe.core.frameworks.synthetic import answers

    def code(serial: int) -> str:
        body = f"L{serial:06d}X"[:8]
        first17 = "91330106" + body + org_code_check_char(body)
        return first17 + uscc_check_char(first17)

    frame = answers(load("gbt23020-discrete").framework, rows, seed=1, blank_rate=0.0)
    frame.insert(0, "credit_code", [code(k) for k in range(rows)])
    frame.insert(0, "enterprise", [f"负载企业{k:06d}" for k in range(rows)])
    csv = tmp / "import.csv"
    frame.to_csv(csv, index=False)
    cities = ["330100", "330200", "330300", "330400", "330500", "330600", "330700", "330800", "330900", "331000",
              "331100"]
    data = tmp / "cities.csv"
    sys.path.insert(0, str(ROOT))
    from tests.apps.regions.helpers import write_data

    write_data(data, cities, years=(2022, 2023, 2024))
    jobs = []
    for user, url, fields, files in (
            ("demo_city", "/assessments/import/", {"year": "2025"}, {"file": ("import.csv", csv.read_bytes())}),
            ("demo_province", "/regions/run/", {"definition": "lianghua-regional", "title": "负载测试",
                                                 "runs": str(runs)}, {"data": ("cities.csv", data.read_bytes())})):
        s = requests.Session()
        s.post(f"{base}/accounts/login/", data={"username": user, "password": PASSWORD,
                                                 "csrfmiddlewaretoken": _csrf(s, f"{base}/accounts/login/")},
               headers={"Referer": base})
        page = s.get(f"{base}{url}").text
        if "import" in url:
            fields["framework"] = re.search(r'<option value="(\d+)">[^<]*离散', page).group(1)
        else:
            fields["authority"] = re.search(r'name="authority"[^>]*>\s*<option value="(\d+)"', page).group(1)
        r = s.post(f"{base}{url}", data={**fields, "csrfmiddlewaretoken": _csrf(s, f"{base}{url}")}, files=files,
                   headers={"Referer": f"{base}{url}"}, allow_redirects=False)
        assert r.status_code == 302 and "/jobs/" in r.headers["Location"], r.text[:2000]
        jobs.append((r.headers["Location"], s, time.perf_counter()))
    return jobs


def finish_background_work(base: str, jobs) -> None:
    for location, s, started in jobs:
        while True:
            status = s.get(f"{base}{location}status/").json()
            if status["status"] in {"succeeded", "failed", "cancelled"}:
                break
            if time.perf_counter() - started > 1800:
                status["message"] = f"still {status['status']} after 30 min; left"
                break
            time.sleep(1)
        summary = (status["result"] or {}).get("summary", "") or status["message"]
        print(f"  background job {status['title']}: {status['status']} in {time.perf_counter() - started:.0f} s "
              f"({summary})")


if __name__ == "__main__":
    main()
