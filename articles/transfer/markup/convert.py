"""The entry point: runs the steps in order, and falls back to the text alone."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment

from cms.text import strip_control_characters

from .converter import _Converter
from .escaping import _escape
from .job import Attachment, _Job
from .prepare import _prepare
from .tidy import _tidy

LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


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
