"""One call for pilots in a real browser, from publication to its published list: the province drafts and
publishes it; the enterprise checks its eligibility, declares with its materials and submits; the city
recommends it; the province accepts it, closes declarations, draws the panel and starts the review; two
experts score independently; the province shortlists, publishes the notice and then the final list, which
anyone can read."""

import pytest

from ronghe.apps.programs.models import Call
from tests.apps.certification.helpers import PDF, scored
from tests.apps.programs.helpers import days, expert
from tests.browser.test_assessment_journey import ARTIFACTS, _login, browser_page  # noqa: F401  (shared fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _step(page, name, **fields):
    form = page.locator(f"form.step[data-step={name}]")
    for field, value in fields.items():
        form.locator(f"[name={field}]").fill(value)
    form.locator("button").click()
    page.wait_for_load_state()


def _logout(page):
    page.click("header form button")


def _score(page, base, user, values):
    from tests.base import PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{base}/programs/reviews/")
    page.click("#sheets a")
    for criterion, value in values.items():
        page.fill(f"input[name=c_{criterion}]", value)
    page.click("button[value=submit]")
    page.wait_for_selector("#sheet-state:has-text('已提交')")
    _logout(page)


def test_it_takes_a_call_from_publication_to_a_published_list(live_server, world, browser_page,  # noqa: F811
                                                              settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    scored(world.a, 3)
    second = expert(world, "宁波专家", "330203")
    second.user.set_password("correct horse battery staple")
    second.user.save()
    page, base = browser_page, live_server.url

    _login(page, base, "province")  # the province drafts the call through its form and publishes it
    page.goto(f"{base}/programs/new/")
    page.fill("#call-form input[name=title]", "2026年浙江省两化融合管理体系贯标试点")
    page.fill("#call-form input[name=declare_from]", days(0).isoformat())
    page.fill("#call-form input[name=declare_until]", days(10).isoformat())
    page.fill("#call-form input[name=recommend_until]", days(20).isoformat())
    page.fill("#call-form textarea[name=materials]", "申报书\n[可选] 证明材料")
    page.select_option("#call-form select[name=min_stage]", "2")
    page.fill("#call-form input[name=panel_size]", "2")
    page.fill("#call-form input[name=min_reviewers]", "2")
    page.fill("#call-form input[name=notice_days]", "5")
    page.click("#call-form button[type=submit]")
    page.wait_for_selector("#state:has-text('草稿')")
    call = Call.objects.get()
    _step(page, "publish")
    page.wait_for_selector("#state:has-text('申报中')")
    _logout(page)

    _login(page, base, "ent_a")  # the enterprise sees why it may declare, declares, uploads, submits
    page.goto(f"{base}/programs/{call.pk}/")
    assert page.locator("#eligibility li.ok[data-rule=stage_at_least]").count() == 1
    page.fill("#declare input[name=title]", "柔性生产贯标试点项目")
    page.click("#declare button")
    page.wait_for_selector("#state:has-text('填报中')")
    pdf = tmp_path / "申报书.pdf"
    pdf.write_bytes(PDF)
    page.select_option("#upload select[name=kind]", "m1")
    page.set_input_files("#upload input[name=file]", str(pdf))
    page.click("#upload button")
    page.wait_for_selector("#materials >> text=申报书.pdf")
    _step(page, "submit")
    page.wait_for_selector("#state:has-text('已申报')")
    assert page.inner_text("#at-authority") == "杭州市经信局"
    _logout(page)

    _login(page, base, "city_authority")  # 杭州市 finds it in its queue and recommends it to the province
    page.goto(f"{base}/programs/{call.pk}/")
    page.click("#queue a >> text=打开")
    _step(page, "recommend")
    page.wait_for_selector("#state:has-text('已推荐')")
    _logout(page)

    _login(page, base, "province")
    declaration = call.declarations.get()
    page.goto(f"{base}/programs/declarations/{declaration.pk}/")
    _step(page, "accept")
    page.wait_for_selector("#state:has-text('已受理')")
    Call.objects.filter(pk=call.pk).update(declare_from=days(-12), declare_until=days(-1))  # the deadline passed
    page.goto(f"{base}/programs/{call.pk}/")
    _step(page, "close")
    page.wait_for_selector("#state:has-text('推荐与受理')")
    page.goto(f"{base}/programs/{call.pk}/panel/")
    page.click("#draw button")
    page.wait_for_selector("#members li >> nth=1")
    page.goto(f"{base}/programs/{call.pk}/")
    _step(page, "start_review")
    page.wait_for_selector("#state:has-text('专家评审')")
    _logout(page)

    _score(page, base, "expert", {"c1": "22", "c2": "27.5", "c3": "20", "c4": "16"})  # 85.5
    _score(page, base, second.user.username, {"c1": "20", "c2": "24", "c3": "19.5", "c4": "15"})  # 78.5

    _login(page, base, "province")
    page.goto(f"{base}/programs/{call.pk}/results/")
    row = page.locator(f"#results tr[data-declaration='{declaration.pk}']")
    assert row.locator(".average").inner_text() == "82.00" and row.locator(".rank").inner_text() == "1"
    page.goto(f"{base}/programs/{call.pk}/")
    _step(page, "shortlist")
    page.wait_for_selector("#state:has-text('拟入选名单已确定')")
    _step(page, "publish_notice", date=days(-6).isoformat())  # five days of notice, over yesterday
    page.wait_for_selector("#list >> text=杭州甲机械有限公司")
    _step(page, "publish_list")
    page.wait_for_selector("#state:has-text('名单已公布')")
    _logout(page)

    page.goto(f"{base}/programs/{call.pk}/")  # anyone reads the final list
    assert "最终名单" in page.inner_text("#list") and "柔性生产贯标试点项目" in page.inner_text("#list")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "program-list-published.png"), full_page=True)
