"""Each kind of record as the export writes it, and the queries that read them."""

from datetime import UTC, datetime

from django.db.models import Prefetch

from cms.models import Image
from experts.models import Expert, Quote, SignOff

from ...models import (
    Article,
    ArticleAuthor,
    ArticlePath,
    ArticleReference,
    ArticleTransition,
    Author,
    Callout,
    Category,
    OldAddress,
    RelatedLink,
    Tag,
)
from .schema import GONE, SCHEMAS, Record, address


def _front(kind: str, /, **values) -> dict:
    """The values in the schema's order; every key present, none unknown."""
    schema = SCHEMAS[kind]
    if values.keys() != schema.keys():
        raise KeyError(sorted(values.keys() ^ schema.keys()))
    return {name: values[name] for name in schema}


def _moment(value: datetime | None) -> datetime | None:
    """Times in UTC, so an export reads the same whatever the site's time zone."""
    return value.astimezone(UTC) if value else None


def _username(user) -> str | None:
    return user.get_username() if user else None


# --- Each kind as a record ---------------------------------------------------------


def section_record(section: Category) -> Record:
    return Record(
        f"sections/{section.slug}.md",
        _front(
            "sections",
            id=section.pk,
            slug=section.slug,
            name=section.name,
            parent=section.parent.slug if section.parent_id else None,
            position=section.position,
            requires_medical_review=section.requires_medical_review,
            review_interval_months=section.review_interval_months,
            old_addresses=sorted(old.path for old in section.old_addresses.all()),
        ),
        section.description,
    )


def tag_record(tag: Tag) -> Record:
    return Record(
        f"tags/{tag.slug}.md", _front("tags", id=tag.pk, slug=tag.slug, name=tag.name)
    )


def callout_record(callout: Callout) -> Record:
    return Record(
        f"callouts/{callout.key}.md",
        _front(
            "callouts",
            id=callout.pk,
            key=callout.key,
            title=callout.title,
            kind=callout.kind,
            created_at=_moment(callout.created_at),
            modified_at=_moment(callout.modified_at),
        ),
        callout.body,
    )


def expert_record(expert: Expert) -> Record:
    return Record(
        f"experts/{expert.slug}.md",
        _front(
            "experts",
            id=expert.pk,
            slug=expert.slug,
            honorific=expert.honorific,
            name=expert.name,
            short_name=expert.short_name,
            job_title=expert.job_title,
            organisation=expert.organisation,
            credentials=expert.credentials,
            website=expert.website,
            photo=expert.photo_id,
            is_active=expert.is_active,
            created_at=_moment(expert.created_at),
            modified_at=_moment(expert.modified_at),
        ),
        expert.bio,
    )


def author_record(author: Author) -> Record:
    return Record(
        f"authors/{author.slug}.md",
        _front(
            "authors",
            id=author.pk,
            slug=author.slug,
            display_name=author.display_name,
            job_title=author.job_title,
            user=_username(author.user),
            photo=author.photo_id,
            is_active=author.is_active,
            links=[
                {"label": link.label, "url": link.url} for link in author.links.all()
            ],
            created_at=_moment(author.created_at),
            modified_at=_moment(author.modified_at),
        ),
        author.bio,
    )


def quote_record(quote: Quote) -> Record:
    return Record(
        f"quotes/{quote.pk}.md",
        _front(
            "quotes",
            id=quote.pk,
            expert=quote.expert.slug,
            status=quote.status,
            context=quote.context,
            sent_at=quote.sent_at,
            approved_at=quote.approved_at,
            withdrawn_at=quote.withdrawn_at,
            approved_recorded_by=_username(quote.approved_recorded_by),
            sign_offs=[
                {
                    "at": _moment(step.at),
                    "from": step.from_status,
                    "to": step.to_status,
                    "by": _username(step.by),
                    "note": step.note,
                }
                for step in quote.sign_offs.all()
            ],
            created_at=_moment(quote.created_at),
            modified_at=_moment(quote.modified_at),
        ),
        quote.text,
    )


def image_record(image: Image) -> Record:
    """A library image, the one home of its file and words: bodies place it by id
    ([[image:N]]) and heroes, list items and photos name that id, which an import
    maps to the image it became."""
    return Record(
        f"images/{image.pk}.md",
        _front(
            "images",
            id=image.pk,
            title=image.title,
            file=image.file.name,
            alt=image.alt,
            caption=image.caption,
            credit=image.credit,
            licence=image.licence,
            focal_x=image.focal_x,
            focal_y=image.focal_y,
            tags=sorted(tag.name for tag in image.tags.all()),
            uploaded_by=_username(image.uploaded_by),
            uploaded_at=_moment(image.uploaded_at),
            modified_at=_moment(image.modified_at),
        ),
    )


