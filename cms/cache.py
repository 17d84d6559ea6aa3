"""Django's cache when it is only a shortcut: Redis stopped is a miss, not a 500.

The default cache holds what can always be worked out again (the header's sections,
image sizes, the sitemap's count). With Redis down, every read is a miss and every
write is skipped, each logged, and pages are still served. The page cache does not use
this: it must know when an invalidation failed (``cms.pagecache``).
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ForgivingRedisCache(RedisCache):
    def _forgive(self, operation: str, default=None):
        logger.warning("Redis is unavailable: cache %s skipped", operation)
        return default

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError:
            return self._forgive("read", default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError:
            return self._forgive("read", {})

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError:
            return self._forgive("write", False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError:
            self._forgive("write")

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError:
            return self._forgive("write", list(data))

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError:
            return self._forgive("delete", False)
