"""Open a database by URL: SQLite by default, PostgreSQL for teams.

``open_db`` resolves the URL, checks that a SQLite file is really an Okrate database,
connects with safe settings (WAL, foreign keys, a busy timeout and ``BEGIN IMMEDIATE``
write transactions), applies pending migrations and binds the models.
"""

from __future__ import annotations

import ctypes
import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import peewee
from peewee import Database, PostgresqlDatabase, SqliteDatabase

from okrate_tui.core import integrity, migrate
from okrate_tui.core.errors import DamagedDatabase, EmptyDatabase, StorageError
from okrate_tui.core.faults import explain, is_damage, unwritable_folder
from okrate_tui.core.files import create_new, private_dir
from okrate_tui.core.models import db as db_proxy

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "busy_timeout": 10_000,
    "cache_size": -2_000,  # pages the OS caches once for every session; 2 MB each keeps sessions small
}
ENV_VAR = "OKRATE_DB"


@dataclass(frozen=True)
class Target:
    """Where a URL points: a SQLite file or a PostgreSQL server."""

    kind: str  # "sqlite" | "postgresql"
    path: Path | None = None
    params: dict | None = None

    def describe(self) -> str:
        """Where the data lives, for messages: never with a password."""
        if self.kind == "sqlite":
            return str(self.path)
        params = self.params or {}
        user = f"{params['user']}@" if params.get("user") else ""
        port = f":{params['port']}" if params.get("port") else ""
        return f"postgresql://{user}{params.get('host', 'localhost')}{port}/{params.get('database', '')}"

    @property
    def has_password(self) -> bool:
        return bool((self.params or {}).get("password"))


def data_dir() -> Path:
    """The platform's per-user data folder for Okrate."""
    from platformdirs import user_data_path

    return user_data_path("okrate", appauthor=False)


def default_path() -> Path:
    return data_dir() / "okrate.db"


def demo_path() -> Path:
    """The demo organisation lives in its own file, apart from real data."""
    return data_dir() / "demo.db"


def resolve(url: str | None) -> Target:
    """Turn ``--db``/``OKRATE_DB`` into a :class:`Target` (``None``: the default file)."""
    if url is None or not url.strip():
        return Target("sqlite", default_path())
    url = url.strip()
    if "://" not in url:
        return Target("sqlite", Path(url).expanduser())
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        raw = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if parts.netloc or not raw:
            raise StorageError(
                f"cannot read the SQLite URL '{url}': use sqlite:///relative/file.db or sqlite:////absolute/file.db"
            )
        return Target("sqlite", Path(raw).expanduser())
    if scheme in ("postgresql", "postgres"):
        database = unquote(parts.path.lstrip("/"))
        if not database:
            raise StorageError(f"the PostgreSQL URL '{url}' names no database")
        params: dict = {"database": database}
        if parts.hostname:
            params["host"] = parts.hostname
        try:
            port = parts.port
        except ValueError:
            raise StorageError(f"the PostgreSQL URL '{url}' has a bad port") from None
        if port:
            params["port"] = port
        if parts.username:
            params["user"] = unquote(parts.username)
        if parts.password:
            params["password"] = unquote(parts.password)
        return Target("postgresql", params=params)
    raise StorageError(
        f"unsupported database URL scheme '{scheme}': use a file path, sqlite:///FILE or postgresql://USER@HOST/DB"
    )


def _is_read_only(path: Path) -> bool:
    """True when the file (or, for a new file, its folder) may not be written.

    The mode bits count even for root, so a file a person made read-only stays so.
    """
    if path.exists():
        mode = path.stat().st_mode
        return not os.access(path, os.W_OK) or not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    return False


HOW_TO_START = (
    "start one there on purpose: open the app (`okrate`) and choose on its welcome screen, "
    "or run `okrate demo` or `okrate import EXPORT.json` on it"
)


