"""The external link checker: which addresses published articles use, and whether
they still answer. ``manage.py check_links`` is the entry point.

Requests use the standard library (no extra dependency): HEAD first, GET when a
server refuses HEAD, redirects followed to the end. Each result is saved in its own
small transaction as soon as it is known, so an interrupted run loses nothing and
``--only-stale`` carries on from where it stopped.
"""

import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict, deque
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Article, ExternalLink
from .models.links import url_key

# Servers that answer HEAD with these often answer GET properly.
HEAD_REFUSED = {403, 405, 501}
PER_HOST = 2


def user_agent() -> str:
    return f"{settings.CMS_SITE_NAME} CMS link checker/1.0"


class _HrefParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


def external_urls(html: str) -> list[str]:
    """The http(s) addresses ``<a href>``s in ``html`` point to, without fragments.

    Relative (internal) links, ``mailto:``, ``tel:`` and the like are left out.
    """
    parser = _HrefParser()
    parser.feed(html or "")
    parser.close()
    urls = []
    for href in parser.hrefs:
        href = href.strip()
        if urlsplit(href).scheme.lower() in ("http", "https") and urlsplit(href).netloc:
            url = urldefrag(href).url
            if url not in urls:
                urls.append(url)
    return urls


def external_link_usage() -> dict[str, list[Article]]:
    """Every external address in published articles (curated related links, body and
    list items), each with the articles using it. Three queries, whatever the size.
    """
    articles = (
        Article.objects.published()
        .select_related("category")
        .prefetch_related("list_items", "related_links")
        .only("pk", "title", "slug", "category__slug", "body_html")
        .order_by("title", "pk")
    )
    usage = defaultdict(list)
    for article in articles:
        found = external_urls(article.body_html)
        for item in article.list_items.all():
            found += external_urls(item.text_html)
        found += [
            urldefrag(link.url.strip()).url
            for link in article.related_links.all()
            if link.url
        ]
        for url in dict.fromkeys(found):
            usage[url].append(article)
    return dict(usage)


@dataclass
class CheckResult:
    status_code: int | None = None
    final_url: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return (
            not self.error and self.status_code is not None and self.status_code < 400
        )


class _SameMethodRedirect(urllib.request.HTTPRedirectHandler):
    """Follow redirects with the method asked for (urllib turns HEAD into GET)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.method = req.get_method()
        return new


def _describe(exc: BaseException, timeout: float) -> str:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, TimeoutError):
        return f"Timed out after {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return "Connection refused"
    return f"{type(reason).__name__}: {reason}"[:1000]


def _request(url: str, method: str, timeout: float) -> CheckResult:
    request = urllib.request.Request(
        url, method=method, headers={"User-Agent": user_agent(), "Accept": "*/*"}
    )
    opener = urllib.request.build_opener(_SameMethodRedirect)
    try:
        # The body is never read: the status and final address are all we need.
        with opener.open(request, timeout=timeout) as response:
            return CheckResult(response.status, response.geturl())
    except urllib.error.HTTPError as exc:
        exc.close()
        # A 3xx here is a redirect that could not be followed (a loop, no Location).
        error = exc.reason if exc.code < 400 else ""
        return CheckResult(exc.code, exc.geturl() or url, str(error))
    except Exception as exc:  # every failure is a result to record
        return CheckResult(error=_describe(exc, timeout))


def check_url(url: str, *, timeout: float = 10) -> CheckResult:
    """HEAD, then GET if the server refuses HEAD; redirects followed to the end."""
    result = _request(url, "HEAD", timeout)
    if result.status_code in HEAD_REFUSED:
        result = _request(url, "GET", timeout)
    return result


class HostGate:
    """At most ``per_host`` requests at once to one host, starts ``delay`` apart."""

    def __init__(self, per_host: int = PER_HOST, delay: float = 0.5):
        self.per_host = per_host
        self.delay = delay
        self._lock = threading.Lock()
        self._slots = {}
        self._next_start = {}

    @contextmanager
    def slot(self, host: str):
        with self._lock:
            slots = self._slots.setdefault(
                host, threading.BoundedSemaphore(self.per_host)
            )
        with slots:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + self.delay
            if start > now:
                time.sleep(start - now)
            yield


def record_result(link: ExternalLink, result: CheckResult) -> None:
    """Save one result at once, in its own transaction."""
    link.status_code = result.status_code
    link.final_url = result.final_url[:2000]
    link.error = result.error
    link.ok = result.ok
    link.checked_at = timezone.now()
    with transaction.atomic():
        link.save(
            update_fields=["status_code", "final_url", "error", "ok", "checked_at"]
        )


def sync_external_links(urls) -> None:
    """One row per address in use: add new ones (unchecked), drop unused ones."""
    wanted = {url_key(url): url for url in urls if len(url) <= 2000}
    have = dict(ExternalLink.objects.values_list("url_hash", "pk"))
    unused = [pk for key, pk in have.items() if key not in wanted]
    if unused:
        ExternalLink.objects.filter(pk__in=unused).delete()
    ExternalLink.objects.bulk_create(
        [
            ExternalLink(url=url, url_hash=key)
            for key, url in wanted.items()
            if key not in have
        ],
        ignore_conflicts=True,
    )


def _interleave_hosts(links: list[ExternalLink]) -> list[ExternalLink]:
    """Round-robin over hosts, so one busy host does not hold up all the workers."""
    by_host = defaultdict(deque)
    for link in links:
        by_host[urlsplit(link.url).netloc.lower()].append(link)
    queues = deque(by_host.values())
    ordered = []
    while queues:
        queue = queues.popleft()
        ordered.append(queue.popleft())
        if queue:
            queues.append(queue)
    return ordered


@dataclass
class LinkCheckRun:
    """One run of the checker; counts stay readable after an interruption."""

    workers: int = 8
    timeout: float = 10
    host_delay: float = 0.5
    only_stale_days: float | None = None
    limit: int | None = None
    on_result: object = None
    total: int = 0
    checked: int = 0
    broken: list[ExternalLink] = field(default_factory=list)

    def links_to_check(self) -> list[ExternalLink]:
        links = ExternalLink.objects.all()
        if self.only_stale_days is not None:
            links = links.stale(self.only_stale_days)
        links = links.oldest_first()
        if self.limit is not None:
            links = links[: self.limit]
        return _interleave_hosts(list(links))

    def run(self) -> None:
        """Check and save; on KeyboardInterrupt, drop pending work and re-raise."""
        sync_external_links(external_link_usage())
        links = self.links_to_check()
        self.total = len(links)
        if not links:
            return
        gate = HostGate(delay=self.host_delay)

        def check(link):
            with gate.slot(urlsplit(link.url).netloc.lower()):
                return check_url(link.url, timeout=self.timeout)

        executor = ThreadPoolExecutor(max_workers=max(1, self.workers))
        try:
            pending = {executor.submit(check, link): link for link in links}
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    link = pending.pop(future)
                    self._record(link, future.result())
        finally:
            # After Ctrl-C: queued checks are cancelled; running ones end within
            # their timeout and are not saved (the next run checks them).
            executor.shutdown(wait=False, cancel_futures=True)

    def _record(self, link: ExternalLink, result: CheckResult) -> None:
        record_result(link, result)
        self.checked += 1
        if not result.ok:
            self.broken.append(link)
        if self.on_result:
            self.on_result(self, link)
