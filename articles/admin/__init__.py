"""The writers' admin, one module per area; importing registers every ModelAdmin."""

from . import article, callouts, links, people, sections  # noqa: F401
