"""Shared set-up for the certification tests: a 贯标 project ready to apply, evidence files, an
approved assessment at a chosen GB/T 23020 stage, and a case driven to any state."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from django.utils import timezone

from ronghe.apps.assessments import services as assessments
from ronghe.apps.certification import services
from ronghe.apps.certification.models import Case
from ronghe.apps.frameworks.services import register_files
from tests.conftest import FILES

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
# answers of tests/files/frameworks/mini.yaml that score to each stage
STAGE_ANSWERS = {
    1: {"a1": "A", "a2": "否", "b1": "CAD", "b2": 5},
    3: {"a1": "C", "a2": "是", "b1": "CAD,PDM", "b2": 60, "b3": 35},
}


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def docx_bytes() -> bytes:
    """A minimal Office Open XML word-processing document (parts only; no content needed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def ready_project(enterprise, *, by=None, trial_days: int = 150, consultancy=None):
    """A project whose trial run started ``trial_days`` ago and whose internal audit and management
    review were done 10 and 5 days ago (so it may apply when trial_days ≥ ~100)."""
    std = services.requirement_standards().get(code="GB/T 23001-2017")
    p = services.start_project(enterprise, std, title="两化融合管理体系贯标", owner="张三",
                               capability="柔性生产响应能力", capability_grade="CL2", consultancy=consultancy, by=by)
    for kind, ago in (("kickoff", trial_days + 120), ("survey", trial_days + 90), ("analysis", trial_days + 60),
                      ("documents", trial_days + 30), ("trial_run", trial_days), ("internal_audit", 10),
                      ("management_review", 5)):
        services.update_milestone(p, kind, owner="张三", done_on=days_ago(ago), by=by)
    return p


def scored(enterprise, stage: int, year: int = 2025):
    """An approved assessment of ``enterprise`` on the mini framework at GB/T 23020 stage ``stage``."""
    (version, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    a = assessments.start(enterprise, version, year)
    assessments.save_draft(a, STAGE_ANSWERS[stage])
    assessments.submit(a)
    score = assessments.approve(a)
    assert score.stage == stage, score.stage
    return a


PATH = ["accept", "plan_stage1", "complete_stage1", "plan_stage2", "complete_stage2", "conclude", "confirm",
        "submit_review", "publish_notice", "issue"]


def drive(case: Case, world, until: str, *, grade: str = "A") -> Case:
    """Take ``case`` along the main path up to and including the transition ``until``."""
    from ronghe.apps.certification.models import CaseAssessor

    actors = {"accept": world.assessor, "plan_stage1": world.assessor, "complete_stage1": world.assessor,
              "plan_stage2": world.assessor, "complete_stage2": world.assessor, "conclude": world.assessor,
              "confirm": world.ent_a, "submit_review": world.assessor, "publish_notice": world.committee,
              "issue": world.committee}
    from ronghe.core.certification.lifecycle import CASE

    start = next(i for i, n in enumerate(PATH) if case.state in CASE.get(n).source)
    for name in PATH[start:]:
        if name == "plan_stage1" and not case.team.filter(role="lead").exists():
            services.assign_assessor(case, world.assessor, CaseAssessor.Role.LEAD, by=world.assessor)
        kwargs = {}
        if name in ("plan_stage1", "plan_stage2"):
            kwargs["date"] = days_ago(3 if name == "plan_stage1" else 1)
        if name in ("complete_stage1", "complete_stage2"):
            kwargs["report"] = "审核报告"
        if name == "conclude":
            kwargs.update(grade=grade, report="结论")
        if name == "publish_notice":
            kwargs["date"] = days_ago(30)
        case = services.transition(case, name, by=actors[name], **kwargs)
        if name == until:
            break
    return case
