"""One enterprise in a real browser, from its diagnosis to a rated service request: the result page lists
the providers that address its weakest indicators; the enterprise sends one a request with its diagnosis;
the provider reads it and answers; the enterprise engages it; the service is completed and rated, and the
public catalogue shows the rating."""

import pytest

from tests.apps.certification.helpers import scored
from tests.apps.providers.helpers import catalogue
from tests.browser.test_assessment_journey import ARTIFACTS, _login, browser_page  # noqa: F401  (shared fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _step(page, name, **fields):
    form = page.locator(f"form.step[data-step={name}]")
    for field, value in fields.items():
        locator = form.locator(f"[name={field}]")
        if field == "rating":
            locator.select_option(value)
        else:
            locator.fill(value)
    form.locator("button").click()
    page.wait_for_load_state()


def _logout(page):
    page.click("header form button")


def test_it_takes_an_enterprise_from_its_diagnosis_to_a_rated_service(live_server, world,
                                                                     browser_page):  # noqa: F811
    hz, _bj, offers = catalogue(world)
    a = scored(world.a, 1)
    page, base = browser_page, live_server.url

    _login(page, base, "ent_a")  # the diagnosis names its providers
    page.goto(f"{base}/assessments/{a.pk}/result/")
    panel = page.locator("#providers-panel")
    assert "数字化研发设计上云" in panel.inner_text() and "生产管控系统" not in panel.inner_text()
    panel.locator("a >> text=全部匹配的服务商").click()
    match = page.locator(f".match[data-offering='{offers['hz_rd'].pk}']")
    match.locator("textarea[name=message]").fill("希望把研发设计工具上云，请给出方案和报价。")
    assert match.locator("input[name=share]").is_checked()
    match.locator("button").click()
    page.wait_for_selector("#state:has-text('已发送')")
    _logout(page)

    _login(page, base, "provider")  # the provider's inbox, the diagnosis that was sent, an answer
    page.goto(f"{base}/providers/manage/")
    page.click("#inbox a")
    assert "研发" in page.inner_text("#diagnosis")
    _step(page, "answer", answer="可提供 CAD/PDM 上云，报价 8 万元，周期 3 个月。")
    page.wait_for_selector("#state:has-text('服务商已答复')")
    _logout(page)

    _login(page, base, "ent_a")
    page.goto(f"{base}/providers/requests/")
    page.click("#requests a")
    assert "报价 8 万元" in page.inner_text("#answer")
    _step(page, "engage")
    page.wait_for_selector("#state:has-text('服务中')")
    _step(page, "complete")
    page.wait_for_selector("#state:has-text('服务已完成')")
    _step(page, "rate", rating="5", review="上线顺利，培训到位。")
    page.wait_for_selector("#state:has-text('已评价')")
    assert page.inner_text("#rating") == "★ 5"
    _logout(page)

    page.goto(f"{base}/providers/{hz.pk}/")  # anyone sees the rating in the catalogue
    assert "★ 5.0 (1)" in page.inner_text(f"#offering-{offers['hz_rd'].pk}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "provider-rated.png"), full_page=True)
