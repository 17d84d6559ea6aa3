"""Creates or updates the demo site idempotently, in one transaction."""

import re
from collections import Counter

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import reverse

from experts.models import Expert, Quote

from ..models import (
    Article,
    ArticleAuthor,
    ArticleQuote,
    ArticleSource,
    Author,
    AuthorLink,
    Callout,
    Category,
    ListItem,
    RelatedLink,
    Tag,
)
from ..models.review import add_months, hash_body
from .content import (
    ARTICLES,
    AUTHORS,
    CALLOUTS,
    CATEGORIES,
    EXPERTS,
    FLAGSHIP,
    QUOTES,
    QUOTES_APPROVED_ON,
    QUOTES_SENT_ON,
    TAGS,
    _quote_context,
)
from .images import HERO_SIZE, ITEM_SIZE, PORTRAIT_SIZE, image_alt, render_image

# --- Loading -----------------------------------------------------------------------

TOKEN = re.compile(r"\{\{(?P<kind>article|quote):(?P<key>[a-z0-9-]+)\}\}")
# A Markdown link to another demo article, which can become an [[article:<id>|…]].
ARTICLE_LINK = re.compile(
    r"\[(?P<text>[^\]]+)\]\(\{\{article:(?P<key>[a-z0-9-]+)\}\}\)"
)


class _Tally:
    """Counts per model of rows created, changed and removed, and images drawn."""

    def __init__(self):
        self.created, self.updated, self.removed = Counter(), Counter(), Counter()
        self.images = 0

    def as_dict(self) -> dict:
        return {
            "created": dict(self.created),
            "updated": dict(self.updated),
            "removed": dict(self.removed),
            "images": self.images,
        }


def _upsert(
    tally: _Tally, model: type[models.Model], lookup: dict, values: dict, image=None
):
    """update_or_create by natural key, validated with full_clean() before one save().

    ``image`` is ``(field, alt_field, name, motif, palette, size, label)``; the file is
    drawn only when the row has none, or when its alt text no longer matches.
    """
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup)
    changed = False
    for field, value in values.items():
        if created or getattr(obj, field) != value:
            setattr(obj, field, value)
            changed = True
    if image:
        field, alt_field, name, motif, palette, size, label = image
        alt = image_alt(motif, palette, label) if alt_field else None
        if not getattr(obj, field) or (alt_field and getattr(obj, alt_field) != alt):
            data = render_image(motif, palette, size, label)
            getattr(obj, field).save(name, ContentFile(data, name=name), save=False)
            tally.images += 1
            changed = True
        if alt_field and getattr(obj, alt_field) != alt:
            setattr(obj, alt_field, alt)
    obj.full_clean()
    obj.save()  # always: re-renders stored HTML with the current renderer
    name = str(model._meta.verbose_name_plural)
    if created:
        tally.created[name] += 1
    elif changed:
        tally.updated[name] += 1
    return obj


def _prune(tally: _Tally, queryset, keep: list[models.Model]) -> None:
    """Delete rows of a demo object's set that the demo data no longer has."""
    count, _ = queryset.exclude(pk__in=[obj.pk for obj in keep]).delete()
    if count:
        tally.removed[str(queryset.model._meta.verbose_name_plural)] += count


def _article_url(slug: str) -> str:
    article = next(a for a in ARTICLES if a["slug"] == slug)
    return reverse(
        "articles:detail", kwargs={"category_slug": article["category"], "slug": slug}
    )


def _resolve(
    text: str,
    quotes: dict[str, Quote],
    placed: list[Quote],
    linked: dict[str, Article] | None = None,
) -> str:
    """Turn {{article:…}} into addresses and {{quote:…}} into [[quote:<id>]] lines.

    A link to an article in ``linked`` (already loaded) becomes [[article:<id>|text]]
    instead, so it follows the article wherever it moves.
    """
    linked = linked or {}

    def link(match: re.Match) -> str:
        target = linked.get(match["key"])
        return f"[[article:{target.pk}|{match['text']}]]" if target else match[0]

    text = ARTICLE_LINK.sub(link, text)

    def replace(match: re.Match) -> str:
        if match["kind"] == "article":
            return _article_url(match["key"])
        quote = quotes[match["key"]]
        placed.append(quote)
        return quote.reference

    return TOKEN.sub(replace, text)


SOURCE_FIELDS = ["title", "publisher", "url", "published_on", "accessed_on"]


def _review_values(data: dict, body: str, categories: dict, experts: dict) -> dict:
    """The article's medical review as a review of ``body`` (none when it has none)."""
    if "review" not in data:
        return {
            "reviewed_by": None,
            "reviewed_at": None,
            "next_review_at": None,
            "reviewed_body_hash": "",
        }
    expert, on = data["review"]
    months = categories[data["category"]].review_interval_months
    return {
        "reviewed_by": experts[expert],
        "reviewed_at": on,
        "next_review_at": add_months(on, months),
        "reviewed_body_hash": hash_body(body),
    }


def flagship_url() -> str:
    return _article_url(FLAGSHIP[1])


