"""Queries built once and run with new values (cms/prepared.py) answer as the ORM does."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from cms.prepared import NOW, Prepared
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TITLES = Prepared(
    Article,
    lambda now, title: (
        Article.objects.published(now)
        .filter(title=title)
        .values_list("pk", "published_at")
    ),
    now=NOW,
    title="\x1ftitle",
)


def test_each_call_runs_with_its_own_values_and_converts_like_the_orm():
    soon = timezone.now() + timedelta(hours=1)
    live = ArticleFactory(published=True, title="Live")
    ArticleFactory(published=True, published_at=soon, title="Later")

    assert TITLES.first(now=timezone.now(), title="Live") == (
        live.pk,
        Article.objects.get(pk=live.pk).published_at,
    )
    assert TITLES.first(now=timezone.now(), title="Later") is None
    later = TITLES.first(now=soon + timedelta(seconds=1), title="Later")
    assert later is not None and later[1] == soon
    assert TITLES.first(now=timezone.now(), title="Nowhere") is None


def test_a_stand_in_the_query_does_not_use_is_refused():
    unused = Prepared(
        Article,
        lambda now, title: Article.objects.filter(title="x").values_list("pk"),
        now=NOW,
        title="\x1ftitle",
    )
    with pytest.raises(ValueError, match="stand-ins not found"):
        unused.first(now=timezone.now(), title="x")
