"""Benchmarking in a real browser, at a desktop width and on a 390×844 phone, checked by axe-core.

- An enterprise's result page shows its percentile panel and its peers' stages beside the radar;
  with a minimum group of 20 its city (19 enterprises) is never shown, and the page says which wider
  group answers instead. No peer's name reaches the page.
- A province's dashboard draws the stage distribution and the map of its cities with their names;
  the map redraws for another figure; a click on a city drills down to it, a click in the city's
  table to a county; every table exports to one xlsx whose figures are the page's.
"""

import openpyxl
import pytest
from django.contrib.auth.models import User

from ronghe.apps.accounts.models import Membership
from ronghe.apps.organizations import services as orgs
from tests.apps.benchmarking.helpers import populate
from tests.base import PASSWORD
from tests.browser.axe import assert_accessible
from tests.browser.test_assessment_journey import ARTIFACTS, _login, browser_page  # noqa: F401  (shared fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP, PHONE = {"width": 1200, "height": 1100}, {"width": 390, "height": 844}


def _fits(page) -> None:
    """Nothing sticks out sideways: wide tables scroll inside their own region."""
    width = page.evaluate("document.documentElement.scrollWidth")
    screen = page.viewport_size["width"]
    assert width <= screen, f"the page is {width}px wide on a {screen}px screen"


def test_an_enterprise_sees_its_percentiles_and_which_group_stands_in_for_a_too_small_one(
        live_server, world, browser_page, settings):  # noqa: F811
    peers = populate(world)
    settings.RONGHE_BENCHMARK_MIN_GROUP = 20  # 杭州市 has 19 assessed enterprises a year, 浙江省 31
    page, base = browser_page, live_server.url
    ARTIFACTS.mkdir(exist_ok=True)
    _login(page, base, "ent_a")
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(f"{base}/assessments/{peers.a[2025].pk}/result/")
        page.wait_for_selector("#peer-stages[data-drawn='1']")
        panel = page.locator("#peer-table")
        head = panel.locator("thead").inner_text()
        assert head.count("n=") == 6  # six peer groups shown, each with its size
        assert "杭州市" not in head and "浙江省 · n=31" in head  # the city's own group is withheld
        first = panel.locator("tbody tr").first.inner_text()
        assert first.startswith("发展水平") and "P" in first and "Q" in first
        notes = page.locator("#peer-notes").inner_text()
        assert "同城市：杭州市 不足 20 家企业，改与 浙江省（31 家）比较" in notes
        assert "同规模：300-1000人 不足 20 家企业" in notes  # 18 of that size: everyone (44) answers
        labels = " ".join(page.locator("#peer-stages svg text").all_text_contents())
        assert "起步建设" in labels and "34 通用设备制造业" in labels
        every = page.locator("#peer-indicator-table")
        assert every.locator("thead th").count() == 2 + 6 + 5  # indicator, score, six groups, P25–P90, gap
        assert every.locator("tbody tr").count() == len(peers.a[2025].score.nodes) + len(peers.a[2025].score.rates)
        text = page.locator("main").inner_text()
        assert not any(f"同行{i}" in text for i in range(101, 150))  # no peer's name, ever
        assert "北京乙电子" not in text
        _fits(page)
        assert_accessible(page, f"the result page ({name})")
        page.screenshot(path=str(ARTIFACTS / f"peer-panel-{name}.png"), full_page=True)


def test_a_province_sees_its_map_and_stages_drills_down_and_exports(live_server, world, browser_page, tmp_path):  # noqa: F811
    populate(world)
    gov = orgs.create_organization(kind="authority", name="浙江省经信厅·监测", region_id="330000")
    Membership.objects.create(user=User.objects.create_user("zhejiang", password=PASSWORD), organization=gov)
    page, base = browser_page, live_server.url
    ARTIFACTS.mkdir(exist_ok=True)
    _login(page, base, "zhejiang")
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(f"{base}/benchmarking/")
        page.wait_for_selector("#map[data-drawn='1']")
        page.wait_for_selector("#stages[data-drawn='1']")
        assert page.locator("h1").inner_text().startswith("浙江省")
        map_names = " ".join(page.locator("#map svg text").all_text_contents())
        assert "杭州市" in map_names and "宁波市" in map_names and "330" not in map_names  # names, never codes
        assert page.locator("#map svg path").count() >= 11  # every city of the province is drawn
        stage_names = " ".join(page.locator("#stages svg text").all_text_contents())
        assert all(s in stage_names for s in ("起步建设", "单项覆盖", "集成提升"))
        assert page.locator("#kpi-registered").inner_text() == "31"
        _fits(page)
        assert_accessible(page, f"the province's dashboard ({name})")
        page.screenshot(path=str(ARTIFACTS / f"province-dashboard-{name}.png"), full_page=True)

    page.set_viewport_size(DESKTOP)
    page.select_option("#map-figure", "submission_rate")  # the choropleth of another figure
    page.wait_for_selector("#map[data-figure='submission_rate']")
    assert "杭州市" in " ".join(page.locator("#map svg text").all_text_contents())

    hangzhou = page.locator("#by-region tr[data-key='3301']").inner_text().split("\t")
    with page.expect_download() as download:
        page.click("#export")
    path = tmp_path / "dashboard.xlsx"
    download.value.save_as(path)
    assert download.value.suggested_filename.startswith("dashboard-330000-")
    book = openpyxl.load_workbook(path, read_only=True)
    assert {"概况", "按地区", "按行业", "按规模", "趋势", "目标"} <= set(book.sheetnames)
    rows = list(book["按地区"].iter_rows(values_only=True))
    head = rows[0]
    row = next(r for r in rows[1:] if r[head.index("name")] == "杭州市")
    assert [row[head.index(c)] for c in ("registered", "assessed", "n")] == \
        [int(hangzhou[1]), int(hangzhou[2]), int(hangzhou[4])]
    shown = [a.inner_text() for a in page.locator("#by-region tbody td:first-child").all()]
    assert [r[head.index("name")] for r in rows[1:]] == shown and len(shown) >= 2

    page.locator("#map svg text", has_text="杭州市").click()  # drill down: province → city
    page.wait_for_url("**/benchmarking/?region=330100*")
    assert page.locator("h1").inner_text().startswith("杭州市")
    assert "西湖区" in page.locator("#by-region").inner_text()
    page.locator("#by-region a", has_text="西湖区").click()  # city → county
    page.wait_for_url("**/benchmarking/?region=330106*")
    assert page.locator("h1").inner_text().startswith("西湖区")
    assert page.locator("#kpi-registered").inner_text() == str(1 + 12 + 6)  # A and its 西湖区 peers
