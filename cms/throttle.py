"""Per-client rate limiting of the read API, before the page cache answers.

``ApiThrottle`` wraps ``PageCache`` (``cms/wsgi.py``), so an answer from a stored page
counts too. Each client may make ``CMS_API_RATE_LIMIT`` requests to ``/api/`` in each
minute of the clock (a fixed window): one counter in the default cache, so every server
process shares it, and one increment per request. Past the limit, a 429 in the API's
error shape with ``Retry-After``. A cache that fails lets every request through: the
limit protects the site, and must never be what stops readers.
"""

import ipaddress
import json
import logging
import math
import time
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache

from .cache import RedisUnavailable
from .security import client_ip

logger = logging.getLogger(__name__)

PREFIX = "/api/"
WINDOW = 60  # seconds


class ApiThrottle:
    """WSGI middleware: a 429 for a client past ``CMS_API_RATE_LIMIT`` a minute."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        limit = settings.CMS_API_RATE_LIMIT
        if (
            not limit
            # A browser's preflight comes with the request it asks about.
            or environ["REQUEST_METHOD"] == "OPTIONS"
            or not environ.get("PATH_INFO", "").startswith(PREFIX)
        ):
            return self.application(environ, start_response)
        now = time.time()
        window = int(now // WINDOW)
        count = _count(environ, window)
        if count is None:
            return self.application(environ, start_response)
        reset = max(1, math.ceil((window + 1) * WINDOW - now))
        limits = [
            ("RateLimit-Limit", str(limit)),
            ("RateLimit-Remaining", str(max(0, limit - count))),
            ("RateLimit-Reset", str(reset)),
        ]
        if count > limit:
            return _too_many(environ, start_response, limit, reset, limits)

        def with_limits(status, headers, exc_info=None):
            return start_response(status, headers + limits, exc_info)

        return self.application(environ, with_limits)


def _count(environ, window: int) -> int | None:
    """This request's number in its client's window; None if it cannot be counted."""
    client = _client(environ)
    if client is None:
        return None
    key = f"api-rate:{client}:{window}"
    try:
        try:
            return cache.incr(key)
        except ValueError:  # the window's first request
            # Outlives the window even on a server whose clock is a minute behind.
            if cache.add(key, 1, timeout=2 * WINDOW):
                return 1
            return cache.incr(key)
    except Exception as error:
        if not isinstance(error, RedisUnavailable):  # that one is logged already
            logger.warning("API rate limit not counted (%r)", error, exc_info=True)
        return None


def _client(environ) -> str | None:
    """Who is counted: the login throttle's address, or for IPv6 its /64, which
    one host usually has to itself. None if unknown: every such request would
    otherwise share one count."""
    address = client_ip(SimpleNamespace(META=environ))
    if address is None:
        return None
    ip = ipaddress.ip_address(address)
    if ip.version == 4:
        return address
    if ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network((ip, 64), strict=False))


def _too_many(environ, start_response, limit: int, reset: int, limits):
    seconds = f"{reset} second{'' if reset == 1 else 's'}"
    body = json.dumps(
        {
            "status": 429,
            "error": "rate_limited",
            "detail": (
                f"Too many requests: this API answers {limit} a minute from one "
                f"address. Try again in {seconds}."
            ),
            "errors": [],
        }
    ).encode()
    headers = [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        ("Retry-After", str(reset)),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        *limits,
        *_cors(environ),
    ]
    start_response("429 Too Many Requests", headers)
    return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]


def _cors(environ) -> list[tuple[str, str]]:
    """The CORS headers django-cors-headers gives an allowed origin, so that a
    browser client can read the 429 (Django never sees it)."""
    origin = environ.get("HTTP_ORIGIN")
    if not origin or origin not in settings.CORS_ALLOWED_ORIGINS:
        return []
    return [
        ("Access-Control-Allow-Origin", origin),
        ("Access-Control-Expose-Headers", ", ".join(settings.CORS_EXPOSE_HEADERS)),
    ]
