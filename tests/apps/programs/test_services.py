"""Programme services against the real database: eligibility with its reasons, the climb from the city to
the province within quotas, the panel with conflicts excluded, independent scoring, the shortlist, the
notice and the final list, figures and exports — each step audited, refusals writing nothing."""

import numpy as np
import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from ronghe.apps.accounts.models import Membership
from ronghe.apps.audit.models import AuditEvent
from ronghe.apps.programs import services
from ronghe.apps.programs.models import Assignment, Call, Declaration
from tests.apps.certification.helpers import PDF, scored
from tests.apps.programs.helpers import close, days, enterprise, expert, open_call, submitted

pytestmark = pytest.mark.django_db


def test_it_tells_an_enterprise_which_rule_it_misses_and_refuses_to_submit(world, tmp_path):
    call = open_call(world)
    scored(world.a, 1)
    checks = {c.rule: c for c in services.check_eligibility(call, world.a)}
    assert checks["scope.region"].ok and not checks["stage_at_least"].ok
    assert checks["stage_at_least"].message == "要求最近一次审核通过的两化融合评估达到单项覆盖及以上，目前为：起步建设"
    d = services.declare(call, world.a, title="贯标试点", by=world.ent_a)
    with pytest.raises(services.Refused) as exc:
        services.declaration_transition(d, "submit", by=world.ent_a)
    assert exc.value.code == "programs.eligible.fail" and "单项覆盖" in str(exc.value)
    d.refresh_from_db()
    assert d.state == "draft" and not d.history().filter(action="declaration.submit").exists()
    assert services.check_eligibility(call, world.b)[0].ok is False  # 北京: outside 浙江省


def test_it_needs_the_required_materials_judged_by_content(world, tmp_path):
    call = open_call(world)
    scored(world.a, 3)
    d = services.declare(call, world.a, title="贯标试点", by=world.ent_a)
    with pytest.raises(services.Refused) as exc:
        services.declaration_transition(d, "submit", by=world.ent_a)
    assert exc.value.code == "programs.materials.missing" and "申报书" in str(exc.value)
    fake = tmp_path / "申报书.pdf"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    from ronghe.core.errors import AnswerFileError

    with pytest.raises(AnswerFileError):
        services.add_material(d, "m1", fake, original_name="申报书.pdf", by=world.ent_a)
    fake.write_bytes(PDF)
    first = services.add_material(d, "m1", fake, original_name="申报书.pdf", by=world.ent_a)
    second = services.add_material(d, "m1", fake, original_name="申报书v2.pdf", by=world.ent_a)
    assert (first.number, second.number) == (1, 2) and first.file.name != second.file.name
    assert services.latest_materials(d)["m1"] == second
    d = services.declaration_transition(d, "submit", by=world.ent_a)
    assert d.state == "submitted" and d.at_authority == world.hangzhou  # the most local authority first
    assert {c["rule"] for c in d.eligibility} == {"scope.region", "stage_at_least"}


def test_it_climbs_from_the_city_to_the_province_within_the_quota(world, tmp_path):
    call = open_call(world, quota=1)
    first = submitted(call, world.a, world.ent_a, tmp_path)
    other, user = enterprise("杭州丙科技有限公司", "330106", 11)
    second = submitted(call, other, user, tmp_path)
    with pytest.raises(services.Refused) as exc:  # the province may not recommend what sits with the city
        services.declaration_transition(first, "recommend", by=world.province)
    assert exc.value.code == "programs.transition.role"
    first = services.declaration_transition(first, "recommend", by=world.city_authority)
    assert first.state == "recommended" and first.at_authority == world.zhejiang
    assert first.recommendations.get().from_authority == world.hangzhou
    with pytest.raises(services.Refused) as exc:
        services.declaration_transition(second, "recommend", by=world.city_authority)
    assert exc.value.code == "programs.quota.full" and "1" in str(exc.value)
    services.set_quota(call, world.hangzhou, 2, by=world.province)
    second = services.declaration_transition(second, "recommend", by=world.city_authority)
    with pytest.raises(services.Refused) as exc:  # at the province already: accept it, do not recommend
        services.declaration_transition(second, "recommend", by=world.province)
    assert exc.value.code == "programs.recommend.at_owner"
    assert services.declaration_transition(first, "accept", by=world.province).state == "accepted"
    second = services.declaration_transition(second, "reject", by=world.province, reason="材料不全")
    assert second.state == "rejected"
    assert second.history().filter(action="declaration.reject", data__reason="材料不全").exists()


