"""The production path end to end: `manage.py serve` (two web workers, DEBUG off, static files by
WhiteNoise) with two RQ task workers, on PostgreSQL and Redis, once with each web server (gunicorn,
granian). An import and an evaluation's Monte Carlo run as background jobs to completion while their
progress is polled.

Needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379 (both run on the project's machines
and in CI); outside CI a missing service skips the test with the reason. The database is migrated and
loaded once, then copied for each server (``CREATE DATABASE … TEMPLATE``)."""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.apps.regions.helpers import write_data
from tests.base import credit_code
from tests.workers import wait_for

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("RONGHE_TEST_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("RONGHE_TEST_REDIS", "redis://127.0.0.1:6379/9")  # flushed
PASSWORD = "a production password 2026"
# Minutes on a slow machine (a database migrated, the static files collected, two servers started): collected
# last, it used to be handed out last and run alone at the end of the SQLite pass.
pytestmark = pytest.mark.early

SETUP = f"""
from django.contrib.auth.models import User
from ronghe.apps.accounts.models import Membership
from ronghe.apps.organizations import services
a = services.create_organization(kind="enterprise", name="杭州甲机械有限公司", credit_code="{credit_code('330106', 1)}",
                                 region_id="330106", industry_id="34", size="300-1000人")
city = services.create_organization(kind="authority", name="杭州市经信局", region_id="330100")
u = User.objects.create_user("city_clerk", password="{PASSWORD}")
Membership.objects.create(user=u, organization=city, role="manager")
print(city.pk)
"""


def _require(service: str, host: str, port: int) -> None:
    try:
        socket.create_connection((host, port), timeout=3).close()
    except OSError:
        if os.environ.get("CI"):
            pytest.fail(f"{service} is not reachable at {host}:{port}")
        pytest.skip(f"{service} is not reachable at {host}:{port}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A migrated database with the codes, the frameworks and an authority: the template of each run."""
    _require("PostgreSQL", "127.0.0.1", 5432)
    _require("Redis", "127.0.0.1", 6379)
    import psycopg

    name = f"ronghe_prod_{secrets.token_hex(4)}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "RONGHE_DEBUG": "0", "RONGHE_SECRET_KEY": secrets.token_urlsafe(60),
           "DATABASE_URL": f"{PG}/{name}", "REDIS_URL": REDIS, "RONGHE_TASKS": "rq",
           "RONGHE_VAR_DIR": str(tmp_path_factory.mktemp("var")), "RONGHE_ALLOWED_HOSTS": "127.0.0.1",
           "RONGHE_INLINE_MAX_BYTES": "100", "RONGHE_JOB_CHUNK_RUNS": "250", "RONGHE_LOG_LEVEL": "WARNING"}

    def manage(*args: str) -> str:
        r = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=300)
        assert r.returncode == 0, r.stdout + r.stderr
        return r.stdout

    try:
        manage("migrate", "--noinput", "-v", "0")
        manage("collectstatic", "--noinput", "-v", "0")
        manage("load_codes")
        manage("sync_frameworks")
        authority = int(manage("shell", "-c", SETUP).strip().splitlines()[-1])
        yield name, env, authority
    finally:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["gunicorn", "granian"])
