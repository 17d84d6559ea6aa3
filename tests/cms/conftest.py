import pytest
from django.core.cache import caches

from cms import pagecache
from tests.wsgi import Server


@pytest.fixture
def server(settings, django_capture_on_commit_callbacks):
    settings.CMS_PAGE_CACHE = True
    pagecache._unrecorded.clear()  # a failed invalidation from an earlier test
    caches["pages"].clear()
    caches["page-versions"].clear()
    yield Server()
    caches["pages"].clear()
    caches["page-versions"].clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed (invalidation waits for that)."""

    def run(change, *args):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args)

    return run
