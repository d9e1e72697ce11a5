"""Closing a cycle, and carrying its unfinished work into the next one.

Unfinished goals are copied into the next cycle where they stand, so a carried goal
starts the new cycle at the progress it closed with: its key results at their current
values (each copy's first check-in says it was carried over, and from what), every
milestone (a done one stays done; one part-way keeps the count of its tasks done, which
stay in the closed cycle with their history), the count of its tasks outside milestones
done there, and its finished sub-goals, copied as finished, so they keep their share.
Whoever closes may **reset** the progress of every carried goal or of some: a reset goal
measures only the new cycle (its key results start from their current values, done
milestones and finished sub-goals stay behind). A **dry run** does the whole close in a
transaction it then rolls back, and says which goals would change and by how much.
The originals stay in the closed cycle, marked *missed* by the close itself with the
reason "carried over to <next cycle>" (or "missed at close" when nothing is carried);
finished goals keep their status. Open tasks of carried goals are **copied** there (the
default: the originals stay, open, and the closed cycle's figures stay as they were) or
**moved** (the closed cycle then shows only what was finished in it), under the copies
of their milestones. Deadlines that would open the next cycle overdue can move to the
end of its first week. Closing before the cycle's last day needs a yes. The next cycle
is made when none exists. All in one write.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from okrate_tui.core import clock
from okrate_tui.core.clock import quarter_of
from okrate_tui.core.errors import NeedsConfirmation, ValidationError
from okrate_tui.core.models import Change, CheckIn, Cycle, Goal, KeyResult, Milestone, Person, Task
from okrate_tui.core.permissions import authorize
from okrate_tui.core.queries.goals import Scope, figures
from okrate_tui.core.queries.sql import id_list, rows
from okrate_tui.core.rules.progress import GoalNode, kr_progress, tree_order
from okrate_tui.core.validation import parse_choice
from okrate_tui.core.vocab import CYCLE_STATE_PHRASES
from okrate_tui.core.wording import day_month, number, plural
from okrate_tui.core.writes import apply_edit, get, log, writes

CARRY_MODES = ("copy", "move", "none")
FINISHED = ("done", "missed", "dropped")
MISSED_AT_CLOSE = "missed at close"
FIRST_WEEK = timedelta(days=6)


def carried_reason(into: str) -> str:
    """The reason a carried goal's original reads as missed."""
    return f"carried over to {into}"


@dataclass(frozen=True)
class ProgressChange:
    """A carried goal whose progress in the next cycle is not what it closed with."""

    goal_id: int
    title: str
    before: float
    after: float
    reset: bool

    def describe(self) -> str:
        why = " (reset)" if self.reset else ""
        return f"“{self.title}” {round(self.before * 100)}% → {round(self.after * 100)}%{why}"


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
    missed: int = 0
    deadlines_moved: int = 0
    deadlines_to: date | None = None
    finished_copies: int = 0  # finished sub-goals copied so their parents keep their share
    carried: list[tuple[int, str, float]] = field(default_factory=list)  # (goal id, title, progress)
    changes: list[ProgressChange] = field(default_factory=list)
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    def progress_sentence(self) -> str:
        """Which carried goals start the next cycle elsewhere than they stood, if any."""
        if not self.carried:
            return ""
        kept = len(self.carried) - len(self.changes)
        if not self.changes:
            return f"Every carried goal starts {self.into} where it stood."
        text = "; ".join(change.describe() for change in self.changes)
        verb, who = ("starts", "it") if kept == 1 else ("start", "they")
        return f"{plural(kept, 'carried goal')} {verb} where {who} stood; {text}."

    def describe(self) -> str:
        if self.mode == "none" or self.into is None:
            text = f"{self.cycle} is closed; nothing was carried over"
            if self.missed:
                text += f" ({plural(self.missed, 'unfinished goal')} marked missed)"
            return text
        verb = "moved" if self.mode == "move" else "copied"
        made = " (made now)" if self.created_cycle else ""
        text = (
            f"{self.cycle} is closed. Into {self.into}{made}: {plural(self.goals, 'unfinished goal')} with "
            f"{plural(self.key_results, 'key result')} and {plural(self.milestones, 'milestone')}; "
            f"{plural(self.tasks, 'open task')} {verb}."
        )
        if self.deadlines_moved and self.deadlines_to is not None:
            text += f" {plural(self.deadlines_moved, 'deadline')} moved to {day_month(self.deadlines_to)}."
        if self.left_behind:
            text += f" {plural(self.left_behind, 'open task')} of finished goals stay behind."
        progress = self.progress_sentence()
        if progress:
            text += " " + progress
        if self.dry_run:
            text = "Dry run, nothing changed: " + text.replace(" is closed.", " would close.", 1)
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


