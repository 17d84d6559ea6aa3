from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.models.search import clean_query, parse_terms
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def titles(queryset):
    return [article.title for article in queryset]


def search(q):
    return list(Article.objects.published().search(q))


def test_title_match_ranks_above_standfirst_and_body_matches():
    body = ArticleFactory(
        published=True,
        title="Feeding at night",
        body="## Rashes\n\nEczema can flare up. Eczema needs cream. Eczema again.",
    )
    title = ArticleFactory(published=True, title="Eczema in babies")
    standfirst = ArticleFactory(
        published=True, title="Dry skin", standfirst="Is it eczema or dry skin?"
    )
    found = search("eczema")
    assert titles(found) == [title.title, standfirst.title, body.title]
    assert found[0].rank > found[1].rank > found[2].rank


def test_tags_are_searched():
    article = ArticleFactory(published=True, title="Sore bottoms")
    article.tags.add(TagFactory(name="Nappy rash"))
    ArticleFactory(published=True, title="Something else")
    assert titles(search("nappy")) == ["Sore bottoms"]


def test_renamed_tag_is_found_by_its_new_name():
    tag = TagFactory(name="Teeth")
    article = ArticleFactory(published=True, title="First tooth")
    article.tags.add(tag)
    tag.name = "Teething"
    tag.save()
    assert titles(search("teething")) == [article.title]


def test_only_published_articles_are_found():
    ArticleFactory(published=True, title="Colic explained")
    ArticleFactory(title="Colic draft")
    ArticleFactory(
        title="Colic later",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(hours=1),
    )
    assert titles(search("colic")) == ["Colic explained"]


def test_snippet_marks_the_match_and_escapes_the_rest():
    ArticleFactory(
        published=True,
        title="Safe sleep",
        standfirst="A firm mattress <b>matters</b> & so does a clear cot.",
        body="## Cots\n\nKeep the cot clear of toys. Nothing else.",
    )
    (found,) = search("mattress")
    assert "<mark>" in found.snippet and "</mark>" in found.snippet
    # Escaped (SQLite) or dropped by ts_headline (PostgreSQL), never markup.
    assert "<b>" not in found.snippet
    text = BeautifulSoup(str(found.snippet), "html.parser")
    assert [m.get_text().lower() for m in text.find_all("mark")][0].startswith(
        "mattress"
    )
    assert {tag.name for tag in text.find_all(True)} == {"mark"}


def test_editor_markup_in_the_snippet_is_escaped():
    ArticleFactory(
        published=True,
        title="Teething gel",
        standfirst='Teething <script>alert("x")</script> tips',
    )
    (found,) = search("teething")
    assert "<script>" not in found.snippet
    text = BeautifulSoup(str(found.snippet), "html.parser")
    assert {tag.name for tag in text.find_all(True)} == {"mark"}


@pytest.mark.parametrize(
    "q",
    [
        "",
        "   ",
        "!!!???",
        '"',
        '"unbalanced quote',
        "a\x00b",
        "\x00",
        "x" * 5000,
        "rash " * 500,
        "-",
        "OR",
        "((()))",
        "' OR 1=1 --",
        "%_\\",
    ],
)
def test_junk_queries_give_no_error(client, q):
    ArticleFactory(published=True, title="Rash guide")
    response = client.get(reverse("articles:search"), {"q": q})
    # A NUL byte is refused before any view (cms.middleware), as a bad request.
    assert response.status_code == (400 if "\x00" in q else 200)
    search(q)  # and the queryset method directly


def test_blank_query_matches_nothing():
    ArticleFactory(published=True)
    assert search("") == [] and search("  ?! ") == []


def test_clean_query_strips_control_characters_and_bounds_length():
    assert clean_query("a\x00b") == "a b"
    assert len(clean_query("y" * 1000)) == 200
    assert clean_query("...") == ""


def test_fallback_parses_phrases_or_and_minus():
    assert parse_terms('"cradle cap" -eczema baby or toddler') == [
        [("cradle cap", False)],
        [("eczema", True)],
        [("baby", False), ("toddler", False)],
    ]


def test_quoted_phrase_minus_and_or_syntax():
    ArticleFactory(published=True, title="Cradle cap", body="## A\n\nFlaky scalp.")
    ArticleFactory(published=True, title="Cap sizes", body="## A\n\nCradle to toddler.")
    ArticleFactory(published=True, title="Eczema and cradle cap", body="## A\n\nSkin.")
    assert set(titles(search('"cradle cap"'))) == {
        "Cradle cap",
        "Eczema and cradle cap",
    }
    assert titles(search('"cradle cap" -eczema')) == ["Cradle cap"]
    assert set(titles(search("flaky OR toddler"))) == {"Cradle cap", "Cap sizes"}


