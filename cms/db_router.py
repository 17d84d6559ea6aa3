"""Reads from a database replica where a little lag cannot show (DATABASE_REPLICA_URL).

Only anonymous reading requests read from the replica. Everything else uses the
primary: writes, anything in a transaction, work outside a request (commands, the
shell), the admin and signed-in staff, a request that is not GET or HEAD, the rest of
a request once it wrote, and for ``CMS_REPLICA_PIN_SECONDS`` after a write, the same
browser (a short-lived cookie), so an editor never sees their change missing.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.urls import NoReverseMatch, reverse

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "cms_primary"
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _Reads:
    from_replica: bool
    wrote: bool = False


# Set by ReplicaMiddleware for the request being answered; None outside a request.
_current: ContextVar[_Reads | None] = ContextVar("cms_db_reads", default=None)


@contextmanager
def primary() -> Iterator[None]:
    """Read from the primary inside this block, e.g. to render a page that a cache will
    keep (a lagging replica would make the cache stale until the next change)."""
    token = _current.set(None)
    try:
        yield
    finally:
        _current.reset(token)


class PrimaryReplicaRouter:
    """Sends reads to the replica only when the request allows it (see module doc)."""

    def db_for_read(self, model, **hints):
        reads = _current.get()
        if reads is None or not reads.from_replica or reads.wrote:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        reads = _current.get()
        if reads is not None:
            reads.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: rows from either may be related.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReplicaMiddleware:
    """Decides where the request reads, and pins the browser to the primary after a
    write. Placed before the session middleware, so a session saved is a write too."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._admin_prefix = None

    def __call__(self, request):
        reads = _Reads(from_replica=self.may_read_replica(request))
        token = _current.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if reads.wrote or request.method not in READING_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.CMS_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def may_read_replica(self, request) -> bool:
        return (
            request.method in READING_METHODS
            and PIN_COOKIE not in request.COOKIES
            # Only staff sign in: they see their own work as it is now.
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(self.admin_prefix())
        )

    def admin_prefix(self) -> str:
        if self._admin_prefix is None:
            try:
                self._admin_prefix = reverse("admin:index")
            except NoReverseMatch:
                self._admin_prefix = "/admin/"
        return self._admin_prefix
