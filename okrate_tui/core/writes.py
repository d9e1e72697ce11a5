"""Write transactions, the change log, and version-checked edits.

Every service that changes data is wrapped in :func:`writes`: one short transaction
(``BEGIN IMMEDIATE`` on SQLite) that is tried again by itself when the database stays
locked or another session changed a row between its read and its write (after such a
race, PostgreSQL rows are read locked), with driver errors turned into
:class:`StorageError` sentences; a file found damaged is never written into. Inside it, :func:`log` gives the
current :class:`Op`, which records each changed field in the change log.
"""

from __future__ import annotations

import contextvars
import functools
import json
import random
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, ParamSpec, TypeVar

import peewee

from okrate_tui.core import clock
from okrate_tui.core.changes import notify
from okrate_tui.core.errors import ConflictError, NotFoundError, PermissionDenied, StorageError
from okrate_tui.core.faults import cause
from okrate_tui.core.models import ENTITY_NAMES, BaseModel, Change, Person, Versioned, db
from okrate_tui.core.queries.org import PersonRow
from okrate_tui.core.validation import ID_MAX

P = ParamSpec("P")
R = TypeVar("R")

_current: contextvars.ContextVar[Op | None] = contextvars.ContextVar("okrate_op", default=None)
_locking: contextvars.ContextVar[bool] = contextvars.ContextVar("okrate_lock_rows", default=False)
_finished = threading.local()
_ATTEMPTS = 5  # at least this many tries for a write that raced or met a lock …
_RETRY_SECONDS = 10.0  # … and more while this time lasts (a busy database, many writers)
_MOST_ATTEMPTS = 200
# In a team-server session: runs inside every write a person makes, before the service,
# and raises once the session has ended (its key revoked, its person made inactive, or
# an admin ended it). Set by :func:`okrate_tui.core.services.sessions.serve`.
_session_guard: Callable[[], None] | None = None


def guard_sessions(check: Callable[[], None] | None) -> None:
    """Run ``check`` inside every write a person makes from now on (None: stop)."""
    global _session_guard
    _session_guard = check


class _Raced(Exception):
    """A concurrent writer changed the row between our read and our update: try again."""