def _next_dates(cycle: Cycle) -> tuple[str, date, date]:
    """Name and dates of the cycle a close makes when no next one exists."""
    name = next_name(cycle)
    while Cycle.get_or_none(Cycle.name == name) is not None:
        name += " (next)"
    starts = cycle.ends + timedelta(days=1)
    ends = starts + (cycle.ends - cycle.starts)
    if quarter_of(cycle.starts)[:2] == (cycle.starts, cycle.ends):  # a calendar quarter: the next one
        ends = quarter_of(starts)[1]
    return name, starts, ends


def early_question(cycle: Cycle | Any, today: date) -> str | None:
    """The question to ask before closing a cycle whose last day is still ahead."""
    if today >= cycle.ends:
        return None
    days = (cycle.ends - today).days
    return f"{cycle.name} ends on {day_month(cycle.ends, today)}, {plural(days, 'day')} from now: close it anyway?"


def deadline_window(starts: date, ends: date, today: date) -> tuple[date, date]:
    """(before, moved_to): carried deadlines before ``before`` — the next cycle's start,
    or today once it is under way — move to ``moved_to``, the end of its first week."""
    before = max(starts, today)
    return before, max(min(before + FIRST_WEEK, ends), before)


@dataclass
class Standing:
    """A cycle's goals with their progress, the unfinished ones and the finished ones
    under them (parents first)."""

    goals: dict[int, Goal]
    progress: dict[int, float]
    open: list[int]
    finished_below: list[int]


def _unfinished(cycle: Cycle, today: date) -> Standing:
    """The cycle's goals, the unfinished ones, and the finished ones below an unfinished
    one (copied too, so that their parents keep their share), parents first."""
    numbers = figures(Scope(cycle_id=cycle.id), today)
    goals = {g.id: g for g in Goal.select().where(Goal.cycle == cycle.id)}
    progress = {gid: rolled.progress for gid, rolled in numbers.rollups.items()}
    open_goals: list[int] = []
    below: list[int] = []
    kept: set[int] = set()
    for gid, _ in tree_order(numbers.nodes):
        goal = goals[gid]
        if goal.archived:
            continue
        finished = goal.status in FINISHED or progress.get(gid, 0.0) >= 1.0
        if not finished:
            open_goals.append(gid)
            kept.add(gid)
        elif goal.parent_id in kept:
            below.append(gid)
            kept.add(gid)
    return Standing(goals, progress, open_goals, below)


def _open_tasks(cycle: Cycle, goal_ids: list[int]):
    return Task.select().where((Task.cycle == cycle.id) & (Task.status != "done") & Task.goal.in_(goal_ids or [0]))


@dataclass(frozen=True)
class ClosePreview:
    """What closing a cycle would do, to ask the right questions before it does."""

    cycle: str
    into: str
    into_starts: date
    creates_cycle: bool
    goals: int
    tasks: int
    stale_deadlines: int  # carried tasks whose deadlines would open the next cycle overdue
    deadlines_to: date
    early: str | None  # the question to ask when the cycle has days left

    def deadline_question(self) -> str:
        return (
            f"{plural(self.stale_deadlines, 'carried task')} would start {self.into} overdue: move "
            f"{'its deadline' if self.stale_deadlines == 1 else 'their deadlines'} to "
            f"{day_month(self.deadlines_to)}, the end of its first week?"
        )


def close_preview(cycle_id: int, today: date) -> ClosePreview:
    """What a close with carry-over would carry, and which questions it raises."""
    cycle = get(Cycle, cycle_id)
    target = following_cycle(cycle)
    if target is not None:
        name, starts, ends = target.name, target.starts, target.ends
    else:
        name, starts, ends = _next_dates(cycle)
    open_goals = _unfinished(cycle, today).open
    before, moved_to = deadline_window(starts, ends, today)
    carried = _open_tasks(cycle, open_goals)
    return ClosePreview(
        cycle=cycle.name,
        into=name,
        into_starts=starts,
        creates_cycle=target is None,
        goals=len(open_goals),
        tasks=carried.count(),
        stale_deadlines=carried.where(Task.deadline < before).count(),
        deadlines_to=moved_to,
        early=early_question(cycle, today),
    )


