"""Execution analytics for a cycle and a scope (company, team or person): goals by
status, outcome beside execution with their gaps, overdue and unowned work, workload,
tasks finished per week and key-result progress over time."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from okrate_tui.core.queries.org import CycleRow
from okrate_tui.core.queries.sql import id_list, rows
from okrate_tui.core.queries.tree import CycleTree, load_tree
from okrate_tui.core.rules.gaps import gap
from okrate_tui.core.rules.progress import OUTCOME, kr_progress


def weeks(starts: date, ends: date, today: date) -> list[date]:
    """The Mondays of the cycle's weeks up to today."""
    first = starts - timedelta(days=starts.weekday())
    last = min(ends, today)
    return [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass(frozen=True, slots=True)
class GoalExecution:
    """A goal's outcome beside its execution, and the gap between them (None when they agree)."""

    id: int
    title: str
    level: str
    owner: str | None
    progress: float
    measured: bool
    status: str
    execution: float
    tasks: int
    done: int
    overdue: int
    unowned: int
    gap: str | None
    late_milestones: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "level": self.level,
            "owner": self.owner,
            "progress": self.progress,
            "measured": self.measured,
            "status": self.status,
            "execution": self.execution,
            "tasks": self.tasks,
            "done": self.done,
            "overdue": self.overdue,
            "unowned": self.unowned,
            "gap": self.gap,
            "late_milestones": self.late_milestones,
        }


@dataclass(frozen=True, slots=True)
class TaskCounts:
    total: int
    done: int
    overdue: int
    unowned: int

    def as_dict(self) -> dict[str, int]:
        return {"total": self.total, "done": self.done, "overdue": self.overdue, "unowned": self.unowned}


@dataclass(frozen=True, slots=True)
class Workload:
    """One person's open and overdue tasks (``handle`` "nobody" for unowned work)."""

    handle: str
    open: int
    overdue: int

    def as_dict(self) -> dict[str, Any]:
        return {"handle": self.handle, "open": self.open, "overdue": self.overdue}


@dataclass(frozen=True, slots=True)
class Analytics:
    """Execution analytics of a cycle for a scope (company, team or person).

    ``goals_by_status`` is (status, count) pairs, most common first as counted;
    ``weeks`` the Mondays of the cycle's weeks up to today, beside which
    ``finished_per_week`` and ``kr_progress_per_week`` run."""

    cycle: CycleRow
    scope: str
    goals_by_status: tuple[tuple[str, int], ...]
    goals: tuple[GoalExecution, ...]
    tasks: TaskCounts
    workload: tuple[Workload, ...]
    weeks: tuple[date, ...]
    finished_per_week: tuple[int, ...]
    kr_progress_per_week: tuple[float, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "cycle": {"id": self.cycle.id, "name": self.cycle.name},
            "scope": self.scope,
            "goals_by_status": dict(self.goals_by_status),
            "goals": [goal.as_dict() for goal in self.goals],
            "tasks": self.tasks.as_dict(),
            "workload": [who.as_dict() for who in self.workload],
            "weeks": [monday.isoformat() for monday in self.weeks],
            "finished_per_week": list(self.finished_per_week),
            "kr_progress_per_week": list(self.kr_progress_per_week),
        }


