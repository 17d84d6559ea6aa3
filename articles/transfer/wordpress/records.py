"""Which record each WordPress item became (``ImportedItem``): found, adopted, saved."""

from dataclasses import dataclass

from ...models import (
    Article,
    ImportedItem,
)


class _Conflict(Exception):
    """Changed here since it was imported: left as it is."""


@dataclass
class _Record:
    """The ``ImportedItem`` of one item, found or to be made."""

    run: "WordPressImport"  # noqa: F821 (importer.py imports this module)
    kind: str
    source_id: str
    guid: str
    found: ImportedItem | None

    def target(self, model):
        if self.found is None or self.found.object_id is None:
            return None
        return model.objects.filter(pk=self.found.object_id).first()

    @property
    def adopted(self) -> bool:
        return bool(self.found and self.found.adopted)

    def adopt(self, existing, name: str = "") -> str:
        """Use a record that was here before the import, as it is (said in a note
        when ``name`` is given)."""
        row = self.found or ImportedItem(
            source=self.run.source, kind=self.kind, source_id=self.source_id
        )
        row.object_id, row.adopted, row.checksum = existing.pk, True, ""
        row.save()
        self.run.records[self.kind][self.source_id] = row
        if name:
            self.run.report.note(
                f"{name}: one with this slug was here already; it is used as it is."
            )
        return "unchanged"

    def unchanged(self, checksum: str) -> bool:
        return self.found is not None and self.found.checksum == checksum

    def edited_here(self, article: Article) -> bool:
        return bool(self.found and article.modified_at > self.found.imported_at)

    def save(self, object_id, checksum: str, *, stored_name: str = "") -> None:
        row = self.found or ImportedItem(
            source=self.run.source, kind=self.kind, source_id=self.source_id
        )
        row.guid, row.object_id = self.guid[:500], object_id
        row.checksum, row.stored_name = checksum, stored_name
        row.save()
        self.run.records[self.kind][self.source_id] = row  # met again in this file
