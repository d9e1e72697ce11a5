"""Task lists and counts: the hot queries of the board and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from peewee import JOIN

from okrate_tui.core.models import Change, Person, Task
from okrate_tui.core.queries.sql import SUBTREE_CTE, rows
from okrate_tui.core.rows import dicts
from okrate_tui.core.vocab import OPEN_STATUSES, TASK_STATUSES


@dataclass(frozen=True, slots=True)
class TaskRow:
    id: int
    title: str
    status: str
    priority: str | None
    deadline: date | None
    owner_id: int | None
    owner: str | None
    goal_id: int
    goal: str
    milestone_id: int | None
    position: float
    version: int
    updated_at: datetime | None
    completed_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "priority": self.priority,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "owner": self.owner,
            "goal_id": self.goal_id,
            "goal": self.goal,
            "milestone_id": self.milestone_id,
            "version": self.version,
            "completed_at": self.completed_at.isoformat() if self.completed_at else None,
        }


_SELECT = (
    "SELECT t.id, t.title, t.status, t.priority, t.deadline, t.owner_id, p.handle, t.goal_id, "
    "g.title, t.milestone_id, t.position, t.version, t.updated_at, t.completed_at "
    "FROM task t JOIN goal g ON g.id = t.goal_id LEFT JOIN person p ON p.id = t.owner_id"
)


STATUS_ORDER = "CASE t.status WHEN 'todo' THEN 0 WHEN 'doing' THEN 1 WHEN 'blocked' THEN 2 ELSE 3 END"


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _as_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _task_rows(found: list[tuple]) -> list[TaskRow]:
    return [
        TaskRow(
            r[0],
            r[1],
            r[2],
            r[3],
            _as_date(r[4]),
            r[5],
            r[6],
            r[7],
            r[8],
            r[9],
            float(r[10]),
            r[11],
            _as_datetime(r[12]),
            _as_datetime(r[13]),
        )
        for r in found
    ]


def open_tasks_for(person_id: int, limit: int = 200) -> list[TaskRow]:
    """A person's open tasks, soonest deadline first (no deadline last)."""
    found = rows(
        f"{_SELECT} WHERE t.owner_id = ? AND t.status IN ('todo', 'doing', 'blocked') "
        "ORDER BY CASE WHEN t.deadline IS NULL THEN 1 ELSE 0 END, t.deadline, t.position "
        f"LIMIT {int(limit)}",
        [person_id],
    )
    return _task_rows(found)


def goal_tasks(goal_id: int, today: date, limit: int = 40) -> tuple[list[TaskRow], int]:
    """The tasks that hang directly off a goal (any milestone of it included): open ones
    first, overdue and blocked before the rest, then by deadline; done ones last. Returns
    at most ``limit`` of them and how many there are in all."""
    found = rows(
        f"{_SELECT} WHERE t.goal_id = ? ORDER BY "
        "CASE WHEN t.status = 'done' THEN 3 WHEN t.deadline < ? THEN 0 WHEN t.status = 'blocked' THEN 1 ELSE 2 END, "
        "CASE WHEN t.deadline IS NULL THEN 1 ELSE 0 END, t.deadline, t.position, t.id "
        f"LIMIT {int(limit)}",
        [goal_id, today.isoformat()],
    )
    total = Task.select().where(Task.goal == goal_id).count()
    return _task_rows(found), total


def list_tasks(
    *,
    owner_id: int | None = None,
    goal_id: int | None = None,
    status: str | None = None,
    cycle_id: int | None = None,
    overdue_on: date | None = None,
    due_before: date | None = None,
    limit: int | None = None,
) -> list[TaskRow]:
    """Tasks filtered by owner, goal subtree, status and cycle, in board order.
    ``overdue_on``: only open tasks whose deadline is before that day; ``due_before``:
    only tasks with a deadline before that day (done ones too, unless a status says not)."""
    cte = ""
    where: list[str] = []
    params: list[int | str] = []
    if goal_id is not None:
        cte = SUBTREE_CTE
        params.append(goal_id)
        where.append("t.goal_id IN (SELECT id FROM sub)")
    if owner_id is not None:
        where.append("t.owner_id = ?")
        params.append(owner_id)
    if status is not None:
        where.append("t.status = ?")
        params.append(status)
    if cycle_id is not None:
        where.append("t.cycle_id = ?")
        params.append(cycle_id)
    if overdue_on is not None:
        where.append("t.status <> 'done' AND t.deadline < ?")
        params.append(overdue_on.isoformat())
    if due_before is not None:
        where.append("t.deadline < ?")
        params.append(due_before.isoformat())
    text = f"{cte}{_SELECT}"
    if where:
        text += " WHERE " + " AND ".join(where)
    text += f" ORDER BY {STATUS_ORDER}, t.position, t.id"
    if limit is not None:
        text += f" LIMIT {int(limit)}"
    return _task_rows(rows(text, params))


def status_counts(*, cycle_id: int | None = None, goal_id: int | None = None) -> dict[str, int]:
    """How many tasks stand in each column (optionally one cycle or one goal subtree)."""
    counts = dict.fromkeys(TASK_STATUSES, 0)
    if goal_id is not None:
        found = rows(
            f"{SUBTREE_CTE}SELECT status, COUNT(*) FROM task WHERE goal_id IN (SELECT id FROM sub) GROUP BY status",
            [goal_id],
        )
    elif cycle_id is not None:
        found = rows(
            "SELECT status, COUNT(*) FROM task WHERE cycle_id = ? GROUP BY status",
            [cycle_id],
        )
    else:
        found = rows("SELECT status, COUNT(*) FROM task GROUP BY status")
    for status, count in found:
        counts[status] = int(count)
    return counts


def history(task_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """A task's change log, newest first, with who made each change; owners and goals
    are shown by handle and title (``old_label``/``new_label``)."""
    query = (
        Change.select(Change, Person.handle)
        .join(Person, JOIN.LEFT_OUTER, on=(Change.actor == Person.id))
        .where((Change.entity == "task") & (Change.entity_id == task_id))
        .order_by(Change.id.desc())
        .limit(limit)
    )
    entries = list(dicts(query))
    names = {
        "owner": ("SELECT id, '@' || handle FROM person", None),
        "created_by": ("SELECT id, '@' || handle FROM person", None),
        "goal": ("SELECT id, title FROM goal", None),
        "milestone": ("SELECT id, title FROM milestone", None),
    }
    cache: dict[str, dict[str, str]] = {}
    for entry in entries:
        for side in ("old", "new"):
            entry[f"{side}_label"] = entry[side]
        if entry["field"] in names:
            if entry["field"] not in cache:
                cache[entry["field"]] = {str(r[0]): r[1] for r in rows(names[entry["field"]][0])}
            for side in ("old", "new"):
                entry[f"{side}_label"] = cache[entry["field"]].get(entry[side] or "", entry[side])
    return entries


def get_task(task_id: int) -> Task | None:
    return Task.get_or_none(Task.id == task_id)


__all__ = ["OPEN_STATUSES", "TaskRow", "history", "list_tasks", "open_tasks_for", "status_counts"]
