"""Noticing what other sessions changed, cheaply and completely.

Two pieces work together:

- a **signal** that says "something was committed" for almost nothing: SQLite's
  ``PRAGMA data_version`` (it moves when another connection commits), PostgreSQL's
  ``LISTEN``/``NOTIFY`` (every write transaction notifies at commit);
- the **change log** that says what: :func:`read_changes` returns the entries after the
  last one seen. On PostgreSQL an id can become visible after a higher one (ids are
  taken when a row is inserted, not when its transaction commits), so ids skipped over
  are kept as gaps and looked at again until they appear or time out.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from peewee import Database, PostgresqlDatabase

from okrate_tui.core.models import Change
from okrate_tui.core.rows import tuples

CHANNEL = "okrate_change"
GAP_SECONDS = 30.0  # a skipped id not seen by then belonged to a rolled-back transaction


@dataclass(frozen=True, slots=True)
class ChangeRow:
    id: int
    op: str
    actor_id: int | None
    entity: str
    entity_id: int
    field: str
    old: str | None
    new: str | None

    def deleted(self, field: str) -> int | None:
        """For a deleted record: an id it pointed at (``goal``, ``milestone``), from the
        snapshot the change log keeps of it."""
        if self.field != "@delete" or not self.old:
            return None
        try:
            value = json.loads(self.old).get(field)
        except (ValueError, AttributeError):
            return None
        return int(value) if value not in (None, "") else None


@dataclass
class ChangeBatch:
    """The change-log entries after ``seen``, and where to look next time."""

    rows: list[ChangeRow]
    latest: int
    gaps: dict[int, float] = field(default_factory=dict)  # id -> when it was first missed
    overflow: bool = False  # more than could be read at once: reload everything

    def ids(self, *entities: str) -> set[int]:
        return {r.entity_id for r in self.rows if r.entity in entities}

    def entities(self) -> set[str]:
        return {r.entity for r in self.rows}

    def __bool__(self) -> bool:
        return bool(self.rows) or self.overflow


def latest_id() -> int:
    row = Change.select(Change.id).order_by(Change.id.desc()).limit(1).first()
    return row.id if row else 0


def changes_between(after: int, through: int) -> list[ChangeRow]:
    """Entries with ids in (``after``, ``through``]: what a view read whole before them
    may not show yet."""
    return _rows((Change.id > after) & (Change.id <= through))


def _rows(where, limit: int | None = None) -> list[ChangeRow]:
    query = (
        Change.select(
            Change.id, Change.op, Change.actor, Change.entity, Change.entity_id, Change.field, Change.old, Change.new
        )
        .where(where)
        .order_by(Change.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [ChangeRow(*row) for row in tuples(query)]


def read_changes(seen: int, gaps: dict[int, float] | None = None, *, limit: int = 5_000) -> ChangeBatch:
    """Entries after ``seen`` (and those of earlier ``gaps`` that appeared since)."""
    gaps = dict(gaps or {})
    wanted = Change.id > seen
    if gaps:
        wanted = wanted | Change.id.in_(list(gaps))
    found = _rows(wanted, limit + 1)
    overflow = len(found) > limit
    found = found[:limit]
    now = time.monotonic()
    latest = seen
    for row in found:
        gaps.pop(row.id, None)
        latest = max(latest, row.id)
    fresh = sorted(r.id for r in found if r.id > seen)
    expected = seen + 1
    for ident in fresh:
        for missing in range(expected, ident):
            gaps.setdefault(missing, now)
        expected = ident + 1
    gaps = {ident: since for ident, since in gaps.items() if now - since < GAP_SECONDS}
    return ChangeBatch(found, latest, gaps, overflow)


class ChangeSignal:
    """Says whether anything may have been committed since it was last asked.

    It is cheap enough to ask several times a second; a ``True`` costs one read of the
    change log. ``nudge`` records a write this session made itself, which SQLite's
    counter does not show to the connection that made it.
    """

    def __init__(self, database: Database):
        self.database = database
        self._nudged = True
        self._version: int | None = None
        self.listening = False

    def nudge(self) -> None:
        self._nudged = True

    def start(self) -> None:
        """Subscribe (PostgreSQL) on the connection this thread uses; again after a reconnect."""
        if isinstance(self.database, PostgresqlDatabase):
            self.database.execute_sql(f"LISTEN {CHANNEL}")
            self.listening = True
        self._nudged = True

    def changed(self) -> bool:
        nudged, self._nudged = self._nudged, False
        if isinstance(self.database, PostgresqlDatabase):
            if not self.listening:
                self.start()
            connection = self.database.connection()
            connection.poll()
            heard = bool(connection.notifies)
            connection.notifies.clear()
            return heard or nudged
        version = self.database.execute_sql("PRAGMA data_version").fetchone()[0]
        moved = self._version is not None and version != self._version
        self._version = version
        return moved or nudged


def notify(database: Database) -> None:
    """Tell listening sessions that this transaction changed data (PostgreSQL; delivered at commit)."""
    if isinstance(database, PostgresqlDatabase):
        database.execute_sql(f"NOTIFY {CHANNEL}")


def ids_of(rows: Iterable[ChangeRow], entity: str) -> set[int]:
    return {r.entity_id for r in rows if r.entity == entity}
