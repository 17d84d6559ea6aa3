"""The API object, its error bodies and its URL patterns. Apps add their routers in
their ``AppConfig.ready`` (``articles/api``, ``experts/api.py``)."""

from functools import wraps

from django.urls import URLPattern
from ninja import NinjaAPI

from . import errors
from .encoding import Renderer


class ContentAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """Operation ids are the views' names (``list_articles``, ``get_expert``)."""
        return operation.view_func.__name__


api = ContentAPI(
    title="Newsroom CMS content API",
    version="1",
    description=(
        "Read-only access to published articles, sections, tags, authors, experts "
        "and quotes. Lists are newest first and paged with an opaque cursor "
        "(`next_cursor`). Only published content exists here; a preview share "
        "token (`?preview=`) shows one draft. See docs/api.md."
    ),
    urls_namespace="api",
    renderer=Renderer(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)


def _answers_head(view):
    """HEAD is answered as GET (the server sends no body), as Django's own views do;
    django-ninja only routes the methods an operation names."""

    @wraps(view)
    def answered(request, *args, **kwargs):
        if request.method != "HEAD":
            return view(request, *args, **kwargs)
        request.method = "GET"
        try:
            return view(request, *args, **kwargs)
        finally:
            request.method = "HEAD"

    return answered


def urls():
    """The API's URL patterns, for ``cms.urls``."""
    patterns, app_name, namespace = api.urls
    return (
        [
            URLPattern(p.pattern, _answers_head(p.callback), p.default_args, p.name)
            for p in patterns
        ],
        app_name,
        namespace,
    )
