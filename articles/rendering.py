"""Turns an article's stored HTML into the page: markers are filled from live data.

Placed quotes, standard callouts and expert mentions all come from the data when the
page is shown. The first time an expert appears in an article (a mention, or the
caption of a quote) gives their full name, job title and organisation; later
appearances give their short name.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from cms.markdown import block_keys, block_refs, expand_markers, inline_keys, render
from experts.models import Expert, Quote

if TYPE_CHECKING:
    from .models import Callout

# A mention inside a heading: the contents list is stored at save and cannot hold it.
MENTION_IN_HEADING = re.compile(r"<h([2-6])\b[^>]*>(?:(?!</h\1>).)*<cms-inline", re.S)
STRAY_CALLOUT_LINE = re.compile(r"<p>:::[ \t]*(?P<kind>[A-Za-z]*)")


def quote_figure(quote: Quote, *, first: bool = True) -> str:
    """The quote with its caption: full attribution on the expert's first appearance."""
    return render_to_string(
        "experts/includes/quote_figure.html", {"quote": quote, "short": not first}
    )


def expert_mention(expert: Expert, *, first: bool) -> str:
    """An expert named in running text, linked to their page."""
    if not first:
        return format_html(
            '<a class="expert-mention" href="{}">{}</a>',
            expert.get_absolute_url(),
            expert.display_short_name,
        )
    link = format_html(
        '<a class="expert-mention" href="{}">{}</a>',
        expert.get_absolute_url(),
        expert.full_name,
    )
    return format_html("{}, {}", link, expert.role) if expert.role else link


def fill_body(
    rendered_html: str,
    *,
    quotes: Iterable[Quote] = (),
    callouts: Mapping[str, "Callout"] | None = None,
    experts: Mapping[str, Expert] | None = None,
    missing: Callable[[str, int | str], str] | None = None,
) -> SafeString:
    """Fill every marker, in document order, from the objects given.

    ``callouts`` and ``experts`` are keyed by the reference as written in the body. A
    marker with nothing given renders as ``missing(kind, ref)``, or as nothing.
    """
    quotes_by_id = {quote.pk: quote for quote in quotes}
    callouts, experts = callouts or {}, experts or {}
    seen: set[int] = set()

    def first_appearance(expert: Expert) -> bool:
        first = expert.pk not in seen
        seen.add(expert.pk)
        return first

    def replace(kind: str, ref: int | str) -> str:
        if kind == "quote" and ref in quotes_by_id:
            quote = quotes_by_id[ref]
            return quote_figure(quote, first=first_appearance(quote.expert))
        if kind == "callout" and str(ref) in callouts:
            return callouts[str(ref)].as_html()
        if kind == "expert" and str(ref) in experts:
            expert = experts[str(ref)]
            return expert_mention(expert, first=first_appearance(expert))
        return missing(kind, ref) if missing else ""

    return mark_safe(expand_markers(rendered_html, replace))  # noqa: S308 - sanitised at save


def expand_quotes(rendered_html: str, quotes: Iterable[Quote]) -> SafeString:
    """Put each placed quote in its spot; a marker whose quote is not given renders as nothing."""
    return fill_body(rendered_html, quotes=quotes)


def body_reference_errors(text: str) -> list[str]:
    """What is wrong with the body's callouts and mentions, one message each; [] if fine."""
    from .models import Callout  # articles.models imports this module

    rendered = render(text).html
    errors = []
    for match in STRAY_CALLOUT_LINE.finditer(rendered):
        if match["kind"]:
            errors.append(
                f"“:::{match['kind']}” is not a kind of callout: use :::urgent, "
                ":::warning or :::tip."
            )
        else:
            errors.append("A “:::” line closes no callout: remove it.")
    keys = list(dict.fromkeys(block_keys(rendered, "callout")))
    known = set(Callout.objects.filter(key__in=keys).values_list("key", flat=True))
    errors += [
        f"[[callout:{key}]] is not a standard callout. Check its key under Standard "
        "callouts, or remove the line."
        for key in keys
        if key not in known
    ]
    slugs = list(dict.fromkeys(inline_keys(rendered, "expert")))
    known = set(Expert.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    errors += [
        f"[[expert:{slug}]] is not an expert. Check the last part of the expert's page "
        "address, or remove the mention."
        for slug in slugs
        if slug not in known
    ]
    if MENTION_IN_HEADING.search(rendered):
        errors.append(
            "Headings cannot mention an expert with [[expert:…]]: type the name instead."
        )
    return errors


def check_quote_refs(text: str, allowed_ids: Iterable[int]) -> None:
    """Raise ValidationError naming each placed quote that is unknown or not in the article's list."""
    placed = block_refs(render(text).html, "quote")
    allowed = set(allowed_ids)
    missing = [ref for ref in placed if ref not in allowed]
    if not missing:
        return
    existing = set(Quote.objects.filter(pk__in=missing).values_list("pk", flat=True))
    errors = []
    for ref in dict.fromkeys(missing):
        if ref in existing:
            errors.append(
                f"[[quote:{ref}]] is placed in the body but is not in this article's quotes. "
                "Add it to the quotes below, or remove the line."
            )
        else:
            errors.append(
                f"[[quote:{ref}]] does not exist. Check the number, or remove the line."
            )
    raise ValidationError(errors)


def preview(text: str) -> str:
    """markdownx's live preview: the same renderer and markup as the public page."""
    from .models import Callout  # articles.models imports this module

    rendered = render(text).html
    refs = block_refs(rendered, "quote")
    quotes = Quote.objects.filter(pk__in=refs).select_related("expert") if refs else []
    by_id = {quote.pk: quote for quote in quotes}
    keys = block_keys(rendered, "callout")
    callouts = Callout.objects.filter(key__in=keys) if keys else []
    slugs = inline_keys(rendered, "expert")
    experts = Expert.objects.filter(slug__in=slugs) if slugs else []

    def missing(kind: str, ref: int | str) -> str:
        if kind == "quote" and ref in by_id:  # withdrawn
            return (
                f'<p class="preview-warning" role="alert">[[quote:{ref}]] was '
                "withdrawn and will not show</p>"
            )
        if kind == "expert":  # inside a sentence
            return format_html(
                '<mark class="preview-error" role="alert">Unknown expert '
                "[[expert:{}]]</mark>",
                ref,
            )
        return format_html(
            '<p class="preview-error" role="alert">Unknown reference [[{}:{}]]</p>',
            kind,
            ref,
        )

    return fill_body(
        rendered,
        quotes=[quote for quote in quotes if not quote.is_withdrawn],
        callouts={callout.key: callout for callout in callouts},
        experts={expert.slug: expert for expert in experts},
        missing=missing,
    )
