"""Sections, tags, authors and quotes: what articles are filed under, by and quoting.

Tags, authors and quotes exist here only once a published article uses them; their
articles are at ``/articles?tag=…`` (``author=``, ``expert=``).
"""

from django.db.models import Exists, F, OuterRef, Prefetch, Subquery
from django.http import Http404, HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from cms.api import cursor
from cms.api.errors import ERRORS, MAX_ID, BadParameter
from cms.api.schemas import Image, Paging, absolute, api_url, articles_url, image
from cms.pagecache import tag_response
from experts.api import ExpertRef, expert_ref
from experts.models import Expert, Quote

from ..models import Article, ArticleQuote, Author, Category, Tag
from .refs import AuthorRef, SectionRef, TagRef, author_ref, section_ref, tag_ref

router = Router(tags=["sections, tags, authors and quotes"])


class Section(SectionRef):
    description: str
    children: list[str] = Field(description="Slugs of its sub-sections.")
    articles_url: str


class TagPage(Schema):
    items: list[TagRef]
    next_cursor: str | None


class ProfileLink(Schema):
    label: str
    url: str


class AuthorProfile(AuthorRef):
    bio_html: str
    photo: Image | None
    links: list[ProfileLink]
    articles_url: str


class AuthorPage(Schema):
    items: list[AuthorRef]
    next_cursor: str | None


class ArticleLink(Schema):
    id: int
    title: str
    url: str
    api_url: str


class QuoteDetail(Schema):
    id: int
    api_url: str
    text: str
    text_html: str
    expert: ExpertRef
    articles: list[ArticleLink] = Field(
        description="The published articles placing it, newest first."
    )


class QuotePage(Schema):
    items: list[QuoteDetail]
    next_cursor: str | None


def _used(model_filter: str):
    """Rows a published article uses (``tags``, ``authors``): a correlated LIMIT 1
    stops at the first, as the author sitemap does."""
    first = Article.objects.published().filter(**{model_filter: OuterRef("pk")})
    return Subquery(first.order_by().values("pk")[:1])


# Sections ----------------------------------------------------------------------------


def _section(request, category) -> dict:
    return section_ref(request, category) | {
        "description": category.description,
        "children": [child.slug for child in category.children.all()],
        "articles_url": articles_url(request, "section", category.slug),
    }


def _sections():
    return Category.objects.select_related("parent").prefetch_related("children")


@router.get("/sections", response={200: list[Section], **ERRORS}, url_name="sections")
def list_sections(request, response: HttpResponse):
    """Top-level sections in the site's order, then each one's sub-sections."""
    tag_response(response)  # sections are in every page's header: the site tag
    ordered = _sections().order_by(
        F("parent__position").asc(nulls_first=True), "parent_id", "position", "name"
    )
    return [_section(request, c) for c in ordered]


@router.get("/sections/{slug}", response={200: Section, **ERRORS}, url_name="section")
def get_section(request, response: HttpResponse, slug: str):
    category = _sections().filter(slug=slug).first()
    if category is None:
        raise Http404(f"No section has the slug {slug!r}.")
    tag_response(response, f"section:{category.pk}")
    return _section(request, category)


# Tags ------------------------------------------------------------------------------


def public_tags():
    return Tag.objects.annotate(used=_used("tags")).filter(used__isnull=False)


@router.get("/tags", response={200: TagPage, **ERRORS}, url_name="tags")
def list_tags(request, response: HttpResponse, paging: Query[Paging]):
    """Tags on at least one published article, by slug."""
    items, next_cursor = cursor.by_slug(public_tags(), paging)
    tag_response(response, "tags", "articles", *(f"tag:{t.pk}" for t in items))
    return {"items": [tag_ref(request, t) for t in items], "next_cursor": next_cursor}


@router.get("/tags/{slug}", response={200: TagRef, **ERRORS}, url_name="tag")
def get_tag(request, response: HttpResponse, slug: str):
    tag = public_tags().filter(slug=slug).first()
    if tag is None:
        raise Http404(f"No tag of a published article has the slug {slug!r}.")
    tag_response(response, "tags", "articles", f"tag:{tag.pk}")
    return tag_ref(request, tag)


# Authors ---------------------------------------------------------------------------


