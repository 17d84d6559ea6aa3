"""A post's pictures standing alone as library figures (``[[image:N]]``), so they are
served in renditions, listed where the image is used and kept from deletion."""

import html
import re
from collections.abc import Callable

from cms.models import Image

from ..markup.tidy import FENCED

# A paragraph of one image, and perhaps its caption on the next line, as the
# converter writes a post's figure or a picture alone: ``![alt](address)⏎*caption*``.
FIGURE = re.compile(
    r"(?:(?<=\n\n)|^)!\[(?P<alt>(?:\\.|[^\\\]])*)\]\((?P<url>[^\s()]+)\)"
    r"(?:\n\*(?P<caption>[^\n]+)\*)?(?=\n\n|\n?\Z)"
)
# Markdown in a caption, which a figure's caption (plain text) could not show.
MARKUP = re.compile(r"(?<!\\)[\[\]*_`<]")


def _plain(markdown: str) -> str:
    """The text the converter's escaped Markdown shows."""
    return " ".join(html.unescape(re.sub(r"\\(.)", r"\1", markdown)).split())


def library_figures(markdown: str, image_at: Callable[[str], Image | None]) -> str:
    """``markdown`` with each picture standing alone as a figure of its library image
    (``image_at`` finds it by address), where that shows the reader the same: the
    picture's alt text is the image's, and its caption the image's or plain text.
    Anything else stays a Markdown image, so no alt text or caption is lost."""

    def figure(m: re.Match) -> str:
        image = image_at(m["url"])
        if image is None:
            return m[0]
        alt, library_alt = _plain(m["alt"]), " ".join(image.alt.split())
        if not (alt or library_alt) or (alt and library_alt and alt != library_alt):
            return m[0]
        caption = m["caption"] or ""
        if MARKUP.search(caption) or "]" in _plain(caption):
            return m[0]
        caption = _plain(caption)
        if not caption and image.caption.strip():
            return m[0]  # the post shows none: the image's own would be added
        if not library_alt:  # the library learns the alt text the post gave it
            image.alt = alt[:250]
            image.save(update_fields=["alt", "modified_at"])
        if caption and caption != " ".join(image.caption.split()):
            return f"[[image:{image.pk}|{caption}]]"
        return f"[[image:{image.pk}]]"

    parts, position = [], 0
    for fence in FENCED.finditer(markdown):
        parts += [FIGURE.sub(figure, markdown[position : fence.start()]), fence[0]]
        position = fence.end()
    parts.append(FIGURE.sub(figure, markdown[position:]))
    return "".join(parts)
