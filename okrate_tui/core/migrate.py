"""Apply pending migrations under a lock, with a backup of a SQLite file first.

The whole upgrade runs in one write transaction (DDL is transactional on SQLite and
PostgreSQL), so it either lands completely or not at all. The transaction itself is the
lock: ``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL, so several sessions
starting at once on a fresh database apply each migration exactly once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from peewee import Database, PostgresqlDatabase

from okrate_tui.core import clock
from okrate_tui.core.errors import StorageError
from okrate_tui.core.faults import disk_is_full, explain, full_disk
from okrate_tui.core.files import create_new, mode_of
from okrate_tui.core.migrations import MIGRATIONS, Migration

META_TABLE = "okrate_meta"
_PG_LOCK_KEY = 7_351_002_613  # any constant shared by every okrate process


@dataclass(frozen=True)
class UpgradeResult:
    old: int
    new: int
    backup: Path | None


def stored_version(db: Database) -> int:
    """The schema version written in the database: 0 when it is empty.

    Raises :class:`StorageError` when the database holds tables of another application.
    """
    tables = set(db.get_tables())
    if META_TABLE not in tables:
        if tables:
            raise StorageError(
                f"this database holds another application's tables, not Okrate's ({', '.join(sorted(tables)[:3])}…)"
            )
        return 0
    row = db.execute_sql(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def _check_not_newer(version: int, latest: int) -> None:
    if version > latest:
        raise StorageError(
            f"this database was written by a newer Okrate (schema version {version}; this "
            f"version knows up to {latest}): upgrade okrate to open it"
        )


def _backup_sqlite(path: Path, version: int) -> Path:
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    dest = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    copy_sqlite(path, dest)
    return dest


def copy_sqlite(source: Path, dest: Path) -> None:
    """A consistent copy of a SQLite file, live or not (SQLite's online backup).

    The copy is a new file whose mode is never wider than the source's, so a private
    database never leaves a readable copy behind. A copy that fails (a full disk) leaves
    nothing behind: a half-written file would only block the next try.
    """
    create_new(dest, mode_of(source) & 0o666)
    try:
        src = sqlite3.connect(source)
        try:
            target = sqlite3.connect(dest)
            try:
                with target:
                    src.backup(target)
            finally:
                target.close()
        finally:
            src.close()
    except (sqlite3.Error, OSError) as exc:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{dest}{suffix}").unlink(missing_ok=True)
        lowered = str(exc).lower()
        if "full" in lowered or "no space" in lowered or disk_is_full(dest):
            raise StorageError(full_disk(dest, f"no copy was made ({dest} is not left behind)")) from None
        raise StorageError(f"could not copy the database to {dest}: {explain(exc, path=source)}") from None


def pending(db: Database, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """How many migrations this database still needs (checks it is not too new)."""
    version = stored_version(db)
    latest = migrations[-1].version
    _check_not_newer(version, latest)
    return sum(1 for m in migrations if m.version > version)


def upgrade(db: Database, sqlite_path: Path | None, migrations: Sequence[Migration] = MIGRATIONS) -> UpgradeResult:
    """Bring the database to the latest schema; a no-op when it is current."""
    latest = migrations[-1].version
    first = stored_version(db)
    _check_not_newer(first, latest)
    if first == latest:
        return UpgradeResult(first, first, None)
    backup = None
    with db.atomic():
        if isinstance(db, PostgresqlDatabase):
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_PG_LOCK_KEY,))
        version = stored_version(db)  # another session may have upgraded meanwhile
        _check_not_newer(version, latest)
        if version == latest:
            return UpgradeResult(version, version, None)
        if sqlite_path is not None and version > 0:
            backup = _backup_sqlite(sqlite_path, version)
        for migration in migrations:
            if migration.version > version:
                migration.up(db)
        db.execute_sql(f"DELETE FROM {META_TABLE} WHERE key = 'schema_version'")
        db.execute_sql(
            f"INSERT INTO {META_TABLE} (key, value) VALUES ('schema_version', {db.param})",
            (str(latest),),
        )
    return UpgradeResult(version, latest, backup)
