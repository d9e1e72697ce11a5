"""Type-ahead: every key reaches what it was typed for, in the order it came.

Textual hands a key to the focused widget at once, even while the key before it is
still opening a form, and a field's editing keys (bindings) travel a longer path than
its printable keys. A fast typist, a paste or one SSH packet then lands in the pane
under a form that is still opening, or edits a field out of order.

The gate takes every key and paste from the terminal (or the browser) and lets one
through at a time. The next goes when the one before has *settled*:

1. it has travelled the whole way through the widgets (a marker message follows it up
   the same path and comes back to the app);
2. what it deferred has run (focus moves, ``call_later``);
3. what it started has arrived: a screen it opened is mounted with its focus set, or
   the workers it started (reading a pane it switched to, reading before a form
   opens, saving) have finished.

Keys typed while the app starts wait for its first screen (the goal tree, or the
welcome, picker or problem screen before it).

After a key that was refused or failed (a warning or an error said so), the keys
typed after it in the same burst are dropped, with a word: they were meant for
something that did not happen. A screen whose ``fresh_keys_only`` is true (a yes/no
question) ignores every key that was typed before it was drawn, but those its
``safe_early`` allows (the question's "no").
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import events
from textual.message import Message

from okrate_tui.ui.store.watcher import WATCH_GROUP

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.screen import Screen
    from textual.widget import Widget
    from textual.worker import Worker

# Generous caps for waits that should end on their own: a loaded machine never
# reaches them, a stuck worker cannot hold the keyboard for ever.
WORKER_CAP = 20.0
READY_CAP = 20.0
START_CAP = 300.0
TICK = 0.004


class KeySettled(Message):
    """Follows a key up the widgets it went through; back at the app, the key is done."""

    def __init__(self, token: int) -> None:
        super().__init__()
        self.token = token


@dataclass
class _Before:
    """How things stood when a key was let through."""

    screen: Screen[Any]
    focused: Widget | None
    workers: set[Worker[Any]]
    troubles: int


def typed(event: events.Event) -> bool:
    """A key or paste from the person (not one already on its way through the widgets)."""
    return isinstance(event, events.Key | events.Paste) and not event.is_forwarded


class TypeAhead:
    """The app's one gate for keys. The app calls :meth:`admit` for every event and
    hands it on only when it returns True; it then calls :meth:`sent`."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.held: deque[events.Event] = deque()
        self.busy = False
        self.troubles = 0  # warnings and errors said so far (the app's notify counts them)
        self.dropped = 0  # keys dropped since the app started
        self._releasing: events.Event | None = None
        self._tokens = 0
        self._waiting: dict[int, asyncio.Future[None]] = {}
        self._before: _Before | None = None
        self._task: asyncio.Task[None] | None = None

    # --- the way in -------------------------------------------------------------

    def admit(self, event: events.Event) -> bool:
        """True when ``event`` may go through now; False when it is held (or dropped)."""
        if event is self._releasing:
            self._releasing = None
        elif self.busy or self.held or self._releasing is not None:
            self.held.append(event)
            return False
        elif self._starting():
            self.held.append(event)
            self.busy = True
            self._task = asyncio.create_task(self._started())
            return False
        if self._stale_for_screen(event):
            self.dropped += 1
            self._note_ignored()
            return False
        self.busy = True
        app = self.app
        self._before = _Before(app.screen, app.focused, set(app.workers), self.troubles)
        return True

    def sent(self, event: events.Event) -> None:
        """``event`` has been handed to the widgets: follow it and wait for it to settle."""
        app = self.app
        target: DOMNode = app.focused or app.screen
        self._tokens += 1
        token = self._tokens
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting[token] = done
        target.post_message(KeySettled(token))
        self._task = asyncio.create_task(self._settle(token, done, target))

    def arrived(self, message: KeySettled) -> None:
        """The marker is back at the app: the key went the whole way."""
        done = self._waiting.pop(message.token, None)
        if done is not None and not done.done():
            done.set_result(None)

    # --- settling ---------------------------------------------------------------

    def _starting(self) -> bool:
        """Nothing of the app's own is on screen yet (Textual's empty first screen)."""
        return self.app.screen.id == "_default"

    async def _started(self) -> None:
        """Until the app's first screen is ready for keys."""
        try:
            end = monotonic() + START_CAP
            while self.app.is_running and self._starting() and monotonic() < end:
                await asyncio.sleep(TICK * 4)
            await self._ready(self.app.screen)
        finally:
            self.busy = False
            self._after()

    async def _settle(self, token: int, done: asyncio.Future[None], target: DOMNode) -> None:
        try:
            await self._through(done, target)
            await self._round_trip()
            await self._round_trip()
            await self._arrived_somewhere()
        finally:
            self._waiting.pop(token, None)
            self.busy = False
            self._after()

    async def _through(self, done: asyncio.Future[None], target: DOMNode) -> None:
        """Until the marker is back, or the widget the key went to has gone (the key
        closed its own screen: the marker went with it)."""
        while not done.done():
            if not (target.is_attached and target.is_running):
                return
            await asyncio.wait([done], timeout=TICK * 4)

    async def _round_trip(self) -> None:
        """Until everything already queued on the app has run."""
        app = self.app
        if not app.is_running:
            return
        reached: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def reach() -> None:
            if not reached.done():
                reached.set_result(None)

        app.call_later(reach)
        end = monotonic() + READY_CAP
        while not reached.done() and app.is_running and monotonic() < end:
            await asyncio.wait([reached], timeout=TICK * 4)

    async def _arrived_somewhere(self) -> None:
        """Until what the key started has shown up: a screen ready for keys or a new
        focus, and the workers it started (reading what that shows, saving) done."""
        before = self._before
        if before is None:
            return
        app = self.app
        if app.focused is not before.focused:
            await self._round_trip()
        end = monotonic() + WORKER_CAP
        while app.is_running and monotonic() < end:
            if app.screen is not before.screen:
                # A worker that opened a screen waits on it: the screen is what arrived.
                await self._ready(app.screen)
                return
            if not self._started_by_key(before):
                break
            await asyncio.sleep(TICK)
        await self._round_trip()

    def _started_by_key(self, before: _Before) -> list[Worker[Any]]:
        """New workers since the key, but the change watcher's (the clock starts those)."""
        return [w for w in self.app.workers if w not in before.workers and w.is_running and w.group != WATCH_GROUP]

    async def _ready(self, screen: Screen[Any]) -> None:
        """Until ``screen`` is mounted and has its focus (when it has anything to focus)."""
        end = monotonic() + READY_CAP
        while self.app.is_running and monotonic() < end:
            if self.app.screen is not screen:
                return await self._ready(self.app.screen)
            if screen.is_mounted and (screen.focused is not None or not screen.focus_chain or not screen.AUTO_FOCUS):
                break
            await asyncio.sleep(TICK)
        await self._round_trip()

    def _after(self) -> None:
        """The key has settled: drop what was typed after a failure, else let the next one go."""
        before, self._before = self._before, None
        if before is not None and self.troubles > before.troubles and self.held:
            count = sum(1 for event in self.held if isinstance(event, events.Key))
            self.held.clear()
            self.dropped += count
            if count:
                self.app.notify(
                    f"{count} key{'s' if count != 1 else ''} typed after that {'were' if count != 1 else 'was'} "
                    "not used: what they were meant for did not open.",
                    title="Keys not used",
                    severity="information",
                    timeout=6,
                )
            return
        if self.held and self.app.is_running:
            event = self.held.popleft()
            self._releasing = event
            self.app.post_message(event)

    # --- questions ---------------------------------------------------------------

    def _stale_for_screen(self, event: events.Event) -> bool:
        """A key typed before a yes/no question was drawn never answers it."""
        screen = self.app.screen
        if not getattr(screen, "fresh_keys_only", False) or not isinstance(event, events.Key | events.Paste):
            return False
        if isinstance(event, events.Key) and getattr(screen, "safe_early", lambda key: False)(event.key):
            return False  # "no" typed ahead only closes the question
        drawn = getattr(screen, "drawn_at", None)
        return drawn is None or event.time < drawn

    def _note_ignored(self) -> None:
        note = getattr(self.app.screen, "keys_ignored", None)
        if callable(note):
            note()
