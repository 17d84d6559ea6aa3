"""Article pages rendered once and kept until something they show changes.

A public article request reads the article with its ``ArticlePage`` (one query) and puts
the stored HTML in the site's frame; the API's article answer is the page's stored
``document``, rendered with it. The first request after a change renders the page
from live data (``for_page``) and writes down what it showed (``PageDependency``). A
change to any of those objects marks the page stale in the same transaction, and tells
the page cache (``cms.pagecache``) once it commits; see ``register_handlers``.

The HTML holds full addresses (canonical, JSON-LD) for an origin that does not exist;
each request puts its own scheme and host there, so one render serves every host.
"""

import logging

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from cms import pagecache
from cms.models import Image
from cms.prepared import NOW, Prepared
from experts.models import Expert, Quote

from .models import (
    Article,
    ArticleAuthor,
    ArticlePage,
    ArticleQuote,
    ArticleSource,
    Author,
    AuthorLink,
    Callout,
    Category,
    ListItem,
    PageDependency,
    RelatedLink,
    Tag,
)

logger = logging.getLogger(__name__)

ORIGIN = "http://page-origin.invalid"


class _OriginRequest(HttpRequest):
    """The request a page is rendered for: any reader's, at a placeholder origin."""

    def get_host(self):
        return ORIGIN.removeprefix("http://")

    def _get_scheme(self):
        return "http"


def at_origin(text: str, request) -> str:
    """Stored text with this request's scheme and host in its full addresses."""
    return text.replace(ORIGIN, f"{request.scheme}://{request.get_host()}")


class Page:
    """A rendered article page, with this request's origin in its addresses."""

    def __init__(self, stored: ArticlePage, request):
        self.head = at_origin(stored.head, request)
        self.body = at_origin(stored.body, request)
        self.tags = stored.tags.split()


# The public article lookup: the article's title (for the frame) with its stored page.
_PUBLIC_PAGE = Prepared(
    Article,
    lambda now, section, slug: (
        Article.objects.published(now)
        .filter(category__slug=section, slug=slug)
        .values_list(
            "pk",
            "title",
            "seo_title",
            "page__generation",
            "page__head",
            "page__body",
            "page__tags",
            "page__valid_until",
            "page__rendered_at",
        )
    ),
    now=NOW,
    section="\x1fsection",
    slug="\x1fslug",
)


def public_article(section: str, slug: str) -> Article | None:
    """The published article at ``/section/slug/``, with its stored page if it has one:
    one query whose SQL is built once per process."""
    row = _PUBLIC_PAGE.first(now=timezone.now(), section=section, slug=slug)
    if row is None:
        return None
    pk, title, seo_title, generation, head, body, tags, valid_until, rendered_at = row
    article = Article(pk=pk, title=title, seo_title=seo_title)
    _attach(article, generation, valid_until, rendered_at, tags, head=head, body=body)
    return article


def _attach(article, generation, valid_until, rendered_at, tags, **stored) -> None:
    """Give ``article`` the stored page read with it (or say it has none yet)."""
    if generation is None:
        Article.page.related.set_cached_value(article, None)  # known: none yet
    else:
        article.page = ArticlePage(
            article_id=article.pk,
            generation=generation,
            tags=tags,
            valid_until=valid_until,
            rendered_at=rendered_at,
            **stored,
        )


_DOCUMENT_FIELDS = (
    "pk",
    "page__generation",
    "page__document",
    "page__tags",
    "page__valid_until",
    "page__rendered_at",
)
# The API's lookups, by id and by address: the stored document, not the page's HTML.
_DOCUMENT_BY_ID = Prepared(
    Article,
    lambda now, pk: (
        Article.objects.published(now).filter(pk=pk).values_list(*_DOCUMENT_FIELDS)
    ),
    now=NOW,
    pk=-7_777_777_777,
)
_DOCUMENT_AT = Prepared(
    Article,
    lambda now, section, slug: (
        Article.objects.published(now)
        .filter(category__slug=section, slug=slug)
        .values_list(*_DOCUMENT_FIELDS)
    ),
    now=NOW,
    section="\x1fsection",
    slug="\x1fslug",
)


