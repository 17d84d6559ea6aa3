"""The API's documentation page, as a developer opens it on the deployed site: Swagger
UI from our own static files (no CDN), every operation listed, a call made from the
page answered, and no Content-Security-Policy violation."""

import pytest

from tests.browser.test_csp import PolicyWatch

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_api_docs_page_works_under_the_sites_policy(site, page):
    watch = PolicyWatch(page)
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith((site.url, "data:"))
            else None
        ),
    )

    page.goto(f"{site.url}/api/v1/docs")
    operations = page.locator(".opblock-summary-path")
    operations.first.wait_for(timeout=15_000)
    paths = set(operations.all_inner_texts())
    assert {"/api/v1/articles", "/api/v1/articles/{pk}", "/api/v1/experts"} <= {
        p.replace("\u200b", "") for p in paths
    }

    # "Try it out" on the article list: the page calls the API and shows the answer.
    block = page.locator(".opblock", has=page.locator('[data-path="/api/v1/articles"]'))
    block.first.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = block.first.locator(
        ".live-responses-table tbody .response-col_status"
    ).first
    status.wait_for(timeout=15_000)
    assert status.inner_text().strip() == "200"

    assert outside == []
    assert watch.problems == []
