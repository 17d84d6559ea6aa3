"""Errors a reader or an operator can act on: the database down is a branded 503 with
Retry-After (never a 500), an unknown address without a query still a 404, and every
request has an id, in its response header, its log lines, the 500 page, the email to
the admins and the Sentry event (cms/middleware.py, cms/views.py)."""

import gzip
import json
import logging
import re
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, get_resolver, path

from cms.middleware import RequestIdFilter
from cms.settings import email_addresses
from cms.urls import urlpatterns as site_urlpatterns
from tests.cms.test_error_pages import database_down
from tests.cms.test_settings import run_python
from tests.factories import ArticleFactory
from tests.gunicorn import BASE_DIR, deployed_environment, gunicorn

HEX_ID = re.compile(r"[0-9a-f]{32}")


def boom(request):
    raise RuntimeError("Something broke in a view")


# This module is also a URL configuration: the site's, plus a view that fails.
urlpatterns = [path("boom/", boom), *site_urlpatterns]
handler500 = "cms.views.server_error"


# The database down ---------------------------------------------------------------

PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
NAMED_GROUP = re.compile(r"\(\?P<(\w+)>[^()]*\)")
SAMPLES = {"int": "1", "path": "a/b.png"}


def public_paths(patterns=None, prefix=""):
    """One address for every URL pattern outside the admin, its parameters filled."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = str(pattern.pattern).lstrip("^").rstrip("$").replace("\\", "")
        route = PARAM.sub(lambda m: SAMPLES.get(m[1], "some-slug"), route)
        route = NAMED_GROUP.sub("a/b.png", route)
        if prefix + route == django_settings.ADMIN_URL:
            continue
        if isinstance(pattern, URLResolver):
            yield from public_paths(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + route


@pytest.mark.django_db
def test_no_public_address_answers_500_with_the_database_down(client):
    client.raise_request_exception = False
    ArticleFactory(published=True)
    paths = sorted(set(public_paths()))
    assert len(paths) > 20

    answers = {}
    with database_down():
        for address in paths:
            answers[address] = client.get(address)
            for response in (answers[address], client.head(address)):
                assert response.status_code < 500 or response.status_code == 503, (
                    address,
                    response.status_code,
                )
                if response.status_code == 503:
                    assert response["Retry-After"] == "30", address
                    assert "no-store" in response["Cache-Control"], address

    unavailable = {a for a, response in answers.items() if response.status_code == 503}
    assert {"/", "/feeds/rss/", "/some-slug/", "/experts/"} <= unavailable
    assert {"/health/", "/health/ready"} <= unavailable
    assert answers["/health/live"].status_code == 200
    page = BeautifulSoup(answers["/"].content, "html.parser")
    assert page.h1.get_text() == "We’ll be back soon"
    assert page.select_one("link[rel=stylesheet]")["href"].endswith("site.css")


@pytest.mark.django_db
def test_an_address_matching_no_pattern_is_404_with_the_database_down(client):
    with database_down():
        response = client.get("/no/such/page/here/")

    assert response.status_code == 404
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text() == "We can’t find that page"
    assert page.select(".site-nav a") == []  # the sections are left out


@pytest.mark.django_db
def test_a_page_cache_hit_is_served_with_the_database_down(server):
    article = ArticleFactory(published=True, title="Kept")
    server.get(article.get_absolute_url())

    with database_down():
        page = server.get(article.get_absolute_url())
        missed = server.get("/")

    assert page.status == 200 and page.hit and "Kept" in page.text
    assert missed.status == 503


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_deployed_site_with_postgresql_unreachable(tmp_path):
    env = deployed_environment(
        tmp_path, f"postgres://postgres@127.0.0.1:{closed_port()}/x"
    )
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collect.returncode == 0, collect.stderr
    log = tmp_path / "server.log"
    with gunicorn(env, log, ["--workers=1"], health="/health/live") as url:
        answers = {
            address: _fetch(url + address)
            for address in [
                "/",
                "/some-section/",
                "/some-section/some-article/",
                "/feeds/rss/",
                "/sitemap.xml",
                "/health/",
                "/health/ready",
                "/health/live",
                "/no/such/page/here/",
                "/robots.txt",
            ]
        }

    assert {a: status for a, (status, _, _) in answers.items()} == {
        "/": 503,
        "/some-section/": 503,
        "/some-section/some-article/": 503,
        "/feeds/rss/": 503,
        "/sitemap.xml": 503,
        "/health/": 503,
        "/health/ready": 503,
        "/health/live": 200,
        "/no/such/page/here/": 404,
        "/robots.txt": 200,
    }, log.read_text()
    status, headers, body = answers["/"]
    assert headers["Retry-After"] == "30"
    assert headers["Cache-Control"] == "no-store"
    assert "We’ll be back soon" in body
    assert HEX_ID.fullmatch(headers["X-Request-ID"])
    assert json.loads(answers["/health/"][2])["database"] == "error"
    assert "We can’t find that page" in answers["/no/such/page/here/"][2]


def _fetch(url):
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


# Request ids -------------------------------------------------------------------


@pytest.fixture
def request_ids(caplog):
    """Records as the site's log lines have them: with the request's id."""
    caplog.handler.addFilter(RequestIdFilter())
    caplog.set_level(logging.INFO)
    return caplog


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_a_500_shows_its_request_id_and_mails_the_admins(client, settings, request_ids):
    settings.ADMINS = [("Ops", "ops@example.org")]
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert HEX_ID.fullmatch(request_id)
    text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    assert f"Reference: {request_id}" in text
    [logged] = [r for r in request_ids.records if r.name == "django.request"]
    assert logged.getMessage() == "Internal Server Error: /boom/"
    assert logged.request_id == request_id
    [email] = mail.outbox
    assert email.to == ["ops@example.org"]
    assert "/boom/" in email.subject
    assert f"[{request_id}]" in email.body


@pytest.mark.parametrize(
    "value, admins",
    [
        ("", []),
        ("ops@example.org", [("ops@example.org", "ops@example.org")]),
        (
            "Ops <ops@example.org>, dev@example.org",
            [("Ops", "ops@example.org"), ("dev@example.org", "dev@example.org")],
        ),
        ('"Smith, Jo" <jo@example.org>', [("Smith, Jo", "jo@example.org")]),
    ],
)
def test_admins_are_read_from_the_environment(value, admins):
    assert email_addresses(value, "DJANGO_ADMINS") == admins


@pytest.mark.parametrize("value", ["ops", "Smith, Jo <jo@example.org>"])
def test_admins_that_are_not_addresses_stop_the_start(value):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ADMINS"):
        email_addresses(value, "DJANGO_ADMINS")


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_no_email_for_a_500_without_admins(client):
    client.raise_request_exception = False

    assert client.get("/boom/").status_code == 500
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_sane_incoming_request_id_is_kept_and_any_other_replaced(client):
    kept = client.get("/health/live", HTTP_X_REQUEST_ID="lb-1234.abcd")
    assert kept["X-Request-ID"] == "lb-1234.abcd"

    for hostile in ["a b", "x" * 200, "id\nFAKE LOG LINE", "<script>", ""]:
        response = client.get("/health/live", HTTP_X_REQUEST_ID=hostile)
        assert HEX_ID.fullmatch(response["X-Request-ID"]), hostile


@pytest.mark.django_db
def test_each_request_gets_an_id_of_its_own(client):
    ids = {client.get("/health/live")["X-Request-ID"] for _ in range(3)}

    assert len(ids) == 3


def test_log_records_outside_a_request_say_so(request_ids):
    logging.getLogger("cms").warning("Not in a request")

    assert request_ids.records[-1].request_id == "-"


@pytest.mark.django_db
def test_a_stored_page_never_replays_another_requests_id(server):
    article = ArticleFactory(published=True)
    first = server.get(article.get_absolute_url())
    again = server.get(article.get_absolute_url())
    asked = server.get(article.get_absolute_url(), x_request_id="from-the-proxy")

    assert again.hit and asked.hit
    assert HEX_ID.fullmatch(first.headers["x-request-id"])
    assert HEX_ID.fullmatch(again.headers["x-request-id"])
    assert first.headers["x-request-id"] != again.headers["x-request-id"]
    assert asked.headers["x-request-id"] == "from-the-proxy"


LOG_A_REQUEST = """
import logging
import django
django.setup()
from django.test import Client
logging.getLogger("cms").warning("Before any request")
response = Client().get("/no/such/page/here/")
print(response["X-Request-ID"])
"""


def test_every_log_line_carries_the_request_id(tmp_path):
    result = run_python(
        "-c",
        LOG_A_REQUEST,
        DJANGO_DEBUG="1",
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr
    request_id = result.stdout.strip()
    assert HEX_ID.fullmatch(request_id)
    lines = result.stderr.splitlines()
    assert any("[-] cms: Before any request" in line for line in lines), lines
    assert any(
        f"[{request_id}] django.request: Not Found: /no/such/page/here/" in line
        for line in lines
    ), lines


# Sentry ------------------------------------------------------------------------


class _Collector(BaseHTTPRequestHandler):
    """Sentry's ingest endpoint: keeps every envelope posted."""

    envelopes: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.envelopes.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_ingest():
    _Collector.envelopes = []
    ingest = HTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=ingest.serve_forever, daemon=True)
    thread.start()
    yield ingest.server_address[1], _Collector.envelopes
    ingest.shutdown()


