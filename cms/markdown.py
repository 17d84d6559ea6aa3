"""The one Markdown renderer: Markdown in, sanitised HTML (plus its table of contents) out.

Runs when content is saved, never per request. Lines such as ``[[quote:12]]`` or
``[[callout:when-to-call-999]]`` become ``<cms-block kind="quote" ref="12"></cms-block>``
markers, and ``[[expert:amara-okafor]]`` inside a sentence becomes a
``<cms-inline kind="expert" ref="amara-okafor"></cms-inline>`` marker: an app swaps them
for live data when it shows the page, so an edited expert, quote or standard callout
never needs the body re-rendered. ``[[article:123]]`` or ``[[article:123|the writer's
words]]`` links to another article by its id: an inline marker holding the writer's
words (escaped text), which the app turns into a link to the article's current address.
``[[image:7]]`` or ``[[image:7|a caption of its own]]`` on a line of its own places a
library image: a block marker holding the caption override, if any (escaped text).
``:::urgent Title`` … ``:::`` around Markdown makes a callout (kinds: urgent, warning,
tip).

Editors cannot forge a marker or a callout: the sanitiser strips any ``cms-block``,
``cms-inline`` or ``aside`` they type, and markers and callout markup are only added
after sanitising, where the Markdown syntax left a token no editor can know.
"""

import html
import re
import secrets
import xml.etree.ElementTree as etree
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.extensions.toc import slugify
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.util import AtomicString

from .bounded import Bounded, Lines, shallow
from .limits import limit_problems, size_problem

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
    # Tables kept as HTML (an import's merged cells) keep their shape.
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# A reference is a number (quotes) or a slug (standard callouts, experts).
REF = r"[A-Za-z0-9_-]+"
BLOCK_LINE = re.compile(rf"<p>\[\[(?P<kind>[a-z]+):(?P<ref>{REF})\]\]</p>")
# Only an image's marker holds text: the caption override, escaped.
MARKER = re.compile(
    rf'<cms-block kind="(?P<kind>[a-z]+)" ref="(?P<ref>{REF})">(?P<text>[^<]*)'
    r"</cms-block>"
)
IMAGE_MARKER = re.compile(
    r'<cms-block kind="image" ref="(?P<ref>[0-9]+)">(?P<text>[^<]*)</cms-block>'
)
# An inline marker may hold text: the writer's words of an article link.
INLINE_MARKER = re.compile(
    rf'<cms-inline kind="(?P<kind>[a-z]+)" ref="(?P<ref>{REF})">(?P<text>[^<]*)'
    r"</cms-inline>"
)
ANY_MARKER = re.compile(
    rf'<cms-(?P<tag>block|inline) kind="(?P<kind>[a-z]+)" ref="(?P<ref>{REF})">'
    r"[^<]*</cms-(?P=tag)>"
)
LINK_MARKER = re.compile(
    r'<cms-inline kind="article" ref="(?P<ref>[0-9]+)">(?P<text>[^<]*)</cms-inline>'
)
# Inline references, written inside a sentence: experts, and links to articles (with
# the writer's words after a "|", or none for the article's title).
MENTION = re.compile(rf"\[\[(?P<kind>expert):(?P<ref>{REF})\]\]")
ARTICLE_LINK = re.compile(
    r"\[\[(?P<kind>article):(?P<ref>[0-9]+)(?:\|(?P<text>[^\]]*))?\]\]"
)
# A reference on a line of its own, even with no blank line around it (indented by
# four spaces it is code, and left alone).
REFERENCE_LINE = re.compile(rf"^ {{0,3}}\[\[[a-z]+:{REF}\]\][ \t]*$")
# An image with a caption of its own, on a line of its own: the caption is plain text.
IMAGE_LINE = re.compile(
    r"^ {0,3}\[\[image:(?P<ref>[0-9]+)\|(?P<text>[^\]\n]*)\]\][ \t]*$"
)
IMAGE_REST = re.compile(r"[0-9]+(?:\|[^\]\n]*)?")
# What looks like a reference: "[[" a word ":" … "]]", spaces allowed, on one line.
REFERENCE_LIKE = re.compile(r"\[\[\s*(?P<kind>[A-Za-z]+)\s*:(?P<rest>[^\]\n]*)\]\]")
BLOCK_KINDS = ("quote", "callout", "image")
REF_ONLY = re.compile(REF)
CODE = re.compile(r"<code>.*?</code>", re.S)
INLINE_KINDS = ("expert", "article")
REFERENCE_FORMS = {
    "quote": "[[quote:12]]",
    "callout": "[[callout:when-to-call-999]]",
    "image": "[[image:12]] or [[image:12|a caption of its own]]",
    "expert": "[[expert:their-slug]]",
    "article": "[[article:123]] or [[article:123|your words]]",
}
TAG = re.compile(r"<[^>]+>")
BLANK_LINES = re.compile(r"\n[ \t\r]*\n")
# A whole tag of sanitised HTML, whose attribute values are always double-quoted.
WHOLE_TAG = r'<[^>"]*(?:"[^"]*"[^>"]*)*>'
H1 = re.compile(r"<(/?)h1\b")

