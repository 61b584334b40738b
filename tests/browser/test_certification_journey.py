"""One 评定 case in a real browser, from the enterprise's application to a certificate that the public
verification page confirms: enterprise → assessment body (acceptance, team, audits, conclusion) →
enterprise (confirmation) → committee (compliance review, notice, certificate) → anyone."""

import pytest

from ronghe.apps.certification.models import Case
from tests.apps.certification.helpers import PDF, days_ago, ready_project
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


def test_it_takes_a_case_from_application_to_a_publicly_verified_certificate(live_server, world, browser_page,  # noqa: F811
                                                                              settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RONGHE_CERT_NOTICE_DAYS = 0  # the notice ends the day it starts, so the test need not wait
    project = ready_project(world.a, by=world.ent_a)
    page, base = browser_page, live_server.url

    _login(page, base, "ent_a")  # the enterprise uploads evidence for a clause and applies
    page.goto(f"{base}/certification/projects/{project.pk}/")
    manual = tmp_path / "管理手册.pdf"
    manual.write_bytes(PDF)
    page.set_input_files("#upload input[name=file]", str(manual))
    page.fill("#upload input[name=evidence_date]", days_ago(20).isoformat())
    page.select_option("#upload select[name=clauses]", ["4.4.3.1", "5.2"])
    page.click("#upload button")
    page.wait_for_selector("#evidence >> text=管理手册.pdf")
    page.select_option("#apply select[name=body]", str(world.body.pk))
    page.click("#apply button")
    page.wait_for_selector("#state:has-text('已申请')")
    case = Case.objects.get()
    _logout(page)

    _login(page, base, "assessor")  # the body's work page lists the new application
    page.wait_for_selector(f"#work >> text=#{case.pk} {world.a.name}")
    page.goto(f"{base}/certification/cases/{case.pk}/")
    _step(page, "accept")
    page.select_option("#assign select[name=user]", str(world.assessor.pk))
    page.select_option("#assign select[name=role]", "lead")
    page.click("#assign button")
    _step(page, "plan_stage1", date=days_ago(6).isoformat())
    page.goto(f"{base}/certification/cases/{case.pk}/audit/")  # the evidence next to its clause
    assert page.locator("tr#clause-5\\.2 >> text=管理手册.pdf").count() == 1
    page.goto(f"{base}/certification/cases/{case.pk}/")
    _step(page, "complete_stage1", report="文件审查完成")
    _step(page, "plan_stage2", date=days_ago(2).isoformat())
    _step(page, "complete_stage2", report="现场审核完成，体系运行有效")
    _step(page, "conclude", report="建议评定为 A 级")
    page.wait_for_selector("#state:has-text('已给出评定结论')")
    _logout(page)

    _login(page, base, "ent_a")
    page.goto(f"{base}/certification/cases/{case.pk}/")
    _step(page, "confirm")
    _logout(page)
    _login(page, base, "assessor")
    page.goto(f"{base}/certification/cases/{case.pk}/")
    _step(page, "submit_review")
    _logout(page)

    _login(page, base, "committee")  # the committee's queue holds the case
    page.wait_for_selector(f"#review >> text=#{case.pk}")
    page.goto(f"{base}/certification/cases/{case.pk}/")
    _step(page, "publish_notice", date=days_ago(0).isoformat())
    page.wait_for_selector("#state:has-text('公示中')")
    _step(page, "issue")
    page.wait_for_selector("#state:has-text('已发证')")
    number = page.inner_text("#certificate").split()[-1]
    _logout(page)

    page.goto(f"{base}/certification/verify/")  # anyone, signed out
    page.fill("#verify input[name=q]", number)
    page.click("#verify button")
    row = page.locator("#results tbody tr")
    assert row.count() == 1 and world.a.name in row.inner_text() and row.locator(".state").inner_text() == "有效"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "certificate-verified.png"), full_page=True)
