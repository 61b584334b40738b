"""Gunicorn settings for ronghe (``gunicorn -c python:ronghe.gunicorn_conf ronghe.wsgi``).

Threaded workers (gthread), two processes per core with two threads each: the threads overlap a
request's waits on the database and Redis, and the processes let the cores run Python side by side
(threads of one process share its interpreter lock). On 2 cores, 4 × 2 served 30 % more of the load
benchmark's mix than 2 × 4 (docs/benchmarks.md, "Load"). Every value can be set from the environment.
"""

import os

from ronghe import warmup

bind = os.environ.get("RONGHE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
threads = int(os.environ.get("RONGHE_THREADS", 2))
worker_class = "gthread"
timeout = int(os.environ.get("RONGHE_REQUEST_TIMEOUT", 60))  # long work is a background job, never a request
graceful_timeout = 30
keepalive = int(os.environ.get("RONGHE_KEEPALIVE", 5))  # seconds; 0: a connection per request
max_requests = int(os.environ.get("RONGHE_MAX_REQUESTS", 5000))  # recycle workers now and then
max_requests_jitter = 500
forwarded_allow_ips = os.environ.get("RONGHE_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None  # ronghe.requests logs every request as JSON, with its request id
errorlog = "-"
loglevel = os.environ.get("RONGHE_GUNICORN_LOG_LEVEL", "warning")

# The app is loaded once in the master, which warms the benchmarking caches before the workers fork:
# they start with them, sharing the decoded arrays copy-on-write (RONGHE_PRELOAD_APP=0: each worker
# loads the app and warms on its own; ronghe/warmup.py).
preload_app = os.environ.get("RONGHE_PRELOAD_APP", "1") != "0"


def when_ready(server):
    if preload_app:
        warmup.before_fork(server.log)


def post_worker_init(worker):
    if not preload_app:
        warmup.in_worker(worker.log)
