"""WordPress post HTML to the Markdown of ``Article.body``, with a list of what could not
be carried over as it was.

Why markdownify: it is maintained, MIT-licensed and built on BeautifulSoup (already a
dependency), and every tag is a method to override, so WordPress's shapes (captions,
galleries, embeds) and this site's own syntax are handled in one subclass. html2text
is GPL and configured through global flags rather than per-tag code; pandoc is a
separate binary to install on every server, and its Markdown is not Python-Markdown's.
BeautifulSoup's html.parser reads broken HTML the same way on every machine, so one
post always gives the same Markdown.

The steps follow WordPress's own order: shortcodes and embeds, then ``wpautop`` for
classic-editor posts (block-editor posts have their paragraphs already), then the tags.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.entities import html5
from posixpath import basename
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdownify import ATX, MarkdownConverter, abstract_inline_conversion, chomp

from cms.markdown import URL_SCHEMES, sanitise
from cms.text import strip_control_characters


@dataclass(frozen=True)
class Attachment:
    """A WordPress attachment, for galleries and captions: its address (shown through
    ``image_url`` like any image's), alt text and caption (HTML)."""

    url: str
    alt: str = ""
    caption: str = ""


@dataclass
class Converted:
    markdown: str
    problems: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)


def to_markdown(
    html: str,
    *,
    image_url: Callable[[str], str | None] | None = None,
    attachment: Callable[[int], Attachment | None] | None = None,
) -> Converted:
    """Markdown for ``Article.body`` from a post's HTML; never raises on bad HTML.

    ``problems`` says, one sentence each, what was kept as HTML, removed or guessed;
    ``images`` is every image address met, once each, in order, before ``image_url``.
    """
    job = _Job(image_url, attachment)
    text = strip_control_characters(html or "").replace("\r\n", "\n")
    text = LONE_SURROGATE.sub("\ufffd", text).replace("\r", "\n")
    soup = BeautifulSoup(_prepare(text, job), "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    try:
        soup.smooth()  # text split by a removed comment is one text again
        markdown = _Converter(job).convert_soup(soup)
    except RecursionError:
        job.note(
            "The post's HTML is nested too deeply to convert: only its text is kept."
        )
        job.images = []  # none is shown
        markdown = "\n\n".join(
            _escape(line.strip()) for line in soup.get_text("\n").split("\n")
        )
    return Converted(_tidy(markdown), list(dict.fromkeys(job.problems)), job.images)


class _Job:
    """One conversion's callbacks and findings."""

    def __init__(self, image_url, attachment):
        self.image_url, self.attachment = image_url, attachment
        self.problems: list[str] = []
        self.images: list[str] = []
        self.urls: dict[str, str] = {}

    def note(self, sentence: str) -> None:
        self.problems.append(sentence)

    def image(self, src: str) -> str:
        """The address to show for image ``src``, noting it once."""
        if src not in self.urls:
            self.images.append(src)
            new = self.image_url(src) if self.image_url else src
            if new is None:
                self.note(
                    f"Image {_name(src)} was not imported: it still points to {src}."
                )
            self.urls[src] = new or src
        return self.urls[src]

    def find(self, number: int | None) -> Attachment | None:
        return self.attachment(number) if self.attachment and number else None


# -- Before parsing: shortcodes, embeds, wpautop (each working on the HTML as text) ---

LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Kept aside while the HTML is worked on as text, as WordPress does with <pre>.
RAW = re.compile(r"<(pre|script|style|textarea)\b.*?</\1\s*>", re.S | re.I)
STASHED = re.compile(r"<pre>\x00(\d+)\x00</pre>")
# Where the excerpt ends or a new page starts: a new paragraph here.
PAGE_BREAK = re.compile(r"[ \t]*\n?[ \t]*<!--(?:more|nextpage)\b.*?-->[ \t]*\n?", re.S)
TAG_TEXT = re.compile(r"<!--.*?-->|<[^>]*>", re.S)
SHORTCODE = re.compile(  # WordPress's get_shortcode_regex(), for the tags handled
    r"\[(\[?)(caption|wp_caption|gallery|embed|audio|video)(?![\w-])"
    r"([^\]/]*(?:/(?!\])[^\]/]*)*?)"
    r"(?:(/)\]|\](?:([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\])?)(\]?)"
)
OTHER_SHORTCODE = re.compile(  # any other, unless escaped as [[name]]
    r"(?<!\[)\[(?!(?:caption|wp_caption|gallery|embed|audio|video)(?![\w-]))"
    r"([A-Za-z][\w-]*)(\s[^\[\]]*)?\]"
)
CLOSING_SHORTCODE = re.compile(r"\[/([A-Za-z][\w-]*)\]")
ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"\]]+))""")
CAPTIONED = re.compile(
    r"\s*((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)", re.S | re.I
)
MEDIA_KEYS = ("src", "mp3", "m4a", "ogg", "oga", "wav", "flac", "mp4", "m4v", "webm")
MEDIA_KEYS += ("ogv", "mov")
URL_LINE = re.compile(r"^(\s*)(https?://[^\s<>\"]+)(\s*)$", re.M | re.I)
URL_PARAGRAPH = re.compile(r"(<p(?: [^>]*)?>\s*)(https?://[^\s<>\"]+)(\s*</p>)", re.I)


