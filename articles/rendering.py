"""Turns an article's stored HTML into the page: markers are filled from live data.

Placed quotes, standard callouts, library images, expert mentions and links to other
articles all come from the data when the page is shown. A link goes to the target's current address while
it is published, and is only its words otherwise, so no page serves a dead link. The first time an expert appears in an article (a mention, or the
caption of a quote) gives their full name, job title and organisation; later
appearances give their short name.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from cms.limits import limit_problems
from cms.markdown import (
    REFERENCE_LIKE,
    block_keys,
    block_refs,
    expand_images,
    expand_links,
    expand_markers,
    inline_keys,
    render,
    stray_references,
)
from cms.models import Image
from experts.models import Expert, Quote

if TYPE_CHECKING:
    from .models import ArticleReference, Callout

# A mention or link inside a heading: the contents list is stored at save and cannot
# hold it.
MENTION_IN_HEADING = re.compile(
    r'<h([2-6])\b[^>]*>(?:(?!</h\1>).)*<cms-inline kind="(?P<kind>[a-z]+)"', re.S
)
STRAY_CALLOUT_LINE = re.compile(r"<p>:::[ \t]*(?P<kind>[A-Za-z]*)")
# The largest id a database key holds: a larger one is no image, and is not looked up.
MAX_ID = 2**63 - 1


def quote_figure(quote: Quote, *, first: bool = True) -> str:
    """The quote with its caption: full attribution on the expert's first appearance."""
    return render_to_string(
        "experts/includes/quote_figure.html", {"quote": quote, "short": not first}
    )


