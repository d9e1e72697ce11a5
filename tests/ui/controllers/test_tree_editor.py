"""The goal tree's controller without Textual: a change lands as the acting person and
is undoable; a refusal is a sentence; a goal gone meanwhile is named as gone."""

from __future__ import annotations

import pytest

from okrate_tui.core.models import Goal
from okrate_tui.core.services import goals
from okrate_tui.core.services.people import find_person
from okrate_tui.ui.controllers.outcome import Notice
from okrate_tui.ui.controllers.tree_editor import TreeEditor
from okrate_tui.ui.models.undo import UndoStack
from okrate_tui.ui.store.gateway import Gateway
from okrate_tui.ui.store.session import Session
from tests.ui.controllers.conftest import nothing


@pytest.fixture
def editor(opened: tuple[Gateway, Session]) -> TreeEditor:
    db, session = opened
    return TreeEditor(session, db, UndoStack(), nothing)


def _a_goal(editor: TreeEditor) -> int:
    tree = editor.session.tree
    assert tree is not None
    return next(line.id for line, _ in tree.ordered() if line.parent_id is not None)


def _status(editor: TreeEditor, goal: int) -> str | None:
    return editor.db.run(lambda: Goal.get_by_id(goal).status)


async def test_a_change_lands_is_undoable_and_selects_its_goal(editor: TreeEditor) -> None:
    goal = _a_goal(editor)
    before = _status(editor, goal)
    outcome = await editor.run("set it off track", goal, goals.set_goal_status, goal, None, "off_track")
    assert outcome.notice is None and outcome.select == goal
    assert _status(editor, goal) == "off_track" and len(editor.undo_stack) == 1
    undone = await editor.undo()
    assert undone.notice == Notice("Undone: set it off track") and undone.select == goal
    assert _status(editor, goal) == before
    nothing = "Nothing to undo in the goal tree."
    assert (await editor.undo(nothing)).notice == Notice(nothing)


async def test_a_stale_version_is_refused_with_a_sentence(editor: TreeEditor) -> None:
    goal = _a_goal(editor)
    version = editor.db.run(lambda: Goal.get_by_id(goal).version)
    editor.db.run(goals.set_goal_status, editor.db.run(find_person, "maria"), goal, version, "at_risk")
    outcome = await editor.run("set it off track", goal, goals.set_goal_status, goal, version, "off_track")
    assert outcome.notice is not None and outcome.notice.severity == "error"
    assert outcome.notice.title == "Not saved: set it off track"
    assert "the tree shows what is stored now" in outcome.notice.text
    assert _status(editor, goal) == "at_risk" and len(editor.undo_stack) == 0


async def test_a_goal_gone_meanwhile_is_named_as_gone(editor: TreeEditor) -> None:
    fresh = await editor.fresh(10**9)
    assert isinstance(fresh, Notice) and "no longer there" in fresh.text
    outcome = await editor.run("set it off track", 10**9, goals.set_goal_status, 10**9, None, "off_track")
    assert outcome.notice is not None and "no longer there" in outcome.notice.text


async def test_a_form_left_without_saving_changes_nothing(editor: TreeEditor) -> None:
    assert await editor.form_saved(None, lambda r: "x", lambda r: 1) is None
    assert await editor.form_saved(True, lambda r: "x", lambda r: 1) is None
