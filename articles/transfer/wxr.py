"""Reads a WordPress export (WXR 1.0, 1.1 or 1.2) into plain dataclasses for the
importer, which then never touches XML.

Exports are untrusted uploads: defusedxml parses them and refuses any DTD or entity
(the "billion laughs" and external-entity attacks); WordPress never writes either.
The file is streamed item by item, so a large export is never one big tree.
"""

import os
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.utils.text import slugify

VERSIONS = ("1.0", "1.1", "1.2")
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
# wp: is http://wordpress.org/export/1.2/ and excerpt: …/1.2/excerpt/ (1.0, 1.1 alike).
_WORDPRESS = re.compile(r"https?://wordpress\.org/export/([^/]*)/(excerpt/)?")
_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
_ZERO_DATE = "0000-00-00 00:00:00"  # MySQL's "no date": drafts' post_date_gmt
# Each term element's taxonomy (wp:term names its own) and the names of its slug, name,
# parent (by slug; by name in WXR 1.0) and description.
_TERM_FIELDS = {
    "wp:category": (
        "category",
        "category_nicename",
        "cat_name",
        "category_parent",
        "category_description",
    ),
    "wp:tag": ("post_tag", "tag_slug", "tag_name", "", "tag_description"),
    "wp:term": ("", "term_slug", "term_name", "term_parent", "term_description"),
}


class WXRError(Exception):
    """A file that is not a WXR export we can read; its message says why."""


@dataclass(frozen=True)
class Author:
    login: str
    display_name: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Term:
    taxonomy: str  # "category", "post_tag", or another taxonomy
    slug: str  # percent-decoded (WordPress stores unicode slugs percent-encoded)
    name: str
    parent: str = ""  # the parent's slug (decoded), "" at the top
    description: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Comment:
    id: int
    author: str
    date_gmt: datetime | None
    content: str
    approved: str  # "1", "0", "trash", "spam"
    parent: int = 0
    type: str = ""  # "" (or "comment") for a reader's comment, "pingback", …
    author_email: str = ""
    author_url: str = ""


@dataclass
class Item:
    post_id: int
    post_type: str
    status: str
    title: str  # as written, HTML entities included (WordPress titles are HTML)
    slug: str  # the decoded post_name; "" for drafts never saved with one
    guid: str
    link: str
    creator: str  # the author's login (WXR 1.0: the display name)
    content: str
    excerpt: str
    date_gmt: datetime | None  # aware UTC; None for "0000-00-00 00:00:00"
    date: datetime | None  # naive local post_date (for when date_gmt is missing)
    modified_gmt: datetime | None
    parent: int
    menu_order: int
    sticky: bool
    password: str
    # The export's own term (with parent and id) where it lists it.
    categories: list[Term]
    meta: dict[str, str]  # wp:postmeta, last value wins
    attachment_url: str
    comments: list[Comment]
    comment_status: str = ""


@dataclass
class Export:
    version: str  # "1.0" | "1.1" | "1.2"
    title: str
    link: str
    base_site_url: str
    base_blog_url: str
    authors: list[Author]  # wp:author, plus any dc:creator not listed
    terms: list[Term]  # wp:category, wp:tag, wp:term, in file order
    items: list[Item]
    # Items (or comments, terms, authors) that could not be read and were left out.
    problems: list[str] = field(default_factory=list)


class _Skip(Exception):
    """Why one item (or comment) cannot be read; it is left out and reported."""


def read(source) -> Export:
    """The export at ``source`` (a path or a binary file object); raises WXRError."""
    name = _name(source)
    try:
        if isinstance(source, str | os.PathLike):
            with open(source, "rb") as file:
                return _Reader(name).read(file)
        return _Reader(name).read(source)
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        code = getattr(error, "code", None)
        reason = ErrorString(code) if code else str(error)
        raise WXRError(
            f"{name} is not well-formed XML ({reason} at line {line}, "
            f"column {column + 1}); is it the file WordPress exported, complete?"
        ) from None
    except DefusedXmlException:
        raise WXRError(
            f"{name} holds a DTD or entity declarations (<!DOCTYPE …>, <!ENTITY …>), "
            "which a WordPress export never has; it is refused for safety."
        ) from None
    except OSError as error:
        raise WXRError(f"Cannot read {name}: {error.strerror or error}.") from None


