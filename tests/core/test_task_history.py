"""A task's history as people read it: one line for each thing someone did, however many
fields it wrote (a move writes the status, the place and when it was finished)."""

from __future__ import annotations

from okrate_tui.core.queries.task_history import history_lines
from okrate_tui.core.services import tasks
from okrate_tui.core.services.undo import undo_op
from okrate_tui.core.writes import with_op


def said(task_id: int) -> list[str]:
    """What the history says, oldest first."""
    return [line.what for line in reversed(history_lines(task_id))]


def test_each_action_is_one_line(org) -> None:
    task = tasks.create_task(org.mia, "Draft launch email", goal=org.child.id)
    other = tasks.create_task(org.mia, "Book the venue", goal=org.child.id)
    tasks.move_task(org.mia, task.id, None, "doing")
    tasks.complete_task(org.mia, task.id, None)  # status, completed_at and position at once
    tasks.reopen_task(org.mia, task.id, None)
    tasks.reorder_task(org.mia, task.id, None, after=other.id)  # only its place
    tasks.edit_task(org.mia, task.id, None, title="Draft the launch email", deadline="2026-12-04", priority="high")
    assert said(task.id) == [
        "created the task",
        "moved it from To do to Doing",
        "marked it done (from Doing)",
        "reopened it into To do",
        "moved it within its column",
        "title: Draft launch email → Draft the launch email; deadline: — → 2026-12-04; priority: — → high",
    ]
    assert {line.by for line in history_lines(task.id)} == {"mia"}


def test_an_undo_is_one_line_too(org) -> None:
    task = tasks.create_task(org.mia, "Draft launch email", goal=org.child.id)
    _, op = with_op(tasks.complete_task, org.mia, task.id, None)
    assert op is not None
    undo_op(org.mia, op)
    assert said(task.id) == ["created the task", "marked it done (from To do)", "reopened it into To do"]


def test_owners_and_goals_are_named(org) -> None:
    task = tasks.create_task(org.mia, "Draft launch email", goal=org.child.id)
    tasks.edit_task(org.admin, task.id, None, owner="mia", goal=org.top.id)
    line = history_lines(task.id)[0]
    assert line.by == org.admin.handle
    assert f"owner: — → @{org.mia.handle}" in line.what and f"goal: {org.child.title} → {org.top.title}" in line.what
