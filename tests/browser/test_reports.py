"""The three report pages in a real browser, at 1200 px and on a 390×844 phone, checked by axe-core:
the enterprise's diagnosis report (its manager), the province's monitoring report (its authority)
and the province's regional evaluation report with the map of its cities. Nothing sticks out
sideways on the phone, and the page's download button yields a PDF."""

import pytest

from ronghe.apps.regions import services as regions
from tests.apps.benchmarking.helpers import populate
from tests.apps.regions.helpers import write_data
from tests.browser.axe import assert_accessible
from tests.browser.test_assessment_journey import ARTIFACTS, _login, browser_page  # noqa: F401  (shared fixture)
from tests.browser.test_benchmarking import DESKTOP, PHONE, _fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, url: str, name: str, tmp_path) -> None:
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(url)
        page.wait_for_selector("#report")
        assert page.locator("#report svg.chart").count() >= 1  # the charts are drawn on the server
        _fits(page)
        assert_accessible(page, f"the {name} report ({size})")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"report-{name}-{size}.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#download-pdf")
    path = tmp_path / f"{name}.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF") and download.value.suggested_filename.endswith(".pdf")


def test_each_report_page_is_accessible_fits_a_phone_and_downloads_its_pdf(live_server, world, browser_page, tmp_path):  # noqa: F811
    peers = populate(world)  # approved assessments in 杭州 and 宁波, 2024 and 2025
    page, base = browser_page, live_server.url

    _login(page, base, "ent_a")
    page.goto(f"{base}/assessments/{peers.a[2025].pk}/result/")
    page.click("#report-page")  # the result page's button
    _check(page, page.url, "enterprise", tmp_path)
    assert "诊断报告" in page.locator("#report").inner_text()

    page.context.clear_cookies()
    _login(page, base, "province")
    page.goto(f"{base}/benchmarking/")
    page.click("#monitoring-report")  # the dashboard's button
    _check(page, page.url, "monitoring", tmp_path)
    assert "年度监测报告" in page.locator("#report").inner_text()

    data = write_data(tmp_path / "d.csv", ["330100", "330200"])
    ev = regions.run_evaluation(world.province.memberships.get().organization, "lianghua-regional", [data], runs=10)
    page.goto(f"{base}/regions/{ev.pk}/")
    page.click("#report-page")  # the evaluation page's button
    _check(page, page.url, "region", tmp_path)
    assert page.locator("#region-map svg path.area").count() == 2
