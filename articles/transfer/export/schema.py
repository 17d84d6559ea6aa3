"""The export's layout and the keys of each kind of record: one definition, which the
export writes and the import (``restore``) checks files against."""

from dataclasses import dataclass
from pathlib import PurePosixPath

from experts.models import Quote

from ...models import Article, Callout

FORMAT = {"format": "cms-markdown-export", "version": 2}
MANIFEST = "export.yaml"
MEDIA = "media"
GONE = "gone-addresses.md"


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
# A library image by its exported id (``images/<id>.md``), or null for none.
IMAGE = Key("id")
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
        "photo": IMAGE,
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
        "photo": IMAGE,
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
    "images": {
        "id": ID,
        "title": NAME,
        "file": NAME,
        "alt": TEXT,
        "caption": TEXT,
        "credit": TEXT,
        "licence": TEXT,
        "focal_x": Key("int", 50),
        "focal_y": Key("int", 50),
        "tags": TEXTS,
        "uploaded_by": OPTIONAL,
        "uploaded_at": MOMENT,
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
        "hero_image": IMAGE,
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
            {"heading": NAME, "text": TEXT, "image": IMAGE},
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
# Folders in the order an import needs them: what a record refers to comes first
# (images before the experts, authors and articles whose pictures they are).
KINDS = [
    "sections",
    "tags",
    "callouts",
    "images",
    "experts",
    "authors",
    "quotes",
    "articles",
]


@dataclass(frozen=True)
class Record:
    """One file: where it goes in the export, its front matter and its Markdown."""

    path: str
    front: dict
    body: str = ""


def address(category_slug: str, slug: str) -> str:
    return f"/{category_slug}/{slug}/"


def safe_media_name(name: str) -> PurePosixPath:
    """A storage name as a relative path that stays inside the media folder."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise TransferError(f"“{name}” is not a media file name this export can hold.")
    return path
