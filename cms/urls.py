import re

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from articles.sitemaps import ArticleSitemap, AuthorSitemap, SectionSitemap
from experts.sitemaps import ExpertSitemap

from . import accounts, api, legal
from .media import media
from .pagecache import cached_page
from .views import favicon, health, health_live, markdownx_urls, robots_txt

sitemaps = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "experts": ExpertSitemap,
    "legal": legal.LegalSitemap,
}

# Sitemaps list every published article (with its dates), author and expert.
sitemap_page = cached_page("articles", "content", "authors", "experts")

handler400 = "cms.views.bad_request"
handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"

# The admin's address is DJANGO_ADMIN_URL ("admin/" unless set).
urlpatterns = [
    # Choosing a password from an emailed link (new logins, forgotten passwords).
    path(
        f"{settings.ADMIN_URL}password_reset/",
        accounts.PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        f"{settings.ADMIN_URL}password_reset/done/",
        accounts.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        f"{settings.ADMIN_URL}reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        f"{settings.ADMIN_URL}reset/done/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("markdownx/", include(markdownx_urls)),
    path("api/v1/", api.urls()),
    path("health/", health, name="health"),
    path("health/ready", health, name="health_ready"),
    path("health/live", health_live, name="health_live"),
    path("robots.txt", robots_txt, name="robots"),
    path("favicon.ico", favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap_page(sitemap_views.index),
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemaps"},
        name="sitemap",
    ),
    path(
        "sitemaps/<section>.xml",
        sitemap_page(sitemap_views.sitemap),
        {"sitemaps": sitemaps},
        name="sitemaps",
    ),
    path("experts/", include("experts.urls")),
    path("legal/", include(legal)),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    # static() adds nothing with DEBUG off, so the route is spelled out; first, so that
    # nothing under it reaches the article patterns.
    urlpatterns.insert(
        0,
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            media,
            name="media",
        ),
    )
