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


def post_worker_init(worker):
    """Warm the benchmarking caches before the worker takes requests (``RONGHE_BENCHMARK_WARM`` seconds
    at most, default 30, under gunicorn's 60 s timeout; docs/benchmarking.md, "Engine"). A failure
    only means the caches fill on demand: it is logged, never fatal."""
    from django.db import connections

    try:
        from ronghe.apps.benchmarking.services import warm

        warm()
    except Exception:  # warming is an optimisation: the worker serves without it
        worker.log.exception("benchmark cache warm-up failed")
    finally:
        connections.close_all()
