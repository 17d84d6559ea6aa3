"""The read API: published content as JSON under ``/api/v1/``, described by OpenAPI.

Built on django-ninja: the schema at ``/api/v1/openapi.json`` is generated from the
endpoints' signatures and response schemas, and ``/api/v1/docs`` shows it with Swagger
UI from our own static files. Responses are tagged for the page cache like the pages
(``cms.pagecache``), so they are invalidated by the same changes. See ``docs/api.md``.
"""

from .site import api, urls

__all__ = ["api", "urls"]
