"""Search and social: the title and description as search engines and social cards
show them, with the same fallbacks as the page (``Article.meta_title`` and
``meta_description``)."""

from django.conf import settings
from django.urls import NoReverseMatch
from django.utils.text import Truncator

from cms.images import large_url

from .base import OK, WARNING, Draft, Finding

TITLE_RANGE = (30, 60)
DESCRIPTION_RANGE = (70, 160)
# Search engines cut a longer title or description, at about these lengths.
SNIPPET_TITLE_CHARS = 60
SNIPPET_DESCRIPTION_CHARS = 160


def page_values(draft: Draft):
    """An unsaved article holding the typed values, so the page's own properties say
    which title and description it would show."""
    from ..models import Article  # the models import the renderer this package uses

    return Article(
        title=draft.title,
        slug=draft.slug,
        standfirst=draft.standfirst,
        seo_title=draft.seo_title,
        seo_description=draft.seo_description,
        category=draft.category,
    )


def _length(check, label, text, bounds, source) -> Finding:
    low, high = bounds
    count = len(text)
    message = f"{label}: {count} characters (aim for {low}–{high})."
    if not count:
        return Finding(check, WARNING, f"{label}: empty.", source)
    if count < low:
        why = "Too short: say more of what the reader will find."
    elif count > high:
        why = "Too long: search engines cut it at about this length."
    else:
        return Finding(check, OK, message, source)
    return Finding(check, WARNING, message, f"{why} {source}".strip())


def seo_title(draft: Draft) -> list[Finding]:
    """The search title's length, in characters."""
    title = page_values(draft).meta_title
    source = (
        "From the SEO title."
        if draft.seo_title
        else "No SEO title, so the headline is used."
    )
    return [_length("seo_title", "Search title", title, TITLE_RANGE, source)]


def seo_description(draft: Draft) -> list[Finding]:
    """The search description's length, in characters."""
    description = page_values(draft).meta_description
    source = (
        "From the SEO description."
        if draft.seo_description
        else "No SEO description, so the standfirst is used (cut at 160 characters)."
    )
    return [
        _length(
            "seo_description",
            "Search description",
            description,
            DESCRIPTION_RANGE,
            source,
        )
    ]


def _address(draft: Draft, origin: str) -> tuple[str, str]:
    """The page's full address and the breadcrumb a search result shows for it."""
    host = origin.split("://", 1)[-1]
    try:
        path = page_values(draft).get_absolute_url() if draft.category else ""
    except NoReverseMatch:  # no slug yet, or one the address cannot hold
        path = ""
    if not path:
        return origin + "/", f"{host} › …"
    return origin + path, " › ".join([host, *path.strip("/").split("/")])


def search_preview(draft: Draft, origin: str) -> dict[str, str]:
    """The result as a search engine would list it: title, address, description."""
    values = page_values(draft)
    title = f"{values.meta_title} | {settings.CMS_SITE_NAME}"
    url, breadcrumb = _address(draft, origin)
    return {
        "title": Truncator(title).chars(SNIPPET_TITLE_CHARS),
        "url": url,
        "breadcrumb": breadcrumb,
        "description": Truncator(values.meta_description).chars(
            SNIPPET_DESCRIPTION_CHARS
        ),
    }


def social_preview(draft: Draft, origin: str) -> dict[str, str | None]:
    """The card a social network shows: the page's OpenGraph image (the hero's
    largest rendition, or none), title and description."""
    values = page_values(draft)
    image = large_url(draft.hero, "hero") if draft.hero else None
    note = "" if image else "No hero image: the card shows no picture."
    return {
        "image": image or None,
        "image_alt": draft.hero.alt if image else "",
        "site": origin.split("://", 1)[-1],
        "title": values.meta_title,
        "description": values.meta_description,
        "note": note,
    }
