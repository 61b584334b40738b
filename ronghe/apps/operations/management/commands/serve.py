"""``manage.py serve``: the production web server with its task workers, in one command.

This is what ``make run`` starts: the web server (``--server``, ``RONGHE_SERVER``: granian by default, or
gunicorn) on ``--bind``, ``--task-workers`` workers of the
configured queue (the database by default, RQ when ``RONGHE_TASKS=rq``) and the scheduler that
submits the periodic jobs (``manage.py scheduler``; ``--no-scheduler`` where another host runs it).
If any of them stops, the others are stopped too and the command exits with an error; Ctrl-C stops them all. A
deployment may instead run the web server and the workers as separate services (docs/deployment.md).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


def web_command(server: str, bind: str, workers: int | None = None) -> list[str]:
    """The command line of the web server: gunicorn or granian, with the same settings (the environment's)."""
    count = ["--workers", str(workers)] if workers else []
    if server == "granian":
        return [sys.executable, "-m", "ronghe.granian_conf", "--bind", bind, *count]
    return [sys.executable, "-m", "gunicorn", "-c", "python:ronghe.gunicorn_conf", "--bind", bind, *count,
            "ronghe.wsgi:application"]


def worker_command(worker_id: str | None = None) -> list[str]:
    """The command line of one task worker for the configured queue."""
    if settings.RONGHE_TASKS == "rq":
        return [sys.executable, "manage.py", "rqworker", "--job-class", "django_tasks_rq.Job", "default"]
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.5"]
    return command + (["--worker-id", worker_id] if worker_id else [])


class Command(BaseCommand):
    help = "Run the web server (gunicorn or granian) and the task workers together."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--server", choices=["gunicorn", "granian"], default=None,
                            help="the web server (RONGHE_SERVER, granian)")
        parser.add_argument("--workers", type=int, default=None, help="web worker processes (WEB_CONCURRENCY, 2)")
        parser.add_argument("--task-workers", type=int, default=1, help="task worker processes (0: none here)")
        parser.add_argument("--no-scheduler", action="store_true",
                            help="do not run the periodic-job scheduler here (another process runs it)")

    def handle(self, *args, bind: str, workers: int | None, task_workers: int, no_scheduler: bool = False,
               server: str | None = None, **options):
        server = server or settings.RONGHE_SERVER
        web = web_command(server, bind, workers)
        procs = [subprocess.Popen(worker_command()) for _ in range(task_workers)]
        if not no_scheduler:
            procs.append(subprocess.Popen([sys.executable, "manage.py", "scheduler"]))
        procs.append(subprocess.Popen(web))
        self.stdout.write(f"ronghe: http://{bind}  ({server}, {task_workers} task worker(s); Ctrl-C stops everything)")
        stopping = []

        def stop(*_):
            stopping.append(True)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while not stopping and all(p.poll() is None for p in procs):
                time.sleep(0.5)
        finally:
            for p in procs:
                if p.poll() is None:
                    p.terminate()
            for p in procs:
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    p.kill()
        if not stopping:
            raise SystemExit("a server or worker process stopped; everything was stopped")