class _Rehearsed(Exception):
    """Ends a dry run inside its transaction, so that everything it did is rolled back."""

    def __init__(self, summary: CarrySummary):
        super().__init__("dry run")
        self.summary = summary


def close_cycle(
    actor: Person,
    cycle_id: int,
    version: int | None,
    carry: str = "copy",
    *,
    move_deadlines: bool = False,
    early: bool = False,
    reset: bool | Collection[int] = False,
    dry_run: bool = False,
) -> CarrySummary:
    """Close a cycle that is in review, carrying unfinished work over (or not).

    ``move_deadlines`` moves carried deadlines that would open the next cycle overdue to
    the end of its first week. Before the cycle's last day the close raises
    :class:`NeedsConfirmation` with the question to ask, unless ``early`` says yes.
    ``reset`` resets the progress of every carried goal (True) or of the goals named (ids
    in the closing cycle). ``dry_run`` does it all and rolls it back: the summary says
    what would happen, with every carried goal whose progress would change.
    """
    if not dry_run:
        return _close(actor, cycle_id, version, carry, move_deadlines, early, reset, False)
    try:
        _close(actor, cycle_id, version, carry, move_deadlines, early, reset, True)
    except _Rehearsed as rehearsed:
        return rehearsed.summary
    raise AssertionError("a dry run always rolls back")


@writes
def _close(
    actor: Person,
    cycle_id: int,
    version: int | None,
    carry: str,
    move_deadlines: bool,
    early: bool,
    reset: bool | Collection[int],
    dry_run: bool,
) -> CarrySummary:
    authorize(actor, "cycle.edit")
    cycle = get(Cycle, cycle_id)
    mode = parse_choice(carry, CARRY_MODES)
    if cycle.state != "review":
        raise ValidationError.single(
            "state", f"{cycle.name} is {CYCLE_STATE_PHRASES[cycle.state]}: a cycle closes from review"
        )
    question = early_question(cycle, clock.today())
    if question is not None and not early:
        raise NeedsConfirmation(question)
    summary = CarrySummary(cycle=cycle.name, mode=mode or "none", dry_run=dry_run)
    standing = _unfinished(cycle, clock.today())
    resetting = set(standing.open) if reset is True else set(reset or ())
    unknown = resetting - set(standing.open)
    if unknown:
        named = ", ".join(str(gid) for gid in sorted(unknown))
        raise ValidationError.single("reset", f"goal {named} is not an unfinished goal of {cycle.name}")
    if mode != "none":
        carried = _carry(actor, cycle, standing, mode, move_deadlines, summary, resetting)
        _compare(summary, standing, carried, resetting)
    else:
        for gid in standing.open:
            apply_edit(standing.goals[gid], None, {"status": "missed"}, extra={"status_reason": MISSED_AT_CLOSE})
        summary.missed = len(standing.open)
    apply_edit(cycle, version, {"state": "closed"})
    if dry_run:
        raise _Rehearsed(summary)
    return summary


KEPT = 0.005  # within half a point: the same progress


def _compare(summary: CarrySummary, standing: Standing, carried: dict[int, int], resetting: set[int]) -> None:
    """Every carried goal's progress before and after the carry; the ones that moved."""
    copies = figures(Scope(ids=tuple(carried.values())), clock.today()).rollups if carried else {}
    for gid in standing.open:
        before = standing.progress.get(gid, 0.0)
        rolled = copies.get(carried[gid])
        after = rolled.progress if rolled is not None else 0.0
        title = standing.goals[gid].title
        summary.carried.append((gid, title, before))
        if abs(after - before) >= KEPT:
            summary.changes.append(ProgressChange(gid, title, before, after, gid in resetting))


def _target(cycle: Cycle, summary: CarrySummary) -> Cycle:
    target = following_cycle(cycle)
    if target is None:
        name, starts, ends = _next_dates(cycle)
        target = Cycle.create(name=name, starts=starts, ends=ends, state="planning")
        log().created(target, name)
        summary.created_cycle = True
    return target


