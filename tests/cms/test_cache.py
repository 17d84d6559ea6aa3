"""A stopped Redis costs speed, never a page (cms/cache.py, cms/pagecache.py)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import ArticleFactory, image_file

pytestmark = pytest.mark.django_db

STOPPED = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_stopped(settings):
    redis = "django.core.cache.backends.redis.RedisCache"
    stopped = {
        alias: {**settings.CACHES[alias], "BACKEND": backend, "LOCATION": STOPPED}
        for alias, backend in [
            ("default", "cms.cache.ForgivingRedisCache"),
            ("pages", redis),
            ("page-versions", redis),
        ]
    }
    with override_settings(CACHES={**settings.CACHES, **stopped}):
        yield


def test_every_public_page_answers_with_redis_stopped(server, redis_stopped):
    article = ArticleFactory(
        published=True, hero_image=image_file("h.png"), hero_alt="A baby"
    )
    paths = [
        reverse("articles:home"),
        article.get_absolute_url(),
        article.category.get_absolute_url(),
        reverse("articles:feed_rss"),
        "/sitemap.xml",
        "/sitemaps/articles.xml",
        "/nowhere/",
    ]
    for path in paths:
        for _ in range(2):
            page = server.get(path)
            assert page.status == (404 if path == "/nowhere/" else 200), path
            assert "x-page-cache" not in page.headers
