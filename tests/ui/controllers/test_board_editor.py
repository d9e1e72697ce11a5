"""The board's controller without Textual: a change shows before it is saved, saves land
in order, a refusal shows the card as stored and says why, undo takes changes back."""

from __future__ import annotations

import pytest

from okrate_tui.core import clock
from okrate_tui.core.models import Task
from okrate_tui.core.services import tasks
from okrate_tui.core.services.people import find_person
from okrate_tui.ui.controllers.board_editor import BoardEditor, Shown
from okrate_tui.ui.controllers.outcome import Notice
from okrate_tui.ui.models.board import BoardModel, Change, Edit
from okrate_tui.ui.store.gateway import Gateway
from okrate_tui.ui.store.session import Session
from tests.ui.controllers.conftest import nothing


@pytest.fixture
def editor(opened: tuple[Gateway, Session]) -> BoardEditor:
    db, session = opened
    model = BoardModel(session.cards, lambda: session.labels, clock.today)
    model.rebuild()
    return BoardEditor(session, db, model, nothing)


def _open_task(editor: BoardEditor, status: str = "todo") -> int:
    return next(c.id for c in editor.session.cards.by_id.values() if c.status == status)


def _stored(editor: BoardEditor, task_id: int) -> Task | None:
    return editor.db.run(lambda: Task.get_or_none(Task.id == task_id))


async def test_a_move_shows_at_once_then_lands(editor: BoardEditor) -> None:
    task_id = _open_task(editor)
    edit = editor.model.plan_step(task_id, 1, clock.now())
    assert isinstance(edit, Edit) and edit.service is Change.MOVE
    shown = editor.show(edit)
    assert isinstance(shown, tuple)
    change, touched = shown
    assert {"todo", "doing"} <= touched and editor.session.cards.get(task_id).status == "doing"
    assert _stored(editor, task_id).status == "todo" and editor.undoable == 1  # counted while on its way
    outcome = await editor.save_shown(change)
    assert outcome.notice is None and _stored(editor, task_id).status == "doing"
    assert editor.saving == 0 and len(editor.model.undo) == 1


async def test_quick_changes_of_one_card_each_expect_the_version_the_last_left(editor: BoardEditor) -> None:
    task_id = _open_task(editor)
    changes: list[Shown] = []
    for plan in ("right", "priority", "right"):
        shown = editor.show(editor.model.plan(plan, task_id, clock.now()))
        assert isinstance(shown, tuple)
        changes.append(shown[0])
    outcomes = [await editor.save_shown(change) for change in changes]  # none waits for the card to be read again
    assert [o.notice for o in outcomes] == [None, None, None]
    assert _stored(editor, task_id).status == "blocked"


async def test_a_change_made_meanwhile_refuses_the_save_and_the_card_shows_what_is_stored(
    editor: BoardEditor,
) -> None:
    task_id = _open_task(editor)
    card = editor.session.cards.get(task_id)
    devon = editor.db.run(find_person, "devon")
    editor.db.run(tasks.move_task, devon, task_id, card.version, "blocked")
    shown = editor.show(editor.model.plan_step(task_id, 1, clock.now()))
    assert isinstance(shown, tuple)
    outcome = await editor.save_shown(shown[0])
    assert outcome.notice is not None and outcome.notice.severity == "error"
    assert "changed by someone else meanwhile (status)" in outcome.notice.text
    assert editor.session.cards.get(task_id).status == "blocked"  # as stored, not as planned
    assert editor.saving == 0 and len(editor.model.undo) == 0


async def test_a_task_deleted_meanwhile_gets_a_sentence(editor: BoardEditor) -> None:
    task_id = _open_task(editor)
    card = editor.session.cards.get(task_id)
    editor.db.run(tasks.delete_task, editor.db.run(find_person, "devon"), task_id, card.version)
    shown = editor.show(editor.model.plan_step(task_id, 1, clock.now()))
    assert isinstance(shown, tuple)
    outcome = await editor.save_shown(shown[0])
    assert outcome.notice is not None and "no longer there" in outcome.notice.text
    assert editor.session.cards.get(task_id) is None
    gone = editor.show(Edit(task_id, {"status": "done"}, "finish it", Change.MOVE, {"status": "done"}))
    assert isinstance(gone, Notice) and "no longer there" in gone.text


async def test_a_delete_leaves_the_board_at_once_and_undo_brings_it_back(editor: BoardEditor) -> None:
    task_id = _open_task(editor, "doing")
    shown = editor.show_delete(task_id)
    assert isinstance(shown, tuple)
    assert editor.session.cards.get(task_id) is None and _stored(editor, task_id) is not None
    assert (await editor.save_shown(shown[0])).notice is None and _stored(editor, task_id) is None
    outcome = await editor.undo()
    assert outcome.notice is not None and outcome.notice.text.startswith("Undone: delete “")
    assert outcome.select == task_id and _stored(editor, task_id) is not None
    assert (await editor.undo()).notice == Notice("Nothing to undo.")


async def test_quick_add_saves_selects_and_can_be_undone(editor: BoardEditor) -> None:
    goal = next(iter(editor.session.labels.goal_titles))
    outcome = await editor.add("Write the launch note", goal, None, "maria", "high", None)
    assert outcome.notice is None and "todo" in (outcome.touched or set())
    card = editor.session.cards.get(editor.model.current())
    assert card is not None and card.title == "Write the launch note" and card.priority == "high"
    assert editor.model.undo.entries[-1].what == "add “Write the launch note”"
    refused = await editor.add("x" * 300, goal, None, None, None, None)
    assert refused.notice is not None and refused.notice.title == "Not added"
