"""Small reads about the organisation: people, teams, cycles, and the change counter."""

from __future__ import annotations

from dataclasses import dataclass

from okrate_tui.core.models import Change, Cycle, Person, Team


@dataclass(frozen=True, slots=True)
class PersonRow:
    id: int
    handle: str
    name: str
    role: str
    team: str | None
    team_id: int | None
    manager_id: int | None
    active: bool


def people(*, active_only: bool = True) -> list[PersonRow]:
    teams = {t.id: t.name for t in Team.select()}
    query = Person.select().order_by(Person.name)
    if active_only:
        query = query.where(Person.active == True)  # noqa: E712
    return [
        PersonRow(p.id, p.handle, p.name, p.role, teams.get(p.team_id), p.team_id, p.manager_id, p.active)
        for p in query
    ]


def teams() -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in Team.select().order_by(Team.name)]


def cycles() -> list[Cycle]:
    return list(Cycle.select().order_by(Cycle.starts.desc()))


def has_people() -> bool:
    return Person.select().exists()


def latest_change() -> int:
    """The id of the newest change-log entry: it moves whenever anyone writes."""
    row = Change.select(Change.id).order_by(Change.id.desc()).limit(1).first()
    return row.id if row else 0


def latest_change_if_only(op: str | None, seen: int) -> int:
    """The newest change id when every change after ``seen`` belongs to ``op`` (this
    session's own write), else ``seen``: others' changes must still be noticed."""
    newer = Change.select(Change.op).where(Change.id > seen)
    if op is None or newer.where(Change.op != op).exists():
        return seen
    return latest_change()
