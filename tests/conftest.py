import pytest
from django.db import transaction
from django.test import override_settings


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


@pytest.fixture(scope="session")
def _demo_session(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content, loaded once per session inside a transaction that is rolled
    back when the session ends. Tests that use it run last (see below), each in a
    savepoint of its own, so they see the demo as loaded and never each other's
    changes, and no other test sees the demo at all."""
    from django.apps import apps

    from articles.demo import load_demo_content
    from articles.roles import sync_roles

    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"))
    with django_db_blocker.unblock(), media:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            # Transactional tests, which run before these, flush the roles that
            # migrations made.
            sync_roles(apps)
            load_demo_content()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_session, db):
    """The demo site (articles with images, people, quotes, callouts), as loaded."""


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # After pytest-django's own ordering: the demo's session transaction stays open
    # from the first test that uses it to the end of the session.
    items.sort(key=lambda item: "demo" in getattr(item, "fixturenames", ()))