def image_figure(image: Image, caption: str = "") -> str:
    """A library image in the body: its "item" renditions, alt text, and a caption
    (the writer's override, else the image's own) with the credit."""
    return render_to_string(
        "includes/body_figure.html",
        {"image": image, "caption": caption or image.caption},
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


def article_link(reference: "ArticleReference", text: str = "") -> str:
    """A link to the target's current address while it is published; else the words.

    The words are the writer's ``text``, else the target's title (as last saved, once
    the target is deleted). A target that readers have never seen (a draft, or one
    scheduled for later) is not named: its title may be an embargoed story's.
    """
    target = reference.target_article
    if target is not None and target.is_published():
        words = text or target.title
        return format_html('<a href="{}">{}</a>', target.get_absolute_url(), words)
    if text:
        return conditional_escape(text)
    if target is None:
        return conditional_escape(reference.title)
    return conditional_escape(target.title) if target.was_live() else ""


def fill_body(
    rendered_html: str,
    *,
    quotes: Iterable[Quote] = (),
    callouts: Mapping[str, "Callout"] | None = None,
    experts: Mapping[str, Expert] | None = None,
    links: Mapping[int, "ArticleReference"] | None = None,
    images: Mapping[int, Image] | None = None,
    missing: Callable[[str, int | str], str] | None = None,
    seen: set[int] | None = None,
) -> SafeString:
    """Fill every marker, in document order, from the objects given.

    ``seen`` holds the ids of experts already named earlier on the page (the body,
    for a list item's text); it is updated as experts appear.

    ``callouts`` and ``experts`` are keyed by the reference as written in the body,
    ``links`` (article references, their targets fetched) by the linked article's id,
    ``images`` by their id.
    A marker with nothing given renders as ``missing(kind, ref)``, or as nothing; an
    article link with no reference row as its words, or ``missing("article", id)``.
    """
    links = links or {}

    def link(ref: int, text: str) -> str:
        if ref in links:
            return article_link(links[ref], text)
        if missing:
            return missing("article", ref) + conditional_escape(text)
        return conditional_escape(text)

    images = images or {}

    def image(ref: int, caption: str) -> str:
        if ref in images:
            return image_figure(images[ref], caption)
        return missing("image", ref) if missing else ""

    # Links and images do not depend on order, and become plain HTML the next pass
    # leaves alone.
    rendered_html = expand_images(expand_links(rendered_html, link), image)
    quotes_by_id = {quote.pk: quote for quote in quotes}
    callouts, experts = callouts or {}, experts or {}
    seen = set() if seen is None else seen

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


def body_reference_errors(text: str, *, deleted_links: Iterable[int] = ()) -> list[str]:
    """What is wrong with the body's callouts, mentions and links, one message each;
    [] if fine.

    ``deleted_links`` are linked articles deleted since the body was saved: their words
    stay on the page, and the link report lists them, so they do not block a save.
    """
    from .models import Article, Callout  # articles.models imports this module

    if limit_problems(text):
        return []  # the field's own validator says why; the text is not read
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
    ids = [int(key) for key in dict.fromkeys(inline_keys(rendered, "article"))]
    known = set(Article.objects.filter(pk__in=ids).values_list("pk", flat=True))
    known |= set(deleted_links)
    errors += [
        f"[[article:{pk}]] does not exist. Check the number (search titles with “Link "
        "to an article”), or remove the link."
        for pk in ids
        if pk not in known
    ]
    errors += image_errors(rendered)
    for match in MENTION_IN_HEADING.finditer(rendered):
        errors.append(
            "Headings cannot link to an article with [[article:…]]: link from the "
            "text below instead."
            if match["kind"] == "article"
            else "Headings cannot mention an expert with [[expert:…]]: type the name "
            "instead."
        )
    return list(dict.fromkeys(errors))


def image_errors(rendered_html: str) -> list[str]:
    """One message per placed image that is not in the library, in order; [] if none."""
    keys = list(dict.fromkeys(block_keys(rendered_html, "image")))
    ids = [int(key) for key in keys if key.isdigit() and int(key) <= MAX_ID]
    known = set(Image.objects.filter(pk__in=ids).values_list("pk", flat=True))
    return [
        f"[[image:{key}]] is not in the image library. Check the number (search "
        "with “Insert image”), or remove the line."
        for key in keys
        if not key.isdigit() or int(key) not in known
    ]


def check_quote_refs(text: str, allowed_ids: Iterable[int]) -> None:
    """Raise ValidationError naming each placed quote that is unknown or not in the article's list."""
    if limit_problems(text):
        return  # the body's own validator says why; the text is not read
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
    from .models import Article, ArticleReference, Callout  # imports this module

    rendered = render(text).html
    refs = block_refs(rendered, "quote")
    quotes = Quote.objects.filter(pk__in=refs).select_related("expert") if refs else []
    by_id = {quote.pk: quote for quote in quotes}
    keys = block_keys(rendered, "callout")
    callouts = Callout.objects.filter(key__in=keys) if keys else []
    slugs = inline_keys(rendered, "expert")
    experts = Expert.objects.filter(slug__in=slugs) if slugs else []
    ids = [int(key) for key in inline_keys(rendered, "article")]
    targets = (
        Article.objects.filter(pk__in=ids).select_related("category") if ids else []
    )
    image_ids = [
        int(key)
        for key in block_keys(rendered, "image")
        if key.isdigit() and int(key) <= MAX_ID
    ]
    images = Image.objects.filter(pk__in=image_ids) if image_ids else []

    def missing(kind: str, ref: int | str) -> str:
        if kind == "quote" and ref in by_id:  # withdrawn
            return (
                f'<p class="preview-warning" role="alert">[[quote:{ref}]] was '
                "withdrawn and will not show</p>"
            )
        if kind == "article":  # inside a sentence, before the writer's words
            return format_html(
                '<mark class="preview-error" role="alert">Unknown article '
                "[[article:{}]]</mark> ",
                ref,
            )
        if kind == "image":
            return format_html(
                '<p class="preview-error" role="alert">[[image:{}]] is not in the '
                "image library</p>",
                ref,
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

    filled = fill_body(
        _mark_strays(rendered),
        quotes=[quote for quote in quotes if not quote.is_withdrawn],
        callouts={callout.key: callout for callout in callouts},
        experts={expert.slug: expert for expert in experts},
        links={
            target.pk: ArticleReference(target_article=target, title=target.title)
            for target in targets
        },
        images={image.pk: image for image in images},
        missing=missing,
    )
    return mark_safe(_warnings(text) + filled)  # noqa: S308


def _warnings(text: str) -> str:
    """What a save would refuse about the text's links, above the preview."""
    from .addresses import link_articles  # imports models, which import this module

    _, problems = link_articles(text)
    return "".join(
        format_html('<p class="preview-error" role="alert">{}</p>', problem)
        for problem in problems
    )


def _mark_strays(rendered: str) -> str:
    """Each reference left as typed (a reader would see it), marked as an error.

    In one pass over the page: a replace per reference read it once per reference."""
    strays = {conditional_escape(literal) for literal in stray_references(rendered)}
    if not strays:
        return rendered

    def mark(match: re.Match) -> str:
        if match[0] not in strays:
            return match[0]
        return format_html(
            '<mark class="preview-error" role="alert" title="Readers would see '
            'this as typed: put it on a line of its own, or correct it">{}</mark>',
            mark_safe(match[0]),  # noqa: S308 - escaped above, as the page has it
        )

    return REFERENCE_LIKE.sub(mark, rendered)
