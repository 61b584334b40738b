"""The self-assessment journey in a real browser: Playwright drives Debian's Chromium
(``/usr/bin/chromium``, installed by ``make test``) against a live server."""

import os
from pathlib import Path

import pytest

from ronghe.apps.assessments.models import Assessment
from ronghe.apps.frameworks.services import register_files
from tests.base import PASSWORD
from tests.conftest import FILES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser_page():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"])
            yield browser.new_page(viewport={"width": 1200, "height": 1100})
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _login(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def test_it_takes_an_enterprise_from_questionnaire_to_approved_result(live_server, world, browser_page):
    register_files([FILES / "frameworks" / "mini.yaml"])
    page, base = browser_page, live_server.url
    _login(page, base, "ent_a")
    page.goto(f"{base}/assessments/enterprise/{world.a.pk}/")
    page.fill("input[name=year]", "2025")
    page.click("text=开始自评估")
    page.wait_for_selector("#questionnaire")
    assert page.is_hidden("#q-b3")  # asked only when a2 = 是
    page.select_option("select[name=q_a1]", "C")
    page.select_option("select[name=q_a2]", "是")
    assert page.is_visible("#q-b3")
    page.check("input[name=q_b1][value=CAD]")
    page.check("input[name=q_b1][value=PDM]")
    page.fill("input[name=q_b3]", "35")
    page.locator("input[name=q_b3]").dispatch_event("change")
    page.click("#submit")  # b2 is still unanswered: the page lists it instead of submitting
    assert page.is_visible("#missing") and "关键工序数控化率" in page.inner_text("#missing")
    assert page.inner_text("#sections a[data-section=B] .sec-progress") == "1/2"
    page.fill("input[name=q_b2]", "60")
    page.locator("input[name=q_b2]").dispatch_event("change")
    page.wait_for_function("document.getElementById('progress').textContent.includes('4 / 4')")
    page.wait_for_function("document.getElementById('saved').textContent.startsWith('已保存')")
    page.once("dialog", lambda dialog: dialog.accept())  # "submit for review?" — yes
    page.click("#submit")
    page.wait_for_selector("text=待审核")
    assert Assessment.objects.get(enterprise=world.a).status == "submitted"

    page.click("header form button")  # log out
    _login(page, base, "city_authority")
    a = Assessment.objects.get(enterprise=world.a)
    page.goto(f"{base}/assessments/{a.pk}/")
    page.click("text=审核通过并评分")
    page.wait_for_selector("#radar[data-drawn='1']")
    assert page.inner_text("#total") == "84.9"
    assert page.inner_text("#stage") == "集成提升"
    assert page.locator("#radar svg").count() == 1  # ECharts drew the radar (served locally)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "assessment-result.png"), full_page=True)
