"""Someone else's change takes the selected card away (deleted, or moved to another
column) just before a key: the key was meant for that card, so it does nothing to the
card the selection landed on, and a sentence says what happened."""

from __future__ import annotations

from okrate_tui.core.models import Task
from okrate_tui.core.services import tasks
from okrate_tui.core.services.people import find_person
from tests.ui.conftest import SIZE, BoardView, settle
from tests.ui.test_board import on_board, open_board


def said(app) -> str:
    return " ".join(n.message for n in app._notifications)


async def test_a_key_after_someone_deletes_the_selected_card_does_nothing(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        gone = BoardView(app).current()
        tasks.delete_task(find_person("ana"), gone.id, None)  # another session
        await app.refresh_now()
        await settle(pilot, lambda a: BoardView(a).current() is not None and BoardView(a).current().id != gone.id)
        landed = BoardView(app).current()
        await pilot.press("x")
        await settle(pilot, on_board)
        assert Task.get_by_id(landed.id).status == landed.status  # not done
        assert "@ana deleted this task" in said(app) and f"the selection is on “{landed.title}”" in said(app)
        await pilot.press("x")  # again, now that the person knows where the selection is
        await settle(pilot, lambda a: Task.get_by_id(landed.id).status == "done")


async def test_a_key_after_someone_moves_the_selected_card_does_nothing(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        moved = BoardView(app).current()
        tasks.move_task(find_person("ana"), moved.id, None, "blocked")
        await app.refresh_now()
        await settle(pilot, lambda a: BoardView(a).current().id != moved.id)
        landed = BoardView(app).current()
        await pilot.press("L")
        await settle(pilot, on_board)
        assert Task.get_by_id(landed.id).status == "todo" and Task.get_by_id(moved.id).status == "blocked"
        assert f"“{moved.title}” was changed by someone else and is now in Blocked" in said(app)
        await pilot.press("j", "k", "L")  # the person moved the selection: keys act again
        await settle(pilot, lambda a: Task.get_by_id(landed.id).status == "doing")


async def test_a_picker_never_overwrites_what_someone_set_while_it_was_open(demo_path, make_app) -> None:
    from okrate_tui.ui.forms.form import FormScreen
    from okrate_tui.ui.screens.picker import PickerScreen

    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        card = BoardView(app).current()
        ana = find_person("ana")
        await pilot.press("o")
        await settle(pilot, lambda a: isinstance(a.screen, PickerScreen))
        tasks.edit_task(ana, card.id, None, owner="ana")  # another session, while the picker is open
        await app.refresh_now()
        await pilot.press(*"kim", "enter")
        await settle(pilot, lambda a: "meanwhile" in said(a))
        assert Task.get_by_id(card.id).owner_id == ana.id
        assert "(owner)" in said(app)
        await pilot.press("D")
        await settle(pilot, lambda a: isinstance(a.screen, FormScreen))
        tasks.edit_task(ana, card.id, None, deadline="2026-12-24")
        await app.refresh_now()
        await pilot.press("ctrl+u", *"fri", "enter")
        await settle(pilot, lambda a: "(deadline)" in said(a))
        assert str(Task.get_by_id(card.id).deadline) == "2026-12-24"
        await pilot.press("o")  # chosen on what is stored now: it goes through
        await settle(pilot, lambda a: isinstance(a.screen, PickerScreen))
        await pilot.press(*"kim", "enter")
        await settle(pilot, lambda a: Task.get_by_id(card.id).owner_id == find_person("kim").id)


async def test_an_edit_form_saves_again_once_its_deleted_task_is_brought_back(demo_path, make_app) -> None:
    from okrate_tui.core.services.undo import undo_op
    from okrate_tui.core.writes import with_op
    from okrate_tui.ui.forms.form import FormScreen

    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        card = BoardView(app).current()
        ana = find_person("ana")
        await pilot.press("e")
        await settle(pilot, lambda a: isinstance(a.screen, FormScreen))
        form = app.screen
        await pilot.press("end", *" M2")
        _, op = with_op(tasks.delete_task, ana, card.id, None)
        await app.refresh_now()
        await settle(pilot, lambda a: form.gone)
        undo_op(ana, op)  # ana brings it back
        await app.refresh_now()
        await settle(
            pilot, lambda a: not form.gone and "brought this task back" in str(form.query_one("#form-news").render())
        )
        await pilot.press("ctrl+s")
        await settle(pilot, lambda a: not isinstance(a.screen, FormScreen))
        assert Task.get_by_id(card.id).title == f"{card.title} M2"