def analytics(
    cycle_id: int, today: date, scope: str = "company", ident: int | None = None, tree: CycleTree | None = None
) -> Analytics:
    """Everything the analytics view shows, for ``scope`` company / team (``ident`` a
    team id) / person (``ident`` a person id)."""
    tree = tree if tree is not None and tree.cycle.id == cycle_id else load_tree(cycle_id, today)
    cycle = tree.cycle
    goal_ids = [g for g, node in tree.nodes.items() if not node.archived]
    if scope == "team":
        team_name = rows("SELECT name FROM team WHERE id = ?", [ident or 0])
        goal_ids = [g for g in goal_ids if tree.line(g).team == (team_name[0][0] if team_name else None)]
    elif scope == "person":
        goal_ids = [g for g in goal_ids if tree.owner_id(g) == ident]
    lines = [tree.line(g) for g in goal_ids]
    by_status = Counter(line.status for line in lines)
    goals = []
    for line in sorted(lines, key=lambda x: (x.level != "company", x.level != "team", x.id)):
        work = line.execution
        goals.append(
            GoalExecution(
                id=line.id,
                title=line.title,
                level=line.level,
                owner=line.owner,
                progress=line.progress,
                measured=line.measured,
                status=line.status,
                execution=work.done_share,
                tasks=work.total,
                done=work.done,
                overdue=work.overdue,
                unowned=work.unowned,
                gap=gap(line.progress, line.basis == OUTCOME, work.total, work.done),  # outcome only
                late_milestones=line.late_milestones,
            )
        )
    where, params = ["t.cycle_id = ?"], [cycle_id]
    if scope == "team":  # the work under the team's goals, as the goal table counts it
        below = set(goal_ids)
        stack = list(goal_ids)
        while stack:
            for child in tree.children(stack.pop()):
                if child not in below:
                    below.add(child)
                    stack.append(child)
        where.append(f"t.goal_id IN ({id_list(below)})")
    elif scope == "person":
        where.append("t.owner_id = ?")
        params.append(ident or 0)
    cond = " AND ".join(where)
    total, done, overdue, unowned = rows(
        "SELECT COUNT(*), SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN t.status <> 'done' AND t.deadline < ? THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN t.status <> 'done' AND t.owner_id IS NULL THEN 1 ELSE 0 END) "
        f"FROM task t WHERE {cond}",
        [today, *params],
    )[0]
    workload = [
        Workload(r[0] or "nobody", int(r[1]), int(r[2] or 0))
        for r in rows(
            "SELECT p.handle, COUNT(*), SUM(CASE WHEN t.deadline < ? THEN 1 ELSE 0 END) "
            f"FROM task t LEFT JOIN person p ON p.id = t.owner_id WHERE {cond} AND t.status <> 'done' "
            "GROUP BY p.handle ORDER BY COUNT(*) DESC",
            [today, *params],
        )
    ]
    mondays = weeks(cycle.starts, cycle.ends, today)
    finished: Counter[date] = Counter()
    for (completed,) in rows(f"SELECT t.completed_at FROM task t WHERE {cond} AND t.status = 'done'", params):
        if completed is not None:
            day = _as_date(completed)
            finished[day - timedelta(days=day.weekday())] += 1
    return Analytics(
        cycle=CycleRow.of(cycle),
        scope=scope,
        goals_by_status=tuple(by_status.items()),
        goals=tuple(goals),
        tasks=TaskCounts(int(total or 0), int(done or 0), int(overdue or 0), int(unowned or 0)),
        workload=tuple(workload),
        weeks=tuple(mondays),
        finished_per_week=tuple(finished.get(m, 0) for m in mondays),
        kr_progress_per_week=tuple(_kr_history(goal_ids, mondays)),
    )


def _kr_history(goal_ids: list[int], mondays: list[date]) -> list[float]:
    """The mean key-result progress at the end of each week, from the check-ins."""
    if not mondays or not goal_ids:
        return []
    results = {
        r[0]: r[1:]
        for r in rows(
            "SELECT id, kind, baseline, target, direction FROM key_result "
            f"WHERE archived = ? AND goal_id IN ({id_list(goal_ids)})",
            [False],
        )
    }
    if not results:
        return []
    values: dict[int, list[tuple[date, float]]] = {}
    for kid, at, value in rows(
        f"SELECT key_result_id, at, value FROM check_in WHERE key_result_id IN ({id_list(results)}) ORDER BY at"
    ):
        values.setdefault(kid, []).append((_as_date(at), value))
    history = []
    for monday in mondays:
        end = monday + timedelta(days=6)
        shares = []
        for kid, (kind, base, target, direction) in results.items():
            seen = [v for day, v in values.get(kid, []) if day <= end]
            current = seen[-1] if seen else base
            shares.append(kr_progress(kind, base, target, current, direction))
        history.append(sum(shares) / len(shares))
    return history
