import pytest
from django.db import transaction


def pytest_configure(config):
    """Parallel workers clear the cache between tests: on Redis, each gets a database
    of its own (15, 13, 11… for gw0, gw1, gw2…; the journeys' servers use 14)."""
    import os
    from urllib.parse import urlsplit

    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    # Every alias on Redis: the page cache's two share the default cache's server.
    for cache in settings.CACHES.values():
        if cache["BACKEND"].endswith("RedisCache"):
            parts = urlsplit(cache["LOCATION"])
            db = int(parts.path.lstrip("/") or 0) - 2 * int(worker[2:])
            cache["LOCATION"] = parts._replace(path=f"/{db}").geturl()


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Quick password hashing, and uploads into a throwaway folder."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """Tests marked ``postgres`` run only when the suite runs on PostgreSQL."""
    if request.node.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL (set DATABASE_URL to run it)")


class _Demo:
    """The demo content, loaded into the test database inside a transaction that is
    rolled back as soon as a test that does not use it comes next.

    Tests that use it run one after another (see ``pytest_collection_modifyitems``),
    each in a savepoint of its own: they see the demo as loaded and never each
    other's changes, and no other test ever sees the demo. Its image files are never
    written (that waits for a commit that never comes), so any code that reads a
    stored image fails."""

    atomic = None
    blocker = None

    @classmethod
    def open(cls, blocker) -> None:
        from articles.demo import load_demo_content

        cls.blocker = blocker
        blocker.unblock()
        cls.atomic = transaction.atomic()
        cls.atomic.__enter__()
        load_demo_content()

    @classmethod
    def close(cls) -> None:
        transaction.set_rollback(True)
        cls.atomic.__exit__(None, None, None)
        cls.atomic = None
        cls.blocker.restore()


def _uses_demo(item) -> bool:
    return item is not None and "demo" in getattr(item, "fixturenames", ())


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    # Just before pytest-django opens the test's own transaction, so that one is a
    # savepoint inside the demo's. A parallel worker may run a test other than the
    # one it announced as next: one that does not use the demo never sees it.
    if fixturedef.argname == "_django_db_helper":
        if not _uses_demo(request.node) and _Demo.atomic is not None:
            _Demo.close()
        elif _uses_demo(request.node) and _Demo.atomic is None:
            request.getfixturevalue("_demo_closer")
            _Demo.open(request.getfixturevalue("django_db_blocker"))
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if _Demo.atomic is not None and not _uses_demo(nextitem):
        _Demo.close()


@pytest.fixture(scope="session")
def _demo_closer(django_db_setup):
    """Ends the demo's transaction, if still open, before the test database goes."""
    yield
    if _Demo.atomic is not None:
        _Demo.close()


@pytest.fixture
def demo(db):
    """The demo site (articles with images, people, quotes, callouts), as loaded."""
    assert _Demo.atomic is not None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # After pytest-django's own ordering: the demo is loaded once for all that use it.
    items.sort(key=_uses_demo)