def test_it_returns_a_declaration_for_changes_and_takes_it_again(world, tmp_path):
    call = open_call(world)
    d = submitted(call, world.a, world.ent_a, tmp_path)
    d = services.declaration_transition(d, "return_declaration", by=world.city_authority, reason="补充证明材料")
    assert d.state == "returned"
    d = services.declaration_transition(d, "submit", by=world.ent_a)
    assert d.state == "submitted" and d.at_authority == world.hangzhou


def _pool(world):
    """Five experts of 浙江省's pool: the persona (北京), one in 杭州 (same city as A), one from the
    consultancy A granted (a consulting tie), one in 宁波 and one more in 北京."""
    consultant_expert = User.objects.create_user("expert_consultant", password="x")
    Membership.objects.create(user=consultant_expert, organization=world.consultancy)
    from ronghe.apps.organizations.models import Region

    services.add_expert(world.zhejiang, consultant_expert, name="咨询专家", region=Region.objects.get(code="110105"),
                        by=world.province)
    return [expert(world, "杭州专家", "330106"), expert(world, "宁波专家", "330203"),
            expert(world, "北京专家", "110105")]


def _reviewing(world, tmp_path, *, n: int = 3, **fields):
    call = open_call(world, panel_size=5, **fields)
    decls = [submitted(call, world.a, world.ent_a, tmp_path)]
    for k in range(1, n):
        e, user = enterprise(f"宁波企业{k}", "330203", 20 + k)
        decls.append(submitted(call, e, user, tmp_path))
    for d in decls:
        if d.at_authority != world.zhejiang:
            d = services.declaration_transition(d, "recommend", by=d.at_authority.memberships.first().user)
        services.declaration_transition(d, "accept", by=world.province)
    call = close(call, world.province)
    return call, [Declaration.objects.get(pk=d.pk) for d in decls]


def test_it_excludes_conflicted_experts_and_draws_reproducibly(world, tmp_path):
    _pool(world)
    call, _ = _reviewing(world, tmp_path)
    with pytest.raises(services.Refused) as exc:
        services.call_transition(call, "start_review", by=world.province)
    assert exc.value.code == "programs.panel.none"
    members = services.draw_panel(call, by=world.province, seed=42)
    assert len(members) == 5  # the whole pool, as the panel size asks
    excluded = {(a.declaration.enterprise.name, a.expert.name): a.reason
                for a in Assignment.objects.filter(call=call, excluded=True)}
    assert set(excluded) == {("杭州甲机械有限公司", "杭州专家"), ("杭州甲机械有限公司", "咨询专家"),
                             ("宁波企业1", "宁波专家"), ("宁波企业2", "宁波专家")}
    assert "杭州市" in excluded[("杭州甲机械有限公司", "杭州专家")]
    assert "融合咨询" in excluded[("杭州甲机械有限公司", "咨询专家")]
    again = [m.expert_id for m in services.draw_panel(call, by=world.province, seed=42)]
    assert again == [m.expert_id for m in members]
    assert call.history().filter(action="call.panel_drawn", data__seed=42).count() == 2
    started = services.call_transition(call, "start_review", by=world.province)
    assert started.state == "reviewing"


def test_it_refuses_a_panel_the_pool_cannot_make_without_conflicts(world, tmp_path):
    expert(world, "杭州专家", "330106")
    call, _ = _reviewing(world, tmp_path, n=1, min_reviewers=2)
    with pytest.raises(services.Refused) as exc:
        services.draw_panel(call, by=world.province, seed=1)
    assert exc.value.code == "programs.panel.pool"
    assert not call.panel.exists()


def _score_all(call, totals):
    """Each expert scores each declaration: ``totals[(declaration index, expert name)]`` split over the
    sheet's criteria in proportion to their points."""
    criteria = services.criteria_of(call)
    decls = list(call.declarations.filter(state="accepted").order_by("pk"))
    for a in Assignment.objects.filter(call=call, excluded=False).select_related("expert__user"):
        total = totals[(decls.index(a.declaration), a.expert.name)]
        scores = {c.id: round(c.points * total / 100, 1) for c in criteria[:-1]}
        scores[criteria[-1].id] = round(total - sum(scores.values()), 1)  # the sheet adds up to ``total``
        services.save_scores(a, scores, submit=True, by=a.expert.user)


