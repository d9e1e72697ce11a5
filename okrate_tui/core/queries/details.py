"""Everything about one task or one goal, as typed read models; ``as_dict()`` gives the
CLI's ``--json`` shapes (a stable, documented format: ISO dates, rounded shares)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from peewee import fn

from okrate_tui.core import clock
from okrate_tui.core.models import CheckIn, Cycle, Goal, KeyResult, Milestone, Person, Task, Team
from okrate_tui.core.queries.goals import Scope, figures
from okrate_tui.core.queries.milestones import MilestoneView, milestones_of
from okrate_tui.core.rows import tuples
from okrate_tui.core.rules.execution import EMPTY, Execution
from okrate_tui.core.rules.health import goal_flags, task_flags
from okrate_tui.core.rules.pace import figure_behind, figure_status
from okrate_tui.core.rules.progress import UNMEASURED, Figure, Part, Rollup, kr_progress
from okrate_tui.core.writes import get


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _handle(person_id: int | None) -> str | None:
    if person_id is None:
        return None
    person = Person.get_or_none(Person.id == person_id)
    return person.handle if person else None


@dataclass(frozen=True, slots=True)
class PathStep:
    """One goal on the way from the top of the tree down to a goal (or a task's goal)."""

    id: int
    title: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title}


@dataclass(frozen=True, slots=True)
class MilestoneRef:
    """The milestone a task belongs to."""

    id: int
    title: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title}


@dataclass(frozen=True, slots=True)
class TaskDetail:
    """One task with its goal path, milestone and health flags."""

    id: int
    title: str
    objective: str
    context: str
    status: str
    priority: str | None
    deadline: date | None
    owner: str | None
    goal_id: int
    goal_path: tuple[PathStep, ...]
    milestone: MilestoneRef | None
    position: float
    created_by: str | None
    created_at: datetime | None
    updated_at: datetime | None
    completed_at: datetime | None
    version: int
    health: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """The ``task show --json`` shape."""
        return {
            "id": self.id,
            "title": self.title,
            "objective": self.objective,
            "context": self.context,
            "status": self.status,
            "priority": self.priority,
            "deadline": _iso(self.deadline),
            "owner": self.owner,
            "goal_id": self.goal_id,
            "goal_path": [step.as_dict() for step in self.goal_path],
            "milestone": self.milestone.as_dict() if self.milestone else None,
            "position": self.position,
            "created_by": self.created_by,
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
            "completed_at": _iso(self.completed_at),
            "version": self.version,
            "health": list(self.health),
        }


@dataclass(frozen=True, slots=True)
class CheckInView:
    """A key result's check-in: the value, how sure, a note, who and when."""

    value: float
    confidence: float | None
    note: str
    by: str | None
    at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "confidence": self.confidence,
            "note": self.note,
            "by": self.by,
            "at": _iso(self.at),
        }


@dataclass(frozen=True, slots=True)
class KeyResultView:
    """One key result with its progress (a share from 0 to 1, rounded to 4 places) and
    its last check-in."""

    id: int
    title: str
    kind: str
    baseline: float
    target: float
    current: float
    unit: str
    direction: str
    weight: float
    archived: bool
    progress: float
    last_check_in: CheckInView | None
    version: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "baseline": self.baseline,
            "target": self.target,
            "current": self.current,
            "unit": self.unit,
            "direction": self.direction,
            "weight": self.weight,
            "archived": self.archived,
            "progress": self.progress,
            "last_check_in": self.last_check_in.as_dict() if self.last_check_in else None,
            "version": self.version,
        }


@dataclass(frozen=True, slots=True)
class BreakdownPart:
    """One part of a goal's progress: a key result, milestone, the loose tasks or a
    sub-goal, with what it adds (``contribution``, progress × its share of the weight)
    and what it measures (``basis``: outcome or execution)."""

    kind: str
    id: int
    title: str
    weight: float
    progress: float
    contribution: float
    basis: str = "outcome"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "weight": self.weight,
            "progress": self.progress,
            "contribution": self.contribution,
            "basis": self.basis,
        }


def _execution_dict(work: Execution) -> dict[str, int]:
    return {
        "total": work.total,
        "done": work.done,
        "open": work.open,
        "doing": work.doing,
        "blocked": work.blocked,
        "overdue": work.overdue,
        "unowned": work.unowned,
        "no_deadline": work.no_deadline,
        "no_priority": work.no_priority,
    }


