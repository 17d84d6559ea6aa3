"""The lossless Markdown export: one file per record, YAML front matter then the
record's Markdown text, references between records by slug, media copied as stored.

``restore`` reads it back; docs/export.md describes the layout and every key. What a
save works out again (rendered HTML, table of contents, word count, search vector,
the body's hash, image sizes and renditions) is left out.
"""

import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import yaml
from django.db import transaction
from django.db.models import Prefetch

from experts.models import Expert, Quote, SignOff

from ..models import (
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
from .progress import progress

FORMAT = {"format": "cms-markdown-export", "version": 1}
MANIFEST = "export.yaml"
MEDIA = "media"
GONE = "gone-addresses.md"
# Values stay on one line however long: a title or a standfirst reads and diffs whole.
WIDTH = 1_000_000


class TransferError(Exception):
    """Input an export or import cannot work with, said in a sentence."""


# --- The keys of each kind of record ----------------------------------------------

REQUIRED = object()


@dataclass(frozen=True)
class Key:
    """One front-matter key: its type, the value a file without it gets (``REQUIRED``:
    none, the file is refused), and for a list of entries, each entry's keys."""

    type: str
    default: object = None
    entries: dict | None = None


ID = Key("id")
TEXT = Key("text", "")
NAME = Key("text", REQUIRED)
OPTIONAL = Key("optional")
MOMENT = Key("moment")
DAY = Key("day")
TEXTS = Key("texts", ())
BOOKKEEPING = {
    "created_at": MOMENT,
    "created_by": OPTIONAL,
    "modified_at": MOMENT,
    "modified_by": OPTIONAL,
}

SCHEMAS: dict[str, dict[str, Key]] = {
    "sections": {
        "id": ID,
        "slug": NAME,
        "name": NAME,
        "parent": OPTIONAL,
        "position": Key("int", 0),
        "requires_medical_review": Key("bool", False),
        "review_interval_months": Key("int", 12),
        "old_addresses": TEXTS,
    },
    "tags": {"id": ID, "slug": NAME, "name": NAME},
    "callouts": {
        "id": ID,
        "key": NAME,
        "title": NAME,
        "kind": Key("text", Callout.Kind.URGENT.value),
        "created_at": MOMENT,
        "modified_at": MOMENT,
    },
    "experts": {
        "id": ID,
        "slug": NAME,
        "honorific": TEXT,
        "name": NAME,
        "short_name": TEXT,
        "job_title": TEXT,
        "organisation": TEXT,
        "credentials": TEXT,
        "website": TEXT,
        "photo": TEXT,
        "is_active": Key("bool", True),
        "created_at": MOMENT,
        "modified_at": MOMENT,
    },
    "authors": {
        "id": ID,
        "slug": NAME,
        "display_name": NAME,
        "job_title": TEXT,
        "user": OPTIONAL,
        "photo": TEXT,
        "is_active": Key("bool", True),
        "links": Key("list", (), {"label": NAME, "url": NAME}),
        "created_at": MOMENT,
        "modified_at": MOMENT,
    },
    "quotes": {
        "id": ID,
        "expert": NAME,
        "status": Key("text", Quote.Status.NOT_SENT.value),
        "context": TEXT,
        "sent_at": DAY,
        "approved_at": DAY,
        "withdrawn_at": DAY,
        "approved_recorded_by": OPTIONAL,
        "sign_offs": Key(
            "list",
            (),
            {
                "at": Key("moment", REQUIRED),
                "from": TEXT,
                "to": NAME,
                "by": OPTIONAL,
                "note": TEXT,
            },
        ),
        "created_at": MOMENT,
        "modified_at": MOMENT,
    },
    "articles": {
        "id": ID,
        "title": NAME,
        "slug": NAME,
        "section": NAME,
        "standfirst": TEXT,
        "status": Key("text", Article.Status.DRAFT.value),
        "published_at": MOMENT,
        "expires_at": MOMENT,
        "updated_at": MOMENT,
        "is_featured": Key("bool", False),
        "tags": TEXTS,
        "authors": TEXTS,
        "hero_image": TEXT,
        "hero_alt": TEXT,
        "hero_caption": TEXT,
        "hero_focal_x": Key("int", 50),
        "hero_focal_y": Key("int", 50),
        "list_heading": TEXT,
        "seo_title": TEXT,
        "seo_description": TEXT,
        "reviewed_by": OPTIONAL,
        "reviewed_at": DAY,
        "next_review_at": DAY,
        "reviewed_body_hash": TEXT,
        "quotes": Key("ids", ()),
        "list_items": Key(
            "list",
            (),
            {"heading": NAME, "text": TEXT, "image": TEXT, "image_alt": TEXT},
        ),
        "related_links": Key(
            "list",
            (),
            {
                "label": Key("text", "Read more"),
                "article": OPTIONAL,
                "url": TEXT,
                "title": TEXT,
            },
        ),
        "sources": Key(
            "list",
            (),
            {
                "title": NAME,
                "publisher": TEXT,
                "url": NAME,
                "published_on": DAY,
                "accessed_on": DAY,
            },
        ),
        "deleted_links": Key("list", (), {"id": Key("id", REQUIRED), "title": TEXT}),
        "addresses": TEXTS,
        "old_addresses": TEXTS,
        **BOOKKEEPING,
        "history": Key(
            "list",
            (),
            {
                "at": Key("moment", REQUIRED),
                "from": NAME,
                "to": NAME,
                "by": OPTIONAL,
                "comment": TEXT,
                "publish_at": MOMENT,
            },
        ),
    },
    "gone": {"article_paths": TEXTS, "old_addresses": TEXTS},
}
# Folders in the order an import needs them: what a record refers to comes first.
KINDS = ["sections", "tags", "callouts", "experts", "authors", "quotes", "articles"]


@dataclass(frozen=True)
class Record:
    """One file: where it goes in the export, its front matter and its Markdown."""

    path: str
    front: dict
    body: str = ""


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


def address(category_slug: str, slug: str) -> str:
    return f"/{category_slug}/{slug}/"


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
            photo=expert.photo.name or "",
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
            photo=author.photo.name or "",
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
            hero_image=article.hero_image.name or "",
            hero_alt=article.hero_alt,
            hero_caption=article.hero_caption,
            hero_focal_x=article.hero_focal_x,
            hero_focal_y=article.hero_focal_y,
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
                    "image": item.image.name or "",
                    "image_alt": item.image_alt,
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
    "articles": article_queryset,
}
RECORDS = {
    "sections": section_record,
    "tags": tag_record,
    "callouts": callout_record,
    "experts": expert_record,
    "authors": author_record,
    "quotes": quote_record,
    "articles": article_record,
}
# The image fields of each kind (list items' images are read with their article).
MEDIA_FIELDS = {
    "experts": ["photo"],
    "authors": ["photo"],
    "articles": ["hero_image"],
}


