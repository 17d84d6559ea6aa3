"""Reading a Markdown export back (``export``; docs/export.md): into an empty
database it restores every record with its id; into one with content it updates
records by slug, skips those unchanged, and reports conflicts instead of
overwriting newer work.

Each record file is one item in one transaction: a failure is reported and the rest
go on, and an interrupted import loses only the item under way (a rerun skips what
is done). Articles take two passes: each is first written with what exists so far,
then its links to articles created after it are added (see docs/export.md).
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.models import FileField

from cms.markdown import ARTICLE_LINK, inline_keys
from cms.uploads import accept_image
from experts.models import Expert, Quote, SignOff

from ..models import (
    Article,
    ArticleAuthor,
    ArticlePath,
    ArticleQuote,
    ArticleReference,
    ArticleSource,
    ArticleTransition,
    Author,
    AuthorLink,
    Callout,
    Category,
    ListItem,
    OldAddress,
    RelatedLink,
    Tag,
)
from ..models.imports import normalise_path
from ..models.references import texts_changed
from ..services import save_article
from .export import (
    FORMAT,
    GONE,
    KINDS,
    MANIFEST,
    MEDIA,
    REQUIRED,
    SCHEMAS,
    Key,
    TransferError,
    address,
    local_record,
    safe_media_name,
)
from .progress import progress

CREATED, UPDATED, UNCHANGED, CONFLICT, FAILED = (
    "created",
    "updated",
    "unchanged",
    "conflicts",
    "failed",
)
OUTCOMES = (CREATED, UPDATED, UNCHANGED, CONFLICT, FAILED)
LABELS = {kind: kind for kind in KINDS} | {
    "links": "links between articles",
    "gone": "gone addresses",
}
# Not content: a record equal in all else is unchanged, whoever saved it when.
BOOKKEEPING = {"id", "created_at", "created_by", "modified_at", "modified_by"}
QUOTE_REF = re.compile(r"\[\[quote:(?P<ref>[0-9]+)\]\]")
FRONT_MATTER = re.compile(
    r"---[ \t]*\r?\n(?P<front>.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M
)
# ``yaml.safe_load``, read by libyaml where PyYAML has it (ten times faster).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
REVISION_COMMENT = "Imported from a Markdown export"
LINKS_COMMENT = "Imported from a Markdown export: links to other articles"


class ItemError(Exception):
    """Why one record cannot be imported, in a sentence."""


@dataclass
class ImportReport:
    """What an import did, per kind of record, with a line for each failure and
    conflict."""

    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    interrupted: bool = False
    dry_run: bool = False

    def add(self, kind: str, outcome: str, message: str = "") -> None:
        if kind == "links" and outcome == UNCHANGED:
            return  # checked, and already right: not news
        self.counts[kind][outcome] += 1
        if outcome == FAILED:
            self.failures.append(message)
        elif outcome == CONFLICT:
            self.conflicts.append(message)

    @property
    def failed(self) -> int:
        return sum(counts[FAILED] for counts in self.counts.values())

    def lines(self) -> list[str]:
        lines = ["Dry run: nothing was written."] if self.dry_run else []
        for kind in [*KINDS, "links", "gone"]:
            if kind in self.counts:
                counts = self.counts[kind]
                shown = (UPDATED, FAILED) if kind == "links" else OUTCOMES
                said = ", ".join(f"{counts[outcome]} {outcome}" for outcome in shown)
                lines.append(f"{LABELS[kind]}: {said}")
        lines += [f"Failed: {line}" for line in self.failures]
        lines += [f"Conflict: {line}" for line in self.conflicts]
        lines += [f"Note: {line}" for line in self.notes]
        return lines


@dataclass
class Item:
    """One record file, read and checked against its kind's keys."""

    kind: str
    path: str
    front: dict
    body: str
    # Articles: the key it has or will have here, whether it is already here, and
    # (after the first pass) its front matter in this database's ids.
    pk: int | None = None
    here: bool = False
    local: dict | None = None
    waiting: bool = False  # links to articles not yet here when it was written


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


