"""The journeys' server is the product as deployed: an editor logs in through the form
and opens the flagship article, with the collected, hashed stylesheets served."""

import re

import pytest

from articles.demo.content import ARTICLES, FLAGSHIP
from cms.management.commands.ensure_demo_editor import WRITER_AUTHOR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FLAGSHIP_TITLE = next(a["title"] for a in ARTICLES if a["slug"] == FLAGSHIP[1])
# CompressedManifestStaticFilesStorage names a file by its content: base.<12 hex>.css
HASHED_CSS = re.compile(r"/static/.+\.[0-9a-f]{12}\.css$")


def test_editor_opens_the_flagship_from_the_admin_search(site, page):
    stylesheets = []
    page.on(
        "response",
        lambda response: (
            stylesheets.append((response.url, response.status))
            if response.request.resource_type == "stylesheet"
            else None
        ),
    )
    site.login(page, "Editor")

    page.goto(f"{site.url}/admin/articles/article/")
    page.fill("#searchbar", FLAGSHIP_TITLE)
    with page.expect_navigation():
        page.press("#searchbar", "Enter")
    assert "?q=" in page.url
    page.locator("#result_list").get_by_role("link", name=FLAGSHIP_TITLE).click()

    page.wait_for_url(re.compile(r"/admin/articles/article/\d+/change/"))
    assert page.locator("#id_title").input_value() == FLAGSHIP_TITLE
    assert page.locator("h1").first.is_visible()
    served = [url for url, status in stylesheets if status == 200]
    assert any(HASHED_CSS.search(url) for url in served), stylesheets
    assert all(status == 200 for _, status in stylesheets), stylesheets


def test_a_login_made_by_a_test_signs_in_and_the_site_mail_is_readable(site, page):
    login = site.add_login("second-editor", "Editor")
    assert site.login(page, login) == login
    assert page.locator("#user-tools").get_by_text("second-editor").count() == 1

    # The Writer login has the flagship's byline.
    bylines = site.shell(
        "from articles.models import Author; "
        "print(*Author.objects.filter(user__username='writer').values_list("
        "'slug', flat=True))"
    )
    assert bylines.split() == [WRITER_AUTHOR]

    site.manage("sendtestemail", "reader@example.com")
    sent = site.emails()[-1]
    assert sent["To"] == "reader@example.com"
    assert "Test email" in sent["Subject"]
