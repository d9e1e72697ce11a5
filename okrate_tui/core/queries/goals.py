"""Goal trees, roll-ups and execution metrics for a cycle or a subtree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from okrate_tui.core import clock
from okrate_tui.core.queries.sql import SUBTREE_CTE, as_date, id_list, rows
from okrate_tui.core.rules.execution import EMPTY, Execution, subtree_execution
from okrate_tui.core.rules.health import is_late
from okrate_tui.core.rules.pace import expected_progress
from okrate_tui.core.rules.progress import (
    EXECUTION,
    Figure,
    GoalNode,
    Own,
    Part,
    Rollup,
    kr_progress,
    milestones_done,
    rollup_tree,
    walk,
    walk_order,
)


@dataclass(frozen=True, slots=True)
class Scope:
    """Which goals a query covers: a whole cycle, or the goals listed in ``ids``."""

    cycle_id: int | None = None
    ids: tuple[int, ...] | None = None

    @classmethod
    def subtree(cls, goal_id: int) -> Scope:
        """One goal and everything below it (ids resolved once, then inlined)."""
        return cls(ids=tuple(subtree_ids(goal_id)))

    def sql(self, column: str, select: str, tail: str = "", select_params: tuple = ()) -> list[tuple]:
        """Run ``select … WHERE <column in scope> tail`` with placeholders in order."""
        if self.ids is not None:
            text = f"{select} WHERE {column} IN ({id_list(self.ids)}) {tail}"
            return rows(text, list(select_params))
        text = f"{select} WHERE {column} IN (SELECT id FROM goal WHERE cycle_id = ?) {tail}"
        return rows(text, [*select_params, self.cycle_id or 0])


def subtree_ids(goal_id: int) -> list[int]:
    """The goal and every goal below it."""
    return [r[0] for r in rows(SUBTREE_CTE + "SELECT id FROM sub", [goal_id])]


def nodes(scope: Scope) -> dict[int, GoalNode]:
    """The scope's goals as tree nodes (archived ones included, flagged)."""
    found = scope.sql("id", "SELECT id, parent_id, title, weight, archived FROM goal")
    return {r[0]: GoalNode(r[0], r[1], r[2], float(r[3]), bool(r[4])) for r in found}


def key_result_rows(scope: Scope) -> list[tuple]:
    """(goal_id, id, title, kind, baseline, target, current, direction, weight) of live key results."""
    return [
        r[:9]
        for r in scope.sql(
            "goal_id",
            "SELECT goal_id, id, title, kind, baseline, target, current, direction, weight, archived FROM key_result",
            "ORDER BY id",
        )
        if not r[9]
    ]


def milestone_rows(scope: Scope) -> list[tuple]:
    """(goal_id, id, title, done, tasks, tasks done, due, tasks done before a carry-over)
    of every milestone, each goal's in their order."""
    return scope.sql(
        "m.goal_id",
        "SELECT m.goal_id, m.id, m.title, m.done, COUNT(t.id), "
        "COALESCE(SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END), 0), m.due, m.carried_done "
        "FROM milestone m LEFT JOIN task t ON t.milestone_id = m.id",
        "GROUP BY m.goal_id, m.id, m.title, m.done, m.due, m.position, m.carried_done ORDER BY m.position, m.id",
    )


def key_result_part(row: tuple) -> Part:
    _, kid, title, kind, base, target, current, direction, weight = row
    return Part("key_result", kid, title, float(weight), kr_progress(kind, base, target, current, direction))


def milestone_share(row: tuple) -> float:
    """A :func:`milestone_rows` row's progress (tasks done before a carry-over count)."""
    _, _, _, done, total, finished, _due, before = row
    return milestones_done(bool(done), int(finished), int(total), int(before or 0))


def milestone_part(row: tuple) -> Part:
    return Part("milestone", row[1], row[2], 1.0, milestone_share(row), EXECUTION)


