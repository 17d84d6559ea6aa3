"""The external link checker, against a local HTTP server: no test touches the internet."""

import io
import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles import linkcheck
from articles.models import Article, ExternalLink
from tests.factories import (
    ArticleFactory,
    ListItemFactory,
    RelatedLinkFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

REDIRECTS = {"/moved": "/moved-again", "/moved-again": "/landed"}
STATUS = {"/ok": 200, "/landed": 200, "/missing": 404, "/error": 500}


class Handler(BaseHTTPRequestHandler):
    requests = []  # (method, path, user agent), shared by every request

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def answer(self, body):
        self.requests.append(
            (self.command, self.path, self.headers.get("User-Agent", ""))
        )
        if self.path in REDIRECTS:
            self.send_response(301)
            self.send_header("Location", REDIRECTS[self.path])
        elif self.path == "/slow":
            time.sleep(1.5)
            self.send_response(200)
        elif self.path == "/no-head":
            self.send_response(405 if self.command == "HEAD" else 200)
        else:
            self.send_response(STATUS.get(self.path, 404))
        self.send_header("Content-Length", "2" if body else "0")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def log_message(self, *args):
        pass

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the checker gave up on /slow


@pytest.fixture
def server(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    Handler.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture
def site(server, closed_port_url):
    """Published articles using every kind of address, and a draft."""
    guide = ArticleFactory(
        published=True,
        title="Nappy rash guide",
        body=(
            f"## Help\n\nSee [the NHS]({server}/ok#causes) and "
            f"[moved page]({server}/moved), [our page](/baby/other/), "
            "[email](mailto:help@example.com) or [call](tel:+441234567890)."
        ),
    )
    ListItemFactory(article=guide, text=f"[A gone page]({server}/missing)")
    RelatedLinkFactory(
        article=guide, target_article=None, url=f"{server}/error", title="Leaflet"
    )
    sleep = ArticleFactory(
        published=True,
        title="Sleep guide",
        body=(
            f"## Read\n\n[Same as above]({server}/ok), [slow]({server}/slow), "
            f"[no HEAD]({server}/no-head) and [refused]({closed_port_url})."
        ),
    )
    ArticleFactory(title="Draft", body=f"## Draft\n\n[secret]({server}/draft-only)")
    return {"guide": guide, "sleep": sleep}


def check_links(*args):
    out = io.StringIO()
    call_command(
        "check_links", "--timeout", "0.5", "--host-delay", "0", *args, stdout=out
    )
    return out.getvalue()


def result(url):
    return ExternalLink.objects.get(url=url)


def test_external_urls_keeps_http_links_only_without_fragments():
    html = (
        '<p><a href="https://a.example/x?a=1&amp;b=2#top">1</a> <a href="/baby/">2</a>'
        ' <a href="mailto:x@example.com">3</a> <a href="tel:123">4</a>'
        ' <a href="HTTP://b.example/">5</a> <a href="#top">6</a>'
        ' <a href="https://a.example/x?a=1&amp;b=2">again</a></p>'
    )
    assert linkcheck.external_urls(html) == [
        "https://a.example/x?a=1&b=2",
        "HTTP://b.example/",
    ]


def test_usage_lists_every_external_address_of_published_articles(
    site, server, closed_port_url
):
    usage = linkcheck.external_link_usage()
    assert set(usage) == {
        f"{server}/ok",
        f"{server}/moved",
        f"{server}/missing",
        f"{server}/error",
        f"{server}/slow",
        f"{server}/no-head",
        closed_port_url,
    }
    assert usage[f"{server}/ok"] == [site["guide"], site["sleep"]]
    assert usage[f"{server}/error"] == [site["guide"]]


def test_check_links_records_status_final_address_and_errors(
    site, server, closed_port_url
):
    before = timezone.now()
    output = check_links()

    ok = result(f"{server}/ok")
    assert (ok.status_code, ok.final_url, ok.ok, ok.error) == (
        200,
        f"{server}/ok",
        True,
        "",
    )
    assert ok.checked_at >= before

    moved = result(f"{server}/moved")
    assert (moved.status_code, moved.final_url, moved.ok) == (
        200,
        f"{server}/landed",
        True,
    )
    assert moved.is_redirected

    for path, status in [("/missing", 404), ("/error", 500)]:
        link = result(f"{server}{path}")
        assert (link.status_code, link.ok, link.error) == (status, False, "")

    slow = result(f"{server}/slow")
    assert (slow.status_code, slow.ok) == (None, False)
    assert slow.error == "Timed out after 0.5 s"

    no_head = result(f"{server}/no-head")
    assert (no_head.status_code, no_head.ok) == (200, True)

    refused = result(closed_port_url)
    assert (refused.status_code, refused.ok) == (None, False)
    assert refused.error == "Connection refused"

    assert not ExternalLink.objects.filter(url__endswith="/draft-only").exists()
    assert set(ExternalLink.objects.broken().values_list("url", flat=True)) == {
        f"{server}/missing",
        f"{server}/error",
        f"{server}/slow",
        closed_port_url,
    }
    assert "Checked 7 external links." in output
    assert f"HTTP 404: {server}/missing" in output


def test_requests_use_head_then_get_when_refused_and_name_the_cms(site, server):
    check_links()
    seen = {(method, path) for method, path, _ in Handler.requests}
    # HEAD through the whole redirect chain, GET only where HEAD was refused.
    assert {("HEAD", "/moved"), ("HEAD", "/moved-again"), ("HEAD", "/landed")} <= seen
    assert {("HEAD", "/no-head"), ("GET", "/no-head")} <= seen
    assert ("GET", "/ok") not in seen
    assert {agent for _, _, agent in Handler.requests} == {
        "Little Steps CMS link checker/1.0"
    }


def test_an_address_no_longer_used_is_dropped(site, server):
    check_links()
    site["sleep"].status = Article.Status.UNPUBLISHED
    site["sleep"].save()
    check_links("--only-stale", "1")
    assert not ExternalLink.objects.filter(url=f"{server}/slow").exists()
    assert ExternalLink.objects.filter(url=f"{server}/ok").exists()


def test_only_stale_rechecks_old_and_unchecked_results_only(site, server):
    check_links()
    old = timezone.now() - timedelta(days=10)
    ExternalLink.objects.filter(url=f"{server}/missing").update(checked_at=old)
    fresh = result(f"{server}/ok").checked_at
    Handler.requests.clear()

    output = check_links("--only-stale", "7")

    assert "Checked 1 external links." in output
    assert {path for _, path, _ in Handler.requests} == {"/missing"}
    assert result(f"{server}/missing").checked_at > old
    assert result(f"{server}/ok").checked_at == fresh


def test_interrupted_run_keeps_saved_results_and_a_rerun_continues(
    site, server, monkeypatch
):
    saved = []
    record = linkcheck.record_result

    def interrupt_after_two(link, outcome):
        if len(saved) == 2:
            raise KeyboardInterrupt
        record(link, outcome)
        saved.append(link.url)

    monkeypatch.setattr(linkcheck, "record_result", interrupt_after_two)
    output = check_links("--workers", "1")

    assert "Interrupted: 2 of 7 checked and saved." in output
    checked = ExternalLink.objects.filter(checked_at__isnull=False)
    assert sorted(checked.values_list("url", flat=True)) == sorted(saved)
    first_times = dict(checked.values_list("url", "checked_at"))

    monkeypatch.setattr(linkcheck, "record_result", record)
    output = check_links("--only-stale", "1")

    assert "Checked 5 external links." in output
    assert not ExternalLink.objects.filter(checked_at__isnull=True).exists()
    assert (
        dict(
            ExternalLink.objects.filter(url__in=saved).values_list("url", "checked_at")
        )
        == first_times
    )


def test_limit_checks_the_oldest_first(site, server):
    check_links("--limit", "3")
    assert ExternalLink.objects.filter(checked_at__isnull=False).count() == 3
    assert ExternalLink.objects.filter(checked_at__isnull=True).count() == 4


def test_progress_bar_only_on_a_terminal(site, server):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    call_command(
        "check_links", "--timeout", "0.5", "--host-delay", "0", stdout=terminal
    )
    assert "\r[" in terminal.getvalue()
    assert "7/7" in terminal.getvalue()
    assert "\r[" not in check_links()


def test_host_gate_allows_two_at_once_per_host():
    gate = linkcheck.HostGate(per_host=2, delay=0)
    inside, most = [0], [0]
    lock = threading.Lock()

    def visit():
        with gate.slot("example.org"):
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.05)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=visit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 2


def test_host_gate_spaces_requests_to_one_host():
    gate = linkcheck.HostGate(per_host=2, delay=0.1)
    started = time.monotonic()
    for _ in range(3):
        with gate.slot("example.org"):
            pass
    assert time.monotonic() - started >= 0.2


# The admin


def test_link_report_lists_broken_links_with_their_articles(
    admin_client, site, server, closed_port_url
):
    check_links()
    unpublished = ArticleFactory(
        published=True, title="Old thrush advice", published_at=timezone.now()
    )
    RelatedLinkFactory(article=site["sleep"], target_article=unpublished)
    unpublished.status = Article.Status.UNPUBLISHED
    unpublished.save()

    response = admin_client.get(reverse("admin:articles_externallink_report"))
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")

    external = {
        row.th.a["href"]: row for row in page.select("#report-external tbody tr")
    }
    assert set(external) == {
        f"{server}/missing",
        f"{server}/error",
        f"{server}/slow",
        closed_port_url,
    }
    assert "HTTP 404" in external[f"{server}/missing"].get_text()
    assert "Connection refused" in external[closed_port_url].get_text()
    assert "Nappy rash guide" in external[f"{server}/missing"].get_text()
    assert "Sleep guide" in external[f"{server}/slow"].get_text()
    assert external[f"{server}/slow"].select_one("time")

    internal = page.select("#report-internal tbody tr")
    assert len(internal) == 1
    assert "Sleep guide" in internal[0].th.get_text()
    assert "Old thrush advice" in internal[0].get_text()
    assert "Unpublished" in internal[0].get_text()


def test_link_report_before_any_check_says_so(admin_client):
    response = admin_client.get(reverse("admin:articles_externallink_report"))
    assert "Not checked yet" in response.content.decode()


def test_link_report_needs_permission(client):
    client.force_login(UserFactory(staff=True))
    response = client.get(reverse("admin:articles_externallink_report"))
    assert response.status_code == 403


def test_editors_see_the_report_from_the_start_page(client):
    from django.contrib.auth.models import Group

    editor = UserFactory(staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    start = BeautifulSoup(client.get(reverse("admin:index")).content, "html.parser")
    link = start.select_one("#link-report-link a")
    assert link["href"] == reverse("admin:articles_externallink_report")
    assert client.get(link["href"]).status_code == 200


def test_changelist_filters_broken_links_and_shows_where_used(
    admin_client, site, server
):
    check_links()
    response = admin_client.get(
        reverse("admin:articles_externallink_changelist"), {"result": "broken"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{server}/missing" in html
    assert f"{server}/landed" not in html
    assert "Nappy rash guide" in html
    response = admin_client.get(
        reverse("admin:articles_externallink_changelist"), {"result": "ok"}
    )
    assert f"{server}/missing" not in response.content.decode()
