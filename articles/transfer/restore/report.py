"""What an import did, as the command reports it: outcomes per kind, and each
failure said in a sentence."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError

from ..export import KINDS, TransferError

CREATED, UPDATED, UNCHANGED, CONFLICT, FAILED = (
    "created",
    "updated",
    "unchanged",
    "conflicts",
    "failed",
)
OUTCOMES = (CREATED, UPDATED, UNCHANGED, CONFLICT, FAILED)
LABELS = {kind: kind for kind in KINDS} | {
    "links": "links between articles",
    "gone": "gone addresses",
}


class ItemError(Exception):
    """Why one record cannot be imported, in a sentence."""


@dataclass
class ImportReport:
    """What an import did, per kind of record, with a line for each failure and
    conflict."""

    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    interrupted: bool = False
    dry_run: bool = False

    def add(self, kind: str, outcome: str, message: str = "") -> None:
        if kind == "links" and outcome == UNCHANGED:
            return  # checked, and already right: not news
        self.counts[kind][outcome] += 1
        if outcome == FAILED:
            self.failures.append(message)
        elif outcome == CONFLICT:
            self.conflicts.append(message)

    @property
    def failed(self) -> int:
        return sum(counts[FAILED] for counts in self.counts.values())

    def lines(self) -> list[str]:
        lines = ["Dry run: nothing was written."] if self.dry_run else []
        for kind in [*KINDS, "links", "gone"]:
            if kind in self.counts:
                counts = self.counts[kind]
                shown = (UPDATED, FAILED) if kind == "links" else OUTCOMES
                said = ", ".join(f"{counts[outcome]} {outcome}" for outcome in shown)
                lines.append(f"{LABELS[kind]}: {said}")
        lines += [f"Failed: {line}" for line in self.failures]
        lines += [f"Conflict: {line}" for line in self.conflicts]
        lines += [f"Note: {line}" for line in self.notes]
        return lines


def _explain(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return "; ".join(
                f"{'' if name == '__all__' else FIELD_NAMES.get(name, name) + ': '}"
                f"{' '.join(messages)}"
                for name, messages in error.message_dict.items()
            )
        return " ".join(error.messages)
    if isinstance(error, ItemError | TransferError):
        return str(error)
    if isinstance(error, DatabaseError):
        return f"the database refused it: {error}"
    return f"{type(error).__name__}: {error}"


FIELD_NAMES = {"category": "section", "body": "body", "text": "text"}
