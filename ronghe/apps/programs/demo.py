"""Demo pilot programmes for ``manage.py load_demo``: 浙江省's expert pool and four calls —

- 2025 贯标试点, taken to its published list (declarations recommended by 杭州市, accepted, reviewed by a
  panel with conflicts excluded, shortlisted, under notice, published);
- 2026 工业互联网平台应用试点示范, under expert review (``demo_expert`` has sheets to score);
- 2026 智能制造试点示范, open: declarations in every early state (the demo enterprise's draft, one
  waiting for ``demo_city``, one returned, one withdrawn, one rejected);
- a draft of 浙江省.

Everything goes through the services (guards, audit log). Where a step needs time to have passed (a
deadline, the notice), the call's dates are moved back between steps, as a real call would have lived.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.utils import timezone

from ronghe.apps.organizations.models import Region
from ronghe.apps.programs import services
from ronghe.apps.programs.models import Assignment, Call

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXPERTS = [  # user, name, title, affiliation, region
    ("demo_expert", "陈明", "教授", "演示·北京某大学信息学院", "110105"),
    ("demo_expert2", "李华", "正高级工程师", "演示·某研究院", "110105"),
    ("demo_expert3", "王磊", "高级工程师", "演示·宁波某制造企业", "330203"),
    ("demo_expert4", "赵敏", "研究员", "演示·杭州某研究所", "330106"),
    ("demo_expert5", "周强", "高级咨询师", "演示·融合管理咨询有限公司", "330106"),
    ("demo_expert6", "吴静", "教授", "演示·南京某大学", "320106"),
]


def _day(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def load(enterprises, province, city, consultancy, make_user) -> dict[str, int]:
    """Create the pool and the calls for the 浙江 enterprises among ``enterprises``; returns counts."""
    province_user = province.memberships.first().user
    city_user = city.memberships.first().user
    loaded = set(Region.objects.values_list("code", flat=True))
    for k, (username, name, title, affiliation, region) in enumerate(EXPERTS):
        region = region if region in loaded else "330106" if "330106" in loaded else sorted(loaded)[-1]
        services.add_expert(province, make_user(username, None), name=name, title=title, affiliation=affiliation,
                            organization=consultancy if k == 4 else None, region=Region.objects.get(code=region),
                            by=province_user)
    zhejiang = [e for e in enterprises if (e.region_id or "").startswith("33")]
    eligible = [e for e in zhejiang[1:] if all(c.ok for c in services.check_eligibility(_probe(province), e))]
    groups = [eligible[0::3][:8], eligible[1::3][:6], eligible[2::3][:6]]  # each call its own enterprises
    for e in [e for group in groups for e in group]:  # the enterprises that declare need a person to do it
        if not e.memberships.filter(role="manager").exists():
            make_user(f"demo_ent_{e.pk}", e)
    calls = []
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "申报书.pdf"
        pdf.write_bytes(PDF)
        if groups[0]:
            calls.append(_published(province, province_user, city_user, groups[0], pdf))
        if groups[1]:
            calls.append(_reviewing(province, province_user, city_user, groups[1], pdf))
        nearby = sorted(groups[2], key=lambda e: not e.region_id.startswith(city.region_id[:4]))  # demo_city's first
        calls.append(_open(province, province_user, city_user, enterprises[0], nearby, pdf))
    calls.append(services.create_call(province, by=province_user, program="other", year=2026,
                                      title="2026年浙江省数字化转型标杆企业（草稿）", declare_from=_day(30),
                                      declare_until=_day(60), recommend_until=_day(75)))
    return {"calls": len(calls), "declarations": sum(c.declarations.count() for c in calls)}


def _probe(province) -> Call:
    """An unsaved call with the demo's rules, to choose enterprises that may declare."""
    return Call(owner=province, rules=[{"kind": "stage_at_least", "min": 2}], industries=[], sizes=[])


def _call(province, by, *, title, program, year, **extra) -> Call:
    c = services.create_call(province, by=by, title=title, program=program, year=year, declare_from=_day(-1),
                             declare_until=_day(20), recommend_until=_day(30), rules=[
                                 {"kind": "stage_at_least", "min": 2}, {"kind": "no_open_nonconformity"}],
                             materials=[{"name": "申报书", "required": True},
                                        {"name": "两化融合评估报告", "required": False}], **extra)
    return services.call_transition(c, "publish", by=by)


