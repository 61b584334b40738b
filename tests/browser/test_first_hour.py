"""A new enterprise's first hour, end to end in a real browser, at a desktop width and on a 390×844 phone:

the enterprise registers itself (GB 32100 credit code, region cascade) → 杭州市's authority sees the
registration counted in its navigation and approves it → the applicant logs in, finds the notification,
starts the shipped GB/T 23020 questionnaire, moves with the section navigator, fills it in through the
page, is told what is still missing, submits after the confirmation → the authority finds it in its
review queue (counted in the navigation) and approves it → the enterprise is notified and opens its
result (score and stage). axe-core checks every distinct page on the way; on the phone nothing may
stick out sideways.
"""

import re
import time

import pytest
from django.core.cache import cache

from ronghe.apps.assessments.models import Assessment
from ronghe.apps.frameworks.services import get_version, sync_shipped
from tests.apps.registrations.helpers import STRONG
from tests.base import PASSWORD, credit_code
from tests.browser.axe import assert_accessible
from tests.browser.test_assessment_journey import ARTIFACTS, _login, browser_page  # noqa: F401  (shared fixture)
from tests.browser.test_registration_journey import DESKTOP, PHONE, _fits, _nav, _pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAME = "杭州初来乍到智能制造有限公司"

FILL = """missing => {
  // answer every visible, unanswered question the way a person would (是 for yes/no, so that the
  // questions that depend on it appear; the middle option; 50 for a number; the first box of a
  // multiple choice), leaving out the items named in ``missing``; one change event autosaves
  const form = document.getElementById("questionnaire");
  let filled = 0;
  for (let pass = 0; pass < 4; pass++) {
    form.querySelectorAll(".q").forEach(q => {
      const item = q.dataset.item;
      if (q.hidden || missing.includes(item)) return;
      const select = q.querySelector("select"), number = q.querySelector("input[inputmode=decimal]");
      const boxes = Array.from(q.querySelectorAll("input[type=checkbox]"));
      if (select && !select.value) {
        const values = Array.from(select.options).map(o => o.value).filter(v => v);
        select.value = values.includes("是") ? "是" : values[Math.floor(values.length / 2)];
        filled += 1;
      } else if (number && !number.value) {
        number.value = "50"; filled += 1;
      } else if (boxes.length && !boxes.some(b => b.checked)) {
        boxes[0].checked = true; filled += 1;
      }
    });
    form.dispatchEvent(new Event("change", {bubbles: true}));  // shows the questions that now apply
  }
  return filled;
}"""


class Seen:
    """axe-core (and, on the phone, the width check) once for each distinct page of the journey."""

    def __init__(self, page, label: str):
        self.page, self.label, self.pages = page, label, []

    def check(self, what: str) -> None:
        if what in self.pages:
            return
        self.pages.append(what)
        assert_accessible(self.page, f"{what} ({self.label})")
        _fits(self.page)


def _badge(page, link: str) -> str:
    page.wait_for_selector(f"#{link}", state="attached")  # folded away on the phone
    count = page.locator(f"#{link} .count")
    return count.inner_text() if count.count() else ""


