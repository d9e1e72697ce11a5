"""The app as a session of a team server.

Over SSH the app runs as the server's account, on the server's machine, for a person
who proved who they are with a key. Three things follow, all kept here:

- **The terminal has a size limit** (the server's ``[limits]``, 500×200 by default). A
  larger terminal gets the app drawn at most that size, and the person is told so once
  in one line; nothing the app or its output copy holds grows with the real size.
- **The session can be ended through the database.** The app's watcher thread looks at
  the session's row whenever anything changed (PostgreSQL's NOTIFY, SQLite's file) and
  at least every two seconds; a revoked key, a deactivated person or an admin's
  ``okrate sessions end`` ends it with one line saying why.
- **Nothing writes a file on the server.** Screenshots and downloads have nowhere of
  the person's to go (the palette offers none), and a recovery copy of the database is
  the operator's business.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import SystemCommand
from textual.driver import Driver
from textual.geometry import Size

from okrate_tui.core.services import sessions

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    _App = App[int]  # mixed into the app, ahead of Textual's App
else:
    _App = object

NOT_HERE = "Not written on the server"
# Textual's palette commands that would write a file where the app runs
FILE_COMMANDS = frozenset({"Screenshot"})


def _limit() -> tuple[int, int] | None:
    session = sessions.current()
    return (session.config.limits.columns, session.config.limits.rows) if session is not None else None


def clamp(size: tuple[int, int], limit: tuple[int, int] | None) -> tuple[int, int]:
    """``size`` (columns, rows) no larger than ``limit``."""
    if limit is None:
        return size
    return min(size[0], limit[0]), min(size[1], limit[1])


def limited_driver(base: type[Driver]) -> type[Driver]:
    """``base`` that never reports a terminal larger than the session's limit (in a
    team-server session; elsewhere ``base`` itself). Resizes from the terminal's signal
    and from its in-band reports are clamped, mouse reports beyond the drawn area are
    dropped, and the lean output's copy of the screen is kept to the same size."""
    found = _limit()
    if found is None:
        return base
    limit: tuple[int, int] = found

    class LimitedDriver(base):  # type: ignore[misc, valid-type]
        terminal_size: tuple[int, int] | None = None  # the real size, as last reported

        def __init__(self, app: Any, *args: Any, **kwargs: Any) -> None:
            super().__init__(app, *args, **kwargs)
            output = getattr(self, "lean_output", None)
            if output is not None:
                output.limit = limit  # the lean output's screen copy
            if self._size is None:  # type: ignore[has-type]
                self._size = clamp(self._real_size(), limit)  # what the app measures before the first resize

        def _real_size(self) -> tuple[int, int]:
            getter = getattr(super(), "_get_terminal_size", None)
            size = getter() if getter is not None else (80, 24)
            self.terminal_size = size
            return size

        def _get_terminal_size(self) -> tuple[int, int]:
            return clamp(self._real_size(), limit)

        def process_message(self, message: Any) -> None:
            if isinstance(message, events.Resize):
                self.terminal_size = (message.size.width, message.size.height)
                shown = Size(*clamp(self.terminal_size, limit))
                message.size = message.virtual_size = message.container_size = shown
            elif isinstance(message, events.MouseEvent) and (
                message.screen_x >= limit[0] or message.screen_y >= limit[1]
            ):
                return  # beyond what is drawn: nothing there to point at
            super().process_message(message)

    return LimitedDriver


def scrub(text: str) -> str:
    """``text`` without the server's paths, in a team-server session (else as it is)."""
    session = sessions.current()
    return session.config.scrub(text) if session is not None else text


def refuse_recovery(app: Any) -> bool:
    """On a team server a recovery copy of the database is never written by a person's
    session (it would hold everyone's data, in the server's folders): say whose it is.
    True when refused."""
    if getattr(app, "person_id", None) is None:
        return False
    app.notify(
        "Recovery is the server operator's: they restore the database from the server's backups "
        "(okrate backup). Nothing was written.",
        title=NOT_HERE,
        severity="warning",
        timeout=15,
    )
    return True


