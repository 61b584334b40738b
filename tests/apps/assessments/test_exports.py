"""Exports of answers and scores through one service from the page, the API and the command line:
each exports exactly what its user may see, with region and industry names and headers in the
user's language, audited; a large one becomes a background job with the same file. The file is
read back with openpyxl and opened by LibreOffice, which proves it is a real workbook."""

import io
import subprocess
import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from openpyxl import load_workbook

from ronghe.apps.assessments import services
from ronghe.apps.audit.models import AuditEvent
from ronghe.apps.jobs.models import Job
from tests.api.test_assessments_api import FULL, bearer
from tests.apps.jobs.test_jobs import work
from tests.files.libreoffice import soffice

pytestmark = pytest.mark.django_db
A, B = "杭州甲机械有限公司", "北京乙电子有限公司"


@pytest.fixture
def assessed(world, mini_version):
    """A: scored 2023, submitted 2024, a draft 2025; B: submitted 2024."""
    out = {}
    for enterprise, user, reviewer in ((world.a, world.ent_a, world.city_authority),
                                       (world.b, world.ent_b, world.other_province)):
        for year in (2023, 2024):
            if enterprise == world.b and year == 2023:
                continue
            a = services.start(enterprise, mini_version, year, by=user)
            services.save_draft(a, FULL)
            services.submit(a, by=user)
            if year == 2023:
                services.approve(a, by=reviewer)
            out[(enterprise.name, year)] = a
    out[(A, 2025)] = services.start(world.a, mini_version, 2025, by=world.ent_a)
    return out


def rows_of(content: bytes):
    wb = load_workbook(io.BytesIO(content))
    sheet = wb["mini v1"]
    values = list(sheet.iter_rows(values_only=True))
    return wb, values[0], [dict(zip(values[0], r, strict=True)) for r in values[1:]]


def test_it_exports_an_authoritys_jurisdiction_with_names_and_scores(client, world, assessed):
    client.force_login(world.city_authority)
    r = client.get("/assessments/export/")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    wb, header, rows = rows_of(b"".join(r.streaming_content))
    assert wb.sheetnames == ["导出说明", "mini v1"]
    assert header[:15] == ("编号", "企业名称", "统一社会信用代码", "行政区划", "行政区划代码", "行业", "行业代码",
                           "规模", "年度", "版本", "状态", "提交时间", "审核时间", "总分", "阶段")
    assert header[15:] == ("L 发展水平", "A 基础建设", "B 单项应用", "B1 研发", "B2 生产",
                           "nc_rate 关键工序数控化率", "a1 信息化部门设置", "a2 是否有信息化规划",
                           "b1 使用的研发工具", "b2 关键工序数控化率", "b3 每百人计算机数")
    assert [(r["企业名称"], r["年度"], r["状态"]) for r in rows] == [(A, 2024, "待审核"), (A, 2023, "审核通过")]
    scored = rows[1]
    stored = assessed[(A, 2023)].score
    assert scored["行政区划"] == "浙江省 杭州市 西湖区" and scored["行政区划代码"] == "330106"
    assert scored["行业"] == "通用设备制造业" and scored["行业代码"] == "34" and scored["规模"] == "300-1000人"
    assert scored["总分"] == pytest.approx(round(stored.total, 2)) and scored["阶段"] == stored.stage_label
    assert scored["A 基础建设"] == pytest.approx(round(stored.nodes["A"], 2))
    answers = {h.split(" ", 1)[0]: v for h, v in scored.items() if h.split(" ", 1)[0] in FULL}
    assert answers == FULL
    assert rows[0]["总分"] is None  # submitted, not scored yet
    event = AuditEvent.objects.get(action="export", actor=world.city_authority)
    assert event.data == {"what": "assessments", "rows": 2}


def test_it_exports_only_what_each_persona_may_see(client, world, assessed):
    seen = {}
    for persona in ("ent_a", "ent_b", "consultant", "other_province", "province", "assessor", "admin"):
        r = client.get("/api/assessments/export", **bearer(getattr(world, persona)))
        assert r.status_code == 200, persona
        wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
        rows = list(wb["mini v1"].iter_rows(min_row=2, values_only=True)) if "mini v1" in wb.sheetnames else []
        seen[persona] = sorted((row[1], row[8]) for row in rows)
    assert seen == {"ent_a": [(A, 2023), (A, 2024), (A, 2025)], "ent_b": [(B, 2024)],
                    "consultant": [(A, 2023), (A, 2024), (A, 2025)], "other_province": [(B, 2024)],
                    "province": [(A, 2023), (A, 2024)], "assessor": [],
                    "admin": [(B, 2024), (A, 2023), (A, 2024), (A, 2025)]}
    assert client.get("/api/assessments/export").status_code == 401
    # asking for another's enterprise by id gives nothing of it
    r = client.get("/api/assessments/export", {"enterprise": world.b.pk}, **bearer(world.ent_a))
    assert "mini v1" not in load_workbook(io.BytesIO(b"".join(r.streaming_content))).sheetnames