def _prepare(text: str, job: _Job) -> str:
    raw: list[str] = []

    def stash(m: re.Match) -> str:
        raw.append(m[0])
        return f"<pre>\x00{len(raw) - 1}\x00</pre>"

    blocks = "<!-- wp:" in text
    text = RAW.sub(stash, text)
    text = PAGE_BREAK.sub("\n\n", text)
    text = _shortcodes(text, job)
    text = _embeds(text, job)
    if not blocks:  # WordPress stops running wpautop once a post has blocks
        text = wpautop(text)
    return STASHED.sub(lambda m: raw[int(m[1])], text)


def _shortcodes(text: str, job: _Job) -> str:
    def expand(m: re.Match) -> str:
        if m[1] == "[" and m[6] == "]":  # how WordPress shows "[gallery]" as typed
            return m[0][1:-1]
        attrs = {
            key.lower(): html.unescape(next((v for v in values if v), ""))
            for key, *values in ATTRIBUTE.findall(m[3])
        }
        content = m[5] or ""
        name = m[2]
        if name in ("caption", "wp_caption"):
            result = _caption(attrs, content)
        elif name == "gallery":
            result = _gallery(attrs, job)
        elif name == "embed":
            url = html.unescape(content.strip())
            result = _embed_link(url, job) if URL_LINE.fullmatch(url) else content
        else:
            result = _media_link(name, attrs, job)
        return m[1] + result + m[6]

    closed = set(CLOSING_SHORTCODE.findall(text))
    for m in OTHER_SHORTCODE.finditer(text):
        if "=" in (m[2] or "") or m[1] in closed:
            job.note(f"The [{m[1]}] shortcode does not work here: it is kept as text.")
    return SHORTCODE.sub(expand, text)


def _caption(attrs: dict, content: str) -> str:
    m = CAPTIONED.match(content)
    if not m:
        return content
    caption = m[2].strip() or html.escape(attrs.get("caption", ""))
    number = attrs.get("id", "").removeprefix("attachment_")
    data = f' data-attachment="{number}"' if number.isdigit() else ""
    return f"<figure{data}>{m[1]}<figcaption>{caption}</figcaption></figure>"


def _gallery(attrs: dict, job: _Job) -> str:
    numbers = [
        int(n) for n in re.findall(r"\d+", attrs.get("ids", attrs.get("include", "")))
    ]
    if not numbers:
        job.note(
            "A gallery of the post's attached images was left out: it names no images."
        )
        return ""
    if job.attachment is None:
        listed = ", ".join(map(str, numbers))
        job.note(f"A gallery (images {listed}) was left out: its images are not known.")
        return ""
    figures = []
    for number in numbers:
        if (found := job.find(number)) is None:
            job.note(f"Gallery image {number} was not found: it is left out.")
            continue
        caption = str(BeautifulSoup(found.caption, "html.parser"))  # tags balanced
        figures.append(
            f'<figure data-attachment="{number}"><img src="{html.escape(found.url)}" '
            f'alt="{html.escape(found.alt)}"><figcaption>{caption}</figcaption></figure>'
        )
    return f"<div>{''.join(figures)}</div>"


def _embed_link(url: str, job: _Job) -> str:
    job.note(f"The embed of {url} is shown as a link.")
    return f'<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>'


