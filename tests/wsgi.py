"""The site's WSGI application (the page cache in front of Django) called as a server
calls it, for tests of what happens before Django runs."""

import io
from wsgiref.util import setup_testing_defaults

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from cms.pagecache import PageCache


class Server:
    """Calls the site's WSGI application, page cache in front, as a server does."""

    def __init__(self):
        self.app = PageCache(WSGIHandler())

    def get(self, path, method="GET", **headers):
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "HTTP_HOST": "testserver",
            "wsgi.input": io.BytesIO(),
            **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
        }
        setup_testing_defaults(environ)
        captured = {}

        def start_response(status, response_headers, exc_info=None):
            captured["status"] = int(status.split()[0])
            captured["headers"] = {k.lower(): v for k, v in response_headers}

        # As Django's test client does: the test's transaction outlives each request
        # (PostgreSQL's connection would be closed for being inside one).
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = self.app(environ, start_response)
            body = b"".join(result)
            if hasattr(result, "close"):
                result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return Response(captured["status"], captured["headers"], body)


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def hit(self) -> bool:
        return self.headers.get("x-page-cache") == "hit"

    @property
    def text(self) -> str:
        return self.body.decode()