def late_milestone_count(rows_: list[tuple], today: date) -> int:
    """How many of these :func:`milestone_rows` are late (see :func:`rules.health.is_late`)."""
    return sum(1 for row in rows_ if is_late(as_date(row[6]), milestone_share(row), today))


def due_milestone_count(rows_: list[tuple], today: date) -> int:
    """How many of these :func:`milestone_rows` were due before ``today``, reached or not."""
    count = 0
    for row in rows_:
        due = as_date(row[6])
        if due is not None and due < today:
            count += 1
    return count


LOOSE_TASKS = "tasks outside milestones"


def tasks_part(goal_id: int, row: tuple | None, stones: list[tuple], carried: int = 0) -> Part | None:
    """A goal's own tasks outside its milestones as one part of its plan, weighing one a
    task: its :func:`execution_rows` row less what its milestones' rows (``stones``)
    count, and the ones it finished in earlier cycles before a carry-over (``carried``);
    None when it has none."""
    total = int(row[1] or 0) if row is not None else 0
    done = int(row[2] or 0) if row is not None else 0
    for stone in stones:
        total -= int(stone[4] or 0)
        done -= int(stone[5] or 0)
    loose = total + carried
    if loose <= 0:
        return None
    return Part("tasks", goal_id, LOOSE_TASKS, float(loose), (done + carried) / loose, EXECUTION)


def carried_rows(scope: Scope) -> dict[int, int]:
    """The goals of the scope that finished tasks outside milestones before a carry-over, with how many."""
    return dict(scope.sql("id", "SELECT id, carried_done FROM goal", "AND carried_done > 0"))


def own_sums(parts: list[Part], work: tuple | None, late_milestones: int, due_milestones: int) -> Own:
    """What a goal's own parts add up to, with the lateness of its plan: its late and due
    milestones and, from its :func:`execution_rows` row, its overdue and due tasks."""
    own = Own(late=late_milestones, due=due_milestones)
    for part in parts:
        own.add(part)
    if work is not None:
        own.late += int(work[5] or 0)
        own.due += int(work[9] or 0)
    return own


def own_parts(scope: Scope, work: dict[int, tuple]) -> dict[int, list[Part]]:
    """Each goal's live key results, its milestones and its loose tasks (from its
    :func:`execution_rows` row in ``work``, and those done before a carry-over), as
    roll-up parts."""
    parts: dict[int, list[Part]] = {}
    for row in key_result_rows(scope):
        parts.setdefault(row[0], []).append(key_result_part(row))
    stones: dict[int, list[tuple]] = {}
    for row in milestone_rows(scope):
        parts.setdefault(row[0], []).append(milestone_part(row))
        stones.setdefault(row[0], []).append(row)
    carried = carried_rows(scope)
    for gid in work.keys() | carried.keys():
        loose = tasks_part(gid, work.get(gid), stones.get(gid, []), carried.get(gid, 0))
        if loose is not None:
            parts.setdefault(gid, []).append(loose)
    return parts


_COUNTS = (
    "SELECT goal_id, COUNT(*),"
    " SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN status = 'doing' THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN status = 'blocked' THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN status <> 'done' AND deadline < ? THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN status <> 'done' AND owner_id IS NULL THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN status <> 'done' AND deadline IS NULL THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN status <> 'done' AND priority IS NULL THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN deadline < ? THEN 1 ELSE 0 END)"
    " FROM task"
)


def execution_rows(scope: Scope, today: date) -> list[tuple]:
    """(goal_id, total, done, doing, blocked, overdue, unowned, no deadline, no priority,
    due before today) of each goal's own tasks (not its subtree's): the eight
    :class:`Execution` counts, then what its plan's lateness needs."""
    return scope.sql("goal_id", _COUNTS, "GROUP BY goal_id", (today, today))