def _media_link(kind: str, attrs: dict, job: _Job) -> str:
    url = next((attrs[key] for key in MEDIA_KEYS if attrs.get(key)), "")
    if not url:
        job.note(f"A {kind} player with no file was removed.")
        return ""
    job.note(f"The {kind} player for {_name(url)} is shown as a link to the file.")
    return f'<p><a href="{html.escape(url)}">{html.escape(_name(url))}</a></p>'


def _embeds(text: str, job: _Job) -> str:
    """WordPress's autoembed: an address alone on a line, or in a paragraph, embeds."""
    text = TAG_TEXT.sub(lambda m: m[0].replace("\n", "\x01"), text)
    text = URL_LINE.sub(
        lambda m: m[1] + _embed_link(html.unescape(m[2]), job) + m[3], text
    )
    text = URL_PARAGRAPH.sub(lambda m: _embed_link(html.unescape(m[2]), job), text)
    return text.replace("\x01", "\n")


ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li"
    r"|pre|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
AUTOP = [  # (pattern, replacement) in wpautop()'s order, before and after the split
    (r"<br\s*/?>\s*<br\s*/?>", "\n\n"),
    (rf"(<{ALLBLOCKS}[\s/>])", r"\n\n\1"),
    (rf"(</{ALLBLOCKS}>)", r"\1\n\n"),
    (r"(<hr\s*?/?>)", r"\1\n\n"),
    (r"\s*(<figcaption[^>]*>)", r"\1"),
    (r"</figcaption>\s*", "</figcaption>"),
    (r"\n\n+", "\n\n"),
]
UNAUTOP = [
    (r"<p>\s*</p>", ""),
    (r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>"),
    (rf"<p>\s*(</?{ALLBLOCKS}[^>]*>)\s*</p>", r"\1"),
    (r"<p>(<li.+?)</p>", r"\1"),
    (r"(?i)<p><blockquote([^>]*)>", r"<blockquote\1><p>"),
    (r"</blockquote></p>", "</p></blockquote>"),
    (rf"<p>\s*(</?{ALLBLOCKS}[^>]*>)", r"\1"),
    (rf"(</?{ALLBLOCKS}[^>]*>)\s*</p>", r"\1"),
    (r"<br>|<br/>", "<br />"),
    (r"(?<!<br />)\s*\n", "<br />\n"),
    (rf"(</?{ALLBLOCKS}[^>]*>)\s*<br />", r"\1"),
    (r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1"),
    (r"\n</p>$", "</p>"),
]
AUTOP = [(re.compile(p), r) for p, r in AUTOP]
UNAUTOP = [(re.compile(p), r) for p, r in UNAUTOP]


def wpautop(text: str) -> str:
    """WordPress's ``wpautop`` for classic-editor posts: a blank line starts a
    paragraph, a single newline is a ``<br />``; block tags are not wrapped. ``<pre>``
    must already be set aside (``_prepare`` does)."""
    if not text.strip():
        return ""
    text = TAG_TEXT.sub(lambda m: m[0].replace("\n", "\x01"), text + "\n")
    for pattern, replacement in AUTOP:
        text = pattern.sub(replacement, text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p]
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in paragraphs)
    for pattern, replacement in UNAUTOP:
        text = pattern.sub(replacement, text)
    return text.replace("\x01", "\n")


# -- The tags -----------------------------------------------------------------------

# Markdown's own characters, and what would start a tag or an entity, in running text.
SPECIAL = re.compile(r"[\\`*_\[\]]")
# "&" and what follows, where a browser might read a character reference.
AMPERSAND = re.compile(r"&(#|[A-Za-z][A-Za-z0-9]*;?|$)")
TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?]|$)")
# What a line may not start with in running text, or it would make a heading, a
# list, a quote, a rule, a code fence or a callout; each shown as typed instead.
LINE_START = re.compile(
    r"^(\s*)(?:([#>])|(-+|\+)(?=\s|$)|(\d{1,9})\.(?=\s|$)|(=|~(?=~~)|:(?=::)))"
)
ENTITY_FOR = {"=": "&#61;", "~": "&#126;", ":": "&#58;"}
LANGUAGE = re.compile(r"[\w+#.-]+")
IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?|svg)$", re.I)
WP_IMAGE = re.compile(r"^wp-image-(\d+)$")
CELL_BLOCKS = ["ul", "ol", "pre", "blockquote", "table", "hr", "dl", "figure", "div"]
CELL_BLOCKS += ["h1", "h2", "h3", "h4", "h5", "h6", "iframe", "video", "audio", "br"]
FIELDS = {"input", "select", "option", "datalist", "output", "meter"}
FALLBACK_LINKS = {"iframe": "src", "embed": "src", "object": "data"}
DROPPED = {"script": "a script", "style": "a style sheet", "svg": "an SVG drawing"}
DROPPED |= {"math": "a MathML formula", "canvas": "a canvas"}


