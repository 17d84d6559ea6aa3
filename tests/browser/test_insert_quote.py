"""The "Insert in body" button next to each quote in an article's Quotes list."""

import pytest

from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    QuoteFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

BODY = "## Intro\n\nFirst paragraph.\n\nSecond paragraph."
QUOTE_ROWS = "#article_quotes-group tr.form-row:not(.empty-form)"


def open_article(live_server, page, article):
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")


def body_value(page):
    return page.locator("#id_body").input_value()


def put_cursor_after(page, text):
    page.locator("#id_body").evaluate(
        "(el, text) => { el.focus(); const at = el.value.indexOf(text) + text.length;"
        " el.setSelectionRange(at, at); }",
        text,
    )


def preview_quote(page, words):
    figure = page.locator(".field-body .markdownx-preview figure.quote", has_text=words)
    figure.wait_for(timeout=5000)
    return figure


def test_inserts_a_listed_quote_on_its_own_line_at_the_cursor(
    live_server, signed_in, page
):
    quote = QuoteFactory(text="Most rashes settle by themselves.")
    article = ArticleFactory(body=BODY)
    ArticleQuoteFactory(article=article, quote=quote)
    open_article(live_server, page, article)
    put_cursor_after(page, "First paragraph.")

    row = page.locator(QUOTE_ROWS).first
    assert row.locator(".quote-ref").inner_text() == f"[[quote:{quote.pk}]]"
    row.get_by_role("button", name="Insert in body").click()

    assert body_value(page) == (
        f"## Intro\n\nFirst paragraph.\n\n[[quote:{quote.pk}]]\n\nSecond paragraph."
    )
    figure = preview_quote(page, "Most rashes settle by themselves.")
    assert quote.expert.full_name in figure.locator("figcaption").inner_text()
    # The cursor is left at the start of the paragraph after the reference, so what is
    # typed or inserted next is never on the reference's line.
    caret = page.locator("#id_body").evaluate("el => el.selectionStart")
    assert body_value(page)[:caret].endswith(f"[[quote:{quote.pk}]]\n\n")


def test_inserts_a_quote_just_picked_in_the_autocomplete(live_server, signed_in, page):
    quote = QuoteFactory(text="Oatmeal baths soothe itchy skin.")
    article = ArticleFactory(body=BODY)
    open_article(live_server, page, article)

    page.click("#article_quotes-group .add-row a")
    row = page.locator(QUOTE_ROWS).last
    button = row.get_by_role("button", name="Insert in body")
    assert button.is_disabled()
    row.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("oatmeal")
    page.locator(".select2-results__option", has_text="Oatmeal baths").click()

    assert row.locator(".quote-ref").inner_text() == f"[[quote:{quote.pk}]]"
    button.click()

    # Never clicked into, the body gets the quote at its end, then a fresh line.
    assert body_value(page) == f"{BODY}\n\n[[quote:{quote.pk}]]\n\n"
    preview_quote(page, "Oatmeal baths soothe itchy skin.")


def test_inserting_mid_paragraph_still_gives_the_reference_a_line_of_its_own(
    live_server, signed_in, page
):
    quote = QuoteFactory()
    article = ArticleFactory(body="One line of text")
    ArticleQuoteFactory(article=article, quote=quote)
    open_article(live_server, page, article)
    put_cursor_after(page, "One line")

    page.locator(QUOTE_ROWS).first.get_by_role("button", name="Insert in body").click()

    assert body_value(page) == f"One line\n\n[[quote:{quote.pk}]]\n\n of text"
