"""Queries per request: the same for a page of 1 as for a page of 50, with every
filter, and a fixed number for any article however much it holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.previews import make_share_token
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    ArticleSourceFactory,
    AuthorFactory,
    AuthorLinkFactory,
    CategoryFactory,
    ExpertFactory,
    ListItemFactory,
    QuoteFactory,
    RelatedLinkFactory,
    TagFactory,
)

from .support import API, list_operations, parameters

pytestmark = pytest.mark.django_db


def queries(client, url: str, params=None) -> tuple[int, list[str]]:
    """How many queries answering ``url`` costs, and their SQL."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, params, response.content[:300])
    return len(captured), [query["sql"] for query in captured.captured_queries]


@pytest.fixture
def many():
    """51 published articles in a sub-section, each with a shared and an own author,
    tag and quoted expert, all reviewed by one expert."""
    section = CategoryFactory(parent=CategoryFactory())
    tag, author, expert = TagFactory(), AuthorFactory(), ExpertFactory()
    for _ in range(51):
        article = ArticleFactory(
            published=True,
            category=section,
            authors=[author, AuthorFactory()],
            reviewed=True,
            reviewed_by=expert,
        )
        article.tags.add(tag, TagFactory())
        for by in (expert, ExpertFactory()):
            ArticleQuoteFactory(article=article, quote=QuoteFactory(expert=by))
    return {
        "section": section.parent.slug,
        "tag": tag.slug,
        "author": author.slug,
        "expert": expert.slug,
        "q": "article",
        "published_since": "2000-01-01",
        "published_until": "2999-01-01T00:00:00Z",
        "updated_since": "2000-01-01T00:00",
    }


# What each list costs unfiltered: its page, plus what the page shows.
LIST_QUERIES = {"articles": 3, "tags": 1, "authors": 1, "experts": 1, "quotes": 2}


def test_every_list_costs_the_same_for_1_and_50_items_whatever_the_filter(client, many):
    for path, operation in list_operations():
        variants = [{}]
        for parameter in parameters(operation, "query"):
            name = parameter["name"]
            values = parameter["schema"].get("enum") or [many.get(name)]
            variants += [{name: value} for value in values if value is not None]
        for variant in variants:
            one, _ = queries(client, path, {**variant, "limit": 1})
            fifty, _ = queries(client, path, {**variant, "limit": 50})
            assert fifty == one, (path, variant)
        assert queries(client, path)[0] == LIST_QUERIES[path.split("/")[3]], path
    assert len(client.get(f"{API}/quotes", {"limit": 50}).json()["items"]) == 50


def test_the_section_filter_reads_only_the_section_asked_for(client):
    CategoryFactory.create_batch(3)
    section = CategoryFactory()

    _, sql = queries(client, f"{API}/articles", {"section": section.slug})

    on_sections = [q for q in sql if 'FROM "articles_category"' in q]
    assert len(on_sections) == 2  # the section, then its sub-sections
    assert all("WHERE" in q for q in on_sections)


def test_sections_cost_the_same_for_1_and_30(client):
    CategoryFactory()
    one, _ = queries(client, f"{API}/sections")
    parents = CategoryFactory.create_batch(15)
    for parent in parents[:14]:
        CategoryFactory(parent=parent)

    assert queries(client, f"{API}/sections")[0] == one == 2


def article_holding(count: int):
    """A published article with ``count`` quotes, list items, sources and tags, and
    one curated related link (the block is topped up by a query either way)."""
    article = ArticleFactory(published=True, reviewed=True, list_heading="More")
    placed = [ArticleQuoteFactory(article=article) for _ in range(count)]
    article.body = "## Quotes\n\n" + "\n\n".join(
        f"[[quote:{row.quote_id}]]" for row in placed
    )
    article.save()
    article.tags.add(*TagFactory.create_batch(count))
    for _ in range(count):
        ListItemFactory(article=article)
        ArticleSourceFactory(article=article)
    RelatedLinkFactory(article=article)
    return article


# Rendering and storing the answer after a change; then reading it back.
FIRST_ANSWER, STORED_ANSWER = 16, 1


@pytest.mark.parametrize("count", [1, 12])
def test_an_article_costs_a_fixed_number_of_queries_whatever_it_holds(client, count):
    article = article_holding(count)
    by_id = f"{API}/articles/{article.pk}"
    by_address = f"{API}/articles/{article.category.slug}/{article.slug}"

    assert queries(client, by_id)[0] == FIRST_ANSWER
    assert queries(client, by_id)[0] == STORED_ANSWER
    assert queries(client, by_address)[0] == STORED_ANSWER


@pytest.mark.parametrize("count", [1, 12])
def test_a_preview_costs_a_fixed_number_of_queries_whatever_it_holds(client, count):
    article = article_holding(count)
    token = make_share_token(article)

    assert queries(client, f"{API}/articles/{article.pk}", {"preview": token})[0] == 10


def test_details_cost_the_same_however_much_they_list(client):
    """A quote placed in 1 or 20 articles, an author with 1 or 20 links, a section
    with 1 or 20 sub-sections."""
    quote, author, section = QuoteFactory(), AuthorFactory(), CategoryFactory()
    ArticleQuoteFactory(article=ArticleFactory(published=True), quote=quote)
    ArticleFactory(published=True, authors=[author])
    AuthorLinkFactory(author=author)
    CategoryFactory(parent=section)
    urls = [
        f"{API}/quotes/{quote.pk}",
        f"{API}/authors/{author.slug}",
        f"{API}/sections/{section.slug}",
    ]
    before = [queries(client, url)[0] for url in urls]

    for _ in range(19):
        ArticleQuoteFactory(article=ArticleFactory(published=True), quote=quote)
        AuthorLinkFactory(author=author)
        CategoryFactory(parent=section)

    assert [queries(client, url)[0] for url in urls] == before == [2, 2, 2]