def local_record(kind: str, pk) -> Record:
    """The record as this database has it now, as the export would write it."""
    return RECORDS[kind](QUERIES[kind]().get(pk=pk))


# --- Writing -----------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, writing texts of several lines as literal blocks, as
    they were typed. (``yaml.safe_dump`` takes no dumper of its own.)"""

    def ignore_aliases(self, data):
        return True


def _represent_text(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def dump_yaml(data: dict) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=WIDTH,
        default_flow_style=False,
    )


def render_record(record: Record) -> bytes:
    """The file: "---", the front matter, "---", then the text exactly as stored and
    a line end that is not part of it (a file ends with one, as editors expect)."""
    end = "\n" if record.body else ""
    return f"---\n{dump_yaml(record.front)}---\n{record.body}{end}".encode()


def safe_media_name(name: str) -> PurePosixPath:
    """A storage name as a relative path that stays inside the media folder."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise TransferError(f"“{name}” is not a media file name this export can hold.")
    return path


@dataclass
class ExportReport:
    counts: Counter = field(default_factory=Counter)
    media: int = 0
    missing_media: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [f"{kind}: {self.counts[kind]}" for kind in KINDS]
        if self.counts["gone"]:
            lines.append("gone addresses: 1 file")
        lines.append(f"media files: {self.media}")
        lines += [f"Missing media file: {note}" for note in self.missing_media]
        return lines


def export_content(directory, *, stream=None) -> ExportReport:
    """Write every record and its media into ``directory`` (new, or empty).

    The files are written into a folder beside it, renamed into place once complete:
    an export that fails or is interrupted leaves nothing behind. Raises
    ``TransferError`` when ``directory`` cannot be used.
    """
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise TransferError(f"{target} is a file: give a folder to export into.")
    if target.is_dir() and any(target.iterdir()):
        raise TransferError(
            f"{target} is not empty: export into a new or empty folder, so that no "
            "file of an earlier export is mixed with this one."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        report = ExportReport()
        # One reading of the database: every file describes the same moment.
        with transaction.atomic():
            _export_into(work, report, stream)
        (work / MANIFEST).write_text(dump_yaml(FORMAT), encoding="utf-8")
        if target.exists():
            target.rmdir()
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return report


def _export_into(work: Path, report: ExportReport, stream) -> None:
    copied: set[str] = set()
    for kind in KINDS:
        queryset = QUERIES[kind]().order_by("pk")
        rows = progress(
            queryset.iterator(chunk_size=200),
            total=queryset.count(),
            label=f"Exporting {kind}",
            stream=stream,
        )
        for row in rows:
            record = RECORDS[kind](row)
            _write(work / record.path, render_record(record))
            report.counts[kind] += 1
            for file in _media_of(kind, row):
                if file.name not in copied:
                    copied.add(file.name)
                    _copy_media(file, work, record.path, report)
    if (gone := gone_record()) is not None:
        _write(work / gone.path, render_record(gone))
        report.counts["gone"] += 1


def _media_of(kind: str, row) -> list:
    files = [getattr(row, name) for name in MEDIA_FIELDS.get(kind, [])]
    if kind == "articles":
        files += [item.image for item in row.list_items.all()]
    return [file for file in files if file]


def _copy_media(file, work: Path, record_path: str, report: ExportReport) -> None:
    """Copy a stored file byte for byte; one that is gone is reported, and its name
    stays in the record (an import reports it again)."""
    destination = work / MEDIA / safe_media_name(file.name)
    try:
        with file.storage.open(file.name, "rb") as source:
            data = source.read()
    except OSError:
        report.missing_media.append(f"{file.name} (used by {record_path})")
        return
    _write(destination, data)
    report.media += 1


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
