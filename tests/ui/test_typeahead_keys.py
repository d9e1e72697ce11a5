"""The type-ahead gate in the running app: keys posted all at once, as a burst arrives
from the terminal, with no pause between them (the real terminal is in
test_typeahead.py)."""

from __future__ import annotations

from textual import events

from okrate_tui.core.models import Task
from okrate_tui.ui.app import OkrateApp
from okrate_tui.ui.forms.form import FormScreen
from okrate_tui.ui.screens.confirm import ConfirmScreen
from okrate_tui.ui.widgets.filter_bar import FilterBar
from tests.ui.conftest import SIZE, settle
from tests.ui.test_board import board, open_board

NAMES = {"/": "slash", "\x15": "ctrl+u", "\x7f": "backspace", "\x13": "ctrl+s", "\t": "tab"}


def burst(app: OkrateApp, keys: str) -> None:
    """Every key posted at once, as the terminal's reader posts a burst."""
    for ch in keys:
        name = NAMES.get(ch, ch)
        app.post_message(events.Key(name, ch if ch.isprintable() else None))


def done_ids() -> set[int]:
    return {t.id for t in Task.select(Task.id).where(Task.status == "done")}


async def test_a_filter_typed_in_one_burst_gets_every_letter(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        before = done_ids()
        burst(app, "/tax")
        await settle(pilot, lambda a: a.screen.query_one("#board-filter", FilterBar).value == "tax")
        assert done_ids() == before
        assert "filter: tax" in str(app.screen.query_one("#board-scope").render())


async def test_editing_keys_and_letters_keep_their_order(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        task = board(app).current().id
        burst(app, "e\x15Contract\x7f\x7f\x7fact\x13")
        await settle(pilot, lambda a: not isinstance(a.screen, FormScreen))
        assert Task.get_by_id(task).title == "Contract"


async def test_a_yes_typed_with_the_delete_key_answers_nothing(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        task = board(app).current().id
        burst(app, "dy")
        await settle(pilot, lambda a: isinstance(a.screen, ConfirmScreen) and not a.typeahead.held)
        assert Task.get_or_none(Task.id == task) is not None
        assert "Keys typed before this question showed" in str(app.screen.query_one("#confirm-news").render())
        await pilot.press("y")  # typed once the question is on screen: that one counts
        await settle(pilot, lambda a: not isinstance(a.screen, ConfirmScreen))
        await settle(pilot, lambda a: Task.get_or_none(Task.id == task) is None)


async def test_keys_after_a_refused_one_are_not_used(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.press("slash", *"zzzqqq", "enter")  # a filter nothing matches: no card selected
        await settle(pilot)
        before = done_ids()
        dropped = app.typeahead.dropped
        burst(app, "eLx")  # edit refused (no task), then a move and done meant for its form
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
        assert app.typeahead.dropped == dropped + 2 and done_ids() == before
