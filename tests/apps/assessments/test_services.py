import pytest

from ronghe.apps.accounts import access
from ronghe.apps.assessments import services
from ronghe.apps.assessments.models import Assessment
from ronghe.core.errors import AnswerFileError

pytestmark = pytest.mark.django_db

FULL = {"a1": "C", "a2": "是", "b1": "CAD,PDM", "b2": 60, "b3": 35}  # scores 84.9, stage 3 (test_score.py)


def test_it_runs_draft_submit_approve_and_stores_the_score_with_the_files_sha256(world, mini_version):
    a = services.start(world.a, mini_version, 2025, by=world.ent_a)
    assert services.start(world.a, mini_version, 2025) == a  # the open draft is reused
    errors = services.save_draft(a, {"a1": "Z", "b2": 60}, by=world.ent_a)
    assert [(e.column, e.reason) for e in errors] == [("a1", "a1 没有这个选项；请从 A, B, C, D 中选择")]
    a.refresh_from_db()
    assert a.answers == {"b2": 60}  # a value invalid for its item is reported, not stored
    with pytest.raises(AnswerFileError):
        services.submit(a, by=world.ent_a)
    services.save_draft(a, FULL, by=world.ent_a)
    services.submit(a, by=world.ent_a)
    s = services.approve(a, by=world.city_authority)
    a.refresh_from_db()
    assert a.status == Assessment.Status.SCORED and a.reviewed_by == world.city_authority
    assert s.total == pytest.approx(84.9) and (s.stage, s.stage_label) == (3, "集成提升")
    assert s.framework_sha256 == mini_version.sha256 and s.rates == {"nc_rate": 60.0}
    assert s.diagnosis["next_stage"] is None
    assert [e.action for e in a.history()] == ["assessment.approved", "assessment.submitted", "assessment.started"]


def test_it_refuses_to_submit_with_a_required_question_unanswered(world, mini_version):
    a = services.start(world.a, mini_version, 2025)
    services.save_draft(a, {k: v for k, v in FULL.items() if k != "b1"})
    with pytest.raises(AnswerFileError) as exc:
        services.submit(a)
    assert [(e.column, e.reason) for e in exc.value.errors] == [("b1", "必答题未作答")]


def test_it_never_changes_a_submitted_assessment(world, mini_version):
    a = services.start(world.a, mini_version, 2025)
    services.save_draft(a, FULL)
    services.submit(a)
    with pytest.raises(services.WorkflowError, match="待审核"):
        services.save_draft(a, {"a1": "A"})
    a.refresh_from_db()
    a.answers = {**a.answers, "a1": "A"}
    with pytest.raises(PermissionError):
        a.save()


def test_it_rejects_with_a_reason_and_revises_as_a_new_version(world, mini_version):
    a = services.start(world.a, mini_version, 2025)
    services.save_draft(a, FULL)
    services.submit(a)
    with pytest.raises(services.WorkflowError, match="理由"):
        services.reject(a, "  ")
    services.reject(a, "b2 与统计数据不符", by=world.city_authority)
    v2 = services.revise(a, by=world.ent_a)
    assert (v2.version, v2.previous_id, v2.status, v2.answers) == (2, a.pk, "draft", FULL)
    assert [x.version for x in services.history(world.a)] == [2, 1]
    with pytest.raises(services.WorkflowError):
        services.approve(a)  # the rejected version stays rejected


def test_it_lets_only_the_regions_authority_review_and_hides_assessments_from_outsiders(world, mini_version):
    a = services.start(world.a, mini_version, 2025)
    assert access.can_review(world.city_authority, world.a) and access.can_review(world.admin, world.a)
    assert not access.can_review(world.other_province, world.a)
    assert not access.can_review(world.ent_a, world.a) and not access.can_review(world.consultant, world.a)
    assert access.get_assessment_for_user(world.consultant, a.pk, write=True) == a
    for outsider in (world.ent_b, world.other_province, world.assessor):
        with pytest.raises(Exception, match="no such assessment"):
            access.get_assessment_for_user(outsider, a.pk)
    with pytest.raises(Exception, match="no such assessment"):
        access.get_assessment_for_user(world.city_authority, a.pk, write=True)  # authorities read only


def test_it_checks_draft_values_by_type_and_drops_unknown_items(world, mini_version):
    a = services.start(world.a, mini_version, 2025)
    services.save_draft(a, {"a1": "B", "b2": 50})
    problems = services.save_draft(a, {"b2": "NaN", "zz": 1, "b1": ["CAD", "PDM"], "a2": "x" * 500})
    assert [(e.column, e.reason) for e in problems] == [
        ("zz", "不是本评估框架的题目，已忽略"), ("a2", "超过 200 个字符"),
        ("b2", "b2 应填数字（单位：%）")]
    a.refresh_from_db()
    assert a.answers == {"a1": "B", "b1": "CAD,PDM"}  # the typed NaN cleared b2; nothing unknown is kept


def test_it_refuses_a_year_outside_the_framework_and_next_year(world, mini_version):
    from django.utils import timezone

    next_year = timezone.localdate().year + 1
    for year in (1999, next_year + 1, -1, 2**70):
        with pytest.raises(services.InputError, match=f"2000 至 {next_year}"):
            services.start(world.a, mini_version, year)
    assert services.start(world.a, mini_version, next_year).year == next_year


def test_it_keeps_reviewers_independent_of_what_they_review(world, mini_version):
    """Separation of duties: an authority that made itself a member of the enterprise, or that
    submitted the assessment itself, cannot approve it."""
    from ronghe.apps.accounts.models import Membership

    a = services.start(world.a, mini_version, 2025, by=world.ent_a)
    services.save_draft(a, FULL)
    services.submit(a, by=world.ent_a)
    member = Membership.objects.create(user=world.city_authority, organization=world.a)
    with pytest.raises(services.WorkflowError, match="您为该企业工作"):
        services.approve(a, by=world.city_authority)
    with pytest.raises(services.WorkflowError, match="您为该企业工作"):
        services.reject(a, "no", by=world.city_authority)
    member.delete()
    with pytest.raises(services.WorkflowError, match="您为该企业工作"):
        services.approve(a, by=world.consultant)  # the consultancy A granted works for A
    b = services.start(world.b, mini_version, 2025, by=world.other_province)
    services.save_draft(b, FULL)
    services.submit(b, by=world.other_province)
    with pytest.raises(services.WorkflowError, match="由您创建或提交"):
        services.approve(b, by=world.other_province)
    assert services.approve(a, by=world.city_authority).total == pytest.approx(84.9)
