"""granian (RONGHE_SERVER=granian) reads the web server's settings from the same environment as gunicorn,
and its master, once it has loaded and warmed the app, freezes what it holds out of the garbage
collector's reach before forking its workers (ronghe/granian_conf.py, ronghe/warmup.py)."""

import gc
from pathlib import Path

import pytest
from granian.constants import Interfaces

from ronghe import granian_conf
from ronghe.apps.operations.management.commands.serve import web_command


def test_it_takes_the_web_servers_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("RONGHE_THREADS", "4")
    monkeypatch.setenv("RONGHE_KEEPALIVE", "0")
    options = granian_conf.options("0.0.0.0:8001")
    assert options["interface"] == Interfaces.WSGI and options["target"] == "ronghe.granian_conf:application"
    assert (options["address"], options["port"]) == ("0.0.0.0", 8001)
    assert options["workers"] == 3 and options["blocking_threads"] == 4
    assert options["http1_settings"].keep_alive is False
    assert options["respawn_failed_workers"] and not options["log_access"]
    assert granian_conf.options("[::1]:80", workers=2)["address"] == "::1"
    assert granian_conf.options("unix:/run/ronghe.sock")["uds"] == Path("/run/ronghe.sock")
    monkeypatch.delenv("RONGHE_KEEPALIVE")
    assert granian_conf.options("127.0.0.1:8000", workers=2)["http1_settings"].keep_alive is True


def test_serve_starts_the_chosen_server():
    assert web_command("granian", "127.0.0.1:9", 2)[1:] == ["-m", "ronghe.granian_conf", "--bind", "127.0.0.1:9",
                                                         "--workers", "2"]
    assert "python:ronghe.gunicorn_conf" in web_command("gunicorn", "127.0.0.1:9")


def test_the_master_preloads_under_fork_unless_told_not_to(monkeypatch):
    assert granian_conf.preload()  # Linux, Python 3.11: workers are forked
    monkeypatch.setenv("RONGHE_PRELOAD_APP", "0")
    assert not granian_conf.preload()


@pytest.mark.django_db
def test_the_master_freezes_the_loaded_app_before_it_forks():
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        granian_conf.load_preloaded()
        assert gc.get_freeze_count() > 10_000  # Django and the app: a full collection no longer walks them
    finally:
        gc.unfreeze()


def test_a_request_never_sees_the_process_environment(monkeypatch):
    """granian copies os.environ into every request's environ: the secret key, the database's address
    and password must not reach request.META."""
    monkeypatch.setenv("RONGHE_SECRET_KEY", "do-not-leak")
    monkeypatch.setenv("DATABASE_URL", "postgres://user:password@db/ronghe")
    seen = {}

    def app(environ, start_response):
        seen.update(environ)
        return [b""]

    wrapped = granian_conf.without_process_environment(app)
    import os

    environ = {**os.environ, "REQUEST_METHOD": "GET", "PATH_INFO": "/", "HTTP_HOST": "ronghe.example",
               "wsgi.input": None}
    wrapped(environ, lambda *a: None)
    assert "RONGHE_SECRET_KEY" not in seen and "DATABASE_URL" not in seen and "PATH" not in seen
    assert seen["REQUEST_METHOD"] == "GET" and seen["HTTP_HOST"] == "ronghe.example" and "wsgi.input" in seen
