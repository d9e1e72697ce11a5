"""Files that hold an organisation's data are made private from the first byte.

A file created under the usual umask 022 is readable by everyone; SQLite then gives its
``-wal`` and ``-shm`` files the same bits. Every database, copy, backup and export is
therefore created here with an explicit mode, never wider than the data it came from.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from okrate_tui.core.errors import StorageError

PRIVATE = 0o600


def mode_of(path: Path) -> int:
    """The permission bits of an existing file."""
    return stat.S_IMODE(path.stat().st_mode)


def create_new(path: Path, mode: int = PRIVATE) -> None:
    """Create an empty file with exactly ``mode`` (refusing an existing one)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise StorageError(f"{path} exists already; choose a new file") from None
    except FileNotFoundError:
        raise StorageError(f"the folder {path.parent} does not exist") from None
    except OSError as exc:
        raise StorageError(_cannot("create", path, exc)) from None
    try:
        os.fchmod(fd, mode)  # the umask may have narrowed it; never widen beyond ``mode``
    finally:
        os.close(fd)


def write_new(path: Path, text: str, mode: int = PRIVATE) -> None:
    """Write ``text`` to a new file readable by its owner only (exports, reports)."""
    create_new(path, mode)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise StorageError(_cannot("write", path, exc)) from None


def replace_private(path: Path, text: str, mode: int = PRIVATE) -> None:
    """Replace ``path`` atomically with ``text`` at ``mode`` (a rename, never a half-file)."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    create_new(temp, mode)
    try:
        with temp.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StorageError(_cannot("write", path, exc)) from None


def _cannot(doing: str, path: Path, exc: OSError) -> str:
    """Why a file could not be made or written; a full disk is said as such."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        from okrate_tui.core.faults import full_disk

        return full_disk(path, f"{path} was not written (nothing is left behind)")
    return f"cannot {doing} {path}: {exc.strerror or exc}"


def private_dir(path: Path) -> bool:
    """Make ``path`` (and missing parents) a folder only its owner may enter; True if made."""
    if path.is_dir():
        return False
    path.mkdir(mode=0o700, parents=True)
    os.chmod(path, 0o700)
    return True


def tighten(path: Path, widest: int) -> bool:
    """Narrow ``path``'s mode to at most ``widest``; True when it changed."""
    try:
        current = mode_of(path)
    except FileNotFoundError:
        return False
    narrowed = current & widest
    if narrowed == current:
        return False
    os.chmod(path, narrowed)
    return True
