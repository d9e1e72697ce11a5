"""Closing a cycle, and carrying its unfinished work into the next one.

Unfinished goals are copied into the next cycle with their key results (from where
they stand, without their check-ins) and open milestones; the originals stay in the
closed cycle, marked *missed* unless someone set a status. Their open tasks are
**copied** there (the default: the originals stay, open, and the closed cycle's figures
stay as they were) or **moved** (the closed cycle then shows only what was finished in
it). The next cycle is made when none exists. All in one write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from okrate_tui.core import clock
from okrate_tui.core.clock import quarter_of
from okrate_tui.core.errors import ValidationError
from okrate_tui.core.models import Change, Cycle, Goal, KeyResult, Milestone, Person, Task
from okrate_tui.core.permissions import authorize
from okrate_tui.core.queries.goals import Scope, figures
from okrate_tui.core.rules.progress import tree_order
from okrate_tui.core.validation import parse_choice
from okrate_tui.core.writes import apply_edit, get, log, writes

CARRY_MODES = ("copy", "move", "none")
FINISHED = ("done", "missed", "dropped")


@dataclass
class CarrySummary:
    cycle: str
    into: str | None = None
    created_cycle: bool = False
    goals: int = 0
    key_results: int = 0
    milestones: int = 0
    tasks: int = 0
    mode: str = "none"
    left_behind: int = 0
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        if self.mode == "none" or self.into is None:
            return f"{self.cycle} is closed; nothing was carried over"
        verb = "moved" if self.mode == "move" else "copied"
        made = " (made now)" if self.created_cycle else ""
        text = (
            f"{self.cycle} is closed. Into {self.into}{made}: {self.goals} unfinished goals with "
            f"{self.key_results} key results and {self.milestones} milestones; {self.tasks} open tasks {verb}."
        )
        if self.left_behind:
            text += f" {self.left_behind} open tasks of finished goals stay behind."
        return text


def next_name(cycle: Cycle) -> str:
    quarter = re.match(r"^(\d{4}) Q([1-4])$", cycle.name)
    if quarter:
        year, index = int(quarter.group(1)), int(quarter.group(2))
        return f"{year + index // 4} Q{index % 4 + 1}"
    return f"{cycle.name} (next)"


def following_cycle(cycle: Cycle) -> Cycle | None:
    return (
        Cycle.select().where((Cycle.starts > cycle.starts) & (Cycle.state != "closed")).order_by(Cycle.starts).first()
    )


@writes
def close_cycle(actor: Person, cycle_id: int, version: int | None, carry: str = "copy") -> CarrySummary:
    """Close a cycle that is in review, carrying unfinished work over (or not)."""
    authorize(actor, "cycle.edit")
    cycle = get(Cycle, cycle_id)
    mode = parse_choice(carry, CARRY_MODES)
    if cycle.state != "review":
        raise ValidationError.single("state", f"{cycle.name} is in {cycle.state}: a cycle closes from review")
    summary = CarrySummary(cycle=cycle.name, mode=mode or "none")
    if mode != "none":
        _carry(actor, cycle, mode, summary)
    apply_edit(cycle, version, {"state": "closed"})
    return summary


def _carry(actor: Person, cycle: Cycle, mode: str, summary: CarrySummary) -> None:
    target = following_cycle(cycle)
    if target is None:
        name = next_name(cycle)
        while Cycle.get_or_none(Cycle.name == name) is not None:
            name += " (next)"
        starts = cycle.ends + timedelta(days=1)
        ends = starts + (cycle.ends - cycle.starts)
        if quarter_of(cycle.starts)[:2] == (cycle.starts, cycle.ends):  # a calendar quarter: the next one
            ends = quarter_of(starts)[1]
        target = Cycle.create(name=name, starts=starts, ends=ends, state="planning")
        log().created(target, name)
        summary.created_cycle = True
    summary.into = target.name
    numbers = figures(Scope(cycle_id=cycle.id), clock.today())
    goals = {g.id: g for g in Goal.select().where(Goal.cycle == cycle.id)}
    carried: dict[int, int] = {}
    for gid, _ in tree_order(numbers.nodes):
        goal = goals[gid]
        rolled = numbers.rollups.get(gid)
        if goal.archived or goal.status in FINISHED or (rolled is not None and rolled.progress >= 1.0):
            continue
        parent = goal.parent_id
        while parent is not None and parent not in carried:
            parent = goals[parent].parent_id if parent in goals else None
        copy = Goal.create(
            parent=carried.get(parent) if parent is not None else None,
            level=goal.level,
            title=goal.title,
            description=goal.description,
            owner=goal.owner_id,
            team=goal.team_id,
            cycle=target,
            weight=goal.weight,
        )
        log().created(copy, f"carried over from {cycle.name}")
        carried[gid] = copy.id
        summary.goals += 1
        for kr in KeyResult.select().where((KeyResult.goal == gid) & (KeyResult.archived == False)):  # noqa: E712
            made = KeyResult.create(
                goal=copy,
                title=kr.title,
                kind=kr.kind,
                baseline=kr.baseline,
                target=kr.target,
                current=kr.current,
                unit=kr.unit,
                direction=kr.direction,
                weight=kr.weight,
            )
            log().created(made, made.title)
            summary.key_results += 1
        open_stones = Milestone.select().where((Milestone.goal == gid) & (Milestone.done == False))  # noqa: E712
        for stone in open_stones.order_by(Milestone.position, Milestone.id):
            made = Milestone.create(goal=copy, title=stone.title, due=stone.due, position=stone.position)
            log().created(made, made.title)
            summary.milestones += 1
        if goal.status is None:
            apply_edit(goal, None, {"status": "missed"})
    _carry_tasks(actor, cycle, target, carried, mode, summary)


def _carry_tasks(
    actor: Person, cycle: Cycle, target: Cycle, carried: dict[int, int], mode: str, summary: CarrySummary
) -> None:
    open_tasks = Task.select().where((Task.cycle == cycle.id) & (Task.status != "done"))
    summary.left_behind = open_tasks.where(Task.goal.not_in(list(carried) or [0])).count()
    moving = list(open_tasks.where(Task.goal.in_(list(carried) or [0])).order_by(Task.id))
    summary.tasks = len(moving)
    if not moving:
        return
    now = clock.now()
    op = log()
    if mode == "move":
        for old_goal, new_goal in carried.items():
            Task.update(goal=new_goal, cycle=target.id, milestone=None, version=Task.version + 1, updated_at=now).where(
                (Task.goal == old_goal) & (Task.status != "done") & (Task.cycle == cycle.id)
            ).execute()
        rows = []
        for task in moving:
            for name, old, new in (("goal", task.goal_id, carried[task.goal_id]), ("cycle", cycle.id, target.id)):
                rows.append(
                    {
                        "at": now,
                        "actor": op.actor_id,
                        "op": op.id,
                        "entity": "task",
                        "entity_id": task.id,
                        "field": name,
                        "old": str(old),
                        "new": str(new),
                        "version": task.version + 1,
                    }
                )
        for start in range(0, len(rows), 500):
            Change.insert_many(rows[start : start + 500]).execute()
        return
    for task in moving:
        copy = Task.create(
            goal=carried[task.goal_id],
            cycle=target.id,
            title=task.title,
            objective=task.objective,
            context=task.context,
            owner=task.owner_id,
            deadline=task.deadline,
            priority=task.priority,
            status=task.status,
            position=task.position,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        op.created(copy, f"copied from task {task.id} of {cycle.name}")
