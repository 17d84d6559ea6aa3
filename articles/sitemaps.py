"""Sitemaps of the public article pages, sections and authors."""

from functools import cached_property
from urllib.parse import urljoin

from django.contrib.sitemaps import Sitemap
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Max, OuterRef, Prefetch, Subquery

from cms.images import large_url

from .models import Article, Author, Category, ListItem

COUNT_KEY = "articles:sitemap-count"
COUNT_SECONDS = 300


class IdsFirstPaginator(Paginator):
    """Reads a page's ids first (from an index alone, however deep the page), then
    only that page's rows: an OFFSET over full rows reads every row it skips."""

    @cached_property
    def count(self) -> int:
        """Kept for a few minutes (and dropped when an article joins or leaves the
        lists): the index and every page ask it, and it counts every published
        article."""
        try:
            return cache.get_or_set(COUNT_KEY, self.object_list.count, COUNT_SECONDS)
        except Exception:  # the cache is down: count, as before
            return self.object_list.count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self.object_list.values("pk")[bottom : bottom + self.per_page]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


class ArticleSitemap(Sitemap):
    """Every published article, with its hero and list images."""

    # Small pages: each costs about 0.15 ms per address to build (measured at 100,000
    # articles by `make bench`), and search engines read any number of them.
    limit = 250

    @property
    def paginator(self):
        return IdsFirstPaginator(self._items(), self.limit)

    def items(self):
        return (
            Article.objects.published()
            .select_related("category", "hero_image")
            .defer("body", "body_html", "body_text", "toc", "search_vector")
            .prefetch_related(
                Prefetch(
                    "list_items",
                    queryset=ListItem.objects.filter(
                        image__isnull=False
                    ).select_related("image"),
                    to_attr="item_images",
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
                urljoin(url["location"], large_url(image, preset))
                for image, preset in article_images(url["item"])
            ]
        return urls


def latest_article_change():
    """When published content last changed: the index's lastmod, in one query."""
    return Article.objects.published().aggregate(latest=Max("modified_at"))["latest"]


def article_images(article: Article) -> list:
    """(image, preset) for the images a reader sees on the page: the hero, then the
    list items' (fetched as a list: a related manager per article costs more than the
    rest of its entry). Listed by their largest rendition, as the page links them."""
    images = [(article.hero_image, "hero")] if article.hero_image else []
    return images + [(item.image, "item") for item in article.item_images]


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
        # A correlated LIMIT 1 stops at each author's first published article (an
        # EXISTS is planned as a join over every byline, as DISTINCT was).
        first = Article.objects.published().filter(authors=OuterRef("pk"))
        return (
            Author.objects.annotate(
                first_article=Subquery(first.order_by().values("pk")[:1])
            )
            .filter(first_article__isnull=False)
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.modified_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("modified_at"))["latest"]
