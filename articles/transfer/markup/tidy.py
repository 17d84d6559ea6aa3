"""After conversion: what no single tag sees (blank lines, "[[" and ":::")."""

import re

from markdown.extensions.fenced_code import FencedBlockPreprocessor

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
