"""granian (HTTP in Rust) for ronghe: ``python -m ronghe.granian_conf [--bind ADDRESS] [--workers N]``.

The alternative to gunicorn (``RONGHE_SERVER=granian``; ``manage.py serve`` starts this module), with
the same settings from the same environment: ``WEB_CONCURRENCY`` processes (1 per core), each running
the app on ``RONGHE_THREADS`` threads (4) while granian's Rust runtime does the HTTP (on 2 cores, 2 × 4
served the load benchmark 178 requests/s at p95 270 ms, 4 × 2 149–153 at 290–330 ms: docs/benchmarks.md);
``RONGHE_KEEPALIVE`` (0: a connection per request); failed workers are respawned; no access log (ronghe.requests logs
every request as JSON, with its request id).

Start: granian forks its workers from this process (the ``fork`` start method, Linux's default before
Python 3.14) and has no preload of its own, so this process loads the app itself, in a start-up hook
that runs once the socket is bound and before the first fork, warms the caches, closes what a worker
must open for itself and freezes the heap out of the garbage collector's reach (ronghe/warmup.py):
every worker, respawned ones too, starts with the warmed caches and imports nothing more. With
``RONGHE_PRELOAD_APP=0`` (or under another start method) each worker loads the app and warms on its own.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
from typing import Any

from ronghe import warmup

TARGET = "ronghe.granian_conf:application"
log = logging.getLogger("ronghe.server")


# What a request's environ may hold besides its HTTP_* headers (PEP 3333, and what servers add).
_REQUEST_KEYS = frozenset({
    "REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "CONTENT_TYPE", "CONTENT_LENGTH", "SERVER_NAME",
    "SERVER_PORT", "SERVER_PROTOCOL", "REMOTE_ADDR", "REMOTE_HOST", "REMOTE_PORT", "GATEWAY_INTERFACE",
    "SERVER_SOFTWARE", "HTTPS", "RAW_URI", "REQUEST_URI"})


def without_process_environment(app):
    """``app`` called with a request's environ stripped of the process environment.

    granian's WSGI layer starts every request's environ from a copy of ``os.environ``, so
    ``request.META`` would hold ``RONGHE_SECRET_KEY``, ``DATABASE_URL`` and every other setting — one
    careless dump of it (an error report, a debug log) from leaking them. gunicorn never puts them there."""
    process = frozenset(k for k in os.environ if not k.startswith("HTTP_") and k not in _REQUEST_KEYS)

    def scrubbed(environ, start_response):
        for key in process:
            environ.pop(key, None)
        return app(environ, start_response)

    return scrubbed


def __getattr__(name: str):
    """``application``: the app as granian serves it (built when granian imports it, after Django)."""
    if name == "application":
        from ronghe.wsgi import application

        globals()["application"] = wrapped = without_process_environment(application)
        return wrapped
    raise AttributeError(name)


def preload() -> bool:
    """Whether this process loads and warms the app before forking the workers."""
    return os.environ.get("RONGHE_PRELOAD_APP", "1") != "0" and multiprocessing.get_start_method() == "fork"


def _address(bind: str) -> dict[str, Any]:
    """gunicorn's ``--bind`` forms: ``HOST:PORT``, ``[IPv6]:PORT``, ``unix:PATH``."""
    from pathlib import Path

    if bind.startswith("unix:"):
        return {"uds": Path(bind[5:])}
    host, _, port = bind.rpartition(":")
    return {"address": host.strip("[]") or "0.0.0.0", "port": int(port)}


def options(bind: str | None = None, workers: int | None = None) -> dict[str, Any]:
    """The keyword arguments of ``granian.Granian`` for this environment."""
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels

    keepalive = int(os.environ.get("RONGHE_KEEPALIVE", 5))
    return {
        "target": TARGET,
        **_address(bind or os.environ.get("RONGHE_BIND", "127.0.0.1:8000")),
        "interface": Interfaces.WSGI,
        "http": HTTPModes.http1,  # what gunicorn speaks; TLS and HTTP/2 end at the proxy
        "websockets": False,
        "workers": workers or int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1)),
        "blocking_threads": int(os.environ.get("RONGHE_THREADS", 4)),  # the threads that run the app
        "backlog": 2048,  # gunicorn's
        # granian keeps an idle connection open with no time limit of its own (the client or the proxy
        # closes it): RONGHE_KEEPALIVE only turns keep-alive off (0) or on.
        "http1_settings": HTTP1Settings(keep_alive=keepalive > 0),
        "respawn_failed_workers": True,
        "workers_kill_timeout": 30,  # gunicorn's graceful_timeout
        "log_level": LogLevels(os.environ.get("RONGHE_GRANIAN_LOG_LEVEL", "warning")),
        "log_access": False,  # ronghe.requests logs every request
    }


def load_preloaded() -> None:
    """granian's start-up hook, in the parent before the first fork: load the app, warm, freeze."""
    from ronghe import granian_conf

    granian_conf.application  # noqa: B018  (Django set up, the app built; the workers' import finds it)
    warmup.before_fork(log)


def load_in_worker(target: str):
    """granian's loader of the app in a worker that did not inherit it: load, warm, freeze."""
    from ronghe import granian_conf

    app = granian_conf.application
    warmup.in_worker(log)
    return app


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="ronghe on granian")
    ap.add_argument("--bind", default=None, help="HOST:PORT or unix:PATH (RONGHE_BIND, 127.0.0.1:8000)")
    ap.add_argument("--workers", type=int, default=None, help="worker processes (WEB_CONCURRENCY, 1 per core)")
    args = ap.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ronghe.settings")
    from granian import Granian

    server = Granian(**options(args.bind, args.workers))
    if preload():
        server.on_startup(load_preloaded)
        server.serve()
    else:
        server.serve(target_loader=load_in_worker)


if __name__ == "__main__":
    main()
