"""/articles: newest first, filtered by section (with its sub-sections), tag, author,
expert, publication and change times and search text, in each order."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    AuthorFactory,
    CategoryFactory,
    ExpertFactory,
    QuoteFactory,
    TagFactory,
)

from .support import API

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def ids(client, **params) -> list[int]:
    response = client.get(f"{API}/articles", {"limit": 100, **params})
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def published(at: datetime, **fields) -> Article:
    return ArticleFactory(status=Article.Status.PUBLISHED, published_at=at, **fields)


def test_the_list_is_newest_first_by_default(client):
    now = timezone.now()
    middle, old, new = (published(now - timedelta(days=d)) for d in (2, 3, 1))

    assert ids(client) == [new.pk, middle.pk, old.pk]


def test_an_item_is_the_summary_of_the_article(client):
    article = ArticleFactory(published=True, authors=[AuthorFactory()])
    article.tags.add(TagFactory())

    (item,) = client.get(f"{API}/articles").json()["items"]
    detail = client.get(f"{API}/articles/{article.pk}").json()

    assert item == {key: detail[key] for key in item}
    assert item["reading_minutes"] == 1
    assert "body_html" not in item


@pytest.mark.parametrize(
    "order,field,newest_first",
    [
        ("newest", "published_at", True),
        ("oldest", "published_at", False),
        ("recently_modified", "modified_at", True),
        ("least_recently_modified", "modified_at", False),
    ],
)
def test_each_order(client, order, field, newest_first):
    now = timezone.now()
    articles = [published(now - timedelta(days=d)) for d in (3, 1, 2)]
    # Changed in another order than published.
    for article, days in zip(articles, (1, 3, 2), strict=True):
        Article.objects.filter(pk=article.pk).update(
            modified_at=now - timedelta(hours=days)
        )
    expected = sorted(
        Article.objects.all(), key=lambda a: getattr(a, field), reverse=newest_first
    )

    assert ids(client, order=order) == [a.pk for a in expected]


def test_a_section_lists_its_sub_sections_articles_too(client):
    parent = CategoryFactory()
    child = CategoryFactory(parent=parent)
    own, in_child = (
        ArticleFactory(published=True, category=parent),
        ArticleFactory(published=True, category=child),
    )
    ArticleFactory(published=True)  # another section

    assert set(ids(client, section=parent.slug)) == {own.pk, in_child.pk}
    assert ids(client, section=child.slug) == [in_child.pk]


def test_tag_and_author_filters(client):
    tag, author = TagFactory(), AuthorFactory()
    tagged = ArticleFactory(published=True)
    tagged.tags.add(tag)
    # Second on the byline counts too.
    by = ArticleFactory(published=True, authors=[AuthorFactory(), author])
    ArticleFactory(published=True)

    assert ids(client, tag=tag.slug) == [tagged.pk]
    assert ids(client, author=author.slug) == [by.pk]


def test_the_expert_filter_finds_articles_quoting_or_reviewed_by_them(client):
    expert = ExpertFactory()
    quoting = ArticleFactory(published=True)
    ArticleQuoteFactory(article=quoting, quote=QuoteFactory(expert=expert))
    reviewed = ArticleFactory(published=True, reviewed=True, reviewed_by=expert)
    withdrawn = ArticleFactory(published=True)
    ArticleQuoteFactory(
        article=withdrawn, quote=QuoteFactory(expert=expert, withdrawn=True)
    )
    ArticleQuoteFactory(article=ArticleFactory(published=True))  # another expert

    assert set(ids(client, expert=expert.slug)) == {quoting.pk, reviewed.pk}


def test_filters_combine(client):
    section, tag = CategoryFactory(), TagFactory()
    both = ArticleFactory(published=True, category=section)
    both.tags.add(tag)
    ArticleFactory(published=True, category=section)
    ArticleFactory(published=True).tags.add(tag)

    assert ids(client, section=section.slug, tag=tag.slug) == [both.pk]


def test_published_since_and_until_are_inclusive_bounds(client):
    at = datetime(2024, 7, 10, 12, 0, tzinfo=LONDON)
    before, on, after = (published(at + timedelta(days=d)) for d in (-1, 0, 1))

    assert ids(client, published_since=at.isoformat()) == [after.pk, on.pk]
    assert ids(client, published_until=at.isoformat()) == [on.pk, before.pk]
    assert ids(
        client,
        published_since=(at - timedelta(hours=1)).isoformat(),
        published_until=(at + timedelta(hours=1)).isoformat(),
    ) == [on.pk]


def test_a_time_without_a_zone_is_the_sites(client):
    # 12:00 in London in July is 11:00 UTC.
    article = published(datetime(2024, 7, 10, 11, 0, tzinfo=ZoneInfo("UTC")))

    assert ids(client, published_since="2024-07-10T11:59:00") == [article.pk]
    assert ids(client, published_since="2024-07-10T12:01:00") == []
    assert ids(client, published_until="2024-07-10T11:59:00") == []


def test_a_date_alone_is_the_start_of_that_day_on_the_site(client):
    # 00:30 on 10 July in London is still 9 July in UTC.
    article = published(datetime(2024, 7, 10, 0, 30, tzinfo=LONDON))

    assert ids(client, published_since="2024-07-10") == [article.pk]
    assert ids(client, published_since="2024-07-11") == []


def test_an_articles_own_time_as_a_bound_includes_it(client):
    # A second back: the microseconds set must not put it in the future.
    article = published(
        (timezone.now() - timedelta(seconds=1)).replace(microsecond=123456)
    )
    (item,) = client.get(f"{API}/articles").json()["items"]

    assert ids(client, published_until=item["published_at"]) == [article.pk]


def test_updated_since_finds_every_change_for_syncing(client):
    now = timezone.now()
    old, changed = (
        published(now - timedelta(days=9)),
        published(now - timedelta(days=9)),
    )
    Article.objects.filter(pk=old.pk).update(modified_at=now - timedelta(days=8))
    since = now - timedelta(days=1)
    changed.standfirst = "Changed today."
    changed.save()

    assert ids(client, updated_since=since.isoformat()) == [changed.pk]


def test_search_text_finds_articles_by_their_words(client):
    hiccups = ArticleFactory(published=True, title="Hiccups in newborns")
    in_body = ArticleFactory(
        published=True, body="## Why\n\nBabies get hiccups after feeds."
    )
    ArticleFactory(published=True, title="Teething")
    ArticleFactory(title="Hiccups draft")

    assert set(ids(client, q="hiccups")) == {hiccups.pk, in_body.pk}
    assert ids(client, q="teething hiccups zzzz") == []


def test_search_combines_with_filters_and_orders(client):
    tag = TagFactory()
    now = timezone.now()
    older = published(now - timedelta(days=2), title="Colic at night")
    newer = published(now - timedelta(days=1), title="Colic and crying")
    older.tags.add(tag)
    newer.tags.add(tag)
    published(now, title="Colic elsewhere")

    assert ids(client, q="colic", tag=tag.slug, order="oldest") == [older.pk, newer.pk]


def test_the_next_link_keeps_the_filters(client):
    tag = TagFactory()
    for _ in range(3):
        ArticleFactory(published=True).tags.add(tag)
    ArticleFactory(published=True)

    first = client.get(f"{API}/articles", {"tag": tag.slug, "limit": 2}).json()
    second = client.get(first["next"]).json()

    assert f"tag={tag.slug}" in first["next"]
    assert first["next"].startswith(f"http://testserver{API}/articles?")
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert second["next"] is None and second["next_cursor"] is None