def test_it_filters_and_speaks_english_when_asked(client, world, assessed):
    auth = bearer(world.admin)
    r = client.get("/api/assessments/export", {"status": "scored", "region": "330100", "year": 2023},
                   HTTP_ACCEPT_LANGUAGE="en", **auth)
    wb, header, rows = rows_of(b"".join(r.streaming_content))
    assert wb.sheetnames == ["About this export", "mini v1"]
    assert header[:4] == ("Assessment ID", "Enterprise", "Credit code", "Region") and "A Foundation" in header
    assert [(row["Enterprise"], row["Status"]) for row in rows] == [(A, "Approved")]
    about = dict(wb["About this export"].iter_rows(values_only=True))
    assert about["Rows"] == 1 and "status=scored" in about["Filters"] and about["Exported by"] == "admin"
    for bad in ({"year": 1}, {"region": "33"}, {"status": "lost"}, {"framework": "../x"}, {"enterprise": 0},
                {"size": "e\x10"}):
        assert client.get("/api/assessments/export", bad, **auth).status_code == 422, bad
        client.force_login(world.admin)
        assert client.get("/assessments/export/", bad).status_code == 404, bad


def test_it_runs_a_large_export_as_a_background_job(client, world, assessed, settings,
                                                    django_capture_on_commit_callbacks):
    settings.RONGHE_INLINE_EXPORT_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get("/api/assessments/export", HTTP_ACCEPT_LANGUAGE="en", **bearer(world.ent_a))
    assert r.status_code == 202 and r.json()["rows"] == 3
    job = Job.objects.get(pk=r.json()["job"])
    assert job.kind == "assessments.export" and job.params["language"] == "en"
    client.force_login(world.city_authority)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get("/assessments/export/")
    assert page.status_code == 302 and page.url.startswith("/jobs/")
    work()
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["rows"] == 3
    with default_storage.open(job.output, "rb") as fh:
        _wb, header, rows = rows_of(fh.read())
    assert header[1] == "Enterprise" and [row["Year"] for row in rows] == [2025, 2024, 2023]
    assert AuditEvent.objects.filter(action="export", actor=world.ent_a).count() == 1


def test_it_exports_from_the_command_line_as_the_named_user(world, assessed, tmp_path):
    out = tmp_path / "export.xlsx"
    stdout = io.StringIO()
    call_command("export_assessments", "--user", "other_province", "--out", str(out), "--lang", "en",
                 stdout=stdout, stderr=io.StringIO())
    assert "1 assessments" in stdout.getvalue()
    _wb, _header, rows = rows_of(out.read_bytes())
    assert [(row["Enterprise"], row["Region"]) for row in rows] == [(B, "北京市 朝阳区")]
    assert AuditEvent.objects.get(action="export", actor=world.other_province).data["rows"] == 1
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("export_assessments", "--user", "nobody", "--out", str(out))


def test_it_writes_a_file_libreoffice_opens(client, world, assessed, tmp_path):
    """Not only openpyxl: LibreOffice converts the export to CSV, and the CSV holds the same rows."""
    exe = soffice()
    if exe is None:
        pytest.fail("LibreOffice (soffice) is missing: `make test` installs it")
    client.force_login(world.admin)
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(client.get("/assessments/export/", {"status": "scored"}).streaming_content))
    profile = tmp_path / f"lo-{uuid.uuid4().hex}"
    # the first sheet is the one LibreOffice writes to CSV: ask for the data sheet (2) by number
    subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                    'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2',
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    text = next(tmp_path.glob("export*.csv")).read_text(encoding="utf-8")
    lines = text.strip().splitlines()
    assert lines[0].startswith("编号,企业名称,统一社会信用代码,行政区划")
    assert len(lines) == 2 and A in lines[1] and "浙江省 杭州市 西湖区" in lines[1] and "集成提升" in lines[1]


def test_it_keeps_formula_like_text_as_text(client, world, assessed):
    """An enterprise name is user data: one that starts with = must be shown, never evaluated."""
    type(world.a).objects.filter(pk=world.a.pk).update(name='=HYPERLINK("http://evil.example","点我")')
    client.force_login(world.ent_a)
    wb = load_workbook(io.BytesIO(b"".join(client.get("/assessments/export/").streaming_content)))
    cell = wb["mini v1"]["B2"]
    assert cell.value == '=HYPERLINK("http://evil.example","点我")' and cell.data_type == "s"


def test_it_links_the_export_from_the_pages_that_list_assessments(client, world, assessed):
    client.force_login(world.ent_a)
    result = client.get(f"/assessments/{assessed[(A, 2023)].pk}/result/").content.decode()
    link = f"/assessments/export/?enterprise={world.a.pk}&amp;year=2023&amp;framework=mini&amp;status=scored"
    assert link in result
    r = client.get(link.replace("&amp;", "&"))
    _wb, _header, rows = rows_of(b"".join(r.streaming_content))
    assert [row["编号"] for row in rows] == [assessed[(A, 2023)].pk]  # exactly this result
    assert f"/assessments/export/?enterprise={world.a.pk}" in client.get(f"/assessments/enterprise/{world.a.pk}/") \
        .content.decode()
    client.force_login(world.city_authority)
    listing = client.get("/enterprises/", {"region": "330100", "industry": "34"}).content.decode()
    assert 'href="/assessments/export/?region=330100&amp;industry=34&amp;"' in listing


def test_it_counts_cells_too_so_a_wide_export_goes_to_the_background(client, world, assessed, settings):
    columns = 15 + 5 + 1 + 5  # identity, the mini framework's nodes, rates and items
    settings.RONGHE_INLINE_EXPORT_CELLS = 3 * columns  # ent_a's three assessments fit exactly
    assert client.get("/api/assessments/export", **bearer(world.ent_a)).status_code == 200
    settings.RONGHE_INLINE_EXPORT_CELLS = 3 * columns - 1
    r = client.get("/api/assessments/export", **bearer(world.ent_a))
    assert r.status_code == 202 and r.json()["rows"] == 3
