"""What the session store tells the views when something changed, here or elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from okrate_tui.core.queries.org import CycleRow, PersonRow


@dataclass(frozen=True, slots=True)
class Touch:
    """One record that a change-log batch names: who changed it, and how."""

    entity: str
    entity_id: int
    actor_id: int | None
    handle: str | None  # the person who changed it, when known
    fields: frozenset[str]
    deleted: bool
    created: bool
    local: bool  # this session made the change itself

    def who(self) -> str:
        return f"@{self.handle}" if self.handle else "someone"


@dataclass(frozen=True, slots=True)
class Health:
    """Whether the database can be reached: ``ok``, ``unreachable`` (it may come back),
    ``deleted``, ``replaced`` or ``overwritten`` (the file this session opened is gone for
    good), ``damaged`` (it cannot be read whole; ``detail`` says what to do)."""

    state: str = "ok"
    since: datetime | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.state == "ok"

    @property
    def lost_file(self) -> bool:
        return self.state in ("deleted", "replaced", "overwritten")

    @property
    def lasting(self) -> bool:
        """Trouble that does not pass by itself (no reconnecting helps)."""
        return self.lost_file or self.state == "damaged"

    def sentence(self) -> str:
        when = f" at {self.since:%H:%M}" if self.since else ""
        recover = "ctrl+r saves what this session holds to a recovery file."
        if self.state == "unreachable":
            since = f" since {self.since:%H:%M:%S}" if self.since else ""
            return f"The database is unreachable{since}: nothing is saved until it is back (this reconnects by itself)."
        if self.state == "deleted":
            return f"The database file was deleted{when}: nothing more is saved. {recover}"
        again = "Quit and open Okrate again to work on the file there now."
        if self.state == "replaced":
            return f"The database file was replaced{when} by another: nothing more is saved here. {again} {recover}"
        if self.state == "overwritten":
            return f"The database file was written over{when} (a backup restored?): nothing more is saved here. {again}"
        if self.state == "damaged":
            return "The database file is damaged: nothing more is saved. Quit and run `okrate check` for what to do."
        return ""


class Event:
    """Base of every store event."""


@dataclass(frozen=True)
class CycleMoved(Event):
    cycle: CycleRow | None
    previous: CycleRow | None
    why: str = ""


@dataclass(frozen=True)
class ActorChanged(Event):
    actor: PersonRow | None
    why: str = ""


@dataclass(frozen=True)
class PeopleChanged(Event):
    pass


@dataclass(frozen=True)
class CyclesChanged(Event):
    pass


@dataclass(frozen=True)
class TreeChanged(Event):
    goals: frozenset[int] | None  # None: the whole tree


@dataclass(frozen=True)
class CardsChanged(Event):
    changed: frozenset[int]
    removed: frozenset[int]
    local: bool = False  # only this session's own changes
    whole: bool = False  # the scope was read afresh


@dataclass(frozen=True)
class RecordsChanged(Event):
    touches: tuple[Touch, ...]

    def of(self, entity: str) -> list[Touch]:
        return [t for t in self.touches if t.entity == entity]

    def touch(self, entity: str, ident: int) -> Touch | None:
        return next((t for t in self.touches if t.entity == entity and t.entity_id == ident), None)


@dataclass(frozen=True)
class HealthChanged(Event):
    health: Health
