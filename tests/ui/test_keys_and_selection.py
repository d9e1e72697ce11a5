"""Keys that arrive together (fast typing, or an SSH link that sends them in one packet)
go where the keys before them put the focus; the board's selection stays on a card when
its column empties."""

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


async def test_a_move_elsewhere_that_empties_the_selected_column_selects_where_cards_are(demo_path, make_app) -> None:
    from okrate_tui.core.services.people import find_person
    from okrate_tui.core.services.tasks import move_task
    from tests.ui.conftest import BoardView

    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        card = BoardView(app).current()
        await pilot.press("slash", *card.title.lower(), "enter")  # the selected card alone
        await settle(pilot)
        assert BoardView(app).col == 0 and BoardView(app).current().id == card.id
        assert sum(len(ids) for ids in BoardView(app).cols.values()) == 1
        move_task(find_person("jonas"), card.id, None, "doing")  # someone else, meanwhile
        await app.refresh_now()
        await settle(pilot, lambda a: BoardView(a).col == 1)
        assert BoardView(app).current().id == card.id