@dataclass(frozen=True, slots=True)
class GoalDetail:
    """One goal with progress, its breakdown, pace, execution, key results and milestones."""

    id: int
    title: str
    description: str
    level: str
    parent_id: int | None
    path: tuple[PathStep, ...]
    owner: str | None
    team: str | None
    cycle: str
    weight: float
    archived: bool
    starts: date | None
    due: date | None
    progress: float
    measured: bool
    basis: str  # "outcome" (key results, sub-goals), "execution" (its plan) or "" (nothing yet)
    expected: float
    behind: bool
    late_items: int  # of the plan's items due by today (``due_items``), how many are not done
    due_items: int
    status: str
    manual_status: str | None
    status_reason: str
    breakdown: tuple[BreakdownPart, ...]
    plan: tuple[BreakdownPart, ...]  # the parts that measure the other thing, not in progress
    execution: Execution
    health: tuple[str, ...]
    key_results: tuple[KeyResultView, ...]
    milestones: tuple[MilestoneView, ...]
    version: int

    def as_dict(self) -> dict[str, Any]:
        """The ``goal show --json`` shape."""
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "level": self.level,
            "parent_id": self.parent_id,
            "path": [step.as_dict() for step in self.path],
            "owner": self.owner,
            "team": self.team,
            "cycle": self.cycle,
            "weight": self.weight,
            "archived": self.archived,
            "starts": _iso(self.starts),
            "due": _iso(self.due),
            "progress": self.progress,
            "measured": self.measured,
            "basis": self.basis or None,
            "expected": self.expected,
            "behind": self.behind,
            "late_items": self.late_items,
            "due_items": self.due_items,
            "status": self.status,
            "manual_status": self.manual_status,
            "status_reason": self.status_reason,
            "breakdown": [part.as_dict() for part in self.breakdown],
            "aside": [part.as_dict() for part in self.plan],
            "execution": _execution_dict(self.execution),
            "health": list(self.health),
            "key_results": [kr.as_dict() for kr in self.key_results],
            "milestones": [m.as_dict() for m in self.milestones],
            "version": self.version,
        }


def goal_path(goal_id: int) -> tuple[PathStep, ...]:
    """The goal's ancestors from the top down, ending with the goal itself."""
    path: list[PathStep] = []
    seen: set[int] = set()
    current: int | None = goal_id
    while current is not None and current not in seen:
        seen.add(current)
        goal = Goal.get_or_none(Goal.id == current)
        if goal is None:
            break
        path.append(PathStep(goal.id, goal.title))
        current = goal.parent_id
    return tuple(reversed(path))


def task_detail(task_id: int, today: date | None = None) -> TaskDetail:
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
    return TaskDetail(
        id=task.id,
        title=task.title,
        objective=task.objective,
        context=task.context,
        status=task.status,
        priority=task.priority,
        deadline=task.deadline,
        owner=_handle(task.owner_id),
        goal_id=task.goal_id,
        goal_path=goal_path(task.goal_id),
        milestone=MilestoneRef(milestone.id, milestone.title) if milestone else None,
        position=task.position,
        created_by=_handle(task.created_by_id),
        created_at=task.created_at,
        updated_at=task.updated_at,
        completed_at=task.completed_at,
        version=task.version,
        health=tuple(sorted(flags)),
    )


def key_result_detail(
    result: KeyResult, last: CheckIn | Literal[False] | None = False, handles: Mapping[int | None, str] | None = None
) -> KeyResultView:
    """One key result with its progress and last check-in (``last`` when already known;
    ``handles``, people's handles by id, when already read)."""
    check: CheckIn | None = (
        (CheckIn.select().where(CheckIn.key_result == result.id).order_by(CheckIn.at.desc(), CheckIn.id.desc()).first())
        if last is False
        else last
    )
    return KeyResultView(
        id=result.id,
        title=result.title,
        kind=result.kind,
        baseline=result.baseline,
        target=result.target,
        current=result.current,
        unit=result.unit,
        direction=result.direction,
        weight=result.weight,
        archived=result.archived,
        progress=round(
            kr_progress(result.kind, result.baseline, result.target, result.current, result.direction),
            4,
        ),
        last_check_in=None
        if check is None
        else CheckInView(
            value=check.value,
            confidence=check.confidence,
            note=check.note,
            by=(handles or {}).get(check.author_id) or _handle(check.author_id),
            at=check.at,
        ),
        version=result.version,
    )


