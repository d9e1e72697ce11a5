"""Goals: create, edit, move, archive and set status.

Milestone services live in :mod:`okrate_tui.core.services.milestones`; their names stay
importable from here.
"""

from __future__ import annotations

from typing import Any

from okrate_tui.core import clock
from okrate_tui.core.errors import PermissionDenied, ValidationError
from okrate_tui.core.models import Cycle, Goal, Person, Team
from okrate_tui.core.permissions import authorize, authorize_goal
from okrate_tui.core.services import refs
from okrate_tui.core.services.cycles import current_cycle, ensure_open
from okrate_tui.core.services.milestones import (  # noqa: F401  (their old home)
    add_milestone,
    delete_milestone,
    edit_milestone,
    move_milestone,
    set_milestone_done,
)
from okrate_tui.core.validation import (
    Checker,
    clean_text,
    clean_title,
    parse_choice,
    parse_date,
    parse_weight,
)
from okrate_tui.core.vocab import GOAL_LEVELS, GOAL_STATUSES
from okrate_tui.core.writes import apply_edit, get, log, writes

CHILD_LEVEL = {None: "company", "company": "team", "team": "individual", "individual": "individual"}


def _goal_fields(check: Checker, values: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Validate the plain fields a person can set on a goal."""
    out: dict[str, Any] = {}
    if "title" in values:
        out["title"] = check("title", clean_title, values["title"])
    if "description" in values:
        out["description"] = check("description", clean_text, values["description"])
    if "owner" in values:
        out["owner"] = refs.person(check, "owner", values["owner"], me=actor)
    if "team" in values:
        out["team"] = refs.resolve(check, "team", Team, values["team"])
    if "level" in values:
        out["level"] = check("level", parse_choice, values["level"], GOAL_LEVELS)
    if "weight" in values:
        out["weight"] = check("weight", parse_weight, values["weight"])
    if "status" in values:
        out["status"] = check("status", parse_choice, values["status"], GOAL_STATUSES, optional=True)
    for name in ("starts", "due"):
        if name in values:
            out[name] = check(name, parse_date, values[name])
    return out


def _check_dates(check: Checker, starts: Any, due: Any) -> None:
    if starts and due and due < starts and "due" not in check.errors:
        check.fail("due", f"{due} is before the start {starts}")


@writes
def create_goal(
    actor: Person,
    title: str,
    *,
    parent: Goal | int | None = None,
    cycle: Cycle | int | str | None = None,
    owner: Person | int | str | None = None,
    team: Team | int | str | None = None,
    level: str | None = None,
    weight: Any = 1.0,
    description: str = "",
    starts: Any = None,
    due: Any = None,
) -> Goal:
    """Add a goal under ``parent`` (or at the top of a cycle's tree).

    A goal made after its cycle started starts on the day it is made, unless ``starts``
    says otherwise: its pace counts from then, so it is not born behind.
    """
    authorize(actor, "goal.create")
    check = Checker()
    parent_goal = refs.goal(check, "parent", parent, optional=True)
    the_cycle = refs.resolve(check, "cycle", Cycle, cycle) if cycle is not None else None
    if parent_goal is not None:
        if parent_goal.archived:
            check.fail("parent", f"goal {parent_goal.id} is archived")
        if the_cycle is not None and the_cycle.id != parent_goal.cycle_id:
            check.fail("cycle", "a child goal lives in its parent's cycle")
        the_cycle = parent_goal.cycle
    elif the_cycle is None and "cycle" not in check.errors:
        the_cycle = current_cycle()
        if the_cycle is None:
            check.fail("cycle", "there is no cycle yet; create one first")
    fields = _goal_fields(
        check,
        {
            "title": title,
            "description": description,
            "owner": owner,
            "team": team,
            "level": level or CHILD_LEVEL[parent_goal.level if parent_goal else None],
            "weight": weight,
            "starts": starts,
            "due": due,
        },
        actor,
    )
    if fields.get("team") is None and fields.get("owner") is not None:
        fields["team"] = fields["owner"].team
    _check_dates(check, fields.get("starts"), fields.get("due"))
    check.done()
    assert the_cycle is not None  # else a field error was raised just above
    ensure_open(the_cycle.id)
    today = clock.today()
    if fields.get("starts") is None and the_cycle.starts < today <= (fields.get("due") or the_cycle.ends):
        fields["starts"] = today
    own = fields.get("owner") is not None and fields["owner"].id == actor.id
    if parent_goal is None and actor.role == "member":
        raise PermissionDenied(f"@{actor.handle} is a member; top-level goals need a manager or an admin")
    if parent_goal is not None and not own:
        authorize_goal(actor, parent_goal, "add goals under")
    goal = Goal.create(parent=parent_goal, cycle=the_cycle, **fields)
    log().created(goal, goal.title)
    return goal


EDITABLE = {"title", "description", "owner", "team", "level", "weight", "status", "starts", "due"}


@writes
def edit_goal(actor: Person, goal_id: int, version: int | None, **changes: Any) -> Goal:
    """Change any of a goal's own fields (title, owner, weight, status, dates, …)."""
    goal = get(Goal, goal_id)
    authorize_goal(actor, goal, "edit")
    ensure_open(goal.cycle_id)
    check = Checker()
    for field in set(changes) - EDITABLE:
        check.fail(field, "cannot be changed here")
    fields = _goal_fields(check, changes, actor)
    _check_dates(check, fields.get("starts", goal.starts), fields.get("due", goal.due))
    check.done()
    if "status" in fields:  # a status a person sets is theirs: a reason the close gave no longer holds
        fields["status_reason"] = ""
    return apply_edit(goal, version, fields)


def set_goal_status(actor: Person, goal_id: int, version: int | None, status: str | None) -> Goal:
    """Set a status by hand, or ``None`` to follow pace again."""
    return edit_goal(actor, goal_id, version, status=status)


def subtree_ids(goal_id: int) -> list[int]:
    """The goal and every goal below it (a recursive query)."""
    from okrate_tui.core.queries.goals import subtree_ids as query

    return query(goal_id)


@writes
def move_goal(actor: Person, goal_id: int, version: int | None, new_parent: Goal | int | None) -> Goal:
    """Hang a goal (with its subtree) under another parent, or at the top (``None``)."""
    goal = get(Goal, goal_id)
    authorize_goal(actor, goal, "move")
    ensure_open(goal.cycle_id)
    check = Checker()
    target = refs.goal(check, "parent", new_parent, optional=True)
    check.done()
    if target is not None:
        if target.id in set(subtree_ids(goal.id)):
            raise ValidationError.single("parent", "a goal cannot move under itself or one of its own sub-goals")
        if target.cycle_id != goal.cycle_id:
            raise ValidationError.single("parent", "the new parent is in another cycle")
        if target.archived:
            raise ValidationError.single("parent", f"goal {target.id} is archived")
    return apply_edit(goal, version, {"parent": target.id if target else None})


@writes
def archive_goal(actor: Person, goal_id: int, version: int | None, archived: bool = True) -> Goal:
    """Archive a goal (it leaves roll-ups but is kept), or restore it."""
    goal = get(Goal, goal_id)
    authorize_goal(actor, goal, "archive")
    ensure_open(goal.cycle_id)
    if not archived and goal.parent_id is not None and get(Goal, goal.parent_id).archived:
        raise ValidationError.single("archived", "restore its parent goal first")
    return apply_edit(goal, version, {"archived": archived})
