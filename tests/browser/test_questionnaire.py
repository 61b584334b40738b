"""The questionnaire of the shipped GB/T 23020 framework as a new enterprise user meets it, in a real
browser at a desktop width and on a 390×844 phone, checked by axe-core:

- a section navigator with each section's progress (folded into a sticky bar on a phone);
- "已保存 HH:MM" after every autosave;
- options that exclude the others (以上都没有, declared ``exclusive`` in the framework file, and the
  page's 无) untick the others, and the others untick them;
- help texts name other items by the number the page shows (JC_01);
- the labelled default weights are said on the page;
- submit lists what is still missing; with nothing missing it asks for confirmation first.
"""

import re

import numpy as np
import pytest

from ronghe.apps.assessments import services
from ronghe.apps.assessments.models import Assessment
from ronghe.apps.frameworks.services import get_version, sync_shipped
from ronghe.core.frameworks.synthetic import answers
from tests.browser.axe import assert_accessible
from tests.browser.test_assessment_journey import ARTIFACTS, _login, browser_page  # noqa: F401  (shared fixture)
from tests.browser.test_benchmarking import DESKTOP, PHONE, _fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAVED = re.compile(r"^已保存 \d\d:\d\d$")


def _saved_after(page, change) -> str:
    """Do ``change`` and wait for the autosave's answer; the feedback shown."""
    page.evaluate("document.getElementById('saved').textContent = ''")
    with page.expect_response(lambda r: r.request.method == "POST"):
        change()
    page.wait_for_function("document.getElementById('saved').textContent !== ''")
    return page.inner_text("#saved")


def _exclusives(page, item: str, other: str, exclusive: str) -> None:
    box = lambda value: page.locator(f"input[name=q_{item}][value='{value}']")  # noqa: E731
    box(other).check()
    box(exclusive).check()  # 以上都没有 unticks the other option …
    assert box(exclusive).is_checked() and not box(other).is_checked()
    box(other).check()  # … and the other option unticks it
    assert box(other).is_checked() and not box(exclusive).is_checked()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_new_user_finds_the_way_through_the_questionnaire(live_server, world, browser_page, viewport):  # noqa: F811
    sync_shipped()
    framework = get_version("gbt23020-discrete")
    draft = services.start(world.a, framework, 2025)
    page, base = browser_page, live_server.url
    page.set_viewport_size(DESKTOP if viewport == "desktop" else PHONE)
    _login(page, base, "ent_a")
    page.goto(f"{base}/assessments/{draft.pk}/")
    page.wait_for_selector("#questionnaire")
    assert page.is_visible("#placeholder-notice") and "默认值" in page.inner_text("#placeholder-notice")
    assert "与 JC_01“自动化生产设备占比”一样" in page.inner_text("#q-JC_08")  # the number the page shows
    links = page.locator("#sections a[data-section]")
    assert links.count() >= 6
    first = links.first.get_attribute("data-section")
    progress = page.inner_text(f"#sections a[data-section={first}] .sec-progress")
    assert re.fullmatch(r"0/\d+", progress)
    if viewport == "phone":
        assert page.is_hidden("#section-list") and page.is_visible("#sections-toggle")  # folded
        page.click("#sections-toggle")
        assert page.get_attribute("#sections-toggle", "aria-expanded") == "true"
    target = links.nth(3)
    section = target.get_attribute("data-section")
    target.click()
    page.wait_for_function(f"location.hash === '#sec-{section}'")
    page.wait_for_timeout(300)
    assert page.locator(f"#sec-{section}").is_visible()
    if viewport == "phone":
        assert page.is_hidden("#section-list")  # choosing a section folds the list again
        box = page.locator("#sections").bounding_box()
        assert box is not None and -1 <= box["y"] <= 1  # the bar stays at the top while scrolling
    page.goto(f"{base}/assessments/{draft.pk}/")
    page.wait_for_selector("#questionnaire")

    shown = _saved_after(page, lambda: (page.fill("input[name=q_JC_01]", "62.5"),
                                        page.locator("input[name=q_JC_01]").dispatch_event("change")))
    assert SAVED.match(shown), shown  # "已保存 10:32"
    total = progress.split("/")[1]
    assert page.inner_text(f"#sections a[data-section={first}] .sec-progress") == f"1/{total}"
    assert SAVED.match(_saved_after(page, lambda: page.select_option("select[name=q_JC_05]", index=2)))
    _exclusives(page, "JC_15", "A", "Z")  # 以上都没有, declared in the framework file
    for _ in range(50):  # the last autosave lands
        draft.refresh_from_db()
        if draft.answers.get("JC_15") == "A":
            break
        page.wait_for_timeout(200)
    assert draft.answers["JC_01"] == "62.5" and draft.answers.get("JC_15") == "A"
    assert SAVED.match(page.inner_text("#saved"))

    page.click("#submit")  # much is missing: the page lists it instead of asking
    assert page.is_visible("#missing")
    missing = page.inner_text("#missing")
    assert re.search(r"\d+", missing) and "JC_02" in missing
    assert Assessment.objects.get(pk=draft.pk).status == "draft"
    _fits(page)
    assert_accessible(page, f"the questionnaire ({viewport})")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"questionnaire-{viewport}.png"))

    complete = answers(framework.loaded().framework, 1, seed=7, maturity=np.array([0.6]), blank_rate=0.0)
    services.save_draft(draft, {k: v for k, v in complete.iloc[0].items() if v is not None and v == v})
    page.goto(f"{base}/assessments/{draft.pk}/")
    page.wait_for_selector("#questionnaire")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))  # "submit for review?" — not yet
    page.click("#submit")
    page.wait_for_timeout(300)
    assert asked and "提交" in asked[0] and page.is_hidden("#missing")
    assert Assessment.objects.get(pk=draft.pk).status == "draft"  # nothing sent without the confirmation
    page.once("dialog", lambda d: d.accept())
    page.click("#submit")
    page.wait_for_selector("text=待审核")
    assert Assessment.objects.get(pk=draft.pk).status == "submitted"
    assert_accessible(page, f"the submitted questionnaire ({viewport})")