def production(request, prepared):
    import psycopg
    import redis

    template, env, authority = prepared
    name = f"{template}_{request.param}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    redis.Redis.from_url(REDIS).flushdb()
    port = _free_port()
    env = {**env, "DATABASE_URL": f"{PG}/{name}", "RONGHE_SERVER": request.param}
    server = subprocess.Popen([sys.executable, "manage.py", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                               "--task-workers", "2"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return requests.get(f"{base}/healthz", timeout=10).status_code == 200
        except requests.RequestException:  # not listening yet, or still booting
            assert server.poll() is None, server.stdout.read().decode()[-3000:]
            return False

    try:
        wait_for(up, timeout=60)
        yield base, authority, server, request.param
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        redis.Redis.from_url(REDIS).flushdb()


def _login(base: str) -> requests.Session:
    s = requests.Session()
    token = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', s.get(f"{base}/accounts/login/").text).group(1)
    r = s.post(f"{base}/accounts/login/", data={"username": "city_clerk", "password": PASSWORD,
                                                 "csrfmiddlewaretoken": token}, headers={"Referer": base})
    assert r.status_code == 200 and "/accounts/login/" not in r.url
    return s


def _post(s: requests.Session, url: str, data: dict, files: dict) -> requests.Response:
    token = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', s.get(url).text).group(1)
    return s.post(url, data={**data, "csrfmiddlewaretoken": token}, files=files, headers={"Referer": url},
                  allow_redirects=False)


def _follow_job(s: requests.Session, base: str, location: str) -> dict:
    match = re.fullmatch(r"/jobs/(\d+)/", location)
    assert match, location
    seen = []

    def ended():
        status = s.get(f"{base}/jobs/{match.group(1)}/status/").json()
        seen.append((status["status"], status["percent"]))
        return status if status["status"] in {"succeeded", "failed", "cancelled"} else None

    status = wait_for(ended, timeout=120, every=0.1)
    return {**status, "seen": seen}


def test_it_serves_production_with_background_jobs_on_postgresql_and_redis(production, tmp_path):
    base, authority, server, name = production
    ready = requests.get(f"{base}/readyz").json()
    assert ready == {"status": "ready", "checks": {"database": "ok", "migrations": "ok", "cache": "ok",
                                                   "storage": "ok"}}
    missing = requests.get(f"{base}/no/such/page/")
    assert missing.status_code == 404 and "页面不存在" in missing.text and "URLconf" not in missing.text
    assert len(missing.headers["X-Request-ID"]) == 32
    css = re.search(r'href="(/static/ronghe/ronghe\.[0-9a-f]{12}\.css)"', missing.text).group(1)
    static = requests.get(f"{base}{css}")  # a hashed name, served by the app itself
    assert static.status_code == 200 and "immutable" in static.headers["Cache-Control"]

    s = _login(base)
    frameworks = s.get(f"{base}/api/frameworks/").json()["items"]
    discrete = next(f for f in frameworks if f["slug"] == "gbt23020-discrete")
    from ronghe.core.frameworks import load
    from ronghe.core.frameworks.synthetic import answers

    frame = answers(load("gbt23020-discrete").framework, 1, seed=3)
    frame.insert(0, "credit_code", [credit_code("330106", 1)])
    frame.insert(0, "enterprise", ["杭州甲机械有限公司"])
    upload = tmp_path / "answers.csv"
    frame.to_csv(upload, index=False)
    form = s.get(f"{base}/assessments/import/").text
    framework_pk = re.search(rf'<option value="(\d+)">{re.escape(discrete["title"])}</option>', form).group(1)
    r = _post(s, f"{base}/assessments/import/", {"framework": framework_pk, "year": "2025"},
              {"file": ("answers.csv", upload.read_bytes())})
    assert r.status_code == 302
    job = _follow_job(s, base, r.headers["Location"])
    assert job["status"] == "succeeded" and job["result"]["created"] == 1, job

    data = write_data(tmp_path / "data.csv", ["330106", "330102", "330108", "330110"])
    r = _post(s, f"{base}/regions/run/", {"authority": authority, "definition": "lianghua-regional", "title": "后台",
                                          "runs": "2000"}, {"data": ("data.csv", data.read_bytes())})
    assert r.status_code == 302
    job = _follow_job(s, base, r.headers["Location"])
    assert job["status"] == "succeeded", job
    assert s.get(f"{base}{job['result']['url']}").status_code == 200

    # the server's own process tree (by parent pid: with setproctitle installed, as mutmut installs it,
    # gunicorn renames its processes "gunicorn: master [...]" and the bind address leaves the command line;
    # granian's are "python -m ronghe.granian_conf …", or "granian wsgi …" with setproctitle)
    web = [p for p in _descendants(server.pid) if name in _cmdline(p)]
    assert len(web) >= 3  # the server's master and its two workers
    assert server.poll() is None
    # ronghe logs each request as a JSON line with its id (the servers' own access logs are off)
    logged = [json.loads(line) for line in _output(server).splitlines() if line.startswith("{")]
    assert {"logger": "ronghe.requests", "request_id": missing.headers["X-Request-ID"], "path": "/no/such/page/",
            "status": 404}.items() <= next(r for r in logged if r.get("path") == "/no/such/page/").items()


def _output(server: subprocess.Popen) -> str:
    """What the server has written so far (without waiting for more)."""
    fd = server.stdout.fileno()
    os.set_blocking(fd, False)
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode(errors="replace")


def _descendants(pid: int) -> list[Path]:
    """The processes below ``pid`` (and itself), from the parent pid in /proc/*/stat."""
    parent = {}
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                parent[int(p.name)] = int((p / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, grew = {pid}, True
    while grew:
        more = {child for child, up in parent.items() if up in tree} - tree
        tree |= more
        grew = bool(more)
    return [Path("/proc") / str(p) for p in sorted(tree)]


def _cmdline(p: Path) -> str:
    try:
        return (p / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""
