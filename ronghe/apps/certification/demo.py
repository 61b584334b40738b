"""Demo 贯标 projects and 评定 cases for ``manage.py load_demo``: one case in every state of the lifecycle,
all assigned to the demo assessment body, so that ``demo_assessor`` has work, ``demo_committee`` has a
queue and the public page has certificates to verify.

Everything goes through the services (guards, audit log), with milestone and audit dates in the past.
Each project has evidence documents (small PDFs, one of them in two versions) supporting the clauses
it checked, so that the audit view shows evidence next to its clauses. Only certificate dates are
then moved back (issued 14 months ago, so that a surveillance audit is overdue; another expiring
soon, and renewed by a re-assessment in progress; another past its validity, which the daily run
records as expired): the services issue certificates today, and a demo needs history.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.utils import timezone

from ronghe.apps.certification import services
from ronghe.apps.certification.models import CaseAssessor, Certificate
from ronghe.apps.organizations.services import create_organization
from ronghe.core.certification.lifecycle import CASE, add_months

CAPABILITIES = ["柔性生产响应能力", "快速交付能力", "产品全生命周期质量追溯能力", "供应链协同管控能力",
                "设备预测性维护能力", "个性化定制能力", "精益生产管控能力", "数据驱动的经营决策能力"]
PATH = ["accept", "plan_stage1", "complete_stage1", "plan_stage2", "complete_stage2", "conclude", "confirm",
        "submit_review", "publish_notice", "issue"]
TARGETS = [  # (state the case ends in, how: a step off the main path, if any)
    ("applied", None), ("accepted", None), ("stage1_planned", None), ("stage1_done", None),
    ("stage2_planned", None), ("stage2_done", "finding"), ("concluded", None), ("confirmed", None),
    ("in_review", None), ("in_notice", "notice"), ("certified", None), ("certified", "suspend"),
    ("certified", "old"), ("certified", "expiring"), ("declined", "decline"), ("cancelled", "cancel"),
    ("refused", "refuse"), ("certified", "withdraw"), ("certified", "expired"),
]
DOCUMENTS = [("两化融合管理手册", ["4.4.3.1", "5.2"]), ("新型能力建设方案", ["6", "7"]),
             ("内部审核报告", ["9"]), ("管理评审记录", ["9", "10"])]


def _pdf(title: str) -> bytes:
    """A one-page PDF naming the document (a stand-in: the demo's evidence is not real)."""
    text = f"Demo evidence: {title.encode('unicode_escape').decode()}".replace("(", "[").replace(")", "]")
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for k, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _evidence(project, owner, versions: int) -> None:
    """The project's evidence documents, each dated when it was evidence (the milestones' days)."""
    checkable = {c.id for c in project.standard.loaded().checkable}
    with tempfile.TemporaryDirectory() as tmp:
        for k, (title, clauses) in enumerate(DOCUMENTS):
            path = Path(tmp) / f"{title}.pdf"
            doc = None
            for n in range(versions if k == 0 else 1):
                path.write_bytes(_pdf(f"{title} v{n + 1}"))
                v = services.add_evidence(project, path, original_name=path.name, title=title,
                                          evidence_date=_ago(200 - 60 * k + 30 * n),
                                          clauses=[c for c in clauses if c in checkable], evidence=doc, by=owner)
                doc = v.evidence


def _ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def load(enterprises, body, consultancy, assessor, make_user) -> dict[str, int]:
    """Create projects and cases for the first enterprises of ``enterprises``; returns counts."""
    committee_org = create_organization(kind="committee", name="演示·两化融合管理体系评定工作委员会")
    committee = make_user("demo_committee", committee_org)
    body_manager = make_user("demo_body_manager", body)
    std = services.requirement_standards().get(code="GB/T 23001-2017")
    grades = [g for g, _ in services.capability_grades()]
    by_stage = sorted(enterprises[1:], key=lambda e: -(services.latest_stage(e)[0] or 0))
    certificates = 0
    chosen = [*by_stage[:5], enterprises[0], *by_stage[5:]]  # the demo enterprise has a finding to answer
    for k, ((target, how), e) in enumerate(zip(TARGETS, chosen, strict=False)):
        manager = e.memberships.filter(role="manager").first()
        owner = manager.user if manager else make_user(f"demo_ent_{e.pk}", e)
        p = services.start_project(e, std, title=f"{e.name}两化融合管理体系贯标", owner="贯标负责人",
                                   capability=CAPABILITIES[k % len(CAPABILITIES)], capability_grade=grades[k % 3 + 1],
                                   consultancy=consultancy if k == 5 else None, by=owner)
        for j, kind in enumerate(["kickoff", "survey", "analysis", "documents", "trial_run"]):
            services.update_milestone(p, kind, owner="贯标负责人", done_on=_ago(400 - 40 * j), by=owner)
        services.update_milestone(p, "internal_audit", owner="内审组", done_on=_ago(60), by=owner)
        services.update_milestone(p, "management_review", owner="总经理", done_on=_ago(45), by=owner)
        for c in p.checks.all()[: 6 + k % 5]:
            services.check_clause(p, c.clause, conformity="conforms", owner="贯标负责人", by=owner)
        _evidence(p, owner, versions=2 if k == 5 else 1)
        case = services.apply(p, body, by=owner)
        if how in ("decline", "cancel"):
            services.transition(case, how, by=owner if how == "cancel" else body_manager, reason="演示：材料不全")
            continue
        stage, _ = services.latest_stage(e)
        grade = "A" if k % 3 == 0 else "AAA" if (stage or 0) >= 3 else "AA" if (stage or 0) >= 2 else "A"
        stop = "issue" if target == "certified" or how in ("refuse",) else next(
            (n for n in PATH if CASE.get(n).target == target), None)
        if how == "refuse":
            stop = "publish_notice"
        for name in PATH:
            if stop is None:
                break
            actor = {"confirm": owner, "publish_notice": committee, "issue": committee}.get(name, assessor)
            if name == "plan_stage1":
                services.assign_assessor(case, assessor, CaseAssessor.Role.LEAD, by=body_manager)
            kwargs = {"date": _ago(30 if name == "plan_stage1" else 20 if name == "plan_stage2" else 10)} \
                if name in ("plan_stage1", "plan_stage2", "publish_notice") else {}
            if how == "notice" and name == "publish_notice":
                kwargs["date"] = timezone.localdate()
            if name.startswith("complete_"):
                kwargs["report"] = "演示：审核按计划完成，体系运行有效。"
            if name == "conclude":
                kwargs.update(grade=grade, report=f"演示：建议给予 {grade} 级评定。")
            case = services.transition(case, name, by=actor, **kwargs)
            if name == "complete_stage2" and how == "finding":
                services.raise_finding(case, severity="minor", clause="9", description="内部审核未覆盖销售部门",
                                       evidence="抽查 2025 年内审计划与记录", due_on=_ago(-20), by=assessor)
            if name == stop:
                break
        if how == "refuse":
            services.transition(case, "refuse", by=committee, reason="演示：公示期内收到经核实的异议")
        if target == "certified":
            certificates += 1
            _history(case.certificate, how, assessor, body_manager, committee)
            if how == "expiring":  # the enterprise has applied to renew it: a re-assessment accepted
                renewal = services.apply(p, body, by=owner, previous_certificate=case.certificate)
                services.transition(renewal, "accept", by=body_manager)
    return {"cases": min(len(TARGETS), len(chosen)) + 1, "certificates": certificates}


def _history(cert: Certificate, how: str | None, assessor, body_manager, committee) -> None:
    if how == "old":  # issued 14 months ago: its first surveillance audit is overdue
        _backdate(cert, add_months(timezone.localdate(), -14))
    elif how == "expiring":  # issued almost three years ago: it expires within 90 days
        _backdate(cert, add_months(timezone.localdate(), -35))
        for s in cert.surveillances.all():
            services.certificate_transition(cert, "surveil", by=assessor, date=s.due_on, report="演示：监督审核通过")
    elif how == "expired":  # issued three years and a month ago: past its validity, not yet recorded
        _backdate(cert, add_months(timezone.localdate(), -37))
    elif how == "suspend":
        services.certificate_transition(cert, "suspend", by=body_manager, reason="演示：未按期接受监督审核")
    elif how == "withdraw":
        services.certificate_transition(cert, "withdraw", by=committee, reason="演示：企业申请注销")


def _backdate(cert: Certificate, issued: dt.date) -> None:
    valid_until = add_months(issued, 12 * (cert.valid_until.year - cert.issued_on.year)) - dt.timedelta(days=1)
    Certificate.objects.filter(pk=cert.pk).update(issued_on=issued, valid_until=valid_until)
    for k, s in enumerate(cert.surveillances.order_by("due_on"), start=1):
        s.due_on = add_months(issued, 12 * k)
        s.save(update_fields=["due_on"])
    cert.log("certificate.demo_backdated", None, issued_on=issued, valid_until=valid_until)
    cert.refresh_from_db()
