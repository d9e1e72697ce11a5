"""SSH keys of a team server: added and revoked by admins, each logged.

A key belongs to one person. Revoking a key or deactivating its person refuses the
next connection made with it and ends the sessions open with it (within seconds); the
server's ``authorized_keys`` is rewritten from :func:`active_keys` so it never offers a
way in that the database does not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from okrate_tui.core import clock
from okrate_tui.core.errors import PermissionDenied
from okrate_tui.core.inputs import declare
from okrate_tui.core.models import Person, SshKey
from okrate_tui.core.permissions import authorize, is_admin
from okrate_tui.core.queries.org import PersonRow
from okrate_tui.core.rows import tuples
from okrate_tui.core.services import sessions
from okrate_tui.core.services.people import find_person
from okrate_tui.core.sshkeys import parse
from okrate_tui.core.validation import ID_MAX
from okrate_tui.core.writes import apply_edit, get, log, person_of, writes

declare("key", "ssh key", "ssh_key.comment", module=__name__)  # a key's comment, from its .pub file


@dataclass(frozen=True, slots=True)
class KeyRow:
    id: int
    handle: str
    algorithm: str
    fingerprint: str
    comment: str
    created_at: datetime
    created_by: str | None
    revoked_at: datetime | None
    revoked_by: str | None
    active: bool  # usable now: not revoked and its person active

    def as_dict(self) -> dict:
        return asdict(self)


def _require_admin(actor: Person, doing: str) -> None:
    authorize(actor, "keys")
    if not is_admin(actor):
        raise PermissionDenied(f"@{actor.handle} is a {actor.role}: {doing} needs an admin")


@writes
def add_key(actor: Person, handle: str, text: str) -> SshKey:
    """Register a public key for the person ``handle`` (admins only)."""
    _require_admin(actor, "adding keys")
    person = find_person(handle)
    if not person.active:
        raise PermissionDenied(f"@{person.handle} is no longer active; reactivate them before adding a key")
    key = parse(text)
    taken = (
        SshKey.select(SshKey, Person.handle)
        .join(Person, on=(SshKey.person == Person.id))
        .where((SshKey.fingerprint == key.fingerprint) & SshKey.revoked_at.is_null())
        .first()
    )
    if taken is not None:
        owner = taken.person.handle
        whose = "this person" if owner == person.handle else f"@{owner}"
        raise PermissionDenied(f"this key ({key.fingerprint}) is registered to {whose} already (key {taken.id})")
    record = SshKey.create(
        person=person.id,
        algorithm=key.algorithm,
        blob=key.blob,
        fingerprint=key.fingerprint,
        comment=key.comment,
        created_by=actor.id,
    )
    log().created(record, f"@{person.handle} {key.fingerprint}")
    return record


@writes
def revoke_key(actor: Person, key_id: int) -> SshKey:
    """Stop a key from opening the server (admins only); refuses to lock every admin out."""
    _require_admin(actor, "revoking keys")
    key = get(SshKey, key_id)
    if key.revoked_at is not None:
        raise PermissionDenied(f"key {key_id} was revoked already ({key.revoked_at:%Y-%m-%d %H:%M})")
    owner = get(Person, key.person_id)
    if is_admin(owner) and not _other_admin_key(key.id):
        raise PermissionDenied(
            f"key {key_id} is the last key of an active admin; add another admin key first, "
            "or nobody could manage this server"
        )
    revoked = apply_edit(key, None, {"revoked_at": clock.now(), "revoked_by": actor.id})
    sessions.end_for_key(key.id, actor)
    return revoked


def _other_admin_key(key_id: int) -> bool:
    return (
        SshKey.select()
        .join(Person, on=(SshKey.person == Person.id))
        .where(
            (SshKey.id != key_id) & SshKey.revoked_at.is_null() & (Person.role == "admin") & (Person.active == True)  # noqa: E712
        )
        .exists()
    )


def list_keys(actor: Person | PersonRow, *, revoked: bool = False) -> list[KeyRow]:
    """Every key for an admin; a person's own keys for anyone else."""
    actor = person_of(actor)
    authorize(actor, "keys.list")
    handles: dict[int | None, tuple[str, bool]] = {
        p.id: (p.handle, p.active) for p in Person.select(Person.id, Person.handle, Person.active)
    }
    query = SshKey.select().order_by(SshKey.id)
    if not is_admin(actor):
        query = query.where(SshKey.person == actor.id)
    if not revoked:
        query = query.where(SshKey.revoked_at.is_null())
    out = []
    for key in query:
        handle, active = handles.get(key.person_id, ("?", False))
        out.append(
            KeyRow(
                key.id,
                handle,
                key.algorithm,
                key.fingerprint,
                key.comment,
                key.created_at,
                handles.get(key.created_by_id, (None, False))[0],
                key.revoked_at,
                handles.get(key.revoked_by_id, (None, False))[0],
                key.revoked_at is None and active,
            )
        )
    return out


def active_keys() -> list[tuple[int, str, str, str]]:
    """``(id, algorithm, blob, handle)`` of every key that may open the server now."""
    query = (
        SshKey.select(SshKey.id, SshKey.algorithm, SshKey.blob, Person.handle)
        .join(Person, on=(SshKey.person == Person.id))
        .where(SshKey.revoked_at.is_null() & (Person.active == True))  # noqa: E712
        .order_by(SshKey.id)
    )
    return list(tuples(query))


def key_owner(key_id: int) -> Person:
    """The active person a connection's key proves, or :class:`PermissionDenied`."""
    key = SshKey.get_or_none(SshKey.id == key_id) if 0 < key_id <= ID_MAX else None
    if key is None or key.revoked_at is not None:
        raise PermissionDenied("this key is not (or no longer) registered on this server; ask an admin")
    person = Person.get_or_none(Person.id == key.person_id)
    if person is None or not person.active:
        raise PermissionDenied("this key's person is no longer active on this server; ask an admin")
    return person
