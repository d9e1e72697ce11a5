"""The changes a person made in a view, newest last, each undone through the services."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class UndoStack:
    """Logged operations (``op`` ids) with what each did, in words."""

    limit: int = 50
    entries: list[tuple[str, str]] = field(default_factory=list)

    def push(self, op: str | None, what: str) -> None:
        if op:
            self.entries.append((op, what))
            del self.entries[: -self.limit]

    def pop(self) -> tuple[str, str] | None:
        return self.entries.pop() if self.entries else None

    def __len__(self) -> int:
        return len(self.entries)
