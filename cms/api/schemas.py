"""What every resource of the API shares: links, images, and addresses.

Apps describe their own resources (``articles/api``, ``experts/api.py``) with these.
Builders read only what the queryset fetched: a page of 50 costs the same queries as
a page of 1. Addresses are absolute, for the host the request came to, as on the
pages.
"""

from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.urls import get_script_prefix, reverse
from ninja import Schema
from pydantic import Field

from cms.images import file_of, focal_point, picture_for, renditions_of


class Link(Schema):
    """Where a thing is for readers (``url``) and in this API (``api_url``)."""

    url: str
    api_url: str


class Rendition(Schema):
    url: str
    width: int
    height: int
    format: str


class Image(Schema):
    """An image as pages show it: renditions once the worker has made them (until
    then ``renditions`` is empty and ``url`` is the original)."""

    url: str
    width: int | None
    height: int | None
    alt: str
    caption: str = ""
    # Who took or owns it, from the image library ("" when not recorded).
    credit: str = ""
    focal_point: dict[str, int]
    renditions: list[Rendition]


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if path else ""


@lru_cache(maxsize=16384)
def _reversed(prefix: str, name: str, kwargs: tuple) -> str:
    return reverse(name, kwargs=dict(kwargs))


def path_to(name: str, **kwargs) -> str:
    """``reverse()``, remembered: a list of 50 articles names about 600 addresses,
    many the same (sections, authors, tags), and each ``reverse()`` costs 0.1 ms."""
    return _reversed(get_script_prefix(), name, tuple(sorted(kwargs.items())))


def api_url(request, name: str, **kwargs) -> str:
    return absolute(request, path_to(f"api:{name}", **kwargs))


def page_url(request, thing) -> str:
    """A section's, tag's, author's or expert's page: its address is its slug's."""
    return absolute(request, _page_path(get_script_prefix(), type(thing), thing.slug))


@lru_cache(maxsize=16384)
def _page_path(prefix: str, model, slug: str) -> str:
    return model(slug=slug).get_absolute_url()


def image(
    request, library_image, preset: str, alt: str, caption: str = ""
) -> dict | None:
    """A library image (or an image file) as the API shows it; None without one."""
    field_file = file_of(library_image)
    picture = picture_for(field_file, preset)
    if picture is None:
        return None
    x, y = focal_point(field_file)
    return {
        "url": absolute(request, picture.large_src),
        "width": picture.width,
        "height": picture.height,
        "alt": alt,
        "caption": caption,
        "credit": getattr(library_image, "credit", ""),
        "focal_point": {"x": x, "y": y},
        "renditions": [
            {**item, "url": absolute(request, item["url"])}
            for item in renditions_of(field_file, preset)
        ],
    }


def articles_url(request, name: str, slug: str) -> str:
    """The API's list of their published articles (``/articles?author=…``)."""
    return f"{api_url(request, 'articles')}?{urlencode({name: slug})}"


class Paging(Schema):
    limit: int = Field(50, ge=1, le=settings.CMS_API_MAX_LIMIT)
    cursor: str | None = Field(None, max_length=200)
