"""The app as a team-server session: the terminal size limit, the end of a session through
the database, and no file written on the server by any key or palette command."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from okrate_tui.core.db import close_db, open_db
from okrate_tui.core.server import Limits, ServerConfig
from okrate_tui.core.services import sessions
from okrate_tui.core.services.people import find_person
from okrate_tui.ui.app import OkrateApp
from okrate_tui.ui.server_session import clamp
from tests.ui.conftest import SIZE, on_main, settle
from tests.ui.test_live import banner, messages, wait_for


@pytest.fixture(autouse=True)
def _no_session_served() -> Iterator[None]:
    yield
    sessions.serve(None)


def _serve(demo_path: Path, handle: str, limits: Limits | None = None) -> sessions.Current:
    """jonas (or whoever) connected over SSH: a session row, served by this process."""
    limits = limits or Limits()
    home = demo_path.parent / "server-home"
    config = ServerConfig(home / ".config" / "okrate" / "server.toml", "okrate", str(demo_path), "okrate", limits)
    open_db(str(demo_path))
    person = find_person(handle)
    session_id = sessions.open_session(person.id, None, "app", "10.0.0.9:50000", limits)
    close_db()
    current = sessions.Current(session_id, person.id, None, config)
    sessions.serve(current)
    return current


def _app(demo_path: Path, person_id: int) -> OkrateApp:
    return OkrateApp(
        url=str(demo_path),
        person_id=person_id,
        poll_seconds=0.1,
        blink=False,
        config_file=Path("config.toml"),
        agenda_notice=False,
    )


def _files(*folders: Path) -> set[Path]:
    return {p for folder in folders for p in folder.rglob("*") if not p.name.endswith(("-wal", "-shm", "-journal"))}


def test_clamp_keeps_a_terminal_within_the_limit() -> None:
    assert clamp((3000, 3000), (500, 200)) == (500, 200)
    assert clamp((120, 300), (500, 200)) == (120, 200)
    assert clamp((80, 24), None) == (80, 24)


async def test_an_oversized_terminal_is_drawn_at_the_limit_and_the_person_is_told(demo_path: Path) -> None:
    current = _serve(demo_path, "jonas", Limits(columns=150, rows=40))
    app = _app(demo_path, current.person_id)
    async with app.run_test(size=(400, 120)) as pilot:
        await settle(pilot, on_main)
        assert tuple(app.size) == (150, 40)
        assert tuple(app.screen.size) == (150, 40)
        said = [n.message for n in app._notifications]
        assert said.count("Your terminal is 400×120; this server draws the app at most 150×40.") == 1
        await pilot.resize_terminal(100, 30)  # smaller than the limit: drawn as it is
        await wait_for(pilot, lambda a: tuple(a.size) == (100, 30))
        app.exit()


async def test_ending_the_session_elsewhere_closes_the_app_with_one_line(demo_path: Path, capsys) -> None:
    current = _serve(demo_path, "jonas")
    app = _app(demo_path, current.person_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        sessions.end_session(find_person("maria"), current.id)  # an admin, in another process
        await wait_for(pilot, lambda a: a._exit, timeout=30)
    assert app.return_code == 2
    assert capsys.readouterr().err.strip() == "okrate: this session has ended: @maria ended it."


async def test_a_deactivated_persons_session_ends_within_seconds(demo_path: Path, capsys) -> None:
    from okrate_tui.core.services.people import set_active

    current = _serve(demo_path, "jonas")
    app = _app(demo_path, current.person_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        sessions.serve(None)  # the admin's write happens in another process
        set_active(find_person("maria"), current.person_id, None, False)
        sessions.serve(current)
        await wait_for(pilot, lambda a: a._exit, timeout=30)
    said = capsys.readouterr().err.strip()
    assert said == "okrate: this session has ended: you were made inactive on this server by @maria."


async def test_no_palette_command_or_download_writes_a_file_on_the_server(demo_path: Path, tmp_path: Path) -> None:
    current = _serve(demo_path, "jonas")
    app = _app(demo_path, current.person_id)
    before = _files(tmp_path, Path.cwd())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles and "Theme" in titles
        assert app.deliver_screenshot() is None  # Textual's own action, reached however it may be
        app.action_screenshot()
        assert app.deliver_text(Path(__file__)) is None
        await settle(pilot)
        assert "A screenshot would be a file on the server, which is not yours" in messages(app)
        assert "A download would be a file on the server" in messages(app)
    assert _files(tmp_path, Path.cwd()) == before


async def test_a_recovery_copy_is_the_operators_on_a_team_server(demo_path: Path, tmp_path: Path) -> None:
    current = _serve(demo_path, "jonas")
    app = _app(demo_path, current.person_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        moved = demo_path.with_name("moved.db")
        os.rename(demo_path, moved)  # the file moved away under the open session
        await wait_for(pilot, lambda a: "deleted" in banner(a))
        before = _files(tmp_path)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda a: "Recovery is the server operator's" in messages(a))
        assert _files(tmp_path) == before
        assert not list(tmp_path.glob("*recovered*"))
        os.rename(moved, demo_path)


async def test_messages_in_a_server_session_name_no_server_path(demo_path: Path) -> None:
    current = _serve(demo_path, "jonas")
    app = _app(demo_path, current.person_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        app.notify(f"cannot read {demo_path}: gone")
        await settle(pilot)
        assert str(demo_path.parent) not in messages(app)
        assert "cannot read the server's database: gone" in messages(app)
