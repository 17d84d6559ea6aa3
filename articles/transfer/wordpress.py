"""Moving in from WordPress: a WXR export (``wxr.read``) becomes authors, sections,
tags, images and articles, through the same write path as the admin.

Each item is written in a transaction of its own: one that fails is reported and the
rest go on, and an interrupted import leaves whole items only. Every item is recorded
(``ImportedItem``) by its WordPress id, and posts also by GUID, with a checksum of what
was read: a second import of the same file writes nothing, and one of a newer export
updates what changed there, unless an editor has changed it here since (a conflict,
reported, never overwritten). A dry run does it all in a transaction rolled back at
the end, storing no file, so its report is the real one.
"""

import hashlib
import html
import json
import posixpath
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import get_image_dimensions
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator, slugify

from cms.markdown import render
from cms.pagecache import invalidating_once
from cms.uploads import accept_image

from ..models import (
    Article,
    ArticleAuthor,
    ArticleTransition,
    Author,
    Category,
    ImportedItem,
    OldAddress,
    Tag,
    validate_section_slug,
)
from ..models.imports import normalise_path
from ..services import save_article
from . import wxr
from .markup import Attachment, to_markdown
from .progress import progress

Kind = ImportedItem.Kind
OUTCOMES = ("imported", "updated", "unchanged", "skipped", "conflict", "failed")
# Raised by what an item holds; anything else is a fault of ours and is not caught.
ITEM_ERRORS = (ValidationError, ValueError, OSError, LookupError)
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
# Bump when what is written from the same item changes: every item is then updated.
VERSION = 1


@dataclass
class Report:
    """What an import did, per kind of item, and what it has to say about items."""

    source: str
    version: str
    dry_run: bool = False
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    notes: list[str] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    def note(self, text: str) -> None:
        self.notes.append(text)

    @property
    def failed(self) -> int:
        return sum(counts["failed"] for counts in self.counts.values())

    def lines(self) -> list[str]:
        head = "Dry run, nothing was written: " if self.dry_run else ""
        lines = [f"{head}WordPress import of {self.source} (WXR {self.version})", ""]
        width = max((len(kind) for kind in self.counts), default=8) + 2
        lines.append("".ljust(width) + "".join(f"{o:>11}" for o in OUTCOMES))
        for kind, counts in self.counts.items():
            lines.append(
                kind.ljust(width) + "".join(f"{counts[o]:>11}" for o in OUTCOMES)
            )
        if self.missing_files:
            lines += [
                "",
                f"Files not found in the media folder ({len(self.missing_files)}):",
            ]
            lines += [f"  {name}" for name in self.missing_files]
        if self.notes:
            lines += ["", f"Notes ({len(self.notes)}):"]
            lines += [f"  - {note}" for note in self.notes]
        return lines


class _Conflict(Exception):
    """Changed here since it was imported: left as it is."""


