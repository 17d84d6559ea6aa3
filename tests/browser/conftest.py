import os
import shutil
from collections.abc import Iterator

import pytest

from tests.factories import UserFactory

from .server import Site, running_site
from .signing_in import sign_in

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. CI must have it; locally a missing one skips."""
    if not shutil.which(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between page actions are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def signed_in(live_server, page):
    """``page`` signed in to the test server's admin as a superuser."""
    sign_in(live_server, page, UserFactory(username="boss", superuser=True))
    return page


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Iterator[Site]:
    """The site as deployed (DEBUG off, gunicorn, collected static files), with the demo
    content and a login per role, on a database of its own that lasts the session.

    Tests share it: a test that changes content makes its own, or changes what no other
    test reads. See tests/browser/server.py for what a test can do with it.
    """
    with running_site(tmp_path_factory.mktemp("site")) as site:
        yield site


_SERVER_LOG_START = pytest.StashKey[int]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test that used the site shows what the server logged meanwhile."""
    report = yield
    site = getattr(item, "funcargs", {}).get("site")
    if isinstance(site, Site):
        if call.when == "setup":
            item.stash[_SERVER_LOG_START] = site.log_size()
        if report.failed:
            since = item.stash.get(_SERVER_LOG_START, 0)
            report.sections.append(("server log", site.log(since) or "(empty)"))
    return report


def pytest_collection_modifyitems(items):
    # Run in parallel (make test), every browser test goes to the same worker: one
    # server for them all, and the other worker's CPU left to the rest.
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture
def person(browser):
    """Opens a page in a browser context of its own: another person, with their own
    cookies and storage. Every context is closed after the test."""
    contexts = []

    def open_page():
        contexts.append(browser.new_context(viewport={"width": 1280, "height": 900}))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()
