"""Faults made on purpose for tests: a small disk that fills up, a file damaged in the
middle, a command run without root's power to ignore file modes."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

PAGE = 4096


def mount_problem() -> str | None:
    if os.geteuid() != 0:
        return "mounting a small file system needs root"
    if shutil.which("mount") is None or shutil.which("umount") is None:
        return "needs mount and umount"
    return None


@contextlib.contextmanager
def small_disk(size: str = "4m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on a fresh folder, unmounted afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="okrate-small-disk-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        folder.rmdir()
        import pytest

        pytest.skip(f"cannot mount a small file system here: {done.stderr.strip() or done.returncode}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        with contextlib.suppress(OSError):
            folder.rmdir()


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the disk holding ``folder`` up to ``leave`` bytes free; returns the filler (delete it to free)."""
    filler = folder / "filler"
    chunk = b"\0" * 65536
    with filler.open("ab") as out:
        while True:
            free = shutil.disk_usage(folder).free
            if free <= leave:
                break
            try:
                out.write(chunk[: max(1, min(len(chunk), free - leave))])
                out.flush()
            except OSError:
                break
    return filler


def table_pages(path: Path, table: str) -> list[int]:
    """The pages (numbered from 1) that hold ``table``, through SQLite's dbstat when it has it."""
    conn = sqlite3.connect(path)
    try:
        try:
            return [row[0] for row in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", (table,))]
        except sqlite3.Error:
            return [conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]]
    finally:
        conn.close()


def damage(path: Path, table: str = "task") -> list[int]:
    """Overwrite the pages of ``table`` (in the middle of the file) with garbage; the log is
    checkpointed into the file first, so the damage is what every session reads."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    pages = table_pages(path, table)
    with path.open("r+b") as handle:
        for page in pages:
            handle.seek((page - 1) * PAGE)
            handle.write(b"\x5a" * PAGE)
    return pages


def without_root_override() -> list[str] | None:
    """A prefix that runs a command as root but bound by file modes, as anyone else is."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return None
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}"]