def public_document(*, pk: int | None = None, section: str = "", slug: str = ""):
    """The published article by id or by address, with its stored API document if it
    has one (one query), or None."""
    now = timezone.now()
    if pk is not None:
        row = _DOCUMENT_BY_ID.first(now=now, pk=pk)
    else:
        row = _DOCUMENT_AT.first(now=now, section=section, slug=slug)
    if row is None:
        return None
    pk, generation, document, tags, valid_until, rendered_at = row
    article = Article(pk=pk)
    _attach(article, generation, valid_until, rendered_at, tags, document=document)
    return article


def page_for(article: Article, request) -> Page:
    """The article's page, rendered now if nothing is stored or it is stale.

    ``article`` comes from ``public_article``.
    """
    return Page(_fresh(article), request)


def document_for(article: Article) -> ArticlePage:
    """The article's stored page with a current API document (``document``, with
    ``ORIGIN`` in its addresses), rendered now if stale. ``article`` comes from
    ``public_document``."""
    return _fresh(article)


def _fresh(article: Article) -> ArticlePage:
    stored = getattr(article, "page", None)
    if stored is None:
        # Made before the data is read, so that a change from now on bumps its
        # generation; if another request made it first, this one stores nothing.
        stored = ArticlePage(article_id=article.pk)
        ArticlePage.objects.bulk_create([stored], ignore_conflicts=True)
        return _render(stored, new=True)
    if not stored.is_fresh:
        return _render(stored)
    return stored


def _render(stored: ArticlePage, *, new: bool = False) -> ArticlePage:
    """Render the page and the API's document from live data and store them, unless
    a change came in meanwhile.

    The generation is read before the data: a change committed after that bumps it,
    and the conditional update then stores nothing (the next request renders again).
    """
    from .api.articles import document  # the API's module imports this one

    generation = stored.generation
    article = Article.objects.for_page().get(pk=stored.article_id)
    request = _OriginRequest()
    context = {"article": article, "object": article}
    stored.head = render_to_string(
        "articles/includes/article_head.html", context, request
    )
    stored.body = render_to_string(
        "articles/includes/article_body.html", context, request
    )
    stored.document = document(request, article)
    shown = shows(article)
    stored.tags = " ".join(sorted({f"article:{article.pk}", *_as_tags(shown)}))
    stored.valid_until = changes_by_clock(article)
    stored.rendered_at = timezone.now()
    with transaction.atomic():
        kept = ArticlePage.objects.filter(pk=stored.pk, generation=generation).update(
            head=stored.head,
            body=stored.body,
            document=stored.document,
            tags=stored.tags,
            valid_until=stored.valid_until,
            rendered_at=stored.rendered_at,
        )
        if kept and not new:
            stored.dependencies.all().delete()
        if kept:
            PageDependency.objects.bulk_create(
                (
                    PageDependency(page=stored, kind=kind, object_id=pk)
                    for kind, pk in shown
                ),
                ignore_conflicts=True,
            )
    return stored


def _as_tags(shown) -> list[str]:
    return [f"{kind}:{pk}" for kind, pk in shown]


def shows(article: Article) -> set[tuple[str, int]]:
    """Every object the article's page shows, beyond the article and its own parts."""
    found = {("section", article.category_id)}
    if article.category.parent_id:
        found.add(("section", article.category.parent_id))
    found |= {("tag", tag.pk) for tag in article.tags.all()}
    found |= {("author", row.author_id) for row in article.article_authors.all()}
    if article.reviewed_by_id:
        found.add(("expert", article.reviewed_by_id))
    for row in article.article_quotes.all():
        found |= {("quote", row.quote_id), ("expert", row.quote.expert_id)}
    for ref in article.body_references.all():
        for kind, pk in (
            ("callout", ref.callout_id),
            ("expert", ref.expert_id),
            ("article", ref.target_article_id),
            ("image", ref.image_id),
        ):
            if pk:
                found.add((kind, pk))
    found |= {
        ("article", link.target_article_id)
        for link in article.related_links.all()
        if link.target_article_id
    }
    found |= {
        ("article", item.article.pk)
        for item in article.related_content
        if item.article is not None
    }
    return found