class WordPressImport:
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
        with invalidating_once():
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

    # --- Authors, sections, tags -------------------------------------------------

    def _author(self, person: wxr.Author, record: "_Record") -> str:
        checksum = _checksum(asdict(person), self.create_users)
        author = record.target(Author)
        if author is not None and (record.unchanged(checksum) or record.adopted):
            self.authors[person.login] = author
            return "unchanged"
        slug = slugify(person.login) or slugify(person.display_name) or "author"
        if author is None and (existing := Author.objects.filter(slug=slug).first()):
            self.authors[person.login] = existing
            return record.adopt(existing, f"author {person.login}")
        fresh = author is None
        author = author or Author(slug=slug)
        author.display_name = (
            html.unescape(person.display_name).strip()
            or " ".join(p for p in (person.first_name, person.last_name) if p)
            or person.login
        )[:120]
        if self.create_users and author.user_id is None:
            author.user = self._user(person)
        author.full_clean()
        author.save()
        record.save(author.pk, checksum)
        self.authors[person.login] = author
        return "imported" if fresh else "updated"

    def _user(self, person: wxr.Author):
        """A login for the author, without a usable password: they choose one through
        "Forgotten your password?" (an address is needed for that)."""
        User = get_user_model()
        username = person.login[:150]
        if User.objects.filter(username=username).exists():
            self.report.note(
                f"author {person.login}: a login with that name exists already; "
                "it was not linked (link it on the author's page if it is theirs)."
            )
            return None
        user = User(
            username=username,
            email=person.email,
            first_name=person.first_name[:150],
            last_name=person.last_name[:150],
            is_staff=True,
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
        if writers := Group.objects.filter(name="Writer").first():
            user.groups.add(writers)
        return user

    def _section(self, term: wxr.Term, record: "_Record") -> str:
        checksum = _checksum(asdict(term))
        section = record.target(Category)
        chain = self._chain(term)
        if section is not None and (record.unchanged(checksum) or record.adopted):
            self.sections[term.slug] = section
            return "unchanged"
        parent = self.sections.get(chain[0]) if len(chain) > 1 else None
        if len(chain) > 2:
            self.report.note(
                f"section {term.slug}: nested {len(chain) - 1} deep on WordPress "
                f"({' › '.join(chain)}); sections nest one level here, so it is "
                f"under {chain[0]}."
            )
        if section is None:
            slug = _section_slug(term.slug, self.report)
            if existing := Category.objects.filter(slug=slug).first():
                self._category_address(chain, existing)
                self.sections[term.slug] = existing
                return record.adopt(existing, f"section {term.slug}")
        fresh = section is None
        section = section or Category(slug=slug)
        section.name = html.unescape(term.name).strip()[:80] or term.slug
        section.description = html.unescape(term.description).strip()
        if section.parent_id is None and parent is not None and parent.pk != section.pk:
            section.parent = parent
        section.full_clean()
        section.save()
        self._category_address(chain, section)
        record.save(section.pk, checksum)
        self.sections[term.slug] = section
        return "imported" if fresh else "updated"

    @staticmethod
    def _category_address(chain: list[str], section: Category) -> None:
        OldAddress.objects.update_or_create(
            path=f"/category/{'/'.join(chain)}/",
            defaults={"category": section, "article": None},
        )

    def _chain(self, term: wxr.Term) -> list[str]:
        """The slugs from the top-level category down to ``term``."""
        parents = {
            t.slug: t.parent for t in self.export.terms if t.taxonomy == "category"
        }
        chain = [term.slug]
        while (parent := parents.get(chain[0])) and parent not in chain:
            chain.insert(0, parent)
        return chain

    def _tag(self, term: wxr.Term, record: "_Record") -> str:
        checksum = _checksum(asdict(term))
        tag = record.target(Tag)
        if tag is not None and (record.unchanged(checksum) or record.adopted):
            self.tags[term.slug] = tag
            return "unchanged"
        name = html.unescape(term.name).strip()[:60] or term.slug
        slug = _slug(term.slug, name)[:80]
        if tag is None and (
            existing := Tag.objects.filter(Q(slug=slug) | Q(name=name)).first()
        ):
            self.tags[term.slug] = existing
            return record.adopt(existing)
        fresh = tag is None
        tag = tag or Tag(slug=slug)
        tag.name = name
        tag.full_clean()
        tag.save()
        record.save(tag.pk, checksum)
        self.tags[term.slug] = tag
        return "imported" if fresh else "updated"

    # --- Images -----------------------------------------------------------------

    def _attachment(self, item: wxr.Item, record: "_Record") -> str:
        upload_path = item.meta.get("_wp_attached_file") or _upload_path(
            item.attachment_url
        )
        alt = html.unescape(item.meta.get("_wp_attachment_image_alt", "")).strip()
        caption = _plain(item.excerpt)
        self.by_upload_path[upload_path] = item.post_id
        found = self._media_file(upload_path)
        data = found.read_bytes() if found else b""
        checksum = _checksum(
            upload_path, alt, caption, hashlib.sha256(data).hexdigest()
        )
        if record.found and record.unchanged(checksum) and record.found.stored_name:
            self.files[item.post_id] = (record.found.stored_name, alt, caption)
            return "unchanged"
        if found is None:
            self.report.missing_files.append(upload_path)
            self.files[item.post_id] = ("", alt, caption)
            record.save(None, "", stored_name="")  # a later run with the file brings it
            return "skipped"
        accepted = accept_image(ContentFile(data, name=posixpath.basename(upload_path)))
        folder = posixpath.dirname(upload_path).strip("/")
        name = (
            f"imported/{folder}/{accepted.name}"
            if folder
            else f"imported/{accepted.name}"
        )
        stored = name if self.dry_run else default_storage.save(name, accepted)
        self.files[item.post_id] = (stored, alt, caption)
        fresh = record.found is None or not record.found.stored_name
        record.save(None, checksum, stored_name=stored)
        return "imported" if fresh else "updated"

    def _media_file(self, upload_path: str) -> Path | None:
        if not self.media_dir or not upload_path:
            return None
        path = (self.media_dir / upload_path).resolve()
        root = self.media_dir.resolve()
        if root not in path.parents or not path.is_file():
            return None
        return path

    def _image_url(self, src: str) -> str | None:
        """The address of an imported image for one in a post (a resized copy, such
        as ``x-300x200.jpg``, is its original)."""
        if src.startswith(settings.MEDIA_URL):
            return src  # already ours: an attachment of a gallery or caption
        upload_path = _upload_path(src)
        post_id = self.by_upload_path.get(upload_path) or self.by_upload_path.get(
            SIZED_COPY.sub("", upload_path)
        )
        stored = self.files.get(post_id, ("",))[0] if post_id else ""
        if not stored:
            return None
        return default_storage.url(stored)

    def _gallery_image(self, post_id: int) -> Attachment | None:
        stored, alt, caption = self.files.get(post_id, ("", "", ""))
        if not stored:
            return None
        return Attachment(url=default_storage.url(stored), alt=alt, caption=caption)

    # --- Posts ----------------------------------------------------------------------

    def _post(self, item: wxr.Item, record: "_Record") -> str:
        name = _describe("articles", item)
        if item.status == "trash" or item.status not in STATUSES:
            self.report.note(f"{name}: {item.status} on WordPress: skipped.")
            return "skipped"
        if not _plain(item.content) and "<img" not in item.content:
            self.report.note(f"{name}: has no text: skipped.")
            return "skipped"
        thumbnail = _int(item.meta.get("_thumbnail_id"))
        checksum = _checksum(
            {k: v for k, v in asdict(item).items() if k != "comments"},
            self.files.get(thumbnail),
        )
        article = record.target(Article)
        if article is not None and record.unchanged(checksum):
            self.articles[item.post_id] = article
            return "unchanged"
        if article is not None and record.edited_here(article):
            raise _Conflict(
                "changed here since it was imported, so it was left as it is "
                f"(see its history); the export has a newer version of post {item.post_id}."
            )
        fresh = article is None
        article = article or Article()
        notes = []
        section = self._post_section(item, notes)
        converted = to_markdown(
            item.content,
            image_url=self._image_url,
            attachment=self._gallery_image,
        )
        # The words a reader sees, for a title or standfirst WordPress left empty:
        # those before the "more" tag, where there is one.
        opening, more, _ = item.content.partition("<!--more-->")
        teaser = to_markdown(opening).markdown if more else converted.markdown
        words = _plain(render(teaser).html)
        title = self._title(item, words, notes)
        notes += converted.problems
        article.title = title
        article.category = section
        article.slug = self._free_slug(item, title, section, article, notes)
        article.standfirst = self._standfirst(item, words)
        article.body, waiting = self._relink(converted.markdown, article)
        if waiting:
            self.waiting.append(item.post_id)
        article.is_featured = item.sticky
        status, published_at = self._state(item, notes)
        if fresh:
            article.status, article.published_at = status, published_at
        elif article.status != status:
            notes.append(
                f"is {article.get_status_display().lower()} here and {item.status} on "
                "WordPress: its state was left as it is."
            )
        if (
            item.modified_gmt
            and published_at
            and item.modified_gmt.date() > published_at.date()
        ):
            article.updated_at = item.modified_gmt
        self._hero(article, thumbnail, notes)
        authors = [self.authors[item.creator]] if item.creator in self.authors else []
        tags = [
            self.tags[t.slug]
            for t in item.categories
            if t.taxonomy == "post_tag" and t.slug in self.tags
        ]

        def save_parts():
            article.tags.set(tags)
            if authors:
                if not fresh:
                    ArticleAuthor.objects.filter(article=article).delete()
                ArticleAuthor.objects.bulk_create(
                    ArticleAuthor(article=article, author=author, position=position)
                    for position, author in enumerate(authors)
                )

        article.full_clean()
        save_article(
            article,
            by=None,
            save_parts=save_parts,
            comment=lambda: (
                f"Imported from WordPress ({self.source}, post {item.post_id})"
            ),
            checked=True,
        )
        if fresh and status == Article.Status.PUBLISHED:
            ArticleTransition.objects.create(
                article=article,
                from_status=Article.Status.DRAFT,
                to_status=status,
                at=min(published_at, timezone.now()),
                comment=f"Imported from WordPress, where it was {item.status}.",
                publish_at=published_at,
            )
        self._old_addresses(item, article, notes)
        record.save(article.pk, checksum)
        self.articles[item.post_id] = article
        self.report.notes += [f"{name}: {note}" for note in notes]
        return "imported" if fresh else "updated"

    def _post_section(self, item: wxr.Item, notes: list[str]) -> Category:
        slugs = [
            t.slug
            for t in item.categories
            if t.taxonomy == "category" and t.slug in self.sections
        ]
        primary = _int(item.meta.get("_yoast_wp_seo_primary_category"))
        for term in self.export.terms:
            if term.id is not None and term.id == primary and term.slug in slugs:
                slugs.remove(term.slug)
                slugs.insert(0, term.slug)
        if not slugs:
            section, _ = Category.objects.get_or_create(
                slug="uncategorised", defaults={"name": "Uncategorised"}
            )
            notes.append("has no category: filed under Uncategorised.")
            return section
        if len(slugs) > 1:
            notes.append(
                f"is in {len(slugs)} categories; an article has one section here, so "
                f"it is in {slugs[0]} (also in: {', '.join(slugs[1:])})."
            )
        return self.sections[slugs[0]]

    def _title(self, item: wxr.Item, text: str, notes: list[str]) -> str:
        title = _plain(item.title)
        if not title:
            words = text.split()
            title = Truncator(" ".join(words)).words(8, truncate="…") if words else ""
            title = title or f"Untitled post {item.post_id}"
            notes.append(f"has no title: it is now “{title}”.")
        limit = Article._meta.get_field("title").max_length
        if len(title) > limit:
            notes.append(f"title longer than {limit} characters: shortened.")
            title = Truncator(title).chars(limit, truncate="…")
        return title

    def _free_slug(self, item, title, section, article, notes) -> str:
        wanted = _slug(item.slug, title)[:200] or f"post-{item.post_id}"
        taken = Article.objects.filter(category=section).exclude(pk=article.pk)
        slug, n = wanted, 1
        while taken.filter(slug=slug).exists():
            n += 1
            slug = f"{wanted[: 200 - len(str(n)) - 1]}-{n}"
        if slug != wanted:
            notes.append(
                f"the address {section.slug}/{wanted}/ is taken: it is {section.slug}/{slug}/."
            )
        return slug

    def _standfirst(self, item: wxr.Item, text: str) -> str:
        limit = Article._meta.get_field("standfirst").max_length
        text = _plain(item.excerpt) or text
        return Truncator(" ".join(text.split())).chars(min(limit, 300), truncate="…")

    def _state(self, item: wxr.Item, notes: list[str]):
        when = item.date_gmt or (timezone.make_aware(item.date) if item.date else None)
        status = STATUSES[item.status]
        if item.password:
            status = Article.Status.DRAFT
            notes.append(
                "password-protected on WordPress: imported as a draft, so it stays private."
            )
        elif item.status == "private":
            notes.append("private on WordPress: imported as a draft.")
        if status == Article.Status.PUBLISHED:
            when = when or timezone.now()
            if item.status == "publish" and when > timezone.now():
                when = timezone.now()
        return status, when if status == Article.Status.PUBLISHED else None

    def _hero(self, article: Article, thumbnail: int | None, notes: list[str]) -> None:
        if not thumbnail:
            return
        stored, alt, caption = self.files.get(thumbnail, ("", "", ""))
        if not stored:
            notes.append(
                f"its featured image (attachment {thumbnail}) was not imported."
            )
            return
        if not alt:
            alt = caption or Path(stored).stem.replace("-", " ")
            notes.append(
                f"its featured image has no alt text: “{alt}” is a guess to check."
            )
        if self.dry_run:
            return  # no file was stored to point at
        if article.hero_image.name != stored:
            article.hero_image = stored
            with default_storage.open(stored) as file:
                article.hero_width, article.hero_height = get_image_dimensions(file)
        article.hero_alt, article.hero_caption = alt[:250], caption[:250]

    def _post_paths(self, item: wxr.Item) -> set[str]:
        """The post's addresses on the old site: ``/?p=ID``, its permalink and GUID."""
        paths = {f"/?p={item.post_id}"}
        for url in (item.link, item.guid):
            path = self._old_path(url)
            if (
                path
                and path != "/"
                and (
                    not path.startswith("/?") or path.startswith(("/?p=", "/?page_id="))
                )
            ):
                paths.add(path)
        return paths

    def _old_addresses(self, item: wxr.Item, article: Article, notes) -> None:
        for path in sorted(self._post_paths(item)):
            old, created = OldAddress.objects.get_or_create(
                path=normalise_path(path), defaults={"article": article}
            )
            if not created and old.article_id != article.pk:
                notes.append(
                    f"its old address {path} leads to another imported article."
                )

    def _linked_first(self, posts: list[wxr.Item]) -> list[wxr.Item]:
        """Posts in an order where those linked to come before those linking to them
        (as far as no cycle prevents it), so most links are references at once."""
        by_id = {post.post_id: post for post in posts}
        ordered, seen = [], set()
        oldest_first = sorted(
            posts, key=lambda p: (p.date_gmt is None, p.date_gmt or 0, p.post_id)
        )
        for post in oldest_first:
            stack = [(post, False)]
            while stack:
                current, done = stack.pop()
                if done:
                    ordered.append(current)
                    continue
                if current.post_id in seen:
                    continue
                seen.add(current.post_id)
                stack.append((current, True))
                for url in HREF.findall(current.content):
                    path = self._old_path(html.unescape(url))
                    target = self.addresses.get(normalise_path(path)) if path else None
                    if target in by_id and target not in seen:
                        stack.append((by_id[target], False))
        return ordered

    def _old_path(self, url: str) -> str | None:
        """The path (with WordPress's ``?p=``) of an address on the old site."""
        parts = urlsplit(url)
        ours = parts.hostname in self.hosts if parts.netloc else url.startswith("/")
        if not ours or not parts.path:
            return None
        query = parts.query if parts.query.startswith(("p=", "page_id=")) else ""
        return unquote(parts.path) + (f"?{query}" if query else "")

    def _relink(self, body: str, article: Article) -> tuple[str, bool]:
        """``body`` with its links to other imported posts as references
        ([[article:N|words]]), which follow the article wherever it moves; and
        whether it still links to a post of this export not yet imported."""
        waiting = False

        def relink(m):
            nonlocal waiting
            path = self._old_path(m["url"])
            if path is None:
                return m[0]
            post_id = self.addresses.get(normalise_path(path))
            if post_id is not None:  # a post of this export
                target = self.articles.get(post_id)
                waiting = waiting or target is None
                target_id = target.pk if target else None
            else:  # perhaps one imported before
                old = OldAddress.objects.leading(path)
                target_id = old.article_id if old else None
            if target_id is None or target_id == article.pk:
                return m[0]
            return f"[[article:{target_id}|{m['words']}]]"

        return LINK.sub(relink, body), waiting

    def _link_between_articles(self) -> None:
        """Second pass, for posts linking to a post imported after them (a cycle)."""
        for post_id in self.waiting:
            article = self.articles[post_id]
            body, _ = self._relink(article.body, article)
            if body == article.body:
                continue
            try:
                with transaction.atomic():
                    article.body = body
                    save_article(
                        article,
                        by=None,
                        checked=True,
                        comment=lambda: "Links to other imported articles",
                    )
                    # Our own change, not an editor's (see _Record.edited_here).
                    ImportedItem.objects.filter(
                        source=self.source, kind=Kind.POST, source_id=str(post_id)
                    ).update(imported_at=timezone.now())
            except ITEM_ERRORS as error:
                self.report.note(
                    f"post {post_id}: its links to other posts stay addresses: "
                    f"{_reason(error)}"
                )


@dataclass
class _Record:
    """The ``ImportedItem`` of one item, found or to be made."""

    run: WordPressImport
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


def _parents_first(terms: list[wxr.Term]) -> list[wxr.Term]:
    by_slug = {t.slug: t for t in terms}

    def depth(term, seen=()):
        parent = by_slug.get(term.parent)
        return (
            0
            if parent is None or parent.slug in seen
            else 1 + depth(parent, (*seen, term.slug))
        )

    return sorted(terms, key=depth)


def _section_slug(slug: str, report: Report) -> str:
    slug = _slug(slug, slug)[:80] or "section"
    try:
        validate_section_slug(slug)
    except ValidationError:
        report.note(
            f"section {slug}: /{slug}/ is one of the site's own addresses, so it is {slug}-section."
        )
        slug = f"{slug}-section"
    return slug


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