def test_it_averages_ranks_flags_and_shortlists_then_publishes_the_list(world, tmp_path):
    _pool(world)
    call, decls = _reviewing(world, tmp_path)
    services.draw_panel(call, by=world.province, seed=7)
    call = services.call_transition(call, "start_review", by=world.province)
    a = Assignment.objects.filter(call=call, excluded=False).select_related("expert__user").first()
    other = Assignment.objects.filter(call=call, excluded=False).exclude(expert=a.expert).first()
    with pytest.raises(services.Refused):  # nobody scores another expert's sheet
        services.save_scores(other, {}, by=a.expert.user)
    names = ["王专家", "咨询专家", "杭州专家", "宁波专家", "北京专家"]
    table = {0: [80, None, None, 90, 70], 1: [60, 95, 65, None, 62], 2: [85, 85, 85, None, 85]}
    _score_all(call, {(i, n): t for i, row in table.items() for n, t in zip(names, row, strict=True)
                      if t is not None})
    r = services.results(call)
    by_decl = {x["declaration"].pk: x for x in r["rows"]}
    # an independent computation of the averages, spreads and ranks from the table
    means = {i: np.mean([t for t in row if t is not None]) for i, row in table.items()}
    assert {i: by_decl[decls[i].pk]["average"] for i in table} == pytest.approx(means)
    assert [by_decl[decls[i].pk]["spread"] for i in table] == [20, 35, 0]
    assert [by_decl[decls[i].pk]["flagged"] for i in table] == [True, True, False]
    assert [by_decl[decls[i].pk]["rank"] for i in table] == [2, 3, 1]
    call = services.call_transition(call, "shortlist", by=world.province)
    states = {d.pk: d.state for d in Declaration.objects.filter(call=call)}
    assert [states[decls[i].pk] for i in table] == ["shortlisted", "not_selected", "shortlisted"]
    assert Declaration.objects.get(pk=decls[2].pk).rank == 1
    with pytest.raises(services.Refused):
        services.call_transition(call, "publish_list", by=world.province)
    call = services.call_transition(call, "publish_notice", by=world.province, date=days(-7))
    assert call.notice_end == days(-1)
    assert [d.pk for d in services.published_list(call)] == [decls[2].pk, decls[0].pk]
    call = services.call_transition(call, "publish_list", by=world.province)
    assert call.state == "published"
    assert [d.state for d in services.published_list(call)] == ["winner", "winner"]
    assert AuditEvent.objects.filter(action="declaration.win").count() == 2


def test_it_reopens_the_sheets_of_flagged_declarations(world, tmp_path):
    _pool(world)
    call, decls = _reviewing(world, tmp_path, n=2)
    services.draw_panel(call, by=world.province, seed=3)
    call = services.call_transition(call, "start_review", by=world.province)
    names = ["王专家", "咨询专家", "杭州专家", "宁波专家", "北京专家"]
    table = {0: [80, None, None, 90, 70], 1: [70, 71, 72, None, 73]}
    _score_all(call, {(i, n): t for i, row in table.items() for n, t in zip(names, row, strict=True)
                      if t is not None})
    call = services.call_transition(call, "shortlist", by=world.province)
    call = services.call_transition(call, "reopen_review", by=world.province, reason="极差过大，请复核")
    assert call.state == "reviewing"
    assert set(Declaration.objects.filter(call=call).values_list("state", flat=True)) == {"accepted"}
    open_sheets = Assignment.objects.filter(call=call, excluded=False, submitted_at__isnull=True)
    assert {a.declaration_id for a in open_sheets} == {decls[0].pk} and open_sheets.count() == 3
    with pytest.raises(services.Refused) as exc:
        services.call_transition(call, "shortlist", by=world.province)
    assert exc.value.code == "programs.sheets.missing"


