"""The writers' admin, one module per area; importing registers every ModelAdmin."""

from . import article, calendar, callouts, links, people, sections  # noqa: F401
