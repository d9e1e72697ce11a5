"""Screen snapshots of the shell and the goal tree pane (seeded data, frozen clock)."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import SIZE, on_main, settle


def test_goal_tree(snap_compare, demo_path, make_app) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot, on_main)
        await pilot.press("down", "right")
        await settle(pilot, on_main)

    assert snap_compare(make_app(demo_path), terminal_size=SIZE, run_before=run_before)


def test_goal_tree_small_terminal(snap_compare, demo_path, make_app) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot, on_main)

    assert snap_compare(make_app(demo_path), terminal_size=(80, 24), run_before=run_before)


def test_goal_detail_panel(snap_compare, demo_path, make_app) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot, on_main)
        await pilot.press("right", "down")  # "Close 40 new mid-market accounts"
        await settle(pilot, on_main)

    assert snap_compare(make_app(demo_path), terminal_size=(140, 44), run_before=run_before)


def test_form_with_a_validation_error(snap_compare, demo_path, make_app) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot, on_main)
        await pilot.press("t")
        await settle(pilot)
        for key in "Call Acme":
            await pilot.press(key if key != " " else "space")
        await pilot.press("tab", "tab", "tab", "tab")
        for key in "2026-02-30":
            await pilot.press(key)
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(demo_path), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare, demo_path, make_app) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot, on_main)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(demo_path), terminal_size=SIZE, run_before=run_before)


def test_welcome_screen(snap_compare, make_app) -> None:
    from okrate_tui.ui.screens.welcome import WelcomeScreen

    async def run_before(pilot) -> None:
        await settle(pilot, lambda app: isinstance(app.screen, WelcomeScreen))

    assert snap_compare(make_app(Path("empty.db"), as_handle=None), terminal_size=SIZE, run_before=run_before)


def test_person_picker(snap_compare, demo_path, make_app) -> None:
    from okrate_tui.ui.screens.picker import PickerScreen

    async def run_before(pilot) -> None:
        await settle(pilot, lambda app: isinstance(app.screen, PickerScreen))

    assert snap_compare(make_app(demo_path, as_handle=None), terminal_size=SIZE, run_before=run_before)


def test_goal_measured_by_its_plan(snap_compare, demo_path, make_app) -> None:
    """A goal with no key result: the detail says it is measured by its plan, and why."""

    async def run_before(pilot) -> None:
        await settle(pilot, on_main)
        for key in "/mentoring":
            await pilot.press("slash" if key == "/" else key)

        def shown(app) -> bool:
            detail = app.screen.query_one("#goal-detail").detail
            return detail is not None and detail.title == "Start a mentoring programme"

        await settle(pilot, shown)

    assert snap_compare(make_app(demo_path), terminal_size=(140, 48), run_before=run_before)
