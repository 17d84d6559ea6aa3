"""Articles: the list (filtered, cursor-paged) and the detail, by id or by address.

Only what readers can see exists here: ``Article.objects.published()`` is the only
way in, except a preview share token, which shows its one article as the preview
page does (never cached).
"""

import json
from datetime import UTC, date, datetime
from typing import Literal

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.http import http_date
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from cms.api import cursor
from cms.api.encoding import Encoder
from cms.api.errors import ERRORS, MAX_ID, BadParameter, Error
from cms.api.schemas import Image, absolute, api_url, image
from cms.pagecache import tag_response
from experts.api import ExpertRef, expert_ref
from experts.models import Expert

from ..models import Article, ArticlePath, Author, Category, Tag
from ..models.search import clean_query
from ..pages import at_origin, document_for, public_document
from ..previews import PreviewLinkRefused, read_share_token
from ..structured_data import article_graph
from .directory import public_authors, public_tags
from .refs import AuthorRef, SectionRef, TagRef, author_ref, section_ref, tag_ref

router = Router(tags=["articles"])

# ?order= → (field, descending). Syncing clients page by modified_at, oldest first.
ORDERS = {
    "newest": ("published_at", True),
    "oldest": ("published_at", False),
    "recently_modified": ("modified_at", True),
    "least_recently_modified": ("modified_at", False),
}


# What a list item does not show: the body in its forms, and the search index.
LIST_DEFERRED = ("body", "body_html", "body_text", "toc", "search_vector")


class ArticleSummary(Schema):
    id: int
    title: str
    slug: str
    standfirst: str
    url: str = Field(description="The article's canonical address for readers.")
    api_url: str
    section: SectionRef
    authors: list[AuthorRef]
    tags: list[TagRef]
    hero: Image | None
    published_at: datetime | None = Field(
        description="Null only for a never-published article shown through a preview."
    )
    updated_at: datetime | None = Field(
        description="The last substantive update readers are told about."
    )
    modified_at: datetime = Field(description="The last change of any kind.")
    reading_minutes: int


class ArticleList(Schema):
    items: list[ArticleSummary]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null on the last page."
    )
    next: str | None = Field(description="The next page's full address, or null.")


class TocEntry(Schema):
    title: str
    anchor: str


class PlacedQuote(Schema):
    id: int
    text: str
    text_html: str
    expert: ExpertRef


class ListEntry(Schema):
    position: int
    heading: str
    text_markdown: str
    text_html: str
    image: Image | None


class RelatedEntry(Schema):
    title: str
    url: str
    label: str
    is_external: bool
    is_automatic: bool
    article_id: int | None
    api_url: str | None


class Review(Schema):
    expert: ExpertRef
    reviewed_at: date
    next_review_at: date | None


class Source(Schema):
    title: str
    publisher: str
    url: str
    published_on: date | None
    accessed_on: date | None


class ArticleDetail(ArticleSummary):
    seo_title: str
    seo_description: str
    canonical_url: str
    body_markdown: str
    body_html: str = Field(
        description="Sanitised HTML with quotes, expert mentions, callouts and "
        "article links filled in, exactly as the page shows it."
    )
    toc: list[TocEntry]
    quotes: list[PlacedQuote]
    list_heading: str
    list_items: list[ListEntry]
    related: list[RelatedEntry]
    review: Review | None
    sources: list[Source]
    json_ld: dict = Field(description="The schema.org JSON-LD the page carries.")
    preview: bool = Field(
        default=False, description="True when shown through a preview token."
    )


class ArticleFilters(Schema):
    section: str | None = Field(
        None, description="A section's slug; its sub-sections are included."
    )
    tag: str | None = Field(None, description="A tag's slug.")
    author: str | None = Field(None, description="An author's slug.")
    expert: str | None = Field(
        None, description="An expert's slug: articles quoting or reviewed by them."
    )
    published_since: datetime | None = Field(
        None, description="Published at or after (ISO 8601; no zone: the site's)."
    )
    published_until: datetime | None = Field(
        None, description="Published at or before."
    )
    updated_since: datetime | None = Field(
        None, description="Changed in any way at or after (modified_at), for syncing."
    )
    q: str | None = Field(None, max_length=200, description="Search text.")
    order: Literal[tuple(ORDERS)] = "newest"  # type: ignore[valid-type]
    limit: int = Field(20, ge=1, le=settings.CMS_API_MAX_LIMIT)
    cursor: str | None = Field(None, max_length=200)


