"""?preview=<share token>: the one article the token names, in whatever state, as the
share preview page shows it; never stored by any cache. A token that has expired,
been tampered with or withdrawn (the article changed state since) is a 403 saying so."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.previews import (
    PreviewLinkExpired,
    PreviewLinkInvalid,
    PreviewLinkWithdrawn,
    make_share_token,
)
from articles.services import article_publish, article_submit
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    CalloutFactory,
    ExpertFactory,
    QuoteFactory,
    UserFactory,
)

from .support import API, error, inner_html, same_html, soup

pytestmark = pytest.mark.django_db


def preview(client, article, token):
    return client.get(f"{API}/articles/{article.pk}", {"preview": token})


@pytest.fixture
def scheduled():
    """An embargoed article, with what the body fills in from live data."""
    expert = ExpertFactory(slug="owen")
    CalloutFactory(key="call-111")
    article = ArticleFactory(body="Draft.")
    placed = ArticleQuoteFactory(article=article, quote=QuoteFactory(expert=expert))
    article.body = (
        f"## Embargoed\n\n[[expert:owen]] says:\n\n[[quote:{placed.quote_id}]]\n\n"
        "[[callout:call-111]]"
    )
    article.save()
    return article_publish(
        article=article,
        by=UserFactory(superuser=True),
        publish_at=timezone.now() + timedelta(days=2),
    )


def test_a_valid_token_shows_its_article_as_a_preview(client, scheduled):
    response = preview(client, scheduled, make_share_token(scheduled))

    assert response.status_code == 200
    data = response.json()
    assert (data["id"], data["preview"]) == (scheduled.pk, True)
    assert "no-store" in response["Cache-Control"]
    assert "X-Cache-Tags" not in response
    assert "ETag" not in response
    assert response["X-Robots-Tag"] == "noindex"


def test_a_preview_is_the_share_preview_page(client, scheduled):
    token = make_share_token(scheduled)

    data = preview(client, scheduled, token).json()
    page = soup(client.get(reverse("articles:share_preview", args=[token])))

    assert same_html(data["body_html"]) == inner_html(
        page.select_one(".article-main > .prose")
    )
    assert "figure" in data["body_html"] and "callout" in data["body_html"]


def test_a_public_article_shown_through_its_token_says_it_is_a_preview(client):
    article = ArticleFactory(published=True)

    response = preview(client, article, make_share_token(article))

    assert response.json()["preview"] is True
    assert "no-store" in response["Cache-Control"]
    assert client.get(f"{API}/articles/{article.pk}").json()["preview"] is False


@pytest.mark.parametrize("state", ["draft", "in review"])
def test_a_valid_token_shows_an_article_never_published(client, state):
    article = ArticleFactory()
    if state == "in review":
        article = article_submit(article=article, by=UserFactory(superuser=True))

    response = preview(client, article, make_share_token(article))

    assert response.status_code == 200
    assert response.json()["published_at"] is None


def refused(response, reason) -> None:
    body = error(response, 403)
    assert body["error"] == "forbidden"
    assert body["detail"] == reason.message
    assert "X-Cache-Tags" not in response


def test_an_expired_token_is_refused(client, scheduled, time_machine, settings):
    settings.CMS_PREVIEW_LINK_MAX_AGE = 3600
    token = make_share_token(scheduled)
    time_machine.move_to(timezone.now() + timedelta(hours=1, seconds=5), tick=False)

    refused(preview(client, scheduled, token), PreviewLinkExpired)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token.replace(token.split(":")[0], token.split(":")[0][::-1]),
        lambda token: token.split(":")[0],
        lambda token: "",
        lambda token: "x" * 2000,
    ],
    ids=["signature", "payload", "unsigned", "empty", "junk"],
)
def test_a_tampered_token_is_refused(client, scheduled, tamper):
    refused(
        preview(client, scheduled, tamper(make_share_token(scheduled))),
        PreviewLinkInvalid,
    )


def test_a_token_withdrawn_by_a_change_of_state_is_refused(client, scheduled):
    token = make_share_token(scheduled)
    Article.objects.filter(pk=scheduled.pk).update(status=Article.Status.UNPUBLISHED)

    refused(preview(client, scheduled, token), PreviewLinkWithdrawn)


def test_a_token_for_a_deleted_article_is_refused(client, scheduled):
    token = make_share_token(scheduled)
    pk = scheduled.pk
    scheduled.delete()

    body = error(client.get(f"{API}/articles/{pk}", {"preview": token}), 403)

    assert body["detail"] == PreviewLinkWithdrawn.message


def test_a_token_for_another_article_is_refused(client, scheduled):
    other = ArticleFactory(published=True)

    body = error(preview(client, other, make_share_token(scheduled)), 403)

    assert body["detail"] == "This preview link is for another article."
    assert scheduled.title not in body["detail"]


def test_a_token_opens_nothing_but_its_articles_detail(client, scheduled):
    token = make_share_token(scheduled)
    address = f"{API}/articles/{scheduled.category.slug}/{scheduled.slug}"

    error(client.get(address, {"preview": token}), 404)
    listed = client.get(f"{API}/articles", {"preview": token}).json()["items"]
    assert scheduled.pk not in [item["id"] for item in listed]