def empty_database(where: str) -> EmptyDatabase:
    """The refusal for a database with nothing in it (no command makes one by itself)."""
    return EmptyDatabase(
        f"{where} is empty: it holds no Okrate database yet, and no command makes one by itself; {HOW_TO_START}"
    )


def _check_sqlite_file(path: Path, create: bool) -> None:
    try:
        path.stat()
    except PermissionError:
        raise StorageError(
            f"cannot read {path}: permission denied (the file or a folder above it is another account's)"
        ) from None
    except (FileNotFoundError, NotADirectoryError):
        pass
    if path.is_dir():
        raise StorageError(f"{path} is a folder, not a database file")
    if not path.exists():
        if not create:
            raise StorageError(
                f"there is no database at {path} (the app offers to start one there; "
                "`okrate demo` makes one with the demo organisation)"
            )
        if not path.parent.exists():
            raise StorageError(missing_folder(path.parent))
        create_new(path)  # private from the first byte; SQLite's -wal/-shm follow its mode
        return
    if path.stat().st_size == 0:
        if not create:
            raise empty_database(str(path))
        return
    blocked = unwritable_folder(path)
    if blocked is not None:
        raise StorageError(blocked)
    # Ask SQLite itself, never a plain open(): closing any other handle on the file
    # would drop the locks this process's connections hold (POSIX locks are per
    # process), and another session could then delete the write-ahead log under us.
    probe = None
    try:
        probe = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, timeout=10)
        probe.execute("PRAGMA schema_version").fetchone()
        tables = probe.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise DamagedDatabase(f"{path} is not an Okrate database: it is not a SQLite file") from None
        if is_damage(exc):
            integrity.remember(path, str(exc))
            raise DamagedDatabase(explain(exc, str(path), path)) from None
        raise StorageError(f"cannot read {path}: {explain(exc, path=path)}") from None
    finally:
        if probe is not None:
            probe.close()
    if not tables and not create:
        raise empty_database(str(path))


def missing_folder(folder: Path) -> str:
    return (
        f"the folder {folder} does not exist: make it first (mkdir -p {folder}) "
        "or choose a database file in a folder that exists"
    )


def _connect_sqlite(path: Path, read_only: bool) -> SqliteDatabase:
    if read_only:
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        pragmas = {"foreign_keys": 1, "busy_timeout": 10_000, "query_only": 1}
        database = SqliteDatabase(uri, uri=True, pragmas=pragmas, timeout=10)
    else:
        database = SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", timeout=10)
    database.read_only = read_only  # type: ignore[attr-defined]
    database.sqlite_path = path  # type: ignore[attr-defined]
    return database


def _connect_postgresql(params: dict) -> PostgresqlDatabase:
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        raise StorageError("PostgreSQL support is not installed: pip install 'okrate-tui[postgres]'") from None
    options = dict(params)
    options.setdefault("connect_timeout", 5)
    database = PostgresqlDatabase(options.pop("database"), **options)
    database.read_only = False  # type: ignore[attr-defined]
    database.sqlite_path = None  # type: ignore[attr-defined]
    return database


def storage_message(exc: BaseException, where: str = "", path: Path | None = None) -> str:
    """A one-line explanation of a driver error (``path``: the SQLite file, to find the cause)."""
    return explain(exc, where, path)


def note_damage(exc: BaseException) -> None:
    """A driver error that says the open SQLite file is damaged: note it beside the file,
    so that nothing more is written into it (by this session or any other)."""
    if not is_damage(exc) or db_proxy.obj is None:
        return
    path = getattr(db_proxy.obj, "sqlite_path", None)
    if path is None:
        return
    integrity.remember(path, str(exc).strip().splitlines()[0] if str(exc).strip() else "damaged")
    db_proxy.obj.damaged = integrity.known(path)


def damage_of(database: Database) -> integrity.Damage | None:
    """The damage noted for this database's file, if any."""
    return getattr(database, "damaged", None)


