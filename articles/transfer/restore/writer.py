"""The steps every kind's writer shares: one transaction per record, comparing with
what is here, users, media files, and small helpers on model rows."""

from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import FileField

from cms.uploads import accept_image

from ...models import OldAddress
from ...models.imports import normalise_path
from ..export import MEDIA, SCHEMAS, local_record, safe_media_name
from ..progress import progress
from .reading import Item
from .report import (
    CONFLICT,
    FAILED,
    LABELS,
    UNCHANGED,
    ImportReport,
    ItemError,
    _explain,
)

# Not content: a record equal in all else is unchanged, whoever saved it when.
BOOKKEEPING = {"id", "created_at", "created_by", "modified_at", "modified_by"}


class _Writer:
    """What every kind's writer shares; ``importing._Restore`` combines them."""

    def __init__(self, root: Path, report: ImportReport, stream):
        self.root, self.report, self.stream = root, report, stream
        self.quote_ids: dict[int, int] = {}
        self.image_ids: dict[int, int] = {}
        self.article_ids: dict[int, int] = {}
        self.users: dict[str, object] = {}
        self.missing_users: set[str] = set()
        self.accepted: dict[str, bytes] = {}
        self.stored: list[tuple] = []  # files this run stored (for a dry run)
        self.item_stored: list[tuple] = []  # files the item under way stored
        self.planned: set[str] = set()  # "section/slug" of every exported article
        self.awaited: set[int] = set()  # keys of exported articles not yet here

    def _progress(self, items: list, kind: str):
        return progress(
            items,
            total=len(items),
            label=f"Importing {LABELS[kind]}",
            stream=self.stream,
        )

    def item(self, kind: str, item: Item, write) -> None:
        """One record in one transaction; what failed is reported with its file."""
        self.item_stored = []
        try:
            with transaction.atomic():
                outcome, message = write(item)
        except KeyboardInterrupt:
            self._remove(self.item_stored)
            raise
        except Exception as error:  # noqa: BLE001 - any failure of one item is reported
            self._remove(self.item_stored)
            if kind == "articles":
                item.local = None
            self.report.add(kind, FAILED, f"{item.path}: {_explain(error)}")
            return
        self.stored += self.item_stored
        self.report.add(kind, outcome, f"{item.path}: {message}" if message else "")

    def remove_stored(self) -> None:
        self._remove(self.stored)

    @staticmethod
    def _remove(files: list[tuple]) -> None:
        for storage, name in files:
            storage.delete(name)

    # --- Shared steps ---

    def compare(self, kind: str, obj, front: dict, body: str) -> tuple | None:
        """``(UNCHANGED, "")`` or ``(CONFLICT, why)`` for a record already here, or
        None when it is to be written (new, or the export's is the newer)."""
        if obj is None:
            return None
        here = local_record(kind, obj.pk)
        if _content(here.front) == _content(front) and here.body == body:
            return UNCHANGED, ""
        if "modified_at" not in front:
            return None  # no time to compare: the export's is written
        exported, local = front["modified_at"], obj.modified_at
        if exported is None or local > exported:
            return CONFLICT, (
                f"changed here ({_when(local)}) after it was exported "
                f"({_when(exported)}): left as it is here"
            )
        return None

    def user(self, username: str | None):
        if not username:
            return None
        if username not in self.users:
            users = get_user_model()
            lookup = {users.USERNAME_FIELD: username}
            found = users._default_manager.filter(**lookup).first()
            self.users[username] = found
            if found is None:
                self.missing_users.add(username)
        return self.users[username]

    def username(self, username: str | None) -> str | None:
        """The username as this site will record it: None when no such user."""
        return username if self.user(username) else None

    def media(self, name: str, field, current: str = "") -> str:
        """The stored name of the export's file ``name``: the file here when it is the
        same, else the export's copy, checked by ``accept_image`` and stored under
        its own name (or the nearest free one, noted)."""
        if not name:
            return ""
        storage = field.storage
        source = self.root / MEDIA / safe_media_name(name)
        if not source.is_file():
            if storage.exists(name):
                return name
            raise ItemError(f"its media file {MEDIA}/{name} is missing from the export")
        accepted = self._accepted(name, source)
        for here in dict.fromkeys([name, current]):
            if here and storage.exists(here):
                with storage.open(here, "rb") as stored:
                    if stored.read() == accepted:
                        return here
        stored_as = storage.save(name, ContentFile(accepted, name=name))
        self.item_stored.append((storage, stored_as))
        if stored_as != name:
            self.report.notes.append(
                f"{MEDIA}/{name}: another file here has that name, so this one is "
                f"stored as {stored_as}"
            )
        return stored_as

    def image_id(self, exported: int | None, use: str) -> int | None:
        """The id here of the export's image ``exported`` (None for none), which the
        images, imported first, recorded; ``use`` says how the record uses it ("its
        hero is", "it places"...) in the failure naming an image that is not in the
        export or failed to import."""
        if exported is None:
            return None
        if exported not in self.image_ids:
            raise ItemError(
                f"{use} image {exported}, which is not in the export or failed to "
                f"import (images/{exported}.md)"
            )
        return self.image_ids[exported]

    def _accepted(self, name: str, source: Path) -> bytes:
        if name not in self.accepted:
            upload = SimpleUploadedFile(source.name, source.read_bytes())
            try:
                self.accepted[name] = accept_image(upload).read()
            except ValidationError as error:
                raise ItemError(
                    f"{MEDIA}/{name}: {' '.join(error.messages)}"
                ) from error
        return self.accepted[name]

    def stamps(self, front: dict, *, created: bool = True) -> dict:
        """The exported times and users of an article's saves, for an ``update()``
        (a save sets them to now); a time the file lacks is left as the save set it."""
        stamps = {
            "modified_at": front["modified_at"],
            "modified_by": self.user(front["modified_by"]),
        }
        if created:
            stamps["created_at"] = front["created_at"]
            stamps["created_by"] = self.user(front["created_by"])
        return {
            name: value
            for name, value in stamps.items()
            if value is not None or name.endswith("_by")
        }

    def old_addresses(self, paths: list[str], **target) -> None:
        for path in paths:
            OldAddress.objects.update_or_create(
                path=normalise_path(path),
                defaults={"article": None, "category": None, **target},
            )


