"""Revisions of articles with their bylines, quotes, list items, links and sources.

What each revision stores (registered with django-reversion on import), and how two
revisions of an article differ. Restoring one is ``services.article_restore``.
"""

import difflib
import re
from dataclasses import dataclass
from itertools import islice

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import models, router
from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from reversion.models import Revision, Version

from .models import (
    Article,
    ArticleAuthor,
    ArticleQuote,
    ArticleSource,
    Author,
    Category,
    ListItem,
    RelatedLink,
    Tag,
)

# Workflow and bookkeeping are not content: restoring a revision must never publish,
# unpublish or reschedule an article, nor roll its version counter back. Values
# derived from the body are worked out again when the restored article is saved.
ARTICLE_EXCLUDE = (
    "status",
    "published_at",
    "expires_at",
    "updated_at",
    "version",
    "modified_by",
    "modified_at",
    "created_by",
    "created_at",
    "body_html",
    "body_hash",
    "toc",
    "word_count",
    # A medical review records what happened: restoring never brings back an old one.
    # Restoring an older body leaves the current review out of date, as any edit would.
    "reviewed_by",
    "reviewed_at",
    "next_review_at",
    "reviewed_body_hash",
)

# The article's parts, by the accessor a revision follows, with their label.
PARTS: dict[str, tuple[type[models.Model], str]] = {
    "article_authors": (ArticleAuthor, "Bylines"),
    "article_quotes": (ArticleQuote, "Quotes"),
    "list_items": (ListItem, "List items"),
    "related_links": (RelatedLink, "Related links"),
    "sources": (ArticleSource, "Sources"),
}
PART_MODELS = [model for model, _ in PARTS.values()]

# Compared and shown for each row of a part; the rest is derived or bookkeeping.
PART_HIDDEN_FIELDS = {
    "id",
    "article",
    "text_html",
}

# How each part is fetched for a revision: with what its description (``str``) reads.
PART_QUERIES = {
    "article_authors": ArticleAuthor.objects.select_related("author"),
    "article_quotes": ArticleQuote.objects.select_related("quote"),
    "list_items": ListItem.objects.all(),
    "related_links": RelatedLink.objects.select_related("target_article"),
    "sources": ArticleSource.objects.all(),
}

# What a revision leaves out of each model it stores.
EXCLUDED: dict[type[models.Model], tuple[str, ...]] = {
    ArticleAuthor: (),
    ArticleQuote: (),
    ListItem: ("text_html",),
    RelatedLink: (),
    ArticleSource: (),
    Article: ARTICLE_EXCLUDE,
}
for _model, _exclude in EXCLUDED.items():
    reversion.register(
        _model, exclude=_exclude, follow=tuple(PARTS) if _model is Article else ()
    )


def use_rows(article: Article, rows: dict[str, list[models.Model]]) -> None:
    """Let ``article.<name>.all()`` answer from ``rows``, by accessor (a part such as
    ``"list_items"``, or ``"tags"``): rows the caller has just saved, all the article
    has. As a prefetch would, without fetching them again."""
    cache = article.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, found in rows.items():
        cache.pop(name, None)
        queryset = getattr(article, name).all()
        found = list(found)
        if name in PARTS:
            for row in found:
                row._meta.get_field("article").set_cached_value(row, article)
            found.sort(key=lambda row: (row.position, row.pk))
        queryset._result_cache = found
        queryset._prefetch_done = True
        cache[name] = queryset