def _check_export(root: Path) -> None:
    manifest = root / MANIFEST
    if not root.is_dir():
        raise TransferError(f"{root} is not a folder.")
    if not manifest.is_file():
        raise TransferError(
            f"{root} is not a Markdown export: it has no {MANIFEST} (see docs/export.md)."
        )
    try:
        found = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise TransferError(f"{manifest} cannot be read: {error}") from error
    if not isinstance(found, dict) or found.get("format") != FORMAT["format"]:
        raise TransferError(f"{manifest} does not describe a Markdown export.")
    if found.get("version") != FORMAT["version"]:
        raise TransferError(
            f"{root} is an export of version {found.get('version')}; this site reads "
            f"version {FORMAT['version']}."
        )


# --- Reading the files -------------------------------------------------------------


def parse_record(data: bytes) -> tuple[dict, str]:
    """The front matter and the Markdown of a record file; ``ItemError`` says what
    is wrong with one that is not."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise ItemError(f"is not UTF-8 text (byte {error.start})") from error
    match = FRONT_MATTER.match(text)
    if not match:
        raise ItemError(
            "has no front matter: a record file starts with a line “---”, its YAML, "
            "and another line “---”"
        )
    try:
        front = yaml.load(match["front"], Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ItemError(
            f"its front matter is not valid YAML: {problem}{where}"
        ) from error
    if front is None:
        front = {}
    if not isinstance(front, dict):
        raise ItemError("its front matter is not a set of “key: value” lines")
    # Less the line end the export adds after a text (``export.render_record``),
    # or its Windows form in a file edited there.
    crlf = text[: match.start("front")].endswith("\r\n")
    return front, text[match.end() :].removesuffix("\r\n" if crlf else "\n")


def _read_all(root: Path, report: ImportReport) -> dict[str, list[Item]]:
    """Every record file, checked; a file that cannot be read is reported as failed."""
    items: dict[str, list[Item]] = {kind: [] for kind in [*KINDS, "gone"]}
    files = [(kind, path) for kind in KINDS for path in _files(root / kind)]
    if (root / GONE).is_file():
        files.append(("gone", root / GONE))
    keys: dict[tuple, str] = {}
    for kind, path in files:
        name = path.relative_to(root).as_posix()
        try:
            if path.suffix != ".md":
                raise ItemError("is not a Markdown file (.md): not a record")
            front, body = parse_record(path.read_bytes())
            item = Item(kind, name, coerce(SCHEMAS[kind], front), body)
            for key in _natural_keys(item):
                if key in keys:
                    raise ItemError(f"is the same record as {keys[key]} ({key[1]})")
                keys[key] = name
        except (ItemError, OSError) as error:
            report.add(kind, FAILED, f"{name}: {error}")
            continue
        items[kind].append(item)
    return items


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def _natural_keys(item: Item) -> list[tuple]:
    front = item.front
    keys = {
        "sections": ["slug"],
        "tags": ["slug"],
        "callouts": ["key"],
        "experts": ["slug"],
        "authors": ["slug"],
    }.get(item.kind, [])
    found = [(item.kind, f"{name} {front[name]}") for name in keys]
    if item.kind == "articles":
        found.append(
            (item.kind, f"section and slug {front['section']}/{front['slug']}")
        )
    if front.get("id") is not None:
        found.append((item.kind, f"id {front['id']}"))
    return found


def coerce(schema: dict[str, Key], front: dict, where: str = "") -> dict:
    """The front matter with every key of ``schema``, each of its type (defaults for
    keys left out); ``ItemError`` names a key that is unknown, missing or wrong."""
    if unknown := [name for name in front if name not in schema]:
        names = ", ".join(f"“{where}{name}”" for name in map(str, unknown))
        raise ItemError(f"has keys no record of its kind has: {names}")
    found = {}
    for name, key in schema.items():
        label = f"“{where}{name}”"
        if name not in front:
            if key.default is REQUIRED:
                raise ItemError(f"has no {label}")
            value = list(key.default) if isinstance(key.default, tuple) else key.default
        else:
            value = _value(key, front[name], label, f"{where}{name}")
        found[name] = value
    return found


def _value(key: Key, value, label: str, where: str):
    kind = key.type
    if kind == "list":
        entries = _list(value, label)
        return [
            coerce(key.entries, _mapping(entry, f"{label} {n}"), f"{where} {n}: ")
            for n, entry in enumerate(entries, start=1)
        ]
    if value is None:
        if key.default is REQUIRED:
            raise ItemError(f"has no value for {label}")
        if kind in ("text", "texts", "ids"):
            return [] if kind in ("texts", "ids") else ""
        if kind in ("int", "bool"):
            raise ItemError(f"{label} needs a value")
        return None
    if kind in ("text", "optional"):
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise ItemError(f"{label} should be text")
        return value
    if kind in ("int", "id"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ItemError(f"{label} should be a whole number")
        if kind == "id" and value < 1:
            raise ItemError(f"{label} should be a positive number")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ItemError(f"{label} should be true or false")
        return value
    if kind == "moment":
        return _moment(value, label)
    if kind == "day":
        return _day(value, label)
    if kind == "texts":
        return [
            _value(Key("text", REQUIRED), v, label, where) for v in _list(value, label)
        ]
    if kind == "ids":
        return [
            _value(Key("id", REQUIRED), v, label, where) for v in _list(value, label)
        ]
    raise AssertionError(kind)


def _list(value, label: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ItemError(f"{label} should be a list")
    return value


def _mapping(value, label: str) -> dict:
    if not isinstance(value, dict):
        raise ItemError(f"{label} should be a set of “key: value” lines")
    return value


def _moment(value, label: str) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime):
        raise ItemError(
            f"{label} should be a date and time, such as 2026-05-03 09:00:00+00:00"
        )
    if value.tzinfo is None:
        raise ItemError(f"{label} needs a time zone, such as +00:00")
    return value


def _day(value, label: str) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            value = None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ItemError(f"{label} should be a date, such as 2026-05-03")
    return value


# --- Writing -----------------------------------------------------------------------


class _Restore:
    def __init__(self, root: Path, report: ImportReport, stream):
        self.root, self.report, self.stream = root, report, stream
        self.quote_ids: dict[int, int] = {}
        self.article_ids: dict[int, int] = {}
        self.users: dict[str, object] = {}
        self.missing_users: set[str] = set()
        self.accepted: dict[str, bytes] = {}
        self.stored: list[tuple] = []  # files this run stored (for a dry run)
        self.item_stored: list[tuple] = []  # files the item under way stored
        self.planned: set[str] = set()  # "section/slug" of every exported article
        self.awaited: set[int] = set()  # keys of exported articles not yet here

    def run(self, items: dict[str, list[Item]]) -> None:
        writers = {
            "sections": self.section,
            "tags": self.tag,
            "callouts": self.callout,
            "experts": self.expert,
            "authors": self.author,
            "quotes": self.quote,
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

    # --- Each kind ---

    def section(self, item: Item):
        front = {**item.front, "old_addresses": _paths(item.front["old_addresses"])}
        section = Category.objects.filter(slug=front["slug"]).first()
        if found := self.compare("sections", section, front, item.body):
            return found
        parent = None
        if front["parent"]:
            parent = Category.objects.filter(slug=front["parent"]).first()
            if parent is None:
                raise ItemError(f"its parent section “{front['parent']}” is not here")
        created = section is None
        section = section or Category(pk=_free(Category, front["id"]))
        _set(section, "sections", front)
        section.parent, section.description = parent, item.body
        section.full_clean()
        section.save()
        self.old_addresses(front["old_addresses"], category=section)
        return (CREATED if created else UPDATED), ""

    def tag(self, item: Item):
        front = item.front
        tag = Tag.objects.filter(slug=front["slug"]).first()
        if found := self.compare("tags", tag, front, ""):
            return found
        created = tag is None
        tag = tag or Tag(pk=_free(Tag, front["id"]))
        _set(tag, "tags", front)
        tag.full_clean()
        tag.save()
        return (CREATED if created else UPDATED), ""

    def callout(self, item: Item):
        front = item.front
        callout = Callout.objects.filter(key=front["key"]).first()
        if found := self.compare("callouts", callout, front, item.body):
            return found
        created = callout is None
        callout = callout or Callout(pk=_free(Callout, front["id"]))
        _set(callout, "callouts", front)
        callout.body = item.body
        callout.full_clean()
        callout.save()
        _stamp(callout, front)
        return (CREATED if created else UPDATED), ""

    def expert(self, item: Item):
        front = item.front
        expert = Expert.objects.filter(slug=front["slug"]).first()
        if found := self.compare("experts", expert, front, item.body):
            return found
        created = expert is None
        expert = expert or Expert(pk=_free(Expert, front["id"]))
        _set(expert, "experts", front)
        expert.bio = item.body
        expert.photo = self.media(
            front["photo"], Expert._meta.get_field("photo"), expert.photo.name or ""
        )
        expert.full_clean()
        expert.save()
        _stamp(expert, front)
        return (CREATED if created else UPDATED), ""

    def author(self, item: Item):
        front = {**item.front, "user": self.username(item.front["user"])}
        author = Author.objects.filter(slug=front["slug"]).first()
        if found := self.compare("authors", author, front, item.body):
            return found
        created = author is None
        author = author or Author(pk=_free(Author, front["id"]))
        _set(author, "authors", front)
        author.bio = item.body
        author.user = self.user(front["user"])
        if (
            author.user
            and Author.objects.filter(user=author.user).exclude(pk=author.pk).exists()
        ):
            self.report.notes.append(
                f"{item.path}: the user {front['user']} is another author's login "
                "here, so this author is left without one"
            )
            author.user = None
        author.photo = self.media(
            front["photo"], Author._meta.get_field("photo"), author.photo.name or ""
        )
        author.full_clean()
        links = [
            AuthorLink(author=author, label=link["label"], url=link["url"], position=n)
            for n, link in enumerate(front["links"])
        ]
        for link in links:
            link.full_clean(exclude=["author"])
        author.save()
        author.links.all().delete()
        AuthorLink.objects.bulk_create(links)
        _stamp(author, front)
        return (CREATED if created else UPDATED), ""

    def quote(self, item: Item):
        front = {
            **item.front,
            "approved_recorded_by": self.username(item.front["approved_recorded_by"]),
            "sign_offs": [
                {**step, "by": self.username(step["by"])}
                for step in item.front["sign_offs"]
            ],
        }
        expert = Expert.objects.filter(slug=front["expert"]).first()
        if expert is None:
            raise ItemError(f"its expert “{front['expert']}” is not here")
        quote = self._find_quote(front, expert, item.body)
        if found := self.compare("quotes", quote, front, item.body):
            self._map_quote(front["id"], quote.pk)
            return found
        created = quote is None
        quote = quote or Quote(pk=_free(Quote, front["id"]))
        _set(quote, "quotes", front)
        quote.expert, quote.text = expert, item.body
        quote.approved_recorded_by = self.user(front["approved_recorded_by"])
        # The source site's sign-off rules applied when these were recorded: only
        # the values themselves are checked here.
        _check(quote)
        quote.save()
        have = {(s.at, s.from_status, s.to_status) for s in quote.sign_offs.all()}
        SignOff.objects.bulk_create(
            SignOff(
                quote=quote,
                at=step["at"],
                from_status=step["from"],
                to_status=step["to"],
                by=self.user(step["by"]),
                note=step["note"],
            )
            for step in front["sign_offs"]
            if (step["at"], step["from"], step["to"]) not in have
        )
        _stamp(quote, front)
        self._map_quote(front["id"], quote.pk)
        return (CREATED if created else UPDATED), ""

    def _find_quote(self, front: dict, expert: Expert, text: str) -> Quote | None:
        """The same words of the same expert with the same context, not yet taken by
        another record of this import; the one with the exported id if it is one."""
        taken = set(self.quote_ids.values())
        found = [
            quote
            for quote in Quote.objects.filter(
                expert=expert, text=text, context=front["context"]
            ).order_by("pk")
            if quote.pk not in taken
        ]
        same_id = [quote for quote in found if quote.pk == front["id"]]
        return (same_id or found or [None])[0]

    def _map_quote(self, exported: int | None, local: int) -> None:
        if exported is not None:
            self.quote_ids[exported] = local

    # --- Articles ---

    def plan_articles(self, items: list[Item]) -> None:
        """Give every article of the export its key here before any is written, so
        each body's [[article:…]] links are rewritten once: the article's own key if
        it is here (same section and slug), else its exported id if free, else a new
        one. Ids linked to but not exported (deleted articles) keep theirs if free."""
        here = {
            (section, slug): pk
            for section, slug, pk in Article.objects.values_list(
                "category__slug", "slug", "pk"
            )
        }
        taken = set(here.values()) | {
            int(key)
            for key in ArticleReference.objects.links()
            .filter(target_article=None)
            .values_list("key", flat=True)
            if key.isdigit()
        }
        exported = {item.front["id"] for item in items} - {None}
        linked = {n for item in items for n in _linked_ids(item.front, item.body)}
        following = max(taken | exported | linked | {0}) + 1
        used: set[int] = set()

        def new_id(wanted: int | None) -> int:
            nonlocal following
            if wanted is not None and wanted not in taken and wanted not in used:
                used.add(wanted)
                return wanted
            following += 1
            return following - 1

        for item in items:
            pk = here.get((item.front["section"], item.front["slug"]))
            item.here, item.pk = pk is not None, pk
            if item.here:
                used.add(pk)
        for item in items:
            if not item.here:
                item.pk = new_id(item.front["id"])
            if item.front["id"] is not None:
                self.article_ids[item.front["id"]] = item.pk
        for n in sorted(linked - exported):
            self.article_ids[n] = new_id(n)
        self.awaited = {item.pk for item in items if not item.here}
        self.planned = {
            f"{item.front['section']}/{item.front['slug']}" for item in items
        }

    def translate_article(self, item: Item) -> dict:
        """The front matter and body in this database's ids and users."""
        front = item.front
        own = address(front["section"], front["slug"])
        return {
            **front,
            "id": item.pk,
            "quotes": [self._quote_id(n) for n in front["quotes"]],
            "list_items": [
                {**entry, "text": self._rewrite(entry["text"])}
                for entry in front["list_items"]
            ],
            "deleted_links": [
                {**link, "id": self.article_ids[link["id"]]}
                for link in front["deleted_links"]
            ],
            "addresses": sorted({*front["addresses"], own}),
            "old_addresses": _paths(front["old_addresses"]),
            "created_by": self.username(front["created_by"]),
            "modified_by": self.username(front["modified_by"]),
            "history": [
                {**step, "by": self.username(step["by"])} for step in front["history"]
            ],
            "body": self._rewrite(item.body),
        }

    def _quote_id(self, exported: int) -> int:
        if exported not in self.quote_ids:
            raise ItemError(
                f"it places quote {exported}, which is not in the export or failed "
                f"to import (quotes/{exported}.md)"
            )
        return self.quote_ids[exported]

    def _rewrite(self, text: str) -> str:
        def quote(match):
            return _swap(match, self._quote_id(int(match["ref"])))

        def article(match):
            return _swap(match, self.article_ids.get(int(match["ref"])))

        return ARTICLE_LINK.sub(article, QUOTE_REF.sub(quote, text))

    def article(self, item: Item):
        front = self.translate_article(item)
        body = front.pop("body")
        article = Article.objects.filter(pk=item.pk).first() if item.here else None
        if found := self.compare("articles", article, front, body):
            if found[0] == UNCHANGED:
                # Checked in the second pass: an earlier run may have stopped before it.
                item.local, item.waiting = {**front, "body": body}, _links(front, body)
            return found
        created = article is None
        article = article or Article(pk=item.pk)
        links = self._related_links(front, waiting_ok=True)
        parts = self._article_parts(article, front, links, replace=not created)
        _set(article, "articles", front)
        article.category = _get(Category, "section", slug=front["section"])
        article.reviewed_by = (
            _get(Expert, "reviewing expert", slug=front["reviewed_by"])
            if front["reviewed_by"]
            else None
        )
        article.body = body
        article.hero_image = self.media(
            front["hero_image"],
            Article._meta.get_field("hero_image"),
            article.hero_image.name or "",
        )
        _check(article)
        save_article(
            article,
            by=None,
            save_parts=parts,
            checked=True,
            comment=lambda: REVISION_COMMENT,
        )
        for link in front["deleted_links"]:
            ArticleReference.objects.get_or_create(
                article=article,
                key=str(link["id"]),
                callout=None,
                expert=None,
                defaults={"title": link["title"]},
            )
        have = set()
        if not created:
            have = {
                (t.at, t.from_status, t.to_status) for t in article.transitions.all()
            }
        ArticleTransition.objects.bulk_create(
            ArticleTransition(
                article=article,
                at=step["at"],
                from_status=step["from"],
                to_status=step["to"],
                by=self.user(step["by"]),
                comment=step["comment"],
                publish_at=step["publish_at"],
            )
            for step in front["history"]
            if (step["at"], step["from"], step["to"]) not in have
        )
        own = address(front["section"], front["slug"])  # recorded by the save
        ArticlePath.objects.record(
            (*_section_and_slug(path), article.pk)
            for path in front["addresses"]
            if path != own
        )
        self.old_addresses(front["old_addresses"], article=article)
        Article.objects.filter(pk=article.pk).update(
            updated_at=front["updated_at"], **self.stamps(front)
        )
        self.awaited.discard(article.pk)
        item.local = {**front, "body": body}
        item.waiting = None in links or bool(_linked_ids(front, body) & self.awaited)
        return (CREATED if created else UPDATED), ""

    def _article_parts(
        self, article: Article, front: dict, links: list, *, replace: bool
    ):
        """Check the parts and return what saves them once the article has its key:
        tags, bylines, quotes, list items, sources and the related links whose
        articles are here already (the others wait for the second pass)."""
        tags = _all(Tag, "tags", front["tags"])
        authors = _all(Author, "authors", front["authors"])
        quotes = Quote.objects.in_bulk(front["quotes"])
        items = []
        for n, entry in enumerate(front["list_items"]):
            list_item = ListItem(
                position=n,
                heading=entry["heading"],
                text=entry["text"],
                image=self.media(entry["image"], ListItem._meta.get_field("image")),
                image_alt=entry["image_alt"],
            )
            _check(list_item, exclude=["article"])
            items.append(list_item)
        sources = []
        for n, entry in enumerate(front["sources"]):
            source = ArticleSource(position=n, **entry)
            _check(source, exclude=["article"])
            sources.append(source)
        links = [link for link in links if link is not None]

        def save_parts() -> dict:
            if replace:
                for model in (
                    ArticleAuthor,
                    ArticleQuote,
                    ListItem,
                    ArticleSource,
                    RelatedLink,
                ):
                    model.objects.filter(article=article).delete()
            article.tags.set(tags.values())
            bylines = ArticleAuthor.objects.bulk_create(
                ArticleAuthor(article=article, author=authors[slug], position=n)
                for n, slug in enumerate(front["authors"])
            )
            placed = ArticleQuote.objects.bulk_create(
                ArticleQuote(article=article, quote=quotes[pk], position=n)
                for n, pk in enumerate(front["quotes"])
            )
            for row in [*items, *sources, *links]:
                row.article = article
            for list_item in items:
                list_item.save()
            ArticleSource.objects.bulk_create(sources)
            for link in links:
                link.save()
            # List items replaced or removed: the references are synced once, at the end.
            texts_changed(article.pk, lambda: article)
            return {
                "tags": list(tags.values()),
                "article_authors": bylines,
                "article_quotes": placed,
                "list_items": items,
                "sources": sources,
                "related_links": links,
            }

        return save_parts

    def _related_links(self, front: dict, *, waiting_ok: bool) -> list:
        """The related links as rows to save; None for one whose article is in the
        export but not here yet (``waiting_ok``), an error for one nowhere."""
        rows = []
        for n, entry in enumerate(front["related_links"]):
            target = None
            if entry["article"]:
                section, _, slug = entry["article"].partition("/")
                target = Article.objects.filter(
                    category__slug=section, slug=slug
                ).first()
                if target is None:
                    if waiting_ok and entry["article"] in self.planned:
                        rows.append(None)
                        continue
                    raise ItemError(
                        f"its related link {n + 1} is to {entry['article']}, an "
                        "article neither here nor imported"
                    )
            link = RelatedLink(
                position=n,
                label=entry["label"],
                target_article=target,
                url=entry["url"],
                title=entry["title"],
            )
            _check(link, exclude=["article"])
            rows.append(link)
        return rows

    def links(self, item: Item):
        """The second pass: related links to articles imported after this one, and
        the references of its texts to them."""
        front = item.local
        article = Article.objects.get(pk=item.pk)
        wanted = self._related_links(front, waiting_ok=False)
        current = [_link_key(link) for link in article.related_links.all()]
        texts = [
            article.body_html,
            *article.list_items.values_list("text_html", flat=True),
        ]
        keys = {int(key) for text in texts for key in inline_keys(text, "article")}
        here = set(Article.objects.filter(pk__in=keys).values_list("pk", flat=True))
        have = {
            int(key)
            for key in article.body_references.links()
            .exclude(target_article=None)
            .values_list("key", flat=True)
        }
        if current == [_link_key(link) for link in wanted] and here <= have:
            return UNCHANGED, ""

        def save_parts() -> dict:
            article.related_links.all().delete()
            for link in wanted:
                link.article = article
                link.save()
            texts_changed(article.pk, lambda: article)
            return {"related_links": wanted}

        save_article(
            article,
            by=None,
            save_parts=save_parts,
            checked=True,
            comment=lambda: LINKS_COMMENT,
        )
        Article.objects.filter(pk=article.pk).update(
            **self.stamps(front, created=False)
        )
        return UPDATED, ""

    def gone(self, item: Item):
        """Addresses that lead nowhere: recorded as gone unless one leads somewhere."""
        created = 0
        for path in item.front["article_paths"]:
            section, slug = _section_and_slug(path)
            created += ArticlePath.objects.get_or_create(
                category_slug=section, slug=slug, defaults={"article": None}
            )[1]
        for path in item.front["old_addresses"]:
            created += OldAddress.objects.get_or_create(path=normalise_path(path))[1]
        return (CREATED if created else UNCHANGED), ""


