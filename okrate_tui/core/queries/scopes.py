"""Which board a person opens on: the one they last chose, else one that fits their role
(a member their own tasks, a manager their team, an admin the whole organisation)."""

from __future__ import annotations

from okrate_tui.core.models import Goal, Person, Team
from okrate_tui.core.queries.board import BoardScope
from okrate_tui.core.queries.org import PersonRow
from okrate_tui.core.services.preferences import recall
from okrate_tui.core.validation import ID_MAX, id_of

SCOPE_KEY = "board.scope"


def scope_text(scope: BoardScope) -> str:
    """How a scope is remembered: ``mine``, ``org``, ``team:3``, ``person:5``, ``goal:12``."""
    ident = {"team": scope.team_id, "person": scope.person_id, "goal": scope.goal_id}.get(scope.kind)
    return f"{scope.kind}:{ident}" if ident is not None else scope.kind


def role_scope(person: PersonRow) -> BoardScope:
    """The board that fits a role when nothing was chosen yet."""
    if person.role == "manager" and person.team_id is not None:
        return BoardScope("team", team_id=person.team_id, label=f"team: {person.team or '?'}")
    if person.role == "admin":
        return BoardScope()
    return BoardScope("mine", person_id=person.id, label="my tasks")


def opening_scope(person: PersonRow, cycle_id: int | None = None) -> BoardScope:
    """The scope ``person`` last chose (if it still exists, and a goal is still in
    ``cycle_id``), else the one for their role."""
    kept = recall(person.id, SCOPE_KEY)
    kind, _, rest = (kept or "").partition(":")
    ident = id_of(rest)
    if ident is not None and ident > ID_MAX:
        ident = None
    if kind == "org":
        return BoardScope()
    if kind == "mine":
        return BoardScope("mine", person_id=person.id, label="my tasks")
    if kind == "team" and ident is not None and (team := Team.get_or_none(Team.id == ident)) is not None:
        return BoardScope("team", team_id=team.id, label=f"team: {team.name}")
    if kind == "person" and ident is not None:
        other = Person.get_or_none((Person.id == ident) & (Person.active == True))  # noqa: E712
        if other is not None:
            return BoardScope("person", person_id=other.id, label=f"@{other.handle}")
    if kind == "goal" and ident is not None:
        goal = Goal.get_or_none((Goal.id == ident) & (Goal.archived == False))  # noqa: E712
        if goal is not None and (cycle_id is None or goal.cycle_id == cycle_id):
            return BoardScope("goal", goal_id=goal.id, label=f"goal: {goal.title}")
    return role_scope(person)