def record_revision(
    article: Article,
    *,
    user,
    comment: str,
    rows: dict[str, list[models.Model]] | None = None,
) -> None:
    """One revision of the article as saved now, with its tags and every part.

    ``rows`` are parts (and tags) just saved, by accessor (see ``use_rows``); other
    parts are fetched, one query each. Joins the revision open around the caller, if
    any (``reversion.create_revision``); otherwise writes it in two queries, where
    reversion's own would first check that each kind of row still exists.
    """
    cache = article.__dict__.setdefault("_prefetched_objects_cache", {})
    for name in PARTS:
        cache.pop(name, None)  # any fetched before the parts were saved
    use_rows(article, rows or {})
    prefetch_related_objects(
        [article],
        *(
            Prefetch(name, queryset=queryset)
            for name, queryset in PART_QUERIES.items()
            if name not in cache
        ),
    )
    if reversion.is_active():
        reversion.add_to_revision(article)
        reversion.set_user(user)
        if comment:
            reversion.set_comment(comment)
        return
    revision = Revision.objects.create(
        date_created=timezone.now(), user=user, comment=comment
    )
    stored = [article, *(row for name in PARTS for row in getattr(article, name).all())]
    Version.objects.bulk_create([_version(revision, row) for row in stored])


def _version(revision: Revision, row: models.Model) -> Version:
    """What reversion stores of ``row``: its registered fields, as JSON."""
    model = type(row)
    opts = model._meta
    fields = [
        field.name
        for field in opts.local_fields + opts.local_many_to_many
        if field.name not in EXCLUDED[model]
    ]
    return Version(
        revision=revision,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(row.pk),
        db=router.db_for_write(model),
        format="json",
        serialized_data=serializers.serialize("json", (row,), fields=fields),
        object_repr=str(row),
    )


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "remove", "same" or "gap" (lines left out between hunks)
    text: str


@dataclass(frozen=True)
class Comparison:
    fields: list[FieldChange]
    parts: list[str]
    body_diff: list[DiffLine]

    @property
    def has_changes(self) -> bool:
        return bool(self.fields or self.parts or self.body_diff)


