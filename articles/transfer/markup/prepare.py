"""Before parsing: shortcodes, embeds and ``wpautop``, on the HTML as text."""

import html
import re

from bs4 import BeautifulSoup

from .addresses import _name
from .job import _Job
from .wpautop import TAG_TEXT, wpautop

# Kept aside while the HTML is worked on as text, as WordPress does with <pre>.
RAW = re.compile(r"<(pre|script|style|textarea)\b.*?</\1\s*>", re.S | re.I)
STASHED = re.compile(r"<pre>\x00(\d+)\x00</pre>")
# Where the excerpt ends or a new page starts: a new paragraph here.
PAGE_BREAK = re.compile(r"[ \t]*\n?[ \t]*<!--(?:more|nextpage)\b.*?-->[ \t]*\n?", re.S)
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
