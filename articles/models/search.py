"""Search over articles: full-text on PostgreSQL, a plain fallback on SQLite.

Both engines give ``ArticleQuerySet.search(q)`` the same contract: matching rows,
best first, each with a numeric ``rank`` and a ``snippet`` that is safe HTML
(everything escaped but the ``<mark>`` around matched words).
"""

import html
import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection, models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Concat
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

# Longer queries are cut: nobody types more, and it bounds the work per request.
MAX_QUERY_LENGTH = 200
# Private-use characters mark the matched words until the snippet is escaped.
START, STOP = "\ue000", "\ue001"
SNIPPET_CHARS = 240
# PostgreSQL ranks at most this many matches, the newest; search pages count as many.
MAX_RANKED = 500
# The fallback builds SQL per term: later terms are ignored.
MAX_TERMS = 8
SEARCH_CONFIG = "english"
# Weights: title A, standfirst B, tags C, body D; the SQLite scores keep the same order.
SCORES = {"title": 8, "standfirst": 4, "tags": 2, "body_text": 1}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")
_TOKENS = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w")


def clean_query(q: str | None) -> str:
    """The query as searched: no control characters, bounded, trimmed.

    An empty result means "nothing to search for" (blank, or only punctuation).
    """
    q = _CONTROL.sub(" ", q or "")[:MAX_QUERY_LENGTH].strip()
    return q if _WORD.search(q) else ""


def plain_text(body_html: str) -> str:
    """Rendered HTML as the words a reader sees, for search and snippets."""
    return " ".join(html.unescape(strip_tags(body_html or "")).split())


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def highlight(text: str) -> str:
    """Escape a snippet whose matches are wrapped in START/STOP, then mark them."""
    marked = escape(text or "").replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(marked)  # noqa: S308 - escaped just above


class HighlightField(models.TextField):
    """ts_headline's output, read back escaped with <mark> around the matches."""

    def from_db_value(self, value, expression, connection):
        return highlight(value)


class SnippetField(models.TextField):
    """The SQLite fallback's snippet: the sentence around the first match of a term."""

    def __init__(self, *args, terms=(), **kwargs):
        self.terms = list(terms)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["terms"] = self.terms
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return sentence_snippet(value or "", self.terms)


def sentence_snippet(text: str, terms: list[str]) -> str:
    """The sentence holding the first match of any term, cut to length, terms marked."""
    lowered = text.lower()
    hits = [(lowered.find(term.lower()), term) for term in terms if term]
    hits = [(at, term) for at, term in hits if at >= 0]
    if not hits:
        return highlight(text[:SNIPPET_CHARS])
    at = min(hits)[0]
    start = max(
        text.rfind(". ", 0, at), text.rfind("? ", 0, at), text.rfind("! ", 0, at)
    )
    start = 0 if start < 0 else start + 2
    if at - start > SNIPPET_CHARS // 2:
        start = at - SNIPPET_CHARS // 2
    end = min(
        (i + 1 for i in (text.find(p, at) for p in (". ", "? ", "! ")) if i >= 0),
        default=len(text),
    )
    end = min(end, start + SNIPPET_CHARS)
    sentence = text[start:end].strip()
    pattern = re.compile("|".join(re.escape(term) for _, term in hits), re.IGNORECASE)
    sentence = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", sentence)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return highlight(f"{prefix}{sentence}{suffix}")


def parse_terms(q: str) -> list[list[tuple[str, bool]]]:
    """``websearch``-like syntax for the fallback: quoted phrases, ``-`` to exclude,
    ``or`` between alternatives; the rest must all match.

    Returns AND-ed groups, each a list of OR-ed ``(term, excluded)`` pairs.
    """
    groups: list[list[tuple[str, bool]]] = []
    join_next = False
    for minus, phrase, word in _TOKENS.findall(q):
        if word and word.lower() == "or":
            join_next = bool(groups)
            continue
        excluded = bool(minus) or (word.startswith("-") and len(word) > 1)
        term = phrase if not word else word.lstrip("-")
        term = term.strip()
        if not _WORD.search(term):
            continue
        if join_next and not excluded:
            groups[-1].append((term, False))
        else:
            groups.append([(term, excluded)])
        join_next = False
    return groups


def tag_match(term: str):
    from .sections import Tag

    return Exists(Tag.objects.filter(articles=OuterRef("pk"), name__icontains=term))


def term_match(term: str) -> Q:
    return (
        Q(title__icontains=term)
        | Q(standfirst__icontains=term)
        | Q(body_text__icontains=term)
        | Q(tag_match(term))
    )


def search_vector(title: str, standfirst: str, tags: str, body_text: str):
    """The weighted vector for an article's words (English stemming)."""

    def part(text, weight):
        return SearchVector(
            Value(text, output_field=models.TextField()),
            weight=weight,
            config=SEARCH_CONFIG,
        )

    return (
        part(title, "A")
        + part(standfirst, "B")
        + part(tags, "C")
        + part(body_text, "D")
    )


def update_search_vectors(articles) -> None:
    """Store each article's vector (PostgreSQL only): after a save, and after its tags change."""
    if not is_postgresql():
        return
    from .article import Article

    for article in articles:
        tags = " ".join(article.tags.values_list("name", flat=True))
        vector = search_vector(
            article.title, article.standfirst, tags, article.body_text
        )
        Article.objects.filter(pk=article.pk).update(search_vector=vector)


class SearchQuerySetMixin:
    def search(self, q: str | None):
        """Articles matching ``q``, best first, with ``rank`` and a safe ``snippet``.

        Blank or junk queries match nothing rather than everything.
        """
        q = clean_query(q)
        if not q:
            return self.none()
        if is_postgresql():
            return self._search_postgresql(q)
        return self._search_fallback(q)

    def _search_postgresql(self, q: str):
        query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        headline = SearchHeadline(
            Concat(
                "standfirst", Value(" "), "body_text", output_field=models.TextField()
            ),
            query,
            config=SEARCH_CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=35,
            min_words=15,
            max_fragments=1,
        )
        headline.output_field = HighlightField()
        # Ranking reads every match's whole vector: a common word would rank the
        # whole table. The newest matches, found by an index, are ranked instead.
        newest = (
            self.filter(search_vector=query)
            .order_by("-published_at", "-pk")
            .values("pk")[:MAX_RANKED]
        )
        return (
            self.filter(pk__in=newest)
            .annotate(rank=SearchRank(F("search_vector"), query), snippet=headline)
            .order_by("-rank", "-published_at", "-pk")
        )

    def _search_fallback(self, q: str):
        groups = parse_terms(q)[:MAX_TERMS]
        if not any(not excluded for group in groups for _, excluded in group):
            return self.none()
        matches = self
        for group in groups:
            if len(group) == 1 and group[0][1]:
                matches = matches.exclude(term_match(group[0][0]))
                continue
            either = Q()
            for term, _ in group:
                either |= term_match(term)
            matches = matches.filter(either)
        terms = [term for group in groups for term, excluded in group if not excluded]
        rank = Value(0)
        for term in terms:
            for field, score in SCORES.items():
                condition = (
                    Q(tag_match(term))
                    if field == "tags"
                    else Q(**{f"{field}__icontains": term})
                )
                rank += Case(When(condition, then=Value(score)), default=Value(0))
        snippet = Concat(
            "standfirst",
            Value(" "),
            "body_text",
            output_field=SnippetField(terms=terms),
        )
        return matches.annotate(rank=rank, snippet=snippet).order_by(
            "-rank", "-published_at", "-pk"
        )
