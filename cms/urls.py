from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from articles.sitemaps import ArticleSitemap, AuthorSitemap, SectionSitemap
from experts.sitemaps import ExpertSitemap

from .views import health, markdownx_urls, robots_txt

sitemaps = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "experts": ExpertSitemap,
}

handler500 = "cms.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("markdownx/", include(markdownx_urls)),
    path("health/", health, name="health"),
    path("robots.txt", robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemaps"},
        name="sitemap",
    ),
    path(
        "sitemaps/<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps},
        name="sitemaps",
    ),
    path("experts/", include("experts.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
