"""The "Link to an article" search under an article's body."""

import pytest

from tests.browser.test_insert_quote import body_value, open_article
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

BODY = "## Intro\n\nRead our guide to cradle cap for more."


def select_in_body(page, text):
    page.locator("#id_body").evaluate(
        "(el, text) => { el.focus(); const at = el.value.indexOf(text);"
        " el.setSelectionRange(at, at + text.length); }",
        text,
    )


def search(page, term):
    page.get_by_label("Link to an article").fill(term)
    return page.locator(".article-link-results .insert-article-link")


def test_selected_words_become_the_link_to_the_article_picked(
    live_server, signed_in, page
):
    target = ArticleFactory(published=True, title="Cradle cap in babies")
    ArticleFactory(published=True, title="Nappy rash")
    article = ArticleFactory(body=BODY)
    open_article(live_server, page, article)
    select_in_body(page, "our guide to cradle cap")

    results = search(page, "cradle")
    results.first.wait_for(timeout=5000)
    assert results.all_inner_texts() == ["Cradle cap in babies"]
    results.first.click()

    reference = f"[[article:{target.pk}|our guide to cradle cap]]"
    assert body_value(page) == f"## Intro\n\nRead {reference} for more."
    # The live preview shows it as a link to the article's page.
    link = page.locator(".field-body .markdownx-preview a", has_text="our guide")
    link.wait_for(timeout=5000)
    assert link.get_attribute("href") == target.get_absolute_url()
    caret = page.locator("#id_body").evaluate("el => el.selectionStart")
    assert body_value(page)[:caret].endswith(reference)


def test_with_nothing_selected_the_link_shows_the_title_at_the_end(
    live_server, signed_in, page
):
    target = ArticleFactory(published=True, title="Oral thrush in babies")
    article = ArticleFactory(body=BODY)
    open_article(live_server, page, article)

    results = search(page, "thrush")
    results.first.wait_for(timeout=5000)
    page.get_by_label("Link to an article").press("Enter")

    assert body_value(page) == f"{BODY} [[article:{target.pk}]]"
    page.locator(
        ".field-body .markdownx-preview a", has_text="Oral thrush in babies"
    ).wait_for(timeout=5000)
    assert page.locator("#id_body").evaluate("el => el === document.activeElement")


def test_a_search_with_no_match_says_so(live_server, signed_in, page):
    article = ArticleFactory(body=BODY)
    open_article(live_server, page, article)

    page.get_by_label("Link to an article").fill("zzzz")

    page.locator(".article-link-results", has_text="No article matches").wait_for(
        timeout=5000
    )
    assert body_value(page) == BODY
