from django import template

from cms.images import picture_for

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(image, alt="", sizes="100vw", eager=False, preset="hero", css_class=""):
    """A <picture> of an image's renditions: WebP with a JPEG/PNG fallback, srcset,
    intrinsic width and height, lazy unless ``eager`` (the hero, high priority).

    ``alt=""`` marks a decorative image (a card's picture beside its linked title).
    Until the renditions are made, an <img> of the original at its stored size.
    """
    return {
        "picture": picture_for(image, preset),
        "alt": alt,
        "sizes": sizes,
        "eager": eager,
        "css_class": css_class,
    }


@register.simple_tag
def picture_of(image, preset="hero"):
    """The ``Picture`` of an image (``{% picture_of image "item" as shown %}``): its
    ``large_src`` is what to link for the full image, never the upload once renditions
    exist; ``width`` and ``height`` are that rendition's."""
    return picture_for(image, preset)


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """``url`` (a path, or already a full address) as a full address for this request."""
    return context["request"].build_absolute_uri(url) if url else ""


@register.simple_tag(takes_context=True)
def canonical_url(context, url=""):
    """This page's full address: ``url`` if given, else its path plus ``?page=`` after
    the first page of a list."""
    request = context["request"]
    if url:
        return request.build_absolute_uri(url)
    page = context.get("page_obj")
    query = f"?page={page.number}" if page is not None and page.number > 1 else ""
    return request.build_absolute_uri(request.path + query)
