"""Screen snapshots of the board: every scope, a filter, Next, the detail, quick-add errors."""

from __future__ import annotations

from tests.ui.conftest import SIZE, on_main, settle
from tests.ui.test_board import on_board


def _board(*keys: str, until=on_board):
    async def run_before(pilot) -> None:
        await settle(pilot, on_main)
        await pilot.press("2")
        await settle(pilot, on_board)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await settle(pilot, until)

    return run_before


def test_board_whole_organisation(snap_compare, demo_path, make_app) -> None:
    assert snap_compare(make_app(demo_path), terminal_size=SIZE, run_before=_board("j", "l"))


def test_board_small_terminal(snap_compare, demo_path, make_app) -> None:
    assert snap_compare(make_app(demo_path), terminal_size=(80, 24), run_before=_board())


def test_board_my_tasks(snap_compare, demo_path, make_app) -> None:
    assert snap_compare(make_app(demo_path, as_handle="jonas"), terminal_size=SIZE, run_before=_board("m"))


def test_board_my_team(snap_compare, demo_path, make_app) -> None:
    keys = ("s", *"my team", "enter")
    assert snap_compare(
        make_app(demo_path, as_handle="jonas"),
        terminal_size=SIZE,
        run_before=_board(*[k if k != " " else "space" for k in keys]),
    )


def test_board_a_person(snap_compare, demo_path, make_app) -> None:
    keys = ("s", *"tomas", "enter")
    assert snap_compare(make_app(demo_path), terminal_size=SIZE, run_before=_board(*keys))


def test_board_a_goal_subtree(snap_compare, demo_path, make_app) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot, on_main)
        await pilot.press("down", "down", "enter")
        await settle(pilot, on_board)

    assert snap_compare(make_app(demo_path), terminal_size=SIZE, run_before=run_before)


def test_board_filtered(snap_compare, demo_path, make_app) -> None:
    keys = ("slash", *"review", "space", "^", *"week", "enter")
    assert snap_compare(make_app(demo_path), terminal_size=SIZE, run_before=_board(*keys))


def test_board_next_view(snap_compare, demo_path, make_app) -> None:
    assert snap_compare(make_app(demo_path, as_handle="jonas"), terminal_size=SIZE, run_before=_board("N"))


def test_board_task_detail(snap_compare, demo_path, make_app) -> None:
    from okrate_tui.ui.screens.task_detail import TaskDetailScreen

    run_before = _board("p", "enter", until=lambda app: isinstance(app.screen, TaskDetailScreen))
    assert snap_compare(make_app(demo_path), terminal_size=SIZE, run_before=run_before)


def test_board_quick_add_errors(snap_compare, demo_path, make_app) -> None:
    from okrate_tui.ui.screens.quick_add import QuickAddScreen

    keys = (
        "n",
        *"Call",
        "space",
        *"Acme",
        "space",
        "@",
        *"ghost",
        "space",
        "!",
        *"urgent",
        "space",
        "^",
        *"2026-02-30",
        "space",
        "#",
        *"the",
        "enter",
    )
    run_before = _board(*keys, until=lambda app: isinstance(app.screen, QuickAddScreen))
    assert snap_compare(make_app(demo_path), terminal_size=SIZE, run_before=run_before)
