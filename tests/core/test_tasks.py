"""Task services: create, edit, move, reorder, complete, delete, restore."""

from __future__ import annotations

from datetime import date

import pytest

from okrate_tui.core.errors import ConflictError, NotFoundError, ValidationError
from okrate_tui.core.models import Change, Task
from okrate_tui.core.queries.tasks import list_tasks, status_counts
from okrate_tui.core.services import goals, tasks


def test_create_task_with_every_field(org) -> None:
    task = tasks.create_task(
        org.mia,
        "Draft launch email",
        goal=org.child.id,
        owner="mia",
        priority="high",
        deadline="2026-12-01",
        objective="30% open rate",
        context="Use the new template",
    )
    stored = Task.get_by_id(task.id)
    assert (stored.title, stored.owner_id, stored.priority) == (
        "Draft launch email",
        org.mia.id,
        "high",
    )
    assert stored.deadline == date(2026, 12, 1)
    assert stored.status == "todo" and stored.completed_at is None and stored.version == 1
    assert stored.created_by_id == org.mia.id


def test_a_task_needs_a_goal_and_valid_fields(org) -> None:
    with pytest.raises(ValidationError) as caught:
        tasks.create_task(
            org.mia,
            "",
            goal=None,
            owner="nobody",
            priority="urgent",
            deadline="2026-02-30",
            status="later",
        )
    assert set(caught.value.errors) == {"title", "goal", "owner", "priority", "deadline", "status"}
    assert caught.value.errors["goal"] == "is required"
    assert Task.select().count() == 0
    assert Change.select().where(Change.entity == "task").count() == 0


def test_milestone_gives_the_goal_and_must_match_it(org) -> None:
    stone = goals.add_milestone(org.admin, org.child.id, "Beta", "2026-12-10")
    task = tasks.create_task(org.mia, "Recruit testers", milestone=stone.id)
    assert task.goal_id == org.child.id
    with pytest.raises(ValidationError, match="belongs to another goal"):
        tasks.create_task(org.mia, "Wrong", goal=org.top.id, milestone=stone.id)


def test_archived_goal_takes_no_new_tasks(org) -> None:
    goals.archive_goal(org.admin, org.child.id, None)
    with pytest.raises(ValidationError, match="archived"):
        tasks.create_task(org.mia, "Late", goal=org.child.id)


def test_edit_writes_only_changed_fields_and_logs_them(org) -> None:
    task = tasks.create_task(org.mia, "Call Acme", goal=org.child.id, priority="low")
    tasks.edit_task(org.ben, task.id, task.version, title="Call Acme", priority="high", owner="ben")
    logged = list(
        Change.select()
        .where((Change.entity == "task") & (Change.entity_id == task.id) & (Change.field != "@create"))
        .order_by(Change.id)
    )
    assert {(c.field, c.old, c.new, c.actor_id) for c in logged} == {
        ("priority", "low", "high", org.ben.id),
        ("owner", None, str(org.ben.id), org.ben.id),
    }
    assert len({c.op for c in logged}) == 1
    assert Task.get_by_id(task.id).version == 2


def test_stale_edit_of_the_same_field_is_a_conflict(org) -> None:
    task = tasks.create_task(org.mia, "Call Acme", goal=org.child.id)
    tasks.edit_task(org.ben, task.id, 1, title="Call Acme today")
    with pytest.raises(ConflictError) as caught:
        tasks.edit_task(org.mia, task.id, 1, title="Call Acme tomorrow")
    assert caught.value.fields == ["title"]
    assert caught.value.current == {"title": "Call Acme today"}
    assert Task.get_by_id(task.id).title == "Call Acme today"


def test_stale_edit_of_other_fields_merges_without_loss(org) -> None:
    task = tasks.create_task(org.mia, "Call Acme", goal=org.child.id)
    tasks.edit_task(org.ben, task.id, 1, title="Call Acme today")
    tasks.edit_task(org.mia, task.id, 1, priority="critical")
    stored = Task.get_by_id(task.id)
    assert (stored.title, stored.priority, stored.version) == ("Call Acme today", "critical", 3)


