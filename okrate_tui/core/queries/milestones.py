"""Milestones as people see them: in their order on each goal, with progress, task
counts and whether they are late.

Progress follows :func:`okrate_tui.core.rules.progress.milestones_done` (done counts 1,
else the share of its tasks done) and lateness :func:`okrate_tui.core.rules.health.is_late`,
the same rules the goal roll-up and the goal tree use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from okrate_tui.core import clock
from okrate_tui.core.errors import NotFoundError
from okrate_tui.core.queries.sql import as_date, rows
from okrate_tui.core.rules.health import is_late
from okrate_tui.core.rules.progress import milestones_done


@dataclass(frozen=True, slots=True)
class MilestoneView:
    """One milestone: ``order`` is its place on its goal (1 = first), ``progress`` a share
    from 0 to 1 (rounded to 4 places), ``late`` past due and not reached."""

    id: int
    goal_id: int
    goal: str
    title: str
    due: date | None
    done: bool
    order: int
    tasks: int
    tasks_done: int
    carried_done: int  # tasks it finished in an earlier cycle, before a carry-over
    progress: float
    late: bool
    version: int

    def as_dict(self) -> dict[str, Any]:
        """The ``milestone list --json`` row (and each of ``goal show --json``'s milestones)."""
        return {
            "id": self.id,
            "goal_id": self.goal_id,
            "goal": self.goal,
            "title": self.title,
            "due": self.due.isoformat() if self.due else None,
            "done": self.done,
            "order": self.order,
            "tasks": self.tasks,
            "tasks_done": self.tasks_done,
            "carried_done": self.carried_done,
            "progress": self.progress,
            "late": self.late,
            "version": self.version,
        }


_SQL = (
    "SELECT m.id, m.goal_id, g.title, m.title, m.due, m.done, m.version, COUNT(t.id), "
    "COALESCE(SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END), 0), m.carried_done "
    "FROM milestone m JOIN goal g ON g.id = m.goal_id LEFT JOIN task t ON t.milestone_id = m.id"
)
_GROUP = (
    " GROUP BY m.id, m.goal_id, g.title, m.title, m.due, m.done, m.version, m.position, m.carried_done"
    " ORDER BY m.goal_id, m.position, m.id"
)


def _views(found: list[tuple], today: date) -> list[MilestoneView]:
    out: list[MilestoneView] = []
    place: dict[int, int] = {}
    for mid, goal_id, goal, title, due, done, version, total, finished, before in found:
        place[goal_id] = place.get(goal_id, 0) + 1
        progress = milestones_done(bool(done), int(finished), int(total), int(before or 0))
        day = as_date(due)
        out.append(
            MilestoneView(
                id=mid,
                goal_id=goal_id,
                goal=goal,
                title=title,
                due=day,
                done=bool(done),
                order=place[goal_id],
                tasks=int(total),
                tasks_done=int(finished),
                carried_done=int(before or 0),
                progress=round(progress, 4),
                late=is_late(day, progress, today),
                version=version,
            )
        )
    return out


def milestones_of(goal_id: int, today: date | None = None) -> tuple[MilestoneView, ...]:
    """A goal's milestones in their order."""
    found = rows(f"{_SQL} WHERE m.goal_id = ?{_GROUP}", [goal_id])
    return tuple(_views(found, today or clock.today()))


def milestone_list(
    *, goal_id: int | None = None, cycle_id: int | None = None, archived: bool = False, today: date | None = None
) -> list[MilestoneView]:
    """Milestones of one goal, or of every goal of a cycle (goal by goal, each in its
    order); milestones of archived goals only when ``archived`` (or the goal is named)."""
    where: list[str] = []
    params: list[Any] = []
    if goal_id is not None:
        where.append("m.goal_id = ?")
        params.append(goal_id)
    if cycle_id is not None:
        where.append("g.cycle_id = ?")
        params.append(cycle_id)
    if not archived and goal_id is None:
        where.append("g.archived = ?")
        params.append(False)
    cond = f" WHERE {' AND '.join(where)}" if where else ""
    return _views(rows(f"{_SQL}{cond}{_GROUP}", params), today or clock.today())


def milestone_view(milestone_id: int, today: date | None = None) -> MilestoneView:
    """One milestone (its ``order`` counted among its goal's milestones)."""
    found = rows("SELECT goal_id FROM milestone WHERE id = ?", [milestone_id])
    if not found:
        raise NotFoundError("milestone", milestone_id)
    for view in milestones_of(found[0][0], today):
        if view.id == milestone_id:
            return view
    raise NotFoundError("milestone", milestone_id)
