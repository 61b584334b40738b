"""The web server's start: warm the caches, then freeze the loaded heap. One implementation for both
production servers (``ronghe/gunicorn_conf.py``, ``ronghe/granian_conf.py``).

Where the server forks its workers from a parent that has loaded the app (gunicorn's ``preload_app``,
granian under the ``fork`` start method), the parent calls :func:`before_fork` once and every worker
starts with the warmed caches, sharing their pages copy-on-write; otherwise each worker calls
:func:`in_worker` once it has loaded the app."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path


def warm(log: logging.Logger) -> None:
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


def load_lazily_built() -> None:
    """Build what Django otherwise builds on a worker's first request: the URL patterns (importing every
    view) and the compiled templates. Done once before the fork, every worker shares them, and no
    worker's first request pays ~1 s for them."""
    from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
    from django.urls import get_resolver

    get_resolver().check()  # imports the URLconf and every view module it names
    get_resolver()._populate()
    for engine in engines.all():
        for loader in getattr(engine.engine, "template_loaders", []):
            for directory in loader.get_dirs() if hasattr(loader, "get_dirs") else []:
                for path in sorted(Path(directory).rglob("*.html")):
                    with contextlib.suppress(TemplateDoesNotExist, TemplateSyntaxError):  # shown on its page
                        engine.get_template(str(path.relative_to(directory)))


def freeze() -> None:
    """Move everything loaded so far (Django, the app, the warmed caches: some 200,000 objects) out of
    the garbage collector's reach. A full collection walked them all — 110 ms with every thread of the
    process stopped, a pause that showed as the load's slowest requests; frozen, they are never
    walked again, and the pages a worker shares with its parent after the fork stay shared."""
    import gc

    gc.collect()
    gc.freeze()


def before_fork(log: logging.Logger) -> None:
    """In the parent, the app loaded, before any worker is forked: warm, close what a worker must
    open for itself, freeze."""
    warm(log)
    load_lazily_built()
    from ronghe.core.benchmarking.dashboard import close

    close()  # each worker opens its own DuckDB
    freeze()


def in_worker(log: logging.Logger) -> None:
    """In a worker that has loaded the app on its own (no parent to inherit from): warm, freeze."""
    warm(log)
    load_lazily_built()
    freeze()
