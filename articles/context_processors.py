"""The site header's section navigation: one query a minute at most, none per page.

Saving or deleting a section refreshes the cached list at once (see signals), so the
cache is warm whenever sections have changed; otherwise it expires after a minute.
The 500 page is rendered without context processors and never reaches this.
"""

from django.core.cache import cache
from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject

from .models import Category

CACHE_KEY = "articles:nav-sections"
CACHE_SECONDS = 60


def top_level_sections() -> list[dict]:
    """Name and address of each top-level section, in their set order."""
    sections = cache.get(CACHE_KEY)
    if sections is None:
        try:
            sections = refresh_sections()
        except DatabaseError:
            # The 404 page still renders with the database down, without the list.
            sections = []
    return sections


def refresh_sections() -> list[dict]:
    sections = [
        {
            "name": category.name,
            "url": category.get_absolute_url(),
            "slug": category.slug,
        }
        for category in Category.objects.filter(parent__isnull=True)
    ]
    cache.set(CACHE_KEY, sections, CACHE_SECONDS)
    return sections


def sections(request):
    # Lazy: pages that show no site header (the admin) never ask.
    return {"nav_sections": SimpleLazyObject(top_level_sections)}
