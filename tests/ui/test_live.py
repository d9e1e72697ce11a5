"""Live sessions against trouble: a database file deleted or replaced underneath, a
PostgreSQL server stopped and started again, a cycle closed elsewhere, a one-on-one
started by the other side, and notes changed by someone else while being written."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from okrate_tui.core.models import Cycle, OneOnOne, Task
from okrate_tui.core.services import reviews
from okrate_tui.core.services.carry_over import close_cycle
from okrate_tui.core.services.cycles import advance_cycle
from okrate_tui.core.services.people import find_person
from okrate_tui.ui.forms.form import FormScreen
from okrate_tui.ui.screens.walkthrough import WalkthroughScreen
from okrate_tui.ui.widgets.status_banner import StatusBanner
from tests import pg_server
from tests.ui.conftest import SIZE, BoardView, on_main, settle
from tests.ui.test_board import on_board, open_board


def banner(app) -> str:
    found = app.screen.query(StatusBanner)
    return str(found.first().render()) if found and found.first().display else ""


def messages(app) -> str:
    return " ".join(n.message for n in app._notifications)


async def wait_for(pilot, check, timeout: float = 15) -> None:
    await settle(pilot, check, timeout=timeout)


async def test_a_deleted_file_is_said_at_once_and_what_was_saved_can_be_recovered(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        card = BoardView(app).current()
        await pilot.press("L")
        await settle(pilot, on_board)
        assert Task.get_by_id(card.id).status == "doing"
        demo_path.unlink()  # rm under a running session
        await app.refresh_now()
        await wait_for(pilot, lambda a: "deleted" in banner(a))
        assert "ctrl+r" in banner(app) and "file gone" in app.screen.query_one("#topbar").trouble
        await pilot.press("L")  # refused: nothing is saved into a file nobody will see again
        await settle(pilot, on_board)
        assert "Not saved" in messages(app)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda a: "recovery" in messages(a).lower())
        copies = list(demo_path.parent.glob("demo.db.recovered-*"))
        assert len(copies) == 1 and not demo_path.exists()
        saved = sqlite3.connect(copies[0])
        assert saved.execute("SELECT status FROM task WHERE id = ?", (card.id,)).fetchone()[0] == "doing"
        saved.close()
        assert oct(copies[0].stat().st_mode & 0o777) == "0o600"


async def test_a_replaced_file_refuses_writes(demo_path, make_app, tmp_path: Path) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        other = tmp_path / "other.db"
        shutil.copy(demo_path, other)
        os.replace(other, demo_path)
        await app.refresh_now()
        await wait_for(pilot, lambda a: "replaced" in banner(a))
        before = {t.id: t.status for t in Task.select()}
        await pilot.press("x")
        await settle(pilot, on_board)
        assert "Not saved" in messages(app)
        assert {t.id: t.status for t in Task.select()} == before


@pytest.fixture
def own_pg():
    problem = pg_server.missing()
    if problem:
        pytest.skip(f"stopping a PostgreSQL server mid-session {problem}")
    server = pg_server.PgServer()
    try:
        from okrate_tui import demo
        from okrate_tui.core.db import close_db, open_db

        open_db(server.url, create=True)
        demo.generate()
        close_db()
        yield server
    finally:
        server.remove()


async def test_postgresql_stopped_and_started_again(own_pg, make_app) -> None:
    from okrate_tui.ui.app import OkrateApp

    app = OkrateApp(url=own_pg.url, person_id=1, poll_seconds=0.1, blink=False, config_file=Path("config.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        own_pg.stop()
        own_pg.wait_down()
        await pilot.press("x")
        await wait_for(pilot, lambda a: "unreachable" in banner(a))
        assert "unreachable since" in banner(app).lower()
        assert "Not saved" in messages(app)
        await pilot.press("L")  # refused at once while it lasts, nothing half-saved
        await settle(pilot, on_board)
        own_pg.start()
        await wait_for(pilot, lambda a: banner(a) == "" and a.session.health.ok, timeout=30)
        assert "back" in messages(app)
        card = BoardView(app).current()
        await pilot.press("x")
        await settle(pilot, on_board)
        import psycopg2

        conn = psycopg2.connect(own_pg.url)
        with conn.cursor() as cur:
            cur.execute("SELECT status FROM task WHERE id = %s", (card.id,))
            assert cur.fetchone()[0] == "done"
        conn.close()


async def test_closing_a_cycle_elsewhere_moves_the_session_on(demo_path, make_app) -> None:
    app = make_app(demo_path)
    said: list[str] = []
    notify = app.notify
    app.notify = lambda message, **kw: (said.append(str(message)), notify(message, **kw))[1]  # a toast may go by
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        maria = find_person("maria")
        cycle = Cycle.get(Cycle.state == "active")
        advance_cycle(maria, cycle.id, None)
        close_cycle(maria, cycle.id, None, early=True)
        await app.refresh_now()
        await wait_for(pilot, lambda a: a.cycle is not None and a.cycle.id != cycle.id)
        assert app.cycle.state != "closed"
        assert app.cycle.name in str(app.screen.query_one("#topbar").cycle)
        assert f"{cycle.name} was closed by @maria" in " ".join(said)
        await wait_for(pilot, lambda a: a.session.tree is not None and a.session.tree.cycle.id == a.cycle.id)


async def test_a_report_follows_the_meeting_their_manager_starts(demo_path, make_app) -> None:
    app = make_app(demo_path, as_handle="jonas")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("o")  # jonas's own one-on-one: last week's, the newest there is
        await wait_for(pilot, lambda a: isinstance(a.screen, WalkthroughScreen) and a.screen.meeting is not None)
        last_week = app.screen.meeting
        devon = find_person("devon")
        today = reviews.start_one_on_one(devon, "jonas")
        await app.refresh_now()
        await wait_for(pilot, lambda a: a.screen.meeting is not None and a.screen.meeting.id == today.id)
        assert today.date > last_week.date
        assert "started the one-on-one" in messages(app)


async def test_notes_changed_by_the_other_side_while_writing(demo_path, make_app) -> None:
    app = make_app(demo_path, as_handle="devon")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("3")
        await settle(pilot)
        for _ in range(20):  # to jonas in the people table
            if app.screen.query_one("#review").selected().handle == "jonas":
                break
            await pilot.press("down")
        await pilot.press("o")
        await wait_for(pilot, lambda a: isinstance(a.screen, WalkthroughScreen) and a.screen.meeting is not None)
        meeting = app.screen.meeting
        await pilot.press("w")
        await wait_for(pilot, lambda a: isinstance(a.screen, FormScreen))
        await pilot.press("a", "b")
        reviews.edit_notes(find_person("jonas"), meeting.id, None, "Jonas wrote these first")
        await app.refresh_now()
        await wait_for(pilot, lambda a: "ctrl+r takes their values" in str(a.screen.query_one("#form-news").render()))
        assert "@jonas changed" in str(app.screen.query_one("#form-news").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)  # refused: the same field, changed meanwhile
        assert "ctrl+r" in str(app.screen.query_one("#form-error").render())
        await pilot.press("ctrl+r")  # theirs in, and what devon typed kept after it: nothing lost
        await settle(pilot)
        assert "yours follows theirs" in str(app.screen.query_one("#form-news").render())
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda a: isinstance(a.screen, WalkthroughScreen))
        notes = OneOnOne.get_by_id(meeting.id).notes
        assert notes.startswith("Jonas wrote these first") and notes.rstrip().endswith("ab")
        await wait_for(pilot, lambda a: a.screen.meeting.notes.startswith("Jonas wrote these first"))


async def test_the_board_follows_a_cycle_closed_elsewhere(demo_path, make_app) -> None:
    """The board shows the new cycle's cards, not the closed one's, and offers no undo
    into the closed cycle."""
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.press("x")  # something to undo, in the cycle about to close
        await settle(pilot, on_board)
        maria = find_person("maria")
        cycle = Cycle.get(Cycle.state == "active")
        advance_cycle(maria, cycle.id, None)
        close_cycle(maria, cycle.id, None, early=True)
        await app.refresh_now()
        await wait_for(pilot, lambda a: a.cycle is not None and a.cycle.id != cycle.id)
        await wait_for(pilot, lambda a: BoardView(a).loaded and any(BoardView(a).cols.values()))
        shown = [card.id for cards in BoardView(app).cols.values() for card in cards]
        assert {t.cycle_id for t in Task.select().where(Task.id.in_(shown))} == {app.cycle.id}
        before = Task.select().where(Task.cycle == cycle.id, Task.status == "done").count()
        await pilot.press("u")  # the undo stack still names the closed cycle's change
        await settle(pilot)
        assert Task.select().where(Task.cycle == cycle.id, Task.status == "done").count() == before