def open_db(url: str | None = None, *, create: bool = False, upgrade: bool = True) -> Database:
    """Open, check, migrate and bind the database at ``url``.

    ``create=False`` refuses to make a new SQLite file. ``upgrade=False`` leaves an old
    schema as it is (for ``okrate migrate`` to report on). Raises :class:`StorageError`
    with a plain message on any problem.
    """
    target = resolve(url)
    if target.kind == "sqlite":
        assert target.path is not None
        if create and (url is None or not url.strip()):
            private_dir(target.path.parent)
        _check_sqlite_file(target.path, create)
        read_only = _is_read_only(target.path)
        database: Database = _connect_sqlite(target.path, read_only)
    else:
        assert target.params is not None
        database = _connect_postgresql(target.params)
    where = target.describe()
    path: Path | None = getattr(database, "sqlite_path", None)
    database.damaged = integrity.known(path) if path is not None else None  # type: ignore[attr-defined]
    try:
        database.connect(reuse_if_open=True)
        database.execute_sql("SELECT 1").fetchone()
        if not create and path is None and not database.get_tables():
            raise empty_database(where)
        damage = damage_of(database)
        if damage is not None:  # read as it is; nothing is written into it, not even an upgrade
            assert path is not None
            if migrate.pending(database):
                raise DamagedDatabase(damage.sentence(path))
        elif database.read_only:  # type: ignore[attr-defined]
            if migrate.pending(database):
                raise StorageError(f"{where} is read-only and needs a schema upgrade; make it writable once")
        elif upgrade:
            migrate.upgrade(database, getattr(database, "sqlite_path", None))
        else:
            migrate.pending(database)
    except (EmptyDatabase, DamagedDatabase):
        database.close()
        raise
    except StorageError as exc:
        database.close()
        raise StorageError(f"{where}: {exc}") from None
    except (peewee.DatabaseError, peewee.InterfaceError) as exc:
        database.close()
        if path is not None and is_damage(exc):
            integrity.remember(path, str(exc))
            raise DamagedDatabase(storage_message(exc, where, path)) from None
        raise StorageError(storage_message(exc, where, path)) from None
    db_proxy.initialize(database)
    return database


def forbid_writes(database: Database) -> None:
    """Make this connection refuse every write from now on (readers that must change nothing)."""
    if isinstance(database, PostgresqlDatabase):
        database.execute_sql("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    else:
        database.execute_sql("PRAGMA query_only = 1")


def close_db() -> None:
    """Close this thread's connection, if any."""
    if db_proxy.obj is not None and not db_proxy.is_closed():
        db_proxy.close()


_let_go: list[object] = []


def abandon() -> None:
    """Let go of this thread's connection without closing it, for good.

    Closing a SQLite connection writes its log into the file (a checkpoint) and, as the
    last one, deletes the ``-wal``/``-shm`` at the path: wrong once the file there is
    another (a restored backup). The connection is kept referenced forever (even through
    the interpreter's shutdown), so nothing ever closes it; the operating system releases
    it when the process ends, writing nothing.
    """
    database = db_proxy.obj
    if database is None or database.is_closed():
        return
    connection = database.connection()
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(connection))
    _let_go.append(connection)
    database._state.reset()  # peewee forgets it without closing it


def current() -> Database:
    """The database bound by the last :func:`open_db`."""
    if db_proxy.obj is None:
        raise StorageError("no database is open")
    return db_proxy.obj


def probe() -> bool:
    """Can this thread's connection still reach the database? (Reconnects when closed.)"""
    try:
        current().execute_sql("SELECT 1").fetchone()
        return True
    except (peewee.PeeweeException, StorageError):
        return False
    except Exception as exc:
        if is_driver_error(exc):
            return False
        raise


def is_driver_error(exc: BaseException) -> bool:
    """Did the database driver itself raise this (a lost connection, a damaged file)?"""
    return isinstance(exc, peewee.PeeweeException) or type(exc).__module__.split(".")[0] in ("psycopg2", "sqlite3")
