"""Text, alt text, addresses and titles written so Markdown shows them as typed."""

import re
from html.entities import html5

from bs4 import Tag

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
