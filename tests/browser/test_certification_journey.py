"""One 评定 case in a real browser, from the enterprise's application to a certificate that the public
verification page confirms: enterprise → assessment body (acceptance, team, audits, a nonconformity)
→ enterprise (corrective action) → assessor (verification, conclusion) → enterprise (confirmation) →
committee (compliance review, notice, certificate) → anyone. Every page on the way passes axe-core."""

import pytest

from ronghe.apps.certification.models import Case
from tests.apps.certification.helpers import PDF, days_ago, ready_project
from tests.browser.axe import assert_accessible
from tests.browser.test_assessment_journey import ARTIFACTS, _login, browser_page  # noqa: F401  (shared fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _step(page, name, **fields):
    form = page.locator(f"form.step[data-step={name}]")
    for field, value in fields.items():
        form.locator(f"[name={field}]").fill(value)
    form.locator("button").click()
    page.wait_for_load_state()
    assert_accessible(page, f"the case page after {name}")


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
    assert_accessible(page, "the project page")
    page.goto(f"{base}/certification/projects/{project.pk}/clauses/")
    assert_accessible(page, "the self-check page")
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
    assert_accessible(page, "the assessor's work page")
    page.goto(f"{base}/certification/cases/{case.pk}/")
    _step(page, "accept")
    page.select_option("#assign select[name=user]", str(world.assessor.pk))
    page.select_option("#assign select[name=role]", "lead")
    page.click("#assign button")
    _step(page, "plan_stage1", date=days_ago(6).isoformat())
    page.goto(f"{base}/certification/cases/{case.pk}/audit/")  # the evidence next to its clause
    assert page.locator("tr#clause-5\\.2 >> text=管理手册.pdf").count() == 1
    assert_accessible(page, "the audit view")
    page.goto(f"{base}/certification/cases/{case.pk}/")
    _step(page, "complete_stage1", report="文件审查完成")
    _step(page, "plan_stage2", date=days_ago(2).isoformat())
    _step(page, "complete_stage2", report="现场审核完成，体系运行有效")
    page.select_option("#raise select[name=severity]", "minor")  # a nonconformity against 5.2
    page.select_option("#raise select[name=clause]", "5.2")
    page.fill("#raise textarea[name=description]", "方针未传达到车间一线")
    page.fill("#raise textarea[name=evidence]", "抽查二车间 3 名员工均不了解两化融合方针")
    page.click("#raise button")
    page.wait_for_selector("#findings >> text=方针未传达到车间一线")
    assert_accessible(page, "the case page with an open nonconformity")
    _step(page, "conclude", report="建议评定为 A 级")  # refused while the nonconformity is open
    page.wait_for_selector("#state:has-text('第二阶段审核完成')")
    _logout(page)

    _login(page, base, "ent_a")  # the enterprise answers with its correction and corrective action
    page.goto(f"{base}/certification/cases/{case.pk}/")
    answer = page.locator("#findings form:has(input[value=answer])")
    answer.locator("textarea[name=answer]").fill("已组织全员培训并张贴方针，纳入新员工入职培训")
    answer.locator("button").click()
    page.wait_for_selector("#findings >> text=已组织全员培训")
    assert_accessible(page, "the case page with an answered nonconformity")
    _logout(page)

    _login(page, base, "assessor")  # the assessor verifies the corrective action, then concludes
    page.goto(f"{base}/certification/cases/{case.pk}/")
    page.locator("#findings form:has(input[value=verify]) button").click()
    page.wait_for_selector("#findings >> text=已验证关闭")
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
    assert_accessible(page, "the committee's queue")
    page.goto(f"{base}/certification/cases/{case.pk}/")
    _step(page, "publish_notice", date=days_ago(0).isoformat())
    page.wait_for_selector("#state:has-text('公示中')")
    _step(page, "issue")
    page.wait_for_selector("#state:has-text('已发证')")
    history = page.inner_text("#history")  # the history names each step as people read it
    for label in ("提交评定申请", "受理申请", "NC1 · 开具不符合项", "NC1 · 验证纠正措施", "签发证书"):
        assert label in history, label
    assert "case.accept" not in history
    number = page.inner_text("#certificate").split()[-1]
    page.click("#certificate")
    assert_accessible(page, "the certificate page")
    page.goto(f"{base}/certification/certificates/")
    assert_accessible(page, "the registry")
    _logout(page)

    page.goto(f"{base}/certification/verify/")  # anyone, signed out
    assert_accessible(page, "the public verification page")
    page.fill("#verify input[name=q]", number)
    page.click("#verify button")
    row = page.locator("#results tbody tr")
    assert_accessible(page, "the verification result")
    assert row.count() == 1 and world.a.name in row.inner_text() and row.locator(".state").inner_text() == "有效"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "certificate-verified.png"), full_page=True)
