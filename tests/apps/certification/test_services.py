"""The certification services: projects, evidence, the case lifecycle with its guards, certificates."""

import datetime as dt

import pytest
from django.core import mail

from ronghe.apps.audit.models import AuditEvent
from ronghe.apps.certification import services
from ronghe.apps.certification.models import Case, Certificate, EvidenceVersion
from ronghe.core.errors import AnswerFileError
from tests.apps.certification.helpers import PDF, PNG, days_ago, docx_bytes, drive, ready_project, scored

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_it_starts_a_project_with_milestones_and_a_row_for_every_checkable_clause(world):
    p = ready_project(world.a, by=world.ent_a)
    assert [m.kind for m in p.milestones.all()] == ["kickoff", "survey", "analysis", "documents", "trial_run",
                                                   "internal_audit", "management_review"]
    assert list(p.checks.values_list("clause", flat=True)) == ["4", "4.4.3.1", "4.4.3.2", "4.4.3.3", "5", "5.1",
                                                               "5.2", "6", "7", "8", "9", "10"]
    services.check_clause(p, "5.1", conformity="conforms", by=world.ent_a)
    services.check_clause(p, "6", conformity="partial", due_on=days_ago(-30), by=world.ent_a)
    prog = services.progress(p)
    assert prog["milestones_done"] == 7 and prog["clauses"] == 12 and prog["gaps"] == 11
    assert services.gaps(p)[0].clause == "6"  # the one with a due date first


def test_it_refuses_a_consultancy_without_the_enterprises_grant(world):
    with pytest.raises(services.InputError):
        ready_project(world.b, consultancy=world.consultancy)


def test_it_stores_evidence_versions_by_content_and_never_overwrites(world, tmp_path):
    p = ready_project(world.a)
    f = tmp_path / "policy.docx"
    f.write_bytes(PDF)  # named .docx, but it is a PDF: the content decides
    v1 = services.add_evidence(p, f, original_name="policy.docx", evidence_date=days_ago(40),
                               clauses=["5.2", "4.4.3.1"], by=world.ent_a)
    assert v1.content_type == "application/pdf" and v1.suffix == ".pdf" and v1.number == 1
    f.write_bytes(docx_bytes())
    v2 = services.add_evidence(p, f, original_name="policy-v2.docx", evidence_date=days_ago(2), clauses=["5.2"],
                               evidence=v1.evidence, by=world.ent_a)
    assert v2.number == 2 and v2.file.name != v1.file.name and v2.suffix == ".docx"
    assert v1.file.storage.open(v1.file.name).read() == PDF  # the first version is still there, unchanged
    assert [v.number for v in services.clause_evidence(p)["5.2"]] == [2]
    assert "4.4.3.1" not in services.clause_evidence(p)  # the newest version no longer supports it


@pytest.mark.parametrize("content", [b"<html><script>alert(1)</script></html>", b"MZ\x90\x00", b"",
                                     b"PK\x03\x04not a zip"])
def test_it_refuses_evidence_that_is_not_an_accepted_kind(world, tmp_path, content):
    p = ready_project(world.a)
    f = tmp_path / "scan.pdf"
    f.write_bytes(content)
    with pytest.raises(AnswerFileError) as exc:
        services.add_evidence(p, f, original_name="scan.pdf", evidence_date=days_ago(1), clauses=["6"])
    assert exc.value.errors[0].code in {"evidence.type", "evidence.empty"}
    assert not EvidenceVersion.objects.exists()


def test_it_refuses_evidence_over_the_size_limit(world, tmp_path, settings):
    settings.RONGHE_EVIDENCE_MAX_BYTES = 100
    f = tmp_path / "big.png"
    f.write_bytes(PNG + b"\x00" * 200)
    with pytest.raises(AnswerFileError) as exc:
        services.add_evidence(ready_project(world.a), f, original_name="big.png", evidence_date=days_ago(1),
                              clauses=["6"])
    assert exc.value.errors[0].code == "file.too_large"


def test_it_refuses_an_application_before_three_months_of_trial_run(world):
    p = ready_project(world.a, trial_days=60)
    with pytest.raises(services.Refused) as exc:
        services.apply(p, world.body, by=world.ent_a)
    assert exc.value.code == "cert.trial_run.short" and "3 个月" in str(exc.value)
    assert not Case.objects.exists()


