"""What went wrong underneath the database, said so that a person can act on it.

A driver's own words ("disk I/O error", "unable to open database file", "cannot rollback -
no transaction is active") name a symptom, often of something else: a full disk, a folder
the account may not write, an error that hid the one before it. :func:`explain` turns a
driver error into one sentence that names the cause and where it is.
"""

from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

FULL_BELOW = 1 << 20  # less free space than this beside the database: the disk is full
_MASKING = ("no transaction is active",)  # a rollback that failed because SQLite rolled back already


def cause(exc: BaseException) -> BaseException:
    """The error that started it: a failed rollback's message hides the error before it."""
    seen = 0
    while any(m in str(exc).lower() for m in _MASKING) and exc.__context__ is not None and seen < 5:
        exc = exc.__context__
        seen += 1
    return exc


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def free_bytes(path: Path) -> int | None:
    """Free space for this account on the disk that holds ``path`` (a file or a folder)."""
    folder = path if path.is_dir() else path.parent
    try:
        info = os.statvfs(folder)
    except OSError:
        return None
    return info.f_bavail * info.f_frsize


def disk_is_full(path: Path | None) -> bool:
    if path is None:
        return False
    free = free_bytes(path)
    return free is not None and free < FULL_BELOW


def size_text(count: int) -> str:
    size: float = count
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.0f} {unit}"
        size /= 1024
    return f"{size} bytes"


def full_disk(path: Path, doing: str = "nothing was saved") -> str:
    """'the disk is full' with where, and what to do."""
    folder = path if path.is_dir() else path.parent
    free = free_bytes(path)
    left = f", {size_text(free)} left" if free is not None else ""
    return f"the disk is full (the one holding {folder.absolute()}{left}): {doing}; free some space there and try again"


def folder_owner(folder: Path) -> str:
    try:
        info = folder.stat()
    except OSError:
        return ""
    try:
        owner = pwd.getpwuid(info.st_uid).pw_name
    except KeyError:
        owner = str(info.st_uid)
    return f"owner {owner}, mode {stat.S_IMODE(info.st_mode):04o}"


def unwritable_folder(path: Path) -> str | None:
    """Why SQLite cannot work on ``path`` in its folder, when the folder is the reason:
    a database in WAL mode keeps two working files beside it (NAME-wal, NAME-shm)."""
    folder = path.absolute().parent
    if os.access(folder, os.W_OK | os.X_OK):
        return None
    companions = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    if all(c.exists() for c in companions) and os.access(companions[0], os.W_OK):
        return None  # another session made them: SQLite can work with those
    facts = folder_owner(folder)
    return (
        f"cannot open {path}: its folder {folder} is not writable for you (permission denied by its modes"
        f"{': ' + facts if facts else ''}), and SQLite keeps two working files beside the database there "
        f"({path.name}-wal, {path.name}-shm): let your account write the folder (chmod u+w, or ask its owner), "
        "or copy the database to a folder you may write"
    )


def explain(exc: BaseException, where: str = "", path: Path | None = None) -> str:
    """A one-line explanation of a driver error; ``path`` is the SQLite file, if any."""
    exc = cause(exc)
    text = first_line(exc)
    lowered = text.lower()
    place = f" {where}" if where else ""
    if "database or disk is full" in lowered or "no space left" in lowered or "could not extend file" in lowered:
        if path is None:
            return f"the disk holding the database{place} is full: nothing was saved"
        return full_disk(path)
    if "disk i/o error" in lowered:
        if disk_is_full(path):
            assert path is not None
            return full_disk(path, "the database cannot be read or written")
        return f"the disk failed under the database{place} ({text}): `okrate check` tells whether the file is whole"
    if "readonly" in lowered or "read-only" in lowered or "query_only" in lowered:
        if path is not None and (folder := unwritable_folder(path)):
            return folder
        return f"the database{place} is read-only: nothing was changed"
    if "unable to open database file" in lowered and path is not None:
        if not path.absolute().parent.exists():
            return f"the folder {path.absolute().parent} is gone: the database{place} cannot be opened"
        return unwritable_folder(path) or f"cannot open the database{place} ({text})"
    if "malformed" in lowered:
        return (
            f"the database{place} is damaged ({text}): nothing more is written into it; "
            "`okrate check` says what is damaged and what to do"
        )
    if "file is not a database" in lowered:
        return f"the database{place} is damaged or not a SQLite file ({text}): `okrate check` says more"
    if "database is locked" in lowered:
        return f"the database{place} stayed locked by another session; try again"
    if (
        "could not connect" in lowered
        or "connection refused" in lowered
        or "server closed the connection" in lowered
        or "connection already closed" in lowered
        or "terminating connection" in lowered
        or "no connection to the server" in lowered
    ):
        return f"cannot connect to PostgreSQL{place}: {text}"
    if "does not exist" in lowered and "database" in lowered:
        return f"PostgreSQL says: {text}"
    if "password authentication failed" in lowered:
        return f"PostgreSQL refused the login{place}: {text}"
    return f"database error{place}: {text}"


def is_damage(exc: BaseException) -> bool:
    """Does this driver error say the file's content is damaged?"""
    lowered = str(cause(exc)).lower()
    return "malformed" in lowered
