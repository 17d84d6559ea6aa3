"""Creates what is missing of the demo site, in one transaction; a reset restores it."""

import re
from collections import Counter
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import reverse

from cms.models import Image, ImageTag
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
    OldAddress,
    RelatedLink,
    Tag,
)
from ..models.review import add_months, hash_body
from .content import (
    ARTICLES,
    AUTHORS,
    BODY_IMAGES,
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

# The flagship's addresses on the WordPress site the demo publisher moved from.
OLD_ADDRESSES = ("/2019/05/03/newborn-rash/", "/?p=1042")

# --- Loading -----------------------------------------------------------------------

TOKEN = re.compile(r"\{\{(?P<kind>article|quote):(?P<key>[a-z0-9-]+)\}\}")
# A library image of BODY_IMAGES, which becomes an [[image:<id>]] line.
IMAGE_TOKEN = re.compile(r"\{\{image:(?P<key>[a-z0-9-]+)(?P<caption>\|[^}]*)?\}\}")
# A Markdown link to another demo article, which becomes an [[article:<id>|…]].
ARTICLE_LINK = re.compile(
    r"\[(?P<text>[^\]]+)\]\(\{\{article:(?P<key>[a-z0-9-]+)\}\}\)"
)


class _Tally:
    """Counts per model of rows created and restored, and images drawn."""

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


# Every demo picture is drawn for the demo: its credit and licence say so.
DEMO_CREDIT = "Illustration: demo artwork"
DEMO_LICENCE = "Made for this demo; free to reuse"


@dataclass(frozen=True)
class _Picture:
    """A demo image: the row's field picking it, its library title, a file name,
    what to draw and its caption."""

    field: str
    title: str
    name: str
    motif: str
    palette: str
    size: tuple[int, int]
    label: str = ""
    caption: str = ""


def _ensure(
    tally: _Tally,
    model: type[models.Model],
    lookup: dict,
    values: dict,
    *,
    reset: bool,
    picture: _Picture | None = None,
) -> tuple[models.Model, bool]:
    """The row with this natural key: created when missing, otherwise left exactly as
    it is (someone may have edited it), unless ``reset`` restores the demo's values.

    Returns the row and whether this run wrote it. Validated with full_clean().
    """
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if not (created or reset):
        return obj, False
    if created:
        obj = model(**lookup)
    changed = created
    for field, value in values.items():
        if isinstance(value, str):
            value = value.strip()  # as a form stores it: saving it unchanged keeps it
        if created or getattr(obj, field) != value:
            setattr(obj, field, value)
            changed = True
    if picture:
        changed = _place_picture(tally, obj, picture) or changed
    if not changed:
        return obj, False
    obj.full_clean()
    obj.save()
    name = str(model._meta.verbose_name_plural)
    (tally.created if created else tally.updated)[name] += 1
    return obj, True


def _place_picture(tally: _Tally, obj: models.Model, picture: _Picture) -> bool:
    """Point the row at its library image. Returns whether anything changed."""
    image = _library_image(tally, picture)
    if getattr(obj, f"{picture.field}_id") == image.pk:
        return False
    setattr(obj, picture.field, image)
    return True


def _library_image(tally: _Tally, picture: _Picture) -> Image:
    """The demo drawing's library image, found by its file name: created (its file
    written to storage once the transaction commits, so a run that fails leaves no
    files) or given the demo's words again."""
    values = {
        "title": picture.title,
        "alt": image_alt(picture.motif, picture.palette, picture.label),
        "caption": picture.caption,
        "credit": DEMO_CREDIT,
        "licence": DEMO_LICENCE,
    }
    image = Image.objects.filter(file__endswith=f"/{picture.name}").first()
    if image is not None:
        if all(getattr(image, key) == value for key, value in values.items()):
            return image
        for key, value in values.items():
            setattr(image, key, value)
        image.full_clean()
        image.save()
        tally.updated["images"] += 1
        return image
    image = Image(**values)
    field = Image._meta.get_field("file")
    name = field.generate_filename(image, picture.name)
    # The size is known: nothing is drawn or read until the file is written.
    image.file.name = name
    image.width, image.height = picture.size
    storage = field.storage

    def write():
        data = render_image(picture.motif, picture.palette, picture.size, picture.label)
        if storage.exists(name):
            storage.delete(name)  # the same drawing, or a reset: never a "_abc123" copy
        storage.save(name, ContentFile(data, name=name))

    # Registered before the row is saved, so it runs before its renditions are made.
    transaction.on_commit(write)
    image.full_clean()
    image.save()
    kind = "Portrait" if picture.motif == "portrait" else "Illustration"
    image.tags.add(ImageTag.objects.get_or_create(name=kind)[0])
    tally.images += 1
    return image


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
    linked: dict[str, Article] | None,
) -> str:
    """Turn {{quote:…}} into [[quote:<id>]] lines, and links to other demo articles
    into [[article:<id>|text]] references (into their words alone while ``linked`` is
    None: the first pass, before every article exists)."""

    def link(match: re.Match) -> str:
        if linked is None:
            return match["text"]
        return f"[[article:{linked[match['key']].pk}|{match['text']}]]"

    def quote(match: re.Match) -> str:
        found = quotes[match["key"]]
        placed.append(found)
        return found.reference

    return TOKEN.sub(quote, ARTICLE_LINK.sub(link, text))


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
def load_demo_content(*, reset: bool = False) -> dict:
    """Create whatever part of the demo site is missing; returns counts of what was
    written. Rows that exist are left as they are (someone may have edited them),
    with their bylines, quotes, list items and links; ``reset`` restores them all to
    the demo's content instead."""
    tally = _Tally()

    def ensure(model, lookup, values, picture=None):
        return _ensure(tally, model, lookup, values, reset=reset, picture=picture)

    categories = {}
    for data in CATEGORIES:  # parents come first in the list
        values = {
            "name": data["name"],
            "parent": categories.get(data["parent"]),
            "description": data["description"],
            "position": data["position"],
            "requires_medical_review": data.get("requires_medical_review", False),
        }
        categories[data["slug"]], _ = ensure(Category, {"slug": data["slug"]}, values)

    tags = {slug: ensure(Tag, {"slug": slug}, {"name": name})[0] for slug, name in TAGS}

    authors = {}
    for data in AUTHORS:
        author, written = ensure(
            Author,
            {"slug": data["slug"]},
            {
                "display_name": data["display_name"],
                "job_title": data["job_title"],
                "bio": data["bio"],
                "is_active": True,
            },
            _portrait(data),
        )
        if written:
            links = [
                ensure(
                    AuthorLink,
                    {"author": author, "label": label},
                    {"url": url, "position": position},
                )[0]
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
        experts[data["slug"]], _ = ensure(
            Expert,
            {"slug": data["slug"]},
            {**values, "is_active": True},
            _portrait(data),
        )

    quotes = {
        key: ensure(
            Quote,
            {"expert": experts[expert], "context": _quote_context(key)},
            {
                "text": text,
                "status": Quote.Status.APPROVED,
                "sent_at": QUOTES_SENT_ON,
                "approved_at": QUOTES_APPROVED_ON,
            },
        )[0]
        for key, (expert, text) in QUOTES.items()
    }

    # Before the articles: their bodies place these by key.
    for data in CALLOUTS:
        ensure(
            Callout,
            {"key": data["key"]},
            {"title": data["title"], "kind": data["kind"], "body": data["body"]},
        )

    library = _body_images(tally)

    # First every article, its links to others as plain words: links need ids.
    articles, written = {}, []
    for data in ARTICLES:
        data = {**data, "body": _place_images(data["body"], library)}
        body = _resolve(data["body"], quotes, [], linked=None)
        motif, palette, label = data["hero"]
        article, fresh = ensure(
            Article,
            {"category": categories[data["category"]], "slug": data["slug"]},
            {
                "title": data["title"],
                "standfirst": data["standfirst"],
                "body": body,
                "list_heading": data.get("list_heading", ""),
                "status": data.get("status", Article.Status.PUBLISHED),
                "published_at": data["published_at"],
                "updated_at": None,
                "seo_title": "",
                "seo_description": "",
                **_review_values(data, body, categories, experts),
            },
            _Picture(
                "hero_image",
                data["title"],
                f"{data['slug']}-hero.jpg",
                motif,
                palette,
                HERO_SIZE,
                label,
                caption=data["hero_caption"],
            ),
        )
        articles[data["slug"]] = article
        if fresh or reset:
            written.append((article, data))

    # Then the parts of the articles this run wrote, linking by reference throughout.
    loaded = _Loaded(categories, tags, authors, experts, quotes, articles)
    for article, data in written:
        _write_parts(tally, article, data, loaded)
    # Where the flagship lived on the site the demo publisher moved from: it redirects.
    for path in OLD_ADDRESSES:
        ensure(OldAddress, {"path": path}, {"article": articles[FLAGSHIP[1]]})
    return tally.as_dict()


@dataclass(frozen=True)
class _Loaded:
    """The demo's rows by natural key, for the second pass."""

    categories: dict[str, Category]
    tags: dict[str, Tag]
    authors: dict[str, Author]
    experts: dict[str, Expert]
    quotes: dict[str, Quote]
    articles: dict[str, Article]


def _write_parts(tally: _Tally, article: Article, data: dict, loaded: _Loaded) -> None:
    """An article's body with its links, and its bylines, quotes, list items, sources
    and related links, exactly as the demo has them."""
    placed: list[Quote] = []
    article.body = _resolve(
        data["body"], loaded.quotes, placed, loaded.articles
    ).strip()
    review = _review_values(data, article.body, loaded.categories, loaded.experts)
    for name, value in review.items():
        setattr(article, name, value)
    article.full_clean()
    article.save()
    article.tags.set([loaded.tags[slug] for slug in data["tags"]])

    def ensure(model, lookup, values, picture=None):
        return _ensure(tally, model, lookup, values, reset=True, picture=picture)[0]

    byline = ensure(
        ArticleAuthor,
        {"article": article, "author": loaded.authors[data["author"]]},
        {"position": 0},
    )
    _prune(tally, article.article_authors.all(), [byline])
    uses = [
        ensure(ArticleQuote, {"article": article, "quote": quote}, {"position": n})
        for n, quote in enumerate(placed, start=1)
    ]
    _prune(tally, article.article_quotes.all(), uses)
    items = []
    for position, item in enumerate(data.get("list_items", []), start=1):
        item_motif, item_palette = item["image"]
        items.append(
            ensure(
                ListItem,
                {"article": article, "position": position},
                {
                    "heading": item["heading"],
                    "text": _resolve(item["text"], loaded.quotes, [], loaded.articles),
                },
                _Picture(
                    "image",
                    item["heading"],
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
        ensure(
            ArticleSource,
            {"article": article, "position": position},
            {key: source[key] for key in SOURCE_FIELDS},
        )
        for position, source in enumerate(data.get("sources", []), start=1)
    ]
    _prune(tally, article.sources.all(), sources)
    links = []
    for position, link in enumerate(data["related"], start=1):
        if len(link) == 2:
            label, target = link
            values = {
                "label": label,
                "target_article": loaded.articles[target],
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
            ensure(RelatedLink, {"article": article, "position": position}, values)
        )
    _prune(tally, article.related_links.all(), links)


def _body_images(tally: _Tally) -> dict[str, Image]:
    """The library images that bodies place (BODY_IMAGES), drawn like the others."""
    return {
        key: _library_image(
            tally,
            _Picture(
                "",
                data["title"],
                f"{key}.jpg",
                *data["image"],
                ITEM_SIZE,
                caption=data["caption"],
            ),
        )
        for key, data in BODY_IMAGES.items()
    }


def _place_images(text: str, library: dict[str, Image]) -> str:
    """Turn each {{image:key}} (or {{image:key|caption}}) into its [[image:<id>]]."""
    return IMAGE_TOKEN.sub(
        lambda m: f"[[image:{library[m['key']].pk}{m['caption'] or ''}]]", text
    )


def _portrait(data: dict) -> _Picture:
    name = data.get("display_name") or data["name"]
    return _Picture(
        "photo",
        f"Portrait: {name}",
        f"{data['slug']}.jpg",
        "portrait",
        data["palette"],
        PORTRAIT_SIZE,
    )
