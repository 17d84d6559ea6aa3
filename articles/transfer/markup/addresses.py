"""File names and hosts of addresses, for messages; a malformed address never raises."""

from posixpath import basename
from urllib.parse import unquote, urlsplit


def _name(url: str) -> str:
    """The file name of an address, for messages."""
    return unquote(basename(_split(url).path.rstrip("/"))) or url


def _host(url: str) -> str:
    return _split(url).hostname or "an unknown site"


def _split(url: str):
    try:
        return urlsplit(url)
    except ValueError:  # "http://[x": no address at all
        return urlsplit("")