def _breakdown_part(part: Part, contribution: float) -> BreakdownPart:
    return BreakdownPart(
        kind=part.kind,
        id=part.id,
        title=part.title,
        weight=part.weight,
        progress=round(part.progress, 4),
        contribution=round(contribution, 4),
        basis=part.basis,
    )


def goal_detail(
    goal_id: int, today: date | None = None, *, known: tuple[Rollup, Execution, Figure] | None = None
) -> GoalDetail:
    """One goal with progress, its breakdown, pace, execution, key results and milestones.

    ``known`` passes a roll-up, subtree execution and figure already computed (by the
    goal tree), which saves walking a large subtree again.
    """
    goal = get(Goal, goal_id)
    today = today or clock.today()
    cycle = Cycle.get_by_id(goal.cycle_id)
    team = Team.get_or_none(Team.id == goal.team_id) if goal.team_id else None
    if known is not None:
        rolled, execution, figure = known
    else:
        found = figures(Scope.subtree(goal.id), today)
        rolled = found.rollups.get(goal.id, Rollup(0.0, ()))
        execution = found.execution.get(goal.id, EMPTY)
        figure = found.figures.get(goal.id, Figure(UNMEASURED, 0.0, 0.0))
    results = list(KeyResult.select().where(KeyResult.goal == goal.id).order_by(KeyResult.id))
    stones = milestones_of(goal.id, today)
    return GoalDetail(
        id=goal.id,
        title=goal.title,
        description=goal.description,
        level=goal.level,
        parent_id=goal.parent_id,
        path=goal_path(goal.id),
        owner=_handle(goal.owner_id),
        team=team.name if team else None,
        cycle=cycle.name,
        weight=goal.weight,
        archived=goal.archived,
        starts=goal.starts,
        due=goal.due,
        progress=round(rolled.progress, 4),
        measured=rolled.measured,
        basis=rolled.basis,
        expected=round(figure.expected, 4),
        behind=figure_behind(figure),
        late_items=figure.late,
        due_items=figure.due,
        status=figure_status(goal.status, figure),
        manual_status=goal.status,
        status_reason=goal.status_reason if goal.status else "",
        breakdown=tuple(_breakdown_part(part, rolled.contribution(part)) for part in rolled.parts),
        plan=tuple(_breakdown_part(part, 0.0) for part in rolled.aside),
        execution=execution,
        health=tuple(
            sorted(
                goal_flags(
                    task_count=execution.total,
                    key_result_count=len(results),
                    owner_id=goal.owner_id,
                    late_milestones=sum(1 for m in stones if m.late),
                )
            )
        ),
        key_results=tuple(key_result_detail(r) for r in results),
        milestones=stones,
        version=goal.version,
    )


def goal_list(cycle_id: int, today: date | None = None, *, archived: bool = False) -> list[dict[str, Any]]:
    """Every goal of a cycle, parents before children, with progress, status and task counts."""
    from okrate_tui.core.queries.tree import load_tree

    tree = load_tree(cycle_id, today or clock.today())
    return [line.as_dict(depth) for line, depth in tree.ordered(archived=archived)]


def key_results_of(goal_ids: list[int]) -> dict[int, list[KeyResultView]]:
    """The live key results of many goals with their last check-ins, in three queries."""
    results = list(
        KeyResult.select()
        .where(KeyResult.goal.in_(goal_ids or [0]) & (KeyResult.archived == False))  # noqa: E712
        .order_by(KeyResult.id)
    )
    latest: dict[int, int] = dict(
        tuples(
            CheckIn.select(CheckIn.key_result, fn.MAX(CheckIn.id))
            .where(CheckIn.key_result.in_([r.id for r in results] or [0]))
            .group_by(CheckIn.key_result)
        )
    )
    checks = {c.key_result_id: c for c in CheckIn.select().where(CheckIn.id.in_(list(latest.values()) or [0]))}
    handles: dict[int | None, str] = dict(tuples(Person.select(Person.id, Person.handle)))
    out: dict[int, list[KeyResultView]] = {}
    for result in results:
        out.setdefault(result.goal_id, []).append(key_result_detail(result, checks.get(result.id), handles))
    return out
