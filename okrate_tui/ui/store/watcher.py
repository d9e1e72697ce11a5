"""Keeping the session up with the database: the change watcher.

A timer on the event loop wakes the watcher every ``seconds`` (and a write here wakes it
at once). Each wake runs one *look* as a Textual worker: what the session holds is read
on the event loop into a :class:`~okrate_tui.ui.store.reader.Wants` (a frozen copy), the
database thread gets that copy and answers with a fresh
:class:`~okrate_tui.ui.store.session.Refresh` or nothing, and the session takes the
answer back on the event loop. Nothing of the session is touched on another thread.

Looks never overlap: a wake during a look runs one more look right after it. A look is
never cancelled half-way either (its answer would be lost with the change signal it
used up), so the worker is left to finish; it lasts a few milliseconds when nothing
changed, and no worker runs between looks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from okrate_tui.core import clock
from okrate_tui.ui.store.reader import Wants, read_refresh

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer
    from textual.worker import Worker

    from okrate_tui.ui.store.gateway import Gateway
    from okrate_tui.ui.store.session import Session

# The workers of the watcher: started by the clock, never by a key (the type-ahead gate
# and the tests' settling leave them aside).
WATCH_GROUP = "poll"


def wants_of(session: Session, *, full: bool = False) -> Wants:
    """What the session holds, copied for the database thread (event loop)."""
    return Wants(
        seen=session.seen,
        actor_id=session.actor.id if session.actor else None,
        cycle_id=session.cycle.id if session.cycle else None,
        today=clock.today(),
        tree=session.tree is not None,
        board=session.cards.scope if session.cards.loaded else None,
        gaps=dict(session.gaps),
        full=full,
        tree_since=session.tree_as_of,
        cards_since=session.cards.as_of,
    )


class Watcher:
    """Looks at the change signal on a timer and when woken; the session takes what is new.

    ``after_look`` runs after every look (told whether there was news): a team-server
    session reads there whether it is to end."""

    def __init__(
        self,
        app: App[Any],
        session: Session,
        db: Gateway,
        seconds: float,
        after_look: Callable[[bool], Awaitable[None]] | None = None,
    ) -> None:
        self.app = app
        self.session = session
        self.db = db
        self._seconds = seconds
        self.after_look = after_look
        self.rounds = 0  # looks done (tests and error messages read it)
        self._timer: Timer | None = None
        self._worker: Worker[None] | None = None
        self._again = False
        self._waiting: list[asyncio.Future[None]] = []
        self._stopped = False

    @property
    def seconds(self) -> float:
        return self._seconds

    @seconds.setter
    def seconds(self, seconds: float) -> None:
        """Look this often from now on."""
        self._seconds = seconds
        if self._timer is not None and not self._stopped:
            self._timer.stop()
            self._timer = self.app.set_interval(seconds, self.wake, name="okrate-watch")

    @property
    def running(self) -> bool:
        return self._timer is not None and not self._stopped

    def start(self) -> None:
        """Look every ``seconds`` from now on (event loop)."""
        if self._timer is None and not self._stopped:
            self._timer = self.app.set_interval(self.seconds, self.wake, name="okrate-watch")

    def stop(self) -> None:
        """No more looks; whoever waits for one is let go."""
        self._stopped = True
        if self._timer is not None:
            self._timer.stop()
        self._release(self._waiting)
        self._waiting = []

    def wake(self) -> None:
        """Look now (or right after the look under way)."""
        if not self.running:
            return
        if self._worker is not None:
            self._again = True
            return
        self._worker = self.app.run_worker(
            self._looks(), name="watch", group=WATCH_GROUP, description="a look at the change log"
        )

    async def caught_up(self) -> None:
        """Until a whole look that began after now is done and its news taken (after a
        write here: every view then shows it)."""
        if not self.running:
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(done)
        self.wake()
        await done

    async def _looks(self) -> None:
        waiting: list[asyncio.Future[None]] = []
        try:
            while not self._stopped:
                self._again = False
                waiting, self._waiting = self._waiting, []  # those who asked before this look began
                await self._look()
                self.rounds += 1
                self._release(waiting)
                waiting = []
                if not self._again:
                    break
        finally:  # after the last look nobody is left waiting; after a failure nobody waits for ever
            self._worker = None
            self._release([*waiting, *self._waiting])
            self._waiting = []

    async def _look(self) -> None:
        session = self.session
        if session.actor is None:
            return
        wants = wants_of(session)
        try:
            refresh = await self.db.read(self.db.poll, read_refresh, wants)
        except Exception:  # reported through the gateway's health
            refresh = None
        health = self.db.health  # set on the database thread; read after its answer came back
        if refresh is not None or health != session.health:
            session.set_health(health)
            if refresh is not None:
                session.apply(refresh)
        if self.after_look is not None:
            await self.after_look(refresh is not None)

    @staticmethod
    def _release(waiting: list[asyncio.Future[None]]) -> None:
        for done in waiting:
            if not done.done():
                done.set_result(None)
