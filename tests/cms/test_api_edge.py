"""The read API at the edge: CORS, the page cache's answers per origin, validators
and the per-client rate limit, through the WSGI stack as a server calls it."""

import json
import time

import pytest
import time_machine
from django.core.handlers.wsgi import WSGIHandler
from django.test import override_settings

from cms.pagecache import PageCache
from cms.throttle import ApiThrottle
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

APP = "https://app.example.com"
OTHER = "https://elsewhere.example.net"
READER = "192.0.2.10"


class Connection:
    """What a WSGI server sets from the connection: the client's address, given here
    as a ``remote_addr=`` header to ``Server.get`` (a reader's own by default)."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        environ["REMOTE_ADDR"] = environ.pop("HTTP_REMOTE_ADDR", READER)
        return self.application(environ, start_response)


@pytest.fixture
def api(server, settings):
    """The site's stack as cms/wsgi.py builds it, with one allowed origin, at the
    start of a minute (the limit's window) so that none ends during a test."""
    settings.CORS_ALLOWED_ORIGINS = [APP]
    server.app = Connection(ApiThrottle(PageCache(WSGIHandler())))
    next_minute = (int(time.time()) // 60 + 1) * 60
    with time_machine.travel(next_minute + 1) as traveller:
        server.traveller = traveller
        yield server


@pytest.fixture
def article(api):
    return ArticleFactory(published=True, title="Sleep in the first year")


# CORS ----------------------------------------------------------------------------


def test_a_preflight_from_an_allowed_origin_allows_reading_only(api):
    for asked in ("GET", "POST", "DELETE"):
        preflight = api.get(
            "/api/v1/articles",
            method="OPTIONS",
            origin=APP,
            access_control_request_method=asked,
        )
        assert preflight.status == 200
        assert preflight.headers["access-control-allow-origin"] == APP
        allowed = preflight.headers["access-control-allow-methods"].split(", ")
        assert set(allowed) == {"GET", "HEAD", "OPTIONS"}
    assert api.get("/api/v1/articles", method="POST", origin=APP).status == 405


def test_a_preflight_from_another_origin_is_not_allowed(api):
    preflight = api.get(
        "/api/v1/articles",
        method="OPTIONS",
        origin=OTHER,
        access_control_request_method="GET",
    )
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-methods" not in preflight.headers


def test_a_browser_on_an_allowed_origin_may_read_an_answer(api, article):
    answer = api.get(f"/api/v1/articles/{article.pk}", origin=APP)
    assert answer.status == 200 and "Sleep in the first year" in answer.text
    assert answer.headers["access-control-allow-origin"] == APP
    exposed = answer.headers["access-control-expose-headers"]
    assert "ETag" in exposed and "Retry-After" in exposed

    elsewhere = api.get(f"/api/v1/articles/{article.pk}", origin=OTHER)
    assert elsewhere.status == 200
    assert "access-control-allow-origin" not in elsewhere.headers


# The page cache ------------------------------------------------------------------


def test_a_stored_answer_is_only_replayed_to_the_origin_it_was_for(api, article):
    path = f"/api/v1/articles/{article.pk}"
    api.get(path, origin=APP)
    again = api.get(path, origin=APP)
    assert again.hit, "an API answer was not kept"
    assert again.headers["access-control-allow-origin"] == APP

    for headers in ({"origin": OTHER}, {}):
        first = api.get(path, **headers)
        assert not first.hit
        assert "access-control-allow-origin" not in first.headers
        repeated = api.get(path, **headers)
        assert repeated.hit and "access-control-allow-origin" not in repeated.headers

    assert api.get(path, origin=APP).headers["access-control-allow-origin"] == APP


def test_a_client_with_the_answer_already_gets_304(api, article):
    path = f"/api/v1/articles/{article.pk}"
    first = api.get(path, origin=APP)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert "s-maxage=" in first.headers["cache-control"]

    unchanged = api.get(path, origin=APP, if_none_match=etag)
    assert unchanged.status == 304 and unchanged.body == b""
    # A browser checks the CORS headers of the 304 too.
    assert unchanged.headers["access-control-allow-origin"] == APP
    assert api.get(path, if_modified_since=modified).status == 304
    assert api.get(path, if_none_match='"something-else"').status == 200


def test_editing_an_article_clears_its_stored_answer(api, article, commit):
    path = f"/api/v1/articles/{article.pk}"
    api.get(path)
    assert api.get(path).hit

    article.title = "Sleep in the first year, revised"
    commit(article.save)

    answer = api.get(path)
    assert answer.status == 200 and not answer.hit
    assert json.loads(answer.body)["title"] == "Sleep in the first year, revised"


# The rate limit ------------------------------------------------------------------


@override_settings(CMS_API_RATE_LIMIT=3)
def test_a_client_past_the_limit_gets_429_until_the_minute_ends(api):
    remaining = [
        api.get("/api/v1/sections").headers["ratelimit-remaining"] for _ in range(3)
    ]
    assert remaining == ["2", "1", "0"]

    refused = api.get("/api/v1/sections", origin=APP)
    assert refused.status == 429
    assert refused.headers["content-type"] == "application/json"
    assert refused.headers["cache-control"] == "no-store"
    assert refused.headers["access-control-allow-origin"] == APP
    wait = int(refused.headers["retry-after"])
    assert 1 <= wait <= 60
    assert json.loads(refused.body) == {
        "status": 429,
        "error": "rate_limited",
        "detail": "Too many requests: this API answers 3 a minute from one address. "
        f"Try again in {wait} seconds.",
        "errors": [],
    }
    elsewhere = api.get("/api/v1/sections", origin=OTHER)
    assert elsewhere.status == 429
    assert "access-control-allow-origin" not in elsewhere.headers

    api.traveller.shift(wait)
    assert api.get("/api/v1/sections").status == 200


@override_settings(CMS_API_RATE_LIMIT=2)
@pytest.mark.parametrize(
    ("limited", "other"),
    [("192.0.2.10", "192.0.2.11"), ("2001:db8:1:1::1", "2001:db8:1:2::1")],
)
def test_each_client_address_has_a_limit_of_its_own(api, limited, other):
    for _ in range(2):
        assert api.get("/api/v1/sections", remote_addr=limited).status == 200
    assert api.get("/api/v1/sections", remote_addr=limited).status == 429
    assert api.get("/api/v1/sections", remote_addr=other).status == 200


@override_settings(CMS_API_RATE_LIMIT=2)
def test_an_ipv6_client_is_counted_by_its_network(api):
    """One host usually has a /64 to itself: new addresses in it are the same client."""
    for host in ("1", "2"):
        assert (
            api.get("/api/v1/sections", remote_addr=f"2001:db8::{host}").status == 200
        )
    assert api.get("/api/v1/sections", remote_addr="2001:db8::3").status == 429


@override_settings(CMS_API_RATE_LIMIT=2, BEHIND_PROXY=True, PROXY_COUNT=1)
def test_behind_a_proxy_the_address_the_proxy_saw_counts(api):
    """A client may put anything before the proxy's entry; it is the same client."""
    for forged in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        last = api.get(
            "/api/v1/sections",
            remote_addr="10.9.9.9",  # the proxy
            x_forwarded_for=f"{forged}, 203.0.113.7",
        )
    assert last.status == 429
    another = api.get(
        "/api/v1/sections", remote_addr="10.9.9.9", x_forwarded_for="203.0.113.8"
    )
    assert another.status == 200


@override_settings(CMS_API_RATE_LIMIT=3)
def test_answers_from_the_page_cache_count_too(api, article):
    path = f"/api/v1/articles/{article.pk}"
    answers = [api.get(path) for _ in range(4)]
    assert [a.status for a in answers] == [200, 200, 200, 429]
    assert answers[1].hit and answers[2].hit


@override_settings(CMS_API_RATE_LIMIT=1)
def test_preflights_and_pages_outside_the_api_are_not_counted(api):
    for _ in range(3):
        preflight = api.get(
            "/api/v1/sections",
            method="OPTIONS",
            origin=APP,
            access_control_request_method="GET",
        )
        assert preflight.status == 200
        assert api.get("/health/live").status == 200
    assert api.get("/api/v1/sections").status == 200
    assert api.get("/api/v1/sections").status == 429


@override_settings(CMS_API_RATE_LIMIT=1)
def test_readers_are_not_limited_while_the_cache_is_down(api, settings):
    down = {
        "BACKEND": "cms.cache.ForgivingRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
    with override_settings(CACHES={**settings.CACHES, "default": down}):
        for _ in range(3):
            answer = api.get("/api/v1/sections")
            assert answer.status == 200
            assert "ratelimit-remaining" not in answer.headers


@override_settings(CMS_API_RATE_LIMIT=2)
def test_the_site_as_a_server_loads_it_counts_stored_answers(api, article):
    from cms.wsgi import application

    api.app = Connection(application)
    path = f"/api/v1/articles/{article.pk}"
    try:
        assert api.get(path).status == 200
        assert api.get(path).hit
        assert api.get(path).status == 429
    finally:
        application.application.local.clear()  # its copies, kept for the process