def own_execution(rows_: list[tuple]) -> dict[int, Execution]:
    """Task counts of each goal of these :func:`execution_rows` (its own tasks)."""
    return {r[0]: Execution(*r[1:9]) for r in rows_}


@dataclass(frozen=True, slots=True)
class TreeFigures:
    """Roll-ups (with their parts), figures (progress, pace, lateness) and execution for
    every goal of a scope, computed in one pass."""

    nodes: dict[int, GoalNode]
    rollups: dict[int, Rollup]
    figures: dict[int, Figure]
    execution: dict[int, Execution]
    own_execution: dict[int, Execution]

    def execution_of(self, goal_id: int) -> Execution:
        return self.execution.get(goal_id, EMPTY)


def figures(scope: Scope, today: date) -> TreeFigures:
    """Progress, pace and execution for each goal of the scope (subtrees summed)."""
    tree = nodes(scope)
    work = {r[0]: r for r in execution_rows(scope, today)}
    own = own_execution(list(work.values()))
    order = walk_order(tree)
    parts = own_parts(scope, work)
    stones: dict[int, list[tuple]] = {}
    for row in milestone_rows(scope):
        stones.setdefault(row[0], []).append(row)
    sums = {
        gid: own_sums(
            parts.get(gid, []),
            work.get(gid),
            late_milestone_count(stones.get(gid, []), today),
            due_milestone_count(stones.get(gid, []), today),
        )
        for gid in tree
    }
    shares = own_shares(scope, today)
    return TreeFigures(
        nodes=tree,
        rollups=rollup_tree(tree, parts, order),
        figures=walk(tree, sums, lambda gid: shares.get(gid, 0.0), order),
        execution=subtree_execution(tree, own, order),
        own_execution=own,
    )


def own_shares(scope: Scope, today: date) -> dict[int, float]:
    """The elapsed share of each goal's own period (its dates, else its cycle's) by ``today``."""
    return {
        gid: expected_progress(_day(starts or first), _day(due or last), today)
        for gid, starts, due, first, last in scope.sql(
            "g.id", "SELECT g.id, g.starts, g.due, c.starts, c.ends FROM goal g JOIN cycle c ON c.id = g.cycle_id"
        )
    }


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def goal_figures(goal_id: int, today: date) -> tuple[Rollup, Execution]:
    """One goal's roll-up and the execution of its whole subtree."""
    result = figures(Scope.subtree(goal_id), today)
    return result.rollups.get(goal_id, Rollup(0.0, ())), result.execution_of(goal_id)


def rollup_all(cycle_id: int, today: date | None = None) -> dict[int, Rollup]:
    """The progress roll-up of every goal in a cycle."""
    return figures(Scope(cycle_id=cycle_id), today or clock.today()).rollups


def execution_all(cycle_id: int, today: date) -> dict[int, Execution]:
    """Task counts of every goal's subtree in a cycle."""
    scope = Scope(cycle_id=cycle_id)
    return subtree_execution(nodes(scope), own_execution(execution_rows(scope, today)))


def children(parent_id: int | None, cycle_id: int, *, archived: bool = False) -> list[dict[str, Any]]:
    """The direct children of a goal (or the cycle's top goals) with owner handles."""
    cond = "g.parent_id = ?" if parent_id is not None else "g.parent_id IS NULL AND g.cycle_id = ?"
    params: list[Any] = [parent_id if parent_id is not None else cycle_id]
    if not archived:
        cond += " AND g.archived = ?"
        params.append(False)
    found = rows(
        "SELECT g.id, g.title, g.level, g.status, g.archived, g.weight, p.handle, "
        "(SELECT COUNT(*) FROM goal c WHERE c.parent_id = g.id) "
        f"FROM goal g LEFT JOIN person p ON p.id = g.owner_id WHERE {cond} ORDER BY g.id",
        params,
    )
    keys = ("id", "title", "level", "status", "archived", "weight", "owner", "child_count")
    return [dict(zip(keys, r, strict=True)) for r in found]