FAIL_ONCE = """
import django
django.setup()
import sentry_sdk
from django.test import Client, override_settings
static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(
    ROOT_URLCONF="tests.cms.test_errors",
    STORAGES={**__import__("django.conf").conf.settings.STORAGES, "staticfiles": static},
):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "secret-session-cookie"
    response = client.get("/boom/", HTTP_AUTHORIZATION="Bearer secret-token")
sentry_sdk.flush(timeout=10)
print(response.status_code, response["X-Request-ID"])
"""


def test_sentry_gets_each_error_tagged_with_its_request_id(sentry_ingest):
    port, envelopes = sentry_ingest
    result = run_python(
        "-c",
        FAIL_ONCE,
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="testserver",
        SENTRY_DSN=f"http://public@127.0.0.1:{port}/1",
        SENTRY_ENVIRONMENT="staging",
        SENTRY_RELEASE="cms@1.2.3",
    )

    assert result.returncode == 0, result.stderr
    status, request_id = result.stdout.split()
    assert status == "500"
    events = [
        json.loads(line)
        for envelope in envelopes
        for line in envelope.splitlines()
        if line.startswith(b"{") and b'"exception"' in line
    ]
    assert events, envelopes
    event = events[0]
    assert event["tags"]["request_id"] == request_id
    assert event["environment"] == "staging"
    assert event["release"] == "cms@1.2.3"
    assert "Something broke in a view" in json.dumps(event["exception"])
    sent = b"".join(envelopes)
    assert b"secret-session-cookie" not in sent and b"secret-token" not in sent
