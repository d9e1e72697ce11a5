"""The changes a person made in a view, newest last, each undone through the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Undoable(NamedTuple):
    """One logged operation (``op``), what it did in words, and the record it changed
    (where the selection goes when it is undone)."""

    op: str
    what: str
    target: int | None = None


@dataclass
class UndoStack:
    """The operations a view can undo, newest last."""

    limit: int = 50
    entries: list[Undoable] = field(default_factory=list)

    def push(self, op: str | None, what: str, target: int | None = None) -> None:
        if op:
            self.entries.append(Undoable(op, what, target))
            del self.entries[: -self.limit]

    def pop(self) -> Undoable | None:
        return self.entries.pop() if self.entries else None

    def __len__(self) -> int:
        return len(self.entries)
