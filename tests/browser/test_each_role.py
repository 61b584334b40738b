"""Each demo role's first look at the platform, in a real browser on a 390×844 phone, on the demo data
of ``manage.py load_demo``: every link of the role's navigation answers 200 (no 404, no error page)
and no page it leads to sticks out sideways; the home page shows the role's work and passes axe-core;
the navigation is folded behind the menu button."""

import pytest
from django.core.management import call_command

from ronghe.apps.frameworks.services import sync_shipped
from tests.apps.assessments.test_load_demo import LEVEL
from tests.browser.axe import assert_accessible
from tests.browser.test_assessment_journey import ARTIFACTS, browser_page  # noqa: F401  (shared fixture)
from tests.browser.test_registration_journey import PHONE, _fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "ronghe-demo-2026"
WORK = {  # the demo account of each role, and the part of its home page that is its work
    "demo_enterprise": "#my-enterprise",  # my assessment and its state
    "demo_consultant": "#clients",
    "demo_city": "#review-queue",
    "demo_province": "#review-queue",
    "demo_national": "#review-queue",
    "demo_assessor": "#body-cases",
    "demo_committee": "#committee-cases",
    "demo_expert": "#my-sheets",
    "demo_provider": "#provider-inbox",
    "demo_admin": "#review-queue",
}


@pytest.fixture
def demo(tmp_path):
    import json

    from ronghe.apps.organizations import services

    dist = tmp_path / "pcc" / "dist"
    dist.mkdir(parents=True)
    (dist / "level.json").write_text(json.dumps(LEVEL, ensure_ascii=False), encoding="utf-8")
    services.load_codes(tmp_path / "pcc")
    sync_shipped()
    call_command("load_demo", enterprises=12)


def test_every_role_finds_its_work_at_home_and_no_dead_link_on_a_phone(live_server, demo, browser_page):  # noqa: F811
    page, base = browser_page, live_server.url
    page.set_viewport_size(PHONE)
    faults = []
    ARTIFACTS.mkdir(exist_ok=True)
    for username, work in WORK.items():
        page.context.clear_cookies()
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_selector(".who a[href='/accounts/me/']", state="attached")
        if page.url.rstrip("/") != base:  # an assessment body and the committee land on 评定 (their work)
            page.goto(f"{base}/")
        if not page.locator(f"{work} a").count():  # the home page is the role's work, with something to open
            page.screenshot(path=str(ARTIFACTS / f"home-{username}.png"), full_page=True)
            faults.append(f"{username}: no {work} with a link on the home page")
            continue
        assert page.is_visible(".menu-toggle") and page.is_hidden("#main-nav")  # folded navigation
        page.click(".menu-toggle")
        assert page.is_visible("#main-nav")
        _fits(page)
        assert_accessible(page, f"{username}'s home")
        links = page.eval_on_selector_all("#main-nav a", "links => links.map(a => a.getAttribute('href'))")
        assert len(links) >= 7, (username, links)
        for href in links:
            if href.startswith("/api/docs"):
                continue  # the API's documentation, checked by test_api_docs.py
            response = page.goto(f"{base}{href}")
            if response.status != 200:
                faults.append(f"{username} {href}: {response.status}")
                continue
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                faults.append(f"{username} {href}: {width}px wide")
    assert not faults, "\n".join(faults)