def _moment(parameter: str, value: datetime | None) -> datetime | None:
    """In UTC (a time without a zone is the site's): databases take no offset
    beyond ±15 hours, and a date at the calendar's edge may have no UTC twin."""
    if value is None:
        return None
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise BadParameter(parameter, "a date and time outside the calendar.") from None


def _one(model, parameter: str, slug: str, queryset=None):
    found = (model.objects if queryset is None else queryset).filter(slug=slug).first()
    if found is None:
        raise BadParameter(parameter, f"no {parameter} with the slug {slug!r}.")
    return found


def filtered(filters: ArticleFilters) -> tuple[Article, set[str]]:
    """The published articles the filters ask for, and the page-cache tags of the
    lists they are (``list:section:4`` …)."""
    articles = (
        Article.objects.published()
        .with_related()
        .prefetch_related("tags")
        .defer(*LIST_DEFERRED)
    )
    tags = {"articles", "content"}
    if filters.section:
        section = _one(
            Category,
            "section",
            filters.section,
            Category.objects.prefetch_related("children"),
        )
        articles = articles.in_section(section)
        tags.add(f"list:section:{section.pk}")
    if filters.tag:
        tag = _one(Tag, "tag", filters.tag, public_tags())
        articles = articles.tagged(tag)
        tags.add(f"list:tag:{tag.pk}")
    if filters.author:
        author = _one(Author, "author", filters.author, public_authors())
        articles = articles.by_author(author)
        tags.add(f"list:author:{author.pk}")
    if filters.expert:
        expert = _one(Expert, "expert", filters.expert)
        articles = articles.featuring(expert)
        tags.add(f"list:expert:{expert.pk}")
    if since := _moment("published_since", filters.published_since):
        articles = articles.filter(published_at__gte=since)
    if until := _moment("published_until", filters.published_until):
        articles = articles.filter(published_at__lte=until)
    if updated := _moment("updated_since", filters.updated_since):
        articles = articles.filter(modified_at__gte=updated)
    if filters.q is not None:
        query = clean_query(filters.q)
        if not query:
            raise BadParameter("q", "give at least one word to search for.")
        articles = articles.filter(
            pk__in=Article.objects.published().search(query).values("pk")
        )
    return articles, tags


def summary(request, article: Article) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "url": absolute(request, article.get_absolute_url()),
        "api_url": api_url(request, "article", pk=article.pk),
        "section": section_ref(request, article.category),
        "authors": [author_ref(request, author) for author in article.byline],
        "tags": [tag_ref(request, tag) for tag in article.tags.all()],
        "hero": image(
            request, article.hero_image, "hero", article.hero_alt, article.hero_caption
        ),
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "modified_at": article.modified_at,
        "reading_minutes": article.reading_time,
    }


def detail(request, article: Article) -> dict:
    """Everything the article's page shows, read from a ``for_page`` article."""
    body, items = article.body_for_page(), article.numbered_list()
    review = None
    if article.is_medically_reviewed:
        review = {
            "expert": expert_ref(request, article.reviewed_by),
            "reviewed_at": article.reviewed_at,
            "next_review_at": article.next_review_at,
        }
    return summary(request, article) | {
        "seo_title": article.meta_title,
        "seo_description": article.meta_description,
        "canonical_url": absolute(request, article.get_absolute_url()),
        "body_markdown": article.body,
        "body_html": str(body),
        "toc": toc(article, items),
        "quotes": [
            {
                "id": row.quote.pk,
                "text": row.quote.text,
                "text_html": row.quote.text_html,
                "expert": expert_ref(request, row.quote.expert),
            }
            for row in article.article_quotes.all()
            if not row.quote.is_withdrawn
        ],
        "list_heading": article.list_heading,
        "list_items": [
            {
                "position": position,
                "heading": item.heading,
                "text_markdown": item.text,
                "text_html": str(text),
                "image": image(request, item.image, "item", item.image_alt),
            }
            for position, (item, text) in enumerate(items, start=1)
        ],
        "related": [
            {
                "title": item.title,
                "url": absolute(request, item.url)
                if item.url.startswith("/")
                else item.url,
                "label": item.label,
                "is_external": item.is_external,
                "is_automatic": item.is_automatic,
                "article_id": item.article.pk if item.article else None,
                "api_url": api_url(request, "article", pk=item.article.pk)
                if item.article
                else None,
            }
            for item in article.related_content
        ],
        "review": review,
        "sources": [
            {
                "title": source.title,
                "publisher": source.publisher,
                "url": source.url,
                "published_on": source.published_on,
                "accessed_on": source.accessed_on,
            }
            for source in article.sources.all()
        ],
        "json_ld": article_graph(article, request.build_absolute_uri),
    }


