"""Goal, milestone, key-result and cycle services, and the goal read side."""

from __future__ import annotations

from datetime import date

import pytest

from okrate_tui.core import clock
from okrate_tui.core.errors import ConflictError, PermissionDenied, ValidationError
from okrate_tui.core.models import Change, CheckIn, Goal, KeyResult, Task
from okrate_tui.core.queries.details import goal_detail, goal_list
from okrate_tui.core.queries.goals import execution_all, goal_figures, rollup_all
from okrate_tui.core.queries.tree import load_tree
from okrate_tui.core.services import cycles, goals, key_results, people, tasks
from tests.conftest import TODAY


def test_levels_follow_the_parent(org) -> None:
    grandchild = goals.create_goal(org.mia, "Call ten leads", parent=org.child.id, owner="mia")
    assert (org.top.level, org.child.level, grandchild.level) == ("company", "team", "individual")
    assert grandchild.cycle_id == org.cycle.id
    assert grandchild.team_id == org.team.id  # from the owner


def test_goal_validation(org) -> None:
    with pytest.raises(ValidationError) as caught:
        goals.create_goal(
            org.admin,
            "",
            parent=999,
            owner="ghost",
            weight="0",
            starts="2026-12-01",
            due="2026-11-01",
        )
    assert set(caught.value.errors) >= {"title", "parent", "owner", "weight"}
    with pytest.raises(ValidationError, match="before the start"):
        goals.create_goal(org.admin, "Dates", starts="2026-12-01", due="2026-11-01")


def test_move_goal_keeps_the_tree_a_tree(org) -> None:
    leaf = goals.create_goal(org.mia, "Leaf", parent=org.child.id, owner="mia")
    with pytest.raises(ValidationError, match="under itself"):
        goals.move_goal(org.admin, org.child.id, None, leaf.id)
    with pytest.raises(ValidationError, match="under itself"):
        goals.move_goal(org.admin, org.child.id, None, org.child.id)
    moved = goals.move_goal(org.admin, leaf.id, leaf.version, org.top.id)
    assert moved.parent_id == org.top.id
    top_level = goals.move_goal(org.admin, leaf.id, None, None)
    assert top_level.parent_id is None


def test_move_across_cycles_is_refused(org) -> None:
    other = cycles.create_cycle(org.admin, "2027 Q1", "2027-01-01", "2027-03-31")
    elsewhere = goals.create_goal(org.admin, "Next year", cycle=other.id)
    with pytest.raises(ValidationError, match="another cycle"):
        goals.move_goal(org.admin, org.child.id, None, elsewhere.id)


def test_archive_and_restore(org) -> None:
    key_results.add_key_result(org.admin, org.child.id, "Accounts", target=10, current=10)
    key_results.add_key_result(org.admin, org.top.id, "Revenue", target=100, current=0)
    assert goal_figures(org.top.id, TODAY)[0].progress == pytest.approx(0.5)
    goals.archive_goal(org.admin, org.child.id, None)
    assert goal_figures(org.top.id, TODAY)[0].progress == 0.0
    assert [g["id"] for g in goal_list(org.cycle.id)] == [org.top.id]
    assert len(goal_list(org.cycle.id, archived=True)) == 2
    goals.archive_goal(org.admin, org.child.id, None, archived=False)
    assert goal_figures(org.top.id, TODAY)[0].progress == pytest.approx(0.5)


def test_cannot_restore_under_an_archived_parent(org) -> None:
    goals.archive_goal(org.admin, org.child.id, None)
    goals.archive_goal(org.admin, org.top.id, None)
    with pytest.raises(ValidationError, match="restore its parent"):
        goals.archive_goal(org.admin, org.child.id, None, archived=False)


def test_status_by_hand_and_back_to_pace(org) -> None:
    goals.set_goal_status(org.admin, org.child.id, None, "at_risk")
    assert goal_detail(org.child.id).status == "at_risk"
    goals.set_goal_status(org.admin, org.child.id, None, None)
    assert goal_detail(org.child.id).manual_status is None
    with pytest.raises(ValidationError, match="is not one of"):
        goals.set_goal_status(org.admin, org.child.id, None, "great")


def test_goal_edit_conflict(org) -> None:
    goals.edit_goal(org.admin, org.child.id, 1, title="Win twenty accounts")
    with pytest.raises(ConflictError):
        goals.edit_goal(org.boss, org.child.id, 1, title="Win thirty accounts")
    goals.edit_goal(org.boss, org.child.id, 1, weight=2)
    assert Goal.get_by_id(org.child.id).weight == 2.0