def test_stale_move_conflicts_with_another_move(org) -> None:
    task = tasks.create_task(org.mia, "Call Acme", goal=org.child.id)
    tasks.move_task(org.ben, task.id, 1, "doing")
    with pytest.raises(ConflictError, match="status"):
        tasks.move_task(org.mia, task.id, 1, "blocked")
    # the same move twice is no conflict: nothing would be overwritten
    tasks.move_task(org.mia, task.id, 1, "doing")
    assert Task.get_by_id(task.id).status == "doing"


def test_edit_with_status_checks_the_version(org) -> None:
    task = tasks.create_task(org.mia, "Call Acme", goal=org.child.id)
    tasks.move_task(org.ben, task.id, 1, "done")
    with pytest.raises(ConflictError):
        tasks.edit_task(org.mia, task.id, 1, status="todo", title="Call Acme again")
    assert Task.get_by_id(task.id).title == "Call Acme"


def test_move_sets_completion_and_lands_on_top(org) -> None:
    first = tasks.create_task(org.mia, "One", goal=org.child.id, status="doing")
    second = tasks.create_task(org.mia, "Two", goal=org.child.id)
    moved = tasks.move_task(org.mia, second.id, 1, "doing")
    assert moved.position < Task.get_by_id(first.id).position
    done = tasks.complete_task(org.mia, first.id, None)
    assert done.status == "done" and done.completed_at is not None
    again = tasks.reopen_task(org.mia, first.id, None)
    assert again.status == "todo" and again.completed_at is None


def test_move_between_neighbours(org) -> None:
    a, b, c = (tasks.create_task(org.mia, t, goal=org.child.id) for t in "abc")
    d = tasks.create_task(org.mia, "d", goal=org.child.id, status="doing")
    tasks.move_task(org.mia, d.id, None, "todo", after=a.id, before=b.id)
    assert [t.title for t in list_tasks(status="todo")] == ["a", "d", "b", "c"]
    with pytest.raises(ValidationError, match="is not in doing"):
        tasks.move_task(org.mia, c.id, None, "doing", after=a.id)


def test_reorder_within_a_column(org) -> None:
    a, b, c = (tasks.create_task(org.mia, t, goal=org.child.id) for t in "abc")
    tasks.reorder_task(org.mia, c.id, c.version, after=None, before=a.id)
    assert [t.title for t in list_tasks(status="todo")] == ["c", "a", "b"]
    tasks.reorder_task(org.mia, c.id, None, after=b.id)
    assert [t.title for t in list_tasks(status="todo")] == ["a", "b", "c"]
    tasks.reorder_task(org.mia, a.id, None, after=b.id, before=c.id)
    assert [t.title for t in list_tasks(status="todo")] == ["b", "a", "c"]


def test_many_reorders_into_one_gap_keep_order(org) -> None:
    first = tasks.create_task(org.mia, "first", goal=org.child.id)
    last = tasks.create_task(org.mia, "last", goal=org.child.id)
    lower = first
    for index in range(60):  # halving the gap 60 times forces a renumbering
        task = tasks.create_task(org.mia, f"t{index}", goal=org.child.id)
        tasks.reorder_task(org.mia, task.id, None, after=lower.id, before=last.id)
        lower = task
    titles = [t.title for t in list_tasks(status="todo")]
    assert titles == ["first", *[f"t{i}" for i in range(60)], "last"]


def test_delete_keeps_a_copy_and_restore_brings_it_back(org) -> None:
    task = tasks.create_task(org.mia, "Call Acme", goal=org.child.id, owner="mia", priority="high")
    copy = tasks.delete_task(org.mia, task.id, task.version)
    assert Task.get_or_none(Task.id == task.id) is None
    entry = Change.get((Change.entity == "task") & (Change.field == "@delete"))
    assert '"title": "Call Acme"' in entry.old
    restored = tasks.restore_task(org.mia, copy)
    assert restored.id == task.id and restored.title == "Call Acme" and restored.priority == "high"
    with pytest.raises(NotFoundError):
        tasks.edit_task(org.mia, 999, None, title="x")