def _escape(text: str, *, cell: bool = False) -> str:
    """Running text as Markdown that shows it as typed."""
    text = SPECIAL.sub(r"\\\g<0>", text)
    if cell:
        text = text.replace("|", r"\|")
    text = TAG_LIKE.sub("&lt;", _ampersands(text))

    def line_start(m: re.Match) -> str:
        space, mark, bullet, number, other = m.groups()
        if mark or bullet:
            return space + re.sub(r".", r"\\\g<0>", mark or bullet)
        if number:
            return f"{space}{number}\\."
        return space + ENTITY_FOR[other]

    return LINE_START.sub(line_start, text)


def _ampersands(text: str) -> str:
    """ "&" as "&amp;" where it could start a character reference ("&copy", "&#");
    "R&D" stays as typed."""

    def amp(m: re.Match) -> str:
        name = m[1]
        named = any(name[:end] in html5 for end in range(1, len(name) + 1))
        return ("&amp;" if name in ("#", "") or named else "&") + name

    return AMPERSAND.sub(amp, text)


def _alt(text: str) -> str:
    text = " ".join(text.split())
    return TAG_LIKE.sub("&lt;", _ampersands(re.sub(r"[\\\[\]]", r"\\\g<0>", text)))


def _url(url: str) -> str:
    """An address as a Markdown link destination: nothing in it ends or splits it."""
    for char in ' ()<>"\\[]':
        url = url.replace(char, f"%{ord(char):02X}")
    return url


def _title(el: Tag) -> str:
    title = " ".join((el.get("title") or "").split())
    if not title:
        return ""
    return ' "{}"'.format(title.replace("\\", "\\\\").replace('"', '\\"'))


def _name(url: str) -> str:
    """The file name of an address, for messages."""
    return unquote(basename(_split(url).path.rstrip("/"))) or url


def _host(url: str) -> str:
    return _split(url).hostname or "an unknown site"


def _split(url: str):
    try:
        return urlsplit(url)
    except ValueError:  # "http://[x": no address at all
        return urlsplit("")


def _attribute(el: Tag, name: str) -> str:
    value = el.get(name) or ""
    return " ".join(value) if isinstance(value, list) else value.strip()


def _inline(convert, *, across: str = "\n\n"):
    """``convert`` for an inline tag, which marks nothing when it holds whole blocks:
    no Markdown mark spans paragraphs (nor a code span lines)."""

    def inline(self, el, text, parent_tags):
        if across in text.strip():
            return text
        return convert(self, el, text, parent_tags)

    return inline


