"""Turns an article's stored HTML into the page: placed quotes are filled from live data."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from cms.markdown import block_refs, expand_blocks, render
from experts.models import Quote


def quote_figure(quote: Quote) -> str:
    return render_to_string("experts/includes/quote_figure.html", {"quote": quote})


def expand_quotes(rendered_html: str, quotes: Iterable[Quote]) -> SafeString:
    """Put each placed quote in its spot; a marker whose quote is not given renders as nothing."""
    by_id = {quote.pk: quote for quote in quotes}

    def replace(kind: str, ref: int) -> str:
        quote = by_id.get(ref) if kind == "quote" else None
        return quote_figure(quote) if quote else ""

    return mark_safe(expand_blocks(rendered_html, replace))  # noqa: S308 - sanitised at save


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
    """markdownx's live preview: the same renderer and quote markup as the public page."""
    rendered = render(text).html
    refs = block_refs(rendered, "quote")
    quotes = Quote.objects.filter(pk__in=refs).select_related("expert") if refs else []
    by_id = {quote.pk: quote for quote in quotes}

    def replace(kind: str, ref: int) -> str:
        if kind == "quote" and ref in by_id:
            return quote_figure(by_id[ref])
        return f'<p class="preview-error" role="alert">Unknown reference [[{kind}:{ref}]]</p>'

    return expand_blocks(rendered, replace)
