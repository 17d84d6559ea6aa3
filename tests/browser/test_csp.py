"""The site as deployed breaks none of its own policies: Chromium reports no
Content-Security-Policy violation and no Permissions-Policy error on a reader's pages
(fresh and from the page cache) or in the article editor (live preview, quote and
article-link pickers)."""

import re

import pytest

from articles.demo.content import FLAGSHIP

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUOTE_ROWS = "#article_quotes-group tr.form-row:not(.empty-form)"
PREVIEW = ".field-body .markdownx-preview"

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportPolicyViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber} on ${event.documentURI}`
  );
}, true);
"""


class PolicyWatch:
    """Every violation the page's documents report, and the console's policy errors."""

    def __init__(self, page):
        self.problems: list[str] = []
        page.expose_function("reportPolicyViolation", self._violation)
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._console)

    def _violation(self, description: str) -> None:
        self.problems.append(description)

    def _console(self, message):
        if re.search(r"Content.Security.Policy|Permissions.Policy", message.text, re.I):
            self.problems.append(f"console {message.type}: {message.text}")


def test_a_readers_pages_break_no_policy(site, page):
    watch = PolicyWatch(page)
    article = f"{site.url}/{FLAGSHIP[0]}/{FLAGSHIP[1]}/"

    first = page.goto(article)
    page.wait_for_load_state("networkidle")
    second = page.goto(article)
    page.wait_for_load_state("networkidle")
    # The image viewer (a script of ours) opens and closes.
    page.locator("a[data-viewer]").first.click()
    page.locator("dialog.viewer img").wait_for()
    page.keyboard.press("Escape")
    for address in ["/", f"/{FLAGSHIP[0]}/", "/search/?q=rash", "/experts/"]:
        page.goto(site.url + address)
        page.wait_for_load_state("networkidle")

    assert second.headers.get("x-page-cache") == "hit"
    for response in (first, second):
        directives = response.headers["content-security-policy"].split(";")
        assert "script-src 'self'" in [d.strip() for d in directives]
    assert watch.problems == []


def test_the_article_editor_breaks_no_policy(site, page):
    watch = PolicyWatch(page)
    site.login(page, "Editor")
    pk = site.shell(
        "from articles.models import Article\n"
        f"print(Article.objects.get(slug={FLAGSHIP[1]!r}).pk)"
    ).strip()

    page.goto(f"{site.url}/admin/articles/article/{pk}/change/")
    body = page.locator("#id_body")
    body.evaluate("el => { el.focus(); el.setSelectionRange(0, 0); }")
    page.keyboard.type("Typed **just now**.\n\n")
    page.locator(f"{PREVIEW} strong", has_text="just now").wait_for(timeout=10_000)

    page.locator(QUOTE_ROWS).first.get_by_role("button", name="Insert in body").click()
    assert "[[quote:" in body.input_value().split("\n\n")[1]

    page.get_by_label("Link to an article").fill("rash")
    results = page.locator(".article-link-results .insert-article-link")
    results.first.wait_for(timeout=10_000)
    results.first.click()
    assert "[[article:" in body.input_value()
    page.wait_for_load_state("networkidle")
    # The admin's own scripts: the changelist's filters and actions, the add form.
    page.goto(f"{site.url}/admin/articles/article/?q=rash")
    page.goto(f"{site.url}/admin/articles/article/add/")
    page.wait_for_load_state("networkidle")

    assert watch.problems == []
