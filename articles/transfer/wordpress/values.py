"""Constants and small conversions of WordPress's values into ours, shared by the steps of an import."""

import hashlib
import html
import json
import re
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError
from django.utils.text import Truncator, slugify

from ...models import Article, ImportedItem, OldAddress
from .. import wxr

Kind = ImportedItem.Kind
# Raised by what an item holds; anything else is a fault of ours and is not caught.
ITEM_ERRORS = (
    ValidationError,
    ValueError,
    OSError,
    LookupError,
    IntegrityError,
    DataError,
)
TAG_OR_COMMENT = re.compile(r"<[^>]*>")
SIZED_COPY = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")  # cradle-cap-300x200.jpg
HREF = re.compile(r'<a\s[^>]*?href=["\']([^"\']+)["\']', re.I)
LINK = re.compile(r"(?<!!)\[(?P<words>[^\[\]]*)\]\((?P<url>[^()\s]+)\)")
STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.DRAFT,
    "private": Article.Status.DRAFT,
}
MAX_PATH = OldAddress._meta.get_field("path").max_length
# Bump when what is written from the same item changes: every item is then updated.
VERSION = 2  # 2: pictures standing alone are library figures


def _slug(slug: str, fallback: str) -> str:
    """A slug as WordPress had it where it is one (any script), else made from
    ``fallback``."""
    cleaned = slugify(slug, allow_unicode=True)
    if cleaned and cleaned == slug.lower():
        return cleaned
    return cleaned or slugify(fallback, allow_unicode=True)


def _plain(text: str) -> str:
    """HTML as the words it shows (WordPress titles and excerpts are HTML)."""
    return " ".join(html.unescape(TAG_OR_COMMENT.sub(" ", text or "")).split())


def _upload_path(url: str) -> str:
    """The path under wp-content/uploads of a file's address."""
    path = unquote(urlsplit(url or "").path)
    marker = "/wp-content/uploads/"
    return path.split(marker, 1)[1] if marker in path else path.lstrip("/")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _checksum(*parts) -> str:
    text = json.dumps(
        [VERSION, *parts], sort_keys=True, default=str, ensure_ascii=False
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _describe(label: str, thing) -> str:
    if isinstance(thing, wxr.Item):
        title = _plain(thing.title)
        return f"{thing.post_type} {thing.post_id}" + (
            f" “{Truncator(title).chars(60)}”" if title else ""
        )
    if isinstance(thing, wxr.Author):
        return f"author {thing.login}"
    return f"{label[:-1]} {getattr(thing, 'slug', thing)}"


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return " ".join(
                f"{name}: {' '.join(m for m in messages)}"
                for name, messages in error.message_dict.items()
            )
        return " ".join(error.messages)
    return str(error) or type(error).__name__
