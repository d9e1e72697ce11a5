"""Milestones: the dated steps of a goal, in an order people choose.

Who may change them follows the goal (its owner, their managers, an admin); nothing
changes in a closed cycle. A milestone's progress and lateness are read by
:mod:`okrate_tui.core.queries.milestones`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from okrate_tui.core.errors import ValidationError
from okrate_tui.core.models import Cycle, Goal, Milestone, Person, Task
from okrate_tui.core.permissions import authorize_goal
from okrate_tui.core.services import refs
from okrate_tui.core.services.cycles import ensure_open
from okrate_tui.core.validation import Checker, clean_title, parse_date
from okrate_tui.core.writes import apply_edit, check_version, fields_changed_since, get, log, snapshot, writes

EDITABLE = {"title", "due", "done"}
DUE_SLACK = timedelta(days=2 * 366)  # a due date further than this from the cycle is a typo
_MIN_GAP = 1e-6  # closer positions than this are renumbered before a move


def _check_due(check: Checker, due: date | None, cycle: Cycle) -> None:
    """A due date outside the goal's cycle is fine (a step can come before or after
    the quarter), but one years away is almost surely a mistyped year."""
    if due is None or "due" in check.errors:
        return
    if due < cycle.starts - DUE_SLACK or due > cycle.ends + DUE_SLACK:
        check.fail(
            "due",
            f"{due} is more than two years from {cycle.name} ({cycle.starts} → {cycle.ends}); check the year",
        )


def _goal_of(milestone: Milestone, verb: str, actor: Person) -> Goal:
    goal = get(Goal, milestone.goal_id)
    authorize_goal(actor, goal, verb)
    ensure_open(goal.cycle_id)
    return goal


def _ordered(goal_id: int) -> list[Milestone]:
    return list(Milestone.select().where(Milestone.goal == goal_id).order_by(Milestone.position, Milestone.id))


@writes
def add_milestone(actor: Person, goal_id: Any, title: str, due: Any = None) -> Milestone:
    """Add a milestone to a goal, after its last one."""
    check = Checker()
    goal = refs.goal(check, "goal", goal_id)
    clean = check("title", clean_title, title)
    when = check("due", parse_date, due)
    if goal is not None:
        _check_due(check, when, get(Cycle, goal.cycle_id))
        if goal.archived:
            check.fail("goal", f"goal {goal.id} is archived")
    check.done()
    assert goal is not None
    authorize_goal(actor, goal, "add milestones to")
    ensure_open(goal.cycle_id)
    stones = _ordered(goal.id)
    position = stones[-1].position + 1.0 if stones else 1.0
    milestone = Milestone.create(goal=goal, title=clean, due=when, position=position)
    log().created(milestone, clean)
    return milestone


@writes
def edit_milestone(actor: Person, milestone_id: int, version: int | None, **changes: Any) -> Milestone:
    """Change a milestone's title, due date (``None`` or "" for none) or done flag."""
    milestone = get(Milestone, milestone_id)
    goal = _goal_of(milestone, "change milestones of", actor)
    check = Checker()
    fields: dict[str, Any] = {}
    if "title" in changes:
        fields["title"] = check("title", clean_title, changes["title"])
    if "due" in changes:
        fields["due"] = check("due", parse_date, changes["due"])
        _check_due(check, fields["due"], get(Cycle, goal.cycle_id))
    if "done" in changes:
        if not isinstance(changes["done"], bool):
            check.fail("done", "must be true or false")
        fields["done"] = bool(changes["done"])
    for field in sorted(set(changes) - EDITABLE):
        check.fail(field, "cannot be changed here")
    check.done()
    return apply_edit(milestone, version, fields)


def set_milestone_done(actor: Person, milestone_id: int, version: int | None, done: bool = True) -> Milestone:
    """Mark a milestone reached (``done``) or not reached again."""
    return edit_milestone(actor, milestone_id, version, done=done)


def _renumber(stones: list[Milestone]) -> None:
    """Give the milestones positions 1, 2, 3 … in the order listed (logged edits)."""
    for index, stone in enumerate(stones, start=1):
        apply_edit(stone, None, {"position": float(index)})


def _position_at(others: list[Milestone], index: int) -> float | None:
    """A position that puts a milestone at ``index`` among ``others`` (already in order),
    or None when its neighbours sit too close together."""
    before = others[index - 1].position if index > 0 else None
    after = others[index].position if index < len(others) else None
    if before is None:
        return 1.0 if after is None else after - 1.0
    if after is None:
        return before + 1.0
    if after - before > _MIN_GAP:
        return (before + after) / 2
    return None


@writes
def move_milestone(
    actor: Person, milestone_id: int, version: int | None, offset: int = 0, *, to: int | None = None
) -> Milestone:
    """Move a milestone ``offset`` places (-1 up, +1 down) or ``to`` a place (0 = first)
    among its goal's milestones; beyond either end it stops there.

    Only the moved milestone changes, unless its neighbours stand too close together,
    when the goal's milestones are renumbered first. A ``version`` conflicts only with
    another move of the same milestone.
    """
    milestone = get(Milestone, milestone_id)
    _goal_of(milestone, "change milestones of", actor)
    if isinstance(offset, bool) or not isinstance(offset, int) or (to is not None and not isinstance(to, int)):
        raise ValidationError.single("place", "a move is a whole number of places")
    if (to is None) == (offset == 0):
        raise ValidationError.single("place", "say how far to move it (up or down) or where to (a place)")
    stones = _ordered(milestone.goal_id)
    current = next(i for i, s in enumerate(stones) if s.id == milestone.id)
    wanted = to if to is not None else current + offset
    wanted = max(0, min(len(stones) - 1, wanted))
    moved_since = version is not None and milestone.version != version
    if moved_since and version is not None and "position" in fields_changed_since(milestone, version):
        check_version(milestone, version)
    if wanted == current:
        return milestone
    others = [s for s in stones if s.id != milestone.id]
    position = _position_at(others, wanted)
    if position is None:
        _renumber(others)
        position = _position_at(others, wanted)
    return apply_edit(milestone, None, {"position": position})


@writes
def delete_milestone(actor: Person, milestone_id: int, version: int | None) -> dict[str, Any]:
    """Remove a milestone; its tasks stay with the goal. Returns the milestone as it was."""
    milestone = get(Milestone, milestone_id)
    _goal_of(milestone, "change milestones of", actor)
    check_version(milestone, version)
    for task in Task.select().where(Task.milestone == milestone.id):
        apply_edit(task, None, {"milestone": None})
    copy = snapshot(milestone)
    log().deleted(milestone, copy)
    milestone.delete_instance()
    return copy