def changes_by_clock(article: Article):
    """When a linked article the page shows is next due to appear or expire."""
    now = timezone.now()
    targets = [ref.target_article for ref in article.body_references.all()]
    targets += [link.target_article for link in article.related_links.all()]
    times = [
        when
        for target in targets
        if target is not None and target.status == Article.Status.PUBLISHED
        for when in (target.published_at, target.expires_at)
        if when and when > now
    ]
    return min(times, default=None)


def next_scheduled_change():
    """The next time an article appears or expires on its own: stored pages go then."""
    appears = (
        Article.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    expires = (
        Article.objects.filter(
            status=Article.Status.PUBLISHED, expires_at__gt=timezone.now()
        )
        .order_by("expires_at")
        .values_list("expires_at", flat=True)
        .first()
    )
    return min((when for when in (appears, expires) if when), default=None)


# Invalidation --------------------------------------------------------------------------


def stale(kind: str, ids, *, own=()) -> None:
    """Mark stale the pages of articles ``own`` and of every page showing ``kind`` ``ids``,
    now (in this transaction), and clear their cached copies once it commits."""
    ids, own = set(ids) - {None}, set(own) - {None}
    showing = PageDependency.objects.filter(kind=kind, object_id__in=ids)
    ArticlePage.objects.filter(
        Q(pk__in=own) | Q(pk__in=showing.values("page_id"))
    ).update(
        body="",
        head="",
        document="",
        rendered_at=None,
        generation=F("generation") + 1,
    )
    pagecache.invalidate(*(f"{kind}:{pk}" for pk in ids | own))


def _listing(article: Article):
    """What lists show of an article: whether it is in them, where and when."""
    values = article.__dict__
    if "status" not in values or "category_id" not in values:
        return None
    return (
        article.is_published() if "expires_at" in values else None,
        values.get("published_at"),
        values["category_id"],
        values.get("reviewed_by_id"),
    )


def remember_listing(sender, instance, **kwargs):
    instance._listed_as = _listing(instance)


def article_saved(sender, instance, **kwargs):
    # Also for raw saves: restoring a revision saves that way.
    before = getattr(instance, "_listed_as", None)
    after = _listing(instance)
    stale("article", [instance.pk], own=[instance.pk])
    if (before and before[0]) or (after and after[0]):
        # Search results and sitemaps read every published article's words and dates.
        pagecache.invalidate("content")
    if before != after:
        lists_changed(instance, before)
    instance._listed_as = after


def article_deleted(sender, instance, **kwargs):
    stale("article", [instance.pk])
    lists_changed(instance, getattr(instance, "_listed_as", None))
    pagecache.invalidate("content")


def lists_changed(article: Article, before) -> None:
    """The article joined, left or moved within the lists: every list it is or was on."""
    sections = {article.category_id, before[2] if before else None} - {None}
    experts = {article.reviewed_by_id, before[3] if before else None} - {None}

    def kind(queryset, name: str, column: str):
        return (
            queryset.order_by().annotate(kind=Value(name)).values_list("kind", column)
        )

    # One query for the lists it is on by its parts.
    on = kind(Category.objects.filter(pk__in=sections), "section", "parent_id").union(
        kind(
            Article.tags.through.objects.filter(article_id=article.pk), "tag", "tag_id"
        ),
        kind(
            ArticleAuthor.objects.filter(article_id=article.pk), "author", "author_id"
        ),
        kind(
            Quote.objects.filter(article_uses__article_id=article.pk),
            "expert",
            "expert_id",
        ),
        all=True,
    )
    lists = {("section", pk) for pk in sections} | {("expert", pk) for pk in experts}
    lists |= {(name, pk) for name, pk in on if pk is not None}
    pagecache.invalidate(
        "articles", "content", *(f"list:{name}:{pk}" for name, pk in lists)
    )
    transaction.on_commit(forget_sitemap_count)


def forget_sitemap_count() -> None:
    from .sitemaps import COUNT_KEY

    try:
        cache.delete(COUNT_KEY)
    except Exception:
        logger.exception("Could not forget the sitemap's article count")


def part_changed(sender, instance, **kwargs):
    """A list item, source, related link, byline or placed quote of an article."""
    stale("article", [], own=[instance.article_id])
    if isinstance(instance, ArticleAuthor):
        pagecache.invalidate(f"list:author:{instance.author_id}", "authors")
    elif isinstance(instance, ArticleQuote):
        expert = Quote.objects.filter(pk=instance.quote_id).values("expert_id")
        pagecache.invalidate(
            *(f"list:expert:{row['expert_id']}" for row in expert),
            f"quote:{instance.quote_id}",
            "quotes",
        )


def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear":
        pk_set = set(
            Article.tags.through.objects.filter(
                **{"tag_id" if reverse else "article_id": instance.pk}
            ).values_list("article_id" if reverse else "tag_id", flat=True)
        )
    elif action not in {"post_add", "post_remove"}:
        return
    articles, tags = (pk_set, [instance.pk]) if reverse else ([instance.pk], pk_set)
    stale("article", [], own=articles)
    pagecache.invalidate("tags", *(f"list:tag:{pk}" for pk in tags or ()))


def thing_changed(kind: str, *also: str):
    """Handler for a shared object (expert, author, ...) that pages show."""

    def handler(sender, instance, **kwargs):
        stale(kind, [instance.pk])
        pagecache.invalidate(*also)

    return handler


def author_link_changed(sender, instance, **kwargs):
    stale("author", [instance.author_id])


def image_changed(sender, instance, **kwargs):
    """A library image (its file, focal point, words, or renditions the worker has
    just recorded): every page showing it. Articles using it as hero or in a list
    item count as changed, so their cards on lists and other pages go too."""
    articles = set(
        Article.objects.filter(
            Q(hero_image=instance) | Q(list_items__image=instance)
        ).values_list("pk", flat=True)
    )
    stale("image", [instance.pk])
    if articles:
        stale("article", articles, own=articles)
    authors = Author.objects.filter(photo=instance).values_list("pk", flat=True)
    if authors := list(authors):
        stale("author", authors)
        pagecache.invalidate("authors")
    experts = Expert.objects.filter(photo=instance).values_list("pk", flat=True)
    if experts := list(experts):
        stale("expert", experts)
        pagecache.invalidate("experts")


HANDLERS = {
    Expert: thing_changed("expert", "experts"),
    Quote: thing_changed("quote", "quotes"),
    Author: thing_changed("author", "authors"),
    Category: thing_changed("section", pagecache.SITE_TAG),
    Tag: thing_changed("tag", "tags"),
    Callout: thing_changed("callout"),
    AuthorLink: author_link_changed,
    Image: image_changed,
    ListItem: part_changed,
    ArticleSource: part_changed,
    RelatedLink: part_changed,
    ArticleAuthor: part_changed,
    ArticleQuote: part_changed,
}


def register_handlers() -> None:
    post_init.connect(remember_listing, sender=Article, dispatch_uid="pages.listing")
    post_save.connect(article_saved, sender=Article, dispatch_uid="pages.article")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="pages.article")
    m2m_changed.connect(
        tags_changed, sender=Article.tags.through, dispatch_uid="pages.tags"
    )
    for model, handler in HANDLERS.items():
        for signal in (post_save, post_delete):
            signal.connect(
                handler, sender=model, dispatch_uid=f"pages.{model.__name__}"
            )