def test_key_results_and_check_ins(org) -> None:
    kr = key_results.add_key_result(org.admin, org.child.id, "Latency", baseline=900, target=300, unit="ms")
    assert kr.direction == "decrease" and kr.current == 900
    key_results.check_in(org.boss, kr.id, 600, confidence="0.8", note="Cache shipped")
    assert KeyResult.get_by_id(kr.id).current == 600
    detail = goal_detail(org.child.id)
    assert detail.key_results[0].progress == pytest.approx(0.5)
    assert detail.key_results[0].last_check_in.by == "max"
    assert detail.key_results[0].last_check_in.note == "Cache shipped"
    with pytest.raises(ValidationError) as caught:
        key_results.check_in(org.boss, kr.id, "fast", confidence="250")
    assert set(caught.value.errors) == {"value", "confidence"}
    assert CheckIn.select().count() == 1


def test_key_result_shapes(org) -> None:
    with pytest.raises(ValidationError, match="equals the baseline"):
        key_results.add_key_result(org.admin, org.child.id, "Flat", baseline=0, target=0)
    with pytest.raises(ValidationError, match="above the baseline"):
        key_results.add_key_result(org.admin, org.child.id, "Up", baseline=10, target=5, direction="increase")
    binary = key_results.add_key_result(org.admin, org.child.id, "Launched", kind="binary", target="")
    assert (binary.baseline, binary.target) == (0.0, 1.0)
    with pytest.raises(ValidationError, match="0 \\(not done\\) or 1"):
        key_results.check_in(org.admin, binary.id, 0.5)
    with pytest.raises(ValidationError, match="changes by check-in"):
        key_results.update_key_result(org.admin, binary.id, None, current=1)
    updated = key_results.update_key_result(org.admin, binary.id, None, title="Launched v2", weight=3)
    assert (updated.title, updated.weight) == ("Launched v2", 3.0)


def test_rollup_breakdown_explains_the_number(org) -> None:
    key_results.add_key_result(org.admin, org.top.id, "Revenue", target=100, current=80, weight=3)
    key_results.add_key_result(org.admin, org.child.id, "Accounts", target=10, current=2)
    goals.add_milestone(org.admin, org.child.id, "Pricing approved")
    detail = goal_detail(org.top.id)
    parts = {(p.kind, p.title): p for p in detail.breakdown}
    assert parts[("goal", "Win accounts")].progress == pytest.approx(0.2)  # its milestone is execution, not outcome
    assert detail.progress == pytest.approx((3 * 0.8 + 0.2) / 4, abs=1e-4)
    assert sum(p.contribution for p in detail.breakdown) == pytest.approx(detail.progress, abs=1e-3)
    child = goal_detail(org.child.id)
    assert (child.basis, [p.title for p in child.breakdown], [p.title for p in child.plan]) == (
        "outcome",
        ["Accounts"],
        ["Pricing approved"],
    )


def test_milestones(org) -> None:
    stone = goals.add_milestone(org.admin, org.child.id, "Beta", "2026-12-10")
    task = tasks.create_task(org.mia, "Invite testers", milestone=stone.id)
    tasks.complete_task(org.mia, task.id, None)
    parts = goal_figures(org.child.id, TODAY)[0].parts
    assert [(p.kind, p.progress) for p in parts] == [("milestone", 1.0)]
    goals.edit_milestone(org.admin, stone.id, None, title="Public beta", due="2026-12-15")
    with pytest.raises(ValidationError):
        goals.edit_milestone(org.admin, stone.id, None, due="2026-12-32")
    goals.delete_milestone(org.admin, stone.id, None)
    assert Task.get_by_id(task.id).milestone_id is None
    assert Change.select().where((Change.entity == "task") & (Change.field == "milestone")).count() == 1


def test_execution_metrics_roll_up(org) -> None:
    leaf = goals.create_goal(org.mia, "Leaf", parent=org.child.id, owner="mia")
    tasks.create_task(org.mia, "overdue", goal=leaf.id, deadline="2026-11-01", owner="mia", priority="low")
    tasks.create_task(org.mia, "unowned", goal=org.child.id)
    done = tasks.create_task(org.mia, "done", goal=org.top.id, deadline="2026-11-01")
    tasks.complete_task(org.mia, done.id, None)
    every = execution_all(org.cycle.id, TODAY)
    top = every[org.top.id]
    assert (top.total, top.done, top.overdue, top.unowned, top.no_deadline) == (3, 1, 1, 1, 1)
    assert every[org.child.id].total == 2
    assert goal_figures(org.child.id, TODAY)[1] == every[org.child.id]
    assert set(rollup_all(org.cycle.id)) == {org.top.id, org.child.id, leaf.id}


