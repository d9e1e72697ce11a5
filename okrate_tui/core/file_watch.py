"""Watching the SQLite file a session has open, and getting out of a restored file's way.

People restore a backup under a running session: ``mv backup.db okrate.db`` puts another
file at the path, ``cp backup.db okrate.db`` overwrites the same file in place. Either way
the session's write-ahead log (``NAME-wal``, with its index ``NAME-shm``) still lies beside
the path, and any new session would read its pages over the restored file ("file is not a
database"). So a session that notices:

- takes its own ``-wal``/``-shm`` away from the path (only those it has open: a file
  there that belongs to the new database is never touched), and
- never closes its connection the ordinary way, which would write its log into the
  file (a checkpoint) and delete whatever ``-wal``/``-shm`` is at the path by then. The
  connection is let go instead (:func:`okrate_tui.core.db.abandon`); the operating system
  closes it when the process ends, writing nothing.

A replaced or deleted path is seen from its inode. An overwrite in place is seen when the
file changed while SQLite's own record of the checkpoints it made (in the index file, read
through the descriptor SQLite already holds) did not move; where that record cannot be
read (no ``/proc``), only a file that shrank gives it away.
"""

from __future__ import annotations

import contextlib
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

_PROC_FDS = Path("/proc/self/fd")
_CKPT_INFO = 96  # offset of the checkpoint record in SQLite's wal-index (after two 48-byte headers)
TORN: tuple[int, ...] = ()  # the record was being written as it was read


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def open_descriptor(identity: tuple[int, int]) -> int | None:
    """A descriptor this process already holds on that file (Linux), read without opening
    it anew: opening and closing another descriptor would drop SQLite's locks on it."""
    try:
        names = os.listdir(_PROC_FDS)
    except OSError:
        return None
    for name in names:
        try:
            info = os.stat(_PROC_FDS / name)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) == identity:
            return int(name)
    return None


@dataclass
class FileWatch:
    """Which file a session's SQLite database is, and which working files it uses."""

    path: Path
    device: int
    inode: int
    companions: dict[str, tuple[int, int]] = field(default_factory=dict)  # "-wal"/"-shm" -> (device, inode)
    size: int = 0
    mtime: int = 0
    checkpoints: tuple[int, ...] | None = None
    _shm_fd: int | None = field(default=None, repr=False)

    @classmethod
    def of(cls, path: Path) -> FileWatch:
        watch = cls(path, 0, 0)
        watch.remember_companions()
        record = watch._checkpoints()  # before the file is looked at, as in check()
        info = os.stat(path)
        watch.device, watch.inode, watch.size, watch.mtime = info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns
        watch.checkpoints = record if record and record[4] == record[3] else None
        return watch

    def remember_companions(self) -> None:
        """Note the ``-wal``/``-shm`` this session's connection uses (call once it has read)."""
        for suffix in ("-wal", "-shm"):
            found = _identity(Path(f"{self.path}{suffix}"))
            if found is not None:
                self.companions[suffix] = found

    def _checkpoints(self) -> tuple[int, ...] | None:
        """SQLite's record of its log and checkpoints: the log's two salts, its last frame,
        the frames copied into the file, and the frames a checkpoint is copying (None
        where it cannot be read)."""
        shm = self.companions.get("-shm")
        if shm is None:
            return None
        fd = self._shm_fd if self._shm_fd is not None else open_descriptor(shm)
        for _ in range(2):
            if fd is None:
                return None
            try:
                info = os.fstat(fd)
                if (info.st_dev, info.st_ino) == shm:
                    data = os.pread(fd, _CKPT_INFO + 40, 0)
                    break
            except OSError:
                pass
            fd = open_descriptor(shm)  # the descriptor went to another file meanwhile: look again
        else:
            return None
        self._shm_fd = fd
        if len(data) < _CKPT_INFO + 36:
            return None
        salts = struct.unpack_from(">II", data, 32)  # kept in the log's own byte order
        last = struct.unpack_from("=I", data, 16)[0]
        backfill = struct.unpack_from("=I", data, _CKPT_INFO)[0]
        attempted = struct.unpack_from("=I", data, _CKPT_INFO + 32)[0]
        if data[:48] != data[48:96] or backfill > last or attempted > last:
            return TORN  # read while SQLite was writing it: look again next time
        return (*salts, last, backfill, attempted)

    def check(self) -> str | None:
        """None while the path still holds this file as SQLite left it; else "deleted",
        "replaced" (another file at the path) or "overwritten" (the same file written over)."""
        before = self._checkpoints()  # read first: valid for the file only if the look below finds it unchanged
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            return "deleted"
        except OSError:
            return None
        if (info.st_dev, info.st_ino) != (self.device, self.inode):
            return "replaced"
        if (info.st_size, info.st_mtime_ns) == (self.size, self.mtime):
            if before and before[4] == before[3]:
                self.checkpoints = before  # the record as of a file known to be as SQLite left it
            return None
        now = self._checkpoints()  # read after the change: a checkpoint that wrote it shows here
        if now == TORN:
            return None  # look again next time
        if now is not None and self.checkpoints is not None:
            if now[4] != now[3]:
                return None  # a checkpoint is copying pages right now: look again next time
            if not _checkpointed(self.checkpoints, now):
                return "overwritten"  # written, but not by a checkpoint
        elif now is None and info.st_size < self.size:
            return "overwritten"  # without SQLite's record, a file that shrank is the one sign left
        # the file as it is now, with the record as it was before the file was looked at (a
        # checkpoint made since shows at the next look, not as one already counted)
        self.size, self.mtime = info.st_size, info.st_mtime_ns
        self.checkpoints = before if before and before[4] == before[3] else None
        return None

    def release_companions(self) -> list[Path]:
        """Take this session's own ``-wal``/``-shm`` away from the path, so a file restored
        there is read as it is. Files there that are not this session's stay untouched."""
        removed = []
        for suffix, identity in self.companions.items():
            companion = Path(f"{self.path}{suffix}")
            if _identity(companion) == identity:
                with contextlib.suppress(OSError):
                    companion.unlink()
                    removed.append(companion)
        return removed


def _checkpointed(before: tuple[int, ...], after: tuple[int, ...]) -> bool:
    """Could SQLite have written the file between these two looks at its record? Within
    one run of the log, only if more of it was copied in; once the log started over (new
    salts), the run before may have been copied in whole, so it could have."""
    if before[:2] != after[:2]:
        return True
    return after[3] > before[3]