def to_text(value: Any) -> str | None:
    """How a field value is written in the change log."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, BaseModel):
        return str(value.get_id())
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


class Op:
    """The changes one service call makes, logged under one ``op`` id."""

    def __init__(self, actor: Person | PersonRow | None):
        self.id = secrets.token_hex(8)
        self.actor_id = actor.id if actor is not None else None
        self.rows: list[dict[str, Any]] = []

    def _add(self, record: BaseModel, field: str, old: Any, new: Any, version: int) -> None:
        self.rows.append(
            {
                "at": clock.now(),
                "actor": self.actor_id,
                "op": self.id,
                "entity": ENTITY_NAMES[type(record)],
                "entity_id": record.get_id(),
                "field": field,
                "old": to_text(old),
                "new": to_text(new),
                "version": version,
            }
        )

    def created(self, record: BaseModel, summary: str = "") -> None:
        self._add(record, "@create", None, summary or None, getattr(record, "version", 1))

    def changed(self, record: BaseModel, field: str, old: Any, new: Any, version: int) -> None:
        self._add(record, field, old, new, version)

    def restored(self, record: BaseModel, summary: str = "") -> None:
        self._add(record, "@restore", None, summary or None, getattr(record, "version", 1))

    def deleted(self, record: BaseModel, snapshot: Mapping[str, Any]) -> None:
        text = json.dumps({k: to_text(v) for k, v in snapshot.items()}, sort_keys=True)
        self._add(record, "@delete", text, None, getattr(record, "version", 0) + 1)

    def flush(self) -> None:
        for start in range(0, len(self.rows), 200):
            Change.insert_many(self.rows[start : start + 200]).execute()
        self.rows.clear()


def last_op() -> str | None:
    """The ``op`` id of the last service call this thread finished (None if it changed nothing)."""
    return getattr(_finished, "op", None)


def with_op(fn: Callable[..., R], *args: Any, **kwargs: Any) -> tuple[R, str | None]:
    """Call a service and also return the ``op`` id its changes were logged under."""
    _finished.op = None
    result = fn(*args, **kwargs)
    return result, last_op()


def log() -> Op:
    """The change log of the service call now running."""
    op = _current.get()
    if op is None:
        raise RuntimeError("log() called outside a @writes service")
    return op


def _is_lock_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return (
        "database is locked" in text
        or "deadlock" in text
        or "could not serialize" in text
        or "could not obtain lock" in text
        or "lock timeout" in text
    )


def _again(attempt: int, started: float) -> bool:
    """Try a raced or locked write once more?"""
    if attempt + 1 >= _MOST_ATTEMPTS:
        return False
    return attempt + 1 < _ATTEMPTS or time.monotonic() - started < _RETRY_SECONDS


def _pause(attempt: int) -> None:
    """Wait a little longer each time, at a random moment, so that writers that met go
    apart instead of meeting again in step."""
    time.sleep(min(0.2, 0.005 * 2**attempt) * random.uniform(0.5, 1.5))


def _refuse_damaged() -> None:
    damage = getattr(db.obj, "damaged", None)
    if damage is not None:
        raise StorageError(damage.sentence(db.obj.sqlite_path))


def writes(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a service as one short write transaction that logs its changes.

    The service's first argument (or ``actor=``) is the acting person: a ``Person``, or
    a :class:`PersonRow` that is replaced by the person's record, read afresh inside the
    transaction. Nested services join the outer transaction and its ``op``.
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        named = args[0] if args else kwargs.get("actor")
        actor = named if isinstance(named, Person | PersonRow) else None
        call: Callable[..., R] = fn  # with the acting person's record in place of what was passed
        if _current.get() is not None:
            if isinstance(actor, PersonRow):
                person_args, person_kwargs = _with_actor(args, kwargs, person_of(actor))
                return call(*person_args, **person_kwargs)
            return fn(*args, **kwargs)
        _refuse_damaged()
        started = time.monotonic()
        lock_token = None
        try:
            for attempt in range(_MOST_ATTEMPTS):
                op = Op(actor)
                token = _current.set(op)
                try:
                    with db.atomic():
                        if actor is not None and _session_guard is not None:
                            _session_guard()
                        fresh = _refresh_actor(actor) if actor is not None else None
                        if fresh is not None and fresh is not actor:
                            fresh_args, fresh_kwargs = _with_actor(args, kwargs, fresh)
                            result = call(*fresh_args, **fresh_kwargs)
                        else:
                            result = fn(*args, **kwargs)
                        logged = bool(op.rows)
                        op.flush()
                        if logged:
                            notify(db.obj)  # listening sessions hear of it at commit
                    _finished.op = op.id if logged else None
                    return result
                except _Raced:
                    # another session committed to a row between our read and our write:
                    # from now on rows are read locked (PostgreSQL), so the next try holds
                    if lock_token is None:
                        lock_token = _locking.set(True)
                    if not _again(attempt, started):
                        raise StorageError("the record kept changing under us; try again") from None
                except peewee.IntegrityError as exc:
                    raise StorageError(f"the change clashed with the data: {_first_line(cause(exc))}") from None
                except (peewee.DatabaseError, peewee.InterfaceError) as exc:
                    real = cause(exc)
                    if not (_is_lock_error(real) and _again(attempt, started)):
                        from okrate_tui.core.db import note_damage, storage_message

                        note_damage(real)
                        raise StorageError(storage_message(real, path=getattr(db.obj, "sqlite_path", None))) from None
                finally:
                    _current.reset(token)
                _pause(attempt)
        finally:
            if lock_token is not None:
                _locking.reset(lock_token)
        raise AssertionError("unreachable")

    return wrapper


def _with_actor(
    args: tuple[Any, ...], kwargs: Mapping[str, Any], person: Person
) -> tuple[tuple[Any, ...], Mapping[str, Any]]:
    """The call's arguments with ``person`` as the acting person."""
    if args:
        return (person, *args[1:]), kwargs
    return args, {**kwargs, "actor": person}


def _refresh_actor(actor: Person | PersonRow) -> Person:
    """Who acts is re-read with every write: a person deactivated or given another role
    while a session was open acts as they are now, not as they were. A ``Person`` is
    brought up to date in place; for a :class:`PersonRow` the fresh record is returned."""
    fresh = Person.get_or_none(Person.id == actor.id)
    if fresh is None or not fresh.active:
        raise PermissionDenied(f"@{actor.handle} is no longer active here; nothing was saved")
    if not isinstance(actor, Person):
        return fresh
    actor.role, actor.active, actor.manager_id, actor.team_id = (
        fresh.role,
        fresh.active,
        fresh.manager_id,
        fresh.team_id,
    )
    return actor


