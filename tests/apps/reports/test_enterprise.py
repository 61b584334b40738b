"""The enterprise diagnosis report: the figures of the result page, Chinese text and charts in the
PDF (pdftotext, pdftoppm), the change on the previous year, escaped names, the CLI."""

import re

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from ronghe.apps.benchmarking.services import peer_panel
from ronghe.apps.organizations.models import Organization
from ronghe.apps.reports import services
from ronghe.cli import app
from tests.apps.benchmarking.helpers import populate
from tests.apps.reports.helpers import coloured_pixels, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


def _by_id(html: str, id_: str) -> str:
    m = re.search(rf'id="{id_}"[^>]*>(.*?)</', html, re.S)
    assert m, f"no element #{id_}"
    return m.group(1).strip()


def _rows(html: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table id="{table_id}".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_the_report_shows_the_figures_of_the_result_page_and_draws_them_in_the_pdf(client, world, tmp_path):
    peers = populate(world)
    a = peers.a[2025]
    client.force_login(world.ent_a)
    page = client.get(reverse("assessments:result", args=[a.pk])).content.decode()
    report = client.get(reverse("reports:enterprise", args=[a.pk])).content.decode()
    assert reverse("reports:enterprise_pdf", args=[a.pk]) in page  # the download button on the result page
    # total, stage and every indicator as the result page shows them
    assert _by_id(report, "report-total") == _by_id(page, "total")
    assert _by_id(report, "report-stage") == _by_id(page, "stage")
    page_rows = [(r[0], r[1]) for r in _rows(page, "indicator-table" if 'id="indicator-table"' in page else "x")] \
        if 'id="indicator-table"' in page else None
    shown = [(name, score) for name, _share, score in _rows(report, "indicator-table")]
    result_table = re.search(r"<h2>[^<]*</h2>\s*<table><thead><tr><th>[^<]*</th><th class=\"num\">[^<]*</th></tr>"
                             r"</thead>\s*<tbody>(.*?)</tbody>", page, re.S)
    on_page = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
               for row in re.findall(r"<tr>(.*?)</tr>", result_table.group(1), re.S)]
    assert page_rows is None and shown == [(n, s) for n, s in on_page]
    # the percentiles are the peer panel's, as in the result page's peer table (row of the total)
    panel = peer_panel(a)
    division = next(g for g in panel["groups"] if g["kind"] == "division")
    province = next(g for g in panel["groups"] if g["kind"] == "province")
    assert _by_id(report, "report-industry-percentile") == f"P{division['metrics'][0]['percentile']:.0f}"
    assert _by_id(report, "report-province-percentile") == f"P{province['metrics'][0]['percentile']:.0f}"
    total_row = re.search(r'<tr data-metric="L">(.*?)</tr>', page, re.S).group(1)
    assert f"P{division['metrics'][0]['percentile']:.0f}" in total_row
    # the change on 2024, in points
    before = peers.a[2024].score.total
    assert f"{abs(a.score.total - before):.1f}分" in report
    # the charts are inline SVG in the page
    assert report.count("<svg") >= 2 and 'class="chart bar"' in report

    response = client.get(reverse("reports:enterprise_pdf", args=[a.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    for expected in (world.a.name, "两化融合", "诊断报告", a.score.stage_label, "基础建设", "单项应用",
                     f"{a.score.total:.1f}", "个百分点" if "个百分点" in report else "分", a.framework.sha256):
        assert expected in text.replace("\n", ""), expected
    pages = pdf_pages(response.content, tmp_path)
    assert len(pages) >= 3
    assert max(coloured_pixels(p) for p in pages) > 500  # the red and blue bars of the charts
    assert coloured_pixels(pages[0]) < max(coloured_pixels(p) for p in pages)  # the cover has no chart


def test_it_says_the_weights_are_defaults_and_escapes_names(client, reports_world, tmp_path):
    w = reports_world
    Organization.objects.filter(pk=w.a.pk).update(name="<script>alert(1)</script>甲公司")
    w.version.placeholder = True
    w.version.save()
    client.force_login(w.ent_a)
    html = client.get(f"/api/reports/enterprise/{w.scored.pk}?format=html").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;甲公司" in html
    assert 'id="placeholder-notice"' in html
    assert "提高" in _by_id(html, "summary") + html  # the change on 2024
    text = pdf_text(client.get(f"/api/reports/enterprise/{w.scored.pk}").content, tmp_path)
    assert "<script>alert(1)</script>甲公司" in text  # drawn as the text it is


def test_the_english_report_speaks_english(client, reports_world):
    client.force_login(reports_world.ent_a)
    html = client.get(f"/api/reports/enterprise/{reports_world.scored.pk}?format=html",
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Diagnosis report" in html and "Notes on the method" in html


def test_the_cli_writes_the_report_and_refuses_what_the_user_may_not_see(reports_world, tmp_path):
    w = reports_world
    runner = CliRunner()
    out = tmp_path / "a.pdf"
    result = runner.invoke(app, ["report", "enterprise", str(w.scored.pk), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF") and "两化融合" in pdf_text(out.read_bytes(), tmp_path)
    html = tmp_path / "a.html"
    result = runner.invoke(app, ["report", "enterprise", str(w.scored.pk), "--out", str(html), "--format", "html",
                                 "--user", "city_authority"])
    assert result.exit_code == 0 and services.file_name(w.scored).endswith(".pdf")
    assert w.a.name in html.read_text(encoding="utf-8")
    refused = runner.invoke(app, ["report", "enterprise", str(w.scored.pk), "--out", str(out), "--user", "ent_b"])
    assert refused.exit_code == 1 and "not found" in refused.output
    waiting = runner.invoke(app, ["report", "enterprise", str(w.submitted.pk), "--out", str(out)])
    assert waiting.exit_code == 1 and "Traceback" not in waiting.output
