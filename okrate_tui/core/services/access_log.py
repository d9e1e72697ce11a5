"""The access log of a team server: every connection, who, when, from where, and what.

It is kept apart from the change log (a connection changes no data, and other
sessions must not reload for it) and only admins read it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from okrate_tui.core import clock
from okrate_tui.core.errors import PermissionDenied
from okrate_tui.core.inputs import declare
from okrate_tui.core.models import Access, Person, SshKey
from okrate_tui.core.permissions import authorize, is_admin
from okrate_tui.core.queries.org import PersonRow
from okrate_tui.core.rows import tuples
from okrate_tui.core.text import logged
from okrate_tui.core.validation import ID_MAX
from okrate_tui.core.writes import person_of, writes

declare("log", "access log", "access.remote", "access.what", "access.outcome", module=__name__)


@dataclass(frozen=True, slots=True)
class AccessRow:
    id: int
    at: datetime
    handle: str | None
    key_id: int | None
    remote: str
    what: str
    outcome: str
    seconds: float | None

    def as_dict(self) -> dict:
        return asdict(self)


@writes
def record(actor: None, key_ref: int | None, person_id: int | None, remote: str, what: str, outcome: str = "") -> int:
    """Note a connection as it starts (``outcome`` says why one was refused)."""
    if key_ref is not None and not 0 < key_ref <= ID_MAX:
        key_ref = None  # no key has such an id
    known = key_ref is not None and SshKey.select().where(SshKey.id == key_ref).exists()
    now = clock.now()
    entry = Access.create(
        at=now,
        key=key_ref if known else None,
        key_ref=key_ref,
        person=person_id,
        remote=logged(remote, 80),
        what=logged(what, 120),
        outcome=logged(outcome, 200),
        ended_at=now if outcome else None,
    )
    return entry.id


@writes
def finish(actor: None, access_id: int, outcome: str = "") -> None:
    """Note how and when a connection ended."""
    Access.update(ended_at=clock.now(), outcome=logged(outcome, 200)).where(Access.id == access_id).execute()


def entries(actor: Person | PersonRow, *, limit: int = 100, person: Person | None = None) -> list[AccessRow]:
    """The newest connections first (admins only)."""
    actor = person_of(actor)
    authorize(actor, "audit")
    if not is_admin(actor):
        raise PermissionDenied(f"@{actor.handle} is a {actor.role}: the access log is an admin's")
    handles: dict[int | None, str] = dict(tuples(Person.select(Person.id, Person.handle)))
    query = Access.select().order_by(Access.id.desc()).limit(max(1, limit))
    if person is not None:
        query = query.where(Access.person == person.id)
    return [
        AccessRow(
            a.id,
            a.at,
            handles.get(a.person_id),
            a.key_ref,
            a.remote,
            a.what,
            a.outcome,
            (a.ended_at - a.at).total_seconds() if a.ended_at else None,
        )
        for a in query
    ]
