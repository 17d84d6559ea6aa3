"""The page cache: public pages answered before Django runs, never stale.

``PageCache`` wraps the WSGI application (``cms/wsgi.py``), as whitenoise does for static
files, so that every WSGI server gets it. It stores and answers only anonymous GET and
HEAD requests (no session cookie) for responses a view has tagged with what they show
(``tag_response``): ``article:12``, ``expert:3``, ``section:4``, ``articles`` (any change to
the published list) and so on.

Invalidation is by tag, never by guessing addresses. A shared counter, the clock, goes up
by one with every change; ``invalidate(...)`` sets each tag's version to the new count once
the transaction commits. A stored page is good while none of its tags is newer than the
count read when its render began, so a render that raced a change is never served, and no
server's wall clock is trusted. A hit costs one small read, the counter, which each process
compares with the count it last checked its copy against; only when something changed does
it read the page's tag versions again.

Pages also expire at the next scheduled publication or expiry (``CMS_PAGE_CACHE_NEXT_CHANGE``
names the function that knows it), so a scheduled article appears on time without a cron
job, and after ``CMS_PAGE_CACHE_SECONDS`` in any case.

A store that fails costs speed, never a page, and never an old page later. A change
whose count cannot be recorded (Redis stopped or hanging) is kept by the process that
made it; a process that sees the store fail at all also notes the site's tag, which every
page carries, for another process's change may have been lost the same way. Until those
are recorded, that process trusts nothing stored: it renders and stores nothing. Each
request tries again first, so a Redis that comes back with its old pages (it only hung)
or empty (restarted) never serves one older than the change.
"""

import fcntl
import hashlib
import logging
import os
import sys
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from functools import wraps
from http.cookies import SimpleCookie

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils.module_loading import import_string

from .cache import RedisUnavailable
from .middleware import REQUEST_ID_HEADER, request_id_for

logger = logging.getLogger(__name__)

TAGS_HEADER = "X-Cache-Tags"
CLOCK_KEY = "clock"
NEXT_CHANGE_KEY = "next-change"
# Every page shows the site's header: a change there (a section renamed) is one tag.
SITE_TAG = "site"
NOT_STORED_CACHE_CONTROL = ("private", "no-store", "no-cache")
VALIDATORS = {"etag", "last-modified"}
# Headers that belong to one response, never replayed from a stored page.
PER_REQUEST = {*VALIDATORS, REQUEST_ID_HEADER.lower()}
# What a stored page may vary on: anonymous requests have no session cookie, the bytes
# are the same for any encoding asked for, and the origin is part of the key.
VARY_KEYED = {"cookie", "accept-encoding", "origin"}
# Replayed on a 304 as well: a browser client checks the CORS headers of that too.
NOT_MODIFIED_HEADERS = {"cache-control", "vary", "expires"}


def tag_response(response, *tags: str):
    """Mark a public response as cacheable, showing the objects ``tags`` name."""
    response[TAGS_HEADER] = " ".join(sorted({SITE_TAG, *tags}))
    return response


def cached_page(*tags: str):
    """Decorate a view whose response the page cache may keep, cleared by ``tags``."""

    def decorate(view):
        @wraps(view)
        def tagged(request, *args, **kwargs):
            return tag_response(view(request, *args, **kwargs), *tags)

        return tagged

    return decorate


def _store():
    """Stored pages: any of them may be dropped at any time (a miss, nothing worse)."""
    return caches[settings.CMS_PAGE_CACHE_ALIAS]


def _versions():
    """Tag versions, the clock and the purge hook's addresses: these must not be
    dropped early. They last as long as a stored page can (a version older than every
    stored page decides nothing)."""
    return caches[settings.CMS_PAGE_CACHE_VERSIONS_ALIAS]


def _version_timeout() -> int:
    return settings.CMS_PAGE_CACHE_SECONDS + 60


def _tag_key(tag: str) -> str:
    return f"tag:{tag}"


def invalidate(*tags: str) -> None:
    """Clear every stored page showing any of ``tags``, once the transaction commits
    (at once outside one); nothing if it rolls back. Inside ``invalidating_once``,
    when it ends."""
    gathered = getattr(_gathering, "tags", None)
    if tags and gathered is not None:
        gathered.update(tags)
    elif tags:
        transaction.on_commit(lambda: bump(set(tags)))


