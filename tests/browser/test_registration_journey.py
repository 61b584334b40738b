"""Enterprise self-registration in a real browser, at a desktop width and on a 390×844 phone, checked by
axe-core: from the login page's "企业注册" link through the region cascade to "awaiting approval"; the
login says so; 杭州市's authority sees the badge, opens the registration and approves it; the applicant
(told by e-mail) logs in and sees its enterprise with no self-assessment yet."""

import pytest
from django.core import mail
from django.core.cache import cache

from tests.apps.registrations.helpers import STRONG
from tests.base import credit_code
from tests.browser.axe import assert_accessible
from tests.browser.test_assessment_journey import ARTIFACTS, _login, browser_page  # noqa: F401  (shared fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP, PHONE = {"width": 1200, "height": 1100}, {"width": 390, "height": 844}


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    screen = page.viewport_size["width"]
    assert width <= screen, f"the page is {width}px wide on a {screen}px screen"


def _pick(page, index: int, code: str) -> None:
    """Choose in the index-th select of the region cascade; the page comes back with the next level."""
    with page.expect_navigation():
        page.locator("#region-picker select[name=region]").nth(index).select_option(code)


def _nav(page, selector: str) -> None:
    if page.is_visible(".menu-toggle"):  # the phone's folded menu
        page.click(".menu-toggle")
    page.click(selector)


@pytest.mark.parametrize(("label", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_it_registers_an_enterprise_the_authority_approves_and_the_applicant_logs_in(
        live_server, world, browser_page, label, viewport):  # noqa: F811
    cache.clear()
    page, base = browser_page, live_server.url
    page.set_viewport_size(viewport)
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{base}/accounts/login/")
    page.click("#register-link")
    page.wait_for_selector("#register-form")
    _pick(page, 0, "330000")
    _pick(page, 1, "330100")
    _pick(page, 2, "330106")
    assert page.locator("#region-picker select[name=region]").nth(2).input_value() == "330106"
    page.fill("#id_name", "杭州浏览器测试机械有限公司")
    page.fill("#id_credit_code", credit_code("330106", 777))
    page.select_option("#id_industry", "34")
    page.select_option("#id_size", "300人以下")
    page.fill("#id_contact_name", "陈工")
    page.fill("#id_email", "chen@example.com")
    page.fill("#id_phone", "0571-88001234")
    page.fill("#id_username", "chen_reg")
    page.fill("#id_password", "short")  # a weak password is named beside its field, nothing is stored
    page.fill("#id_password2", "short")
    page.click("#register-submit")
    page.wait_for_selector(".field-error[data-field=password]")
    assert_accessible(page, f"registration form with an error ({label})")
    _fits(page)
    page.fill("#id_password", STRONG)
    page.fill("#id_password2", STRONG)
    page.click("#register-submit")
    page.wait_for_selector("#registration-sent")
    assert "等待" in page.inner_text("#registration-sent")
    assert_accessible(page, f"registration sent ({label})")

    page.goto(f"{base}/accounts/login/")  # the applicant is told why it cannot log in yet
    page.fill("input[name=username]", "chen_reg")
    page.fill("input[name=password]", STRONG)
    page.click("main button[type=submit]")
    assert "等待杭州市经信局审核" in page.inner_text("#login-error")

    _login(page, base, "city_authority")
    page.wait_for_selector("#nav-registrations", state="attached")  # folded away on the phone
    assert page.inner_text("#nav-registrations .count") == "1"
    _nav(page, "#nav-registrations")
    page.wait_for_selector("#registrations")
    assert_accessible(page, f"registration desk ({label})")
    _fits(page)
    page.click("#registrations a >> text=杭州浏览器测试机械有限公司")
    page.wait_for_selector("#decide")
    assert_accessible(page, f"registration detail ({label})")
    _fits(page)
    page.click("#approve")
    page.wait_for_selector("#state[data-state=approved]")
    assert page.locator("#nav-registrations .count").count() == 0  # nothing waits any more
    page.screenshot(path=str(ARTIFACTS / f"registration-approved-{label}.png"), full_page=True)
    assert any(m.to == ["chen@example.com"] and "已通过" in m.subject for m in mail.outbox)

    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "chen_reg")
    page.fill("input[name=password]", STRONG)
    page.click("main button[type=submit]")
    page.wait_for_selector("#my-enterprise")
    home = page.inner_text("#my-enterprise")
    assert "杭州浏览器测试机械有限公司" in home and "尚未开展自评估" in home
    assert_accessible(page, f"applicant's home ({label})")
    _fits(page)