def _content(front: dict) -> dict:
    return {name: value for name, value in front.items() if name not in BOOKKEEPING}


def _paths(paths: list[str]) -> list[str]:
    return sorted({normalise_path(path) for path in paths})


def _section_and_slug(path: str) -> tuple[str, str]:
    parts = path.strip("/").split("/")
    if len(parts) != 2 or not all(parts):
        raise ItemError(f"“{path}” is not an article address such as /section/slug/")
    return parts[0], parts[1]


def _set(obj, kind: str, front: dict) -> None:
    """Copy every plain field of the kind's front matter: not the id, times, people,
    files or other records, which each writer sets its own way."""
    for name in SCHEMAS[kind]:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not (
            name in BOOKKEEPING or field.is_relation or isinstance(field, FileField)
        ):
            setattr(obj, name, front[name])


def _free(model, pk: int | None) -> int | None:
    """``pk`` when no row has it, so an import into an empty database keeps every id."""
    if pk is not None and not model._default_manager.filter(pk=pk).exists():
        return pk
    return None


def _get(model, what: str, **lookup):
    found = model._default_manager.filter(**lookup).first()
    if found is None:
        raise ItemError(f"its {what} “{next(iter(lookup.values()))}” is not here")
    return found


def _all(model, what: str, slugs: list[str]) -> dict:
    found = model._default_manager.in_bulk(slugs, field_name="slug")
    if missing := [slug for slug in slugs if slug not in found]:
        raise ItemError(f"its {what} {', '.join(missing)} are not here")
    return found


def _check(obj, *, exclude=()) -> None:
    """The values fit their fields and are unique. Not ``clean()``: an editor's rules
    for a new edit (no inactive author on a byline, sent quotes locked, ...) were the
    source site's to apply when the record was made."""
    obj.clean_fields(exclude=exclude)
    obj.validate_unique(exclude=exclude)
    obj.validate_constraints(exclude=exclude)


def _stamp(obj, front: dict) -> None:
    stamps = {
        name: front[name]
        for name in ("created_at", "modified_at")
        if front.get(name) is not None
    }
    if stamps:
        type(obj)._default_manager.filter(pk=obj.pk).update(**stamps)


def _when(value: datetime | None) -> str:
    return value.isoformat(sep=" ", timespec="seconds") if value else "no time given"
