"""The dashboard page and its export, the panel on the result page, and the API routes."""

import io

import pytest
from openpyxl import load_workbook

from ronghe.apps.audit.models import AuditEvent
from tests.apps.benchmarking.helpers import populate

pytestmark = pytest.mark.django_db


def test_the_result_page_shows_the_peer_panel_next_to_the_radar(client, world):
    peers = populate(world, years=(2025,))
    client.force_login(world.ent_a)
    body = client.get(f"/assessments/{peers.a[2025].pk}/result/").content.decode()
    assert 'id="peer-panel"' in body and 'id="peer-stages"' in body and 'id="radar"' in body
    assert "34 通用设备制造业" in body and "同行企业阶段分布" in body
    assert "同行1" not in body  # no peer is named


def test_the_dashboard_page_draws_from_the_figures_and_exports_every_table(client, world):
    populate(world, years=(2025,))
    client.force_login(world.city_authority)
    r = client.get("/benchmarking/")
    body = r.content.decode()
    assert r.status_code == 200 and 'id="stages"' in body and 'id="map"' in body and "西湖区" in body
    assert 'id="targets"' in body and "关键工序数控化率" in body
    r = client.get("/benchmarking/export.xlsx", {"region": "330100", "year": 2025})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content), read_only=True)
    assert wb.sheetnames == ["概况", "按地区", "按行业", "按规模", "趋势", "目标"]
    event = AuditEvent.objects.get(action="export")
    assert event.actor == world.city_authority and event.object_id == "330100"
    assert event.data["what"] == "benchmarking.dashboard" and event.data["year"] == 2025


@pytest.mark.parametrize("query", [{"region": "abc"}, {"region": "330000"}, {"year": "1800"},
                                   {"framework": "no-such"}, {"region": "1" * 40}])
def test_a_dashboard_outside_the_view_or_with_bad_parameters_is_404(client, world, query):
    client.force_login(world.city_authority)
    assert client.get("/benchmarking/", query).status_code == 404
    assert client.get("/benchmarking/export.xlsx", query).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_api_gives_the_panel_dashboard_breakdowns_and_targets(client, world):
    peers = populate(world, years=(2025,))
    client.force_login(world.ent_a)
    panel = client.get(f"/api/benchmarking/assessments/{peers.a[2025].pk}/panel").json()
    assert panel["available"] and [g["kind"] for g in panel["groups"]] == ["division", "section", "province",
                                                                           "city", "size", "all"]
    b = world.b.assessments.get(year=2025)
    assert client.get(f"/api/benchmarking/assessments/{b.pk}/panel").status_code == 404  # not A's
    assert client.get("/api/benchmarking/dashboard").status_code == 404  # enterprises have no dashboard
    client.force_login(world.city_authority)
    d = client.get("/api/benchmarking/dashboard").json()
    assert d["region"] == "330100" and d["totals"]["n"] == 19 and d["stages"][0]["label"] == "未达标"
    rows = client.get("/api/benchmarking/breakdown", {"by": "industry"}).json()
    assert rows["count"] == 2 and {r["key"] for r in rows["items"]} == {"34", "39"}
    assert rows["items"][0]["figures"]["L"] is not None
    targets = client.get("/api/benchmarking/targets").json()
    assert {"nc-rate-2025", "rd-tools-2025"} <= {t["id"] for t in targets["items"]}
    assert client.get("/api/benchmarking/dashboard", {"region": "110000"}).status_code == 404
    assert client.get("/api/benchmarking/breakdown", {"by": "county"}).status_code == 422


def test_a_region_without_assessments_in_the_year_shows_empty_figures_not_an_error(client, world):
    """2023 has one approved assessment, in 杭州: 北京's dashboard of 2023 has no row to count."""
    from ronghe.apps.assessments import services as assessments
    from ronghe.apps.organizations import services as orgs
    from tests.base import credit_code

    peers = populate(world, years=(2025,))
    e = orgs.create_organization(kind="enterprise", name="新企业", credit_code=credit_code("330106", 900),
                                 region_id="330106", industry_id="34", size="300人以下")
    a = assessments.start(e, peers.version, 2023)
    assessments.save_draft(a, {"a1": "C", "a2": "是", "b1": "CAD,PDM", "b2": 60, "b3": 35})
    assessments.submit(a)
    assessments.approve(a, by=world.admin)
    client.force_login(world.other_province)
    r = client.get("/benchmarking/", {"year": 2023})
    assert r.status_code == 200 and 'id="stages"' in r.content.decode()
    assert client.get("/benchmarking/export.xlsx", {"year": 2023}).status_code == 200
    d = client.get("/api/benchmarking/dashboard", {"year": 2023}).json()
    assert d["region"] == "110000" and d["totals"]["n"] == 0 and d["totals"]["assessed"] == 0
    assert d["totals"]["registered"] == 1 + 7 + 5  # B and its peers: registered, not assessed in 2023
    assert [row["year"] for row in d["trend"]] == [2025]  # 北京 has rows in 2025 only
    rows = client.get("/api/benchmarking/breakdown", {"by": "region", "year": 2023}).json()["items"]
    assert [(row["name"], row["registered"], row["n"]) for row in rows] == [("朝阳区", 13, 0)]


def test_the_rendered_panel_is_cached_until_an_approval_changes_the_snapshot(client, world):
    """The result page's panel is served from the cache while the snapshot stays as it was, and
    drawn anew after another approval of the same year (its groups grew by one)."""
    from django.template.loader import render_to_string

    from ronghe.apps.assessments import services as assessments
    from ronghe.apps.benchmarking import services
    from ronghe.apps.organizations import services as orgs
    from tests.base import credit_code

    peers = populate(world, years=(2025,))
    a = peers.a[2025]

    def fresh():
        return render_to_string("benchmarking/_panel.html", {"panel": services.peer_panel(a, "zh-hans")})

    client.force_login(world.ent_a)
    first = client.get(f"/assessments/{a.pk}/result/").content.decode()
    before = fresh()
    assert before in first and services.peer_panel_html(a, "zh-hans")["panel"] == before
    all_before = next(g for g in services.peer_panel(a, "zh-hans")["groups"] if g["kind"] == "all")["n"]

    newcomer = orgs.create_organization(kind="enterprise", name="新同行", credit_code=credit_code("330106", 990),
                                        region_id="330106", industry_id="34", size="300-1000人")
    b = assessments.start(newcomer, peers.version, 2025)
    assessments.save_draft(b, dict(a.answers))
    assessments.submit(b)
    assessments.approve(b, by=world.admin)

    after = fresh()
    assert next(g for g in services.peer_panel(a, "zh-hans")["groups"] if g["kind"] == "all")["n"] == all_before + 1
    assert after != before
    assert after in client.get(f"/assessments/{a.pk}/result/").content.decode()
