"""The certification pages through the real URLconf: uploads, downloads, exports, the public look-up's
rate limit, the authority's figures and the assessor's work page."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ronghe.apps.audit.models import AuditEvent
from ronghe.apps.certification import services
from ronghe.apps.certification.models import EvidenceVersion
from tests.apps.certification.helpers import PDF, days_ago, drive, ready_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return drive(services.apply(ready_project(world.a, by=world.ent_a), world.body, by=world.ent_a), world, "issue")


def test_it_uploads_evidence_through_the_page_and_serves_it_only_to_who_may_see_it(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    p = ready_project(world.a)
    client.force_login(world.consultant)  # the granted consultancy works on the project
    r = client.post(f"/certification/projects/{p.pk}/evidence/", {
        "file": SimpleUploadedFile("手册.pdf", PDF), "evidence_date": days_ago(3).isoformat(), "clauses": ["5.2"]})
    assert r.status_code == 302
    v = EvidenceVersion.objects.get()
    assert v.clauses.get().clause == "5.2" and v.uploaded_by == world.consultant
    r = client.post(f"/certification/projects/{p.pk}/evidence/", {
        "file": SimpleUploadedFile("evil.pdf", b"<script>"), "evidence_date": days_ago(3).isoformat(),
        "clauses": ["5.2"]}, follow=True)
    assert "不支持的证据文件类型" in r.content.decode() and EvidenceVersion.objects.count() == 1
    got = client.get(f"/certification/evidence/{v.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    client.force_login(world.ent_b)
    assert client.get(f"/certification/evidence/{v.pk}/").status_code == 404


def test_it_records_a_clause_self_check_from_the_page(client, world):
    p = ready_project(world.a)
    client.force_login(world.ent_a)
    client.post(f"/certification/projects/{p.pk}/clauses/", {"clause": "6", "conformity": "partial", "owner": "李四"})
    assert p.checks.get(clause="6").conformity == "partial"
    page = client.get(f"/certification/projects/{p.pk}/").content.decode()
    assert "部分符合" in page and "李四" in page  # in the gap list


def test_it_rate_limits_the_public_look_up_through_the_cache(client, certified, settings):
    settings.RONGHE_VERIFY_RATE = "3/60"
    for _ in range(3):
        assert client.get("/certification/verify/", {"q": certified.certificate.number}).status_code == 200
    assert client.get("/certification/verify/", {"q": "杭州"}).status_code == 429
    r = client.get("/api/certification/verify", {"q": "杭州"})
    assert r.status_code == 429 and r.json()["code"] == "throttled"


def test_it_exports_the_registry_as_xlsx_and_records_the_export(client, world, certified):
    client.force_login(world.city_authority)
    r = client.get("/certification/certificates/export/", {"format": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.values)
    assert rows[0][:3] == ("证书编号", "企业名称", "统一社会信用代码")
    assert rows[1][0] == certified.certificate.number and rows[1][13] == "有效"
    assert AuditEvent.objects.filter(action="export", actor=world.city_authority).exists()
    client.force_login(world.other_province)  # another jurisdiction: an empty registry
    csv = client.get("/certification/certificates/export/", {"format": "csv"}).content.decode("utf-8-sig")
    assert csv.strip().count("\n") == 0


def test_it_shows_an_authority_the_figures_of_its_jurisdiction(client, world, certified):
    client.force_login(world.city_authority)
    f = client.get("/api/certification/figures").json()
    assert f["totals"]["projects"] == 1 and f["totals"]["valid"] == 1 and f["totals"]["A"] == 1
    assert f["by_region"] == [{"code": "330106", "name": "西湖区", "projects": 1, "cases": 1, "A": 1, "AA": 0,
                               "AAA": 0, "expiring": 0}]
    assert f["by_industry"][0]["code"] == "34"
    client.force_login(world.other_province)
    assert client.get("/api/certification/figures").json()["totals"]["projects"] == 0
    client.force_login(world.city_authority)
    assert "西湖区" in client.get("/certification/figures/").content.decode()


def test_it_shows_the_assessor_its_work_and_lands_it_there_after_login(client, world):
    services.apply(ready_project(world.a), world.body, by=world.ent_a)
    from tests.base import PASSWORD

    r = client.post("/accounts/login/", {"username": "assessor", "password": PASSWORD})
    assert r["Location"] == "/certification/"
    page = client.get("/certification/").content.decode()
    assert "已申请" in page and world.a.name in page
    client.force_login(world.other_assessor)
    assert world.a.name not in client.get("/certification/").content.decode()


def test_it_shows_the_history_in_words_in_the_chosen_language(client, world, certified):
    from django.conf import settings

    client.force_login(world.ent_a)
    page = client.get(f"/certification/cases/{certified.pk}/").content.decode()
    assert "受理申请 → 已受理" in page and "签发证书 → 已发证" in page
    assert ">case.accept<" not in page and "→ accepted" not in page
    cert = client.get(f"/certification/certificates/{certified.certificate.pk}/").content.decode()
    assert "签发证书 → 有效" in cert
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/certification/cases/{certified.pk}/").content.decode()
    assert "Accept the application → Accepted" in page and "受理申请" not in page
