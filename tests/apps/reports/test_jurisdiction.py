"""The monitoring report (the dashboard's figures), the batch of a jurisdiction's diagnosis reports
(background job, zip, cancel, CLI) and the regional evaluation report."""

import re
import zipfile

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from ronghe.apps.jobs import services as jobs
from ronghe.apps.jobs.models import Job
from ronghe.apps.organizations import services as orgs
from ronghe.apps.regions.services import ranking
from ronghe.cli import app
from tests.apps.benchmarking.helpers import populate
from tests.apps.jobs.test_jobs import work
from tests.apps.reports.conftest import FULL, scored
from tests.apps.reports.helpers import coloured_pixels, pdf_pages, pdf_text
from tests.base import credit_code

pytestmark = pytest.mark.django_db


def test_the_monitoring_report_shows_the_dashboards_figures(client, world, tmp_path):
    populate(world)
    client.force_login(world.province)
    dashboard = client.get(reverse("benchmarking:dashboard")).content.decode()
    report = client.get(reverse("reports:monitoring")).content.decode()
    assert reverse("reports:monitoring_pdf") in dashboard and reverse("reports:batch") in dashboard
    for kpi, cell in (("kpi-registered", "report-registered"), ("kpi-assessed", "report-assessed")):
        on_page = re.search(rf'id="{kpi}">([^<]*)<', dashboard).group(1).strip()
        in_report = re.search(rf'id="{cell}">([^<]*)<', report).group(1).strip()
        assert in_report == on_page, kpi  # below 10,000 a count is written as it is
    rate = re.search(r'id="kpi-rate">([^<]*)<', dashboard).group(1).strip()
    assert re.search(r'id="report-rate">([^<]*)<', report).group(1).strip() == rate
    mean = re.search(r'id="kpi-total">([^<]*)<', dashboard).group(1).strip()
    assert re.search(r'id="report-mean">([^<]*)<', report).group(1).strip() == mean
    assert 'class="chart distribution"' in report and 'class="chart line"' in report
    assert "个百分点" in report  # the change of a share between the two years
    response = client.get(reverse("reports:monitoring_pdf"))
    text = re.sub(r"\s+", "", pdf_text(response.content, tmp_path))
    assert "浙江省" in text and "年度监测报告" in text and "阶段分布" in text and "分行业情况" in text
    assert max(coloured_pixels(p) for p in pdf_pages(response.content, tmp_path)) > 500


def test_the_batch_draws_one_pdf_per_enterprise_in_a_zip(client, reports_world, django_capture_on_commit_callbacks,
                                                         tmp_path):
    w = reports_world
    other = orgs.create_organization(kind="enterprise", name="西湖丙公司", credit_code=credit_code("330106", 77),
                                     region_id="330106", industry_id="34", size="300人以下")
    other.name = "<b>丙</b>/../公司"  # markup and a path in a stored name: neither escapes the zip nor the report
    other.save()
    scored(other, w.version, 2025, FULL, w.ent_a, w.admin)
    client.force_login(w.city_authority)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:batch"), {"region": "330106", "year": 2025})
    job = Job.objects.get(kind="reports.batch")
    assert response.url == reverse("jobs:detail", args=[job.pk]) and job.params["count"] == 2
    work()
    job.refresh_from_db()
    assert job.status == "succeeded", job.errors
    assert job.done == job.total == 2
    output = client.get(reverse("jobs:output", args=[job.pk]))
    path = tmp_path / "out.zip"
    path.write_bytes(b"".join(output.streaming_content))
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert len(names) == 2 and all("/" not in n and ".." not in n for n in names)
        assert any(w.a.credit_code in n for n in names)
        assert all(z.read(n).startswith(b"%PDF") for n in names)
        texts = [pdf_text(z.read(n), tmp_path) for n in names]
    assert any("<b>丙</b>/../公司" in t for t in texts)
    # nothing of the other province; a cancelled batch draws nothing
    client.force_login(w.other_province)
    assert client.post(reverse("reports:batch"), {"region": "330106", "year": 2025}).status_code == 404
    client.force_login(w.city_authority)
    queued = jobs.submit("reports.batch", w.city_authority, "t", {"region": "330106", "year": 2025, "count": 2})
    jobs.cancel(queued, by=w.city_authority)
    work()
    queued.refresh_from_db()
    assert queued.status == "cancelled" and not queued.output


def test_the_cli_draws_a_batch_with_a_progress_bar_and_the_other_reports(reports_world, tmp_path):
    w = reports_world
    runner = CliRunner()
    out = tmp_path / "b.zip"
    result = runner.invoke(app, ["report", "batch", "--year", "2025", "--region", "330106", "--out", str(out),
                                 "--user", "city_authority"])
    assert result.exit_code == 0, result.output
    assert "wrote 1 reports" in result.output and len(zipfile.ZipFile(out).namelist()) == 1
    refused = runner.invoke(app, ["report", "batch", "--year", "2025", "--region", "330106", "--out", str(out),
                                  "--user", "other_province"])
    assert refused.exit_code == 1 and "not found" in refused.output
    none = runner.invoke(app, ["report", "batch", "--year", "2019", "--out", str(out)])
    assert none.exit_code == 1 and "no approved assessment" in none.output
    html = tmp_path / "m.html"
    assert runner.invoke(app, ["report", "monitoring", "--region", "330100", "--out", str(html), "--format",
                               "html"]).exit_code == 0
    assert "杭州市" in html.read_text(encoding="utf-8")
    pdf = tmp_path / "r.pdf"
    result = runner.invoke(app, ["report", "region", str(w.evaluation.pk), "--out", str(pdf)])
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_region_report_shows_the_stored_ranking(client, reports_world, tmp_path):
    w = reports_world
    client.force_login(w.city_authority)
    html = client.get(reverse("reports:region", args=[w.evaluation.pk])).content.decode()
    rows = ranking(w.evaluation)
    body = re.search(r'<table id="ranking-table".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    shown = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
             for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]
    assert [(s[0], s[1], s[2], s[3]) for s in shown] == [
        (str(r["rank"]), r["name"], f"{r['total']:.1f}", str(r["tier"] or "—")) for r in rows]
    assert 'id="uncertainty-table"' in html and html.count('class="profile"') == len(rows)
    assert 'class="chart bar"' in html
    pdf = client.get(reverse("reports:region_pdf", args=[w.evaluation.pk])).content
    text = pdf_text(pdf, tmp_path).replace("\n", "")
    assert all(r["name"] in text for r in rows) and "排名不确定性" in text and "评估方法" in text
    assert max(coloured_pixels(p) for p in pdf_pages(pdf, tmp_path)) > 500