CALLOUT_LABELS = {"urgent": "Urgent", "warning": "Warning", "tip": "Tip"}
# A line that opens a callout, ":::kind" and its title if any; one that closes it.
CALLOUT_START = re.compile(
    rf"^:::[ \t]*(?P<kind>(?i:{'|'.join(CALLOUT_LABELS)}))(?:[ \t]+(?P<title>.*?))?[ \t]*$",
    re.MULTILINE,
)
CALLOUT_CLOSE = re.compile(r"^:::[ \t]*$", re.MULTILINE)
_ICON = (
    '<svg class="callout-icon" viewBox="0 0 24 24" width="24" height="24" '
    'aria-hidden="true" focusable="false"><path fill="currentColor" '
    'fill-rule="evenodd" d="{}"/></svg>'
)
CALLOUT_ICONS = {
    # A circle with "!", a triangle with "!", a light bulb.
    "urgent": _ICON.format(
        "M12 1.5a10.5 10.5 0 1 1 0 21 10.5 10.5 0 0 1 0-21Z"
        "M10.75 5.5h2.5v8.5h-2.5ZM10.75 16h2.5v2.5h-2.5Z"
    ),
    "warning": _ICON.format(
        "M12 1.5 23.5 22H.5ZM10.75 8.5h2.5v7h-2.5ZM10.75 17h2.5v2.5h-2.5Z"
    ),
    "tip": _ICON.format(
        "M12 1.5a7.5 7.5 0 0 0-4.5 13.5c.6.5 1 1.3 1 2V18h7v-1c0-.7.4-1.5 1-2A7.5 "
        "7.5 0 0 0 12 1.5ZM8.5 19.5h7V21h-7ZM10 22h4v1.5h-4Z"
    ),
}
CALLOUT_END = "</div></aside>"


@dataclass
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)
    word_count: int = 0


