"""Programme pages: a call drafted through its form, eligibility with reasons on the call's page, materials
refused by content, an expert who sees only their own scores, the results with flagged spreads, exports."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ronghe.apps.audit.models import AuditEvent
from ronghe.apps.programs import services
from ronghe.apps.programs.models import Assignment, Call
from tests.apps.certification.helpers import PDF, scored
from tests.apps.programs.helpers import close, days, enterprise, expert, open_call, submitted

pytestmark = pytest.mark.django_db

FORM = {"program": "smart_manufacturing", "title": "2026年智能制造试点示范", "year": 2026, "description": "",
        "declare_from": days(0).isoformat(), "declare_until": days(10).isoformat(),
        "recommend_until": days(20).isoformat(), "materials": "申报书\n[可选] 证明材料", "min_stage": "2",
        "min_total": "55", "min_grade": "", "assessed_since": "2024", "criteria": "基础条件 40\n创新性 | 60 | 新",
        "places": 5, "pass_mark": 60, "quota": 3, "panel_size": 5, "min_reviewers": 3, "spread_limit": 20,
        "avoid_level": "city", "notice_days": 7}


def test_an_authority_drafts_a_call_through_its_form(client, world):
    client.force_login(world.province)
    assert client.get(reverse("programs:new_call")).status_code == 200
    bad = client.post(reverse("programs:new_call"), {**FORM, "owner": world.zhejiang.pk, "criteria": "基础条件 40"})
    assert bad.status_code == 200 and "the points add up to 40, not 100" in bad.content.decode()
    assert not Call.objects.exists()
    r = client.post(reverse("programs:new_call"), {**FORM, "owner": world.zhejiang.pk})
    call = Call.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("programs:call", args=[call.pk])
    assert call.rules == [{"kind": "stage_at_least", "min": 2}, {"kind": "total_at_least", "min": 55.0},
                          {"kind": "assessed_since", "year": 2024}]
    assert [(c["name"], c["points"], c["guidance"]) for c in call.criteria] == [("基础条件", 40, ""),
                                                                               ("创新性", 60, "新")]
    assert call.materials == [{"id": "m1", "name": "申报书", "required": True},
                              {"id": "m2", "name": "证明材料", "required": False}]
    body = client.get(reverse("programs:call", args=[call.pk])).content.decode()
    assert "最近一次审核通过的评估总分不低于 55" in body and 'data-step="publish"' in body
    edit = client.get(reverse("programs:edit_call", args=[call.pk])).content.decode()
    assert "创新性 | 60 | 新" in edit


def test_an_enterprise_sees_why_it_may_not_declare(client, world):
    call = open_call(world)
    scored(world.a, 1)
    client.force_login(world.ent_a)
    body = client.get(reverse("programs:call", args=[call.pk])).content.decode()
    assert 'class="fail" data-rule="stage_at_least"' in body
    assert "要求最近一次审核通过的两化融合评估达到单项覆盖及以上，目前为：起步建设" in body
    r = client.post(reverse("programs:declare", args=[call.pk]), {"enterprise": world.a.pk, "title": "贯标试点"})
    d = world.a.declarations.get()
    assert r["Location"] == reverse("programs:declaration", args=[d.pk])
    r = client.post(reverse("programs:declaration_transition", args=[d.pk]), {"name": "submit"}, follow=True)
    assert "不符合申报条件" in r.content.decode()


def test_a_material_is_judged_by_its_content(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call = open_call(world)
    d = services.declare(call, world.a, title="贯标试点", by=world.ent_a)
    client.force_login(world.ent_a)
    url = reverse("programs:upload_material", args=[d.pk])
    fake = io.BytesIO(b"MZ\x90\x00 not a pdf")
    fake.name = "申报书.pdf"
    r = client.post(url, {"kind": "m1", "file": fake}, follow=True)
    assert "不支持的证据文件类型" in r.content.decode() and not d.materials.exists()
    good = io.BytesIO(PDF)
    good.name = "申报书.pdf"
    client.post(url, {"kind": "m1", "file": good})
    m = d.materials.get()
    r = client.get(reverse("programs:material_file", args=[m.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF


def _scored_review(world, tmp_path):
    expert(world, "宁波专家", "330203")
    expert(world, "北京专家", "110105")
    call = open_call(world, panel_size=3, min_reviewers=2, spread_limit=10)
    d = submitted(call, world.a, world.ent_a, tmp_path)
    d = services.declaration_transition(d, "recommend", by=world.city_authority)
    services.declaration_transition(d, "accept", by=world.province)
    call = close(call, world.province)
    services.draw_panel(call, by=world.province, seed=5)
    return services.call_transition(call, "start_review", by=world.province)


def test_an_expert_scores_alone_and_sees_no_other_experts_scores(client, world, tmp_path):
    call = _scored_review(world, tmp_path)
    other = Assignment.objects.filter(call=call).exclude(expert__user=world.expert).select_related("expert__user")[0]
    services.save_scores(other, {"c1": 23.4, "c2": 27.7, "c3": 21.9, "c4": 17.3}, submit=True, by=other.expert.user)
    mine = Assignment.objects.get(call=call, expert__user=world.expert)
    client.force_login(world.expert)
    body = client.get(reverse("programs:score", args=[mine.pk])).content.decode()
    assert "杭州甲机械有限公司" in body and "23.4" not in body and "27.7" not in body
    assert client.get(reverse("programs:score", args=[other.pk])).status_code == 404
    r = client.post(reverse("programs:score", args=[mine.pk]), {"c_c1": "30", "c_c2": "20", "action": "submit"},
                    follow=True)
    assert Assignment.objects.get(pk=mine.pk).submitted_at is None  # 30 > 25 points: refused by the form
    client.post(reverse("programs:score", args=[mine.pk]), {"c_c1": "15", "c_c2": "20", "c_c3": "15", "c_c4": "10",
                                                            "action": "submit"})
    assert Assignment.objects.get(pk=mine.pk).submitted_at is not None
    client.force_login(world.province)
    body = client.get(reverse("programs:results", args=[call.pk])).content.decode()
    assert "90.3" in body and "60.0" in body and "badge refused" in body  # spread 30.3 > 10 is flagged
    r = client.get(reverse("programs:export"), {"what": "results", "call": call.pk, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(r.content))["评审结果"]
    assert [c.value for c in sheet[2]][:2] == [1, "杭州甲机械有限公司"]
    assert AuditEvent.objects.filter(action="export", data__what="results", actor=world.province).exists()
    client.force_login(world.city_authority)  # not the call's authority
    assert client.get(reverse("programs:export"), {"what": "results", "call": call.pk}).status_code == 404


def test_figures_by_region_and_a_results_csv_that_no_spreadsheet_runs(client, world, tmp_path):
    e, user = enterprise("=HYPERLINK(\"http://x\")", "330203", 50)
    call = open_call(world)
    d = submitted(call, e, user, tmp_path)
    services.declaration_transition(d, "accept", by=world.province)
    client.force_login(world.province)
    body = client.get(reverse("programs:figures")).content.decode()
    assert 'id="by-region"' in body and "宁波市" in body
    r = client.get(reverse("programs:export"), {"what": "figures", "format": "csv"})
    assert r.status_code == 200 and "申报数" in r.content.decode("utf-8-sig")
    r = client.get(reverse("programs:export"), {"what": "results", "call": call.pk, "format": "csv"})
    assert "'=HYPERLINK" in r.content.decode("utf-8-sig")


def test_an_expert_opens_a_sheet_only_once_the_review_has_started(client, world, tmp_path):
    expert(world, "宁波专家", "330203")
    call = open_call(world, panel_size=2, min_reviewers=2)
    d = submitted(call, world.a, world.ent_a, tmp_path)
    d = services.declaration_transition(d, "recommend", by=world.city_authority)
    services.declaration_transition(d, "accept", by=world.province)
    call = close(call, world.province)
    services.draw_panel(call, by=world.province, seed=1)  # the panel may still be drawn again
    sheet = Assignment.objects.get(call=call, expert__user=world.expert)
    client.force_login(world.expert)
    body = client.get(reverse("programs:reviews")).content.decode()
    assert "杭州甲机械有限公司" in body and reverse("programs:score", args=[sheet.pk]) not in body
    assert client.get(reverse("programs:score", args=[sheet.pk])).status_code == 404
    assert client.get(reverse("programs:declaration", args=[d.pk])).status_code == 404
    services.call_transition(call, "start_review", by=world.province)
    assert reverse("programs:score", args=[sheet.pk]) in client.get(reverse("programs:reviews")).content.decode()
    assert client.get(reverse("programs:score", args=[sheet.pk])).status_code == 200
