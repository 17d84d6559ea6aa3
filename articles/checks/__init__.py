"""Checks in the editor: advice on the article as it is typed, shown beside the live
preview (``admin/checks.py`` serves it, ``cms/admin/checks.js`` asks for it).

Each rule is a function of the form's values (a ``Draft``) returning findings; none
blocks saving or publishing. Rules that do block publishing stay in
``articles.services``, and these reuse their messages.
"""

from cms.markdown import block_refs
from cms.models import Image
from experts.models import Quote

from .base import INFO, OK, WARNING, Draft, Finding, TypedReview
from .body import (
    LIBRARY_IMAGE,
    alt_text,
    heading_order,
    link_text,
    long_paragraphs,
    long_sentences,
)
from .editorial import image_credits, placed_quotes, review_due
from .reading import reading_ease
from .seo import search_preview, seo_description, seo_title, social_preview

__all__ = ["INFO", "OK", "WARNING", "Draft", "Finding", "TypedReview", "run_checks"]

# Each check's heading in the panel, in the panel's order.
TITLES = {
    "seo_title": "Search title",
    "seo_description": "Search description",
    "headings": "Heading order",
    "alt_text": "Image descriptions",
    "link_text": "Link text",
    "paragraphs": "Paragraph length",
    "sentences": "Sentence length",
    "reading_ease": "Reading ease",
    "quotes": "Expert quotes",
    "credits": "Image credits",
    "review": "Medical review",
}


def run_checks(draft: Draft, *, origin: str) -> dict:
    """Every check's findings, and the search and social previews; ``origin`` is
    the site's address (``https://host``). Two queries at most: the library images
    and the quotes the body places (two more with ``CMS_IMAGE_CREDIT_REQUIRED``)."""
    ids = {int(ref) for ref in LIBRARY_IMAGE.findall(draft.body)}
    library = Image.objects.in_bulk(ids) if ids else {}
    quote_ids = block_refs(draft.body_html, "quote")
    quotes = (
        Quote.objects.filter(pk__in=quote_ids).select_related("expert")
        if quote_ids
        else []
    )
    findings = [
        *seo_title(draft),
        *seo_description(draft),
        *heading_order(draft),
        *alt_text(draft, library),
        *link_text(draft),
        *long_paragraphs(draft),
        *long_sentences(draft),
        *reading_ease(draft),
        *placed_quotes(quotes),
        *image_credits(draft),
        *review_due(draft),
    ]
    return {
        "findings": findings,
        "previews": {
            "search": search_preview(draft, origin),
            "social": social_preview(draft, origin),
        },
    }


def grouped(findings: list[Finding]) -> list[dict]:
    """The findings under each check's heading, warnings first, in ``TITLES`` order."""
    order = {WARNING: 0, INFO: 1, OK: 2}
    return [
        {
            "check": check,
            "title": title,
            "findings": sorted(
                (f for f in findings if f.check == check),
                key=lambda f: order[f.level],
            ),
        }
        for check, title in TITLES.items()
        if any(f.check == check for f in findings)
    ]
