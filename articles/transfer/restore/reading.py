"""Reading an export's folder: the manifest checked, each record file parsed and
checked before anything is written."""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..export import FORMAT, GONE, KINDS, MANIFEST, SCHEMAS, TransferError
from .report import FAILED, ImportReport, ItemError
from .values import coerce

FRONT_MATTER = re.compile(
    r"---[ \t]*\r?\n(?P<front>.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M
)
# ``yaml.safe_load``, read by libyaml where PyYAML has it (ten times faster).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Item:
    """One record file, read and checked against its kind's keys."""

    kind: str
    path: str
    front: dict
    body: str
    # Articles: the key it has or will have here, whether it is already here, and
    # (after the first pass) its front matter in this database's ids.
    pk: int | None = None
    here: bool = False
    local: dict | None = None
    waiting: bool = False  # links to articles not yet here when it was written


def _check_export(root: Path) -> None:
    manifest = root / MANIFEST
    if not root.is_dir():
        raise TransferError(f"{root} is not a folder.")
    if not manifest.is_file():
        raise TransferError(
            f"{root} is not a Markdown export: it has no {MANIFEST} (see docs/export.md)."
        )
    try:
        found = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise TransferError(f"{manifest} cannot be read: {error}") from error
    if not isinstance(found, dict) or found.get("format") != FORMAT["format"]:
        raise TransferError(f"{manifest} does not describe a Markdown export.")
    if found.get("version") != FORMAT["version"]:
        raise TransferError(
            f"{root} is an export of version {found.get('version')}; this site reads "
            f"version {FORMAT['version']}."
        )


def parse_record(data: bytes) -> tuple[dict, str]:
    """The front matter and the Markdown of a record file; ``ItemError`` says what
    is wrong with one that is not."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise ItemError(f"is not UTF-8 text (byte {error.start})") from error
    match = FRONT_MATTER.match(text)
    if not match:
        raise ItemError(
            "has no front matter: a record file starts with a line “---”, its YAML, "
            "and another line “---”"
        )
    try:
        front = yaml.load(match["front"], Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ItemError(
            f"its front matter is not valid YAML: {problem}{where}"
        ) from error
    if front is None:
        front = {}
    if not isinstance(front, dict):
        raise ItemError("its front matter is not a set of “key: value” lines")
    # Less the line end the export adds after a text (``export.render_record``),
    # or its Windows form in a file edited there.
    crlf = text[: match.start("front")].endswith("\r\n")
    return front, text[match.end() :].removesuffix("\r\n" if crlf else "\n")


def _read_all(root: Path, report: ImportReport) -> dict[str, list[Item]]:
    """Every record file, checked; a file that cannot be read is reported as failed."""
    items: dict[str, list[Item]] = {kind: [] for kind in [*KINDS, "gone"]}
    files = [(kind, path) for kind in KINDS for path in _files(root / kind)]
    if (root / GONE).is_file():
        files.append(("gone", root / GONE))
    keys: dict[tuple, str] = {}
    for kind, path in files:
        name = path.relative_to(root).as_posix()
        try:
            if path.suffix != ".md":
                raise ItemError("is not a Markdown file (.md): not a record")
            front, body = parse_record(path.read_bytes())
            item = Item(kind, name, coerce(SCHEMAS[kind], front), body)
            for key in _natural_keys(item):
                if key in keys:
                    raise ItemError(f"is the same record as {keys[key]} ({key[1]})")
                keys[key] = name
        except (ItemError, OSError) as error:
            report.add(kind, FAILED, f"{name}: {error}")
            continue
        items[kind].append(item)
    return items


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def _natural_keys(item: Item) -> list[tuple]:
    front = item.front
    keys = {
        "sections": ["slug"],
        "tags": ["slug"],
        "callouts": ["key"],
        "experts": ["slug"],
        "authors": ["slug"],
    }.get(item.kind, [])
    found = [(item.kind, f"{name} {front[name]}") for name in keys]
    if item.kind == "articles":
        found.append(
            (item.kind, f"section and slug {front['section']}/{front['slug']}")
        )
    if front.get("id") is not None:
        found.append((item.kind, f"id {front['id']}"))
    return found
