"""The organisations API: the enterprise list as the pages show it (latest assessment, filters, sort,
pages with the total), one enterprise, consultancy access, memberships, members and invitations —
each as the allowed personas and as outsiders (who get 404)."""

import pytest
from django.core import mail

from ronghe.apps.accounts.models import Invitation
from ronghe.apps.assessments import services
from tests.api.test_assessments_api import FULL, bearer

pytestmark = pytest.mark.django_db
A, B = "杭州甲机械有限公司", "北京乙电子有限公司"


def names(r):
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["count"] == len(data["items"])
    return [e["name"] for e in data["items"]]


def test_it_lists_enterprises_within_each_personas_jurisdiction(client, world):
    seen = {p: names(client.get("/api/organizations/enterprises", **bearer(getattr(world, p))))
            for p in ("ent_a", "ent_b", "consultant", "city_authority", "province", "other_province", "assessor",
                      "admin")}
    assert seen == {"ent_a": [A], "ent_b": [B], "consultant": [A], "city_authority": [A], "province": [A],
                    "other_province": [B], "assessor": [], "admin": [B, A]}
    assert client.get("/api/organizations/enterprises").status_code == 401


def test_it_gives_each_row_its_latest_assessment_and_names_not_only_codes(client, world, mini_version):
    older = services.start(world.a, mini_version, 2023, by=world.ent_a)
    services.save_draft(older, FULL)
    services.submit(older, by=world.ent_a)
    services.approve(older, by=world.city_authority)
    services.start(world.a, mini_version, 2024, by=world.ent_a)  # a draft: the enterprise's own, not the authority's
    row, = client.get("/api/organizations/enterprises", **bearer(world.city_authority)).json()["items"]
    assert row["region"] == "330106" and row["region_name"] == "浙江省 杭州市 西湖区"
    assert row["industry"] == "34" and row["industry_name"] == "通用设备制造业"
    assert (row["latest_year"], row["latest_status"], row["latest_stage"]) == (2023, "scored", "集成提升")
    assert row["latest_total"] == pytest.approx(84.9, abs=0.05) and row["latest_id"] == older.pk
    own, = client.get("/api/organizations/enterprises", **bearer(world.ent_a)).json()["items"]
    assert (own["latest_year"], own["latest_status"], own["latest_total"]) == (2024, "draft", None)


def test_it_searches_filters_sorts_and_pages_like_the_page(client, world):
    auth = bearer(world.admin)
    assert names(client.get("/api/organizations/enterprises", {"q": "北京"}, **auth)) == [B]
    assert names(client.get("/api/organizations/enterprises", {"q": world.a.credit_code[:10]}, **auth)) == [A]
    assert names(client.get("/api/organizations/enterprises", {"region": "330000"}, **auth)) == [A]
    assert names(client.get("/api/organizations/enterprises", {"industry": "C"}, **auth)) == [B, A]
    assert names(client.get("/api/organizations/enterprises", {"industry": "39"}, **auth)) == [B]
    assert names(client.get("/api/organizations/enterprises", {"size": "300-1000人"}, **auth)) == [A]
    assert names(client.get("/api/organizations/enterprises", {"sort": "-region"}, **auth)) == [A, B]
    assert names(client.get("/api/organizations/enterprises", {"sort": "region"}, **auth)) == [B, A]
    page = client.get("/api/organizations/enterprises", {"page_size": 1, "page": 2, "sort": "region"}, **auth).json()
    assert page["count"] == 2 and [e["name"] for e in page["items"]] == [A]
    for bad in ({"region": "33"}, {"industry": "ZZ"}, {"size": "huge"}, {"status": "lost"}, {"sort": "secret"},
                {"q": "x" * 101}, {"page": 0}):
        r = client.get("/api/organizations/enterprises", bad, **auth)
        assert r.status_code == 422 and r.json()["code"] == "invalid", bad


