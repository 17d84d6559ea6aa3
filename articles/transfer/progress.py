"""A progress bar for the import and export commands, shown only on a terminal: in a
log or a pipe it would be noise, and the commands' reports say what happened."""

import sys

from tqdm import tqdm


def progress(iterable, *, total: int | None = None, label: str = "", stream=None):
    """``iterable``, drawing a bar on ``stream`` (stderr by default) when it is a
    terminal; otherwise just ``iterable``."""
    stream = stream or sys.stderr
    if not getattr(stream, "isatty", lambda: False)():
        return iterable
    return tqdm(
        iterable, total=total, desc=label, file=stream, unit=" items", leave=False
    )