def article_record(article: Article) -> Record:
    """The article with its parts; read from ``article_queryset()`` (prefetched)."""
    section = article.category.slug
    return Record(
        f"articles/{section}/{article.slug}.md",
        _front(
            "articles",
            id=article.pk,
            title=article.title,
            slug=article.slug,
            section=section,
            standfirst=article.standfirst,
            status=article.status,
            published_at=_moment(article.published_at),
            expires_at=_moment(article.expires_at),
            updated_at=_moment(article.updated_at),
            is_featured=article.is_featured,
            tags=sorted(tag.slug for tag in article.tags.all()),
            authors=[row.author.slug for row in article.article_authors.all()],
            hero_image=article.hero_image_id,
            list_heading=article.list_heading,
            seo_title=article.seo_title,
            seo_description=article.seo_description,
            reviewed_by=article.reviewed_by.slug if article.reviewed_by_id else None,
            reviewed_at=article.reviewed_at,
            next_review_at=article.next_review_at,
            reviewed_body_hash=article.reviewed_body_hash,
            quotes=[row.quote_id for row in article.article_quotes.all()],
            list_items=[
                {
                    "heading": item.heading,
                    "text": item.text,
                    "image": item.image_id,
                }
                for item in article.list_items.all()
            ],
            related_links=[_related_link(link) for link in article.related_links.all()],
            sources=[
                {
                    "title": source.title,
                    "publisher": source.publisher,
                    "url": source.url,
                    "published_on": source.published_on,
                    "accessed_on": source.accessed_on,
                }
                for source in article.sources.all()
            ],
            deleted_links=sorted(
                (
                    {"id": int(ref.key), "title": ref.title}
                    for ref in article.deleted_links
                    if ref.key.isdigit()
                ),
                key=lambda link: link["id"],
            ),
            addresses=sorted(str(path) for path in article.paths.all()),
            old_addresses=sorted(old.path for old in article.old_addresses.all()),
            created_at=_moment(article.created_at),
            created_by=_username(article.created_by),
            modified_at=_moment(article.modified_at),
            modified_by=_username(article.modified_by),
            history=[
                {
                    "at": _moment(step.at),
                    "from": step.from_status,
                    "to": step.to_status,
                    "by": _username(step.by),
                    "comment": step.comment,
                    "publish_at": _moment(step.publish_at),
                }
                for step in article.history
            ],
        ),
        article.body,
    )


def _related_link(link: RelatedLink) -> dict:
    target = link.target_article
    return {
        "label": link.label,
        "article": address(target.category.slug, target.slug).strip("/")
        if target
        else None,
        "url": link.url,
        "title": link.title,
    }


def gone_record() -> Record | None:
    """Addresses that lead nowhere any more (410), kept with nothing to attach to."""
    paths = sorted(str(path) for path in ArticlePath.objects.filter(article=None))
    old = sorted(
        OldAddress.objects.filter(article=None, category=None).values_list(
            "path", flat=True
        )
    )
    if not (paths or old):
        return None
    return Record(GONE, _front("gone", article_paths=paths, old_addresses=old))


# --- What each kind reads ----------------------------------------------------------


def article_queryset():
    return Article.objects.select_related(
        "category", "created_by", "modified_by", "reviewed_by"
    ).prefetch_related(
        "tags",
        Prefetch(
            "article_authors", queryset=ArticleAuthor.objects.select_related("author")
        ),
        "article_quotes",
        "list_items",
        Prefetch(
            "related_links",
            queryset=RelatedLink.objects.select_related("target_article__category"),
        ),
        "sources",
        Prefetch(
            "transitions",
            queryset=ArticleTransition.objects.select_related("by").order_by(
                "at", "pk"
            ),
            to_attr="history",
        ),
        "paths",
        "old_addresses",
        Prefetch(
            "body_references",
            queryset=ArticleReference.objects.links().filter(target_article=None),
            to_attr="deleted_links",
        ),
    )


QUERIES = {
    "sections": lambda: Category.objects.select_related("parent").prefetch_related(
        "old_addresses"
    ),
    "tags": lambda: Tag.objects.all(),
    "callouts": lambda: Callout.objects.all(),
    "experts": lambda: Expert.objects.all(),
    "authors": lambda: Author.objects.select_related("user").prefetch_related("links"),
    "quotes": lambda: Quote.objects.select_related(
        "expert", "approved_recorded_by"
    ).prefetch_related(
        Prefetch(
            "sign_offs",
            queryset=SignOff.objects.select_related("by").order_by("at", "pk"),
        )
    ),
    "images": lambda: Image.objects.select_related("uploaded_by").prefetch_related(
        "tags"
    ),
    "articles": article_queryset,
}
RECORDS = {
    "sections": section_record,
    "tags": tag_record,
    "callouts": callout_record,
    "experts": expert_record,
    "authors": author_record,
    "quotes": quote_record,
    "images": image_record,
    "articles": article_record,
}
# The file fields of each kind, copied under ``media/``: only a library image has
# one (the others use images by id).
MEDIA_FIELDS = {"images": ["file"]}


def local_record(kind: str, pk) -> Record:
    """The record as this database has it now, as the export would write it."""
    return RECORDS[kind](QUERIES[kind]().get(pk=pk))
