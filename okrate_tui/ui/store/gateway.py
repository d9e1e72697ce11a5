"""The session's one way to the database: a thread of its own, and a watch on its health.

Every read and write runs on one background thread with one connection, one call after
another, so the event loop never waits on the database. Around each call the gateway
keeps watch: a connection that is gone makes the database *unreachable* (writes are
refused with a sentence, nothing half-saved, and the session reconnects on its own); a
SQLite file deleted, replaced or written over underneath makes it *lost* (writes are
refused for good, the session's own working files leave the path so that a restored
file opens as it is, and what the open connection still holds can be saved to a
recovery file); a file found damaged is written no more.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from okrate_tui.core import clock
from okrate_tui.core.changes import ChangeSignal
from okrate_tui.core.db import (
    abandon,
    close_db,
    current,
    damage_of,
    is_driver_error,
    note_damage,
    probe,
    storage_message,
)
from okrate_tui.core.errors import OkrateError, StorageError
from okrate_tui.core.file_watch import FileWatch
from okrate_tui.core.recovery import recovery_path, save_recovery
from okrate_tui.ui.store.events import Health

if TYPE_CHECKING:
    from okrate_tui.ui.store.reader import Wants

T = TypeVar("T")
RETRY_SECONDS = 2.0


class Gateway:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="okrate-db")
        self._health = Health()
        self._health_lock = threading.Lock()
        self._signal: ChangeSignal | None = None
        self._file: FileWatch | None = None
        self._last_try = 0.0
        self.writes = 0  # writes this session made (tests and benchmarks read it)

    @property
    def health(self) -> Health:
        """The database's health: set on the database thread, read on the event loop too."""
        with self._health_lock:
            return self._health

    @health.setter
    def health(self, health: Health) -> None:
        with self._health_lock:
            self._health = health

    # --- calls ------------------------------------------------------------------------

    async def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a read on the database thread; storage trouble becomes a StorageError."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(self._guarded, fn, args, kwargs))

    async def write(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a service that writes; refused outright while the database is not reachable."""
        if not self.health.ok:
            raise StorageError(f"Not saved: {self.health.sentence()}")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(self._guarded, fn, args, kwargs, True))

    call = read  # the older name; both run one call on the database thread

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        """Queue a call without waiting (before the event loop exists)."""
        return self._pool.submit(self._guarded, fn, args, kwargs)

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call from outside the event loop and wait (start-up, tests)."""
        return self.submit(fn, *args, **kwargs).result()

    def _guarded(self, fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any], writing: bool = False) -> T:
        if writing and (not self.health.ok or self._lost()):
            raise StorageError(f"Not saved: {self.health.sentence()}")
        try:
            result = fn(*args, **kwargs)
        except StorageError:
            self._check()
            if not self.health.ok:
                raise StorageError(("Not saved: " if writing else "") + self.health.sentence()) from None
            raise
        except OkrateError:
            raise
        except Exception as exc:  # a driver error a query let through
            if not is_driver_error(exc):
                raise
            note_damage(exc)
            self._check()
            if not self.health.ok:
                raise StorageError(("Not saved: " if writing else "") + self.health.sentence()) from None
            raise StorageError(storage_message(exc, path=self._file.path if self._file else None)) from None
        if writing:
            self.writes += 1
            if self._signal is not None:
                self._signal.nudge()
        return result

    # --- watching ----------------------------------------------------------------------

    def watch(self) -> None:
        """Start watching the database this thread opened (database thread)."""
        database = current()
        self._signal = ChangeSignal(database)
        with contextlib.suppress(Exception):
            self._signal.start()
        path = getattr(database, "sqlite_path", None)
        self._file = FileWatch.of(path) if path is not None else None
        damage = damage_of(database)
        if damage is not None and path is not None:
            self._set("damaged", damage.sentence(path))

    def poll(self, reader: Callable[[Wants], T], wants: Wants) -> T | None:
        """One look (database thread): health first, then whether anything changed; the
        reader runs only then (told to read everything after a reconnection). Returns
        None when nothing new is to be read."""
        if self._signal is None:
            return None
        if not self.health.ok:
            if self.health.lasting or time.monotonic() - self._last_try < RETRY_SECONDS:
                return None
            self._last_try = time.monotonic()
            if not self._reconnect():
                return None
            return reader(replace(wants, full=True))
        if self._lost():
            return None
        try:
            if not self._signal.changed() and wants.behind is None:
                return None
            return reader(wants)
        except Exception as exc:
            if is_driver_error(exc) or isinstance(exc, StorageError):
                self._check()
                return None
            raise

    def _lost(self) -> bool:
        """Is the file this session opened gone (deleted, replaced, written over)? The
        first time: say so, and take this session's working files away from the path."""
        if self._file is None or self.health.lost_file:
            return self.health.lost_file
        gone = self._file.check()
        if gone is None:
            return False
        self._set(gone, str(self._file.path))
        self._file.release_companions()
        return True

    def _check(self) -> None:
        """After a failed call: is the database still there, and whole?"""
        if self._signal is None:
            return  # not watching yet (start-up, the welcome screen): the error says it all
        if self._lost():
            return
        damage = damage_of(current())
        if damage is not None and self._file is not None:
            self._set("damaged", damage.sentence(self._file.path))
            return
        if not probe():
            self._set("unreachable", "")
            with contextlib.suppress(Exception):
                close_db()

    def _reconnect(self) -> bool:
        if self._file is not None:
            gone = self._file.check()
            if gone is not None:  # gone while it was away: nothing opens what is there now
                self._set(gone, str(self._file.path))
                self._file.release_companions()
                return False
        with contextlib.suppress(Exception):
            close_db()
        if not probe():
            return False
        with contextlib.suppress(Exception):
            assert self._signal is not None
            self._signal.start()
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file = FileWatch.of(self._file.path)  # the new connection's working files
        self.health = Health()
        return True

    def _set(self, state: str, detail: str) -> None:
        if self.health.state != state:
            self.health = Health(state, clock.local_now(), detail)

    def save_recovery(self) -> Path:
        """Copy what the open connection still holds next to the lost file (database thread)."""
        if self._file is None:
            raise StorageError("only a SQLite session keeps its data in an open file")
        if self.health.state == "overwritten":
            raise StorageError(
                "the file was written over in place: what this session held is mixed with what is there now, "
                "so no copy of it can be trusted; the file there now is left as it is"
            )
        return save_recovery(current(), recovery_path(self._file.path))

    def _finish(self) -> None:
        """Close this session's connection (database thread). After its file was lost it
        is let go instead: closing would write its log into the file and delete the
        working files at the path, which may be a restored file's by now."""
        if self.health.lost_file:
            abandon()
        else:
            close_db()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._pool.submit(self._finish).result(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)


def outage_sentence(error: BaseException, gateway: Gateway) -> str | None:
    """What to say when an action failed on the database (None: it was no such failure).
    The gateway already turned driver errors into sentences; one that got past it (a call
    made outside it) is said the same way."""
    if isinstance(error, OkrateError):
        return str(error)
    if is_driver_error(error):
        if not gateway.health.ok:
            return gateway.health.sentence()
        return storage_message(error)
    return None
