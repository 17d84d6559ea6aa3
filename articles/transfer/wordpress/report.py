"""What an import did, per kind of item, as the command prints it."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

OUTCOMES = ("imported", "updated", "unchanged", "skipped", "conflict", "failed")


@dataclass
class Report:
    """What an import did, per kind of item, and what it has to say about items."""

    source: str
    version: str
    dry_run: bool = False
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    notes: list[str] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    def note(self, text: str) -> None:
        self.notes.append(text)

    @property
    def failed(self) -> int:
        return sum(counts["failed"] for counts in self.counts.values())

    def lines(self) -> list[str]:
        head = "Dry run, nothing was written: " if self.dry_run else ""
        lines = [f"{head}WordPress import of {self.source} (WXR {self.version})", ""]
        width = max((len(kind) for kind in self.counts), default=8) + 2
        lines.append("".ljust(width) + "".join(f"{o:>11}" for o in OUTCOMES))
        for kind, counts in self.counts.items():
            lines.append(
                kind.ljust(width) + "".join(f"{counts[o]:>11}" for o in OUTCOMES)
            )
        if self.missing_files:
            lines += [
                "",
                f"Files not found in the media folder ({len(self.missing_files)}):",
            ]
            lines += [f"  {name}" for name in self.missing_files]
        if self.notes:
            lines += ["", f"Notes ({len(self.notes)}):"]
            lines += [f"  - {note}" for note in self.notes]
        return lines
