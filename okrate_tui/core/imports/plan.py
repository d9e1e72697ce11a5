"""What an import means to do, row by row, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from okrate_tui.core.errors import OkrateError


@dataclass(frozen=True, order=True)
class RowError:
    """Why one row cannot be imported: its number, the column at fault, the reason."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}, {self.column}" if self.column else f"row {self.row}"
        return f"{where}: {self.reason}"


@dataclass
class Draft:
    """One row as the services will get it.

    ``fields`` holds the task's values (title, goal, owner, deadline, priority, status,
    objective, context, milestone); ``columns`` names the file's column each came from.
    A ``task_id`` makes it an update (checked against ``version`` when given); ``skip``
    says why the row is left out; ``project`` names the goal to create for it.
    """

    row: int
    label: str
    fields: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    task_id: int | None = None
    version: int | None = None
    skip: str | None = None
    project: str | None = None
    finished: datetime | None = None  # when a task that comes in done was finished (naive UTC)

    def column(self, name: str) -> str:
        return self.columns.get(name, name)


@dataclass
class Plan:
    """Rows read from a file, the errors found reading them, and the goals to create
    (one per project, owned by the person importing, under ``parent`` if given)."""

    source: str
    drafts: list[Draft] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_goals: list[str] = field(default_factory=list)
    parent: int | None = None
    notes: list[str] = field(default_factory=list)

    def fail(self, row: int, column: str, reason: str) -> None:
        self.errors.append(RowError(row, column, reason))


@dataclass(frozen=True)
class Step:
    """What happened (or would happen) to one row."""

    row: int
    action: str  # "add", "update", "unchanged", "skip" or "goal"
    detail: str
    ident: int | None = None  # the task or goal written (a dry run's are rolled back)


@dataclass
class Outcome:
    """The result of an import, or of its dry run."""

    dry_run: bool
    steps: list[Step] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for s in self.steps if s.action == action)


class ImportRefused(OkrateError):
    """Some rows are invalid or not allowed: nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors)
        rows = len({e.row for e in self.errors})
        noun = "row has" if rows == 1 else "rows have"
        super().__init__(f"nothing imported: {rows} {noun} errors; the database is unchanged")
