"""Links typed as addresses of this site: to an article they become references.

``[our guide](/baby-health/heat-rash/)``, ``<https://www.example.com/…>``, a reference
style link or an ``<a href>`` to one of this site's articles is rewritten, when the
text is saved, as ``[[article:<id>|words]]``: the link then follows the article when
it moves and is left out while the article is not public, like any other reference.
A site address that leads nowhere (no article, no page) is refused, naming it.
"""

import html
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse

from cms.markdown import render

# Links to public pages other than articles, and the lookup that says they exist.
OTHER_PAGES = {
    "articles:category": ("articles", "Category", "slug"),
    "articles:tag": ("articles", "Tag", "slug"),
    "articles:author": ("articles", "Author", "slug"),
    "experts:detail": ("experts", "Expert", "slug"),
}
FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.M | re.S)
BACKTICKS = re.compile(r"`+")
INLINE = re.compile(
    r"(?<!!)\[(?P<words>[^\[\]]*)\]\(\s*<?(?P<url>[^()\s<>]+)>?"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)
AUTOLINK = re.compile(r"<(?P<url>https?://[^<>\s]+)>")
# Neither a tag nor its words run past the next tag's start, so a search is linear
# in the text ("<a " typed 60,000 times took 40 seconds).
ANCHOR = re.compile(
    r"<a\s[^<>]*?href\s*=\s*[\"'](?P<url>[^\"']+)[\"'][^<>]*>"
    r"(?P<words>(?:(?!<a\s|</a\s*>).)*)</a\s*>",
    re.I | re.S,
)
DEFINITION = re.compile(
    r"^ {0,3}\[(?P<label>[^\]]+)\]:[ \t]*<?(?P<url>[^\s<>]+)>?(?:[ \t]+.*)?$\n?", re.M
)
# [words][label], [label][] and [label], but not a link or a definition.
REFERENCE_USE = re.compile(
    r"\[(?P<words>[^\[\]]+)\]\s?\[(?P<label>[^\[\]]*)\]|\[(?P<only>[^\[\]]+)\](?![(:\[])"
)
HREF = re.compile(r'<a\s[^>]*?href="(?P<url>[^"]*)"')
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Target:
    """Where a site address leads: an article's id, another page, or nowhere."""

    article_id: int | None = None
    is_page: bool = False


def site_path(url: str) -> str | None:
    """The path of ``url`` when it is an address on this site, else None."""
    parts = urlsplit(url.strip())
    if parts.scheme and parts.scheme not in {"http", "https"}:
        return None
    if parts.netloc:
        if not _is_site_host(parts.hostname or ""):
            return None
    elif parts.scheme or not parts.path.startswith("/"):
        return None  # relative ("page/") or scheme without host: not ours to judge
    return unquote(parts.path or "/")


def _is_site_host(host: str) -> bool:
    for allowed in settings.ALLOWED_HOSTS:
        allowed = allowed.lower()
        if allowed == "*":
            continue
        if host == allowed or (allowed.startswith(".") and host.endswith(allowed)):
            return True
    return False


def target_of(path: str) -> Target:
    """Where a path of this site leads (old addresses of an article included)."""
    from django.apps import apps

    from .models import ArticlePath, OldAddress

    if path.startswith((settings.MEDIA_URL, settings.STATIC_URL)):
        return Target(is_page=True)  # a file: served by storage, not by a view
    try:
        match = resolve(path)
    except Resolver404:
        # An address from before the move (a WordPress permalink) leads on.
        old = OldAddress.objects.leading(path)
        if old is None:
            return Target()
        return Target(article_id=old.article_id, is_page=bool(old.category_id))
    if match.view_name == "articles:detail":
        found = ArticlePath.objects.filter(
            category_slug=match.kwargs["category_slug"], slug=match.kwargs["slug"]
        ).first()
        return Target(article_id=found.article_id if found else None)
    if match.view_name in OTHER_PAGES:
        app, model, field = OTHER_PAGES[match.view_name]
        lookup = {field: match.kwargs[field]}
        return Target(
            is_page=apps.get_model(app, model).objects.filter(**lookup).exists()
        )
    # Other public pages (home, search, feeds, experts' index) exist; the admin and
    # previews are not for readers.
    return Target(
        is_page=not path.startswith(
            (reverse("admin:index"), "/preview/", "/markdownx/")
        )
    )