@transaction.atomic
def load_demo_content() -> dict:
    """Create or update the demo site; returns counts of what was created or changed."""
    tally = _Tally()

    categories = {}
    for data in CATEGORIES:  # parents come first in the list
        values = {
            "name": data["name"],
            "parent": categories.get(data["parent"]),
            "description": data["description"],
            "position": data["position"],
            "requires_medical_review": data.get("requires_medical_review", False),
        }
        categories[data["slug"]] = _upsert(
            tally, Category, {"slug": data["slug"]}, values
        )

    tags = {
        slug: _upsert(tally, Tag, {"slug": slug}, {"name": name}) for slug, name in TAGS
    }

    authors = {}
    for data in AUTHORS:
        author = _upsert(
            tally,
            Author,
            {"slug": data["slug"]},
            {
                "display_name": data["display_name"],
                "job_title": data["job_title"],
                "bio": data["bio"],
                "is_active": True,
            },
            image=(
                "photo",
                None,
                f"{data['slug']}.jpg",
                "portrait",
                data["palette"],
                PORTRAIT_SIZE,
                "",
            ),
        )
        links = [
            _upsert(
                tally,
                AuthorLink,
                {"author": author, "label": label},
                {"url": url, "position": position},
            )
            for position, (label, url) in enumerate(data["links"])
        ]
        _prune(tally, author.links.all(), links)
        authors[data["slug"]] = author

    experts = {}
    for data in EXPERTS:
        values = {
            key: data[key]
            for key in (
                "honorific",
                "name",
                "short_name",
                "job_title",
                "organisation",
                "credentials",
                "bio",
            )
        }
        experts[data["slug"]] = _upsert(
            tally,
            Expert,
            {"slug": data["slug"]},
            {**values, "is_active": True},
            image=(
                "photo",
                None,
                f"{data['slug']}.jpg",
                "portrait",
                data["palette"],
                PORTRAIT_SIZE,
                "",
            ),
        )

    quotes = {
        key: _upsert(
            tally,
            Quote,
            {"expert": experts[expert], "context": _quote_context(key)},
            {
                "text": text,
                "status": Quote.Status.APPROVED,
                "sent_at": QUOTES_SENT_ON,
                "approved_at": QUOTES_APPROVED_ON,
            },
        )
        for key, (expert, text) in QUOTES.items()
    }

    # Before the articles: their bodies place these by key.
    for data in CALLOUTS:
        _upsert(
            tally,
            Callout,
            {"key": data["key"]},
            {"title": data["title"], "kind": data["kind"], "body": data["body"]},
        )

    articles = {}
    for data in ARTICLES:
        placed: list[Quote] = []
        # The flagship links to the articles loaded before it by reference.
        flagship = (data["category"], data["slug"]) == FLAGSHIP
        body = _resolve(data["body"], quotes, placed, articles if flagship else None)
        motif, palette, label = data["hero"]
        article = _upsert(
            tally,
            Article,
            {"category": categories[data["category"]], "slug": data["slug"]},
            {
                "title": data["title"],
                "standfirst": data["standfirst"],
                "hero_caption": data["hero_caption"],
                "body": body,
                "list_heading": data.get("list_heading", ""),
                "status": data.get("status", Article.Status.PUBLISHED),
                "published_at": data["published_at"],
                "updated_at": None,
                "seo_title": "",
                "seo_description": "",
                **_review_values(data, body, categories, experts),
            },
            image=(
                "hero_image",
                "hero_alt",
                f"{data['slug']}-hero.jpg",
                motif,
                palette,
                HERO_SIZE,
                label,
            ),
        )
        article.tags.set([tags[slug] for slug in data["tags"]])
        byline = _upsert(
            tally,
            ArticleAuthor,
            {"article": article, "author": authors[data["author"]]},
            {"position": 0},
        )
        _prune(tally, article.article_authors.all(), [byline])

        uses = [
            _upsert(
                tally,
                ArticleQuote,
                {"article": article, "quote": quote},
                {"position": position},
            )
            for position, quote in enumerate(placed, start=1)
        ]
        _prune(tally, article.article_quotes.all(), uses)

        items = []
        for position, item in enumerate(data.get("list_items", []), start=1):
            item_motif, item_palette = item["image"]
            items.append(
                _upsert(
                    tally,
                    ListItem,
                    {"article": article, "position": position},
                    {
                        "heading": item["heading"],
                        "text": _resolve(item["text"], quotes, []),
                    },
                    image=(
                        "image",
                        "image_alt",
                        f"{data['slug']}-{position:02d}.jpg",
                        item_motif,
                        item_palette,
                        ITEM_SIZE,
                        item["heading"],
                    ),
                )
            )
        _prune(tally, article.list_items.all(), items)

        sources = [
            _upsert(
                tally,
                ArticleSource,
                {"article": article, "position": position},
                {key: source[key] for key in SOURCE_FIELDS},
            )
            for position, source in enumerate(data.get("sources", []), start=1)
        ]
        _prune(tally, article.sources.all(), sources)
        articles[data["slug"]] = article

    # Related links last: every internal target exists by now.
    for data in ARTICLES:
        article = articles[data["slug"]]
        links = []
        for position, link in enumerate(data["related"], start=1):
            if len(link) == 2:
                label, target = link
                values = {
                    "label": label,
                    "target_article": articles[target],
                    "url": "",
                    "title": "",
                }
            else:
                label, url, title = link
                values = {
                    "label": label,
                    "target_article": None,
                    "url": url,
                    "title": title,
                }
            links.append(
                _upsert(
                    tally,
                    RelatedLink,
                    {"article": article, "position": position},
                    values,
                )
            )
        _prune(tally, article.related_links.all(), links)

    return tally.as_dict()
