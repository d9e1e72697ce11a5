"""Milestones: adding, editing, marking done, ordering, deleting; their progress and
lateness, and how a late milestone flags its goal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrate_tui.core.errors import ConflictError, NotFoundError, PermissionDenied, ValidationError
from okrate_tui.core.models import Change, Milestone, Task
from okrate_tui.core.queries.analytics import analytics
from okrate_tui.core.queries.details import goal_detail, goal_list
from okrate_tui.core.queries.milestones import milestone_list, milestone_view, milestones_of
from okrate_tui.core.queries.tree import load_tree
from okrate_tui.core.rules.health import is_late
from okrate_tui.core.services import cycles, goals, milestones, tasks
from tests.conftest import TODAY


def _order(goal_id: int) -> list[int]:
    return [m.id for m in milestones_of(goal_id)]


def test_old_names_stay_importable_from_goals() -> None:
    assert goals.add_milestone is milestones.add_milestone
    assert goals.edit_milestone is milestones.edit_milestone
    assert goals.delete_milestone is milestones.delete_milestone


def test_added_milestones_go_last_with_a_logged_creation(org) -> None:
    first = milestones.add_milestone(org.boss, org.child.id, "Pricing approved", "2026-12-01")
    second = milestones.add_milestone(org.boss, org.child.id, "Beta live")
    third = milestones.add_milestone(org.boss, org.child.id, "  Launch  ", "2026-12-20")
    assert _order(org.child.id) == [first.id, second.id, third.id]
    assert [m.order for m in milestones_of(org.child.id)] == [1, 2, 3]
    assert second.due is None and third.title == "Launch"
    created = Change.select().where((Change.entity == "milestone") & (Change.field == "@create"))
    assert {c.entity_id for c in created} == {first.id, second.id, third.id}


def test_add_checks_its_input_and_writes_nothing_when_wrong(org) -> None:
    with pytest.raises(ValidationError) as caught:
        milestones.add_milestone(org.admin, org.child.id, "", "2026-02-30")
    assert set(caught.value.errors) == {"title", "due"}
    assert "February 2026 has 28 days" in caught.value.errors["due"]
    with pytest.raises(ValidationError, match="no goal 999"):
        milestones.add_milestone(org.admin, 999, "Nowhere")
    assert Milestone.select().count() == 0


def test_a_due_date_outside_the_cycle_is_allowed_but_not_a_mistyped_year(org) -> None:
    early = milestones.add_milestone(org.admin, org.child.id, "Kick-off", "2026-09-15")
    late = milestones.add_milestone(org.admin, org.child.id, "Review", "2027-02-01")
    assert (early.due, late.due) == (date(2026, 9, 15), date(2027, 2, 1))
    with pytest.raises(ValidationError, match=r"more than two years from 2026 Q4 .* check the year"):
        milestones.add_milestone(org.admin, org.child.id, "Typo", "2062-12-01")
    with pytest.raises(ValidationError, match="check the year"):
        milestones.edit_milestone(org.admin, early.id, None, due="2016-12-01")
    assert Milestone.select().count() == 2


def test_edit_and_done_are_version_checked_and_logged(org) -> None:
    stone = milestones.add_milestone(org.boss, org.child.id, "Beta", "2026-12-10")
    edited = milestones.edit_milestone(org.boss, stone.id, stone.version, title="Public beta", due="")
    assert (edited.title, edited.due, edited.version) == ("Public beta", None, 2)
    with pytest.raises(ConflictError, match="title"):
        milestones.edit_milestone(org.admin, stone.id, 1, title="Closed beta")
    done = milestones.set_milestone_done(org.boss, stone.id, 1)  # done was not touched since 1
    assert done.done and milestone_view(stone.id).progress == 1.0
    again = milestones.set_milestone_done(org.boss, stone.id, done.version, done=False)
    assert not again.done
    fields = [c.field for c in Change.select().where(Change.entity == "milestone").order_by(Change.id)]
    assert fields == ["@create", "title", "due", "done", "done"]
    with pytest.raises(ValidationError, match="cannot be changed here"):
        milestones.edit_milestone(org.boss, stone.id, None, goal=org.top.id)
    with pytest.raises(ValidationError, match="true or false"):
        milestones.edit_milestone(org.boss, stone.id, None, done="yes")


def test_a_member_may_not_change_an_admins_goal_milestones(org) -> None:
    stone = milestones.add_milestone(org.admin, org.top.id, "Board approves the plan")
    before = Change.select().count()
    with pytest.raises(PermissionDenied, match="@mia may not add milestones to “Grow revenue”: it is @ada's"):
        milestones.add_milestone(org.mia, org.top.id, "Sneaky")
    for action in (
        lambda: milestones.edit_milestone(org.mia, stone.id, None, title="Renamed"),
        lambda: milestones.set_milestone_done(org.mia, stone.id, None),
        lambda: milestones.move_milestone(org.mia, stone.id, None, 1),
        lambda: milestones.delete_milestone(org.mia, stone.id, None),
    ):
        with pytest.raises(PermissionDenied, match="@mia may not change milestones of “Grow revenue”"):
            action()
    assert Change.select().count() == before
    own = goals.create_goal(org.mia, "Learn the product", parent=org.child.id, owner="mia")
    mine = milestones.add_milestone(org.mia, own.id, "First demo given")
    assert milestones.add_milestone(org.boss, own.id, "Second demo").goal_id == own.id  # her manager may
    milestones.set_milestone_done(org.mia, mine.id, None)


def test_a_closed_cycle_refuses_every_change(org) -> None:
    stone = milestones.add_milestone(org.admin, org.child.id, "Beta")
    other = milestones.add_milestone(org.admin, org.child.id, "Launch")
    org.cycle.state = "closed"
    org.cycle.save()
    before = Change.select().count()
    for action in (
        lambda: milestones.add_milestone(org.admin, org.child.id, "Late addition"),
        lambda: milestones.edit_milestone(org.admin, stone.id, None, title="Renamed"),
        lambda: milestones.set_milestone_done(org.admin, stone.id, None),
        lambda: milestones.move_milestone(org.admin, other.id, None, -1),
        lambda: milestones.delete_milestone(org.admin, stone.id, None),
    ):
        with pytest.raises(ValidationError, match="2026 Q4 is closed"):
            action()
    assert Change.select().count() == before and _order(org.child.id) == [stone.id, other.id]


def test_archived_goals_take_no_new_milestones(org) -> None:
    goals.archive_goal(org.admin, org.child.id, None)
    with pytest.raises(ValidationError, match="is archived"):
        milestones.add_milestone(org.admin, org.child.id, "Beta")


def test_move_up_down_and_to_a_place(org) -> None:
    a, b, c = (milestones.add_milestone(org.admin, org.child.id, t) for t in "ABC")
    milestones.move_milestone(org.admin, c.id, None, -1)
    assert _order(org.child.id) == [a.id, c.id, b.id]
    milestones.move_milestone(org.admin, a.id, None, 1)
    assert _order(org.child.id) == [c.id, a.id, b.id]
    milestones.move_milestone(org.admin, b.id, None, to=0)
    assert _order(org.child.id) == [b.id, c.id, a.id]
    before = Change.select().count()
    unmoved = milestones.move_milestone(org.admin, b.id, None, -1)  # first already: stays
    assert unmoved.version == Milestone.get_by_id(b.id).version and Change.select().count() == before
    milestones.move_milestone(org.admin, b.id, None, 10)  # past the end: last
    assert _order(org.child.id) == [c.id, a.id, b.id]
    with pytest.raises(ValidationError, match="say how far"):
        milestones.move_milestone(org.admin, b.id, None)
    with pytest.raises(ValidationError, match="say how far"):
        milestones.move_milestone(org.admin, b.id, None, 1, to=0)
    other = milestones.add_milestone(org.admin, org.top.id, "Elsewhere")
    assert _order(org.top.id) == [other.id]  # each goal has its own order


def test_a_move_conflicts_only_with_another_move(org) -> None:
    a, b = (milestones.add_milestone(org.admin, org.child.id, t) for t in "AB")
    seen = b.version
    milestones.edit_milestone(org.boss, b.id, None, title="B renamed")
    milestones.move_milestone(org.admin, b.id, seen, -1)  # only the title changed since
    assert _order(org.child.id) == [b.id, a.id]
    with pytest.raises(ConflictError, match="position"):
        milestones.move_milestone(org.boss, b.id, seen, 1)


def test_positions_squeezed_together_are_renumbered(org) -> None:
    stones = [milestones.add_milestone(org.admin, org.child.id, t) for t in "ABCD"]
    Milestone.update(position=1.0).execute()  # as an import of old data could leave them
    milestones.move_milestone(org.admin, stones[3].id, None, to=1)
    assert _order(org.child.id) == [stones[0].id, stones[3].id, stones[1].id, stones[2].id]
    positions = [m.position for m in Milestone.select().order_by(Milestone.position)]
    assert len(set(positions)) == 4


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    moves=st.lists(
        st.tuples(st.integers(0, 4), st.one_of(st.integers(-6, 6).filter(bool), st.none()), st.integers(-1, 6)),
        max_size=25,
    )
)
def test_any_moves_keep_a_permutation_and_land_where_asked(org, moves) -> None:
    Milestone.delete().execute()
    made = [milestones.add_milestone(org.admin, org.child.id, f"Step {i}").id for i in range(5)]
    expected = list(made)
    for which, offset, place in moves:
        ident = made[which]
        here = expected.index(ident)
        if offset is not None:
            milestones.move_milestone(org.admin, ident, None, offset)
            there = max(0, min(4, here + offset))
        else:
            milestones.move_milestone(org.admin, ident, None, to=place)
            there = max(0, min(4, place))
        expected.remove(ident)
        expected.insert(there, ident)
        assert _order(org.child.id) == expected
    assert sorted(_order(org.child.id)) == sorted(made)


def test_delete_keeps_the_tasks_with_the_goal(org) -> None:
    stone = milestones.add_milestone(org.boss, org.child.id, "Beta")
    first = tasks.create_task(org.mia, "Invite testers", milestone=stone.id)
    second = tasks.create_task(org.mia, "Write the FAQ", milestone=stone.id)
    with pytest.raises(ConflictError):
        milestones.delete_milestone(org.boss, stone.id, stone.version + 1)
    copy = milestones.delete_milestone(org.boss, stone.id, stone.version)
    assert copy["title"] == "Beta" and copy["goal"] == org.child.id
    for task in (first, second):
        kept = Task.get_by_id(task.id)
        assert (kept.goal_id, kept.milestone_id) == (org.child.id, None)
    assert Change.select().where((Change.entity == "milestone") & (Change.field == "@delete")).count() == 1
    with pytest.raises(NotFoundError):
        milestone_view(stone.id)


def test_progress_comes_from_done_or_from_the_tasks(org) -> None:
    stone = milestones.add_milestone(org.admin, org.child.id, "Beta", "2026-12-10")
    empty = milestones.add_milestone(org.admin, org.child.id, "Launch", "2026-12-20")
    made = [tasks.create_task(org.mia, f"Task {i}", milestone=stone.id) for i in range(4)]
    tasks.complete_task(org.mia, made[0].id, None)
    view = milestone_view(stone.id)
    assert (view.tasks, view.tasks_done, view.progress) == (4, 1, 0.25)
    assert milestone_view(empty.id).progress == 0.0
    breakdown = {p.id: p.progress for p in goal_detail(org.child.id).breakdown if p.kind == "milestone"}
    assert breakdown == {stone.id: view.progress, empty.id: 0.0}  # the same rule as the roll-up
    milestones.set_milestone_done(org.admin, empty.id, None)
    assert milestone_view(empty.id).progress == 1.0


def test_late_means_past_due_and_not_reached() -> None:
    yesterday = TODAY - timedelta(days=1)
    assert is_late(yesterday, 0.5, TODAY)
    assert not is_late(TODAY, 0.0, TODAY)  # due today is not late yet
    assert not is_late(yesterday, 1.0, TODAY)  # done, or every task done
    assert not is_late(None, 0.0, TODAY)


def test_a_late_milestone_flags_its_goal_everywhere(org) -> None:
    late = milestones.add_milestone(org.boss, org.child.id, "Pricing approved", "2026-11-20")
    milestones.add_milestone(org.boss, org.child.id, "Beta", "2026-12-10")
    milestones.add_milestone(org.boss, org.child.id, "Kick-off", "2026-10-05")
    kick_off = milestones_of(org.child.id)[2]
    milestones.set_milestone_done(org.boss, kick_off.id, None)
    views = milestones_of(org.child.id)
    assert [m.late for m in views] == [True, False, False]
    detail = goal_detail(org.child.id)
    assert "late_milestone" in detail.health
    assert [m.late for m in detail.milestones] == [True, False, False]
    listed = {g["id"]: g for g in goal_list(org.cycle.id)}
    assert (listed[org.child.id]["late_milestones"], listed[org.top.id]["late_milestones"]) == (1, 0)
    tree = load_tree(org.cycle.id, TODAY)
    assert tree.line(org.child.id).late_milestones == 1
    rows = {g.id: g for g in analytics(org.cycle.id, TODAY).goals}
    assert rows[org.child.id].late_milestones == 1
    milestones.set_milestone_done(org.boss, late.id, None)
    assert "late_milestone" not in goal_detail(org.child.id).health
    assert load_tree(org.cycle.id, TODAY).line(org.child.id).late_milestones == 0


def test_a_tree_patch_sees_a_milestone_become_late(org) -> None:
    from okrate_tui.core.queries.tree import tree_patch

    stone = milestones.add_milestone(org.boss, org.child.id, "Beta", "2026-12-10")
    tree = load_tree(org.cycle.id, TODAY)
    assert tree.line(org.child.id).late_milestones == 0
    milestones.edit_milestone(org.boss, stone.id, None, due="2026-11-01")
    tree.patch(tree_patch(org.cycle.id, TODAY, info=set(), parts={org.child.id}, work=set()))
    assert tree.line(org.child.id).late_milestones == 1


def test_milestone_list_by_goal_and_cycle(org) -> None:
    a = milestones.add_milestone(org.admin, org.top.id, "Plan approved", "2026-10-20")
    b = milestones.add_milestone(org.admin, org.child.id, "Beta")
    c = milestones.add_milestone(org.admin, org.child.id, "Launch")
    milestones.move_milestone(org.admin, c.id, None, -1)
    assert [m.id for m in milestone_list(cycle_id=org.cycle.id)] == [a.id, c.id, b.id]
    assert [m.id for m in milestone_list(goal_id=org.child.id)] == [c.id, b.id]
    shown = milestone_list(goal_id=org.top.id)[0].as_dict()
    assert list(shown) == [
        "id",
        "goal_id",
        "goal",
        "title",
        "due",
        "done",
        "order",
        "tasks",
        "tasks_done",
        "carried_done",
        "progress",
        "late",
        "version",
    ]
    assert (shown["goal"], shown["due"], shown["late"]) == ("Grow revenue", "2026-10-20", True)
    other = cycles.create_cycle(org.admin, "2027 Q1", "2027-01-01", "2027-03-31")
    assert milestone_list(cycle_id=other.id) == []
    goals.archive_goal(org.admin, org.child.id, None)
    assert [m.id for m in milestone_list(cycle_id=org.cycle.id)] == [a.id]
    assert len(milestone_list(cycle_id=org.cycle.id, archived=True)) == 3
    assert len(milestone_list(goal_id=org.child.id)) == 2  # a named goal shows its own


def test_carried_over_milestones_keep_their_order(org) -> None:
    from okrate_tui.core.models import Goal
    from okrate_tui.core.services.carry_over import close_cycle

    for title in ("Beta", "Launch", "Review"):
        last = milestones.add_milestone(org.admin, org.child.id, title)
    milestones.move_milestone(org.admin, last.id, None, to=0)
    cycles.advance_cycle(org.admin, org.cycle.id, None)
    close_cycle(org.admin, org.cycle.id, None, carry="copy", early=True)
    copy = Goal.get((Goal.title == "Win accounts") & (Goal.cycle != org.cycle.id))
    assert [m.title for m in milestones_of(copy.id)] == ["Review", "Beta", "Launch"]
