"""Quote sign-off and its effect on publishing and on published pages."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Article, ArticleQuote, ArticleTransition
from articles.services import article_publish, unapproved_quotes
from experts.models import Quote
from tests.articles.test_admin import (
    ADD_URL,
    article_post_data,
    assert_saved,
    bylines,
    form_errors,
    management_form,
    quotes,
)
from tests.articles.test_workflow import (
    bulk,
    change_data,
    change_url,
    html_of,
    member_of,
    messages_of,
    reloaded,
)
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    ExpertFactory,
    QuoteFactory,
)

Status = Article.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return member_of("Editor")


def with_quotes(*quotes, **kwargs):
    """An article placing each quote, in order, between paragraphs of its own."""
    placed = "\n\n".join(quote.reference for quote in quotes)
    article = ArticleFactory(
        body=f"## Intro\n\nBefore the quotes.\n\n{placed}\n\nAfter the quotes.",
        **kwargs,
    )
    for position, quote in enumerate(quotes):
        ArticleQuoteFactory(article=article, quote=quote, position=position)
    return article


def sent_quote(name="Amara Okafor"):
    return QuoteFactory(sent=True, expert__honorific="Dr", expert__name=name)


def message_of(excinfo):
    return " ".join(excinfo.value.messages)


# unapproved_quotes -----------------------------------------------------------------


def test_unapproved_quotes_are_the_articles_quotes_not_approved_in_list_order():
    approved, sent, withdrawn, not_sent = (
        QuoteFactory(),
        QuoteFactory(sent=True),
        QuoteFactory(withdrawn=True),
        QuoteFactory(not_sent=True),
    )
    article = with_quotes(approved, sent, withdrawn, not_sent)
    QuoteFactory(not_sent=True)  # not in this article

    assert unapproved_quotes(article) == [sent, withdrawn, not_sent]


# The publishing service --------------------------------------------------------------


def test_publishing_with_unapproved_quotes_is_refused_naming_each(editor):
    first = sent_quote("Amara Okafor")
    second = QuoteFactory(
        not_sent=True, expert__honorific="Prof", expert__name="Ben Carter"
    )
    approved = QuoteFactory()
    article = with_quotes(first, approved, second)

    with pytest.raises(ValidationError) as excinfo:
        article_publish(article=article, by=editor)

    message = message_of(excinfo)
    assert f"[[quote:{first.pk}]] by Dr Amara Okafor (sent to the expert)" in message
    assert f"[[quote:{second.pk}]] by Prof Ben Carter (not yet sent)" in message
    assert f"[[quote:{approved.pk}]]" not in message
    assert reloaded(article).status == Status.DRAFT
    assert not ArticleTransition.objects.exists()


def test_a_withdrawn_quote_also_stops_publishing(editor):
    quote = QuoteFactory(withdrawn=True)

    with pytest.raises(ValidationError) as excinfo:
        article_publish(article=with_quotes(quote), by=editor)

    assert f"[[quote:{quote.pk}]] by {quote.expert.full_name} (withdrawn)" in (
        message_of(excinfo)
    )


def test_publishing_with_every_quote_approved_is_allowed(editor):
    article = with_quotes(QuoteFactory(), QuoteFactory())

    article_publish(article=article, by=editor, comment="Ready.")

    assert reloaded(article).is_published()
    assert article.transitions.get().comment == "Ready."


def test_override_publishes_and_the_history_names_the_quotes(editor):
    first, second = sent_quote(), QuoteFactory(not_sent=True)
    article = with_quotes(first, QuoteFactory(), second)

    article_publish(
        article=article,
        by=editor,
        comment="Agreed by phone.",
        override_quote_approval=True,
    )

    assert reloaded(article).is_published()
    assert article.transitions.get().comment == (
        f"Published with unapproved quotes: [[quote:{first.pk}]], "
        f"[[quote:{second.pk}]]. Agreed by phone."
    )


def test_override_with_nothing_to_override_records_nothing(editor):
    article = with_quotes(QuoteFactory())

    article_publish(article=article, by=editor, override_quote_approval=True)

    assert article.transitions.get().comment == ""


def test_quote_approval_is_not_required_when_the_setting_is_off(editor, settings):
    settings.CMS_REQUIRE_QUOTE_APPROVAL = False
    article = with_quotes(sent_quote())

    article_publish(article=article, by=editor)

    assert reloaded(article).is_published()
    assert article.transitions.get().comment == ""


def test_rescheduling_a_published_article_checks_its_quotes_again(editor):
    article = with_quotes(QuoteFactory(), published=True)
    Quote.objects.update(status=Quote.Status.SENT, sent_at="2026-01-05")

    with pytest.raises(ValidationError):
        article_publish(article=article, by=editor)


# The admin ------------------------------------------------------------------------------


def quote_rows(article, *added):
    """The Quotes inline as the admin posts it: the article's rows, then ``added``."""
    rows = list(ArticleQuote.objects.filter(article=article))
    data = management_form("article_quotes", len(rows) + len(added), initial=len(rows))
    for index, row in enumerate(rows):
        data[f"article_quotes-{index}-id"] = str(row.pk)
        data[f"article_quotes-{index}-article"] = str(article.pk)
        data[f"article_quotes-{index}-quote"] = str(row.quote_id)
        data[f"article_quotes-{index}-position"] = str(row.position)
    for index, quote in enumerate(added, start=len(rows)):
        data[f"article_quotes-{index}-quote"] = str(quote.pk)
        data[f"article_quotes-{index}-position"] = str(index)
    return data


