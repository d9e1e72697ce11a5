"""All database work runs on one background thread with one connection.

The UI awaits :meth:`DbThread.call`; the event loop never blocks on the database, and
calls run one at a time in the order they were made.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class DbThread:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="okrate-db")

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        """Queue a call without waiting (before the event loop exists)."""
        return self._pool.submit(fn, *args, **kwargs)

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call from outside the event loop and wait (start-up, tests)."""
        return self._pool.submit(fn, *args, **kwargs).result()

    def close(self) -> None:
        from okrate_tui.core.db import close_db

        with contextlib.suppress(Exception):
            self._pool.submit(close_db).result(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)
