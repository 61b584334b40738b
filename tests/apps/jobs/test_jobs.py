"""Background jobs run by the real database worker (``manage.py db_worker --batch``, in this process):
imports, partitioned scoring and the partitioned Monte Carlo give what one process gives; failures
write nothing and can be retried; cancellation stops a job at its next progress report."""

import io

import numpy as np
import pandas as pd
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from ronghe.apps.assessments.models import Assessment
from ronghe.apps.jobs import services
from ronghe.apps.jobs.models import Job
from ronghe.apps.regions import services as regions
from ronghe.core.frameworks.compile import compile
from ronghe.core.io.xlsx import score_file, write_results
from tests.apps.regions.helpers import write_data

pytestmark = pytest.mark.django_db


def work() -> None:
    """Let the database worker run every queued task (and the tasks those enqueue), then return.

    In this process the worker shares the test's transaction, so its periodic closing of stale
    connections (right for a long-running worker) is switched off here."""
    from unittest import mock

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        for _ in range(5):
            call_command("db_worker", "--batch", "--no-reload", "--interval", "0.01", stdout=io.StringIO(),
                         stderr=io.StringIO())


def _answers(world, rows: int = 3) -> SimpleUploadedFile:
    lines = ["enterprise,credit_code,a1,a2,b1,b2,b3"]
    lines += [f'企业{k},{world.a.credit_code if k == 0 else ""},C,是,"CAD,PDM",{50 + k % 40},35' for k in range(rows)]
    return SimpleUploadedFile("answers.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def test_it_imports_a_large_file_in_the_background_with_progress(client, world, mini_version, settings,
                                                                    django_capture_on_commit_callbacks):
    settings.RONGHE_INLINE_MAX_BYTES = 10  # every file is "large"
    client.force_login(world.consultant)
    upload = SimpleUploadedFile("answers.csv", f'enterprise,credit_code,a1,a2,b1,b2,b3\n甲,{world.a.credit_code},'
                                               f'C,是,"CAD,PDM",60,35\n'.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("assessments:import"), {"framework": mini_version.pk, "year": 2025, "file": upload})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == "queued" and not Assessment.objects.exists()
    (kept,) = job.inputs
    assert default_storage.exists(kept["name"]) and kept["label"] == "answers.csv"
    work()
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["created"] == 1 and job.done == job.total == 2
    assert Assessment.objects.get().status == "submitted"
    assert job.inputs == [] and not default_storage.exists(kept["name"])  # the upload is freed once done
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    assert job.result["summary"] in page.content.decode() and "1" in job.result["summary"]
    assert [e.action for e in job.history()] == ["job.succeeded", "job.submitted"]


def test_it_fails_without_writing_and_runs_again_after_a_fix(world, mini_version, django_capture_on_commit_callbacks):
    bad = SimpleUploadedFile("bad.csv", f"enterprise,credit_code,a1\n甲,{world.a.credit_code},Z\n".encode())
    with django_capture_on_commit_callbacks(execute=True):
        job = services.submit("assessments.import", world.consultant, "import",
                              {"framework": mini_version.pk, "year": 2025}, [bad])
    work()
    job.refresh_from_db()
    assert job.status == "failed" and job.error_count >= 1 and not Assessment.objects.exists()
    assert job.errors[0]["field"] == "a1" and "a1 没有这个选项" in job.errors[0]["reason"]
    assert job.inputs  # kept for a retry
    with django_capture_on_commit_callbacks(execute=True):
        services.retry(job, by=world.consultant)
    work()
    job.refresh_from_db()
    assert job.status == "failed" and job.attempts == 2  # the same file fails the same way, still nothing written
    with pytest.raises(services.JobError):
        services.cancel(job)


def test_it_cancels_a_queued_job_and_stops_a_running_one(world, mini_version, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.submit("assessments.import", world.consultant, "import",
                                 {"framework": mini_version.pk, "year": 2025}, [_answers(world, 1)])
    services.cancel(queued, by=world.consultant)
    queued.refresh_from_db()
    assert queued.status == "cancelled" and queued.inputs == []
    work()  # its task finds it cancelled and does nothing
    queued.refresh_from_db()
    assert queued.status == "cancelled" and not Assessment.objects.exists()

    from ronghe.apps.jobs.registry import JobCancelled
    from ronghe.apps.jobs.services import _Progress

    running = Job.objects.create(kind="assessments.import", owner=world.consultant, title="x", status="running")
    progress = _Progress(running)
    progress(1, 10)
    Job.objects.filter(pk=running.pk).update(cancel_requested=True)
    progress.last = 0  # the next report is due
    with pytest.raises(JobCancelled):
        progress(2, 10)


def test_it_scores_a_file_in_parts_exactly_as_one_process(world, mini_version, settings, tmp_path,
                                                          django_capture_on_commit_callbacks):
    settings.RONGHE_JOB_CHUNK_ROWS = 7
    upload = _answers(world, 30)
    path = tmp_path / "answers.csv"
    path.write_bytes(upload.read())
    with django_capture_on_commit_callbacks(execute=True):
        job = services.submit("assessments.score_file", world.city_authority, "score",
                              {"framework": mini_version.pk}, [path])
    work()
    job.refresh_from_db()
    assert job.status == "succeeded" and job.parts_total == 5 and job.parts_done == 5, job.message
    assert job.done == job.total == 30
    compiled = compile(mini_version.loaded())
    single = write_results(tmp_path / "single.csv", score_file(path, compiled), compiled)
    with default_storage.open(job.output, "rb") as fh:
        assert fh.read() == single.read_bytes()  # byte for byte
    assert job.result["rows"] == 30 and not default_storage.listdir(f"jobs/parts/{job.pk}")[1]


def test_it_runs_the_monte_carlo_in_parts_exactly_as_one_process(world, settings, tmp_path,
                                                                  django_capture_on_commit_callbacks):
    settings.RONGHE_JOB_CHUNK_RUNS = 70
    data = write_data(tmp_path / "d.csv", ["330106", "330102", "330108", "330110"])
    authority = world.city_authority.memberships.get().organization
    with django_capture_on_commit_callbacks(execute=True):
        job = services.submit("regions.evaluation", world.city_authority, "evaluation",
                              {"authority": authority.pk, "definition": "lianghua-regional", "title": "分块",
                               "runs": 300}, [data])
    work()
    job.refresh_from_db()
    assert job.status == "succeeded" and job.parts_total == 5, job.message
    parted = regions.Evaluation.objects.get(pk=job.result["evaluation"])
    single = regions.run_evaluation(authority, "lianghua-regional", [data], runs=300)
    assert parted.title == "分块" and parted.results == single.results
    b = pd.DataFrame(single.uncertainty)
    a = pd.DataFrame(parted.uncertainty)[b.columns]  # jsonb (PostgreSQL) keeps keys in its own order
    assert a.drop(columns="mean_abs_shift").equals(b.drop(columns="mean_abs_shift"))
    assert np.allclose(a.mean_abs_shift, b.mean_abs_shift, rtol=0, atol=1e-12)
