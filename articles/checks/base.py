"""What a check is given (the values of the article's form) and what it returns."""

import html
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from bs4 import BeautifulSoup

from cms.markdown import render
from cms.models import Image

WARNING, OK, INFO = "warning", "ok", "info"


@dataclass(frozen=True)
class Finding:
    """One thing a check found: ``level`` is "warning", "ok" or "info"."""

    check: str
    level: str
    message: str
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "check": self.check,
            "level": self.level,
            "message": self.message,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class TypedReview:
    """The medical review's fields as typed, by someone who may record reviews."""

    by: object = None  # the Expert chosen
    on: date | None = None
    next_review_at: date | None = None
    confirmed: bool = False


@dataclass(frozen=True)
class Draft:
    """The article as typed in the form, not yet saved. ``article`` is the saved
    article it edits (None for a new one): its review is read from it, changed by
    ``review`` when the review's fields are on the form."""

    title: str = ""
    slug: str = ""
    standfirst: str = ""
    seo_title: str = ""
    seo_description: str = ""
    body: str = ""
    hero: Image | None = None  # the library image chosen
    category: object = None
    article: object = None
    review: TypedReview | None = None  # None: the review as saved

    @cached_property
    def body_html(self) -> str:
        """The body as the page renders it (the one renderer, cached by text)."""
        return render(self.body).html

    @cached_property
    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.body_html, "html.parser")


def text_of(element) -> str:
    """An element's words as a reader sees them, spaces collapsed."""
    return " ".join(html.unescape(element.get_text(" ")).split())


def opening(text: str, words: int = 8) -> str:
    """The first few words of ``text``, to name where something is."""
    parts = text.split()
    start = " ".join(parts[:words])
    return f"“{start}…”" if len(parts) > words else f"“{start}”"


WORD = re.compile(r"\w[\w'’-]*")


def word_count(text: str) -> int:
    return len(WORD.findall(text))
