"""Sitemaps of the public article pages, sections and authors."""

from urllib.parse import urljoin

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Prefetch, Subquery

from .models import Article, Author, Category, ListItem


class ArticleSitemap(Sitemap):
    """Every published article, with its hero and list images."""

    limit = 1000

    def items(self):
        return (
            Article.objects.published()
            .select_related("category")
            .defer("body", "body_html", "body_text", "toc", "search_vector")
            .prefetch_related(
                Prefetch(
                    "list_items",
                    queryset=ListItem.objects.exclude(image=""),
                )
            )
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.modified_at

    def get_latest_lastmod(self):
        return latest_article_change()

    def get_urls(self, page=1, site=None, protocol=None):
        """Each URL also carries its images (``images``), as absolute addresses."""
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["images"] = [
                urljoin(url["location"], image.url)
                for image in article_images(url["item"])
            ]
        return urls


def latest_article_change():
    """When published content last changed: the index's lastmod, in one query."""
    return Article.objects.published().aggregate(latest=Max("modified_at"))["latest"]


def article_images(article: Article) -> list:
    """The images a reader sees on the page: the hero, then the list items'."""
    images = [article.hero_image] if article.hero_image else []
    return images + [item.image for item in article.list_items.all()]


class SectionSitemap(Sitemap):
    """Every section; last modified when its newest-changed published article was."""

    def items(self):
        newest = (
            Article.objects.published()
            .in_section(OuterRef("pk"))
            .order_by("-modified_at")
            .values("modified_at")[:1]
        )
        return Category.objects.annotate(lastmod=Subquery(newest)).order_by("pk")

    def lastmod(self, item):
        return item.lastmod

    def get_latest_lastmod(self):
        return latest_article_change()


class AuthorSitemap(Sitemap):
    """Authors with at least one published article."""

    def items(self):
        published = Article.objects.published().values("pk")
        return Author.objects.filter(articles__in=published).distinct().order_by("pk")

    def lastmod(self, item):
        return item.modified_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("modified_at"))["latest"]
