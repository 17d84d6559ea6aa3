"""Answers a CDN and clients may keep: an ETag to revalidate with, public caching for
anonymous readers only, and the page cache's tags of everything an answer shows, so
that a change to any of it clears the answer (tests/cms/test_api_edge.py covers the
page cache itself)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    RelatedLinkFactory,
    TagFactory,
    UserFactory,
)

from .support import API, list_operations, operations

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    article = ArticleFactory(published=True, reviewed=True)
    article.tags.add(TagFactory())
    ArticleQuoteFactory(article=article)
    RelatedLinkFactory(article=article)
    return article


def retitle(article):
    article.title = "A new headline"
    article.save()


def rename_tag(article):
    tag = article.tags.get()
    tag.name = "A new name"
    tag.save()


@pytest.mark.parametrize(
    "path,change",
    [("/articles", retitle), ("/articles/{pk}", retitle), ("/tags", rename_tag)],
)
def test_an_etag_revalidates_until_a_change(client, article, path, change):
    url = API + path.format(pk=article.pk)
    etag = client.get(url)["ETag"]

    again = client.get(url, headers={"if-none-match": etag})
    assert (again.status_code, again.content) == (304, b"")

    change(article)
    changed = client.get(url, headers={"if-none-match": etag})

    assert changed.status_code == 200
    assert "A new" in changed.content.decode()
    assert changed["ETag"] != etag
    assert (
        client.get(url, headers={"if-none-match": changed["ETag"]}).status_code == 304
    )


def address(path: str, article) -> str:
    """``path`` with the ids and slugs of ``article`` and what it shows."""
    resource = path.split("/")[3]
    slug = {
        "sections": article.category.slug,
        "tags": article.tags.get().slug,
        "authors": article.authors.get().slug,
        "experts": article.reviewed_by.slug,
    }.get(resource, article.slug)
    pk = article.article_quotes.get().quote_id if resource == "quotes" else article.pk
    return path.format(pk=pk, slug=slug, section=article.category.slug)


@pytest.mark.parametrize("path", [path for path, _ in operations()])
def test_anonymous_answers_are_public_for_a_cdn(client, article, path, settings):
    settings.CMS_CDN_SECONDS = 120

    response = client.get(address(path, article))

    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "s-maxage=120" in cache_control
    assert "ETag" in response


def test_the_stored_detail_revalidates_by_its_date_too(client, article, time_machine):
    url = f"{API}/articles/{article.pk}"
    last_modified = client.get(url)["Last-Modified"]
    assert (
        client.get(url, headers={"if-modified-since": last_modified}).status_code == 304
    )

    time_machine.move_to(timezone.now() + timedelta(minutes=1))
    retitle(article)

    assert (
        client.get(url, headers={"if-modified-since": last_modified}).status_code == 200
    )


def test_a_logged_in_readers_answers_are_private(client, article):
    client.force_login(UserFactory())

    response = client.get(f"{API}/articles/{article.pk}")

    assert response["Cache-Control"] == "private, no-cache"
    assert "X-Cache-Tags" not in response


def test_errors_are_not_tagged_for_any_cache(client):
    for url in (f"{API}/articles/999999", f"{API}/articles?section=nope"):
        response = client.get(url)
        assert response.status_code in (400, 404)
        assert "X-Cache-Tags" not in response
        assert "public" not in response.get("Cache-Control", "")


KINDS = {
    "articles": "article",
    "sections": "section",
    "tags": "tag",
    "authors": "author",
    "experts": "expert",
    "quotes": "quote",
}


def shown(value) -> set[str]:
    """The page cache's tag of everything an answer shows with an id and an api_url."""
    found = set()
    if isinstance(value, dict):
        if "id" in value and value.get("api_url"):
            kind = (
                value["api_url"].removeprefix(f"http://testserver{API}/").split("/")[0]
            )
            found.add(f"{KINDS[kind]}:{value['id']}")
        if value.get("article_id"):
            found.add(f"article:{value['article_id']}")
        for item in value.values():
            found |= shown(item)
    elif isinstance(value, list):
        for item in value:
            found |= shown(item)
    return found


def test_every_answer_is_tagged_with_everything_it_shows(client, demo, settings):
    settings.CMS_PAGE_CACHE = True
    urls = [f"{path}?limit=100" for path, _ in list_operations()]
    urls += [
        item.get("api_url") or f"{API}/quotes/{item['id']}"
        for url in list(urls)
        for item in client.get(url).json()["items"]
    ]
    assert len(urls) > 20
    for url in urls:
        response = client.get(url)
        tags = set(response["X-Cache-Tags"].split())
        assert not shown(response.json()) - tags, url