def public_authors():
    return Author.objects.annotate(used=_used("authors")).filter(used__isnull=False)


@router.get("/authors", response={200: AuthorPage, **ERRORS}, url_name="authors")
def list_authors(request, response: HttpResponse, paging: Query[Paging]):
    """Authors with a byline on at least one published article, by slug."""
    items, next_cursor = cursor.by_slug(public_authors(), paging)
    tag_response(response, "authors", "articles", *(f"author:{a.pk}" for a in items))
    return {
        "items": [author_ref(request, a) for a in items],
        "next_cursor": next_cursor,
    }


@router.get(
    "/authors/{slug}", response={200: AuthorProfile, **ERRORS}, url_name="author"
)
def get_author(request, response: HttpResponse, slug: str):
    author = (
        public_authors()
        .select_related("photo")
        .prefetch_related("links")
        .filter(slug=slug)
        .first()
    )
    if author is None:
        raise Http404(f"No author of a published article has the slug {slug!r}.")
    tag_response(response, "authors", "articles", f"author:{author.pk}")
    return author_ref(request, author) | {
        "bio_html": author.bio_html,
        "photo": image(request, author.photo, "portrait", author.display_name),
        "links": [{"label": ln.label, "url": ln.url} for ln in author.links.all()],
        "articles_url": articles_url(request, "author", author.slug),
    }


# Experts ---------------------------------------------------------------------------


# Quotes ----------------------------------------------------------------------------


class QuoteFilters(Paging):
    expert: str | None = Field(None, description="An expert's slug.")


def _public_quotes():
    """Quotes placed in a published article, not withdrawn, with those articles."""
    placed = ArticleQuote.objects.filter(
        quote=OuterRef("pk"), article__in=Article.objects.published()
    )
    published = Article.objects.published().select_related("category")
    return (
        Quote.objects.exclude(status=Quote.Status.WITHDRAWN)
        .filter(Exists(placed))
        .select_related("expert")
        .prefetch_related(
            Prefetch(
                "article_uses",
                queryset=ArticleQuote.objects.filter(article__in=published.values("pk"))
                .select_related("article__category")
                .order_by("-article__published_at", "-article_id"),
            )
        )
    )


def _quote(request, quote) -> dict:
    return {
        "id": quote.pk,
        "api_url": api_url(request, "quote", pk=quote.pk),
        "text": quote.text,
        "text_html": quote.text_html,
        "expert": expert_ref(request, quote.expert),
        "articles": [
            {
                "id": row.article.pk,
                "title": row.article.title,
                "url": absolute(request, row.article.get_absolute_url()),
                "api_url": api_url(request, "article", pk=row.article.pk),
            }
            for row in quote.article_uses.all()
        ],
    }


def _quote_tags(quotes) -> list[str]:
    tags = []
    for quote in quotes:
        tags += [f"quote:{quote.pk}", f"expert:{quote.expert_id}"]
        tags += [f"article:{row.article_id}" for row in quote.article_uses.all()]
    return tags


@router.get("/quotes", response={200: QuotePage, **ERRORS}, url_name="quotes")
def list_quotes(request, response: HttpResponse, filters: Query[QuoteFilters]):
    """Quotes that published articles carry, newest first."""
    quotes = _public_quotes()
    if filters.expert:
        expert = Expert.objects.filter(slug=filters.expert).first()
        if expert is None:
            raise BadParameter("expert", f"no expert with the slug {filters.expert!r}.")
        quotes = quotes.filter(expert=expert)
    items, next_cursor = cursor.page(
        quotes,
        field="created_at",
        order="newest",
        descending=True,
        cursor=filters.cursor,
        limit=filters.limit,
    )
    tag_response(response, "articles", "quotes", *_quote_tags(items))
    return {"items": [_quote(request, q) for q in items], "next_cursor": next_cursor}


@router.get("/quotes/{int:pk}", response={200: QuoteDetail, **ERRORS}, url_name="quote")
def get_quote(request, response: HttpResponse, pk: int):
    quote = _public_quotes().filter(pk=pk).first() if pk <= MAX_ID else None
    if quote is None:
        raise Http404(f"No quote in a published article has the id {pk}.")
    tag_response(response, "articles", "quotes", *_quote_tags([quote]))
    return _quote(request, quote)
