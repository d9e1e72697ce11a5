"""An organisation with no cycle yet: the review pane and the screens that need a cycle
say so in a sentence, and open nothing they cannot fill."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.dom import DOMNode

from okrate_tui.core.db import close_db, open_db
from okrate_tui.core.services.people import create_person
from okrate_tui.ui.panes.review import NO_CYCLE
from okrate_tui.ui.screens.analytics import AnalyticsScreen
from okrate_tui.ui.screens.confirm import ConfirmScreen
from okrate_tui.ui.screens.cycles import CyclesScreen
from okrate_tui.ui.screens.live import LiveScreen
from okrate_tui.ui.screens.main import MainScreen
from okrate_tui.ui.screens.review_workspace import ReviewWorkspace
from okrate_tui.ui.screens.walkthrough import WalkthroughScreen
from tests.ui.conftest import SIZE, settle


@pytest.fixture
def no_cycle_path(tmp_path: Path) -> Path:
    """Two people and no cycle."""
    path = tmp_path / "no-cycle.db"
    open_db(str(path), create=True)
    maria = create_person(None, "maria", "Maria Admin", role="admin")
    create_person(maria, "jonas", "Jonas Member", manager="maria")
    close_db()
    return path


def on_main(app) -> bool:
    """The main screen is up (with no cycle there is no goal tree to wait for)."""
    return isinstance(app.screen, MainScreen)


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def review_head(app) -> str:
    return str(app.screen.query_one("#review-cycle").content)


async def test_the_review_pane_says_there_is_no_cycle_and_opens_nothing_that_needs_one(no_cycle_path, make_app) -> None:
    app = make_app(no_cycle_path, as_handle="maria")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("3")
        await settle(pilot, lambda a: on_main(a) and review_head(a) == NO_CYCLE)
        for key in ("a", "o", "x", "y", "X"):
            app.clear_notifications()
            await pilot.press(key)
            await settle(pilot)
            assert on_main(app), f"{key} opened {app.screen!r}"
            assert notes(app) == [NO_CYCLE], key
        await pilot.press("c")  # the cycles screen is where one is made
        await settle(pilot, lambda a: isinstance(a.screen, CyclesScreen))


@pytest.mark.parametrize(
    ("make_screen", "noun"),
    [
        (lambda jonas: AnalyticsScreen(), "analytics view"),
        (lambda jonas: WalkthroughScreen(jonas), "one-on-one"),
        (lambda jonas: ReviewWorkspace(jonas), "review workspace"),
    ],
)
async def test_a_screen_that_needs_a_cycle_closes_with_a_sentence(no_cycle_path, make_app, make_screen, noun) -> None:
    app = make_app(no_cycle_path, as_handle="maria")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        jonas = next(p.id for p in app.people if p.handle == "jonas")
        screen = make_screen(jonas)
        assert isinstance(screen, LiveScreen)
        app.push_screen(screen)
        await settle(pilot, lambda a: on_main(a) and bool(notes(a)))
        assert f"There is no cycle now: the {noun} closes." in notes(app)


def test_the_question_leaves_textuals_watch_alone() -> None:
    """The record a yes/no question follows has a name of its own: ``watch`` stays the
    method every Textual node has."""
    question = ConfirmScreen("Delete it?", watch=("task", 7))
    assert question.watched == ("task", 7)
    assert question.watch.__func__ is DOMNode.watch
