"""Cursor paging: a walk through any list, page by page, yields each item once and in
order, even while new content is published between the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.services import article_publish
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    AuthorFactory,
    ExpertFactory,
    QuoteFactory,
    TagFactory,
    UserFactory,
)

from .support import API, list_operations, walk

pytestmark = pytest.mark.django_db

ORDERS = ("newest", "oldest", "recently_modified", "least_recently_modified")


@pytest.fixture
def originals(time_machine):
    """Seven published articles, some published (and changed) at the same instant."""
    now = timezone.now()
    made = []
    for hours in (5, 4, 4, 4, 3, 2, 2):
        time_machine.move_to(now - timedelta(hours=hours), tick=False)
        made.append(ArticleFactory(published=True, published_at=timezone.now()))
    time_machine.move_to(now, tick=False)
    return made


def ids(items) -> list[int]:
    return [item["id"] for item in items]


@pytest.mark.parametrize("order", ORDERS)
def test_a_walk_sees_every_article_once_while_others_are_published(
    client, originals, order, time_machine
):
    expected = ids(
        client.get(f"{API}/articles", {"order": order, "limit": 100}).json()["items"]
    )
    editor = UserFactory(superuser=True)
    middle = originals[3].published_at

    def publish_more(page: int) -> None:
        if page > 3:
            return  # in the oldest-changed order, the list would grow as it is read
        time_machine.shift(timedelta(minutes=1))
        # One published now, and one backdated into the middle of the list.
        article_publish(article=ArticleFactory(), by=editor)
        ArticleFactory(published=True, published_at=middle)

    walked = ids(
        walk(client, f"{API}/articles", {"order": order, "limit": 2}, publish_more)
    )

    assert len(walked) == len(set(walked)), "an article came twice"
    assert [pk for pk in walked if pk in expected] == expected
    assert Article.objects.published().count() > len(expected)


@pytest.fixture
def lists(time_machine):
    """Five of everything each list shows, quotes made at the same instant."""
    time_machine.move_to(timezone.now(), tick=False)
    expert = ExpertFactory()
    for _ in range(5):
        article = ArticleFactory(published=True, authors=[AuthorFactory()])
        article.tags.add(TagFactory())
        ArticleQuoteFactory(article=article, quote=QuoteFactory(expert=expert))
        ExpertFactory()


@pytest.mark.parametrize("path", [path for path, _ in list_operations()])
def test_a_walk_one_item_at_a_time_is_the_whole_list(client, lists, path):
    whole = client.get(path, {"limit": 100}).json()

    walked = walk(client, path, {"limit": 1})

    assert whole["next_cursor"] is None
    assert len(whole["items"]) >= 5
    assert walked == whole["items"]


def test_a_walk_through_tags_sees_each_once_while_others_are_added(client):
    for slug in ("b", "d", "f", "h"):
        ArticleFactory(published=True).tags.add(TagFactory(slug=slug))
    added = iter("acegijklmn")

    def add_tag(page: int) -> None:
        ArticleFactory(published=True).tags.add(TagFactory(slug=next(added)))

    walked = [t["slug"] for t in walk(client, f"{API}/tags", {"limit": 1}, add_tag)]

    assert walked == sorted(set(walked))
    assert {"b", "d", "f", "h"} <= set(walked)
