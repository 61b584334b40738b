"""Long work in a real browser: a bulk import and an evaluation's Monte Carlo run as background jobs
on a real task worker, and their pages show the progress until the result is there."""

import pytest

from ronghe.apps.assessments.models import Assessment
from ronghe.apps.frameworks.services import register_files
from tests.apps.regions.helpers import write_data
from tests.browser.test_assessment_journey import ARTIFACTS, _login, browser_page  # noqa: F401  (shared fixture)
from tests.conftest import FILES
from tests.workers import task_workers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_runs_an_import_and_a_monte_carlo_in_the_background_with_progress(live_server, world, browser_page,  # noqa: F811
                                                                             settings, tmp_path):
    settings.RONGHE_INLINE_MAX_BYTES = 50  # this file and this data are "large": they become jobs
    (version, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    answers = tmp_path / "answers.csv"
    answers.write_text(f'enterprise,credit_code,a1,a2,b1,b2,b3\n甲,{world.a.credit_code},C,是,"CAD,PDM",60,35\n',
                       encoding="utf-8")
    data = write_data(tmp_path / "data.csv", ["330106", "330102", "330108", "330110"])
    page, base = browser_page, live_server.url
    with task_workers(1, RONGHE_JOB_CHUNK_RUNS="500"):
        _login(page, base, "city_authority")
        page.goto(f"{base}/assessments/import/")
        page.select_option("select[name=framework]", str(version.pk))
        page.fill("input[name=year]", "2025")
        page.set_input_files("input[name=file]", str(answers))
        page.click("main form button[type=submit]")
        page.wait_for_url("**/jobs/*/")
        assert page.locator("#job-progress").count() == 1  # the progress bar the page polls
        page.wait_for_selector("#job-result", timeout=60_000)
        assert page.inner_text("#job-status") == "已完成"
        assert Assessment.objects.get(enterprise=world.a).status == "submitted"

        page.goto(f"{base}/regions/run/")
        page.fill("input[name=title]", "后台评估")
        page.fill("input[name=runs]", "3000")
        page.set_input_files("input[name=data]", str(data))
        page.click("main form button[type=submit]")
        page.wait_for_url("**/jobs/*/")
        seen = set()
        for _ in range(600):  # the page updates itself; note what it shows until the result is there
            seen.add(page.inner_text("#job-status"))
            if page.locator("#job-result").count():
                break
            page.wait_for_timeout(100)
        assert "已完成" in seen and len(seen) >= 2, seen  # it showed the job under way, then done
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "background-job.png"), full_page=True)
        page.click("#result-link")
        page.wait_for_selector("#ranking")
        assert "后台评估" in page.inner_text("h1")