def test_it_refuses_an_internal_audit_held_too_early_in_the_trial_run(world):
    p = ready_project(world.a, trial_days=100)
    services.update_milestone(p, "internal_audit", done_on=days_ago(95))
    with pytest.raises(services.Refused) as exc:
        services.apply(p, world.body, by=world.ent_a)
    assert exc.value.code == "cert.internal_audit.early"


def test_it_takes_a_case_from_application_to_certificate_with_an_audit_record_per_step(world):
    p = ready_project(world.a, by=world.ent_a)
    case = services.apply(p, world.body, by=world.ent_a)
    case = drive(case, world, "issue")
    assert case.state == "certified"
    cert = Certificate.objects.get(case=case)
    assert cert.state == "valid" and cert.grade == "A" and cert.standard.code == "GB/T 23001-2017"
    assert cert.valid_until == dt.date(cert.issued_on.year + 3, cert.issued_on.month, cert.issued_on.day) - \
        dt.timedelta(days=1)
    assert cert.surveillances.count() == 2
    events = list(case.history().order_by("at", "id").values_list("action", "data__from_state", "data__to_state"))
    assert [e for e in events if e[0] != "case.assign"][:3] == [
        ("case.apply", "new", "applied"), ("case.accept", "applied", "accepted"),
        ("case.plan_stage1", "accepted", "stage1_planned")]
    assert list(services.verify(cert.number)) == [cert]
    assert list(services.verify("杭州甲")) == [cert]


def test_it_refuses_a_step_from_the_wrong_state_or_role_in_chinese(world):
    case = services.apply(ready_project(world.a), world.body, by=world.ent_a)
    with pytest.raises(services.Refused) as exc:
        services.transition(case, "issue", by=world.committee)
    assert "当前状态为“已申请”" in str(exc.value)
    with pytest.raises(services.Refused) as exc:
        services.transition(case, "accept", by=world.other_assessor)
    assert exc.value.code == "cert.transition.role" and "评定机构" in str(exc.value)
    before = AuditEvent.objects.count()
    with pytest.raises(services.Refused):
        services.transition(case, "plan_stage1", by=world.assessor, date=days_ago(1))
    case.refresh_from_db()
    assert case.state == "applied" and AuditEvent.objects.count() == before


def test_it_needs_a_lead_assessor_to_plan_and_closed_findings_to_conclude(world):
    case = services.apply(ready_project(world.a), world.body, by=world.ent_a)
    case = services.transition(case, "accept", by=world.assessor)
    with pytest.raises(services.Refused) as exc:
        services.transition(case, "plan_stage1", by=world.assessor, date=days_ago(1))
    assert exc.value.code == "cert.team.missing"
    case = drive(case, world, "complete_stage2")
    f = services.raise_finding(case, severity="minor", clause="9", description="内部审核未覆盖全部部门",
                               evidence="抽查审核记录", by=world.assessor)
    with pytest.raises(services.Refused) as exc:
        services.transition(case, "conclude", by=world.assessor, grade="A", report="结论")
    assert exc.value.code == "cert.findings.open"
    with pytest.raises(services.Refused):
        services.finding_transition(f, "answer", by=world.assessor, answer="已补充")  # the enterprise answers
    services.finding_transition(f, "answer", by=world.ent_a, answer="已补充审核")
    services.finding_transition(f, "verify", by=world.assessor)
    case = services.transition(case, "conclude", by=world.assessor, grade="A", report="结论")
    assert case.state == "concluded"


@pytest.mark.parametrize(("stage", "grade", "ok"), [(None, "AA", False), (1, "AA", False), (3, "AA", True),
                                                    (1, "AAA", False), (3, "AAA", True), (None, "A", True)])
def test_it_grants_aa_and_aaa_only_on_the_latest_approved_stage(world, stage, grade, ok):
    if stage is not None:
        scored(world.a, stage)
    case = drive(services.apply(ready_project(world.a), world.body, by=world.ent_a), world, "complete_stage2")
    if ok:
        assert services.transition(case, "conclude", by=world.assessor, grade=grade, report="r").grade == grade
    else:
        with pytest.raises(services.Refused) as exc:
            services.transition(case, "conclude", by=world.assessor, grade=grade, report="r")
        assert exc.value.code == f"cert.grade.{grade.lower()}"


