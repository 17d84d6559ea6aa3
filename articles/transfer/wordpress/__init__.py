"""Moving in from WordPress: a WXR export (``wxr.read``) becomes authors, sections,
tags, images and articles, through the same write path as the admin.

Each item is written in a transaction of its own: one that fails is reported and the
rest go on, and an interrupted import leaves whole items only. Every item is recorded
(``ImportedItem``) by its WordPress id, and posts also by GUID, with a checksum of what
was read: a second import of the same file writes nothing, and one of a newer export
updates what changed there, unless an editor has changed it here since (a conflict,
reported, never overwritten). A dry run does it all in a transaction rolled back at
the end, storing no file, so its report is the real one.
"""

from .importer import WordPressImport
from .report import Report

__all__ = ["Report", "WordPressImport"]
