import json
from collections import defaultdict

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from ronghe.apps.accounts import access
from ronghe.apps.assessments.models import Assessment
from ronghe.apps.frameworks.services import sync_shipped
from ronghe.apps.organizations import services
from ronghe.apps.organizations.models import Organization
from ronghe.apps.organizations.services import PLACEHOLDERS
from tests.base import load_test_codes

pytestmark = pytest.mark.django_db

LEVEL = [  # real codes, with the 市辖区 placeholders the npm package has
    {"code": "330000", "name": "浙江省", "children": [
        {"code": "330100", "name": "杭州市", "children": [
            {"code": "330101", "name": "市辖区"}, {"code": "330106", "name": "西湖区"},
            {"code": "330108", "name": "滨江区"}]},
        {"code": "330200", "name": "宁波市", "children": [
            {"code": "330201", "name": "市辖区"}, {"code": "330203", "name": "海曙区"}]}]},
    {"code": "320000", "name": "江苏省", "children": [
        {"code": "320100", "name": "南京市", "children": [{"code": "320101", "name": "市辖区"},
                                                         {"code": "320102", "name": "玄武区"}]},
        {"code": "320500", "name": "苏州市", "children": [{"code": "320501", "name": "市辖区"},
                                                         {"code": "320508", "name": "姑苏区"}]}]},
    {"code": "110000", "name": "北京市", "children": [
        {"code": "110100", "name": "北京市", "children": [{"code": "110105", "name": "朝阳区"}]}]},
]


def _load(tmp_path, n):
    dist = tmp_path / "pcc" / "dist"
    dist.mkdir(parents=True)
    (dist / "level.json").write_text(json.dumps(LEVEL, ensure_ascii=False), encoding="utf-8")
    services.load_codes(tmp_path / "pcc")
    sync_shipped()
    call_command("load_demo", enterprises=n)


def test_it_loads_demo_enterprises_accounts_and_their_history(tmp_path, capsys):
    load_test_codes(tmp_path)  # 浙江 and 北京 counties only: demo provinces without counties get none
    sync_shipped()
    call_command("load_demo", enterprises=14)
    out = capsys.readouterr().out
    assert "demo_enterprise" in out and "demo_city" in out and "waiting for review" in out
    scored = Assessment.objects.filter(status="scored", enterprise__name__regex=r"^演示企业[0-9]")
    assert list(scored.values_list("year", flat=True).distinct().order_by("year")) == [2022, 2023, 2024, 2025]
    first = Organization.objects.get(memberships__user__username="demo_enterprise")
    assert first.region_id == "330106" and first.name.startswith("演示企业001·杭州")
    assert sorted(scored.filter(enterprise=first).values_list("year", flat=True)) == [2022, 2023, 2024, 2025]
    city = User.objects.get(username="demo_city")
    seen = access.enterprises_for_user(city)
    assert seen.exists() and all(e.region_id.startswith("3301") for e in seen)
    call_command("load_demo")  # idempotent
    assert "already loaded" in capsys.readouterr().out


def test_the_demo_looks_like_a_real_population_with_work_for_each_role(tmp_path):
    _load(tmp_path, 40)
    base = list(Organization.objects.filter(kind="enterprise", name__regex=r"^演示企业[0-9]").select_related("region"))
    assert len(base) == 40
    assert all(e.region.level == "county" and e.region.name not in PLACEHOLDERS for e in base)  # no 市辖区
    assert not Organization.objects.filter(kind="enterprise", region__name__in=PLACEHOLDERS).exists()
    for e in base:  # the name carries the real city (北京 for a county of a municipality)
        city = {"3301": "杭州", "3302": "宁波", "3201": "南京", "3205": "苏州", "1101": "北京"}[e.region_id[:4]]
        assert e.name.startswith(f"演示企业{e.name[4:7]}·{city}") and e.name.endswith("有限公司"), e.name
    industries = defaultdict(set)
    for e in base:
        industries[e.region_id[:2]].add(e.industry_id)
    assert len(industries["33"]) >= 3 and len(industries["32"]) >= 3  # each province its mix of divisions
    assert industries["33"] != industries["32"]
    years = defaultdict(set)
    for e_id, year in Assessment.objects.filter(enterprise__in=base).values_list("enterprise_id", "year"):
        years[e_id].add(year)
    assert {len(y) for y in years.values()} >= {4, 2} or {len(y) for y in years.values()} >= {4, 3}  # some joined later
    totals = defaultdict(list)
    for size, total in Assessment.objects.filter(enterprise__in=base, status="scored", year=2025).values_list(
            "enterprise__size", "score__total"):
        totals[size in ("1000-5000人", "5000-10000人", "10000人以上")].append(total)
    assert sum(totals[True]) / len(totals[True]) > sum(totals[False]) / len(totals[False])  # larger, more mature
    means = [sum(t) / len(t) for t in (Assessment.objects.filter(enterprise__in=base, status="scored", year=y)
                                      .values_list("score__total", flat=True) for y in (2022, 2025))]
    assert means[1] > means[0]  # improving year by year

    # demo_national has work in its queue, from more than one province
    national = User.objects.get(username="demo_national")
    queue = access.assessments_for_user(national).filter(status="submitted")
    assert queue.exists() and len({a.enterprise.region_id[:2] for a in queue}) >= 2
    assert all(access.can_review(national, a.enterprise) for a in queue)
    consultant = User.objects.get(username="demo_consultant")
    clients = access.enterprises_for_user(consultant)
    assert len({e.region_id[:2] for e in clients}) >= 2 and clients.count() >= 5
    returned = access.assessments_for_user(consultant, write=True).filter(status="rejected")
    assert returned.exists() and returned.first().review_reason  # something to revise, with the reason
