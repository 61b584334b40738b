"""Running an evaluation on the page with the analysis options of the CLI: checked, refused with
the reason in the user's language, stated on the result; the same through a background job."""

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ronghe.apps.regions import services
from ronghe.apps.regions.models import Evaluation
from tests.apps.regions.helpers import write_data

pytestmark = pytest.mark.django_db


def _post(client, world, tmp_path, **fields):
    data = write_data(tmp_path / "d.csv", ["330106", "330108", "330110"])
    authority = world.city_authority.memberships.get().organization
    client.force_login(world.city_authority)
    return client.post(reverse("regions:run"), {
        "authority": authority.pk, "definition": "lianghua-regional", "title": "选项", "runs": 100,
        "data": SimpleUploadedFile("d.csv", data.read_bytes(), content_type="text/csv"), **fields})


@pytest.mark.parametrize("fields,text", [
    ({"weights": "1"}, "权重扰动幅度应不小于 0 且小于 1（当前为 1.0）"),
    ({"weights": "2.5"}, "权重扰动幅度应不小于 0 且小于 1（当前为 2.5）"),
    ({"normalise": ["median"]}, "median"),  # not among the choices: the form refuses it
])
def test_it_refuses_an_option_the_analysis_cannot_take_and_stores_nothing(client, world, tmp_path, fields, text):
    r = _post(client, world, tmp_path, **fields)
    assert r.status_code == 200 and text in r.content.decode()
    assert not Evaluation.objects.exists()


def test_it_varies_what_was_chosen_and_says_so_on_the_result(client, world, tmp_path):
    r = _post(client, world, tmp_path, weights="0.1", normalise=["minmax", "zscore"], aggregate=["arithmetic"])
    ev = Evaluation.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("regions:detail", args=[ev.pk])
    analysis = {a["step"]: a for a in ev.results["analysis"]}
    assert analysis["normalise"]["alternatives"] == "minmax, zscore" and analysis["normalise"]["varied"]
    assert analysis["aggregate"] == {"step": "aggregate", "nominal": "arithmetic", "varied": False,
                                     "alternatives": "arithmetic"}
    assert "U(0.9, 1.1)" in analysis["weight"]["alternatives"]
    page = client.get(r["Location"]).content.decode()
    assert 'id="analysis"' in page and "minmax, zscore" in page
    default = _post(client, world, tmp_path)
    assert default.status_code == 302
    assert {a["step"]: a for a in Evaluation.objects.latest("pk").results["analysis"]}["normalise"][
        "alternatives"] == "ratio, minmax, zscore"  # the definition's own


def test_a_background_run_takes_the_same_options_as_one_process(world, settings, tmp_path,
                                                                django_capture_on_commit_callbacks):
    from ronghe.apps.jobs import services as jobs
    from tests.apps.jobs.test_jobs import work

    settings.RONGHE_JOB_CHUNK_RUNS = 40
    data = write_data(tmp_path / "d.csv", ["330106", "330102", "330108", "330110"])
    authority = world.city_authority.memberships.get().organization
    analysis = {"weights": 0.3, "normalisations": ["zscore", "minmax"], "aggregations": ["geometric", "arithmetic"]}
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.submit("regions.evaluation", world.city_authority, "evaluation",
                          {"authority": authority.pk, "definition": "lianghua-regional", "title": "分块",
                           "runs": 120, "analysis": analysis}, [data])
    work()
    job.refresh_from_db()
    assert job.status == "succeeded" and job.parts_total == 3, job.message
    parted = Evaluation.objects.get(pk=job.result["evaluation"])
    single = services.run_evaluation(authority, "lianghua-regional", [data], runs=120, analysis=analysis)
    other = services.run_evaluation(authority, "lianghua-regional", [data], runs=120)
    b = pd.DataFrame(single.uncertainty)
    a = pd.DataFrame(parted.uncertainty)[b.columns]
    assert a[["median_rank", "rank_p05", "rank_p95"]].equals(b[["median_rank", "rank_p05", "rank_p95"]])
    assert a.mean_rank.tolist() == pytest.approx(b.mean_rank.tolist())
    assert parted.results["analysis"] == single.results["analysis"] != other.results["analysis"]


def test_imputation_and_treatment_vary_on_the_page_as_in_the_cli(client, world, tmp_path):
    from ronghe.core.index.data import read_panel
    from ronghe.core.index.definition import load
    from ronghe.core.index.sensitivity import uncertainty

    client.force_login(world.city_authority)
    form = client.get(reverse("regions:run")).content.decode()
    for value in ("none", "group_mean", "previous_year", "regression", "winsorise", "log"):
        assert f'value="{value}"' in form
    r = _post(client, world, tmp_path, normalise=["minmax", "zscore"], impute=["previous_year", "none"],
              treat=["none", "winsorise"], seed="3")
    assert r.status_code == 302, r.content.decode()[-2000:]
    ev = Evaluation.objects.get()
    analysis = {a["step"]: a for a in ev.results["analysis"]}
    assert analysis["impute"] == {"step": "impute", "nominal": "previous_year", "varied": True,
                                  "alternatives": "previous_year, none"}
    assert analysis["treat"] == {"step": "treat", "nominal": "none", "varied": True,
                                 "alternatives": "none, winsorise"}
    d = load("lianghua-regional").definition
    panel = read_panel(tmp_path / "d.csv", [i.id for i in d.indicators])
    cli = uncertainty(d, panel, ev.year, runs=100, seed=3, normalisations=["minmax", "zscore"],
                      imputations=["previous_year", "none"], treatments=["none", "winsorise"]).table
    assert [u["mean_rank"] for u in ev.uncertainty] == pytest.approx(cli.mean_rank.tolist())
    runs = services.runs_frame(ev)  # the download rebuilds the same runs, each with its methods
    assert set(runs.impute) == {"previous_year", "none"} and set(runs.treat) == {"none", "winsorise"}
    assert runs.groupby("region")["rank"].mean().loc[cli.region].tolist() == pytest.approx(cli.mean_rank.tolist())
    page = client.get(reverse("regions:detail", args=[ev.pk])).content.decode()
    assert "previous_year, none" in page and "none, winsorise" in page


@pytest.mark.parametrize("fields,text", [
    ({"treat": ["none", "log"]}, "log 不能与 ratio 标准化同时使用"),
    ({"impute": ["mean"]}, "mean"),  # not among the choices: the form refuses it
])
def test_an_imputation_or_treatment_it_cannot_apply_is_refused(client, world, tmp_path, fields, text):
    r = _post(client, world, tmp_path, **fields)
    assert r.status_code == 200 and text in r.content.decode()
    assert not Evaluation.objects.exists()


def test_the_pages_say_when_the_weights_are_labelled_defaults_and_how_values_merge(client, world, tmp_path):
    client.force_login(world.city_authority)
    form = client.get(reverse("regions:run")).content.decode()
    assert 'id="placeholder-notice"' in form and "默认" in form
    assert 'id="merge-rule"' in form and "“指标数值来源”" in form and "替换" in form
    assert _post(client, world, tmp_path).status_code == 302
    ev = Evaluation.objects.get()
    page = client.get(reverse("regions:detail", args=[ev.pk])).content.decode()
    assert 'id="placeholder-notice"' in page
    # the notice follows the definition the evaluation was computed with, not today's file
    ev.definition_content = bytes(ev.definition_content).replace(b"placeholder: true", b"placeholder: false")
    ev.save()
    assert services.computed_with_defaults(ev) is False
    assert 'id="placeholder-notice"' not in client.get(reverse("regions:detail", args=[ev.pk])).content.decode()
