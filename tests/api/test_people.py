"""Sections, tags, authors, experts and quotes: what articles are filed under, by and
quoting, and the addresses that lead from one to another."""

from datetime import timedelta

import pytest
from django.utils import timezone

from experts.models import Quote
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    AuthorFactory,
    AuthorLinkFactory,
    CategoryFactory,
    ExpertFactory,
    QuoteFactory,
    TagFactory,
)

from .support import API, error, list_operations, walk

pytestmark = pytest.mark.django_db


def slugs(client, path: str, **params) -> list[str]:
    return [item["slug"] for item in walk(client, f"{API}/{path}", params)]


# Sections -----------------------------------------------------------------------------


def test_sections_list_every_section_with_its_sub_sections(client):
    health = CategoryFactory(name="Health", slug="family-health", position=1)
    skin = CategoryFactory(name="Skin", slug="skin-care", parent=health, position=2)
    CategoryFactory(name="Sleep", slug="sleep-well", position=2)

    sections = client.get(f"{API}/sections").json()

    assert [s["slug"] for s in sections] == ["family-health", "sleep-well", "skin-care"]
    by_slug = {s["slug"]: s for s in sections}
    assert by_slug["family-health"]["children"] == ["skin-care"]
    assert by_slug["skin-care"]["parent"] == "family-health"
    assert by_slug["skin-care"]["url"] == f"http://testserver{skin.get_absolute_url()}"
    assert client.get(f"{API}/sections/skin-care").json() == by_slug["skin-care"]


def test_top_level_sections_come_first(client):
    health = CategoryFactory(slug="family-health", position=1)
    CategoryFactory(slug="allergies", parent=health, position=0)
    CategoryFactory(slug="sleep-well", position=2)

    listed = [s["slug"] for s in client.get(f"{API}/sections").json()]

    assert listed[:2] == ["family-health", "sleep-well"]


def test_a_sections_articles_url_lists_its_articles(client):
    section = CategoryFactory(description="All about *skin*.")
    article = ArticleFactory(published=True, category=CategoryFactory(parent=section))
    ArticleFactory(published=True)

    data = client.get(f"{API}/sections/{section.slug}").json()
    listed = client.get(data["articles_url"]).json()["items"]

    assert data["description"] == "All about *skin*."
    assert [item["id"] for item in listed] == [article.pk]


# Tags and authors ---------------------------------------------------------------------


def test_tags_are_those_of_published_articles_by_slug(client):
    on_live, on_draft, unused = (
        TagFactory(slug=s) for s in ("b-tag", "a-tag", "c-tag")
    )
    ArticleFactory(published=True).tags.add(on_live)
    ArticleFactory().tags.add(on_draft)
    two = ArticleFactory(published=True)
    two.tags.add(on_live, TagFactory(slug="a-used"))

    assert slugs(client, "tags", limit=1) == ["a-used", "b-tag"]
    assert client.get(f"{API}/tags/b-tag").json()["name"] == on_live.name
    for hidden in (on_draft, unused):
        error(client.get(f"{API}/tags/{hidden.slug}"), 404)


def test_a_tags_articles_are_at_the_tag_filter(client):
    tag = TagFactory()
    article = ArticleFactory(published=True)
    article.tags.add(tag)

    data = client.get(f"{API}/tags/{tag.slug}").json()

    assert data["url"] == f"http://testserver{tag.get_absolute_url()}"
    response = client.get(f"{API}/articles", {"tag": tag.slug})
    assert [item["id"] for item in response.json()["items"]] == [article.pk]


def test_authors_are_those_with_a_published_byline_by_slug(client):
    live, drafting = AuthorFactory(slug="w-live"), AuthorFactory(slug="w-draft")
    ArticleFactory(published=True, authors=[AuthorFactory(slug="w-a"), live])
    ArticleFactory(authors=[drafting])
    AuthorFactory(slug="w-none")

    assert slugs(client, "authors", limit=1) == ["w-a", "w-live"]
    error(client.get(f"{API}/authors/w-draft"), 404)
    error(client.get(f"{API}/authors/w-none"), 404)


def test_an_authors_detail_has_their_bio_links_and_articles(client):
    author = AuthorFactory(job_title="Health Writer")
    AuthorLinkFactory(author=author, label="Mastodon", url="https://example.social/@w")
    article = ArticleFactory(published=True, authors=[author])

    data = client.get(f"{API}/authors/{author.slug}").json()

    assert data["name"] == author.display_name
    assert data["job_title"] == "Health Writer"
    assert data["bio_html"] == "<p>Writes about <strong>sleep</strong> and skin.</p>"
    assert data["links"] == [{"label": "Mastodon", "url": "https://example.social/@w"}]
    assert data["photo"] is None
    listed = client.get(data["articles_url"]).json()["items"]
    assert [item["id"] for item in listed] == [article.pk]


# Experts --------------------------------------------------------------------------------


def test_experts_are_the_active_ones_by_slug(client):
    for slug in ("e-b", "e-a"):
        ExpertFactory(slug=slug)
    ExpertFactory(slug="e-gone", is_active=False)

    assert slugs(client, "experts", limit=1) == ["e-a", "e-b"]


