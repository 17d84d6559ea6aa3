"""How much Markdown a field takes: its size, and how deep callouts, lists and quotes
nest in it.

One rule for every Markdown field, as the fields' validator (so every form, the admin
and any importer refuse the same text) and for the live preview, which shows the
reason rather than the page. The renderer stays fast and safe past these limits
(``cms/bounded.py``) for text saved before them; these are what a writer is told.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from markdown.blockprocessors import HRProcessor
from markdown.extensions.fenced_code import FencedBlockPreprocessor

# Callouts, list items and quotes, one inside another.
MAX_NESTING = 8
# A level of nesting at the start of a line: a quote's ">", or a list item's marker
# (indented by four spaces per enclosing list).
QUOTE = re.compile(r" {0,3}> ?")
ITEM = re.compile(r"( *)(?:[*+-]|\d{1,9}[.)])[ \t]+")
RULE = re.compile(HRProcessor.RE.removeprefix("^"))  # "- - -": a rule, not lists


def limit_problems(text: str) -> list[str]:
    """Why a Markdown field may not hold ``text``, one message each; [] if it may."""
    if problem := size_problem(text):
        return [problem]  # too long to be worth reading line by line
    return [problem] if (problem := nesting_problem(text)) else []


def size_problem(text: str) -> str | None:
    """The text's size in bytes of UTF-8 against ``CMS_MAX_MARKDOWN_BYTES``."""
    limit = settings.CMS_MAX_MARKDOWN_BYTES
    if len(text or "") * 4 <= limit:  # no character takes more than four bytes
        return None
    size = len(text.encode("utf-8", "surrogatepass"))
    if size <= limit:
        return None
    return (
        f"This text is {size:,} bytes long, and the most a text can be is "
        f"{limit:,} bytes: shorten it, or split it in two."
    )


def nesting_problem(text: str) -> str | None:
    """The first line where callouts, list items and quotes nest more than
    ``MAX_NESTING`` deep, as a message naming it; None if none does."""
    from .markdown import CALLOUT_CLOSE, CALLOUT_START  # which imports this module

    callouts = 0
    for number, line in _lines_outside_code(text or ""):
        line, depth, at = line.expandtabs(4), 0, 0
        while depth <= MAX_NESTING and not RULE.match(line, at):
            if quote := QUOTE.match(line, at):
                depth, at = depth + 1, quote.end()
            elif item := ITEM.match(line, at):
                depth, at = depth + 1 + len(item[1]) // 4, item.end()
            else:
                break
        if CALLOUT_CLOSE.match(line[at:]):
            callouts = 0
        elif CALLOUT_START.match(line[at:]):
            callouts += 1
        if callouts + depth > MAX_NESTING:
            return (
                f"Line {number}: callouts, lists and quotes are nested more than "
                f"{MAX_NESTING} deep here, one inside another: close some before "
                "opening more."
            )
    return None


def _lines_outside_code(text: str):
    """(number, line) for each line not inside a fenced code block, numbered from 1."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    code, line, position = set(), 0, 0
    for fence in FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(text):
        line += text.count("\n", position, fence.start())
        last = line + text.count("\n", fence.start(), fence.end())
        code.update(range(line, last + 1))
        line, position = last, fence.end()
    for number, line in enumerate(text.split("\n")):
        if number not in code:
            yield number + 1, line


@deconstructible
class MarkdownLimits:
    """Validator for every Markdown field: at most ``CMS_MAX_MARKDOWN_BYTES`` of
    text, nested at most ``MAX_NESTING`` deep."""

    def __call__(self, value) -> None:
        if problems := limit_problems(value):
            raise ValidationError(problems, code="markdown_limits")

    def __eq__(self, other):
        return isinstance(other, MarkdownLimits)
