"""The one Markdown renderer: Markdown in, sanitised HTML (plus its table of contents) out.

Runs when content is saved, never per request. Lines such as ``[[quote:12]]`` become
``<cms-block kind="quote" ref="12"></cms-block>`` markers that an app swaps for live data
when it shows the page, so an edited expert or quote never needs the body re-rendered.
Editors cannot forge a marker: the sanitiser strips any ``cms-block`` they type.
"""

import html
import re
from dataclasses import dataclass, field

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li",
    "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

BLOCK_LINE = re.compile(r"<p>\[\[(?P<kind>[a-z]+):(?P<ref>\d+)\]\]</p>")
MARKER = re.compile(
    r'<cms-block kind="(?P<kind>[a-z]+)" ref="(?P<ref>\d+)"></cms-block>'
)
TAG = re.compile(r"<[^>]+>")
H1 = re.compile(r"<(/?)h1\b")


@dataclass
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)
    word_count: int = 0


def sanitise(raw_html: str) -> str:
    """Allowlist-clean HTML: no scripts, no event handlers, no javascript: URLs."""
    return nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render(text: str) -> Rendered:
    """Render an editor's Markdown to safe HTML with block markers and an H2 contents list."""
    md = markdown.Markdown(
        extensions=["toc", "tables", "sane_lists", "smarty", "fenced_code"],
        extension_configs={"toc": {"permalink": False, "toc_depth": "1-4"}},
        output_format="html",
    )
    # One h1 per page: the article title. Body "# Heading" becomes an H2.
    raw = H1.sub(r"<\1h2", md.convert(text or ""))
    clean = sanitise(raw)
    clean = BLOCK_LINE.sub(
        r'<cms-block kind="\g<kind>" ref="\g<ref>"></cms-block>', clean
    )
    toc = [
        {"id": token["id"], "title": html.unescape(TAG.sub("", token["name"]))}
        for token in _flatten(md.toc_tokens)
        if token["level"] <= 2
    ]
    words = len(html.unescape(TAG.sub(" ", clean)).split())
    return Rendered(html=clean, toc=toc, word_count=words)


def block_refs(rendered_html: str, kind: str) -> list[int]:
    """The ids of every ``kind`` block placed in rendered HTML, in order of appearance."""
    return [int(m["ref"]) for m in MARKER.finditer(rendered_html) if m["kind"] == kind]


def expand_blocks(rendered_html: str, replace) -> str:
    """Swap each block marker for ``replace(kind, ref)``, which returns HTML (or "")."""
    return MARKER.sub(lambda m: replace(m["kind"], int(m["ref"])), rendered_html)


def _flatten(tokens: list[dict]):
    for token in tokens:
        yield token
        yield from _flatten(token.get("children", []))