def _carry(
    actor: Person,
    cycle: Cycle,
    standing: Standing,
    mode: str,
    move_deadlines: bool,
    summary: CarrySummary,
    resetting: set[int],
) -> dict[int, int]:
    """Copy the unfinished goals (and the finished ones below them) into the next cycle;
    the copies' ids by original."""
    target = _target(cycle, summary)
    summary.into = target.name
    reason = carried_reason(target.name)
    goals = standing.goals
    carried: dict[int, int] = {}
    stones: dict[int, int] = {}
    before, moved_to = deadline_window(target.starts, target.ends, clock.today())
    finished = set(standing.finished_below)
    order = [gid for gid, _ in tree_order({g: _node(goals[g]) for g in (*standing.open, *finished)})]
    done_tasks = _done_counts(cycle, order)
    for gid in order:
        goal = goals[gid]
        parent = goal.parent_id
        while parent is not None and parent not in carried:
            parent = goals[parent].parent_id if parent in goals else None
        if gid in finished and parent in resetting:
            continue  # a reset parent measures only the new cycle
        fresh = gid in resetting
        copy = Goal.create(
            parent=carried.get(parent) if parent is not None else None,
            level=goal.level,
            title=goal.title,
            description=goal.description,
            owner=goal.owner_id,
            team=goal.team_id,
            cycle=target,
            weight=goal.weight,
            status=goal.status if gid in finished else None,
            status_reason=f"finished in {cycle.name}" if gid in finished and goal.status else "",
            carried_done=0 if fresh else done_tasks.get((gid, None), 0) + goal.carried_done,
        )
        log().created(copy, f"carried over from {cycle.name}")
        carried[gid] = copy.id
        if gid in finished:
            summary.finished_copies += 1
        else:
            summary.goals += 1
        for kr in KeyResult.select().where((KeyResult.goal == gid) & (KeyResult.archived == False)):  # noqa: E712
            _copy_key_result(actor, kr, copy, cycle, fresh)
            summary.key_results += 1
        for stone in Milestone.select().where(Milestone.goal == gid).order_by(Milestone.position, Milestone.id):
            if fresh and stone.done:
                continue  # reached in the closed cycle: it stays there
            due = stone.due
            if move_deadlines and not stone.done and due is not None and due < before:
                due = moved_to  # an open milestone would start the new cycle late
            made = Milestone.create(
                goal=copy,
                title=stone.title,
                due=due,
                done=stone.done,
                position=stone.position,
                carried_done=0 if fresh else done_tasks.get((gid, stone.id), 0) + stone.carried_done,
            )
            log().created(made, made.title)
            stones[stone.id] = made.id
            summary.milestones += 1
        if gid not in finished:
            apply_edit(goal, None, {"status": "missed"}, extra={"status_reason": reason})
    _carry_tasks(actor, cycle, target, {g: carried[g] for g in standing.open}, stones, mode, move_deadlines, summary)
    return carried


def _node(goal: Goal) -> GoalNode:
    return GoalNode(goal.id, goal.parent_id, goal.title, goal.weight, goal.archived)


def _done_counts(cycle: Cycle, goal_ids: list[int]) -> dict[tuple[int, int | None], int]:
    """Tasks done in the cycle, by (goal, milestone or None): what stays behind done."""
    counts: dict[tuple[int, int | None], int] = {}
    for start in range(0, len(goal_ids), 500):
        for goal_id, milestone_id, count in rows(
            "SELECT goal_id, milestone_id, COUNT(*) FROM task WHERE cycle_id = ? AND status = 'done' "
            f"AND goal_id IN ({id_list(goal_ids[start : start + 500])}) GROUP BY goal_id, milestone_id",
            [cycle.id],
        ):
            counts[(goal_id, milestone_id)] = int(count)
    return counts