def test_it_shows_one_enterprise_only_to_who_may_see_it(client, world):
    url = f"/api/organizations/enterprises/{world.a.pk}"
    one = client.get(url, **bearer(world.ent_a)).json()
    assert one["name"] == A and one["can_manage"] and one["can_write"]
    assert [g["consultancy_name"] for g in one["grants"]] == ["融合咨询"]
    seen_by_city = client.get(url, **bearer(world.city_authority)).json()
    assert not seen_by_city["can_manage"] and not seen_by_city["can_write"]
    for outsider in ("ent_b", "other_province", "assessor"):
        r = client.get(url, **bearer(getattr(world, outsider)))
        assert r.status_code == 404 and r.json()["code"] == "not_found", outsider
    not_an_enterprise = f"/api/organizations/enterprises/{world.consultancy.pk}"
    assert client.get(not_an_enterprise, **bearer(world.admin)).status_code == 404


def test_it_lets_only_a_manager_grant_and_revoke_consultancy_access(client, world):
    url = f"/api/organizations/enterprises/{world.a.pk}/access"
    body = {"consultancy": world.consultancy.pk, "action": "revoke"}
    for refused in ("ent_a_member", "consultant", "city_authority", "ent_b"):
        r = client.post(url, body, content_type="application/json", **bearer(getattr(world, refused)))
        assert r.status_code == 404, refused
    r = client.post(url, body, content_type="application/json", **bearer(world.ent_a))
    assert r.status_code == 200 and r.json()["grants"] == []
    assert names(client.get("/api/organizations/enterprises", **bearer(world.consultant))) == []
    r = client.post(url, {**body, "action": "grant"}, content_type="application/json", **bearer(world.ent_a))
    assert [g["consultancy"] for g in r.json()["grants"]] == [world.consultancy.pk]
    not_a_consultancy = {"consultancy": world.b.pk, "action": "grant"}
    assert client.post(url, not_a_consultancy, content_type="application/json",
                       **bearer(world.ent_a)).status_code == 404


def test_it_lists_ones_memberships_and_a_managed_organisations_members(client, world):
    mine = client.get("/api/organizations/memberships", **bearer(world.ent_a)).json()
    assert mine["count"] == 1 and mine["items"][0] == {
        "organization": world.a.pk, "organization_name": A, "kind": "enterprise", "role": "manager",
        "region": "330106", "region_name": "浙江省 杭州市 西湖区"}
    assert client.get("/api/organizations/memberships", **bearer(world.admin)).json()["count"] == 0
    url = f"/api/organizations/{world.a.pk}/members"
    members = client.get(url, **bearer(world.ent_a)).json()
    assert [(m["username"], m["role"]) for m in members["items"]] == [("ent_a", "manager"), ("ent_a_member", "member")]
    assert client.get(url, **bearer(world.city_authority)).status_code == 200  # it may invite people to A
    for outsider in ("ent_a_member", "ent_b", "consultant", "other_province", "assessor"):
        assert client.get(url, **bearer(getattr(world, outsider))).status_code == 404, outsider


def test_it_invites_by_email_where_the_invitation_page_allows_it(client, world, django_capture_on_commit_callbacks):
    url = f"/api/organizations/{world.a.pk}/invitations"
    body = {"email": "new@example.com", "role": "member"}
    for refused in ("ent_a", "ent_b", "other_province", "consultant"):
        r = client.post(url, body, content_type="application/json", **bearer(getattr(world, refused)))
        assert r.status_code == 404, refused
    r = client.post(url, {"email": "not an address"}, content_type="application/json", **bearer(world.city_authority))
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "email"
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, body, content_type="application/json", **bearer(world.city_authority))
    assert r.status_code == 201 and r.json()["email"] == "new@example.com"
    inv = Invitation.objects.get(pk=r.json()["id"])
    assert inv.organization == world.a and inv.invited_by == world.city_authority
    assert inv.history().filter(action="invitation.sent").exists()
    sent, = mail.outbox
    assert sent.to == ["new@example.com"] and "/accounts/invite/" in sent.body
