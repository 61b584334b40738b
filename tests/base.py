"""Personas for permission tests (style habit 3): every view test uses an allowed persona and at
least one outsider.

- ``ent_a`` manages enterprise A in 杭州市西湖区 (Zhejiang); ``ent_a_member`` is a plain member of A;
- ``ent_b`` manages enterprise B in 北京市朝阳区;
- ``consultant`` works for a consultancy that A granted access to (B did not);
- ``assessor`` works for an assessment body (no enterprise access); ``other_assessor`` for another body;
- ``committee`` is a member of the 评定工作委员会 (compliance review, notices, certificates);
- ``city_authority`` is 杭州市's authority (sees A, not B);
- ``other_province`` is 北京市's authority (sees B, not A);
- ``province`` is 浙江省's authority (above 杭州市: sees A; publishes calls that 杭州市 recommends to);
- ``provider`` works for a service provider in 杭州市 (``provider_org``), ``other_provider`` for one in 北京市;
- ``expert`` is in 浙江省's expert pool (no organisation, in 北京市: no conflict with A);
- ``admin`` is a platform administrator (is_staff).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from ronghe.apps.accounts.models import Membership
from ronghe.apps.organizations import services
from ronghe.apps.organizations.models import Organization
from ronghe.core.codes import org_code_check_char, uscc_check_char

PASSWORD = "correct horse battery staple"
LEVEL = [
    {"code": "330000", "name": "浙江省", "children": [
        {"code": "330100", "name": "杭州市", "children": [{"code": "330106", "name": "西湖区"}]},
        {"code": "330200", "name": "宁波市", "children": [{"code": "330203", "name": "海曙区"}]}]},
    {"code": "110000", "name": "北京市", "children": [{"code": "110105", "name": "朝阳区"}]},
]


def as_each(client, users: dict, personas, expected, send, what: str) -> dict:
    """Sign in as each persona in turn (signed out where it has no user), ``send()`` the request and
    compare the status with the persona's expected one; returns the responses by persona."""
    responses = {}
    for persona, status in zip(personas, expected, strict=True):
        client.logout()
        if users[persona] is not None:
            client.force_login(users[persona])
        responses[persona] = response = send()
        assert response.status_code == status, f"{persona} {what}: {response.status_code} {response.content[:200]}"
    return responses


def call_api(client, method: str, url: str, body):
    """An API request as the permission matrices send it: a JSON body with a POST."""
    return client.post(url, body, content_type="application/json") if method == "post" else getattr(client, method)(url)


def credit_code(division: str, serial: int) -> str:
    """A valid 统一社会信用代码 for a company registered in ``division``."""
    body = f"{serial:07d}X"[:8]
    org = body + org_code_check_char(body)
    first17 = "91" + division + org
    return first17 + uscc_check_char(first17)


def load_test_codes(tmp_path: Path) -> None:
    """A small region tree in the npm package's format, plus the real industry table."""
    dist = tmp_path / "pcc" / "dist"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "level.json").write_text(json.dumps(LEVEL, ensure_ascii=False), encoding="utf-8")
    services.load_codes(tmp_path / "pcc")


@dataclass
class World:
    ent_a: User
    ent_a_member: User
    ent_b: User
    consultant: User
    assessor: User
    city_authority: User
    other_province: User
    admin: User
    committee: User
    other_assessor: User
    province: User
    provider: User
    other_provider: User
    expert: User
    a: Organization
    b: Organization
    consultancy: Organization
    body: Organization
    other_body: Organization
    hangzhou: Organization
    zhejiang: Organization
    provider_org: Organization
    other_provider_org: Organization

    def personas(self) -> dict[str, User | None]:
        return {"anonymous": None, **{k: v for k, v in vars(self).items() if isinstance(v, User)}}


def _user(name: str, org: Organization | None, role: str = "manager", **extra) -> User:
    user = User.objects.create_user(name, password=PASSWORD, **extra)
    if org is not None:
        Membership.objects.create(user=user, organization=org, role=role)
    return user


@pytest.fixture
def world(db, tmp_path) -> World:
    load_test_codes(tmp_path)
    a = services.create_organization(kind="enterprise", name="杭州甲机械有限公司", credit_code=credit_code("330106", 1),
                                     region_id="330106", industry_id="34", size="300-1000人")
    b = services.create_organization(kind="enterprise", name="北京乙电子有限公司", credit_code=credit_code("110105", 2),
                                     region_id="110105", industry_id="39", size="1000-5000人")
    consultancy = services.create_organization(kind="consultancy", name="融合咨询", region_id="330106",
                                               credit_code=credit_code("330106", 3))
    body = services.create_organization(kind="assessment_body", name="评定中心", region_id="110105")
    hangzhou = services.create_organization(kind="authority", name="杭州市经信局", region_id="330100")
    beijing = services.create_organization(kind="authority", name="北京市经信局", region_id="110000")
    other_body = services.create_organization(kind="assessment_body", name="另一评定机构", region_id="330106")
    committee = services.create_organization(kind="committee", name="评定工作委员会")
    zhejiang = services.create_organization(kind="authority", name="浙江省经信厅", region_id="330000")
    provider_org = services.create_organization(kind="provider", name="杭州融合工业互联网平台有限公司",
                                                region_id="330106", credit_code=credit_code("330106", 4))
    other_provider_org = services.create_organization(kind="provider", name="北京智造云服务有限公司",
                                                      region_id="110105", credit_code=credit_code("110105", 5))
    services.grant_access(a, consultancy)
    expert = _user("expert", None)
    from ronghe.apps.programs.models import Expert

    Expert.objects.create(authority=zhejiang, user=expert, name="王专家", title="教授级高工", affiliation="某大学",
                          region_id="110105", specialty="两化融合管理体系")
    return World(
        ent_a=_user("ent_a", a), ent_a_member=_user("ent_a_member", a, "member"), ent_b=_user("ent_b", b),
        consultant=_user("consultant", consultancy), assessor=_user("assessor", body),
        city_authority=_user("city_authority", hangzhou), other_province=_user("other_province", beijing),
        admin=_user("admin", None, is_staff=True), committee=_user("committee", committee),
        other_assessor=_user("other_assessor", other_body), province=_user("province", zhejiang),
        provider=_user("provider", provider_org), other_provider=_user("other_provider", other_provider_org),
        expert=expert, a=a, b=b, consultancy=consultancy, body=body, other_body=other_body, hangzhou=hangzhou,
        zhejiang=zhejiang, provider_org=provider_org, other_provider_org=other_provider_org,
    )