def _name(source) -> str:
    """The file's name for messages."""
    if not isinstance(source, str | os.PathLike):
        source = getattr(source, "name", None)
    return Path(source).name if isinstance(source, str | os.PathLike) else "The file"


def _check_start(file, name: str) -> None:
    """Refuse a file with text before its XML declaration, often a PHP warning that
    the exporting site printed into the download: expat would only say "junk"."""
    if not getattr(file, "seekable", lambda: False)():
        return
    start = file.tell()
    head = file.read(8192)
    file.seek(start)
    declaration = head.find(b"<?xml") if isinstance(head, bytes) else -1
    if declaration > 0 and head[:declaration].strip(b"\xef\xbb\xbf \t\r\n"):
        line = head[:declaration].count(b"\n") + 1
        raise WXRError(
            f"{name} has text before its XML declaration (<?xml, on line {line}), "
            "often a PHP warning the old site printed into the export: delete the "
            "lines before it and try again."
        )


def _text(found: dict, key: str) -> str:
    """The first ``key`` child's text as written (CDATA whitespace kept), or ""."""
    elements = found.get(key)
    return (elements[0].text or "") if elements else ""


def _number(found: dict, key: str) -> int | None:
    text = _text(found, key).strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _date(found: dict, key: str) -> datetime | None:
    """``key``'s "YYYY-MM-DD HH:MM:SS", naive; None when empty or MySQL's zero date."""
    text = _text(found, key).strip()
    if not text or text == _ZERO_DATE:
        return None
    try:
        return datetime.strptime(text, _DATE_FORMAT)
    except ValueError:
        raise _Skip(
            f'{key.removeprefix("wp:")} "{text}" is not a date (YYYY-MM-DD HH:MM:SS)'
        ) from None