class _Converter(MarkdownConverter):
    """markdownify, writing the Markdown this site's renderer reads (Python-Markdown
    with tables and fenced code), and noting what it could not carry over."""

    class Options(MarkdownConverter.DefaultOptions):
        heading_style = ATX
        bullets = "-"
        strong_em_symbol = "*"
        wrap = True  # newlines in HTML text are spaces; wrap_width None: no wrapping
        wrap_width = None

    def __init__(self, job: _Job):
        super().__init__()
        self.job = job

    def process_tag(self, node, parent_tags=None):
        parent_tags = parent_tags or set()
        name = node.name
        if name in DROPPED:
            self.job.note(f"Removed: {DROPPED[name]}.")
            return ""
        if name in FALLBACK_LINKS:
            return self._fallback_link(node, FALLBACK_LINKS[name])
        if name in FIELDS or name == "textarea":
            self.job.note("A form's fields were removed (forms do not work here).")
            return ""
        if name == "table" and not (node.get_text(strip=True) or node.find("img")):
            return ""  # an empty grid, often left behind by an editor
        if name == "table" and self._complex(node):
            return self._keep(
                node, "a table with merged cells or several lines in a cell"
            )
        if name == "table":
            return self._table(node, parent_tags)
        if name in ("ul", "ol") and "li" not in parent_tags and self._awkward(node):
            return self._keep(
                node, "a list with an item that starts with code or a quote"
            )
        if name == "dl":
            return self._keep(node, "a definition list")
        if name == "tt":  # teletype: code, to markdownify too (no escapes inside)
            node.name = "code"
        if name == "figure" and "_inline" not in parent_tags:
            return self._figure(node, parent_tags)
        return super().process_tag(node, parent_tags)

    def process_text(self, el, parent_tags=None):
        text = super().process_text(el, parent_tags)
        previous = el.previous_sibling
        return (
            text.lstrip()
            if isinstance(previous, Tag) and previous.name == "br"
            else text
        )

    def escape(self, text, parent_tags):
        return _escape(text, cell=bool(parent_tags & {"td", "th"})) if text else ""

    @_inline
    def convert_a(self, el, text, parent_tags):
        href = _attribute(el, "href")
        prefix, suffix, text = chomp(text)
        if "_noformat" in parent_tags or "a" in parent_tags or not href or not text:
            return prefix + text + suffix
        scheme = _split(href).scheme.lower()
        if scheme and scheme not in URL_SCHEMES:
            self.job.note(
                f"A link to a {scheme}: address was removed; its text is kept."
            )
            return prefix + text + suffix
        images = el.find_all("img")
        if images and not el.get_text(strip=True) and self._to_media(href):
            return prefix + text + suffix  # "link to media file": the image is here
        shown = el.get_text()
        if shown == href and scheme in ("http", "https") and _url(href) == href:
            return f"{prefix}<{href}>{suffix}"
        return f"{prefix}[{text}]({_url(href)}{_title(el)}){suffix}"

    def _to_media(self, href: str) -> bool:
        path = _split(href).path
        return (
            bool(IMAGE_FILE.search(path))
            or "attachment_id=" in href
            or "/attachment/" in path
        )

    @_inline
    def convert_b(self, el, text, parent_tags):
        if parent_tags & {"b", "strong"}:
            return text
        return super().convert_b(el, text, parent_tags)

    convert_strong = convert_b

    @_inline
    def convert_em(self, el, text, parent_tags):
        if parent_tags & {"em", "i", "cite", "figcaption"}:
            return text
        return super().convert_em(el, text, parent_tags)

    convert_i = convert_cite = convert_em

    # Python-Markdown has no "~~": struck text stays HTML, which the sanitiser allows.
    convert_del = convert_s = convert_strike = _inline(
        abstract_inline_conversion(lambda self: "<del>")
    )
    convert_sub = _inline(abstract_inline_conversion(lambda self: "<sub>"))
    convert_sup = _inline(abstract_inline_conversion(lambda self: "<sup>"))
    convert_code = convert_kbd = convert_samp = _inline(
        MarkdownConverter.convert_code, across="\n"
    )
    convert_q = _inline(MarkdownConverter.convert_q)

    @_inline
    def convert_abbr(self, el, text, parent_tags):
        title = " ".join(_attribute(el, "title").split())
        if not title or not text.strip() or "_noformat" in parent_tags:
            return text
        return f'<abbr title="{html.escape(title)}">{text}</abbr>'

    convert_acronym = convert_abbr

    def convert_br(self, el, text, parent_tags):
        if "pre" in parent_tags:
            return "\n"
        return " " if parent_tags & {"_inline", "_noformat"} else "<br>\n"

    def convert_div(self, el, text, parent_tags):
        if "_inline" in parent_tags:
            return " " + text.strip() + " "
        return f"\n\n{text.strip()}\n\n" if text.strip() else ""

    def convert_p(self, el, text, parent_tags):
        return super().convert_p(el, text, parent_tags) if text.strip() else ""

    # Blocks that markdownify would run into the text around them.
    convert_address = convert_aside = convert_center = convert_details = convert_div
    convert_fieldset = convert_footer = convert_form = convert_header = convert_div
    convert_hgroup = convert_legend = convert_main = convert_nav = convert_div
    convert_noscript = convert_summary = convert_template = convert_div

    def convert_hN(self, n, el, text, parent_tags):
        if "_inline" in parent_tags:
            return text
        text = " ".join(text.split())
        text = re.sub(r"(?<!\\)#+$", lambda m: "\\#" * len(m[0]), text)
        return f"\n\n{'#' * min(n, 6)} {text}\n\n" if text else ""

    def convert_img(self, el, text, parent_tags):
        src = _attribute(el, "src") or _attribute(el, "data-src")
        if not src:
            self.job.note("An image with no address was removed.")
            return ""
        if src.lower().startswith("data:"):
            self.job.note(
                "An image stored inside the page (a data: address) was removed."
            )
            return ""
        alt = " ".join((el.get("alt") or "").split())
        if not alt and (found := self.job.find(self._attachment_of(el))):
            alt = " ".join(found.alt.split())
        if not alt:
            self.job.note(f"Image {_name(src)} has no alt text.")
        url = self.job.image(src)
        return f"![{_alt(alt)}]({_url(url)}{_title(el)})"

    def _attachment_of(self, el: Tag) -> int | None:
        for name in el.get("class") or []:
            if m := WP_IMAGE.match(name):
                return int(m[1])
        figure = el.find_parent("figure")
        number = figure.get("data-attachment", "") if figure else ""
        return int(number) if str(number).isdigit() else None

    def _figure(self, el: Tag, parent_tags: set) -> str:
        """An image then its caption, emphasised, on the next line of one paragraph."""
        caption = el.find("figcaption")
        inner = parent_tags | {"figure"}
        parts = []
        for child in el.children:
            if child is caption or (
                isinstance(child, NavigableString) and not child.strip()
            ):
                continue
            parts.append(self.process_element(child, inner))
        body = "".join(parts).strip()
        said = " ".join(self.process_tag(caption, inner).split()) if caption else ""
        if said:
            image = "\n" not in body and body.startswith(("![", "[!["))
            body = f"{body}{chr(10) if image else chr(10) * 2}*{said}*".strip()
        return f"\n\n{body}\n\n" if body else ""

    def convert_figcaption(self, el, text, parent_tags):
        if "figure" in parent_tags:
            return text
        return self.convert_div(el, text, parent_tags)

    def convert_li(self, el, text, parent_tags):
        text = (text or "").strip()
        if not text:
            return ""
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "1")
            number = int(start) if start.isdigit() else 1
            bullet = f"{number + len(el.find_previous_siblings('li'))}."
        else:
            bullet = "-"
        first, *rest = text.split("\n")
        lines = [f"{bullet} {first}"] + [f"    {line}" if line else "" for line in rest]
        item = "\n".join(lines)
        # An item of several blocks stands apart, or Python-Markdown reads the next
        # item into its last paragraph.
        if "\n\n" in item or parent is None or parent.name not in ("ul", "ol"):
            return f"\n\n{item}\n\n"
        return item + "\n"

    def convert_pre(self, el, text, parent_tags):
        text = re.sub(r"^\n", "", text).rstrip()
        if not text.strip():
            return ""
        if parent_tags & {"li", "blockquote"}:  # a fence works only at the margin
            code = "\n".join(
                f"    {line}" if line.strip() else "" for line in text.split("\n")
            )
            return f"\n\n{code}\n\n"
        fence = "`" * max([3] + [len(run) + 1 for run in re.findall(r"`+", text)])
        classes = [
            *(el.get("class") or []),
            *((el.find("code") or {}).get("class") or []),
        ]
        languages = [name[9:] for name in classes if name.startswith("language-")]
        language = (
            languages[0] if languages and LANGUAGE.fullmatch(languages[0]) else ""
        )
        return f"\n\n{fence}{language}\n{text}\n{fence}\n\n"

    def convert_video(self, el, text, parent_tags):
        source = el.find("source", src=True)
        src = _attribute(el, "src") or (_attribute(source, "src") if source else "")
        if not src:
            self.job.note(f"A {el.name} player with no file was removed.")
            return text
        self.job.note(
            f"The {el.name} player for {_name(src)} is shown as a link to the file."
        )
        return f"[{_escape(_name(src))}]({_url(src)})"

    convert_audio = convert_video

    def _table(self, table: Tag, parent_tags: set) -> str:
        """A pipe table, its first row the header (as a browser shows a table with
        no <th>, the first row on top)."""
        inner = parent_tags | {"table", "tr"}
        rows = [
            [self.process_tag(cell, inner) for cell in tr.find_all(["td", "th"])]
            for tr in table.find_all("tr")
        ]
        rows = [row for row in rows if row]
        caption = table.find("caption")
        said = self.process_tag(caption, inner).strip() if caption else ""
        if not rows:
            return f"\n\n{said}\n\n"
        width = max(map(len, rows))
        rows.insert(1, ["---"] * width)
        lines = [
            "| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows
        ]
        return "\n\n" + (f"{said}\n\n" if said else "") + "\n".join(lines) + "\n\n"

    def convert_td(self, el, text, parent_tags):
        return " ".join(text.split())

    convert_th = convert_td

    def convert_caption(self, el, text, parent_tags):
        return " ".join(text.split())

    def _complex(self, table: Tag) -> bool:
        cells = table.find_all(["td", "th"])
        spans = any(
            _attribute(cell, span) not in ("", "1")
            for cell in cells
            for span in ("colspan", "rowspan")
        )
        blocks = any(
            cell.find(CELL_BLOCKS) or len(cell.find_all("p")) > 1 for cell in cells
        )
        heads = sum(len(head.find_all("tr")) for head in table.find_all("thead")) > 1
        return spans or blocks or heads

    def _awkward(self, node: Tag) -> bool:
        """Whether an item starts with a block Python-Markdown cannot start one with."""
        for item in node.find_all("li"):
            first = next(
                (c for c in item.children if isinstance(c, Tag) or c.strip()), None
            )
            if isinstance(first, Tag) and first.name in ("pre", "blockquote", "hr"):
                return True
        return False

    def _keep(self, el: Tag, what: str) -> str:
        for img in el.find_all("img"):
            if src := _attribute(img, "src"):
                if not _attribute(img, "alt"):
                    self.job.note(f"Image {_name(src)} has no alt text.")
                img["src"] = self.job.image(src)
        clean = sanitise(str(el)).strip()
        if "<pre" not in clean:  # a list item indents each line: do not add up
            clean = re.sub(r"\n\s+", "\n", clean)
        clean = re.sub(r"\n\s*\n", "\n", clean)
        self.job.note(f"Kept as HTML: {what}.")
        return f"\n\n{clean}\n\n"

    def _fallback_link(self, el: Tag, attribute: str) -> str:
        src = _attribute(el, attribute)
        if src.startswith("//"):
            src = "https:" + src
        what = f"an {el.name}" if el.name[0] in "aeiou" else f"a {el.name}"
        if not src or _split(src).scheme.lower() not in ("http", "https"):
            self.job.note(f"Removed: {what} (it cannot be shown here).")
            return ""
        self.job.note(
            f"Kept as a link: {what} from {_host(src)}, which cannot be shown here."
        )
        words = _attribute(el, "title") or f"Embedded content from {_host(src)}"
        return f"\n\n[{_escape(words)}]({_url(src)})\n\n"