def test_search_page_shows_ranked_results_with_snippets(client):
    ArticleFactory(published=True, title="Weaning basics", body="## A\n\nStart slowly.")
    ArticleFactory(
        published=True, title="Lunch ideas", body="## A\n\nAfter weaning, try toast."
    )
    page = soup(client.get(reverse("articles:search"), {"q": "weaning"}))
    results = page.select(".search-result")
    assert [r.h2.get_text() for r in results] == ["Weaning basics", "Lunch ideas"]
    assert results[1].select_one(".snippet mark").get_text().lower().startswith("wean")
    assert page.select_one("#search-q")["value"] == "weaning"
    assert "2 articles found" in page.select_one(".search-count").get_text()


def test_search_page_paginates_keeping_the_query(client):
    for n in range(23):
        ArticleFactory(published=True, title=f"Sleep tip {n}")
    first = soup(client.get(reverse("articles:search"), {"q": "sleep"}))
    assert len(first.select(".search-result")) == 20
    assert first.select_one(".pagination a[rel=next]")["href"] == "?q=sleep&page=2"
    second = soup(client.get(reverse("articles:search"), {"q": "sleep", "page": 2}))
    assert len(second.select(".search-result")) == 3
    assert second.select_one(".pagination a[rel=prev]")["href"] == "?q=sleep"


@pytest.mark.parametrize("page", ["0", "9", "abc"])
def test_search_page_out_of_range_is_404(client, page):
    ArticleFactory(published=True, title="Sleep tip")
    url = reverse("articles:search")
    assert client.get(url, {"q": "sleep", "page": page}).status_code == 404


def test_empty_search_page_shows_the_form(client):
    page = soup(client.get(reverse("articles:search")))
    assert page.select_one("form[role=search] #search-q") is not None
    assert not page.select(".search-result")


def test_search_page_query_count(client, django_assert_max_num_queries):
    for n in range(25):
        article = ArticleFactory(published=True, title=f"Feeding {n}")
        article.tags.add(TagFactory())
    # Count, page of results, bylines, the header's sections.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("articles:search"), {"q": "feeding"})
    assert len(soup(response).select(".search-result")) == 20


@pytest.mark.postgres
def test_postgres_stems_english_words():
    ArticleFactory(published=True, title="Feeding your baby")
    assert titles(search("feeds")) == ["Feeding your baby"]


@pytest.mark.postgres
def test_postgres_websearch_syntax():
    ArticleFactory(published=True, title="Cradle cap", body="## A\n\nFlaky scalp.")
    ArticleFactory(published=True, title="Cap and cradle", body="## A\n\nToddler.")
    ArticleFactory(published=True, title="Eczema and cradle cap", body="## A\n\nSkin.")
    assert set(titles(search('"cradle cap"'))) == {
        "Cradle cap",
        "Eczema and cradle cap",
    }
    assert titles(search('"cradle cap" -eczema')) == ["Cradle cap"]
    assert set(titles(search("flaky or toddler"))) == {"Cradle cap", "Cap and cradle"}


@pytest.mark.postgres
def test_postgres_vector_follows_saves_and_tag_changes():
    article = ArticleFactory(published=True, title="Bath time")
    assert search("splash") == []
    article.body = "## Fun\n\nSplash about in the water."
    article.save()
    assert titles(search("splash")) == ["Bath time"]
    tag = TagFactory(name="Hygiene")
    article.tags.add(tag)
    assert titles(search("hygiene")) == ["Bath time"]
    article.tags.remove(tag)
    assert search("hygiene") == []
    tag.articles.add(article)  # from the tag's side
    assert titles(search("hygiene")) == ["Bath time"]


@pytest.mark.postgres
def test_postgres_search_vector_has_a_gin_index():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'articles_article'"
        )
        definitions = [row[0] for row in cursor.fetchall()]
    assert any("gin (search_vector)" in d for d in definitions)


@pytest.mark.postgres
def test_postgres_headline_snippet_is_escaped():
    ArticleFactory(
        published=True,
        title="Nappy care",
        body="## Tips\n\nChange <b>often</b> & use barrier cream for nappy rash.",
    )
    (found,) = search("barrier")
    assert "<mark>barrier</mark>" in found.snippet
    assert "<b>" not in found.snippet
