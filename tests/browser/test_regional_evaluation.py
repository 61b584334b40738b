"""Regional evaluations in a real browser, checked by axe-core.

- A published national evaluation: ranking table, the China map with one 南海诸岛 inset, charts.
- A province's evaluation from the data template to a published page: the template is downloaded
  and filled in, the run computes the enterprise indicators from the approved assessments of the
  province (and says so), the page shows the map of its cities and their names, and publishing
  asks for confirmation first.
"""

import openpyxl
import pytest

from ronghe.apps.organizations import services as orgs
from ronghe.apps.regions import services
from ronghe.apps.regions.models import Evaluation
from ronghe.core.index.definition import load
from tests.apps.benchmarking.helpers import populate
from tests.browser.axe import assert_accessible
from tests.browser.test_assessment_journey import ARTIFACTS, _login, browser_page  # noqa: F401  (shared fixture)
from tests.conftest import FILES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_the_ranking_table_and_map_of_a_published_evaluation(live_server, world, browser_page):  # noqa: F811
    national = orgs.create_organization(kind="authority", name="工业和信息化部", national=True)
    ev = services.publish(services.run_evaluation(national, "lianghua-regional",
                                                  [FILES / "index" / "provinces-long.csv"], runs=200))
    page = browser_page
    page.goto(f"{live_server.url}/regions/")  # published evaluations are public
    page.click(f"text={ev.title}")
    page.wait_for_selector("#map[data-drawn='1']")
    assert page.locator("#map svg path").count() > 30  # the provinces are drawn
    assert page.locator("#map").get_attribute("data-nanhai") == "1"  # the package's inset, not a second one
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == 31
    first = rows.nth(0).inner_text()
    best = ev.results["names"][ev.results["ranks"][-1].index(1)]
    assert first.startswith("1\t" + best)
    assert page.locator("#uncertainty svg").count() == 1 and page.locator("#trend svg").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "regional-evaluation.png"), full_page=True)
    assert_accessible(page, "a published national evaluation")


def test_a_province_goes_from_the_template_to_a_published_evaluation_with_its_cities_map(
        live_server, world, browser_page, tmp_path):  # noqa: F811
    populate(world)  # approved assessments in 杭州 (西湖区) and 宁波 (海曙区), 2024 and 2025
    page, base = browser_page, live_server.url
    _login(page, base, "province")
    page.goto(f"{base}/regions/run/")
    assert page.locator("#placeholder-notice").is_visible()  # the shipped weights are labelled defaults
    assert "替换" in page.locator("#merge-rule").inner_text()  # which value wins, and where to see it
    assert_accessible(page, "the run page")
    with page.expect_download() as download:
        page.click("a.template-link")
    path = tmp_path / "template.xlsx"
    download.value.save_as(path)
    assert download.value.suggested_filename == "regional-template-330000.xlsx"
    wb = openpyxl.load_workbook(path)
    sheet = wb[wb.sheetnames[0]]
    sheet.title = "2025"  # the data year of the assessments
    indicators = load("lianghua-regional").definition.indicators
    assert [r[1].value for r in sheet.iter_rows(min_row=2)] == ["杭州市", "宁波市"]  # names prefilled
    for k, row in enumerate(sheet.iter_rows(min_row=2)):
        for cell, ind in zip(row[2:], indicators, strict=True):
            if ind.kind != "enterprise":  # left empty: computed from the assessments
                cell.value = ind.reference * (1.05 - 0.1 * k)
    wb.save(path)
    page.check("input[name=source][value=upload]")
    page.set_input_files("input[name=data]", str(path))
    assert page.is_checked("input[name=use_assessments]")
    page.fill("input[name=title]", "浙江省 2025 两化融合发展水平")
    page.check("input[name=impute][value=none]")  # imputation varied in the Monte Carlo, as --impute
    page.check("input[name=impute][value=previous_year]")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#ranking")
    ev = Evaluation.objects.get()
    page.wait_for_selector("#map[data-drawn='1']")
    assert page.locator("#map svg path").count() >= 11  # 浙江's eleven cities
    map_text = " ".join(page.locator("#map svg text").all_text_contents())
    assert "杭州市" in map_text and "宁波市" in map_text
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == 2 and {rows.nth(i).inner_text().split("\t")[1] for i in range(2)} == {"杭州市", "宁波市"}
    sources = page.locator("#sources tbody tr", has_text="NC_RATE").inner_text().split("\t")
    assert sources[2] == "2" and sources[1] == "0"  # both cities' NC rate from their assessments, none uploaded
    main = page.locator("main").inner_text()
    assert "330100" not in page.locator("#ranking").inner_text()  # names, never bare codes
    assert "None" not in main and page.locator("#zones").count() == 0
    assert page.locator("#placeholder-notice").is_visible()
    impute = page.locator("#analysis tbody tr", has_text="impute").inner_text().split("\t")
    assert impute[0] == "impute" and impute[-1] == "none, previous_year"
    assert_accessible(page, "a draft evaluation")
    page.click("#publish")
    page.wait_for_selector("#confirm-publish")
    ev.refresh_from_db()
    assert ev.status == "draft"
    assert_accessible(page, "the publish confirmation")
    page.click("#confirm-publish")
    page.wait_for_selector("#ranking")
    ev.refresh_from_db()
    assert (ev.status, ev.version) == ("published", 1)
    assert page.locator("#publish").count() == 0
    page.wait_for_selector("#map[data-drawn='1']")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "regional-evaluation-province.png"), full_page=True)
