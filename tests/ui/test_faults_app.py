"""The app against files that are empty, in a folder that does not exist, or damaged."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from okrate_tui.core import integrity
from okrate_tui.ui.forms.form import FormScreen
from okrate_tui.ui.screens.people import PeopleScreen
from okrate_tui.ui.screens.welcome import WelcomeScreen
from tests.cli.test_cli import okrate
from tests.faults import damage, fill, mount_problem, small_disk
from tests.ui.conftest import SIZE, BoardView, settle
from tests.ui.test_board import on_board, open_board, type_text
from tests.ui.test_live import banner, messages


async def fill_start_form(pilot) -> None:
    await pilot.press("s")
    await settle(pilot, lambda a: isinstance(a.screen, FormScreen))
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, "sam")
    await pilot.press("tab")
    await type_text(pilot, "Sam Founder")
    await pilot.press("tab", "tab", "tab", "tab")
    await type_text(pilot, "Find ten paying customers")


def form_error(app) -> str:
    return str(app.screen.query_one("#form-error").render())


async def test_an_empty_file_opens_the_welcome_and_stays_empty_until_chosen(tmp_path: Path, make_app) -> None:
    path = tmp_path / "okrate.db"
    path.touch()
    app = make_app(path, as_handle=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda a: isinstance(a.screen, WelcomeScreen))
        assert path.stat().st_size == 0 and not list(tmp_path.glob("okrate.db-*"))
        await fill_start_form(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda a: isinstance(a.screen, PeopleScreen))  # made on the explicit choice
    assert path.stat().st_size > 0


async def test_start_my_own_in_a_folder_that_does_not_exist_says_how_to_fix_it(tmp_path: Path, make_app) -> None:
    folder = tmp_path / "nowhere"
    path = folder / "okrate.db"
    app = make_app(path, as_handle=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda a: isinstance(a.screen, WelcomeScreen))
        await fill_start_form(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda a: "does not exist" in form_error(a))
        said = form_error(app)
        assert f"the folder {folder} does not exist: make it first (mkdir -p {folder})" in said
        assert "reconnects by itself" not in said and "unreachable" not in messages(app)
        assert app.db.health.ok and isinstance(app.screen, FormScreen)  # what was typed is kept
        folder.mkdir()  # fixed as the sentence says: the same form saves now
        await pilot.press("ctrl+s")
        await settle(pilot, lambda a: isinstance(a.screen, PeopleScreen))
    assert path.exists()


async def test_a_file_known_to_be_damaged_is_said_and_never_written(demo_path: Path, make_app) -> None:
    damage(demo_path, "talking_point")  # the tree and the board still read; one-on-ones do not
    assert okrate("check", db=demo_path).returncode == 3
    before = hashlib.sha256(demo_path.read_bytes()).hexdigest()
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await app.refresh_now()
        await settle(pilot, lambda a: "damaged" in banner(a))
        assert "okrate check" in banner(app)
        assert "file damaged" in app.screen.query_one("#topbar").trouble
        await pilot.press("x")
        await settle(pilot, on_board)
        assert "Not saved" in messages(app) and "damaged" in messages(app)
    app.db.close()
    assert hashlib.sha256(demo_path.read_bytes()).hexdigest() == before
    assert integrity.known(demo_path) is not None


async def test_damage_met_while_reading_is_noted_and_stops_writes(demo_path: Path, make_app) -> None:
    damage(demo_path, "talking_point")
    app = make_app(demo_path, as_handle="jonas")  # his one-on-one with his manager has talking points
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        assert banner(app) == ""  # nothing met yet
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("o")  # their one-on-ones: the talking points are what is damaged
        await settle(pilot, lambda a: "damaged" in messages(a), timeout=20)
        await app.refresh_now()
        await settle(pilot, lambda a: "damaged" in banner(a))
        assert integrity.known(demo_path) is not None
        await pilot.press("escape", "2")
        await settle(pilot, on_board)
        app._notifications.clear()
        await pilot.press("x")
        await settle(pilot, on_board)
        assert "Not saved" in messages(app) and "damaged" in messages(app)


async def test_a_full_disk_under_the_app_is_named_and_nothing_is_half_saved(make_app) -> None:
    problem = mount_problem()
    if problem:
        pytest.skip(problem)
    with small_disk("4m") as folder:
        path = folder / "okrate.db"
        okrate("demo", db=path, check=True)
        app = make_app(path)
        async with app.run_test(size=SIZE) as pilot:
            await open_board(pilot)
            card = BoardView(app).current()
            filler = fill(folder)
            try:
                await pilot.press("x")
                await settle(pilot, lambda a: "disk is full" in messages(a))
                said = messages(app)
                assert f"the disk is full (the one holding {folder}" in said and "nothing was saved" in said
                assert "cannot rollback" not in said and "internal error" not in said
                assert BoardView(app).current().status == card.status  # the card shows what is stored
                await pilot.press("enter")  # reading goes on: the task's detail opens
                await settle(pilot, lambda a: type(a.screen).__name__ == "TaskDetailScreen")
                await pilot.press("escape")
            finally:
                filler.unlink()
            app._notifications.clear()
            await pilot.press("x")  # room again: saved
            await settle(pilot, on_board)
            assert "Not saved" not in messages(app)
        app.db.close()
        assert okrate("task", "show", str(card.id), "--json", db=path, check=True).stdout.count('"done"') >= 1
