"""Snapshots of the goal's parts, the check-in history, the people screen and a refused
key (seeded demo data, frozen clock, fixed terminal size)."""

from __future__ import annotations

from pathlib import Path

from okrate_tui.core.db import close_db, open_db
from okrate_tui.core.models import CheckIn, Goal
from okrate_tui.core.services import key_results
from okrate_tui.core.services.people import find_person
from okrate_tui.ui.screens.check_ins import CheckInsScreen
from okrate_tui.ui.screens.people import PeopleScreen
from okrate_tui.ui.widgets.part_list import PartList
from tests.ui.conftest import SIZE, on_main, settle

ACCOUNTS = "Close 40 new mid-market accounts"


async def _to_parts_of(pilot, title: str, part: str) -> None:
    """Put the tree cursor on ``title`` and the parts cursor on the first ``part`` (kind)."""
    app = pilot.app
    await settle(pilot, on_main)
    for _ in range(3):
        await pilot.press("right")
    for _ in range(40):
        tree = app.session.tree
        if tree.line(app.screen.query_one("#goal-tree").model.cursor).title == title:
            break
        await pilot.press("j")
    await settle(pilot, on_main)
    await pilot.press("tab")
    parts = app.screen.query_one(PartList)
    for _ in range(30):
        option = parts.highlighted_option
        if option is not None and option.id and option.id.startswith(f"{part}:"):
            break
        await pilot.press("j")
    await settle(pilot, on_main)


def test_goal_parts_with_milestones(snap_compare, demo_path, make_app) -> None:
    async def run_before(pilot) -> None:
        await _to_parts_of(pilot, ACCOUNTS, "ms")

    assert snap_compare(make_app(demo_path), terminal_size=(140, 44), run_before=run_before)


def _corrected(path: Path) -> None:
    """The demo with the latest check-in of the accounts goal's first key result corrected."""
    open_db(str(path))
    goal = Goal.get(Goal.title == ACCOUNTS)
    result = goal.key_results.order_by("id").first()
    entry = CheckIn.select().where(CheckIn.key_result == result.id).order_by(CheckIn.at.desc()).first()
    key_results.correct_check_in(find_person("maria"), entry.id, None, value=entry.value - 1, note="Miscounted")
    close_db()


def test_check_in_history_with_a_correction(snap_compare, demo_path, make_app) -> None:
    _corrected(demo_path)

    async def run_before(pilot) -> None:
        await _to_parts_of(pilot, ACCOUNTS, "kr")
        await pilot.press("i")
        await settle(pilot, lambda app: isinstance(app.screen, CheckInsScreen) and bool(app.screen.entries))

    assert snap_compare(make_app(demo_path), terminal_size=SIZE, run_before=run_before)


def test_people_screen(snap_compare, demo_path, make_app) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot, on_main)
        await pilot.press("P")
        await settle(pilot, lambda app: isinstance(app.screen, PeopleScreen) and bool(app.screen.entries))

    assert snap_compare(make_app(demo_path), terminal_size=SIZE, run_before=run_before)


def test_a_refused_key_says_why(snap_compare, demo_path, make_app) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot, on_main)
        await pilot.press("e")  # Jonas, on Maria's company goal
        await settle(pilot)

    assert snap_compare(make_app(demo_path, as_handle="jonas"), terminal_size=SIZE, run_before=run_before)
