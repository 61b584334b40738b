"""Benchmarking in a real browser: an enterprise's result page shows its percentile panel and the
stages of its peers; a province's dashboard draws the map of its cities and the stage chart with
names, and a click on a city drills down."""

import pytest
from django.contrib.auth.models import User

from ronghe.apps.accounts.models import Membership
from ronghe.apps.organizations import services as orgs
from tests.apps.benchmarking.helpers import populate
from tests.base import PASSWORD
from tests.browser.test_assessment_journey import ARTIFACTS, _login, browser_page  # noqa: F401  (shared fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_enterprise_sees_its_percentiles_and_a_province_its_map_and_stages(live_server, world, browser_page):  # noqa: F811
    peers = populate(world)
    page, base = browser_page, live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    _login(page, base, "ent_a")
    page.goto(f"{base}/assessments/{peers.a[2025].pk}/result/")
    page.wait_for_selector("#peer-stages[data-drawn='1']")
    panel = page.locator("#peer-table")
    assert panel.locator("thead").inner_text().count("n=") == 6  # six peer groups, each with its size
    first = panel.locator("tbody tr").first.inner_text()
    assert first.startswith("发展水平") and "P" in first and "Q" in first
    stages = page.locator("#peer-stages svg text")
    labels = " ".join(stages.all_text_contents())
    assert "起步建设" in labels and "34 通用设备制造业" in labels
    page.screenshot(path=str(ARTIFACTS / "peer-panel.png"), full_page=True)

    gov = orgs.create_organization(kind="authority", name="浙江省经信厅", region_id="330000")
    Membership.objects.create(user=User.objects.create_user("zhejiang", password=PASSWORD), organization=gov)
    page.context.clear_cookies()
    _login(page, base, "zhejiang")
    page.goto(f"{base}/benchmarking/")
    page.wait_for_selector("#map[data-drawn='1']")
    page.wait_for_selector("#stages[data-drawn='1']")
    map_names = " ".join(page.locator("#map svg text").all_text_contents())
    assert "杭州市" in map_names and "宁波市" in map_names and "330" not in map_names  # names, never codes
    assert page.locator("#map svg path").count() >= 11  # every city of the province is drawn
    stage_names = " ".join(page.locator("#stages svg text").all_text_contents())
    assert all(s in stage_names for s in ("起步建设", "单项覆盖", "集成提升"))
    assert page.locator("#kpi-registered").inner_text() == "31"
    page.screenshot(path=str(ARTIFACTS / "province-dashboard.png"), full_page=True)
    page.locator("#map svg text", has_text="杭州市").click()
    page.wait_for_url("**/benchmarking/?region=330100*")
    assert page.locator("h1").inner_text().startswith("杭州市")
    assert "西湖区" in page.locator("#by-region").inner_text()
