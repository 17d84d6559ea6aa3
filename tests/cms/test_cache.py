"""A stopped Redis costs speed, never a page (cms/cache.py, cms/pagecache.py).

Hanging, stopping and restarting a Redis of the test's own: test_failing_servers.py.
"""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

import cms.cache
from cms import pagecache
from tests.cms.test_settings import run_python
from tests.factories import ArticleFactory, image_file

pytestmark = pytest.mark.django_db

STOPPED = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_stopped(settings):
    redis = "cms.cache.FailFastRedisCache"
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
    # This process's memory of the failures, for the next test not to inherit.
    pagecache._unrecorded.clear()
    cms.cache._servers.clear()


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


PRINT_REDIS_OPTIONS = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    alias: cache.get("OPTIONS", {})
    for alias, cache in settings.CACHES.items()
    if cache["BACKEND"].endswith("RedisCache")
}))
"""


@pytest.mark.parametrize(
    "env, connect, read",
    [
        ({}, 0.25, 0.5),
        ({"CMS_REDIS_CONNECT_TIMEOUT": "1", "CMS_REDIS_TIMEOUT": "2.5"}, 1.0, 2.5),
    ],
)
def test_every_redis_alias_has_short_timeouts(env, connect, read):
    # redis-py's own default waits 5 s (and without any timeout, for ever).
    result = run_python(
        "-c",
        PRINT_REDIS_OPTIONS,
        DJANGO_DEBUG="1",
        REDIS_URL="redis://127.0.0.1:1/0",
        **env,
    )

    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout)
    assert set(options) == {"default", "pages", "page-versions"}
    for alias in options.values():
        assert alias["socket_connect_timeout"] == connect
        assert alias["socket_timeout"] == read
