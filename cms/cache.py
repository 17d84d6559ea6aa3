"""Caches on Redis that cost speed, never a page, when Redis stops or hangs.

Every call has short connect and read timeouts (``OPTIONS`` in settings). A Redis that
failed is left alone for ``CMS_REDIS_RETRY_SECONDS``, by every alias on it in this
process: one request waits for the timeout, the others do not wait at all, and the
failure is logged once per interval rather than on every call.

``FailFastRedisCache`` raises ``RedisUnavailable`` meanwhile: the page cache uses it, as it
must know when a change could not be recorded (``cms.pagecache``). ``ForgivingRedisCache``,
the default cache, holds only what can always be worked out again (the header's
sections, image sizes, the sitemap's count): a read is a miss and a write is skipped.
A skipped write or delete may leave an old value in a Redis that comes back with its
data (it only hung), so those keys are deleted before this process reads that Redis
again.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)


class RedisUnavailable(RedisConnectionError):
    """Redis did not answer in time, or failed too recently to be asked."""


class _Server:
    """One Redis server as this process sees it, shared by every alias on it."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        # For the logs: never the password.
        self.name = f"{parts.hostname}:{parts.port or 6379}{parts.path}"
        self.failed = False
        self.resting_until = 0.0  # time.monotonic()
        self.stale_keys: set[str] = set()
        self.lock = threading.Lock()

    def call(self, operation, client, *args):
        if self.failed or self.stale_keys:
            if time.monotonic() < self.resting_until:
                raise RedisUnavailable(f"Redis at {self.name} failed moments ago")
            self._guarded(self._repair, client)
        return self._guarded(operation, client, *args)

    def distrust(self, keys) -> None:
        """Delete ``keys`` before anything is read here again: a write to them failed."""
        with self.lock:
            self.stale_keys.update(keys)

    def _guarded(self, operation, *args):
        try:
            return operation(*args)
        except (RedisConnectionError, RedisTimeoutError) as error:
            seconds = settings.CMS_REDIS_RETRY_SECONDS
            self.failed = True
            self.resting_until = time.monotonic() + seconds
            logger.warning(
                "Redis at %s is unavailable (%s): bypassed for %s s",
                self.name,
                error,
                seconds,
            )
            raise RedisUnavailable(str(error)) from error

    def _repair(self, client) -> None:
        with self.lock:
            keys = list(self.stale_keys)
        if keys:
            RedisCacheClient.delete_many(client, keys)
            with self.lock:
                self.stale_keys.difference_update(keys)
        if self.failed:
            self.failed = False
            logger.warning("Redis at %s answers again", self.name)


_servers: dict[str, _Server] = {}
_servers_lock = threading.Lock()


class _FailFastClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._key = ";".join(servers)

    @property
    def server(self) -> _Server:
        found = _servers.get(self._key)
        if found is None:
            with _servers_lock:
                found = _servers.setdefault(self._key, _Server(self._servers[0]))
        return found


def _fail_fast(name: str):
    operation = getattr(RedisCacheClient, name)

    def call(self, *args):
        return self.server.call(operation, self, *args)

    call.__name__ = name
    return call


for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(_FailFastClient, _name, _fail_fast(_name))


class FailFastRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _FailFastClient


class ForgivingRedisCache(FailFastRedisCache):
    def _forgive(self, error, operation, default=None, keys=(), version=None):
        if keys:
            self._cache.server.distrust(
                self.make_and_validate_key(key, version) for key in keys
            )
        if not isinstance(error, RedisUnavailable):  # that one is logged already
            logger.warning("Redis failed (%s): cache %s skipped", error, operation)
        return default

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as error:
            return self._forgive(error, "read", default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            return self._forgive(error, "read", {})

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            return self._forgive(error, "write", False, [key], version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            self._forgive(error, "write", keys=[key], version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            return self._forgive(error, "write", list(data), list(data), version)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as error:
            return self._forgive(error, "delete", False, [key], version)

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except RedisError as error:
            self._forgive(error, "delete", keys=list(keys), version=version)