# The tags an ``invalidating_once`` block of this thread has gathered so far.
_gathering = threading.local()


@contextmanager
def invalidating_once():
    """Thousands of writes in a row (an import) clear the pages they touch in one
    bump at the end, however it ends, rather than one bump per transaction."""
    outer = getattr(_gathering, "tags", None)
    _gathering.tags = gathered = set()
    try:
        yield
    finally:
        _gathering.tags = outer
        if outer is not None:
            outer.update(gathered)
        elif gathered:
            bump(gathered)


# Tags whose new count this process could not record, the store being unreachable.
_unrecorded: set[str] = set()


def bump(tags) -> bool:
    """Give each tag the next count: pages whose render began before are not served.

    False if the store could not be told: the tags wait, with any left from before,
    for the next bump, which every request of this process tries first."""
    tags = set(tags) | _unrecorded
    if not tags:
        return True
    store = _versions()
    try:
        with _exclusive(store):
            count = _next_count(store)
        versions = {_tag_key(tag): (count, time.time()) for tag in tags}
        store.set_many(versions, timeout=_version_timeout())
    except Exception as error:
        # The database change stands; no stored page showing it is served until the
        # store has its count. An unavailable Redis is logged by its guard already.
        new = tags - _unrecorded
        _unrecorded.update(tags)
        if new or not isinstance(error, RedisUnavailable):
            logger.warning(
                "Could not invalidate cached pages for %s (%r): retried with every "
                "request until the page cache store answers",
                sorted(new or tags),
                error,
                exc_info=not isinstance(error, RedisUnavailable),
            )
        return False
    _unrecorded.difference_update(tags)
    purge = settings.CMS_PAGE_CACHE_PURGE
    if purge:
        _purge_urls(import_string(purge)(), tags)
    return True


def _store_failed(message: str) -> None:
    """The store failed under this process: a change elsewhere may have been lost with
    it, so every page is cleared once it answers again (the site's tag)."""
    _unrecorded.add(SITE_TAG)
    error = sys.exc_info()[1]
    if not isinstance(error, RedisUnavailable):  # that one is logged already
        logger.exception(message)


