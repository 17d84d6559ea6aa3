"""The writers' admin, one module per area; importing registers every ModelAdmin."""

from . import article, people, sections  # noqa: F401