def test_it_refuses_an_assessor_whose_organisation_consulted_the_enterprise(world):
    world.consultant.memberships.create(organization=world.body)  # the consultant also works for the body
    case = services.apply(ready_project(world.a), world.body, by=world.ent_a)
    with pytest.raises(services.Refused) as exc:
        services.assign_assessor(case, world.consultant, "lead", by=world.assessor)
    assert exc.value.code == "cert.assign.conflict" and "融合咨询" in str(exc.value)
    with pytest.raises(services.Refused):
        services.assign_assessor(case, world.other_assessor, "lead", by=world.assessor)  # another body's


def test_it_waits_for_the_notice_period_before_issuing(world, settings):
    settings.RONGHE_CERT_NOTICE_DAYS = 10
    case = drive(services.apply(ready_project(world.a), world.body, by=world.ent_a), world, "submit_review")
    case = services.transition(case, "publish_notice", by=world.committee, date=days_ago(3))
    with pytest.raises(services.Refused) as exc:
        services.transition(case, "issue", by=world.committee)
    assert exc.value.code == "cert.notice.running"


def test_it_notifies_people_only_once_the_change_is_committed(world, django_capture_on_commit_callbacks):
    world.ent_a.email = "a@example.com"
    world.ent_a.save()
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks() as callbacks:
        services.apply(ready_project(world.a), world.body, by=world.ent_a)
    assert len(mail.outbox) == sent  # nothing before the commit
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox[sent:]] == [["a@example.com"]]


def test_it_suspends_reinstates_changes_and_expires_a_certificate(world):
    cert = drive(services.apply(ready_project(world.a), world.body, by=world.ent_a), world, "issue").certificate
    cert = services.certificate_transition(cert, "surveil", by=world.assessor, report="监督审核通过")
    assert cert.surveillances.filter(done_on__isnull=False).count() == 1
    cert = services.certificate_transition(cert, "suspend", by=world.assessor, reason="监督审核发现严重不符合")
    assert cert.state == "suspended"
    cert = services.certificate_transition(cert, "reinstate", by=world.committee, reason="整改完成")
    cert = services.certificate_transition(cert, "change", by=world.assessor, reason="企业更名",
                                           changes={"enterprise_name": "杭州甲智能装备有限公司"})
    assert cert.revision == 2 and list(services.verify("杭州甲智能")) == [cert]
    with pytest.raises(services.Refused):
        services.certificate_transition(cert, "expire", by=None, system=True)
    Certificate.objects.filter(pk=cert.pk).update(valid_until=days_ago(1))
    assert services.expire_certificates() == 1
    cert.refresh_from_db()
    assert cert.state == "expired"
    with pytest.raises(services.Refused):
        services.certificate_transition(cert, "reinstate", by=world.committee, reason="x")


def test_it_renews_a_certificate_by_reassessment(world):
    cert = drive(services.apply(ready_project(world.a), world.body, by=world.ent_a), world, "issue").certificate
    case = services.apply(cert.case.project, world.body, by=world.ent_a, previous_certificate=cert)
    assert case.kind == "reassessment"
    new = drive(case, world, "issue").certificate
    cert.refresh_from_db()
    assert cert.state == "superseded" and new.state == "valid"


def test_it_issues_the_renewal_of_a_certificate_that_expired_during_its_reassessment(world):
    cert = drive(services.apply(ready_project(world.a), world.body, by=world.ent_a), world, "issue").certificate
    case = services.apply(cert.case.project, world.body, by=world.ent_a, previous_certificate=cert)
    Certificate.objects.filter(pk=cert.pk).update(valid_until=days_ago(1))  # the old one ran out meanwhile
    assert services.expire_certificates() == 1
    new = drive(case, world, "issue").certificate
    cert.refresh_from_db()
    assert cert.state == "expired" and new.state == "valid"  # it stays expired: nothing to supersede


def test_it_refuses_a_second_open_application(world):
    p = ready_project(world.a)
    services.apply(p, world.body, by=world.ent_a)
    with pytest.raises(services.Refused) as exc:
        services.apply(p, world.other_body, by=world.ent_a)
    assert exc.value.code == "cert.case.open"


def test_it_refuses_a_direct_save_of_a_new_state(world):
    case = services.apply(ready_project(world.a), world.body, by=world.ent_a)
    case.state = "certified"
    with pytest.raises(PermissionError):
        case.save()