def toc(article: Article, items) -> list[dict]:
    """The page's "In this article": the body's H2s, then the numbered list's heading."""
    entries = [{"title": e["title"], "anchor": e["id"]} for e in article.toc]
    if article.list_heading and items:
        entries.append({"title": article.list_heading, "anchor": "list-heading"})
    return entries


def document(request, article: Article) -> str:
    """The article's detail as JSON, checked against its schema: stored with the
    article's page (``articles.pages``), so an answer costs one query."""
    checked = ArticleDetail.model_validate(detail(request, article))
    return json.dumps(checked.model_dump(), cls=Encoder)


def _stored_answer(request, article: Article) -> HttpResponse:
    """The stored document, current, for this request's origin; its Last-Modified is
    when it was rendered (anything it shows changing renders it again)."""
    stored = document_for(article)
    response = HttpResponse(
        at_origin(stored.document, request),
        content_type="application/json; charset=utf-8",
    )
    response["Last-Modified"] = http_date(stored.rendered_at.timestamp())
    return tag_response(response, *stored.tags.split())


@router.get(
    "/articles",
    response={200: ArticleList, **ERRORS},
    url_name="articles",
    summary="Published articles, newest first",
)
def list_articles(
    request, response: HttpResponse, filters: Query[ArticleFilters]
) -> dict:
    articles, tags = filtered(filters)
    field, descending = ORDERS[filters.order]
    items, next_cursor = cursor.page(
        articles,
        field=field,
        order=filters.order,
        descending=descending,
        cursor=filters.cursor,
        limit=filters.limit,
    )
    for article in items:
        tags |= {f"article:{article.pk}", f"section:{article.category_id}"}
        tags |= {f"author:{row.author_id}" for row in article.article_authors.all()}
        tags |= {f"tag:{tag.pk}" for tag in article.tags.all()}
    tag_response(response, *tags)
    next_url = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = absolute(request, f"{request.path}?{query.urlencode()}")
    return {
        "items": [summary(request, article) for article in items],
        "next_cursor": next_cursor,
        "next": next_url,
    }


@router.get(
    "/articles/{int:pk}",
    response={200: ArticleDetail, 403: Error, **ERRORS},
    url_name="article",
    summary="One published article, or a draft through a preview token",
)
def get_article(
    request,
    response: HttpResponse,
    pk: int,
    preview: str | None = Query(
        None,
        max_length=2000,
        description="A preview share token: shows that article in any state.",
    ),
) -> dict:
    if preview is not None:
        return _preview(request, response, pk, preview)
    article = public_document(pk=pk) if pk <= MAX_ID else None
    if article is None:
        raise Http404(f"No published article has the id {pk}.")
    return _stored_answer(request, article)


@router.get(
    "/articles/{section}/{slug}",
    response={200: ArticleDetail, 301: None, **ERRORS},
    url_name="article_at",
    summary="One published article by its address (section and slug)",
)
def get_article_at(request, section: str, slug: str):
    article = public_document(section=section, slug=slug)
    if article is not None:
        return _stored_answer(request, article)
    # An old address of a published article moves, as its page does.
    path = ArticlePath.objects.resolve(section, slug)
    if path is not None and not path.is_gone and path.article.is_published():
        moved = path.article
        return HttpResponsePermanentRedirect(
            api_url(request, "article_at", section=moved.category.slug, slug=moved.slug)
        )
    raise Http404(f"No published article is at /{section}/{slug}/.")


def _preview(request, response: HttpResponse, pk: int, token: str) -> dict:
    """The article a share token names, as the preview page shows it; never stored."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    try:
        article = read_share_token(token)
    except PreviewLinkRefused as refused:
        raise HttpError(403, str(refused)) from None
    if article.pk != pk:
        raise HttpError(403, "This preview link is for another article.")
    return detail(request, article) | {"preview": True}