def publish_in_admin(client, article, *added, **fields):
    return client.post(
        change_url(article),
        change_data(
            article, action=Status.PUBLISHED, **quote_rows(article, *added), **fields
        ),
    )


def test_publishing_in_the_admin_with_unapproved_quotes_is_refused_on_the_form(
    client, editor
):
    client.force_login(editor)
    quote = sent_quote()
    article = with_quotes(quote)

    response = publish_in_admin(client, article)

    assert response.status_code == 200
    html = html_of(response)
    assert f"[[quote:{quote.pk}]] by Dr Amara Okafor (sent to the expert)" in html
    assert "To publish anyway, tick" in html
    assert reloaded(article).status == Status.DRAFT
    assert not ArticleTransition.objects.exists()


def test_editor_override_in_the_admin_publishes_and_shows_in_the_history(
    client, editor
):
    client.force_login(editor)
    quote = sent_quote()
    article = with_quotes(quote)

    response = publish_in_admin(client, article, override_quote_approval="on")

    assert_saved(response)
    assert reloaded(article).is_published()
    page = BeautifulSoup(html_of(client.get(change_url(article))), "html.parser")
    history = page.select_one(".field-workflow_history").get_text(" ", strip=True)
    assert f"Published with unapproved quotes: [[quote:{quote.pk}]]." in history


def test_only_publishers_are_offered_the_override(client, editor):
    writer = member_of("Writer")
    article = ArticleFactory(authors=[writer.author])

    client.force_login(writer)
    writers_page = html_of(client.get(change_url(article)))
    client.force_login(editor)
    editors_page = html_of(client.get(change_url(article)))

    assert 'name="override_quote_approval"' not in writers_page
    assert 'name="override_quote_approval"' in editors_page


def test_quote_added_in_the_same_save_as_publishing_is_checked(client, editor):
    client.force_login(editor)
    article = ArticleFactory()
    quote = sent_quote()

    response = publish_in_admin(client, article, quote)

    assert response.status_code == 200, form_errors(response)
    assert f"[[quote:{quote.pk}]] by Dr Amara Okafor" in html_of(response)
    assert reloaded(article).status == Status.DRAFT
    assert not ArticleQuote.objects.exists()


def test_new_article_published_on_creation_has_its_quotes_checked(client, editor):
    client.force_login(editor)
    quote = sent_quote()
    data = article_post_data(
        body=f"Intro.\n\n{quote.reference}",
        action=Status.PUBLISHED,
        **bylines(editor.author),
        **quotes(quote),
    )

    refused = client.post(ADD_URL, data)
    overridden = client.post(ADD_URL, {**data, "override_quote_approval": "on"})

    assert refused.status_code == 200
    assert f"[[quote:{quote.pk}]] by Dr Amara Okafor" in html_of(refused)
    assert_saved(overridden)
    article = Article.objects.get()
    assert article.is_published()
    assert article.transitions.get().comment.startswith(
        f"Published with unapproved quotes: [[quote:{quote.pk}]]."
    )


def test_quote_removed_in_the_same_save_as_publishing_no_longer_counts(client, editor):
    client.force_login(editor)
    quote = sent_quote()
    article = ArticleFactory()
    ArticleQuoteFactory(article=article, quote=quote)

    response = publish_in_admin(client, article, **{"article_quotes-0-DELETE": "on"})

    assert_saved(response)
    assert reloaded(article).is_published()
    assert not ArticleQuote.objects.exists()


def test_saving_without_publishing_needs_no_approval(client, editor):
    client.force_login(editor)
    article = with_quotes(sent_quote())

    response = client.post(
        change_url(article), change_data(article, title="New", **quote_rows(article))
    )

    assert_saved(response)
    assert reloaded(article).title == "New"