def link_articles(text: str) -> tuple[str, list[str]]:
    """``text`` with every link to one of this site's articles written as a reference,
    and what is wrong with its other site addresses, one message each."""
    targets: dict[str, Target | None] = {}

    def article_id(url: str) -> int | None:
        if url not in targets:
            path = site_path(url)
            parts = urlsplit(url)
            # A part of a page (#section, ?query) is kept as typed.
            keep = path is None or parts.fragment or parts.query
            targets[url] = None if keep else target_of(path)
        found = targets[url]
        return found.article_id if found else None

    def as_reference(words: str, url: str, original: str) -> str:
        pk = article_id(url)
        if pk is None:
            return original
        words = " ".join(TAG.sub("", words).replace("]", ")").split())
        return f"[[article:{pk}|{words}]]" if words else f"[[article:{pk}]]"

    labels = {
        m["label"].strip().lower(): m["url"]
        for m in DEFINITION.finditer(text or "")
        if article_id(m["url"]) is not None
    }

    def used_label(m: re.Match) -> str:
        words = m["words"] or m["only"]
        label = (m["label"] or words).strip().lower()
        return as_reference(words, labels[label], m[0]) if label in labels else m[0]

    def rewrite(chunk: str) -> str:
        if labels:
            chunk = DEFINITION.sub(
                lambda m: "" if m["label"].strip().lower() in labels else m[0], chunk
            )
            chunk = REFERENCE_USE.sub(used_label, chunk)
        chunk = INLINE.sub(lambda m: as_reference(m["words"], m["url"], m[0]), chunk)
        chunk = AUTOLINK.sub(lambda m: as_reference("", m["url"], m[0]), chunk)
        return ANCHOR.sub(lambda m: as_reference(m["words"], m["url"], m[0]), chunk)

    rewritten = _outside_code(text or "", rewrite)
    problems, seen = [], set()
    for m in HREF.finditer(render(rewritten).html):
        url = html.unescape(m["url"])
        if url in seen:  # one message per address, found once
            continue
        seen.add(url)
        pk = article_id(url)
        found = targets.get(url)
        line = _line_of(rewritten, url)
        if pk is not None:
            problems.append(
                f"{line}The link to {url} could not be turned into a link that "
                f"follows the article: write it as [[article:{pk}|your words]]."
            )
        elif found is not None and not found.is_page:
            problems.append(
                f"{line}{url} is an address on this site, but no article or page is "
                "there: check the address, or link with “Link to an article”."
            )
    return rewritten, list(dict.fromkeys(problems))


def _outside_code(text: str, change) -> str:
    """Apply ``change`` to the parts of Markdown that are not code."""
    pieces, at = [], 0
    for block in FENCE.finditer(text):
        pieces.append(_outside_spans(text[at : block.start()], change))
        pieces.append(block[0])
        at = block.end()
    pieces.append(_outside_spans(text[at:], change))
    return "".join(pieces)


def _outside_spans(text: str, change) -> str:
    pieces, at = [], 0
    for start, end in code_spans(text):
        pieces.append(change(text[at:start]))
        pieces.append(text[start:end])
        at = end
    pieces.append(change(text[at:]))
    return "".join(pieces)


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each `code span`: a run of backticks up to the next run of the
    same length. In one pass over the runs (a regular expression that backtracks took
    minutes over a few thousand backticks)."""
    runs = [(m.start(), m.end()) for m in BACKTICKS.finditer(text)]
    # For each run, the index of the next run of the same length.
    next_same, last_of = [None] * len(runs), {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        next_same[index] = last_of.get(length)
        last_of[length] = index
    spans, index = [], 0
    while index < len(runs):
        closing = next_same[index]
        if closing is None:
            index += 1  # typed backticks, not a span
            continue
        spans.append((runs[index][0], runs[closing][1]))
        index = closing + 1
    return spans


def _line_of(text: str, url: str) -> str:
    for number, line in enumerate(text.splitlines(), start=1):
        if url in line:
            return f"Line {number}: "
    return ""


# WordPress's plain addresses: /?p=12 (a post), /?page_id=3, /?cat=4 (a category).
OLD_QUERY_KEYS = ("p", "page_id", "cat")


class OldAddressMiddleware:
    """Addresses the site had before it moved here (``OldAddress``, recorded by an
    import) redirect permanently to where their article or section is now, or say
    it is gone (410). Asked only where the site has nothing: a 404 on a reader's
    GET, or the home page asked with WordPress's ``?p=``; it sits after
    CommonMiddleware so it answers before a slash is appended."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if request.path == "/" and (key := _old_query(request)):
                if answer := _old_address_answer(request, key):
                    return answer
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(_not_old_addresses())
        ):
            return _old_address_answer(request, request.path) or response
        return response


def _not_old_addresses() -> tuple[str, ...]:
    """Paths that are never an old address: files, the API and the admin."""
    return (settings.MEDIA_URL, settings.STATIC_URL, "/api/", f"/{settings.ADMIN_URL}")


def _old_query(request) -> str | None:
    for key in OLD_QUERY_KEYS:
        value = request.GET.get(key, "")
        if value.isdigit():
            return f"/?{key}={int(value)}"
    return None


def _old_address_answer(request, path: str):
    from django.db import DatabaseError
    from django.http import Http404, HttpResponsePermanentRedirect
    from django.shortcuts import render as render_page

    from .models import OldAddress

    try:
        found = OldAddress.objects.leading(path)
    except DatabaseError:
        return None  # the 404 (or the home page) stands while the database is away
    if found is None:
        return None
    if target := found.target_url:
        return HttpResponsePermanentRedirect(target)
    if found.article_id is None:
        return render_page(request, "410.html", status=410)
    # Its article is not public now: not found, as any address of a draft.
    raise Http404("No such article.")
