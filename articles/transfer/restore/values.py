"""Front-matter values checked against the schema's types, with a sentence for each
value that does not fit."""

from datetime import date, datetime

from ..export import REQUIRED, Key
from .report import ItemError


def coerce(schema: dict[str, Key], front: dict, where: str = "") -> dict:
    """The front matter with every key of ``schema``, each of its type (defaults for
    keys left out); ``ItemError`` names a key that is unknown, missing or wrong."""
    if unknown := [name for name in front if name not in schema]:
        names = ", ".join(f"“{where}{name}”" for name in map(str, unknown))
        raise ItemError(f"has keys no record of its kind has: {names}")
    found = {}
    for name, key in schema.items():
        label = f"“{where}{name}”"
        if name not in front:
            if key.default is REQUIRED:
                raise ItemError(f"has no {label}")
            value = list(key.default) if isinstance(key.default, tuple) else key.default
        else:
            value = _value(key, front[name], label, f"{where}{name}")
        found[name] = value
    return found


def _value(key: Key, value, label: str, where: str):
    kind = key.type
    if kind == "list":
        entries = _list(value, label)
        return [
            coerce(key.entries, _mapping(entry, f"{label} {n}"), f"{where} {n}: ")
            for n, entry in enumerate(entries, start=1)
        ]
    if value is None:
        if key.default is REQUIRED:
            raise ItemError(f"has no value for {label}")
        if kind in ("text", "texts", "ids"):
            return [] if kind in ("texts", "ids") else ""
        if kind in ("int", "bool"):
            raise ItemError(f"{label} needs a value")
        return None
    if kind in ("text", "optional"):
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise ItemError(f"{label} should be text")
        return value
    if kind in ("int", "id"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ItemError(f"{label} should be a whole number")
        if kind == "id" and value < 1:
            raise ItemError(f"{label} should be a positive number")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ItemError(f"{label} should be true or false")
        return value
    if kind == "moment":
        return _moment(value, label)
    if kind == "day":
        return _day(value, label)
    if kind == "texts":
        return [
            _value(Key("text", REQUIRED), v, label, where) for v in _list(value, label)
        ]
    if kind == "ids":
        return [
            _value(Key("id", REQUIRED), v, label, where) for v in _list(value, label)
        ]
    raise AssertionError(kind)


def _list(value, label: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ItemError(f"{label} should be a list")
    return value


def _mapping(value, label: str) -> dict:
    if not isinstance(value, dict):
        raise ItemError(f"{label} should be a set of “key: value” lines")
    return value


def _moment(value, label: str) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime):
        raise ItemError(
            f"{label} should be a date and time, such as 2026-05-03 09:00:00+00:00"
        )
    if value.tzinfo is None:
        raise ItemError(f"{label} needs a time zone, such as +00:00")
    return value


def _day(value, label: str) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            value = None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ItemError(f"{label} should be a date, such as 2026-05-03")
    return value
