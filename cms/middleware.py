"""Request checks and error handling that apply to every view on the site.

Kept free of model imports: the logging configuration loads ``RequestIdFilter`` from
here before the apps are ready.
"""

import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar

import sentry_sdk
from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.signals import request_finished
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

NUL = "\x00"
REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id (from a proxy or load balancer) is kept only if it is safe to log.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# How long a reader is asked to wait while the database is unreachable, and how often
# that is logged.
RETRY_AFTER_SECONDS = 30

_request_id: ContextVar[str] = ContextVar("request_id", default="")


class RejectNulBytesMiddleware:
    """Answer 400 to a request with a NUL byte in its path, query, form or cookies.

    No browser sends one, and PostgreSQL refuses NUL in text: a NUL that reaches a
    query would otherwise be a 500 in whichever view passed it on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            raise BadRequest("NUL bytes are not allowed in a request.")
        return self.get_response(request)


def _has_nul(request) -> bool:
    return any(NUL in text for text in _texts(request))


def _texts(request):
    """Every name and value the request carries as text (Django already drops NUL
    from uploaded file names)."""
    yield request.path
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            yield key
            yield from values
    yield from request.COOKIES.keys()
    yield from request.COOKIES.values()


def request_id_for(incoming: str | None) -> str:
    """The id a proxy gave the request if it is safe to log, else a new one."""
    if incoming and SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def current_request_id() -> str:
    """The id of the request being handled, "" outside one."""
    return _request_id.get()


class RequestIdMiddleware:
    """Give every request an id: in each log line, the ``X-Request-ID`` response header,
    the 500 page and the Sentry event, so a reader's report finds its log lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request.META.get("HTTP_X_REQUEST_ID"))
        # Kept until the response is closed: Django logs a 4xx or 5xx after the
        # middleware has returned.
        _request_id.set(request_id)
        sentry_sdk.set_tag("request_id", request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


def _forget_request_id(**kwargs) -> None:
    _request_id.set("")


request_finished.connect(_forget_request_id)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record, for the log format ("-" outside a request)."""

    def filter(self, record):
        record.request_id = _request_id.get() or "-"
        return True


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` says the database cannot be reached (or dropped the query)."""
    errors = [OperationalError, InterfaceError]
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None:
        errors += [psycopg.OperationalError, psycopg.InterfaceError]
    return isinstance(error, tuple(errors))


API_PREFIX = "/api/"


def api_error(status: int, error: str, detail: str) -> JsonResponse:
    """An error in the API's own shape (``cms.api.errors``), for answers made outside
    the API's views: unknown addresses, a server error, the database down."""
    body = {"status": status, "error": error, "detail": detail, "errors": []}
    if request_id := current_request_id():
        body["request_id"] = request_id
    return JsonResponse(body, status=status)


def service_unavailable(request) -> HttpResponse:
    """The branded 503 (JSON for the API), rendered without the request context: no
    context processor (so no query) runs. Never stored by a cache or CDN."""
    if request.path.startswith(API_PREFIX):
        response = api_error(
            503, "unavailable", "The service is briefly unavailable: try again soon."
        )
    else:
        html = render_to_string(
            "503.html",
            {"site_name": settings.CMS_SITE_NAME, "request_id": current_request_id()},
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view or template that cannot reach the database answers the branded 503 with
    ``Retry-After``, not a 500 (``cms.views.server_error`` does the same for errors
    raised outside views)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unavailable(exception):
            return None
        _log_once_in_a_while(exception)
        response = service_unavailable(request)
        # Logged above, once in a while: Django would log every 503 as an error.
        response._has_been_logged = True
        return response


_database_logged_at = float("-inf")


def _log_once_in_a_while(error: BaseException) -> None:
    global _database_logged_at
    now = time.monotonic()
    if now - _database_logged_at >= RETRY_AFTER_SECONDS:
        _database_logged_at = now
        logger.error(
            "Database unavailable: pages answer 503 (logged once per %s s)",
            RETRY_AFTER_SECONDS,
            exc_info=error,
        )
