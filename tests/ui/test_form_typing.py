"""Keys that arrive together (fast typing, or an SSH link that sends them in one packet)
go where the keys before them put the focus."""

from __future__ import annotations

from textual import events

from okrate_tui.ui.forms.form import FormScreen
from tests.ui.conftest import SIZE, settle
from tests.ui.test_board import open_board


async def test_keys_after_tab_in_one_burst_go_to_the_next_field(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.press("e")
        await settle(pilot, lambda a: isinstance(a.screen, FormScreen))
        title = app.focused
        before = title.value
        for key, char in (("end", None), ("x", "x"), ("tab", None), ("y", "y"), ("z", "z")):
            app.post_message(events.Key(key, char))  # all queued before any is handled
        await settle(pilot)
        assert title.value == before + "x"
        assert app.focused is not title and "yz" in str(getattr(app.focused, "text", getattr(app.focused, "value", "")))


async def test_a_filter_that_empties_the_selected_column_selects_where_cards_are(demo_path, make_app) -> None:
    from tests.ui.conftest import BoardView

    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.press("l", "l")  # the Blocked column
        await settle(pilot)
        assert BoardView(app).col == 2
        await pilot.press("slash")
        for key in "webinar":
            await pilot.press(key)
        await pilot.press("enter")
        await settle(pilot)
        view = BoardView(app)
        assert view.current() is not None and "webinar" in view.current().title.lower()
