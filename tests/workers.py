"""Real task workers for tests: ``manage.py db_worker`` processes on the test database.

The test must commit what the workers read (``django_db(transaction=True)``); the workers reach
the same database by a ``DATABASE_URL`` made from the test connection (the SQLite test file, or
the PostgreSQL test database)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    user = s.get("USER") or "postgres"
    return f"postgres://{user}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


@contextmanager
def task_workers(count: int = 1, **env: str) -> Iterator[list[subprocess.Popen]]:
    from django.conf import settings

    # the workers read and write the files of this test: its media folder (tests/conftest.py gives each its own)
    environment = {**os.environ, "DATABASE_URL": database_url(), "RONGHE_TASKS": "db",
                   "RONGHE_MEDIA_ROOT": str(settings.MEDIA_ROOT), **env}
    environment.pop("REDIS_URL", None)
    procs = [subprocess.Popen([sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.1",
                               "--no-startup-delay", "--worker-id", f"test-worker-{k}"], cwd=ROOT, env=environment,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for k in range(count)]
    try:
        time.sleep(3)  # let every worker start polling, so that they share the work from the first task
        yield procs
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


def wait_for(predicate, timeout: float = 120, every: float = 0.2):
    """Poll ``predicate`` until it returns something truthy (returned) or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise TimeoutError(f"nothing after {timeout} s")
