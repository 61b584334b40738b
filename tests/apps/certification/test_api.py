"""The certification API's evidence routes (multipart upload through the page's service, listing,
download) and the history it gives a case: each step's declared label in the caller's language."""

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from ronghe.apps.audit.models import AuditEvent
from ronghe.apps.certification import services
from ronghe.apps.certification.models import EvidenceVersion
from tests.apps.certification.helpers import PDF, PNG, days_ago, docx_bytes, drive, ready_project

pytestmark = pytest.mark.django_db
C = "/api/certification"


@pytest.fixture
def project(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return ready_project(world.a, by=world.ent_a, consultancy=world.consultancy)


def _upload(client, project, name, content, **fields):
    data = {"file": SimpleUploadedFile(name, content), "evidence_date": days_ago(3).isoformat(),
            "clauses": ["5.2", "4.4.3.1"], **fields}
    return client.post(f"{C}/projects/{project.pk}/evidence", data)


def test_it_uploads_versions_that_never_overwrite_each_other(client, world, project):
    client.force_login(world.consultant)  # the consultancy the enterprise granted works on the project
    r = _upload(client, project, "管理手册.pdf", PDF, title="管理手册")
    assert r.status_code == 200, r.json()
    first = r.json()
    assert (first["title"], first["number"], first["content_type"], first["clauses"]) == (
        "管理手册", 1, "application/pdf", ["4.4.3.1", "5.2"])
    assert first["evidence_date"] == days_ago(3).isoformat() and first["size"] == len(PDF)
    r = _upload(client, project, "manual-v2.docx", docx_bytes(), evidence=first["document"], clauses=["5.2"])
    second = r.json()
    assert r.status_code == 200 and (second["document"], second["number"], second["clauses"]) == (
        first["document"], 2, ["5.2"])
    v1, v2 = EvidenceVersion.objects.order_by("number")
    assert v1.file.name != v2.file.name and default_storage.open(v1.file.name).read() == PDF
    assert v2.uploaded_by == world.consultant
    assert AuditEvent.objects.filter(action="evidence.uploaded").count() == 2
    rows = client.get(f"{C}/projects/{project.pk}/evidence").json()
    assert rows["count"] == 2 and [r["number"] for r in rows["items"]] == [2, 1]
    got = client.get(f"{C}/evidence/{v1.pk}/file")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert "管理手册-v1.pdf" in got["Content-Disposition"] or "v1.pdf" in got["Content-Disposition"]


def test_it_judges_the_file_by_its_content_and_keeps_nothing_it_refuses(client, world, project, settings):
    client.force_login(world.ent_a)
    r = _upload(client, project, "report.pdf", b"MZ\x90\x00 not a pdf")  # a program named .pdf
    assert r.status_code == 422 and "不支持的证据文件类型" in r.json()["message"]
    assert r.json()["details"][0]["value"] == "report.pdf"  # the name the person gave, not a temporary one
    settings.RONGHE_EVIDENCE_MAX_BYTES = 16
    r = _upload(client, project, "big.png", PNG)
    assert r.status_code == 413 and r.json()["code"] == "too_large"
    settings.RONGHE_EVIDENCE_MAX_BYTES = 20 << 20
    assert _upload(client, project, "a.pdf", PDF, clauses=["99.9"]).status_code == 422  # not a clause of it
    r = _upload(client, project, "a.pdf", PDF, evidence_date="2200-01-01")
    assert r.status_code == 422 and r.json()["message"] == "证据日期不能晚于今天"
    assert _upload(client, project, "a.pdf", PDF, clauses=[]).status_code == 422
    assert _upload(client, project, "a.pdf", PDF, evidence=987654).status_code == 404
    assert EvidenceVersion.objects.count() == 0
    assert not default_storage.exists("evidence") or not default_storage.listdir("evidence")[1]


def test_it_lets_only_who_may_write_upload_and_only_who_may_see_download(client, world, project):
    for user in (world.ent_b, world.assessor, world.city_authority):
        client.force_login(user)
        assert _upload(client, project, "a.pdf", PDF).status_code == 404, user
    client.logout()
    assert _upload(client, project, "a.pdf", PDF).status_code == 401
    client.force_login(world.ent_a)
    v = _upload(client, project, "a.pdf", PDF).json()
    client.force_login(world.ent_b)
    assert client.get(f"{C}/evidence/{v['id']}/file").status_code == 404
    assert client.get(f"{C}/projects/{project.pk}/evidence").status_code == 404


def test_it_names_each_step_of_a_cases_history_in_the_callers_language(client, world, project):
    case = drive(services.apply(project, world.body, by=world.ent_a), world, "complete_stage2")
    f = services.raise_finding(case, severity="minor", clause="5.2", description="d", evidence="e",
                               by=world.assessor)
    services.finding_transition(f, "answer", answer="已整改", by=world.ent_a)
    client.force_login(world.assessor)
    events = client.get(f"{C}/cases/{case.pk}").json()["events"]
    labels = [e["label"] for e in events]
    assert labels[:2] == ["NC1 · 提交纠正和纠正措施", "NC1 · 开具不符合项"]
    assert {"提交评定申请", "受理申请", "评定人员已分配", "签发证书"} - set(labels) == {"签发证书"}
    accept = next(e for e in events if e["action"] == "case.accept")
    assert (accept["label"], accept["to_state_label"]) == ("受理申请", "已受理")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language the person chose
    events = client.get(f"{C}/cases/{case.pk}").json()["events"]
    accept = next(e for e in events if e["action"] == "case.accept")
    assert (accept["label"], accept["to_state_label"]) == ("Accept the application", "Accepted")
    assign = next(e for e in events if e["action"] == "case.assign")
    assert assign["label"] == "Assessor assigned"
