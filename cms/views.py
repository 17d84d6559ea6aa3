import sys

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.db import connection
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.module_loading import import_string
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from markdownx.views import ImageUploadView

from .middleware import (
    API_PREFIX,
    RETRY_AFTER_SECONDS,
    api_error,
    current_request_id,
    database_unavailable,
    service_unavailable,
)
from .uploads import MarkdownImageForm


@never_cache
def health_live(request):
    """Liveness: the process answers. No dependency is asked, so a database or Redis
    outage never gets healthy app servers restarted."""
    return JsonResponse({"status": "ok"})


@never_cache
def health(request):
    """Readiness for load balancers (``/health/``, ``/health/ready``): the database and
    cache answer, or a 503 says which did not."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = "error"
    try:
        cache.set("health-check", "ok", 5)
        checks["cache"] = "ok" if cache.get("health-check") == "ok" else "error"
    except Exception:  # noqa: BLE001
        checks["cache"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "error", **checks},
        status=200 if healthy else 503,
    )
    if not healthy:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def favicon(request):
    """Browsers ask for /favicon.ico on every page, the admin's too."""
    return HttpResponsePermanentRedirect(static("cms/favicon.svg"))


def robots_txt(request):
    """Crawlers: everything public, not the admin or previews; where the sitemap is.

    An admin moved from /admin/ (DJANGO_ADMIN_URL) is not named: this file is the first
    that scanners read. Its pages tell crawlers not to index them anyway."""
    admin_path = reverse("admin:index")
    lines = [
        "User-agent: *",
        *([f"Disallow: {admin_path}"] if admin_path == "/admin/" else []),
        "Disallow: /preview/",
        "Disallow: /markdownx/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def bad_request(request, exception):
    """Django's 400 page; under the API, a JSON error like the API's own."""
    if request.path.startswith(API_PREFIX):
        return api_error(400, "bad_request", str(exception) or "Bad request.")
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    """The site's 404 page; under the API, a JSON error like the API's own."""
    if request.path.startswith(API_PREFIX):
        return api_error(404, "not_found", "No such address in the API.")
    return defaults.page_not_found(request, exception)


def server_error(request):
    """The 500 page, rendered without the request context: no context processor (and so
    no database query) can fail while the site is already failing. It shows the request
    id for the reader to quote. A database outage raised outside a view (in a
    middleware, say) gets the 503 instead."""
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    if request.path.startswith(API_PREFIX):
        return api_error(500, "server_error", "Something went wrong on our side.")
    html = render_to_string(
        "500.html",
        {"site_name": settings.CMS_SITE_NAME, "request_id": current_request_id()},
    )
    return HttpResponseServerError(html)


@require_POST
@staff_member_required
def markdown_preview(request):
    """markdownx's live preview, for staff only, through the same renderer as the page.

    Text that a save would refuse for its size or nesting gets the reason instead, as a
    400 whose body markdownx shows in the preview pane like any answer."""
    from django.utils.html import format_html_join

    from .limits import limit_problems

    if "content" not in request.POST:
        return HttpResponseBadRequest("Missing content.")
    text = request.POST["content"]
    if problems := limit_problems(text):
        response = HttpResponseBadRequest(
            format_html_join(
                "",
                '<p class="preview-error" role="alert">{}</p>',
                ((problem,) for problem in problems),
            )
        )
    else:
        render = import_string(settings.MARKDOWNX_MARKDOWNIFY_FUNCTION)
        response = HttpResponse(render(text))
    response["Cache-Control"] = "no-store"
    return response


class MarkdownImageUploadView(ImageUploadView):
    """markdownx's image upload, which answers every request in JSON: its own view
    has no page to render, so a GET or a plain form post was a 500. Every file goes
    through our image check first (a refusal is a 400)."""

    form_class = MarkdownImageForm
    http_method_names = ["post"]

    def form_invalid(self, form):
        return JsonResponse(form.errors, status=400)

    def form_valid(self, form):
        return JsonResponse({"image_code": f"![]({form.save(commit=True)})"})


# markdownx's own views are open to anyone; the editor's endpoints are staff-only here.
markdownx_urls = [
    path(
        "upload/",
        staff_member_required(MarkdownImageUploadView.as_view()),
        name="markdownx_upload",
    ),
    path("markdownify/", markdown_preview, name="markdownx_markdownify"),
]