def test_goal_health(org) -> None:
    assert goal_detail(org.child.id).health == ("no_key_results", "no_tasks")


def test_cycles(org) -> None:
    with pytest.raises(ValidationError) as caught:
        cycles.create_cycle(org.admin, "2026 Q4", "2027-01-01", "2026-12-31")
    assert set(caught.value.errors) == {"name", "ends"}
    nxt = cycles.create_cycle(org.admin, "2027 Q1", "2027-01-01", "2027-03-31")
    assert nxt.state == "planning"
    with pytest.raises(ValidationError, match="one step at a time"):
        cycles.set_cycle_state(org.admin, nxt.id, None, "review")
    assert cycles.advance_cycle(org.admin, nxt.id, None).state == "active"
    assert cycles.current_cycle().id == org.cycle.id  # today lies in 2026 Q4
    with pytest.raises(PermissionDenied):
        cycles.create_cycle(org.mia, "2027 Q2", "2027-04-01", "2027-06-30")
    renamed = cycles.edit_cycle(org.admin, nxt.id, None, name="2027 first quarter")
    assert renamed.name == "2027 first quarter"


def test_people(org) -> None:
    with pytest.raises(ValidationError, match="taken"):
        people.create_person(org.admin, "mia", "Another Mia")
    with pytest.raises(ValidationError, match="reports to"):
        people.edit_person(org.admin, org.boss.id, None, manager="mia")
    with pytest.raises(PermissionDenied, match="last admin"):
        people.edit_person(org.admin, org.admin.id, None, role="member")
    renamed = people.edit_person(org.mia, org.mia.id, None, name="Mia M.")
    assert renamed.name == "Mia M."
    with pytest.raises(PermissionDenied):
        people.edit_person(org.mia, org.mia.id, None, role="admin")


def test_first_person_is_an_admin(db) -> None:
    first = people.create_person(None, "solo", "Solo Founder", role="member")
    assert first.role == "admin"
    with pytest.raises(PermissionDenied):
        people.create_person(None, "second", "Second")


def test_who_may_change_a_goal(org) -> None:
    from okrate_tui.core.errors import PermissionDenied

    mine = goals.create_goal(org.mia, "My own goal", parent=org.child.id, owner="mia")
    goals.edit_goal(org.mia, mine.id, None, title="My own goal, renamed")  # the owner
    goals.edit_goal(org.boss, mine.id, None, weight=2)  # her manager
    goals.edit_goal(org.admin, mine.id, None, weight=3)  # an admin
    with pytest.raises(PermissionDenied, match="@ben may not edit “My own goal, renamed”: it is @mia's"):
        goals.edit_goal(org.ben, mine.id, None, title="Taken over")
    with pytest.raises(PermissionDenied):
        goals.archive_goal(org.mia, org.top.id, None)  # the company goal is Ada's
    with pytest.raises(PermissionDenied, match="top-level goals need a manager"):
        goals.create_goal(org.mia, "A company goal of my own", owner="mia")
    with pytest.raises(PermissionDenied):
        goals.create_goal(org.ben, "For Mia", parent=mine.id, owner="mia")
    kr = key_results.add_key_result(org.mia, mine.id, "Calls", target=10)
    key_results.check_in(org.mia, kr.id, 4)
    with pytest.raises(PermissionDenied):
        key_results.check_in(org.ben, kr.id, 9)
    tasks.create_task(org.ben, "Help Mia", goal=mine.id)  # tasks are shared work


def test_a_closed_cycle_is_read_only(org) -> None:
    kr = key_results.add_key_result(org.admin, org.top.id, "Revenue", target=100)
    task = tasks.create_task(org.admin, "Close the books", goal=org.top.id)
    from okrate_tui.core.services.carry_over import close_cycle

    cycles.advance_cycle(org.admin, org.cycle.id, None)  # active -> review
    close_cycle(org.admin, org.cycle.id, None, carry="none", early=True)
    for attempt in (
        lambda: key_results.check_in(org.admin, kr.id, 50),
        lambda: goals.edit_goal(org.admin, org.top.id, None, title="Rewritten history"),
        lambda: goals.create_goal(org.admin, "Late addition", parent=org.top.id),
        lambda: tasks.create_task(org.admin, "Late task", goal=org.top.id),
        lambda: tasks.move_task(org.admin, task.id, None, "done"),
    ):
        with pytest.raises(ValidationError, match="2026 Q4 is closed"):
            attempt()
    assert Task.get_by_id(task.id).status == "todo"


