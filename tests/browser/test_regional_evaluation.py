"""A published regional evaluation in a real browser: ranking table, China map, charts."""

import pytest

from ronghe.apps.organizations import services as orgs
from ronghe.apps.regions import services
from tests.browser.test_assessment_journey import ARTIFACTS, browser_page  # noqa: F401  (shared fixture)
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
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == 31
    first = rows.nth(0).inner_text()
    best = ev.results["names"][ev.results["ranks"][-1].index(1)]
    assert first.startswith("1\t" + best)
    assert page.locator("#uncertainty svg").count() == 1 and page.locator("#trend svg").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "regional-evaluation.png"), full_page=True)