def test_an_inactive_expert_keeps_their_detail(client):
    expert = ExpertFactory(slug="e-gone", is_active=False)

    assert client.get(f"{API}/experts/e-gone").json()["name"] == expert.full_name


def test_an_experts_detail_leads_to_the_articles_quoting_or_reviewed_by_them(client):
    expert = ExpertFactory(
        website="https://example.org/dr", credentials="MBBS", bio="Paediatrician."
    )
    quoting = ArticleFactory(published=True)
    ArticleQuoteFactory(article=quoting, quote=QuoteFactory(expert=expert))
    reviewed = ArticleFactory(published=True, reviewed=True, reviewed_by=expert)

    data = client.get(f"{API}/experts/{expert.slug}").json()

    assert data["website"] == "https://example.org/dr"
    assert data["credentials"] == "MBBS"
    assert data["bio_html"] == "<p>Paediatrician.</p>"
    assert data["role"] == f"{expert.job_title} at {expert.organisation}"
    listed = client.get(data["articles_url"]).json()["items"]
    assert {item["id"] for item in listed} == {quoting.pk, reviewed.pk}


# Quotes -----------------------------------------------------------------------------------


def test_quotes_are_those_published_articles_carry_newest_first(client, time_machine):
    expert = ExpertFactory()
    now = timezone.now()
    quotes = []
    for days in (3, 1, 2):
        time_machine.move_to(now - timedelta(days=days), tick=False)
        quotes.append(QuoteFactory(expert=expert))
    time_machine.move_to(now, tick=False)
    for quote in quotes:
        ArticleQuoteFactory(article=ArticleFactory(published=True), quote=quote)
    ArticleQuoteFactory(article=ArticleFactory(), quote=QuoteFactory(expert=expert))
    withdrawn = ArticleQuoteFactory(
        article=ArticleFactory(published=True), quote=QuoteFactory(withdrawn=True)
    ).quote
    QuoteFactory(expert=expert)  # placed nowhere

    listed = walk(client, f"{API}/quotes", {"limit": 2})

    assert [q["id"] for q in listed] == [quotes[1].pk, quotes[2].pk, quotes[0].pk]
    error(client.get(f"{API}/quotes/{withdrawn.pk}"), 404)


def test_a_quote_lists_the_published_articles_placing_it_newest_first(client):
    quote = QuoteFactory(text="Babies *sneeze* a lot.")
    now = timezone.now()
    older, newer, draft = (
        ArticleFactory(published=True, published_at=now - timedelta(days=2)),
        ArticleFactory(published=True, published_at=now - timedelta(days=1)),
        ArticleFactory(),
    )
    for article in (older, draft, newer):
        ArticleQuoteFactory(article=article, quote=quote)

    data = client.get(f"{API}/quotes/{quote.pk}").json()

    assert data["text"] == "Babies *sneeze* a lot."
    assert data["text_html"] == "<p>Babies <em>sneeze</em> a lot.</p>"
    assert data["expert"]["slug"] == quote.expert.slug
    assert [a["id"] for a in data["articles"]] == [newer.pk, older.pk]
    assert data["articles"][0]["url"] == f"http://testserver{newer.get_absolute_url()}"
    assert (
        data["articles"][0]["api_url"] == f"http://testserver{API}/articles/{newer.pk}"
    )


def test_quotes_filter_by_expert(client):
    expert = ExpertFactory()
    mine = QuoteFactory(expert=expert)
    for quote in (mine, QuoteFactory()):
        ArticleQuoteFactory(article=ArticleFactory(published=True), quote=quote)

    listed = client.get(f"{API}/quotes", {"expert": expert.slug}).json()["items"]

    assert [q["id"] for q in listed] == [mine.pk]


def test_a_quote_withdrawn_after_publication_leaves_the_api(client):
    placed = ArticleQuoteFactory(article=ArticleFactory(published=True))
    quote = placed.quote
    assert client.get(f"{API}/quotes/{quote.pk}").status_code == 200

    quote.status = Quote.Status.WITHDRAWN
    quote.withdrawn_at = timezone.localdate()
    quote.save()

    error(client.get(f"{API}/quotes/{quote.pk}"), 404)
    assert client.get(f"{API}/quotes").json()["items"] == []


# Every address the API gives leads somewhere --------------------------------------------


def addresses(value) -> set[str]:
    """Every ``api_url``, ``articles_url`` and ``next`` in an answer, and the reader's
    ``url`` of everything that has both."""
    found = set()
    if isinstance(value, dict):
        for key in ("api_url", "articles_url", "next"):
            if value.get(key):
                found.add(value[key])
        if value.get("api_url") and value.get("url"):
            found.add(value["url"])
        for item in value.values():
            found |= addresses(item)
    elif isinstance(value, list):
        for item in value:
            found |= addresses(item)
    return found


def test_every_address_in_every_answer_leads_somewhere(client, demo):
    """From every list, through each address given, two steps deep, on the demo."""
    seen, todo = set(), {f"{path}?limit=3" for path, _ in list_operations()}
    todo.add(f"{API}/sections")
    for _ in range(2):
        found = set()
        for url in todo - seen:
            seen.add(url)
            response = client.get(url)
            assert response.status_code == 200, url
            if url.startswith(("http://testserver/api/", "/api/")):
                found |= addresses(response.json())
        todo = found
    assert len(seen) > 50
