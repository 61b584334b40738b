"""The production path: `check --deploy` is clean with production settings, DEBUG is off by default,
probes answer, and error pages are 简体中文 pages without any debug information."""

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]


def test_it_passes_check_deploy_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set by browser tests
    env = {**env, "RONGHE_DEBUG": "0", "RONGHE_SECRET_KEY": secrets.token_urlsafe(60),
           "RONGHE_ALLOWED_HOSTS": "ronghe.example.gov.cn", "RONGHE_HTTPS": "1",
           "RONGHE_CSRF_TRUSTED_ORIGINS": "https://ronghe.example.gov.cn", "RONGHE_VAR_DIR": str(tmp_path)}
    r = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_it_keeps_debug_off_and_makes_one_secret_key_per_installation(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"RONGHE_DEBUG", "RONGHE_SECRET_KEY"}}
    env["RONGHE_VAR_DIR"] = str(tmp_path)
    code = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"
    out = [subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
                          env={**env, "DJANGO_SETTINGS_MODULE": "ronghe.settings"}, capture_output=True, text=True,
                          check=True).stdout.split() for _ in range(2)]
    assert out[0][0] == "False" and out[0] == out[1] and len(out[0][1]) >= 50
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert not settings.DEBUG


@pytest.mark.django_db
def test_it_answers_health_and_readiness_probes(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {
        "status": "ready", "checks": {"database": "ok", "migrations": "ok", "cache": "ok", "storage": "ok"}}


@pytest.mark.django_db
def test_it_shows_error_pages_in_chinese_without_debug_information(client):
    r = client.get("/no/such/page/")
    body = r.content.decode()
    assert r.status_code == 404 and "页面不存在" in body
    for leak in ("URLconf", "Traceback", "urlpatterns", "DEBUG = True", "ronghe.urls"):
        assert leak not in body
    csrf = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert csrf.status_code == 403 and "请求被拒绝" in csrf.content.decode() and "CSRF" not in csrf.content.decode()
    assert "服务器出错了" in (ROOT / "ronghe" / "templates" / "500.html").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_it_gives_every_response_a_request_id_and_logs_it(client, caplog):
    import json
    import logging

    from ronghe.logs import JsonFormatter

    with caplog.at_level(logging.INFO, logger="ronghe.requests"):
        r = client.get("/healthz", HTTP_X_REQUEST_ID="probe-12345678")
        other = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert r["X-Request-ID"] == "probe-12345678"
    assert other["X-Request-ID"] != "bad id\nwith newline" and len(other["X-Request-ID"]) == 32
    (line,) = [rec for rec in caplog.records if rec.request_id == "probe-12345678"]
    logged = json.loads(JsonFormatter().format(line))
    assert logged["status"] == 200 and logged["path"] == "/healthz" and logged["method"] == "GET"
    from datetime import datetime

    at = datetime.fromisoformat(logged["at"])  # with its UTC offset: comparable across machines
    assert at.utcoffset() is not None and abs(at.timestamp() - line.created) < 0.001
