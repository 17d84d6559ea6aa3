"""The import's entry point: check the folder, read every file, write each kind in
order, then the links between articles."""

from pathlib import Path

from django.core.management.color import no_style
from django.db import connection, transaction

from cms.models import Image
from experts.models import Expert, Quote

from ...models import Article, Author, Callout, Category, Tag
from ..export import KINDS
from .articles import _ArticleWriters
from .kinds import _KindWriters
from .reading import Item, _check_export, _read_all
from .report import ImportReport


def import_content(directory, *, dry_run: bool = False, stream=None) -> ImportReport:
    """Import the export in ``directory``; returns the report (never raises for one
    bad record). Raises ``TransferError`` when ``directory`` is not an export.

    ``dry_run`` does it all in a transaction rolled back at the end, and removes
    the media files it stored: the report is the same, nothing stays.
    """
    root = Path(directory)
    _check_export(root)
    report = ImportReport(dry_run=dry_run)
    restore = _Restore(root, report, stream)
    try:
        items = _read_all(root, report)
        if dry_run:
            with transaction.atomic():
                restore.run(items)
                transaction.set_rollback(True)
        else:
            restore.run(items)
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        if dry_run:
            restore.remove_stored()
        else:
            _reset_sequences()
    if restore.missing_users:
        names = ", ".join(sorted(restore.missing_users))
        report.notes.append(
            f"No user here is called {names}: what they did is kept without a user "
            "(create the accounts and import again to link them)."
        )
    return report


class _Restore(_ArticleWriters, _KindWriters):
    """Every kind's writer, run in the order the records need."""

    def run(self, items: dict[str, list[Item]]) -> None:
        writers = {
            "sections": self.section,
            "tags": self.tag,
            "callouts": self.callout,
            "experts": self.expert,
            "authors": self.author,
            "quotes": self.quote,
            "images": self.image,
            "articles": self.article,
        }
        # Top-level sections first: sub-sections name them as parents.
        items["sections"].sort(key=lambda item: item.front["parent"] is not None)
        # Articles oldest first: most links are to older ones, here by then.
        items["articles"].sort(key=lambda item: item.front["id"] or float("inf"))
        for kind in KINDS:
            if kind == "articles":
                self.plan_articles(items[kind])
            for item in self._progress(items[kind], kind):
                self.item(kind, item, writers[kind])
        linked = [item for item in items["articles"] if item.local and item.waiting]
        for item in self._progress(linked, "links"):
            self.item("links", item, self.links)
        for item in items["gone"]:
            self.item("gone", item, self.gone)


def _reset_sequences() -> None:
    """Records created with their exported ids leave PostgreSQL's sequences behind:
    the next record made here would take a used id."""
    models = [Category, Tag, Callout, Expert, Author, Quote, Image, Article]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
