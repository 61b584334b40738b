"""Two worker processes share the parts of a national batch: a scored answers file and a Monte Carlo
split into parts come out exactly as one process computes them, and both workers did some parts."""

import pandas as pd
import pytest
from django.core.files.storage import default_storage
from django_tasks_db.models import DBTaskResult

from ronghe.apps.frameworks.services import register_files
from ronghe.apps.jobs import services
from ronghe.apps.jobs.models import Job
from ronghe.apps.regions import services as regions
from ronghe.core.frameworks.compile import compile
from ronghe.core.io.xlsx import score_file, write_results
from tests.apps.regions.helpers import write_data
from tests.conftest import FILES
from tests.workers import task_workers, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def _ended(job: Job):
    job.refresh_from_db()
    return job if job.ended else None


def test_it_shares_the_parts_between_two_workers_with_the_result_of_one_process(world, tmp_path, settings):
    (version, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    answers = tmp_path / "national.csv"
    answers.write_text("enterprise,a1,a2,b1,b2,b3\n" + "".join(
        f'企业{k},{"ABCD"[k % 4]},{"是" if k % 3 else "否"},"CAD,PDM",{k % 101},{k % 70}\n' for k in range(400)),
        encoding="utf-8")
    data = write_data(tmp_path / "d.csv", ["330106", "330102", "330108", "330110", "330111"])
    authority = world.city_authority.memberships.get().organization
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the workers are told the same folder below
    env = {"RONGHE_JOB_CHUNK_ROWS": "40", "RONGHE_JOB_CHUNK_RUNS": "100", "RONGHE_MEDIA_ROOT": settings.MEDIA_ROOT}
    with task_workers(2, **env):
        scoring = services.submit("assessments.score_file", world.city_authority, "national",
                                  {"framework": version.pk}, [answers])
        evaluation = services.submit("regions.evaluation", world.city_authority, "mc",
                                     {"authority": authority.pk, "definition": "lianghua-regional", "runs": 1000},
                                     [data])
        for job in (scoring, evaluation):
            wait_for(lambda job=job: _ended(job), timeout=180)
    assert (scoring.status, evaluation.status) == ("succeeded", "succeeded"), (scoring.message, evaluation.message)
    assert (scoring.parts_total, evaluation.parts_total) == (10, 10)
    compiled = compile(version.loaded())
    single = write_results(tmp_path / "one.csv", score_file(answers, compiled), compiled)
    with default_storage.open(scoring.output, "rb") as fh:
        assert fh.read() == single.read_bytes()
    parted = regions.Evaluation.objects.get(pk=evaluation.result["evaluation"])
    one = regions.run_evaluation(authority, "lianghua-regional", [data], runs=1000)
    b = pd.DataFrame(one.uncertainty)
    a = pd.DataFrame(parted.uncertainty)[b.columns]  # jsonb (PostgreSQL) keeps keys in its own order
    assert a.drop(columns="mean_abs_shift").equals(b.drop(columns="mean_abs_shift"))
    assert (a.mean_abs_shift - b.mean_abs_shift).abs().max() < 1e-12
    parts = DBTaskResult.objects.filter(task_path__endswith="run_job_part")
    assert parts.count() == 20
    assert {w for r in parts for w in r.worker_ids} == {"test-worker-0", "test-worker-1"}  # both took parts