def article_versions(article: Article) -> models.QuerySet[Version]:
    """The article's stored versions, newest first, with who saved each."""
    return (
        Version.objects.get_for_object(article)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def pick_pair(
    versions: list[Version], old: Version | None, new: Version | None
) -> tuple[Version | None, Version | None]:
    """Fill in what was not chosen: "to" is the current version, "from" the one before.

    Versions come newest first. Picking only the current version as "from" compares
    it with the one before it.
    """
    if new is None and versions:
        new, old = versions[0], (None if old == versions[0] else old)
    if old is None and new is not None:
        older = versions[versions.index(new) + 1 :]
        old = older[0] if older else None
    return old, new


def content_fields() -> list[models.Field]:
    """The article's fields a revision stores and an editor can change."""
    opts = Article._meta
    return [
        field
        for field in [*opts.local_fields, *opts.local_many_to_many]
        if field.editable
        and not field.primary_key
        and field.name not in ARTICLE_EXCLUDE
    ]


def stored_values(version: Version) -> dict[str, object]:
    """The article's stored field values by attribute name (``tags``: a list of ids).

    Raises reversion's RevertError when the stored data can no longer be read.
    """
    values = dict(version.field_dict)
    values.pop("id", None)
    for name, value in values.items():
        if isinstance(value, FieldFile):
            values[name] = value.name or ""
    return values


def stored_object(version: Version) -> models.Model:
    """The saved row a version holds, unsaved; raises DeserializationError if unreadable."""
    return next(
        serializers.deserialize(
            version.format, version.serialized_data, ignorenonexistent=True
        )
    ).object


def revision_parts(version: Version) -> dict[type[models.Model], list[models.Model]]:
    """The rows of each part of the article as saved in the version's revision.

    A revision made by a list action can hold several articles: only this one's rows.
    """
    content_types = ContentType.objects.get_for_models(*PART_MODELS)
    model_for = {ct.pk: model for model, ct in content_types.items()}
    parts: dict[type[models.Model], list[models.Model]] = {m: [] for m in PART_MODELS}
    stored = version.revision.version_set.filter(
        content_type__in=model_for, db=version.db
    ).order_by("pk")
    for part in stored:
        row = stored_object(part)
        if str(row.article_id) == version.object_id:
            parts[model_for[part.content_type_id]].append(row)
    for rows in parts.values():
        rows.sort(key=lambda row: (row.position, row.pk))
    return parts


def compare(old: Version, new: Version) -> Comparison:
    """What changed from one version of an article to another."""
    old_values, new_values = stored_values(old), stored_values(new)
    fields = [
        FieldChange(
            str(field.verbose_name).capitalize(),
            _display(field, old_values.get(field.attname)),
            _display(field, new_values.get(field.attname)),
        )
        for field in content_fields()
        if field.name != "body"
        and _comparable(old_values.get(field.attname))
        != _comparable(new_values.get(field.attname))
    ]
    old_body, new_body = old_values.get("body", ""), new_values.get("body", "")
    if old_body != new_body:
        fields.append(
            FieldChange(
                "Body",
                _words(old_body),
                f"{_words(new_body)}; the changed lines are below",
            )
        )
    return Comparison(
        fields=fields,
        parts=_part_changes(revision_parts(old), revision_parts(new)),
        body_diff=body_diff(old_body, new_body),
    )


HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def body_diff(old: str, new: str) -> list[DiffLine]:
    """Line by line differences with three lines of context; empty when the same.

    Lines are plain text: templates escape them like any other value.
    """
    lines = difflib.unified_diff(
        (old or "").splitlines(), (new or "").splitlines(), lineterm="", n=3
    )
    result = []
    for line in islice(lines, 2, None):  # the first two name the "files"
        if line.startswith("@@"):
            start = HUNK.match(line)
            result.append(
                DiffLine("gap", f"Around line {start.group(1)}" if start else "…")
            )
        elif line.startswith("+"):
            result.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            result.append(DiffLine("remove", line[1:]))
        else:
            result.append(DiffLine("same", line[1:]))
    return result


def _comparable(value):
    return sorted(value) if isinstance(value, list) else value


def _words(text: str) -> str:
    return f"{len((text or '').split())} words"


def _display(field: models.Field, value) -> str:
    if field.name == "tags":
        names = Tag.objects.filter(pk__in=value or []).values_list("name", flat=True)
        return ", ".join(sorted(names)) or "–"
    if field.name == "category":
        category = Category.objects.filter(pk=value).first()
        return str(category) if category else f"Deleted section #{value}"
    return str(value) if value not in (None, "") else "–"


def _part_changes(old_parts, new_parts) -> list[str]:
    changes = []
    for model, label in PARTS.values():
        old_rows = {row.pk: row for row in old_parts[model]}
        new_rows = {row.pk: row for row in new_parts[model]}
        if len(old_rows) != len(new_rows):
            changes.append(f"{label}: {len(old_rows)} → {len(new_rows)}")
        for pk, row in old_rows.items():
            if pk not in new_rows:
                changes.append(f"{describe_part(row)} removed")
        for pk, row in new_rows.items():
            if pk not in old_rows:
                changes.append(f"{describe_part(row)} added")
                continue
            changed = [
                str(field.verbose_name)
                for field in model._meta.concrete_fields
                if field.name not in PART_HIDDEN_FIELDS
                and _row_value(old_rows[pk], field) != _row_value(row, field)
            ]
            if changed:
                changes.append(f"{describe_part(row)} changed: {', '.join(changed)}")
    return changes


def _row_value(row: models.Model, field: models.Field):
    value = getattr(row, field.attname)
    return value.name if isinstance(value, FieldFile) else value


def describe_part(row: models.Model) -> str:
    """A row of an article's part as an editor knows it, such as “Quote [[quote:4]]”."""
    if isinstance(row, ArticleAuthor):
        author = Author.objects.filter(pk=row.author_id).first()
        return f"Byline {author or f'#{row.author_id}'}"
    if isinstance(row, ArticleQuote):
        return f"Quote [[quote:{row.quote_id}]]"
    if isinstance(row, ListItem):
        return f"List item “{row.heading}”"
    if isinstance(row, ArticleSource):
        return f"Source “{row.title}”"
    target = (
        Article.objects.filter(pk=row.target_article_id).first()
        if row.target_article_id
        else None
    )
    return f"Related link “{row.title or target or row.url}”"