def _before_the_cycle(org_day: date = date(2026, 9, 20)):
    """A cycle from October to December and a goal at 36% made before it started."""
    clock.freeze(org_day)
    admin = people.create_person(None, "ada", "Ada Admin")
    people.create_person(admin, "max", "Max Manager", role="manager", manager="ada")
    cycle = cycles.create_cycle(admin, "2026 Q4", "2026-10-01", "2026-12-31", state="active")
    top = goals.create_goal(admin, "Grow revenue", owner="ada")
    old = goals.create_goal(admin, "Win accounts", parent=top.id, owner="max")
    kr = key_results.add_key_result(admin, old.id, "Accounts won", target=100)
    key_results.check_in(admin, kr.id, 36)
    return admin, cycle, top, old


def test_a_goal_made_on_dec_1_starts_its_pace_that_day(db) -> None:
    admin, cycle, top, old = _before_the_cycle()
    assert (Goal.get_by_id(top.id).starts, Goal.get_by_id(old.id).starts) == (None, None)  # the cycle's start
    clock.freeze(date(2026, 12, 1))
    before = load_tree(cycle.id, date(2026, 12, 1)).line(top.id)
    assert (before.status, round(before.expected, 3)) == ("at_risk", round(62 / 92, 3))
    new = goals.create_goal(admin, "Open the Lisbon office", parent=top.id, owner="max")
    key_results.add_key_result(admin, new.id, "Desks in use", target=10)
    assert Goal.get_by_id(new.id).starts == date(2026, 12, 1)
    detail = goal_detail(new.id, date(2026, 12, 1))
    assert (detail.status, detail.behind, detail.expected) == ("on_track", False, round(1 / 31, 4))
    tree = load_tree(cycle.id, date(2026, 12, 1))
    line = tree.line(new.id)
    assert (line.status, line.behind, line.expected) == ("on_track", False, pytest.approx(1 / 31))
    parent = tree.line(top.id)
    assert parent.status == "at_risk"  # not dragged to off track by a goal born a minute ago
    assert parent.expected == pytest.approx((62 / 92 + 1 / 31) / 2)
    assert goal_detail(top.id, date(2026, 12, 1)).expected == round(parent.expected, 4)
    unmeasured = goals.create_goal(admin, "Nothing measured yet", parent=top.id, owner="max")
    again = load_tree(cycle.id, date(2026, 12, 1))
    assert again.line(unmeasured.id).status == "unmeasured"
    assert (again.line(top.id).status, again.line(top.id).expected) == ("at_risk", pytest.approx(parent.expected))


def test_an_explicit_start_wins_and_stays_editable(db) -> None:
    admin, _cycle, top, _ = _before_the_cycle()
    clock.freeze(date(2026, 12, 1))
    given = goals.create_goal(admin, "Backdated", parent=top.id, starts="2026-10-15")
    assert Goal.get_by_id(given.id).starts == date(2026, 10, 15)
    made = goals.create_goal(admin, "Today", parent=top.id)
    goals.edit_goal(admin, made.id, None, starts="2026-11-01")
    assert Goal.get_by_id(made.id).starts == date(2026, 11, 1)
    goals.edit_goal(admin, made.id, None, starts="")
    assert Goal.get_by_id(made.id).starts is None  # back to the cycle's start
    ended = goals.create_goal(admin, "Due already", parent=top.id, due="2026-11-30")
    assert Goal.get_by_id(ended.id).starts is None  # made after its own end: no start after it


def test_a_goal_made_before_its_cycle_starts_uses_the_cycle_start(db) -> None:
    admin, cycle, _, _ = _before_the_cycle()
    clock.freeze(date(2026, 9, 25))
    early = goals.create_goal(admin, "Planned ahead", cycle=cycle.id)
    assert Goal.get_by_id(early.id).starts is None
    assert load_tree(cycle.id, date(2026, 10, 1)).line(early.id).expected == pytest.approx(1 / 92)


def test_a_tree_patched_after_a_date_change_agrees_with_a_fresh_read(db) -> None:
    from okrate_tui.core.queries.tree import tree_patch

    admin, cycle, top, old = _before_the_cycle()
    today = date(2026, 12, 1)
    clock.freeze(today)
    tree = load_tree(cycle.id, today)
    goals.edit_goal(admin, old.id, None, starts="2026-11-15")
    tree.patch(tree_patch(cycle.id, today, info={old.id}, parts=set(), work=set()))
    fresh = load_tree(cycle.id, today)
    for gid in (top.id, old.id):
        assert tree.line(gid).expected == pytest.approx(fresh.line(gid).expected)
        assert tree.line(gid).status == fresh.line(gid).status
