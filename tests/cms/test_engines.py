"""The suite runs twice in CI: these make sure the second run really used PostgreSQL and Redis."""

import os

import pytest
from django.core.cache import cache, caches
from django.db import connection


@pytest.mark.django_db
def test_database_engine_is_the_configured_one():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres", "postgresql")) else "sqlite"
    assert connection.vendor == expected


def test_cache_backend_is_the_configured_one_and_round_trips():
    expected = "ForgivingRedisCache" if os.environ.get("REDIS_URL") else "LocMemCache"
    assert type(caches["default"]).__name__ == expected
    cache.set("engine-check", {"ok": 1}, 10)
    assert cache.get("engine-check") == {"ok": 1}
