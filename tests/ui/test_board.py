"""The kanban task pane, driven with real keys: screen and database asserted."""

from __future__ import annotations

from datetime import date

from okrate_tui.core.models import Task
from okrate_tui.core.services import tasks
from okrate_tui.core.services.people import find_person
from okrate_tui.ui.forms.form import FormScreen
from okrate_tui.ui.screens.picker import PickerScreen
from okrate_tui.ui.screens.quick_add import QuickAddScreen
from okrate_tui.ui.screens.task_detail import TaskDetailScreen
from tests.ui.conftest import SIZE, BoardView, on_main, settle


def board(app) -> BoardView:
    return BoardView(app)


def on_board(app) -> bool:
    return on_main(app) and board(app).loaded and not board(app).dirty


async def open_board(pilot) -> None:
    await settle(pilot, on_main)
    await pilot.press("2")
    await settle(pilot, on_board)


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


def stored(card_id: int) -> Task:
    return Task.get_by_id(card_id)


async def test_board_opens_with_columns_and_counts(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        pane = board(app)
        counts = {s: len(cards) for s, cards in pane.cols.items()}
        assert sum(counts.values()) == Task.select().where(Task.cycle == 2).count()
        assert all(counts.values())
        assert "To do" in str(app.screen.query_one("#title-todo").render())
        assert "whole organisation" in str(app.screen.query_one("#board-scope").render())
        assert "workload" in str(app.screen.query_one("#workload").render())
        todo = pane.cols["todo"]
        assert [c.position for c in todo] == sorted(c.position for c in todo)
        done = pane.cols["done"]
        assert [c.completed_at for c in done] == sorted((c.completed_at for c in done), reverse=True)


async def test_selection_keys(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        pane = board(app)
        first = pane.current()
        await pilot.press("j")
        assert pane.current() is pane.cols["todo"][1]
        await pilot.press("down", "k", "up")
        assert pane.current() is first
        await pilot.press("l")
        assert pane.current() is pane.cols["doing"][0]
        await pilot.press("right", "h", "left")
        assert pane.current() is first


async def test_move_between_columns_and_undo(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        pane = board(app)
        card = pane.current()
        await pilot.press("L")
        await settle(pilot, on_board)
        assert stored(card.id).status == "doing" and pane.current() is card
        assert pane.cols["doing"][0] is card
        await pilot.press("shift+right")
        await settle(pilot, on_board)
        assert stored(card.id).status == "blocked"
        await pilot.press("H")
        await settle(pilot, on_board)
        assert stored(card.id).status == "doing"
        await pilot.press("u")
        await settle(pilot, on_board)
        assert stored(card.id).status == "blocked"
        await pilot.press("u", "u")
        await settle(pilot, on_board)
        assert stored(card.id).status == "todo"


async def test_reorder_within_a_column_and_undo(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        pane = board(app)
        first, second = pane.cols["todo"][:2]
        await pilot.press("J")
        await settle(pilot, on_board)
        assert pane.cols["todo"][:2] == [second, first]
        ordered = list(Task.select().where((Task.status == "todo") & (Task.cycle == 2)).order_by(Task.position))
        assert [t.id for t in ordered[:2]] == [second.id, first.id]
        await pilot.press("K")
        await settle(pilot, on_board)
        assert pane.cols["todo"][:2] == [first, second]
        await pilot.press("u")
        await settle(pilot, on_board)
        assert [c.id for c in board(app).cols["todo"][:2]] == [second.id, first.id]


async def test_done_priority_and_undo(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        pane = board(app)
        card = pane.current()
        before = card.priority
        await pilot.press("p")
        await settle(pilot, on_board)
        assert stored(card.id).priority != before
        await pilot.press("u")
        await settle(pilot, on_board)
        assert stored(card.id).priority == before
        card = board(app).current()
        await pilot.press("x")
        await settle(pilot, on_board)
        assert stored(card.id).status == "done" and stored(card.id).completed_at is not None
        assert board(app).cols["done"][0].id == card.id
        await pilot.press("x")
        await settle(pilot, on_board)
        assert stored(card.id).status == "todo" and stored(card.id).completed_at is None


async def test_owner_deadline_and_goal(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        card = board(app).current()
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        await type_text(pilot, "kim")
        await pilot.press("enter")
        await settle(pilot, on_board)
        assert stored(card.id).owner_id == find_person("kim").id
        await pilot.press("D")
        await settle(pilot)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "2026-02-30")
        await settle(pilot)
        assert "February 2026 has 28 days" in str(app.screen.query_one("#error-deadline").render())
        await pilot.press("ctrl+u")
        await type_text(pilot, "fri")
        await pilot.press("enter")
        await settle(pilot, on_board)
        assert stored(card.id).deadline == date(2026, 11, 27)
        await pilot.press("g")
        await settle(pilot)
        await type_text(pilot, "hire six")
        await pilot.press("enter")
        await settle(pilot, on_board)
        assert stored(card.id).goal_id == 15
        await pilot.press("u")
        await settle(pilot, on_board)
        assert stored(card.id).goal_id != 15


async def test_delete_and_undo(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        card = board(app).current()
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, on_board)
        assert Task.get_or_none(Task.id == card.id) is None
        assert card.id not in [c.id for c in board(app).cols["todo"]]
        await pilot.press("u")
        await settle(pilot, on_board)
        assert stored(card.id).title == card.title


async def test_edit_and_detail(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        card = board(app).current()
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("end")
        await type_text(pilot, " now")
        await pilot.press("ctrl+s")
        await settle(pilot, on_board)
        shown = board(app).current()
        assert stored(card.id).title == shown.title
        assert shown.id == card.id and shown.title.endswith(" now")
        await pilot.press("enter")
        await settle(pilot, lambda a: isinstance(a.screen, TaskDetailScreen))
        screen = app.screen
        assert screen.detail.id == card.id and screen.detail.goal_path
        said = [line.what for line in screen.history]  # one line for each thing done
        assert said[-1] == "created the task" and any(what.startswith("title: ") for what in said)
        await pilot.press("escape")
        await pilot.press("u")
        await settle(pilot, on_board)
        assert not stored(card.id).title.endswith(" now")


async def test_quick_add(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, QuickAddScreen)
        await type_text(pilot, "Call Acme @ghost !urgent")
        await pilot.press("enter")
        await settle(pilot)
        preview = str(app.screen.query_one("#quick-preview").render())
        assert "nobody has the handle @ghost" in preview and "is not a priority" in preview
        assert isinstance(app.screen, QuickAddScreen) and not Task.select().where(Task.title == "Call Acme").exists()
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "Draft launch email @ana !high ^fri #winter")
        await pilot.press("enter")
        await settle(pilot, on_board)
        task = Task.get(Task.title == "Draft launch email")
        assert (task.owner_id, task.priority, task.deadline, task.goal_id) == (
            find_person("ana").id,
            "high",
            date(2026, 11, 27),
            4,
        )
        assert board(app).current().id == task.id
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Write a haiku")
        await pilot.press("enter")
        await settle(pilot, lambda a: isinstance(a.screen, PickerScreen))
        await type_text(pilot, "hire six")
        await pilot.press("enter")
        await settle(pilot, on_board)
        assert Task.get(Task.title == "Write a haiku").goal_id == 15


async def test_quick_add_escapes_owner_me_and_a_milestone(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Fix bug ")
        await pilot.press("backslash")
        await type_text(pilot, "#123 @me !hi ^+2w #winter/live")
        await pilot.press("enter")
        await settle(pilot, on_board)
        task = Task.get(Task.title == "Fix bug #123")
        assert (task.owner_id, task.priority, task.deadline, task.goal_id) == (
            find_person("maria").id,
            "high",
            date(2026, 12, 10),
            4,
        )
        assert task.milestone.title == "Campaign live"


async def test_pickers_rank_what_is_typed(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Write a limerick")
        await pilot.press("enter")
        await settle(pilot, lambda a: isinstance(a.screen, PickerScreen))
        await type_text(pilot, "lat")
        await settle(pilot)
        shown = [str(choice.label) for choice in app.screen._shown]
        assert shown[0].endswith("Cut p95 API latency")  # a word start before initials
        assert all(("lat" in label.lower()) or "Launch the" in label for label in shown)
        await pilot.press("enter")
        await settle(pilot, on_board)
        assert Task.get(Task.title == "Write a limerick").goal.title == "Cut p95 API latency"


async def test_filters_and_clearing(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        pane = board(app)
        total = sum(len(c) for c in pane.cols.values())
        await pilot.press("slash")
        await type_text(pilot, "launch")
        await settle(pilot)
        assert 0 < sum(len(c) for c in pane.cols.values()) < total
        assert all(
            "launch" in c.title.lower() or "launch" in c.objective.lower() for col in pane.cols.values() for c in col
        )
        await pilot.press("escape")
        await settle(pilot)
        assert sum(len(c) for c in pane.cols.values()) == total
        await pilot.press("f")
        await settle(pilot)
        await type_text(pilot, "overdue")
        await pilot.press("enter")
        await settle(pilot)
        overdue = [c for col in pane.cols.values() for c in col]
        assert overdue and all(c.deadline < date(2026, 11, 26) and c.status != "done" for c in overdue)
        assert "filter: overdue" in str(app.screen.query_one("#board-scope").render())
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert sum(len(c) for c in pane.cols.values()) == total


async def test_scopes_next_view_and_fold(demo_path, make_app) -> None:
    app = make_app(demo_path, as_handle="jonas")
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        pane = board(app)
        jonas = find_person("jonas").id  # a member: the board opens on their own tasks
        assert pane.cards and all(c.owner_id == jonas for c in pane.cards)
        assert "my tasks" in str(app.screen.query_one("#board-scope").render())
        await pilot.press("m")  # again: everything
        await settle(pilot, on_board)
        assert any(c.owner_id != jonas for c in pane.cards)
        await pilot.press("s")
        await settle(pilot)
        await type_text(pilot, "my team")
        await pilot.press("enter")
        await settle(pilot, on_board)
        assert "team: Engineering" in str(app.screen.query_one("#board-scope").render())
        await pilot.press("N")
        await settle(pilot)
        assert pane.view == "next" and pane.next_list
        assert all(c.owner_id == jonas and c.status != "done" for c in pane.next_list)
        overdue = [c.deadline is not None and c.deadline < date(2026, 11, 26) for c in pane.next_list]
        assert overdue == sorted(overdue, reverse=True)
        await pilot.press("N", "z")
        assert pane.folded and pane.pane.query_one("#col-done").has_class("folded")


async def test_enter_on_a_goal_opens_its_subtree(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, on_main)
        await pilot.press("down", "enter")  # "Ship a product customers love"
        await settle(pilot, on_board)
        pane = board(app)
        assert pane.scope.kind == "goal" and pane.scope.goal_id == 7
        assert "Ship a product customers love" in str(app.screen.query_one("#board-scope").render())
        assert {c.goal_id for c in pane.cards} <= {7, 8, 9, 10, 11, 12, 13}


async def test_a_move_racing_another_sessions_edit(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        pane = board(app)
        card = pane.current()
        other = find_person("omar")
        tasks.move_task(other, card.id, None, "blocked")  # another session, same field
        tasks.edit_task(other, card.id, None, title="Renamed elsewhere")  # another field
        await pilot.press("L")
        await settle(pilot, on_board)
        kept = stored(card.id)
        assert kept.status == "blocked" and kept.title == "Renamed elsewhere"  # nothing lost
        messages = " ".join(n.message for n in app._notifications)
        assert "changed by someone else" in messages and "status" in messages
        shown = next(c for c in pane.cards if c.id == card.id)
        assert shown.status == "blocked" and shown.title == "Renamed elsewhere"
        await pilot.press("p")  # a different field merges with the other session's change
        await settle(pilot, on_board)
        assert stored(card.id).priority != kept.priority and stored(card.id).title == "Renamed elsewhere"


async def test_filters_typed_one_key_at_a_time(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        pane = board(app)
        ana = find_person("ana").id
        await pilot.press("slash")
        await type_text(pilot, "@ana")
        await settle(pilot)
        shown = [c for col in pane.cols.values() for c in col]
        assert shown and all(c.owner_id == ana for c in shown)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "dle")  # initials: d(raft) l(aunch) e(mail)
        await settle(pilot)
        assert [c.title for col in pane.cols.values() for c in col] == ["Draft the launch email"]


async def test_quick_keys_then_undo_land_in_order(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        card = board(app).current()
        before = stored(card.id)
        await pilot.press("L", "p", "p", "u", "u", "u")  # no waiting between keys
        await settle(pilot, on_board)
        after = stored(card.id)
        assert (after.status, after.priority) == (before.status, before.priority)
        await pilot.press("u")  # nothing left: said, not crashed
        await settle(pilot, on_board)
        assert any("Nothing to undo" in n.message for n in app._notifications)


async def test_undo_a_quick_add_after_editing_it(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Probe the undo #winter")
        await pilot.press("enter")
        await settle(pilot, on_board)
        task = Task.get(Task.title == "Probe the undo")
        await pilot.press("p")
        await settle(pilot, on_board)
        await pilot.press("u", "u")
        await settle(pilot, on_board)
        assert Task.get_or_none(Task.id == task.id) is None


async def test_another_sessions_move_does_not_drag_the_selection(demo_path, make_app) -> None:
    app = make_app(demo_path)
    app.poll_seconds = 0.1
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        pane = board(app)
        card = pane.current()
        tasks.move_task(find_person("omar"), card.id, None, "blocked")
        await settle(pilot, lambda a: next(c for c in board(a).cards if c.id == card.id).status == "blocked")
        assert pane.col == 0 and pane.current().status == "todo"


async def test_undo_owner_deadline_and_done(demo_path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        card = board(app).current()
        before = stored(card.id)
        await pilot.press("o")
        await settle(pilot)
        await type_text(pilot, "kim")
        await pilot.press("enter")
        await settle(pilot, on_board)
        await pilot.press("D")
        await settle(pilot)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "+2w")
        await pilot.press("enter")
        await settle(pilot, on_board)
        await pilot.press("x")
        await settle(pilot, on_board)
        assert stored(card.id).status == "done"
        await pilot.press("u")
        await settle(pilot, on_board)
        assert stored(card.id).status == before.status
        await pilot.press("u")
        await settle(pilot, on_board)
        assert stored(card.id).deadline == before.deadline
        await pilot.press("u")
        await settle(pilot, on_board)
        assert stored(card.id).owner_id == before.owner_id


async def test_leaving_a_form_with_typing_asks_first(demo_path, make_app) -> None:
    from okrate_tui.ui.screens.confirm import ConfirmScreen

    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        card = board(app).current()
        await pilot.press("e")
        await settle(pilot, lambda a: isinstance(a.screen, FormScreen))
        await type_text(pilot, " more")
        await pilot.press("escape")
        await settle(pilot, lambda a: isinstance(a.screen, ConfirmScreen))
        await pilot.press("n")
        await settle(pilot, lambda a: isinstance(a.screen, FormScreen))
        await pilot.press("escape")
        await settle(pilot, lambda a: isinstance(a.screen, ConfirmScreen))
        await pilot.press("y")
        await settle(pilot, on_board)
        assert stored(card.id).title == card.title and app.is_running


async def test_the_board_opens_where_each_person_left_it(demo_path, make_app) -> None:
    """A manager opens on their team, and on whatever they last picked after that."""
    app = make_app(demo_path, as_handle="devon")
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        assert "team: Engineering" in str(app.screen.query_one("#board-scope").render())
        await pilot.press("s")
        await settle(pilot)
        await type_text(pilot, "Sales")
        await pilot.press("enter")
        await settle(pilot, on_board)
        assert "team: Sales" in str(app.screen.query_one("#board-scope").render())
        await app.workers.wait_for_complete()
    again = make_app(demo_path, as_handle="devon")
    async with again.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        assert "team: Sales" in str(again.screen.query_one("#board-scope").render())
    other = make_app(demo_path, as_handle="lena")  # nobody else's board moved
    async with other.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        assert "team: Marketing" in str(other.screen.query_one("#board-scope").render())
