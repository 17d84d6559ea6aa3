"""Writing the export's folder: each record a file, its media copied, all or nothing."""

import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from cms.images import file_of

from ..progress import progress
from .records import MEDIA_FIELDS, QUERIES, RECORDS, gone_record
from .schema import (
    FORMAT,
    KINDS,
    MANIFEST,
    MEDIA,
    Record,
    TransferError,
    safe_media_name,
)

# Values stay on one line however long: a title or a standfirst reads and diffs whole.
WIDTH = 1_000_000


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, writing texts of several lines as literal blocks, as
    they were typed. (``yaml.safe_dump`` takes no dumper of its own.)"""

    def ignore_aliases(self, data):
        return True


def _represent_text(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def dump_yaml(data: dict) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=WIDTH,
        default_flow_style=False,
    )


def render_record(record: Record) -> bytes:
    """The file: "---", the front matter, "---", then the text exactly as stored and
    a line end that is not part of it (a file ends with one, as editors expect)."""
    end = "\n" if record.body else ""
    return f"---\n{dump_yaml(record.front)}---\n{record.body}{end}".encode()


@dataclass
class ExportReport:
    counts: Counter = field(default_factory=Counter)
    media: int = 0
    missing_media: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [f"{kind}: {self.counts[kind]}" for kind in KINDS]
        if self.counts["gone"]:
            lines.append("gone addresses: 1 file")
        lines.append(f"media files: {self.media}")
        lines += [f"Missing media file: {note}" for note in self.missing_media]
        return lines


def export_content(directory, *, stream=None) -> ExportReport:
    """Write every record and its media into ``directory`` (new, or empty).

    The files are written into a folder beside it, renamed into place once complete:
    an export that fails or is interrupted leaves nothing behind. Raises
    ``TransferError`` when ``directory`` cannot be used.
    """
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise TransferError(f"{target} is a file: give a folder to export into.")
    if target.is_dir() and any(target.iterdir()):
        raise TransferError(
            f"{target} is not empty: export into a new or empty folder, so that no "
            "file of an earlier export is mixed with this one."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        report = ExportReport()
        # One reading of the database: every file describes the same moment.
        with transaction.atomic():
            _export_into(work, report, stream)
        (work / MANIFEST).write_text(dump_yaml(FORMAT), encoding="utf-8")
        if target.exists():
            target.rmdir()
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return report


def _export_into(work: Path, report: ExportReport, stream) -> None:
    copied: set[str] = set()
    for kind in KINDS:
        queryset = QUERIES[kind]().order_by("pk")
        rows = progress(
            queryset.iterator(chunk_size=200),
            total=queryset.count(),
            label=f"Exporting {kind}",
            stream=stream,
        )
        for row in rows:
            record = RECORDS[kind](row)
            _write(work / record.path, render_record(record))
            report.counts[kind] += 1
            for file in _media_of(kind, row):
                if file.name not in copied:
                    copied.add(file.name)
                    _copy_media(file, work, record.path, report)
    if (gone := gone_record()) is not None:
        _write(work / gone.path, render_record(gone))
        report.counts["gone"] += 1


def _media_of(kind: str, row) -> list:
    """The stored files of a record: a library image's; the other kinds use images
    by id, so their files are copied once, with the image's record."""
    files = [file_of(getattr(row, name)) for name in MEDIA_FIELDS.get(kind, [])]
    return [file for file in files if file]


def _copy_media(file, work: Path, record_path: str, report: ExportReport) -> None:
    """Copy a stored file byte for byte; one that is gone is reported, and its name
    stays in the record (an import reports it again)."""
    destination = work / MEDIA / safe_media_name(file.name)
    try:
        with file.storage.open(file.name, "rb") as source:
            data = source.read()
    except OSError:
        report.missing_media.append(f"{file.name} (used by {record_path})")
        return
    _write(destination, data)
    report.media += 1


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