def _declare(c: Call, e, pdf: Path, *, submit: bool = True):
    manager = e.memberships.filter(role="manager").first()
    user = manager.user if manager else None
    d = services.declare(c, e, title=f"{e.name.split('（')[0]}{c.get_program_display()}项目", contact="项目负责人",
                         summary="以两化融合管理体系为抓手，推进研发、生产、经营管理的集成与数据贯通。", by=user)
    services.add_material(d, "m1", pdf, original_name="申报书.pdf", by=user)
    if submit:
        d = services.declaration_transition(d, "submit", by=user)
    return d, user


def _up(d, province_user, city_user):
    """Recommend a declaration that sits with 杭州市 up to the province, then accept it."""
    if d.state == "submitted" and d.at_authority_id != d.call.owner_id:
        d = services.declaration_transition(d, "recommend", by=city_user)
    return services.declaration_transition(d, "accept", by=province_user)


def _close(c: Call, by) -> Call:
    Call.objects.filter(pk=c.pk).update(declare_from=_day(-40), declare_until=_day(-1))
    c.refresh_from_db()
    return services.call_transition(c, "close", by=by)


def _review(c: Call, by, *, submit_all: bool) -> Call:
    services.draw_panel(c, by=by, seed=2025 + c.pk)
    c = services.call_transition(c, "start_review", by=by)
    criteria = services.criteria_of(c)
    sheets = list(Assignment.objects.filter(call=c, excluded=False).select_related("expert__user")
                  .order_by("declaration", "expert"))
    for k, a in enumerate(sheets):
        if not submit_all and a.expert.user.username == "demo_expert":
            continue  # left for demo_expert to score
        level = 0.6 + 0.35 * ((a.declaration_id * 7 + a.expert_id * 3) % 10) / 10
        scores = {x.id: round(x.points * level, 1) for x in criteria}
        services.save_scores(a, scores, comment="材料完整，成效较明显。", submit=submit_all or k % 3 != 0,
                             by=a.expert.user)
    return c


def _published(province, province_user, city_user, chosen, pdf) -> Call:
    c = _call(province, province_user, title="2025年浙江省两化融合管理体系贯标试点企业", program="management_system",
              year=2025, places=4, panel_size=5, min_reviewers=3)
    for e in chosen:
        d, _ = _declare(c, e, pdf)
        _up(d, province_user, city_user)
    c = _close(c, province_user)
    c = _review(c, province_user, submit_all=True)
    c = services.call_transition(c, "shortlist", by=province_user)
    c = services.call_transition(c, "publish_notice", by=province_user, date=_day(-c.notice_days - 1))
    return services.call_transition(c, "publish_list", by=province_user)


def _reviewing(province, province_user, city_user, chosen, pdf) -> Call:
    c = _call(province, province_user, title="2026年浙江省工业互联网平台应用试点示范", program="industrial_cloud",
              year=2026, places=3, panel_size=len(EXPERTS), min_reviewers=2)  # demo_expert is on it
    for e in chosen:
        d, _ = _declare(c, e, pdf)
        _up(d, province_user, city_user)
    c = _close(c, province_user)
    return _review(c, province_user, submit_all=False)


def _open(province, province_user, city_user, demo_enterprise, chosen, pdf) -> Call:
    c = _call(province, province_user, title="2026年浙江省智能制造试点示范", program="smart_manufacturing", year=2026,
              places=5, quota=3)
    services.declare(c, demo_enterprise, title="智能工厂建设项目", summary="（草稿）", by=demo_enterprise.memberships
                     .filter(role="manager").first().user)  # the demo enterprise's draft: eligibility shows why
    fates = ["waiting", "returned", "withdrawn", "rejected", "recommended", "waiting"]
    for e, fate in zip(chosen, fates, strict=False):
        d, user = _declare(c, e, pdf)
        handler = city_user if d.at_authority_id != c.owner_id else province_user
        if fate == "returned":
            services.declaration_transition(d, "return_declaration", by=handler, reason="请补充项目投资明细")
        elif fate == "withdrawn":
            services.declaration_transition(d, "withdraw", by=user, reason="企业调整申报计划")
        elif fate == "rejected":
            if d.at_authority_id != c.owner_id:
                d = services.declaration_transition(d, "recommend", by=city_user)
            services.declaration_transition(d, "reject", by=province_user, reason="不符合本次试点方向")
        elif fate == "recommended" and d.at_authority_id != c.owner_id:
            services.declaration_transition(d, "recommend", by=city_user)
    return c
