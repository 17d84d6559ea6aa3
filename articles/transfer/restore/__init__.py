"""Reading a Markdown export back (``export``; docs/export.md): into an empty
database it restores every record with its id; into one with content it updates
records by slug, skips those unchanged, and reports conflicts instead of
overwriting newer work.

Each record file is one item in one transaction: a failure is reported and the rest
go on, and an interrupted import loses only the item under way (a rerun skips what
is done). Articles take two passes: each is first written with what exists so far,
then its links to articles created after it are added (see docs/export.md).
"""

from .articles import LINKS_COMMENT, QUOTE_REF, REVISION_COMMENT
from .importing import import_content
from .reading import FRONT_MATTER, SAFE_LOADER, Item, parse_record
from .report import (
    CONFLICT,
    CREATED,
    FAILED,
    FIELD_NAMES,
    LABELS,
    OUTCOMES,
    UNCHANGED,
    UPDATED,
    ImportReport,
    ItemError,
)
from .values import coerce
from .writer import BOOKKEEPING

__all__ = [
    "BOOKKEEPING",
    "CONFLICT",
    "CREATED",
    "FAILED",
    "FIELD_NAMES",
    "FRONT_MATTER",
    "LABELS",
    "LINKS_COMMENT",
    "OUTCOMES",
    "QUOTE_REF",
    "REVISION_COMMENT",
    "SAFE_LOADER",
    "UNCHANGED",
    "UPDATED",
    "ImportReport",
    "Item",
    "ItemError",
    "coerce",
    "import_content",
    "parse_record",
]