def person_of(actor: Person | PersonRow | None) -> Person:
    """The acting person's record, for reads that take the actor: a ``Person`` as it is,
    a :class:`PersonRow` read again (so its role and manager are current)."""
    if actor is None:
        raise PermissionDenied("nobody is acting: name a person (--as HANDLE)")
    if isinstance(actor, Person):
        return actor
    person = Person.get_or_none(Person.id == actor.id)
    if person is None:
        raise NotFoundError("person", actor.id)
    return person


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


M = TypeVar("M", bound=BaseModel)
V = TypeVar("V", bound=Versioned)


def get(model: type[M], ident: Any) -> M:
    """Fetch one record or raise :class:`NotFoundError`."""
    if ident is None:
        raise NotFoundError(ENTITY_NAMES.get(model, model.__name__.lower()), ident)
    if isinstance(ident, int) and not isinstance(ident, bool) and not 0 < ident <= ID_MAX:
        raise NotFoundError(ENTITY_NAMES.get(model, model.__name__.lower()), ident)  # no database holds such an id
    query = model.select().where(model._meta.primary_key == ident)
    if _locking.get() and isinstance(db.obj, peewee.PostgresqlDatabase):
        query = query.for_update()  # a write that raced once holds what it read until it commits
    record = query.first()
    if record is None:
        raise NotFoundError(ENTITY_NAMES.get(model, model.__name__.lower()), ident)
    return record


def _raw(record: BaseModel, field: str) -> Any:
    """A field's stored value (the id for a foreign key)."""
    meta_field = record._meta.fields[field]
    if isinstance(meta_field, peewee.ForeignKeyField):
        return record.__data__.get(field)
    return getattr(record, field)


def fields_changed_since(record: BaseModel, version: int) -> set[str]:
    """Fields of ``record`` that the change log shows changed after ``version``."""
    entity = ENTITY_NAMES[type(record)]
    version = max(0, min(version, ID_MAX))  # a version no record reaches is after every change
    query = Change.select(Change.field).where(
        (Change.entity == entity) & (Change.entity_id == record.get_id()) & (Change.version > version)
    )
    return {row.field for row in query}


def apply_edit(
    record: V,
    expected_version: int | None,
    changes: Mapping[str, Any],
    *,
    extra: Mapping[str, Any] | None = None,
) -> V:
    """Write only the fields that differ, checked against the version the caller saw.

    A stale ``expected_version`` is fine when nobody changed the same fields since;
    otherwise :class:`ConflictError` names them. ``extra`` fields (derived ones such as
    ``completed_at``) are written and logged with the edit but never cause a conflict.
    Must run inside :func:`writes`.
    """
    wanted = {f: v for f, v in changes.items() if _raw(record, f) != _plain(v)}
    if not wanted:
        return record
    if expected_version is not None and record.version != expected_version:
        changed = fields_changed_since(record, expected_version)
        if "@delete" in changed:
            raise NotFoundError(ENTITY_NAMES[type(record)], record.get_id())
        clash = sorted(set(wanted) & changed)
        if clash:
            raise ConflictError(
                ENTITY_NAMES[type(record)],
                record.get_id(),
                clash,
                {f: _raw(record, f) for f in clash},
            )
    derived = {f: v for f, v in (extra or {}).items() if _raw(record, f) != _plain(v)}
    updates: dict[str, Any] = {**wanted, **derived}
    model = type(record)
    if "updated_at" in model._meta.fields:
        updates["updated_at"] = clock.now()
    old_version = record.version
    count = (
        model.update({**updates, "version": model.version + 1})
        .where((model._meta.primary_key == record.get_id()) & (model.version == old_version))
        .execute()
    )
    if count != 1:
        raise _Raced()
    op = log()
    for field, value in {**wanted, **derived}.items():
        op.changed(record, field, _raw(record, field), _plain(value), old_version + 1)
        setattr(record, field, value)
    if "updated_at" in updates:
        setattr(record, "updated_at", updates["updated_at"])  # noqa: B010 (not every model has the field)
    record.version = old_version + 1
    return record


def _plain(value: Any) -> Any:
    return value.get_id() if isinstance(value, BaseModel) else value


def snapshot(record: BaseModel) -> dict[str, Any]:
    """Every stored field of a record, foreign keys as ids."""
    return {name: _raw(record, name) for name in record._meta.fields}


def check_version(record: Versioned, expected_version: int | None) -> None:
    """For deletes and whole-record actions: refuse if anything changed since."""
    if expected_version is None or record.version == expected_version:
        return
    changed = fields_changed_since(record, expected_version)
    raise ConflictError(
        ENTITY_NAMES[type(record)],
        record.get_id(),
        changed or {"version"},
        {f: _raw(record, f) for f in changed if f in record._meta.fields},
    )
