"""/api/docs works without internet: with every request to another host blocked, the page loads its
Swagger UI from the site itself and renders the operations, in the browser's language."""

from urllib.parse import urlparse

import pytest

from tests.browser.test_assessment_journey import browser_page  # noqa: F401  (shared fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_renders_the_api_docs_with_other_hosts_blocked(live_server, browser_page):  # noqa: F811
    page, base = browser_page, live_server.url
    own = urlparse(base).netloc
    blocked, served = [], []

    def route(r):
        if urlparse(r.request.url).netloc != own:
            blocked.append(r.request.url)
            return r.abort()
        served.append(r.request.url)
        return r.continue_()

    page.route("**/*", route)
    page.set_extra_http_headers({"Accept-Language": "zh-CN,zh;q=0.9"})  # a browser set to Chinese
    page.goto(f"{base}/api/docs")
    page.wait_for_selector(".opblock-summary", timeout=30_000)  # Swagger UI drew the operations
    assert page.locator(".opblock").count() >= 40
    assert "您可查看的自评估" in page.inner_text("#swagger-ui")
    assert any(u.endswith("swagger-ui-bundle.js") for u in served) and any(u.endswith("openapi.json") for u in served)
    assert blocked == []  # nothing was even asked of another host
    page.set_extra_http_headers({"Accept-Language": "en-US,en;q=0.9"})  # and one set to English
    page.reload()
    page.wait_for_selector(".opblock-summary", timeout=30_000)
    assert "Assessments visible to you" in page.inner_text("#swagger-ui") and blocked == []
