"""Everything about one task or one goal, as plain data (the CLI's ``--json`` shapes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from peewee import fn

from okrate_tui.core import clock
from okrate_tui.core.models import CheckIn, Cycle, Goal, KeyResult, Milestone, Person, Task, Team
from okrate_tui.core.queries.goals import goal_figures
from okrate_tui.core.rules.execution import Execution
from okrate_tui.core.rules.health import goal_flags, task_flags
from okrate_tui.core.rules.pace import effective_status, expected_progress, is_behind
from okrate_tui.core.rules.progress import Rollup, kr_progress
from okrate_tui.core.writes import get


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _handle(person_id: int | None) -> str | None:
    if person_id is None:
        return None
    person = Person.get_or_none(Person.id == person_id)
    return person.handle if person else None


def goal_path(goal_id: int) -> list[dict[str, Any]]:
    """The goal's ancestors from the top down, ending with the goal itself."""
    path: list[dict[str, Any]] = []
    seen: set[int] = set()
    current: int | None = goal_id
    while current is not None and current not in seen:
        seen.add(current)
        goal = Goal.get_or_none(Goal.id == current)
        if goal is None:
            break
        path.append({"id": goal.id, "title": goal.title})
        current = goal.parent_id
    return list(reversed(path))


def task_detail(task_id: int, today: date | None = None) -> dict[str, Any]:
    """One task with its goal path, milestone and health flags."""
    task = get(Task, task_id)
    today = today or clock.today()
    milestone = Milestone.get_or_none(Milestone.id == task.milestone_id) if task.milestone_id else None
    flags = task_flags(
        owner_id=task.owner_id,
        deadline=task.deadline,
        priority=task.priority,
        status=task.status,
        today=today,
        updated_at=task.updated_at,
        now=clock.now(),
    )
    return {
        "id": task.id,
        "title": task.title,
        "objective": task.objective,
        "context": task.context,
        "status": task.status,
        "priority": task.priority,
        "deadline": _iso(task.deadline),
        "owner": _handle(task.owner_id),
        "goal_id": task.goal_id,
        "goal_path": goal_path(task.goal_id),
        "milestone": {"id": milestone.id, "title": milestone.title} if milestone else None,
        "position": task.position,
        "created_by": _handle(task.created_by_id),
        "created_at": _iso(task.created_at),
        "updated_at": _iso(task.updated_at),
        "completed_at": _iso(task.completed_at),
        "version": task.version,
        "health": sorted(flags),
    }


def key_result_detail(result: KeyResult, last: CheckIn | bool | None = False) -> dict[str, Any]:
    """One key result with its progress and last check-in (``last`` when already known)."""
    if last is False:
        last = (
            CheckIn.select()
            .where(CheckIn.key_result == result.id)
            .order_by(CheckIn.at.desc(), CheckIn.id.desc())
            .first()
        )
    return {
        "id": result.id,
        "title": result.title,
        "kind": result.kind,
        "baseline": result.baseline,
        "target": result.target,
        "current": result.current,
        "unit": result.unit,
        "direction": result.direction,
        "weight": result.weight,
        "archived": result.archived,
        "progress": round(
            kr_progress(result.kind, result.baseline, result.target, result.current, result.direction),
            4,
        ),
        "last_check_in": None
        if last is None
        else {
            "value": last.value,
            "confidence": last.confidence,
            "note": last.note,
            "by": getattr(last, "author_handle", None) or _handle(last.author_id),
            "at": _iso(last.at),
        },
        "version": result.version,
    }


def goal_detail(
    goal_id: int, today: date | None = None, *, known: tuple[Rollup, Execution] | None = None
) -> dict[str, Any]:
    """One goal with progress, its breakdown, pace, execution, key results and milestones.

    ``known`` passes a roll-up and subtree execution already computed (by the goal tree),
    which saves walking a large subtree again.
    """
    goal = get(Goal, goal_id)
    today = today or clock.today()
    cycle = Cycle.get_by_id(goal.cycle_id)
    team = Team.get_or_none(Team.id == goal.team_id) if goal.team_id else None
    rolled, execution = known if known is not None else goal_figures(goal.id, today)
    expected = expected_progress(goal.starts or cycle.starts, goal.due or cycle.ends, today)
    results = list(KeyResult.select().where(KeyResult.goal == goal.id).order_by(KeyResult.id))
    stones = list(Milestone.select().where(Milestone.goal == goal.id).order_by(Milestone.due, Milestone.id))
    return {
        "id": goal.id,
        "title": goal.title,
        "description": goal.description,
        "level": goal.level,
        "parent_id": goal.parent_id,
        "path": goal_path(goal.id),
        "owner": _handle(goal.owner_id),
        "team": team.name if team else None,
        "cycle": cycle.name,
        "weight": goal.weight,
        "archived": goal.archived,
        "starts": _iso(goal.starts),
        "due": _iso(goal.due),
        "progress": round(rolled.progress, 4),
        "measured": rolled.measured,
        "expected": round(expected, 4),
        "behind": rolled.measured and is_behind(rolled.progress, expected),
        "status": effective_status(goal.status, rolled.progress, expected, rolled.measured),
        "manual_status": goal.status,
        "breakdown": [
            {
                "kind": part.kind,
                "id": part.id,
                "title": part.title,
                "weight": part.weight,
                "progress": round(part.progress, 4),
                "contribution": round(rolled.contribution(part), 4),
            }
            for part in rolled.parts
        ],
        "execution": {
            "total": execution.total,
            "done": execution.done,
            "open": execution.open,
            "doing": execution.doing,
            "blocked": execution.blocked,
            "overdue": execution.overdue,
            "unowned": execution.unowned,
            "no_deadline": execution.no_deadline,
            "no_priority": execution.no_priority,
        },
        "health": sorted(goal_flags(task_count=execution.total, key_result_count=len(results), owner_id=goal.owner_id)),
        "key_results": [key_result_detail(r) for r in results],
        "milestones": [{"id": m.id, "title": m.title, "due": _iso(m.due), "done": m.done} for m in stones],
        "version": goal.version,
    }


def goal_list(cycle_id: int, today: date | None = None, *, archived: bool = False) -> list[dict[str, Any]]:
    """Every goal of a cycle, parents before children, with progress, status and task counts."""
    from okrate_tui.core.queries.tree import load_tree

    tree = load_tree(cycle_id, today or clock.today())
    return [line.as_dict(depth) for line, depth in tree.ordered(archived=archived)]


def key_results_of(goal_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The live key results of many goals with their last check-ins, in three queries."""
    results = list(
        KeyResult.select()
        .where(KeyResult.goal.in_(goal_ids or [0]) & (KeyResult.archived == False))  # noqa: E712
        .order_by(KeyResult.id)
    )
    latest = {
        r[0]: r[1]
        for r in CheckIn.select(CheckIn.key_result, fn.MAX(CheckIn.id))
        .where(CheckIn.key_result.in_([r.id for r in results] or [0]))
        .group_by(CheckIn.key_result)
        .tuples()
    }
    checks = {c.key_result_id: c for c in CheckIn.select().where(CheckIn.id.in_(list(latest.values()) or [0]))}
    handles = dict(Person.select(Person.id, Person.handle).tuples())
    for check in checks.values():
        check.author_handle = handles.get(check.author_id)
    out: dict[int, list[dict[str, Any]]] = {}
    for result in results:
        out.setdefault(result.goal_id, []).append(key_result_detail(result, checks.get(result.id)))
    return out