def _log_in(page, base, username, password, seen: Seen) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    seen.check("login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize(("label", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_a_new_enterprise_registers_is_approved_assesses_itself_and_reads_its_result(
    live_server,
    world,
    browser_page,  # noqa: F811
    label,
    viewport,
):
    started = time.monotonic()
    cache.clear()
    sync_shipped()
    framework = get_version("gbt23020-discrete")
    page, base = browser_page, live_server.url
    page.set_viewport_size(viewport)
    seen = Seen(page, label)
    ARTIFACTS.mkdir(exist_ok=True)

    # 1. the enterprise registers itself
    page.goto(f"{base}/registrations/new/")
    page.wait_for_selector("#register-form")
    _pick(page, 0, "330000")
    _pick(page, 1, "330100")
    _pick(page, 2, "330106")
    page.fill("#id_name", NAME)
    page.fill("#id_credit_code", credit_code("330106", 4242))
    page.select_option("#id_industry", "34")
    page.select_option("#id_size", "300人以下")
    page.fill("#id_contact_name", "林经理")
    page.fill("#id_email", "lin@example.com")
    page.fill("#id_phone", "0571-88004242")
    page.fill("#id_username", "lin_first")
    page.fill("#id_password", STRONG)
    page.fill("#id_password2", STRONG)
    seen.check("registration form")
    page.click("#register-submit")
    page.wait_for_selector("#registration-sent")
    seen.check("registration sent")

    # 2. 杭州市's authority sees it counted in its navigation and approves it
    _login(page, base, "city_authority")
    page.wait_for_selector("#review-queue")  # an authority's home is its review queue
    assert _badge(page, "nav-registrations") == "1"
    seen.check("authority home")
    _nav(page, "#nav-registrations")
    page.wait_for_selector("#registrations")
    seen.check("registration desk")
    page.click(f"#registrations a >> text={NAME}")
    page.wait_for_selector("#decide")
    seen.check("registration detail")
    page.click("#approve")
    page.wait_for_selector("#state[data-state=approved]")
    assert _badge(page, "nav-registrations") == ""

    # 3. the applicant logs in: the notification, its enterprise, a questionnaire to start
    _log_in(page, base, "lin_first", STRONG, seen)
    page.wait_for_selector("#my-enterprise")
    assert NAME in page.inner_text("#my-enterprise") and "尚未开展自评估" in page.inner_text("#my-enterprise")
    assert _badge(page, "nav-notifications") == "1"
    seen.check("enterprise home")
    _nav(page, "#nav-notifications")
    page.wait_for_selector("#notifications")
    assert f"{NAME} 的注册申请已通过" in page.inner_text("#notifications")
    seen.check("notifications")
    assert _badge(page, "nav-notifications") == ""  # read once seen
    page.goto(f"{base}/")
    page.click("#start-assessment")
    page.wait_for_selector("select[name=framework]")
    seen.check("enterprise's assessments")
    page.select_option("select[name=framework]", str(framework.pk))
    page.click("text=开始自评估")
    page.wait_for_selector("#questionnaire")
    a = Assessment.objects.get(enterprise__name=NAME)
    assert a.status == "draft" and a.framework == framework

    # the section navigator: jump to the fourth section, its progress shown beside it
    links = page.locator("#sections a[data-section]")
    assert links.count() >= 6
    if label == "phone":
        assert page.is_hidden("#section-list")
        page.click("#sections-toggle")
    section = links.nth(3).get_attribute("data-section")
    links.nth(3).click()
    page.wait_for_function(f"location.hash === '#sec-{section}'")
    assert re.fullmatch(r"0/\d+", page.inner_text(f"#sections a[data-section={section}] .sec-progress"))
    seen.check("questionnaire")

    # fill in everything but one question through the page; submitting names the one left
    last = page.locator(f"#sec-{section} .q[data-required='1']").first.get_attribute("data-item")
    with page.expect_response(lambda r: r.request.method == "POST"):
        assert page.evaluate(FILL, [last]) > 20
    page.wait_for_function("document.getElementById('saved').textContent.startsWith('已保存')")
    page.click("#submit")
    assert page.is_visible("#missing")
    missing = page.inner_text("#missing")
    assert "1" in missing and last in missing
    assert Assessment.objects.get(pk=a.pk).status == "draft"
    page.click(f"#missing a[href='#q-{last}']")  # the list leads to the question
    page.wait_for_function(f"location.hash === '#q-{last}'")
    page.evaluate(FILL, [])
    total = page.inner_text(f"#sections a[data-section={section}] .sec-progress").split("/")[1]
    assert page.inner_text(f"#sections a[data-section={section}] .sec-progress") == f"{total}/{total}"
    page.once("dialog", lambda d: d.accept())  # "submit for review?" — yes
    page.click("#submit")
    page.wait_for_selector("#status >> text=待审核")
    assert Assessment.objects.get(pk=a.pk).status == "submitted"
    seen.check("submitted questionnaire")

    # 4. the authority finds it in its review queue, counted in the navigation, and approves it
    _log_in(page, base, "city_authority", PASSWORD, seen)
    page.wait_for_selector("#review-queue")
    assert _badge(page, "nav-pending") == "1"
    assert _badge(page, "nav-notifications") == "2"  # the registration, then the submission
    assert NAME in page.inner_text("#review-queue")
    page.click(f"#review-queue a >> text={NAME}")
    page.wait_for_selector("#review")
    seen.check("assessment under review")
    page.click("#review button[value=approve]")
    page.wait_for_selector("#radar[data-drawn='1']")
    assert _badge(page, "nav-pending") == ""
    score = Assessment.objects.get(pk=a.pk).score

    # 5. the enterprise is told, and reads its result
    _log_in(page, base, "lin_first", STRONG, seen)
    page.wait_for_selector("#my-enterprise")
    assert "已评分" in page.inner_text("#my-enterprise") or f"{score.total:.1f}" in page.inner_text("#my-enterprise")
    assert _badge(page, "nav-notifications") == "1"
    _nav(page, "#nav-notifications")
    page.wait_for_selector("#notifications")
    assert "审核通过" in page.inner_text("#notifications li.unread")
    page.click("#notifications li.unread button")
    page.wait_for_selector("#radar[data-drawn='1']")
    assert page.inner_text("#total") == f"{score.total:.1f}"
    assert page.inner_text("#stage") == score.stage_label
    seen.check("result")
    page.screenshot(path=str(ARTIFACTS / f"first-hour-result-{label}.png"), full_page=True)
    assert len(seen.pages) == 13, seen.pages
    took = time.monotonic() - started
    print(f"first hour ({label}): {took:.1f} s")
    assert took < 90, f"the first hour took the browser {took:.0f} s"
