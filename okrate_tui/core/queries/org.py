"""Small reads about the organisation: people, teams, cycles, and the change counter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from peewee import fn

from okrate_tui.core.errors import NotFoundError
from okrate_tui.core.models import Change, Cycle, Person, Task, Team
from okrate_tui.core.rows import tuples
from okrate_tui.core.vocab import OPEN_STATUSES


@dataclass(frozen=True, slots=True)
class PersonRow:
    """A person as read: who they are, their team and manager. Services accept one as the
    acting person (they read the person again before acting)."""

    id: int
    handle: str
    name: str
    role: str
    team: str | None
    team_id: int | None
    manager_id: int | None
    active: bool

    @classmethod
    def of(cls, person: Person, team: str | None = None) -> PersonRow:
        return cls(
            person.id, person.handle, person.name, person.role, team, person.team_id, person.manager_id, person.active
        )


@dataclass(frozen=True, slots=True)
class CycleRow:
    """A cycle as read. ``version`` is the one its edits are checked against (None when
    not known: the edit is then not checked)."""

    id: int
    name: str
    starts: date
    ends: date
    state: str
    version: int | None = None

    @classmethod
    def of(cls, cycle: Cycle) -> CycleRow:
        return cls(cycle.id, cycle.name, cycle.starts, cycle.ends, cycle.state, cycle.version)


def people(*, active_only: bool = True) -> list[PersonRow]:
    teams: dict[int | None, str] = {t.id: t.name for t in Team.select()}
    query = Person.select().order_by(Person.name)
    if active_only:
        query = query.where(Person.active == True)  # noqa: E712
    return [PersonRow.of(p, teams.get(p.team_id)) for p in query]


def person_row(person_id: int) -> PersonRow:
    """One person (active or not) as a row; NotFoundError when there is none."""
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        raise NotFoundError("person", person_id)
    team = Team.get_or_none(Team.id == person.team_id) if person.team_id else None
    return PersonRow.of(person, team.name if team else None)


@dataclass(frozen=True, slots=True)
class PersonEntry:
    """A person as the people screen lists them: the row, the version its edits are
    checked against, their manager's handle and how much open work they hold."""

    row: PersonRow
    version: int
    manager: str | None
    open_tasks: int
    reports: int


def people_overview() -> list[PersonEntry]:
    """Everyone (active first, then by name) with their manager and open task count."""
    teams: dict[int | None, str] = {t.id: t.name for t in Team.select()}
    everyone = list(Person.select())
    handles = {p.id: p.handle for p in everyone}
    open_counts: dict[int, int] = dict(
        tuples(
            Task.select(Task.owner, fn.COUNT(Task.id))
            .where(Task.status.in_(OPEN_STATUSES) & Task.owner.is_null(False))
            .group_by(Task.owner)
        )
    )
    reports: dict[int, int] = {}
    for p in everyone:
        if p.manager_id is not None and p.active:
            reports[p.manager_id] = reports.get(p.manager_id, 0) + 1
    entries = [
        PersonEntry(
            PersonRow.of(p, teams.get(p.team_id)),
            p.version,
            handles.get(p.manager_id) if p.manager_id else None,
            open_counts.get(p.id, 0),
            reports.get(p.id, 0),
        )
        for p in everyone
    ]
    return sorted(entries, key=lambda e: (not e.row.active, e.row.name.casefold()))


def team_versions() -> dict[int, int]:
    return {t.id: t.version for t in Team.select(Team.id, Team.version)}


def teams() -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in Team.select().order_by(Team.name)]


def cycles() -> list[CycleRow]:
    """Every cycle, the newest first."""
    return [CycleRow.of(c) for c in Cycle.select().order_by(Cycle.starts.desc())]


def cycle_row(cycle_id: int) -> CycleRow:
    """One cycle as a row; NotFoundError when there is none."""
    cycle = Cycle.get_or_none(Cycle.id == cycle_id)
    if cycle is None:
        raise NotFoundError("cycle", cycle_id)
    return CycleRow.of(cycle)


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
