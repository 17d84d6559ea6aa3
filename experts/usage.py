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
    """One quote and the newest published content it appears in; ``more`` is how
    many other pieces place it too."""

    quote: Quote
    content: list[Any]
    more: int = 0


@dataclass(frozen=True)
class Appearances:
    """An expert's published content: everything quoting them or reviewed by them.

    ``content`` is one page of it, newest first (``page_obj``, None when there is
    none); ``quotes`` lists each quote once, with its newest content.
    """

    content: list[Any] = field(default_factory=list)
    quotes: list[QuoteUse] = field(default_factory=list)
    page_obj: Any = None


class Usage:
    """The questions experts ask; this base answers "nowhere" to each."""

    def appearances(self, expert: Expert, *, page=1) -> Appearances:
        """Page ``page`` of the published content quoting, or reviewed by, the
        expert, in a fixed number of queries. Raises ``django.core.paginator.
        InvalidPage`` for a page that does not exist."""
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