def _copy_key_result(actor: Person, kr: KeyResult, goal: Goal, cycle: Cycle, fresh: bool = False) -> KeyResult:
    """A key result's copy at its current value; its first check-in says where that came
    from. A ``fresh`` copy (a reset) starts from there: its baseline is the current value
    (unless that already meets the target: it stays met)."""
    met = kr_progress(kr.kind, kr.baseline, kr.target, kr.current, kr.direction) >= 1.0
    made = KeyResult.create(
        goal=goal,
        title=kr.title,
        kind=kr.kind,
        baseline=kr.current if fresh and not met and kr.kind != "binary" else kr.baseline,
        target=kr.target,
        current=kr.current,
        unit=kr.unit,
        direction=kr.direction,
        weight=kr.weight,
    )
    log().created(made, made.title)
    last = CheckIn.select().where(CheckIn.key_result == kr.id).order_by(CheckIn.at.desc(), CheckIn.id.desc()).first()
    note = f"Carried over from {cycle.name} at {number(kr.current)}"
    if last is not None:
        who = Person.get_or_none(Person.id == last.author_id) if last.author_id else None
        note += f" (its last check-in there: {last.at:%Y-%m-%d}{' by @' + who.handle if who else ''})"
    else:
        note += " (never checked in there)"
    entry = CheckIn.create(
        key_result=made,
        value=kr.current,
        confidence=last.confidence if last is not None else None,
        note=note,
        author=actor,
        at=clock.now(),
    )
    log().created(entry, number(kr.current))
    return made


def _carry_tasks(
    actor: Person,
    cycle: Cycle,
    target: Cycle,
    carried: dict[int, int],
    stones: dict[int, int],
    mode: str,
    move_deadlines: bool,
    summary: CarrySummary,
) -> None:
    open_tasks = Task.select().where((Task.cycle == cycle.id) & (Task.status != "done"))
    summary.left_behind = open_tasks.where(Task.goal.not_in(list(carried) or [0])).count()
    moving = list(_open_tasks(cycle, list(carried)).order_by(Task.id))
    summary.tasks = len(moving)
    if not moving:
        return
    before, moved_to = deadline_window(target.starts, target.ends, clock.today())
    summary.deadlines_to = moved_to

    def deadline_of(task: Task) -> date | None:
        if move_deadlines and task.deadline is not None and task.deadline < before:
            summary.deadlines_moved += 1
            return moved_to
        return task.deadline

    now = clock.now()
    op = log()
    if mode == "copy":
        for task in moving:
            copy = Task.create(
                goal=carried[task.goal_id],
                cycle=target.id,
                milestone=stones.get(task.milestone_id) if task.milestone_id else None,
                title=task.title,
                objective=task.objective,
                context=task.context,
                owner=task.owner_id,
                deadline=deadline_of(task),
                priority=task.priority,
                status=task.status,
                position=task.position,
                created_by=actor,
                created_at=now,
                updated_at=now,
            )
            op.created(copy, f"copied from task {task.id} of {cycle.name}")
        return
    groups: dict[tuple[int, int | None, bool], list[int]] = {}
    rows: list[dict[str, Any]] = []
    for task in moving:
        changes: dict[str, tuple[Any, Any]] = {  # field: (old, new), as the change log holds them
            "goal": (task.goal_id, carried[task.goal_id]),
            "cycle": (cycle.id, target.id),
            "milestone": (task.milestone_id, stones.get(task.milestone_id) if task.milestone_id else None),
            "deadline": (task.deadline, deadline_of(task)),
        }
        moves_deadline = changes["deadline"][0] != changes["deadline"][1]
        groups.setdefault((changes["goal"][1], changes["milestone"][1], moves_deadline), []).append(task.id)
        for name, (old, new) in changes.items():
            if old != new:
                rows.append(
                    {
                        "at": now,
                        "actor": op.actor_id,
                        "op": op.id,
                        "entity": "task",
                        "entity_id": task.id,
                        "field": name,
                        "old": None if old is None else str(old),
                        "new": None if new is None else str(new),
                        "version": task.version + 1,
                    }
                )
    for (goal_id, milestone_id, moves_deadline), ids in groups.items():
        fields: dict[Any, Any] = {
            Task.goal: goal_id,
            Task.cycle: target.id,
            Task.milestone: milestone_id,
            Task.version: Task.version + 1,
            Task.updated_at: now,
        }
        if moves_deadline:
            fields[Task.deadline] = moved_to
        for start in range(0, len(ids), 500):
            Task.update(fields).where(Task.id.in_(ids[start : start + 500])).execute()
    for start in range(0, len(rows), 500):
        Change.insert_many(rows[start : start + 500]).execute()