# --- Helpers -----------------------------------------------------------------------


def _links(front: dict, body: str) -> bool:
    """Whether the article links to other articles."""
    return any(entry["article"] for entry in front["related_links"]) or bool(
        _linked_ids(front, body)
    )


def _linked_ids(front: dict, body: str) -> set[int]:
    texts = [body, *(entry["text"] for entry in front["list_items"])]
    return {int(m["ref"]) for text in texts for m in ARTICLE_LINK.finditer(text)}


def _swap(match: re.Match, new: int | None) -> str:
    old = match["ref"]
    if new is None or str(new) == old:
        return match[0]
    start = match.start("ref") - match.start()
    return f"{match[0][:start]}{new}{match[0][start + len(old) :]}"


def _link_key(link: RelatedLink) -> tuple:
    return (link.label, link.target_article_id, link.url, link.title)


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


def _explain(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return "; ".join(
                f"{'' if name == '__all__' else FIELD_NAMES.get(name, name) + ': '}"
                f"{' '.join(messages)}"
                for name, messages in error.message_dict.items()
            )
        return " ".join(error.messages)
    if isinstance(error, ItemError | TransferError):
        return str(error)
    if isinstance(error, DatabaseError):
        return f"the database refused it: {error}"
    return f"{type(error).__name__}: {error}"


FIELD_NAMES = {"category": "section", "body": "body", "text": "text"}


def _reset_sequences() -> None:
    """Records created with their exported ids leave PostgreSQL's sequences behind:
    the next record made here would take a used id."""
    models = [Category, Tag, Callout, Expert, Author, Quote, Article]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
