"""Every report download is in the audit log as an export, like the .xlsx exports: who drew which
report, in which format, from the web, the API or the CLI; a batch zip names every assessment in
it, and its download is logged by the job's output route. Viewing a report page is not an export,
and a refused request logs nothing."""

import zipfile

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from ronghe.apps.assessments.models import Assessment
from ronghe.apps.audit.models import AuditEvent
from ronghe.apps.jobs.models import Job
from ronghe.apps.organizations.models import Region
from ronghe.apps.regions.models import Evaluation
from ronghe.cli import app
from tests.apps.jobs.test_jobs import work

pytestmark = pytest.mark.django_db


def _exports():
    return list(AuditEvent.objects.filter(action="export").order_by("id"))


def _only_export():
    events = _exports()
    assert len(events) == 1, [(e.action, e.data) for e in events]
    return events[0]


def test_each_pdf_download_on_the_web_is_an_export_of_its_object(client, reports_world):
    w = reports_world
    client.force_login(w.city_authority)
    for name, args in (
        ("reports:enterprise", [w.scored.pk]),
        ("reports:monitoring", []),
        ("reports:region", [w.evaluation.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 200
    assert _exports() == []  # reading the page is not taking a copy

    cases = [
        ("reports:enterprise_pdf", [w.scored.pk], Assessment, str(w.scored.pk), "reports.enterprise"),
        ("reports:monitoring_pdf", [], Region, "330100", "reports.monitoring"),
        ("reports:region_pdf", [w.evaluation.pk], Evaluation, str(w.evaluation.pk), "reports.region"),
    ]
    for name, args, model, object_id, what in cases:
        before = AuditEvent.objects.filter(action="export").count()
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        event = AuditEvent.objects.filter(action="export").order_by("-id").first()
        assert AuditEvent.objects.filter(action="export").count() == before + 1
        assert event.actor == w.city_authority and event.content_type.model_class() is model
        assert event.object_id == object_id, what
        assert event.data["what"] == what and event.data["format"] == "pdf" and event.data["via"] == "web"
        assert event.data["bytes"] == len(response.content)
    monitoring = next(e for e in _exports() if e.data["what"] == "reports.monitoring")
    assert monitoring.object_repr.startswith("杭州市") and monitoring.data["year"] == 2025


def test_a_refused_download_logs_nothing(client, reports_world):
    w = reports_world
    client.force_login(w.ent_b)  # B may not see A's result
    assert client.get(reverse("reports:enterprise_pdf", args=[w.scored.pk])).status_code == 404
    assert client.get(f"/api/reports/enterprise/{w.scored.pk}").status_code == 404
    # B's own assessment is not approved yet: sent back to it, nothing drawn
    assert client.get(reverse("reports:enterprise_pdf", args=[w.submitted.pk])).status_code == 302
    assert _exports() == []


def test_the_api_logs_the_format_it_answered(client, reports_world):
    w = reports_world
    client.force_login(w.ent_a)
    html = client.get(f"/api/reports/enterprise/{w.scored.pk}?format=html")
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    event = _only_export()
    assert (event.actor, event.object_id, event.data["format"], event.data["via"]) == (
        w.ent_a,
        str(w.scored.pk),
        "html",
        "api",
    )
    assert event.data["bytes"] == len(html.content)
    client.get(f"/api/reports/regions/{w.evaluation.pk}")  # a draft: not ent_a's to see
    assert len(_exports()) == 1


def test_the_cli_logs_its_reports_with_the_user_it_drew_them_for(reports_world, tmp_path):
    w = reports_world
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "report",
            "enterprise",
            str(w.scored.pk),
            "--out",
            str(tmp_path / "a.html"),
            "--format",
            "html",
            "--user",
            "city_authority",
        ],
    )
    assert result.exit_code == 0, result.output
    event = _only_export()
    assert (event.actor, event.data["via"], event.data["format"]) == (w.city_authority, "cli", "html")
    result = runner.invoke(app, ["report", "region", str(w.evaluation.pk), "--out", str(tmp_path / "e.pdf")])
    assert result.exit_code == 0, result.output
    operator = _exports()[-1]
    assert operator.actor is None and operator.data["what"] == "reports.region"  # the operator has no account
    refused = runner.invoke(
        app, ["report", "enterprise", str(w.scored.pk), "--out", str(tmp_path / "b.pdf"), "--user", "ent_b"]
    )
    assert refused.exit_code == 1 and len(_exports()) == 2


def test_a_batch_names_every_assessment_in_its_zip_and_its_download_is_logged(
    client, reports_world, tmp_path, django_capture_on_commit_callbacks
):
    w = reports_world
    client.force_login(w.city_authority)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:batch"), {"region": "330106", "year": 2025})
    work()
    job = Job.objects.get(kind="reports.batch")
    assert job.status == "succeeded", job.errors
    drawn = _only_export()
    assert drawn.actor == w.city_authority and drawn.data["what"] == "reports.batch"
    assert drawn.data["assessments"] == [w.scored.pk] and drawn.data["reports"] == 1
    assert (drawn.data["region"], drawn.data["year"], drawn.data["job"], drawn.data["via"]) == (
        "330106",
        2025,
        job.pk,
        "job",
    )
    output = client.get(reverse("jobs:output", args=[job.pk]))
    path = tmp_path / "r.zip"
    path.write_bytes(b"".join(output.streaming_content))
    assert len(zipfile.ZipFile(path).namelist()) == 1
    downloaded = _exports()[-1]
    assert downloaded.actor == w.city_authority and downloaded.data["kind"] == "reports.batch"
    assert downloaded.object_id == str(job.pk)

    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "report",
            "batch",
            "--year",
            "2025",
            "--region",
            "330106",
            "--out",
            str(tmp_path / "c.zip"),
            "--user",
            "city_authority",
        ],
    )
    assert result.exit_code == 0, result.output
    cli = _exports()[-1]
    assert (cli.actor, cli.data["via"], cli.data["assessments"]) == (w.city_authority, "cli", [w.scored.pk])