def test_it_counts_declarations_pass_rates_and_winners_by_region_and_industry(world, tmp_path):
    _pool(world)
    call, _ = _reviewing(world, tmp_path)
    e, user = enterprise("宁波落选企业", "330203", 40, industry="39")
    late = submitted(open_call(world, title="另一通知"), e, user, tmp_path)
    assert late.at_authority == world.zhejiang  # 宁波 has no authority of its own here: straight to the province
    services.declaration_transition(late, "reject", by=world.province, reason="不符合试点方向")
    f = services.figures(world.zhejiang)
    regions = {r["code"]: r for r in f["by_region"]}
    assert regions["3301"]["declared"] == 1 and regions["3302"]["declared"] == 3
    assert regions["3301"]["recommended"] == 1 and regions["3301"]["accepted"] == 1
    assert f["totals"]["declared"] == 4 and f["totals"]["accepted"] == 3 and f["totals"]["winners"] == 0
    industries = {r["code"]: r for r in f["by_industry"]}
    assert industries["39"]["declared"] == 1 and industries["34"]["declared"] == 3
    assert services.figures(world.zhejiang, call)["totals"]["declared"] == 3
    assert services.figures(world.hangzhou)["totals"]["declared"] == 1  # its own jurisdiction only
    path = services.export(services.figures_frames(f), tmp_path / "f.xlsx", target=Call, what="figures",
                           by=world.province)
    sheet = load_workbook(path)["按地区"]
    assert [c.value for c in sheet[1]][:4] == ["代码", "名称", "申报数", "获推荐数"]
    assert AuditEvent.objects.filter(action="export", actor=world.province, data__what="figures").exists()


def test_only_the_services_change_a_state(world):
    call = open_call(world, publish=False)
    call.state = "published"
    with pytest.raises(PermissionError):
        call.save()


def test_it_refuses_bad_call_data_naming_each_fault(world):
    with pytest.raises(services.InputError) as exc:
        services.create_call(world.zhejiang, by=world.province, program="other", title="t", year=2026,
                             rules=[{"kind": "stage_at_least", "min": 9}],
                             criteria=[{"id": "a", "name": "x", "points": 50}])
    assert exc.value.faults[0][0] == "rules/0/stage_at_least/min"
    with pytest.raises(services.InputError) as exc:
        services.create_call(world.zhejiang, by=world.province, program="other", title="t", year=2026,
                             criteria=[{"id": "a", "name": "x", "points": 50}])
    assert exc.value.faults == [("criteria", "the points add up to 50, not 100")]
    with pytest.raises(services.InputError):
        services.create_call(world.a, by=world.ent_a, program="other", title="t", year=2026)


def test_each_step_tells_the_side_that_has_to_act_in_the_site_and_by_mail(world, tmp_path, mailoutbox,
                                                                          django_capture_on_commit_callbacks):
    from ronghe.apps.notifications.models import Notification

    def told(user):
        return list(Notification.objects.filter(user=user, verb__startswith="programs.").order_by("pk")
                    .values_list("verb", flat=True))

    world.ent_a.email = "a@example.com"
    world.ent_a.save()
    call = open_call(world, quota=2)
    with django_capture_on_commit_callbacks(execute=True):
        d = submitted(call, world.a, world.ent_a, tmp_path)
    assert told(world.city_authority) == ["programs.declaration.submit"]  # the desk it sits with
    assert told(world.province) == [] and told(world.ent_a) == []  # not the one who acted
    note = Notification.objects.get(user=world.city_authority, verb__startswith="programs.")
    assert note.title == f"{call.title} — {world.a.name}：提交申报"
    assert note.url == f"/programs/declarations/{d.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        d = services.declaration_transition(d, "return_declaration", by=world.city_authority, reason="补充证明材料")
    assert told(world.ent_a) == ["programs.declaration.return_declaration"]
    returned = Notification.objects.get(user=world.ent_a, verb__startswith="programs.")
    assert returned.body == "理由：补充证明材料" and world.a.name in returned.title
    [mail] = [m for m in mailoutbox if m.to == ["a@example.com"] and "理由" in m.body]
    assert mail.subject == f"【融合】{returned.title}" and mail.body.startswith("理由：补充证明材料\n\nhttp")
    d = services.declaration_transition(d, "submit", by=world.ent_a)
    d = services.declaration_transition(d, "recommend", by=world.city_authority)
    assert told(world.province) == ["programs.declaration.recommend"]  # the desk above now has it
    services.declaration_transition(d, "accept", by=world.province)
    assert told(world.ent_a)[-1] == "programs.declaration.accept"
