"""One run of an import: each kind of item in order, each item in its own transaction."""

from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from django.db import connection, transaction

from cms.pagecache import invalidating_once

from ...models import (
    Article,
    Author,
    Category,
    ImportedItem,
    Tag,
)
from ...models.imports import normalise_path
from .. import wxr
from ..progress import progress
from .links import LinksMixin
from .media import MediaMixin
from .posts import PostsMixin
from .records import _Conflict, _Record
from .report import Report
from .terms import TermsMixin, _parents_first
from .values import ITEM_ERRORS, Kind, _describe, _reason


@contextmanager
def commits_unsynced():
    """On PostgreSQL, the import's thousands of commits do not each wait for the disk
    (``synchronous_commit``, for this connection only): a crash may lose the last
    few, never corrupt anything, and a rerun of the import writes them again."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


class WordPressImport(TermsMixin, MediaMixin, PostsMixin, LinksMixin):
    """One run of an import; ``run()`` returns its report."""

    def __init__(
        self,
        export: wxr.Export,
        *,
        media_dir: Path | None = None,
        dry_run: bool = False,
        create_users: bool = False,
        post_types: tuple[str, ...] = ("post",),
        stream=None,
    ):
        self.export = export
        self.media_dir = Path(media_dir) if media_dir else None
        self.dry_run = dry_run
        self.create_users = create_users
        self.post_types = post_types
        self.stream = stream
        self.source = (export.base_site_url or export.link or "wordpress").rstrip("/")
        self.hosts = {
            urlsplit(url).hostname
            for url in (export.base_site_url, export.base_blog_url, export.link)
            if url and urlsplit(url).hostname
        }
        self.report = Report(self.source, export.version, dry_run)
        self.authors: dict[str, Author] = {}
        self.sections: dict[str, Category] = {}
        self.tags: dict[str, Tag] = {}
        # Attachment post id → (stored name, alt, caption); name "" when missing.
        self.files: dict[int, tuple[str, str, str]] = {}
        self.by_upload_path: dict[str, int] = {}
        # The stored file at each address a post shows (once all attachments are in).
        self.stored_at: dict[str, str] | None = None
        self.articles: dict[int, Article] = {}
        # Old addresses of this export's posts; posts to link again once all are in.
        self.addresses: dict[str, int] = {}
        self.waiting: list[int] = []
        self.records: dict = {}

    # --- The run ----------------------------------------------------------------

    def run(self) -> Report:
        for problem in self.export.problems:
            self.report.count("unreadable", "failed")
            self.report.note(problem)
        with invalidating_once(), commits_unsynced():
            if self.dry_run:
                with transaction.atomic():
                    self._run()
                    transaction.set_rollback(True)
            else:
                self._run()
        return self.report

    def _run(self) -> None:
        authors = {author.login: author for author in self.export.authors}
        for login in sorted(
            {i.creator for i in self.export.items if i.creator} - set(authors)
        ):
            authors[login] = wxr.Author(login=login, display_name=login)
        self._each(
            "authors",
            Kind.AUTHOR,
            authors.values(),
            self._author,
            key=lambda a: a.login,
        )
        categories = [t for t in self.export.terms if t.taxonomy == "category"]
        self._each(
            "sections",
            Kind.CATEGORY,
            _parents_first(categories),
            self._section,
            key=lambda t: t.slug,
        )
        tags = [t for t in self.export.terms if t.taxonomy == "post_tag"]
        self._each("tags", Kind.TAG, tags, self._tag, key=lambda t: t.slug)
        items = self.export.items
        attachments = [i for i in items if i.post_type == "attachment"]
        self._each(
            "images",
            Kind.ATTACHMENT,
            attachments,
            self._attachment,
            key=lambda i: i.post_id,
        )
        posts = [i for i in items if i.post_type in self.post_types]
        self.addresses = {
            normalise_path(path): i.post_id
            for i in posts
            for path in self._post_paths(i)
        }
        posts = self._linked_first(posts)
        self._each("articles", Kind.POST, posts, self._post, key=lambda i: i.post_id)
        self._link_between_articles()
        self._count_skipped(items)

    def _each(self, label, kind, things, write, *, key) -> None:
        things = list(things)
        for thing in progress(
            things, total=len(things), label=label, stream=self.stream
        ):
            name = _describe(label, thing)
            try:
                with transaction.atomic():
                    outcome = write(thing, self._record(kind, key(thing), thing))
            except _Conflict as conflict:
                outcome = "conflict"
                self.report.note(f"{name}: {conflict}")
            except ITEM_ERRORS as error:
                outcome = "failed"
                self.report.note(f"{name}: not imported: {_reason(error)}")
            self.report.count(label, outcome)

    def _count_skipped(self, items) -> None:
        kinds = Counter(
            i.post_type
            for i in items
            if i.post_type not in self.post_types and i.post_type != "attachment"
        )
        for post_type, n in sorted(kinds.items()):
            self.report.count(f"{post_type} items", "skipped", n)
        comments = sum(len(i.comments) for i in items if i.post_type in self.post_types)
        if comments:
            self.report.count("comments", "skipped", comments)
        other_terms = Counter(
            t.taxonomy
            for t in self.export.terms
            if t.taxonomy not in ("category", "post_tag")
        )
        for taxonomy, n in sorted(other_terms.items()):
            self.report.count(f"{taxonomy} terms", "skipped", n)

    # --- Records of what came from where ------------------------------------------

    def _record(self, kind, source_id, thing) -> "_Record":
        if kind not in self.records:  # every record of this kind, in one query
            rows = ImportedItem.objects.filter(source=self.source, kind=kind)
            self.records[kind] = by_id = {row.source_id: row for row in rows}
            self.records[kind, "guid"] = {
                row.guid: row for row in by_id.values() if row.guid
            }
        guid = getattr(thing, "guid", "")
        found = self.records[kind].get(str(source_id))
        if found is None and guid:
            found = self.records[kind, "guid"].get(guid)
        return _Record(self, kind, str(source_id), guid, found)