def _next_count(store) -> int:
    try:
        return store.incr(CLOCK_KEY)
    except Exception:
        # Missing (a new store) or unreadable: start again from the time in
        # microseconds, above any count before it (one per change), so that no stored
        # page ever looks newer than a change.
        store.set(CLOCK_KEY, time.time_ns() // 1000, timeout=None)
        return store.incr(CLOCK_KEY)


@contextmanager
def _exclusive(store):
    """Redis and local memory count atomically; files need a lock between processes."""
    directory = getattr(store, "_dir", None)
    if directory is None:
        yield
        return
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "clock.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _purge_urls(hook, tags) -> None:
    """Give the purge hook (a CDN's, say) the addresses of every stored page that
    showed one of ``tags``."""
    store = _versions()
    keys = [f"urls:{tag}" for tag in tags]
    try:
        urls = set().union(*store.get_many(keys).values())
        store.delete_many(keys)
        if urls:
            hook.purge(sorted(urls))
    except Exception:
        logger.exception("The page cache purge hook failed")


def next_change(clock: int) -> float:
    """When a page stored now must be dropped: the next scheduled change, or the TTL.

    Looked up again at least every minute, and after every change (an answer found
    at an earlier count is not used, however late it was stored).
    """
    store = _versions()
    limit = time.time() + settings.CMS_PAGE_CACHE_SECONDS
    known = store.get(NEXT_CHANGE_KEY)
    if known is not None and known[0] == clock:
        when = known[1]
    else:
        finder = settings.CMS_PAGE_CACHE_NEXT_CHANGE
        found = import_string(finder)() if finder else None
        when = found.timestamp() if found else 0
        store.set(NEXT_CHANGE_KEY, (clock, when), timeout=60)
    return min(limit, when) if when else limit


class CacheHeadersMiddleware:
    """Headers for tagged responses: cacheable by a CDN for anonymous readers, private
    for anyone logged in. The tags are left for ``PageCache`` only when it is on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if TAGS_HEADER not in response:
            return response
        anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
        if anonymous and response.status_code == 200 and request.method in SAFE:
            response.setdefault(
                "Cache-Control",
                "public, max-age=0, must-revalidate, "
                f"s-maxage={settings.CMS_CDN_SECONDS}",
            )
            if settings.CMS_PAGE_CACHE:
                return response
        else:
            response.setdefault("Cache-Control", "private, no-cache")
        del response[TAGS_HEADER]
        return response


SAFE = ("GET", "HEAD")


@dataclass
class Entry:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    tags: tuple[str, ...]
    started: float
    # The clock when its render began: any tag newer than this makes it stale.
    clock: int
    expires: float
    etag: str
    last_modified: str
    # The clock this process last found the entry good at (not stored).
    checked: int | None = field(default=None, compare=False)


class PageCache:
    """WSGI middleware answering anonymous requests from stored pages."""

    LOCAL_ENTRIES = 500
    # And the admin, wherever DJANGO_ADMIN_URL puts it.
    BYPASS_PREFIXES = ("/markdownx/", "/preview/", "/static/", "/media/")

    def __init__(self, application):
        self.application = application
        self.local: OrderedDict[str, Entry] = OrderedDict()
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if not self._may_use(environ):
            return self.application(environ, start_response)
        try:
            if _unrecorded and not bump(()):
                return self.application(environ, start_response)
            key = self._key(environ)
            clock = _versions().get(CLOCK_KEY, 0)
            entry = self._valid_entry(key, clock)
        except Exception:
            # A cache that is down costs speed, never the page.
            _store_failed("Page cache unavailable")
            return self.application(environ, start_response)
        if entry is not None:
            own_id = request_id_for(environ.get("HTTP_X_REQUEST_ID"))
            return self._answer(entry, environ, start_response, own_id, hit=True)
        return self._render(environ, start_response, key, clock)

    def _may_use(self, environ) -> bool:
        if not settings.CMS_PAGE_CACHE or environ["REQUEST_METHOD"] not in SAFE:
            return False
        if "HTTP_AUTHORIZATION" in environ:
            return False
        path = environ.get("PATH_INFO", "")
        if path.startswith((f"/{settings.ADMIN_URL}", *self.BYPASS_PREFIXES)):
            return False
        cookies = environ.get("HTTP_COOKIE")
        if cookies:
            try:
                names = SimpleCookie(cookies).keys()
            except Exception:
                return False
            if settings.SESSION_COOKIE_NAME in names:
                return False
        return True

    @staticmethod
    def _key(environ) -> str:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        scheme = environ.get("wsgi.url_scheme", "http")
        query = environ.get("QUERY_STRING", "")
        raw = f"{scheme}://{host}{environ.get('PATH_INFO', '')}?{query}"
        # The API's CORS headers name the origin asked for (Vary: origin): each
        # origin, and no origin, has answers of its own. No address holds a newline.
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None:
            raw += f"\norigin={origin}"
        return "page:" + hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()

    def _valid_entry(self, key: str, clock: int) -> Entry | None:
        """This process's copy if nothing changed since it was checked; else whichever
        of its copy and the shared one is still good."""
        now = time.time()
        entry = self.local.get(key)
        if entry is not None and entry.checked == clock and entry.expires > now:
            return entry
        if entry is not None and self._still_good(entry, key, clock, now):
            return entry
        self._forget(key)
        entry = _store().get(key)
        if entry is not None and self._still_good(entry, key, clock, now):
            return entry
        return None

    def _still_good(self, entry: Entry, key: str, clock: int, now: float) -> bool:
        """Not expired, and none of its tags changed since its render began."""
        if entry.expires <= now:
            return False
        versions = _versions().get_many([_tag_key(tag) for tag in entry.tags])
        distrust = settings.CMS_PAGE_CACHE_DISTRUST_SECONDS
        for count, changed_at in versions.values():
            if count > entry.clock:
                return False
            if distrust and changed_at >= entry.started - distrust:
                return False
        entry.checked = clock
        self._remember(key, entry)
        return True

    def _remember(self, key: str, entry: Entry) -> None:
        with self.lock:
            self.local[key] = entry
            self.local.move_to_end(key)
            while len(self.local) > self.LOCAL_ENTRIES:
                self.local.popitem(last=False)

    def _forget(self, key: str) -> None:
        with self.lock:
            self.local.pop(key, None)

    def _render(self, environ, start_response, key: str, clock: int):
        started = time.time()
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None  # the old write() interface: not used by Django

        result = self.application(environ, capture)
        try:
            body = b"".join(result)
            status, headers = captured["status"], captured["headers"]
            tags = next(
                (v.split() for n, v in headers if n.lower() == TAGS_HEADER.lower()),
                None,
            )
            kept = [(n, v) for n, v in headers if n.lower() != TAGS_HEADER.lower()]
            # Before the response is closed: Django's database connection is still
            # this request's.
            entry = self._entry(status, kept, body, tags, environ, started, clock)
        finally:
            if hasattr(result, "close"):
                result.close()
        if entry is None:
            start_response(status, kept)
            return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        self._save(key, entry, environ)
        own_id = next(
            (v for n, v in kept if n.lower() == REQUEST_ID_HEADER.lower()), None
        )
        return self._answer(entry, environ, start_response, own_id, hit=False)

    def _entry(self, status, headers, body, tags, environ, started, clock):
        """What to store for this response; None if it must not be kept."""
        if not tags or not self._storable(status, headers, environ):
            return None
        try:
            expires = next_change(clock)
        except Exception:
            _store_failed("Could not tell when stored pages expire; not storing")
            return None
        return Entry(
            status=status,
            # Validators of its own replace Django's (the same for the same bytes);
            # each answer gets a request id of its own.
            headers=[(n, v) for n, v in headers if n.lower() not in PER_REQUEST],
            body=body,
            tags=tuple(tags),
            started=started,
            expires=expires,
            etag=f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"',
            last_modified=formatdate(started, usegmt=True),
            clock=clock,
            # With a distrust window, checked again (and kept) only once it has passed.
            checked=None if settings.CMS_PAGE_CACHE_DISTRUST_SECONDS else clock,
        )

    @staticmethod
    def _storable(status: str, headers, environ) -> bool:
        if not status.startswith("200") or environ["REQUEST_METHOD"] != "GET":
            return False
        for name, value in headers:
            lower = name.lower()
            if lower == "set-cookie":
                return False
            if lower == "cache-control" and any(
                word in value.lower() for word in NOT_STORED_CACHE_CONTROL
            ):
                return False
            if (
                lower == "vary"
                and {part.strip().lower() for part in value.split(",")} - VARY_KEYED
            ):
                return False
        return True

    def _save(self, key: str, entry: Entry, environ) -> None:
        try:
            timeout = max(1, int(entry.expires - time.time()) + 1)
            _store().set(key, entry, timeout=timeout)
            if settings.CMS_PAGE_CACHE_PURGE:
                self._record_url(entry, environ)
        except Exception:
            _store_failed("Could not store a page")
            return
        self._remember(key, entry)

    @staticmethod
    def _record_url(entry: Entry, environ) -> None:
        """Which addresses show each tag, for the purge hook."""
        path = environ.get("PATH_INFO", "")
        if environ.get("QUERY_STRING"):
            path += "?" + environ["QUERY_STRING"]
        keys = [f"urls:{tag}" for tag in entry.tags if tag != SITE_TAG]
        store = _versions()
        found = store.get_many(keys)
        store.set_many(
            {key: found.get(key, set()) | {path} for key in keys},
            timeout=_version_timeout(),
        )

    @staticmethod
    def _not_modified(entry: Entry, environ) -> bool:
        match = environ.get("HTTP_IF_NONE_MATCH")
        if match is not None:
            return entry.etag in {tag.strip() for tag in match.split(",")} or (
                match.strip() == "*"
            )
        since = environ.get("HTTP_IF_MODIFIED_SINCE")
        if since:
            try:
                return parsedate_to_datetime(since).timestamp() >= int(entry.started)
            except (TypeError, ValueError):
                return False
        return False

    def _answer(self, entry: Entry, environ, start_response, own_id, *, hit: bool):
        validators = [
            ("ETag", entry.etag),
            ("Last-Modified", entry.last_modified),
            ("X-Page-Cache", "hit" if hit else "miss"),
        ]
        if own_id:
            validators.append((REQUEST_ID_HEADER, own_id))
        if self._not_modified(entry, environ):
            kept = [
                (name, value)
                for name, value in entry.headers
                if name.lower() in NOT_MODIFIED_HEADERS
                or name.lower().startswith("access-control-")
            ]
            start_response("304 Not Modified", kept + validators)
            return [b""]
        start_response(entry.status, entry.headers + validators)
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]
