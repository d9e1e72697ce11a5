"""Screen snapshots under a light theme: the goal tree and the board stay readable."""

from __future__ import annotations

from tests.ui.conftest import SIZE, on_main, settle
from tests.ui.test_board import on_board

LIGHT = 'theme = "textual-light"\n'


def test_goal_tree_light_theme(snap_compare, demo_path, make_app) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot, on_main)
        await pilot.press("down", "right")
        await settle(pilot, on_main)

    assert snap_compare(make_app(demo_path, config=LIGHT), terminal_size=SIZE, run_before=run_before)


def test_board_light_theme(snap_compare, demo_path, make_app) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot, on_main)
        await pilot.press("2")
        await settle(pilot, on_board)
        await pilot.press("j", "l")
        await settle(pilot, on_board)

    assert snap_compare(make_app(demo_path, config=LIGHT), terminal_size=SIZE, run_before=run_before)
