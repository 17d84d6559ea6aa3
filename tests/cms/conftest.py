import pytest
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from tests.wsgi import Server


@pytest.fixture
def server(settings, django_capture_on_commit_callbacks):
    settings.CMS_PAGE_CACHE = True
    caches["pages"].clear()
    caches["page-versions"].clear()
    # As Django's test client does: the test's transaction outlives each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield Server()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    caches["pages"].clear()
    caches["page-versions"].clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed (invalidation waits for that)."""

    def run(change, *args):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args)

    return run
