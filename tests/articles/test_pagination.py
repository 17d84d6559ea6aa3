from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from articles import pagination, views
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(monkeypatch):
    """Five published articles, two a page, and counts capped at three rows."""
    monkeypatch.setattr(views.PublishedArticlesMixin, "paginate_by", 2)
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    category = CategoryFactory()
    for n in range(5):
        ArticleFactory(
            published=True,
            category=category,
            title=f"Article {n}",
            published_at=timezone.now() - timedelta(days=n + 1),
        )
    return category


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_past_the_cap_pages_are_numbered_without_a_total(client, section):
    first = page(client, section.get_absolute_url())

    assert first.select_one(".pagination [aria-current]").get_text() == "Page 1"
    assert first.select_one("a[rel=next]")["href"] == "?page=2"


def test_the_last_page_past_the_cap_has_no_next_link(client, section):
    last = page(client, section.get_absolute_url(), page=3)

    titles = [h.get_text(strip=True) for h in last.select(".card h2")]
    assert titles == ["Article 4"]
    assert last.select_one("a[rel=prev]") is not None
    assert last.select_one("a[rel=next]") is None


def test_a_page_beyond_the_last_is_404_past_the_cap(client, section):
    assert client.get(section.get_absolute_url(), {"page": 4}).status_code == 404


def test_within_the_cap_the_total_is_shown(client, section, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 10)

    first = page(client, section.get_absolute_url())

    assert first.select_one(".pagination [aria-current]").get_text() == "Page 1 of 3"


def test_the_count_reads_at_most_the_cap(client, section, django_assert_num_queries):
    with django_assert_num_queries(5) as queries:
        client.get(section.get_absolute_url())

    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 4" in counts[0]


def test_search_past_the_cap_says_more_than(client, section, monkeypatch):
    monkeypatch.setattr(views.SearchView, "count_cap", 3)

    found = page(client, "/search/", q="Article")

    assert found.select_one(".search-count").get_text() == "More than 3 articles found"


@pytest.mark.parametrize("number", ["9223372036854775808", "99999999999999999999"])
def test_a_page_no_database_offset_reaches_is_404_past_the_cap(client, section, number):
    assert client.get(section.get_absolute_url(), {"page": number}).status_code == 404