def test_delete_refuses_when_someone_changed_the_task(org) -> None:
    task = tasks.create_task(org.mia, "Call Acme", goal=org.child.id)
    tasks.edit_task(org.ben, task.id, 1, priority="high")
    with pytest.raises(ConflictError):
        tasks.delete_task(org.mia, task.id, 1)
    assert Task.get_or_none(Task.id == task.id) is not None


def test_a_stale_edit_of_a_deleted_task_is_not_found(org) -> None:
    task = tasks.create_task(org.mia, "Call Acme", goal=org.child.id)
    tasks.delete_task(org.ben, task.id, 1)
    with pytest.raises(NotFoundError):
        tasks.edit_task(org.mia, task.id, 1, title="x")


def test_changing_the_goal_drops_a_foreign_milestone(org) -> None:
    stone = goals.add_milestone(org.admin, org.child.id, "Beta")
    task = tasks.create_task(org.mia, "Beta invite", milestone=stone.id)
    moved = tasks.edit_task(org.mia, task.id, task.version, goal=org.top.id)
    assert moved.goal_id == org.top.id and moved.milestone_id is None


def test_status_counts_by_scope(org) -> None:
    tasks.create_task(org.mia, "a", goal=org.child.id)
    tasks.create_task(org.mia, "b", goal=org.top.id, status="done")
    assert status_counts() == {"todo": 1, "doing": 0, "blocked": 0, "done": 1}
    assert status_counts(goal_id=org.child.id)["done"] == 0
    assert status_counts(cycle_id=org.cycle.id)["todo"] == 1


def test_inactive_person_cannot_act(org) -> None:
    from okrate_tui.core.errors import PermissionDenied
    from okrate_tui.core.services import people

    people.edit_person(org.admin, org.ben.id, None, active=False)
    ben = type(org.ben).get_by_id(org.ben.id)
    with pytest.raises(PermissionDenied):
        tasks.create_task(ben, "x", goal=org.child.id)
    with pytest.raises(ValidationError, match="no longer active"):
        tasks.create_task(org.mia, "x", goal=org.child.id, owner="ben")


def test_a_task_is_in_its_goals_cycle(org) -> None:
    from okrate_tui.core.services import cycles

    task = tasks.create_task(org.mia, "Call Acme", goal=org.child.id)
    assert task.cycle_id == org.cycle.id
    later = cycles.create_cycle(org.admin, "2027 Q1", "2027-01-01", "2027-03-31")
    elsewhere = goals.create_goal(org.admin, "Next quarter", cycle=later.id)
    moved = tasks.edit_task(org.mia, task.id, task.version, goal=elsewhere.id)
    assert Task.get_by_id(moved.id).cycle_id == later.id
    assert status_counts(cycle_id=later.id)["todo"] == 1


def test_list_overdue_and_due_before(org) -> None:
    today = date(2026, 11, 26)
    late = tasks.create_task(org.mia, "Late", goal=org.child.id, owner="mia", deadline="2026-11-20")
    tasks.create_task(org.mia, "Done late", goal=org.child.id, owner="mia", deadline="2026-11-19", status="done")
    soon = tasks.create_task(org.mia, "Friday", goal=org.child.id, owner="ben", deadline="2026-11-27")
    tasks.create_task(org.mia, "Later", goal=org.child.id, owner="mia", deadline="2026-12-20")
    tasks.create_task(org.mia, "Whenever", goal=org.child.id, owner="mia")
    assert [t.title for t in list_tasks(overdue_on=today)] == ["Late"]
    assert [t.title for t in list_tasks(due_before=date(2026, 11, 28))] == ["Late", "Friday", "Done late"]
    assert [t.id for t in list_tasks(due_before=date(2026, 11, 28), owner_id=org.ben.id)] == [soon.id]
    assert [t.id for t in list_tasks(overdue_on=today, due_before=date(2026, 11, 20))] == []
    assert [t.id for t in list_tasks(overdue_on=today, status="todo")] == [late.id]