class ServerSessionApp(_App):
    """Mixed into the app ahead of Textual's ``App``: what a team-server session changes."""

    _size_noticed: tuple[int, int] | None = None
    _session_looked = 0.0
    _session_beat = 0.0
    _session_ending = False

    @property
    def on_team_server(self) -> bool:
        return getattr(self, "person_id", None) is not None

    # --- the terminal size limit ------------------------------------------------------

    async def _on_resize(self, event: events.Resize) -> None:
        """Runs before Textual's own handler: the app takes the clamped size, and the
        person hears once (per size) that the terminal is larger than the server draws."""
        limit = _limit()
        if limit is None:
            return
        real = getattr(getattr(self, "_driver", None), "terminal_size", None) or (
            event.size.width,
            event.size.height,
        )
        shown = Size(*clamp((event.size.width, event.size.height), limit))
        event.size = event.virtual_size = event.container_size = shown
        if real != clamp(real, limit) and real != self._size_noticed:
            self._size_noticed = real
            self.notify(
                f"Your terminal is {real[0]}×{real[1]}; this server draws the app at most {limit[0]}×{limit[1]}.",
                title="Terminal size",
                timeout=15,
            )

    # --- ending the session through the database -------------------------------------------

    async def server_tick(self, news: bool) -> None:
        """After each look at the database (event loop; the reads run on the database
        thread): when something changed or every
        :data:`~okrate_tui.core.services.sessions.CHECK_SECONDS`, read whether this session
        is to end (and beat its heartbeat on PostgreSQL)."""
        session = sessions.current()
        if session is None or self._session_ending:
            return
        now = time.monotonic()
        if not news and now - self._session_looked < sessions.CHECK_SECONDS:
            return
        self._session_looked = now
        db = self.db  # type: ignore[attr-defined]  # the app's database thread, set by OkrateApp
        try:
            reason = await db.read(sessions.ended_reason, session)
            if now - self._session_beat >= sessions.HEARTBEAT_SECONDS and await db.read(sessions.beats):
                await db.read(sessions.heartbeat, None, session.id)
                self._session_beat = now
        except Exception:
            return  # the database is away: the health banner says so, and writes are refused
        if reason is not None:
            self._session_ending = True
            self.end_session(reason)

    def end_session(self, reason: str) -> None:
        """Leave with one line that says why."""
        self.exit(return_code=2, message=sessions.ended_line(reason))

    # --- nothing written on the server ---------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's palette commands, without those that write a file where the app runs."""
        for command in super().get_system_commands(screen):
            if not (self.on_team_server and command.title in FILE_COMMANDS):
                yield command

    def _not_here(self, what: str) -> None:
        self.notify(
            f"{what} would be a file on the server, which is not yours: nothing was written.",
            title=NOT_HERE,
            severity="warning",
            timeout=10,
        )

    def deliver_screenshot(self, *args: Any, **kwargs: Any) -> str | None:
        if self.on_team_server:
            self._not_here("A screenshot")
            return None
        return super().deliver_screenshot(*args, **kwargs)

    def save_screenshot(self, *args: Any, **kwargs: Any) -> str:
        if self.on_team_server:
            self._not_here("A screenshot")
            return ""
        return super().save_screenshot(*args, **kwargs)

    def deliver_text(self, *args: Any, **kwargs: Any) -> str | None:
        if self.on_team_server:
            self._not_here("A download")
            return None
        return super().deliver_text(*args, **kwargs)

    def deliver_binary(self, *args: Any, **kwargs: Any) -> str | None:
        if self.on_team_server:
            self._not_here("A download")
            return None
        return super().deliver_binary(*args, **kwargs)

    def notify(self, message: str, *args: Any, **kwargs: Any) -> None:
        """Notifications never show the server's paths to a person connected over SSH."""
        super().notify(scrub(message) if self.on_team_server else message, *args, **kwargs)