# -- After: what no single tag sees -------------------------------------------------

REFERENCE_OPENING = re.compile(r"(\\?\[)(?=\\?\[)")
CONTAINER = re.compile(r"[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]))")
FENCED = FencedBlockPreprocessor.FENCED_BLOCK_RE


def _tidy(markdown: str) -> str:
    """One blank line between blocks, no trailing spaces, a final newline; and no
    "[[" or line-opening ":::" that this site would read as its own syntax."""
    # A word joiner (invisible) between two brackets: "[[quote:12]]" shows as typed
    # and is not a reference, wherever the brackets came from.
    markdown = REFERENCE_OPENING.sub("\\1\u2060", markdown)
    parts, position = [], 0
    for fence in FENCED.finditer(markdown):
        parts.append(_tidy_text(markdown[position : fence.start()]))
        parts.append("\n".join(line.rstrip() for line in fence[0].split("\n")))
        position = fence.end()
    parts.append(_tidy_text(markdown[position:]))
    markdown = "".join(parts).strip("\n")
    return markdown + "\n" if markdown else ""


def _tidy_text(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        at = 0
        while m := CONTAINER.match(line, at):
            at = m.end()
        at += len(line[at:]) - len(line[at:].lstrip(" \t"))
        if line.startswith(":::", at):
            line = line[:at] + "&#58;" + line[at + 1 :]
        lines.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
