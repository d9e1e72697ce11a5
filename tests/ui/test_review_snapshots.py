"""Snapshots of the cycle review pane and its screens (seeded demo, frozen clock)."""

from __future__ import annotations

from tests.ui.conftest import SIZE, on_main, settle
from tests.ui.test_review_pane import on_review, review_pane


def _in_review(*keys: str, until=on_review, cycle: str | None = None):
    async def run_before(pilot) -> None:
        await settle(pilot, on_main)
        if cycle:
            await pilot.press("C")
            await settle(pilot)
            for ch in cycle:
                await pilot.press(ch if ch != " " else "space")
            await pilot.press("enter")
            await settle(pilot, lambda a: on_main(a) and a.cycle.name == cycle)
        await pilot.press("3")
        await settle(pilot, on_review)
        for key in keys:
            if key.startswith("@"):  # select a person by handle
                pane = review_pane(pilot.app)
                while pane.selected().handle != key[1:]:
                    await pilot.press("down")
                continue
            await pilot.press(key)
            await settle(pilot)
        await settle(pilot, until)

    return run_before


def _screen(name: str, ready: str = "space"):
    return lambda app: type(app.screen).__name__ == name and getattr(app.screen, ready, True) is not None


def test_people_list(snap_compare, demo_path, make_app) -> None:
    assert snap_compare(make_app(demo_path), terminal_size=SIZE, run_before=_in_review())


def test_cycle_list(snap_compare, demo_path, make_app) -> None:
    until = lambda app: type(app.screen).__name__ == "CyclesScreen" and app.screen.cycles  # noqa: E731
    assert snap_compare(make_app(demo_path), terminal_size=SIZE, run_before=_in_review("c", until=until))


def test_workspace_with_a_draft(snap_compare, demo_path, make_app) -> None:
    run_before = _in_review("enter", until=_screen("ReviewWorkspace"))
    assert snap_compare(make_app(demo_path, as_handle="jonas"), terminal_size=SIZE, run_before=run_before)


def test_workspace_submitted(snap_compare, demo_path, make_app) -> None:
    run_before = _in_review("@jonas", "enter", until=_screen("ReviewWorkspace"), cycle="2026 Q3")
    assert snap_compare(make_app(demo_path, as_handle="devon"), terminal_size=SIZE, run_before=run_before)


def test_workspace_calibrated(snap_compare, demo_path, make_app) -> None:
    run_before = _in_review("@priya", "enter", until=_screen("ReviewWorkspace"), cycle="2026 Q3")
    assert snap_compare(make_app(demo_path), terminal_size=SIZE, run_before=run_before)


def test_one_on_one_walkthrough(snap_compare, demo_path, make_app) -> None:
    until = lambda app: type(app.screen).__name__ == "WalkthroughScreen" and app.screen.goals  # noqa: E731
    run_before = _in_review("@jonas", "o", until=until)
    assert snap_compare(make_app(demo_path, as_handle="devon"), terminal_size=SIZE, run_before=run_before)


def test_analytics(snap_compare, demo_path, make_app) -> None:
    def until(app):
        return type(app.screen).__name__ == "AnalyticsScreen" and "Analytics" in str(
            app.screen.query_one("#analytics-head").render()
        )

    assert snap_compare(make_app(demo_path), terminal_size=(140, 44), run_before=_in_review("a", until=until))


def test_closing_asks_what_carried_goals_keep(snap_compare, demo_path, make_app) -> None:
    """After a dry run of the close: keep where they stood, reset all, or choose."""
    from okrate_tui.ui.screens.picker import PickerScreen

    def asking(kind: str):
        return lambda app: isinstance(app.screen, PickerScreen) and kind in app.screen.title_text

    async def run_before(pilot) -> None:
        await _in_review("c", until=lambda app: bool(getattr(app.screen, "cycles", None)))(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, lambda app: app.screen.cycles[0].state == "review")
        await pilot.press("z")
        await settle(pilot, asking("Close"))
        await pilot.press("enter")  # copy the open tasks
        await settle(pilot, asking("overdue"))
        await pilot.press("down", "enter")  # keep the deadlines
        await settle(pilot, asking("Progress"))

    assert snap_compare(make_app(demo_path), terminal_size=(130, 30), run_before=run_before)
