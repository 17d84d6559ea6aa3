"""Where experts and their quotes are used, as told by the app that uses them.

experts knows nothing of articles. The app that places quotes and reviews in its content
registers a ``Usage`` in its ``AppConfig.ready()`` (articles does: ``articles.experts``);
the expert pages and the experts admin ask it. Until one is registered, nothing uses
experts: their pages list no content and the admin counts no uses.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet, Value

from .models import Expert, Quote


@dataclass(frozen=True)
class QuoteUse:
    """One quote and the published content it appears in, newest first."""

    quote: Quote
    content: list[Any]


@dataclass(frozen=True)
class Appearances:
    """An expert's published content: everything quoting them or reviewed by them.

    ``content`` is newest first; ``quotes`` lists each quote once, with its content.
    """

    content: list[Any] = field(default_factory=list)
    quotes: list[QuoteUse] = field(default_factory=list)


class Usage:
    """The questions experts ask; this base answers "nowhere" to each."""

    def appearances(self, expert: Expert) -> Appearances:
        """Published content quoting, or reviewed by, the expert, in a fixed number of queries."""
        return Appearances()

    def published_content_for_quote(self, quote: Quote) -> list[Any]:
        """Published content that places the quote (withdrawn or not)."""
        return []

    def with_use_counts(self, quotes: QuerySet) -> QuerySet:
        """The quotes annotated with ``use_count``: how many pieces of content list each."""
        return quotes.annotate(use_count=Value(0))


_registered = Usage()


def register(usage: Usage) -> None:
    global _registered
    _registered = usage


def usage() -> Usage:
    return _registered
