"""Fixtures for driving the app: a seeded demo database and an app factory."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from okrate_tui import demo
from okrate_tui.core.db import close_db, open_db
from okrate_tui.ui.app import OkrateApp
from tests.pg_server import PgServer

SIZE = (120, 36)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the temporary folder so paths shown on screen are short and stable."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    """A demo organisation in a temporary file (the clock is frozen by the root conftest)."""
    path = tmp_path / "demo.db"
    open_db(str(path), create=True)
    demo.generate()
    close_db()
    return path


@pytest.fixture
def empty_path(tmp_path: Path) -> Path:
    path = tmp_path / "empty.db"
    open_db(str(path), create=True)
    close_db()
    return path


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., OkrateApp]:
    def make(
        path: Path, as_handle: str | None = "maria", config: str | None = None, agenda_notice: bool = False
    ) -> OkrateApp:
        """The app on ``path``; the start-up agenda line only when asked for, so screens
        are compared without a passing notification over them."""
        config_file = Path("config.toml")
        if config is not None:
            config_file.write_text(config)
        return OkrateApp(
            url=str(path),
            as_handle=as_handle,
            config_file=config_file,
            poll_seconds=3600,
            blink=False,
            agenda_notice=agenda_notice,
        )

    return make


async def settle(pilot: Pilot, until: Callable[[OkrateApp], bool] | None = None, timeout: float = 10) -> None:
    """Wait until the app is idle (and ``until`` holds)."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        busy = any(
            w.is_running for w in app.workers if w.group not in ("boot", "poll") and not w.group.startswith("ask-")
        )
        busy = busy or app.typeahead.busy or bool(app.typeahead.held)  # keys still on their way
        if not busy and (until is None or until(app)):
            await pilot.pause()
            return
        if time.monotonic() > deadline:
            running = [f"{w.group}:{w.name}" for w in app.workers if w.is_running]
            raise AssertionError(
                f"the app did not settle in time (running: {running}, screen: {app.screen}, "
                f"rounds {getattr(app, '_rounds', None)})"
            )
        await pilot.pause(0.02)


def on_main(app: OkrateApp) -> bool:
    from okrate_tui.ui.screens.main import MainScreen

    if not isinstance(app.screen, MainScreen):
        return False
    details = app.screen.query("#goals #goal-detail")  # empty while the screen is still composing
    return app.session.tree is not None and any(d.detail is not None for d in details)


class BoardView:
    """What the board shows, read through its model and the session's cards."""

    def __init__(self, app: OkrateApp) -> None:
        self.app = app
        self.pane = app.screen.query_one("#board")

    @property
    def model(self):
        return self.pane.model

    @property
    def cols(self) -> dict:
        return {status: self.model.column_cards(status) for status in self.model.columns}

    def current(self):
        return self.model.card(self.model.current())

    @property
    def cards(self) -> list:
        return self.app.session.cards.scoped()

    @property
    def next_list(self) -> list:
        return self.model.next_cards()

    @property
    def view(self) -> str:
        return self.model.view

    @property
    def col(self) -> int:
        return self.model.col

    @property
    def folded(self) -> bool:
        return self.model.folded

    @property
    def scope(self):
        return self.app.session.cards.scope

    @property
    def loaded(self) -> bool:
        return self.app.session.cards.loaded and self.model is not None

    @property
    def dirty(self) -> bool:
        return self.pane.stale


@pytest.fixture
def outage_server() -> Iterator[PgServer]:
    """A PostgreSQL server of this test's own, with the demo organisation, that the test
    (or a process it starts) may stop and start."""
    from tests import pg_server

    problem = pg_server.missing()
    if problem:
        pytest.skip(f"stopping a PostgreSQL server under the app {problem}")
    server = pg_server.PgServer()
    try:
        open_db(server.url, create=True)
        demo.generate()
        close_db()
        yield server
    finally:
        server.remove()
