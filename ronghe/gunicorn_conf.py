"""Gunicorn settings for ronghe (``gunicorn -c python:ronghe.gunicorn_conf ronghe.wsgi``).

Threaded workers (gthread): the pages wait mostly on the database, so a few processes with several
threads each use two cores well without the memory of many processes. Every value can be set from
the environment; the defaults suit a 2-core machine.
"""

import os

bind = os.environ.get("RONGHE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2))
threads = int(os.environ.get("RONGHE_THREADS", 4))
worker_class = "gthread"
timeout = int(os.environ.get("RONGHE_REQUEST_TIMEOUT", 60))  # long work is a background job, never a request
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("RONGHE_MAX_REQUESTS", 5000))  # recycle workers now and then
max_requests_jitter = 500
forwarded_allow_ips = os.environ.get("RONGHE_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None  # ronghe.requests logs every request as JSON, with its request id
errorlog = "-"
loglevel = os.environ.get("RONGHE_GUNICORN_LOG_LEVEL", "warning")

# The app is loaded once in the master, which warms the benchmarking caches before the workers fork:
# they start with them, sharing the decoded arrays copy-on-write (RONGHE_PRELOAD_APP=0: each worker
# loads the app and warms on its own).
preload_app = os.environ.get("RONGHE_PRELOAD_APP", "1") != "0"


def _warm(log):
    """Warm the benchmarking caches (``RONGHE_BENCHMARK_WARM`` seconds at most; docs/benchmarking.md,
    "Engine"). A failure only means the caches fill on demand: it is logged, never fatal."""
    from django.db import connections

    try:
        from ronghe.apps.benchmarking.services import warm

        warm()
    except Exception:  # warming is an optimisation: the server serves without it
        log.exception("benchmark cache warm-up failed")
    finally:
        connections.close_all()  # a database connection is never shared across a fork


def when_ready(server):
    if preload_app:
        _warm(server.log)
        from ronghe.core.benchmarking.dashboard import close

        close()  # each worker opens its own DuckDB


def post_worker_init(worker):
    if not preload_app:
        _warm(worker.log)
