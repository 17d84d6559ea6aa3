"""RSS 2.0 and Atom feeds: the whole site, each section and each author."""

import copy
import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape

from cms.images import picture_for
from cms.pagecache import tag_response
from cms.text import strip_control_characters

from .models import Article, Author, Category
from .views import card_tags

FEED_LENGTH = 20
# The date part of item ids (tag URIs, RFC 4151): the year the site started. Readers
# tell items apart by id, so it never changes.
ITEM_ID_YEAR = 2026


def stored_size(storage, name: str) -> int | None:
    """A stored file's size in bytes, asked of storage once per file name.

    Uploads and renditions never overwrite, so a name always means the same bytes.
    """
    key = f"articles:image-size:{name}"
    size = cache.get(key)
    if size is None:
        try:
            size = storage.size(name)
        except (OSError, NotImplementedError):
            return None
        cache.set(key, size, None)
    return size


def _clean(value):
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, list | tuple):
        return type(value)(_clean(item) for item in value)
    return value


class CleanTextMixin:
    """A feed generator that drops control characters from every string it is given:
    XML cannot hold them, and rows written before saves stripped them (or by raw SQL)
    may."""

    def __init__(self, *args, **kwargs):
        super().__init__(*_clean(args), **{k: _clean(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*_clean(args), **{k: _clean(v) for k, v in kwargs.items()})


class CleanRssFeed(CleanTextMixin, Rss201rev2Feed):
    pass


class CleanAtomFeed(CleanTextMixin, Atom1Feed):
    pass


class ArticleFeed(Feed):
    """The site's newest published articles (RSS 2.0)."""

    feed_type = CleanRssFeed
    item_guid_is_permalink = False

    def title(self, obj=None):
        return settings.CMS_SITE_NAME

    def link(self, obj=None):
        return "/"

    def description(self, obj=None):
        return f"The latest advice from {settings.CMS_SITE_NAME}."

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        self.shown = list(self.articles(obj).with_related()[:FEED_LENGTH])
        return self.shown

    def cache_tags(self, obj) -> set[str]:
        """What the page cache clears the feed for: any change to the list, or to an
        article or byline in it."""
        return {"articles", *card_tags(self.shown)}

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Both formats' descriptions are HTML (Atom's summary is type="html"): the
        # plain-text standfirst is escaped, so readers show "<" as typed.
        return escape(item.standfirst)

    def item_guid(self, item):
        """A tag URI from the article's id: renaming or moving the article keeps it, so
        readers do not show it twice."""
        host, _ = split_domain_port(self.request.get_host())
        return f"tag:{host or 'localhost'},{ITEM_ID_YEAR}:article:{item.pk}"

    def item_author_name(self, item):
        return ", ".join(author.display_name for author in item.byline) or None

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_categories(self, item):
        return [item.category.name]

    def item_enclosures(self, item):
        """The hero's largest rendition (the upload only until renditions are made)."""
        picture = picture_for(item.hero_image, "hero")
        if not picture:
            return []
        size = stored_size(item.hero_image.file.storage, picture.large_name)
        if not size:
            return []
        mime_type = mimetypes.guess_type(picture.large_name)[0] or "image/jpeg"
        url = self.request.build_absolute_uri(picture.large_src)
        return [Enclosure(url, str(size), mime_type)]

    def __call__(self, request, *args, **kwargs):
        # The view is one shared instance: a copy per request holds the request.
        feed = copy.copy(self)
        feed.request = request
        response = Feed.__call__(feed, request, *args, **kwargs)
        return tag_response(response, *feed.cache_tags(feed.obj))

    def get_object(self, request, *args, **kwargs):
        self.obj = super().get_object(request, *args, **kwargs)
        return self.obj


class AtomArticleFeed(ArticleFeed):
    feed_type = CleanAtomFeed

    def subtitle(self, obj=None):
        return self.description(obj)


class ListFeedMixin:
    """The feed of one section's or author's list."""

    kind = ""

    def cache_tags(self, obj):
        tags = {f"{self.kind}:{obj.pk}", f"list:{self.kind}:{obj.pk}"}
        return tags | card_tags(self.shown)


class SectionFeedMixin(ListFeedMixin):
    kind = "section"

    def get_object(self, request, slug):
        self.obj = get_object_or_404(Category, slug=slug)
        return self.obj

    def title(self, obj=None):
        return f"{obj.name} | {settings.CMS_SITE_NAME}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return obj.description or f"The latest {obj.name} advice."

    def articles(self, obj):
        return Article.objects.published().in_section(obj)


class SectionFeed(SectionFeedMixin, ArticleFeed):
    pass


class AtomSectionFeed(SectionFeedMixin, AtomArticleFeed):
    pass


class AuthorFeedMixin(ListFeedMixin):
    kind = "author"

    def get_object(self, request, slug):
        self.obj = get_object_or_404(Author, slug=slug)
        return self.obj

    def title(self, obj=None):
        return f"{obj.display_name} | {settings.CMS_SITE_NAME}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return f"The latest articles by {obj.display_name}."

    def articles(self, obj):
        return Article.objects.published().by_author(obj)


class AuthorFeed(AuthorFeedMixin, ArticleFeed):
    pass


class AtomAuthorFeed(AuthorFeedMixin, AtomArticleFeed):
    pass