def sanitise(raw_html: str) -> str:
    """Allowlist-clean HTML: no scripts, no event handlers, no javascript: URLs."""
    return nh3.clean(
        shallow(raw_html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def callout_open(kind: str, title: str = "") -> str:
    """The start of a callout, up to its body; ``title`` is plain text.

    The kind is told by a visible label and an icon as well as by colour, and the
    callout is a region named by its label and title for assistive technology.
    """
    label = CALLOUT_LABELS[kind]
    name = f"{label}: {title}" if title else label
    heading = f'{CALLOUT_ICONS[kind]}<strong class="callout-label">{label}</strong>'
    if title:
        heading += f' <span class="callout-title">{html.escape(title)}</span>'
    return (
        f'<aside class="callout callout-{kind}" role="region" '
        f'aria-label="{html.escape(name)}"><p class="callout-heading">{heading}</p>'
        '<div class="callout-body">'
    )


def callout_html(kind: str, title: str, body_html: str) -> str:
    """A whole callout around body HTML that is already safe (rendered by ``render``)."""
    return callout_open(kind, title) + body_html + CALLOUT_END


def render(text: str) -> Rendered:
    """Render an editor's Markdown to safe HTML with markers, callouts and an H2 contents list.

    The result depends on the text alone, so a save that validates, checks and stores
    the same text (the field's validator, link and reference checks, the model's save)
    renders it once: recent results are kept by text (``render.cache_clear()``).
    Text longer than a field may hold (``cms.limits``) is not parsed but shown as
    typed, so checking it costs no more than reading it; so is any text when the
    stack is too nearly full to parse it.
    """
    if size_problem(text or ""):
        return _as_typed(text)
    try:
        rendered = _render(text or "")
    except RecursionError:  # bounded.py needs 200 frames: called from deep already
        return _as_typed(text)
    return replace(rendered, toc=[dict(entry) for entry in rendered.toc])


def _as_typed(text: str) -> Rendered:
    paragraphs = [part for part in BLANK_LINES.split(text) if part.strip()]
    clean = sanitise("".join(f"<p>{html.escape(part)}</p>" for part in paragraphs))
    return Rendered(html=clean, word_count=len(text.split()))


@lru_cache(maxsize=64)
def _render(text: str) -> Rendered:
    # Where the syntax found a callout or a mention, it leaves this token for the steps
    # after sanitising; it is new on every render, so no editor can type it.
    token = f"cms{secrets.token_hex(8)}"
    mentions = re.compile(
        rf"{token}:(?P<kind>[a-z]+):(?P<ref>{REF})(?::(?P<text>[^<]*?))?{token}"
    )

    def heading_id(value: str, separator: str) -> str:
        return slugify(mentions.sub(_words, value), separator)

    md = markdown.Markdown(
        extensions=[
            "toc",
            "tables",
            "sane_lists",
            "smarty",
            "fenced_code",
            _CmsSyntax(token),
            Bounded(),
        ],
        extension_configs={
            "toc": {"permalink": False, "toc_depth": "1-4", "slugify": heading_id}
        },
        output_format="html",
    )
    # One h1 per page: the article title. Body "# Heading" becomes an H2.
    raw = H1.sub(r"<\1h2", md.convert(text))
    clean = sanitise(raw)
    clean = _place_callouts(clean, token)
    clean = _place_images(clean, token)
    clean = BLOCK_LINE.sub(
        r'<cms-block kind="\g<kind>" ref="\g<ref>"></cms-block>', clean
    )
    clean = _place_mentions(clean, mentions)
    toc = [
        {
            "id": entry["id"],
            "title": html.unescape(TAG.sub("", mentions.sub(_words, entry["name"]))),
        }
        for entry in _flatten(md.toc_tokens)
        if entry["level"] <= 2
    ]
    words = len(html.unescape(TAG.sub(" ", clean)).split())
    return Rendered(html=clean, toc=toc, word_count=words)


render.cache_clear = _render.cache_clear


def stray_references(rendered_html: str) -> list[str]:
    """Each ``[[…]]`` that rendering left as typed text, as written (unescaped): a
    reader would see it. Markers and attribute values are not text, so not searched."""
    text = ANY_MARKER.sub(" ", rendered_html)
    text = html.unescape(TAG.sub(" ", text))
    return [m[0] for m in REFERENCE_LIKE.finditer(text)]


def reference_problems(text: str, *, allowed: tuple[str, ...]) -> list[str]:
    """Why references in ``text`` would not work in a field that takes ``allowed``
    kinds, one message each, naming the line; [] when every one works.

    A reference inside a sentence, a heading or a list shows as typed when it must be
    a block (quotes, callouts); a misspelt one always does.
    """
    rendered = render(text).html
    in_code = set(stray_references("".join(CODE.findall(rendered))))
    problems = []
    line_of = _lines_of_references(text)
    for literal in dict.fromkeys(stray_references(rendered)):
        match = REFERENCE_LIKE.match(literal)
        kind = match["kind"]
        if literal in in_code:
            why = "is inside code, where readers would see it as typed: take it out "
            why += "of the code"
        elif kind not in REFERENCE_FORMS and allowed:
            why = f"is not a kind of reference: use {_kinds(allowed)}"
        elif kind not in allowed:
            why = _not_taken(allowed)
        elif kind in BLOCK_KINDS and (
            REF_ONLY.fullmatch(match["rest"])
            or (kind == "image" and IMAGE_REST.fullmatch(match["rest"]))
        ):
            why = "must be on a line of its own, with nothing else on the line"
        else:
            why = f"is not written as a reference: use {REFERENCE_FORMS[kind]}"
        line = line_of.get(literal) or _line_of(text, literal)
        problems.append(f"{line}“{literal}” {why}.")
    placed = {m["kind"] for m in ANY_MARKER.finditer(rendered)}
    problems += [
        f"{_line_of(text, f'[[{kind}:')}“[[{kind}:…]]” {_not_taken(allowed)}."
        for kind in sorted(placed - set(allowed))
    ]
    return problems


def _kinds(allowed: tuple[str, ...]) -> str:
    forms = [f"[[{kind}:…]]" for kind in allowed]
    return " or ".join(filter(None, [", ".join(forms[:-1]), forms[-1]]))


def _not_taken(allowed: tuple[str, ...]) -> str:
    if not allowed:
        return "does not work here: references work only in an article's body"
    return f"does not work here: this text takes only {_kinds(allowed)}"


def _lines_of_references(text: str) -> dict[str, str]:
    """ "Line N: " for each reference-like literal, by where it is first typed: one
    pass, where ``_line_of`` reads the text once per literal."""
    starts = list(accumulate(map(len, text.splitlines(keepends=True)), initial=0))
    found: dict[str, str] = {}
    for m in REFERENCE_LIKE.finditer(text):
        if m[0] not in found:
            found[m[0]] = f"Line {bisect_right(starts, m.start())}: "
    return found


def _line_of(text: str, literal: str) -> str:
    """ "Line N: " for the first line holding ``literal`` (or its kind), else ""."""
    key = REFERENCE_LIKE.match(literal)
    needles = [literal] + ([f"{key['kind']}:"] if key else [])
    for needle in needles:
        for number, line in enumerate((text or "").splitlines(), start=1):
            if needle in line:
                return f"Line {number}: "
    return ""


@deconstructible
class References:
    """Validator for a Markdown field: only ``allowed`` kinds of reference, and each
    one written so that it works (see ``reference_problems``)."""

    def __init__(self, *allowed: str):
        self.allowed = allowed

    def __call__(self, value) -> None:
        if limit_problems(value):
            return  # the field's MarkdownLimits says why; the text is not read
        if problems := reference_problems(value, allowed=self.allowed):
            raise ValidationError(problems, code="references")

    def __eq__(self, other):
        return isinstance(other, References) and self.allowed == other.allowed


def _words(m: re.Match) -> str:
    """A mention's or link's token as plain words: the link's text, else the reference."""
    return m["text"] or m["ref"]


def _ref(ref: str) -> int | str:
    return int(ref) if ref.isdigit() else ref


def block_refs(rendered_html: str, kind: str) -> list[int]:
    """The ids of every ``kind`` block placed in rendered HTML, in order of appearance."""
    return [
        int(m["ref"])
        for m in MARKER.finditer(rendered_html)
        if m["kind"] == kind and m["ref"].isdigit()
    ]


def block_keys(rendered_html: str, kind: str) -> list[str]:
    """The references, as written, of every ``kind`` block placed, in order."""
    return [m["ref"] for m in MARKER.finditer(rendered_html) if m["kind"] == kind]


def inline_keys(rendered_html: str, kind: str) -> list[str]:
    """The references, as written, of every inline ``kind`` marker, in order."""
    return [
        m["ref"] for m in INLINE_MARKER.finditer(rendered_html) if m["kind"] == kind
    ]


def expand_blocks(rendered_html: str, replace) -> str:
    """Swap each block marker for ``replace(kind, ref)``, which returns HTML (or "").

    ``ref`` is an int when the reference is a number, else the slug as written.
    """
    return MARKER.sub(lambda m: replace(m["kind"], _ref(m["ref"])), rendered_html)


def expand_markers(rendered_html: str, replace) -> str:
    """Like ``expand_blocks``, for block and inline markers alike, in document order."""
    return ANY_MARKER.sub(lambda m: replace(m["kind"], _ref(m["ref"])), rendered_html)


def expand_images(rendered_html: str, replace) -> str:
    """Swap each image marker for ``replace(id, caption)``, which returns HTML.

    ``caption`` is the writer's caption override as plain (unescaped) text, or "".
    """
    return IMAGE_MARKER.sub(
        lambda m: replace(int(m["ref"]), html.unescape(m["text"])), rendered_html
    )


def expand_links(rendered_html: str, replace) -> str:
    """Swap each article link marker for ``replace(id, text)``, which returns HTML.

    ``text`` is the writer's words as plain (unescaped) text, or "" for none.
    """
    return LINK_MARKER.sub(
        lambda m: replace(int(m["ref"]), html.unescape(m["text"])), rendered_html
    )


def _place_callouts(clean: str, token: str) -> str:
    """Turn the callouts' start and end paragraphs into the callout markup."""
    start = re.compile(
        rf"<p>{token}:callout:(?P<kind>[a-z]+):(?P<title>[^<]*?){token}</p>"
    )
    clean = start.sub(
        lambda m: callout_open(m["kind"], html.unescape(m["title"])), clean
    )
    return clean.replace(f"<p>{token}:end{token}</p>", CALLOUT_END)


def _place_images(clean: str, token: str) -> str:
    """Images with a caption of their own become block markers holding it (escaped)."""
    line = re.compile(rf"<p>{token}:image:(?P<ref>[0-9]+):(?P<text>[^<]*?){token}</p>")
    return line.sub(
        r'<cms-block kind="image" ref="\g<ref>">\g<text></cms-block>', clean
    )


def _place_mentions(clean: str, mentions: re.Pattern) -> str:
    """Mentions and links in text become inline markers (a link's words, already
    escaped, inside); one inside an attribute (an image's alt text, say) cannot hold
    markup, so it becomes its words or its reference as plain text."""
    pattern = re.compile(rf"{WHOLE_TAG}|{mentions.pattern}")

    def replace(m: re.Match) -> str:
        if m["kind"] is None:
            return mentions.sub(_words, m[0])
        text = m["text"] or ""
        return f'<cms-inline kind="{m["kind"]}" ref="{m["ref"]}">{text}</cms-inline>'

    return pattern.sub(replace, clean)


class _ReferenceLines(Preprocessor):
    """Gives a reference line a paragraph of its own, as if blank lines surrounded it:
    ``Yawning.⏎[[quote:13]]⏎Then…`` places the quote between two paragraphs.

    An image's caption override is set aside as plain text (no Markdown inside), in a
    paragraph holding the render's token that ``_place_images`` turns into a marker.
    """

    def __init__(self, md, token: str):
        super().__init__(md)
        self.token = token

    def run(self, lines: list[str]) -> list[str]:
        result: list[str] = []
        for line in lines:
            if image := IMAGE_LINE.match(line):
                caption = html.escape(" ".join(image["text"].split()), quote=False)
                paragraph = f"<p>{self.token}:image:{image['ref']}:{caption}"
                stored = self.md.htmlStash.store(f"{paragraph}{self.token}</p>")
                result += ["", stored, ""]
            elif REFERENCE_LINE.match(line):
                result += ["", line.strip(), ""]
            else:
                result.append(line)
        return result


class _Callouts(BlockProcessor):
    """``:::kind Optional title`` on its own line, Markdown, then ``:::`` to close.

    Leaves a start and an end paragraph holding the render's token around the parsed
    body; ``_place_callouts`` swaps them for the markup once the HTML is sanitised.
    An unclosed callout runs to the end of the text.
    """

    START = CALLOUT_START
    END = CALLOUT_CLOSE

    def __init__(self, parser, token: str):
        super().__init__(parser)
        self.token = token
        self.lines = Lines(self.START)

    def test(self, parent, block) -> bool:
        return self.lines.first(block) >= 0

    def run(self, parent, blocks) -> None:
        block = blocks.pop(0)
        match = self.START.search(block)
        if match.start():  # text just above the callout, with no blank line between
            self.parser.parseBlocks(parent, [block[: match.start() - 1]])
        body, rest = [], block[match.end() + 1 :]
        while True:
            end = self.END.search(rest)
            if end:
                body.append(rest[: end.start()].rstrip("\n"))
                after = rest[end.end() :].lstrip("\n")
                if after:
                    blocks.insert(0, after)
                break
            body.append(rest)
            if not blocks:
                break
            rest = blocks.pop(0)
        kind, title = match["kind"].lower(), (match["title"] or "").strip()
        start = etree.SubElement(parent, "p")
        start.text = AtomicString(f"{self.token}:callout:{kind}:{title}{self.token}")
        self.parser.parseChunk(parent, "\n\n".join(body))
        end = etree.SubElement(parent, "p")
        end.text = AtomicString(f"{self.token}:end{self.token}")


class _Mentions(InlineProcessor):
    """``[[expert:slug]]`` in running text; left as the token for ``_place_mentions``."""

    def __init__(self, token: str):
        super().__init__(MENTION.pattern)
        self.token = token

    def handleMatch(self, m, data):
        text = f"{self.token}:{m['kind']}:{m['ref']}{self.token}"
        return text, m.start(0), m.end(0)


class _ArticleLinks(InlineProcessor):
    """``[[article:12]]`` or ``[[article:12|words]]``; left as a token holding the words."""

    def __init__(self, token: str):
        super().__init__(ARTICLE_LINK.pattern)
        self.token = token

    def handleMatch(self, m, data):
        text = " ".join((m["text"] or "").split())
        words = f":{text}" if text else ""
        return (
            f"{self.token}:article:{m['ref']}{words}{self.token}",
            m.start(0),
            m.end(0),
        )


class _CmsSyntax(Extension):
    def __init__(self, token: str):
        super().__init__()
        self.token = token

    def extendMarkdown(self, md):
        # After fenced code blocks (25) are set aside, so code is left as it is.
        md.preprocessors.register(
            _ReferenceLines(md, self.token), "cms_reference_lines", 20
        )
        # After indented code (80), before headings (70) and paragraphs.
        md.parser.blockprocessors.register(
            _Callouts(md.parser, self.token), "cms_callout", 75
        )
        # After code spans (190) and escapes (180), before links (160).
        md.inlinePatterns.register(_Mentions(self.token), "cms_mention", 175)
        md.inlinePatterns.register(_ArticleLinks(self.token), "cms_article_link", 174)


def _flatten(tokens: list[dict]):
    for token in tokens:
        yield token
        yield from _flatten(token.get("children", []))