def test_publish_selected_reports_each_refusal_and_publishes_the_rest(client, editor):
    client.force_login(editor)
    quote = sent_quote()
    refused = with_quotes(quote, title="Waiting on Dr Okafor")
    fine = with_quotes(QuoteFactory(), title="All approved")

    response = bulk(client, "publish_selected", refused, fine)

    assert reloaded(fine).is_published()
    assert reloaded(refused).status == Status.DRAFT
    messages = messages_of(response)
    assert any(
        m.startswith("“Waiting on Dr Okafor” was not published:")
        and f"[[quote:{quote.pk}]] by Dr Amara Okafor (sent to the expert)" in m
        for m in messages
    ), messages
    assert "1 article(s) published." in messages


# Published pages ------------------------------------------------------------------------


def prose(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser").select_one(".prose")


def test_withdrawn_quote_disappears_from_the_published_page_and_the_rest_stays(
    client,
):
    kept = QuoteFactory(text="Keep nails short.")
    withdrawn = QuoteFactory(text="Oatmeal baths help.")
    article = with_quotes(kept, withdrawn, published=True)
    assert len(prose(client, article).select("figure.quote")) == 2

    withdrawn.status = Quote.Status.WITHDRAWN
    withdrawn.save()

    page = prose(client, article)
    assert [f.blockquote.get_text(strip=True) for f in page.select("figure.quote")] == [
        "Keep nails short."
    ]
    text = page.get_text()
    assert "Oatmeal" not in text
    assert "[[quote" not in text
    assert "Before the quotes." in text and "After the quotes." in text


def test_withdrawn_quote_disappears_from_the_staff_preview_too(admin_client):
    withdrawn = QuoteFactory(withdrawn=True, text="Taken back.")
    article = with_quotes(withdrawn)

    response = admin_client.get(reverse("articles:preview", args=[article.pk]))

    assert "Taken back." not in response.content.decode()
    assert "Before the quotes." in response.content.decode()


def test_body_for_page_leaves_out_a_withdrawn_quote_without_for_page():
    article = with_quotes(QuoteFactory(withdrawn=True, text="Taken back."))

    assert "Taken back." not in Article.objects.get(pk=article.pk).body_for_page()


def test_expert_rename_changes_every_article_page_at_once(client):
    expert = ExpertFactory(
        honorific="Dr", name="Amara Okafor", job_title="Registrar", organisation="A"
    )
    articles = [
        with_quotes(QuoteFactory(expert=expert), published=True) for _ in range(3)
    ]
    shared = QuoteFactory(expert=expert)
    for article in articles:
        ArticleQuoteFactory(article=article, quote=shared, position=9)
        article.body += f"\n\n{shared.reference}"
        article.save()

    expert.honorific, expert.name = "Prof", "Amara Okafor-Reid"
    expert.short_name = "Prof Amara"
    expert.job_title, expert.organisation = "Consultant Paediatrician", "Northgate"
    expert.save()

    for article in articles:
        page = prose(client, article)
        captions = [f.figcaption.get_text(strip=True) for f in page.select("figure")]
        # The first mention in full; a later one may use the short name.
        assert len(captions) == 2
        assert captions[0] == (
            "Prof Amara Okafor-Reid, Consultant Paediatrician at Northgate"
        )
        assert "Prof Amara" in captions[1]
        assert "Registrar" not in page.get_text()
        assert "Dr Amara" not in page.get_text()


# The live preview -----------------------------------------------------------------------


def test_live_preview_shows_a_withdrawn_quote_as_a_warning(admin_client):
    withdrawn = QuoteFactory(withdrawn=True, text="Taken back.")
    kept = QuoteFactory(text="Still here.")

    response = admin_client.post(
        "/markdownx/markdownify/",
        {"content": f"Intro.\n\n{withdrawn.reference}\n\n{kept.reference}"},
    )

    page = BeautifulSoup(response.content.decode(), "html.parser")
    warning = page.select_one(".preview-warning")
    assert warning["role"] == "alert"
    assert warning.get_text() == (
        f"[[quote:{withdrawn.pk}]] was withdrawn and will not show"
    )
    assert "Taken back." not in page.get_text()
    assert page.select_one("figure.quote blockquote").get_text(strip=True) == (
        "Still here."
    )


def test_a_withdrawn_quote_may_still_be_listed_and_placed(client, editor):
    client.force_login(editor)
    withdrawn = QuoteFactory(withdrawn=True)
    article = with_quotes(withdrawn)

    response = client.post(
        change_url(article), change_data(article, title="Kept", **quote_rows(article))
    )

    assert_saved(response)
