"""The board by mouse: a click selects a card, a double click opens it."""

from __future__ import annotations

from okrate_tui.ui.screens.task_detail import TaskDetailScreen
from okrate_tui.ui.widgets.card_column import CARD_HEIGHT
from tests.ui.conftest import SIZE, settle
from tests.ui.test_board import board, on_board, open_board


async def test_a_click_selects_a_card(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        pane = board(app)
        assert pane.current() is pane.cols["todo"][0]
        await pilot.click("#cards-doing", offset=(5, CARD_HEIGHT + 1))
        await settle(pilot)
        assert pane.current() is pane.cols["doing"][1]
        assert not isinstance(app.screen, TaskDetailScreen)
        await pilot.click("#cards-todo", offset=(5, 2 * CARD_HEIGHT))
        await settle(pilot)
        assert pane.current() is pane.cols["todo"][2]


async def test_a_double_click_opens_the_card(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        card = board(app).cols["blocked"][1]
        await pilot.double_click("#cards-blocked", offset=(3, CARD_HEIGHT))
        await settle(pilot, lambda a: isinstance(a.screen, TaskDetailScreen))
        assert app.screen.detail.id == card.id
        await pilot.press("escape")
        await settle(pilot, on_board)
        assert board(app).current().id == card.id
