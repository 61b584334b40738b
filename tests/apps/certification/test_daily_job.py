"""The daily 评定 run as a scheduled background job: the scheduler submits it once per scheduled time,
a worker of either task backend (the database queue, RQ on Redis) runs it, and it records expiries
and announces each overdue surveillance audit once to the body's members."""

from __future__ import annotations

import datetime as dt
import io
import os
import secrets
import socket
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.utils import timezone

from ronghe.apps.audit.models import AuditEvent
from ronghe.apps.certification import services
from ronghe.apps.certification.models import Certificate
from ronghe.apps.jobs import periodic
from ronghe.apps.jobs.models import Job
from ronghe.apps.jobs.registry import KINDS
from ronghe.apps.notifications.models import Notification
from tests.apps.certification.helpers import days_ago, drive, ready_project
from tests.workers import ROOT, database_url

REDIS = "redis://127.0.0.1:6379/6"


@pytest.fixture
def certificate(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    case = drive(services.apply(ready_project(world.a, by=world.ent_a), world.body, by=world.ent_a), world, "issue")
    return case.certificate


def _overdue(cert: Certificate) -> None:
    """Its first surveillance audit was due 10 days ago and has not been recorded."""
    cert.surveillances.order_by("due_on").filter(pk=cert.surveillances.order_by("due_on").first().pk).update(
        due_on=days_ago(10))


def _run_queued() -> None:
    from unittest import mock

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-reload", "--interval", "0.01", stdout=io.StringIO(),
                     stderr=io.StringIO())


@pytest.mark.django_db
def test_it_is_a_scheduled_kind_with_a_valid_schedule(settings):
    kind = KINDS["certification.daily"]
    assert kind.schedule == settings.RONGHE_CERT_DAILY_SCHEDULE and kind in periodic.scheduled()
    now = timezone.localtime().replace(microsecond=0)
    assert periodic.latest_slot(kind, now) <= now < periodic.next_slot(kind, now)
    assert periodic.next_slot(kind, now) - periodic.latest_slot(kind, now) == dt.timedelta(days=1)


@pytest.mark.django_db
def test_it_submits_each_slot_once_and_the_run_expires_and_announces_once(world, certificate,
                                                                       django_capture_on_commit_callbacks):
    _overdue(certificate)
    with django_capture_on_commit_callbacks(execute=True):
        (job,) = periodic.submit_due()
        assert periodic.submit_due() == []  # the same slot is not submitted twice
    assert job.owner is None and job.params["slot"] == periodic.latest_slot(KINDS["certification.daily"]).isoformat()
    _run_queued()
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    assert (job.result["expired"], job.result["surveillance_overdue"]) == (0, 1)
    members = set(world.body.memberships.values_list("user", flat=True))
    notes = Notification.objects.filter(verb="certificate.surveillance_overdue")
    assert members and set(notes.values_list("user", flat=True)) == members
    assert certificate.number in notes.first().title
    history = services.history(certificate, "zh-hans")
    assert history[0]["label"] == "监督审核逾期" and history[0]["actor"] is None

    Certificate.objects.filter(pk=certificate.pk).update(valid_until=days_ago(1))  # validity ended yesterday
    with django_capture_on_commit_callbacks(execute=True):
        again = periodic.submit_now("certification.daily")  # an operator's run outside the schedule
    _run_queued()
    again.refresh_from_db()
    assert again.status == "succeeded" and (again.result["expired"], again.result["surveillance_overdue"]) == (1, 0)
    certificate.refresh_from_db()
    assert certificate.state == "expired"
    assert notes.count() == len(members)  # announced once, not again
    assert AuditEvent.objects.filter(action="certificate.expire", actor=None).count() == 1


@pytest.mark.django_db
def test_it_refuses_to_submit_a_kind_that_has_no_schedule():
    from ronghe.apps.jobs.services import JobError

    with pytest.raises(JobError, match="not a scheduled kind"):
        periodic.submit_now("assessments.import")


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", ["db", "rq"])
def test_it_runs_on_the_workers_of_either_task_backend(world, certificate, backend):
    """``manage.py scheduler --once`` (as a system timer calls it) submits the run, and a real worker
    process of the backend — ``db_worker`` or ``rqworker`` — takes it from the queue and runs it."""
    if backend == "rq":
        if not _redis_up():
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        import redis

        redis.Redis.from_url(REDIS).flushdb()
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=days_ago(1))
    env = {**os.environ, "DATABASE_URL": database_url(), "RONGHE_TASKS": backend,
           "RONGHE_CACHE_PREFIX": f"test-{secrets.token_hex(4)}", "RONGHE_LOG_LEVEL": "WARNING"}
    if backend == "rq":
        env["REDIS_URL"] = REDIS
    else:
        env.pop("REDIS_URL", None)

    def manage(*args: str) -> str:
        r = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=180)
        assert r.returncode == 0, r.stdout + r.stderr
        return r.stdout

    assert "certification.daily" in manage("scheduler", "--list")
    assert "submitted certification.daily" in manage("scheduler", "--once")
    assert "submitted" not in manage("scheduler", "--once")  # the slot is taken
    job = Job.objects.get(kind="certification.daily")
    assert job.status == "queued"
    if backend == "rq":
        manage("rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default")
    else:
        manage("db_worker", "--batch", "--no-reload", "--interval", "0.1")
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    assert job.result["expired"] == 1
    certificate.refresh_from_db()
    assert certificate.state == "expired"