def _utc(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment else None


class _Reader:
    def __init__(self, name: str):
        self.name = name
        self.version = ""
        self.channel: dict[str, str] = {}
        self.authors: list[Author] = []
        self.terms: list[Term] = []
        self.items: list[Item] = []
        self.problems: list[str] = []
        self.has_channel = False

    def read(self, file) -> Export:
        _check_start(file, self.name)
        stack = []
        for event, element in iterparse(file, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                if not stack and element.tag != "rss":
                    local = element.tag.rpartition("}")[2]
                    raise WXRError(
                        f"{self.name} is XML but not a WordPress export: it starts "
                        f"with <{local}>, where an export starts with <rss>."
                    )
                stack.append(element)
                self.has_channel |= len(stack) == 2 and element.tag == "channel"
                continue
            stack.pop()
            if len(stack) == 2 and stack[1].tag == "channel":
                self.channel_child(element)
                stack[1].remove(element)  # read: let it go
        return self.finish()

    def key(self, tag: str) -> str:
        """A tag as "wp:post_id", "content:encoded", "title"…, whatever the version."""
        uri, _, local = tag[1:].rpartition("}") if tag[:1] == "{" else ("", "", tag)
        if not uri:
            return local
        if uri == CONTENT:
            return f"content:{local}"
        if uri == DC:
            return f"dc:{local}"
        found = _WORDPRESS.fullmatch(uri)
        if not found:
            return f"{{{uri}}}{local}"  # another plugin's namespace: not read
        if found.group(2):
            return f"excerpt:{local}"
        if not self.version:
            if found.group(1) not in VERSIONS:
                raise WXRError(
                    f"{self.name} is a WordPress export in WXR version "
                    f"{found.group(1) or '(none)'}, which this importer does not "
                    f"know; it reads versions {', '.join(VERSIONS)}."
                )
            self.version = found.group(1)
        return f"wp:{local}"

    def children(self, element) -> dict[str, list]:
        found: dict[str, list] = {}
        for child in element:
            found.setdefault(self.key(child.tag), []).append(child)
        return found

    def channel_child(self, element) -> None:
        key = self.key(element.tag)
        if key == "item":
            self.item(element)
        elif key == "wp:author":
            self.author(element)
        elif key in ("wp:category", "wp:tag", "wp:term"):
            self.term(key, element)
        elif key in ("title", "link", "wp:base_site_url", "wp:base_blog_url"):
            self.channel[key] = (element.text or "").strip()

    def author(self, element) -> None:
        found = self.children(element)
        login = _text(found, "wp:author_login").strip()
        if not login:
            self.problems.append("An author without a login was left out.")
            return
        self.authors.append(
            Author(
                login=login,
                display_name=_text(found, "wp:author_display_name").strip() or login,
                email=_text(found, "wp:author_email").strip(),
                first_name=_text(found, "wp:author_first_name").strip(),
                last_name=_text(found, "wp:author_last_name").strip(),
                id=_number(found, "wp:author_id"),
            )
        )

    def term(self, key: str, element) -> None:
        found = self.children(element)
        taxonomy, *fields = _TERM_FIELDS[key]
        slug, name, parent, description = (
            _text(found, f"wp:{field}") if field else "" for field in fields
        )
        term = Term(
            taxonomy=taxonomy or _text(found, "wp:term_taxonomy").strip(),
            slug=unquote(slug.strip()),
            name=name,
            parent=unquote(parent.strip()),
            description=description,
            id=_number(found, "wp:term_id"),
        )
        if not term.slug or not term.taxonomy:
            self.problems.append(
                f"A {key.removeprefix('wp:')} without a slug or taxonomy "
                f'("{term.name}") was left out.'
            )
            return
        self.terms.append(term)

    def item(self, element) -> None:
        found = self.children(element)
        title = _text(found, "title")
        label = f'"{title}"' if title.strip() else "(no title)"
        post_id = _text(found, "wp:post_id").strip()
        if not (post_id.isascii() and post_id.isdigit()):
            why = f'post_id "{post_id}" is not a number' if post_id else "no post_id"
            self.problems.append(f"Item {label}: {why}; it was left out.")
            return
        try:
            date = _date(found, "wp:post_date")
            date_gmt = _utc(_date(found, "wp:post_date_gmt"))
            modified_gmt = _utc(_date(found, "wp:post_modified_gmt"))
        except _Skip as why:
            self.problems.append(f"Item {post_id} {label}: {why}; it was left out.")
            return
        meta = {}
        for entry in found.get("wp:postmeta", []):
            entry_found = self.children(entry)
            meta[_text(entry_found, "wp:meta_key").strip()] = _text(
                entry_found, "wp:meta_value"
            )
        self.items.append(
            Item(
                post_id=int(post_id),
                post_type=_text(found, "wp:post_type").strip(),
                status=_text(found, "wp:status").strip(),
                title=title,
                slug=unquote(_text(found, "wp:post_name").strip()),
                guid=_text(found, "guid").strip(),
                link=_text(found, "link").strip(),
                creator=_text(found, "dc:creator").strip(),
                content=_text(found, "content:encoded"),
                excerpt=_text(found, "excerpt:encoded"),
                date_gmt=date_gmt,
                date=date,
                modified_gmt=modified_gmt,
                parent=_number(found, "wp:post_parent") or 0,
                menu_order=_number(found, "wp:menu_order") or 0,
                sticky=_text(found, "wp:is_sticky").strip() == "1",
                password=_text(found, "wp:post_password"),
                categories=self.item_terms(found.get("category", [])),
                meta=meta,
                attachment_url=_text(found, "wp:attachment_url").strip(),
                comments=self.comments(found.get("wp:comment", []), post_id, label),
                comment_status=_text(found, "wp:comment_status").strip(),
            )
        )

    def item_terms(self, elements) -> list[Term]:
        """The item's <category domain=… nicename=…> terms. WXR 1.0 also repeats each
        without nicename (and tags as domain="tag"), which is kept only when alone;
        its slug ("") is found by name in ``finish``."""
        terms = []
        for element in elements:
            taxonomy = element.get("domain") or "category"
            taxonomy = "post_tag" if taxonomy == "tag" else taxonomy
            name = element.text or ""
            terms.append(Term(taxonomy, unquote(element.get("nicename") or ""), name))
        named = {(term.taxonomy, term.name) for term in terms if term.slug}
        return [
            term
            for term in terms
            if term.slug or (term.taxonomy, term.name) not in named
        ]

    def comments(self, elements, post_id: str, label: str) -> list[Comment]:
        comments = []
        for element in elements:
            found = self.children(element)
            number = _number(found, "wp:comment_id")
            try:
                if number is None:
                    raise _Skip("a comment without a valid comment_id")
                date_gmt = _utc(_date(found, "wp:comment_date_gmt"))
            except _Skip as why:
                self.problems.append(
                    f"Item {post_id} {label}: {why}; the comment was left out."
                )
                continue
            comments.append(
                Comment(
                    id=number,
                    author=_text(found, "wp:comment_author"),
                    date_gmt=date_gmt,
                    content=_text(found, "wp:comment_content"),
                    approved=_text(found, "wp:comment_approved").strip(),
                    parent=_number(found, "wp:comment_parent") or 0,
                    type=_text(found, "wp:comment_type").strip(),
                    author_email=_text(found, "wp:comment_author_email").strip(),
                    author_url=_text(found, "wp:comment_author_url").strip(),
                )
            )
        return comments

    def finish(self) -> Export:
        if not self.has_channel:
            raise WXRError(
                f"{self.name} is XML but not a WordPress export: its <rss> has no "
                "<channel>."
            )
        if not self.version:
            raise WXRError(
                f"{self.name} is an RSS feed, not a WordPress export: it has no wp: "
                "elements (export from Tools → Export in WordPress's admin)."
            )
        self.terms = _with_parent_slugs(self.terms)
        by_slug = {(term.taxonomy, term.slug): term for term in self.terms}
        by_name = {(term.taxonomy, term.name): term for term in self.terms}
        listed = {author.login for author in self.authors}
        for item in self.items:
            terms = {}
            for term in item.categories:
                known = by_slug.get((term.taxonomy, term.slug)) or (
                    None if term.slug else by_name.get((term.taxonomy, term.name))
                )
                if not known and not term.slug:
                    known = replace(term, slug=slugify(term.name, allow_unicode=True))
                known = known or term
                terms.setdefault((known.taxonomy, known.slug), known)
            item.categories = list(terms.values())
            if item.creator and item.creator not in listed:
                listed.add(item.creator)
                self.authors.append(Author(item.creator, item.creator))
        return Export(
            version=self.version,
            title=self.channel.get("title", ""),
            link=self.channel.get("link", ""),
            base_site_url=self.channel.get("wp:base_site_url", ""),
            base_blog_url=self.channel.get("wp:base_blog_url", ""),
            authors=self.authors,
            terms=self.terms,
            items=self.items,
            problems=self.problems,
        )


def _with_parent_slugs(terms: list[Term]) -> list[Term]:
    """WXR 1.0 names a category's parent by its name; later versions by its slug."""
    slugs = {(term.taxonomy, term.slug) for term in terms}
    names = {(term.taxonomy, term.name): term.slug for term in terms}
    return [
        replace(term, parent=names.get((term.taxonomy, term.parent), term.parent))
        if term.parent and (term.taxonomy, term.parent) not in slugs
        else term
        for term in terms
    ]
