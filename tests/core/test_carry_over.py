"""Closing a cycle: carried goals start where they stood, deadlines, truthful statuses,
and the question asked before closing early."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrate_tui.core import clock
from okrate_tui.core.errors import NeedsConfirmation, ValidationError
from okrate_tui.core.models import Change, CheckIn, Cycle, Goal, KeyResult, Milestone, Task
from okrate_tui.core.queries.details import goal_detail
from okrate_tui.core.queries.goals import goal_figures
from okrate_tui.core.queries.tree import load_tree
from okrate_tui.core.services import cycles, goals, key_results, tasks
from okrate_tui.core.services.carry_over import close_cycle, close_preview
from tests.conftest import TODAY

LAST_DAY = date(2026, 12, 31)


@pytest.fixture
def closing(org) -> SimpleNamespace:
    """The small organisation's cycle in review, with a goal part-way there: a key result
    at 40 of 100, a milestone done and one open, and open tasks due before and after the
    next cycle starts."""
    leaf = goals.create_goal(org.boss, "Launch the beta", parent=org.child.id, owner="max")
    kr = key_results.add_key_result(org.boss, leaf.id, "Beta users", target=100)
    key_results.check_in(org.boss, kr.id, 40, confidence="0.7", note="Slow week")
    done_stone = goals.add_milestone(org.boss, leaf.id, "Pricing approved", "2026-11-01")
    goals.edit_milestone(org.boss, done_stone.id, None, done=True)
    open_stone = goals.add_milestone(org.boss, leaf.id, "Beta shipped", "2026-12-15")
    late = tasks.create_task(org.mia, "Invite testers", milestone=open_stone.id, owner="mia", deadline="2026-11-20")
    later = tasks.create_task(org.mia, "Plan the launch party", goal=leaf.id, owner="mia", deadline="2027-01-20")
    undated = tasks.create_task(org.ben, "Write the FAQ", goal=leaf.id, owner="ben")
    cycles.advance_cycle(org.admin, org.cycle.id, None)
    return SimpleNamespace(
        **vars(org), leaf=leaf, kr=kr, open_stone=open_stone, late=late, later=later, undated=undated
    )


def _on_last_day() -> None:
    clock.freeze(LAST_DAY)


def _copy_of(goal: Goal) -> Goal:
    nxt = Cycle.get(Cycle.name == "2027 Q1")
    return Goal.get((Goal.cycle == nxt.id) & (Goal.title == goal.title))


@pytest.mark.parametrize("mode", ["copy", "move"])
def test_a_carried_goal_starts_the_new_cycle_where_it_stood(closing, mode) -> None:
    _on_last_day()
    at_close = goal_figures(closing.leaf.id, LAST_DAY)[0].progress
    assert at_close == pytest.approx(0.4)  # the key result; its milestones are its execution
    close_cycle(closing.admin, closing.cycle.id, None, carry=mode)
    copy = _copy_of(closing.leaf)
    assert goal_figures(copy.id, LAST_DAY)[0].progress == pytest.approx(at_close)
    stones = {m.title: m.done for m in Milestone.select().where(Milestone.goal == copy.id)}
    assert stones == {"Pricing approved": True, "Beta shipped": False}
    if mode == "copy":
        carried = Task.get((Task.cycle != closing.cycle.id) & (Task.title == "Invite testers"))
    else:
        carried = Task.get_by_id(closing.late.id)
    assert carried.milestone_id == Milestone.get((Milestone.goal == copy.id) & (Milestone.title == "Beta shipped")).id


def test_a_carried_key_result_says_where_its_value_came_from(closing) -> None:
    _on_last_day()
    close_cycle(closing.admin, closing.cycle.id, None)
    copy = KeyResult.get(KeyResult.goal == _copy_of(closing.leaf).id)
    assert (copy.baseline, copy.current, copy.target) == (0, 40, 100)
    entries = list(CheckIn.select().where(CheckIn.key_result == copy.id))
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.value, entry.confidence, entry.author_id) == (40, 0.7, closing.admin.id)
    assert entry.note == "Carried over from 2026 Q4 at 40 (its last check-in there: 2026-11-26 by @max)"
    assert closing.kr.check_ins.count() == 1  # the old cycle's history is untouched


@given(
    values=st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=3),
    done=st.lists(st.booleans(), max_size=3),
)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_progress_at_close_is_progress_in_the_new_cycle(org, values, done) -> None:
    """Whatever a goal's key results and milestones stand at, its copy starts there."""
    clock.freeze(TODAY)
    cycle = cycles.create_cycle(org.admin, f"Run {Cycle.select().count()}", "2026-07-01", "2026-09-30")
    goal = goals.create_goal(org.admin, "Measured", cycle=cycle.id, owner="ada")
    for index, value in enumerate(values):
        kr = key_results.add_key_result(org.admin, goal.id, f"Result {index}", target=100)
        key_results.check_in(org.admin, kr.id, value)
    for index, flag in enumerate(done):
        stone = goals.add_milestone(org.admin, goal.id, f"Step {index}")
        goals.edit_milestone(org.admin, stone.id, None, done=flag)
    cycles.advance_cycle(org.admin, cycle.id, None)
    cycles.advance_cycle(org.admin, cycle.id, None)
    at_close = goal_figures(goal.id, TODAY)[0].progress
    summary = close_cycle(org.admin, cycle.id, None)
    if at_close >= 1.0:
        assert summary.goals == 0  # a finished goal is not carried
        return
    copy = Goal.get((Goal.title == "Measured") & (Goal.cycle != cycle.id) & (Goal.id > goal.id))
    assert goal_figures(copy.id, TODAY)[0].progress == pytest.approx(at_close)


def test_deadlines_that_would_open_the_next_cycle_overdue_can_move(closing) -> None:
    _on_last_day()
    preview = close_preview(closing.cycle.id, LAST_DAY)
    assert (preview.into, preview.creates_cycle, preview.goals, preview.tasks) == ("2027 Q1", True, 3, 3)
    assert (preview.stale_deadlines, preview.deadlines_to, preview.early) == (1, date(2027, 1, 7), None)
    assert preview.deadline_question() == (
        "1 carried task would start 2027 Q1 overdue: move its deadline to 7 Jan, the end of its first week?"
    )
    summary = close_cycle(closing.admin, closing.cycle.id, None, move_deadlines=True)
    nxt = Cycle.get(Cycle.name == "2027 Q1")
    copied = {t.title: t.deadline for t in Task.select().where(Task.cycle == nxt.id)}
    assert copied == {
        "Invite testers": date(2027, 1, 7),
        "Plan the launch party": date(2027, 1, 20),
        "Write the FAQ": None,
    }
    assert Task.get_by_id(closing.late.id).deadline == date(2026, 11, 20)  # the original keeps its record
    assert summary.deadlines_moved == 1 and "1 deadline moved to 7 Jan." in summary.describe()
    copy = _copy_of(closing.leaf)
    dues = {m.title: (m.due, m.done) for m in copy.milestones}
    assert dues == {  # the open milestone would start the cycle late too; a reached one keeps its date
        "Beta shipped": (date(2027, 1, 7), False),
        "Pricing approved": (date(2026, 11, 1), True),
    }


def test_moved_tasks_log_their_moved_deadlines(closing) -> None:
    _on_last_day()
    close_cycle(closing.admin, closing.cycle.id, None, carry="move", move_deadlines=True)
    moved = Task.get_by_id(closing.late.id)
    assert moved.deadline == date(2027, 1, 7) and moved.version == closing.late.version + 1
    logged = {
        c.field: (c.old, c.new)
        for c in Change.select().where((Change.entity == "task") & (Change.entity_id == moved.id))
        if c.version == moved.version
    }
    assert logged["deadline"] == ("2026-11-20", "2027-01-07")
    assert set(logged) == {"goal", "cycle", "milestone", "deadline"}
    assert Task.get_by_id(closing.later.id).deadline == date(2027, 1, 20)


def test_deadlines_stay_unless_asked(closing) -> None:
    _on_last_day()
    summary = close_cycle(closing.admin, closing.cycle.id, None)
    copy = Task.get((Task.title == "Invite testers") & (Task.id != closing.late.id))
    assert copy.deadline == date(2026, 11, 20) and summary.deadlines_moved == 0
    assert "deadline" not in summary.describe()


def test_originals_read_as_carried_over_not_set_by_hand(closing) -> None:
    _on_last_day()
    goals.set_goal_status(closing.admin, closing.child.id, None, "at_risk")  # in progress, by a person
    finished = goals.create_goal(closing.admin, "Dropped idea", parent=closing.top.id)
    goals.set_goal_status(closing.admin, finished.id, None, "dropped")
    close_cycle(closing.admin, closing.cycle.id, None)
    for goal in (closing.leaf, closing.child, closing.top):
        stored = Goal.get_by_id(goal.id)
        assert (stored.status, stored.status_reason) == ("missed", "carried over to 2027 Q1")
    dropped = Goal.get_by_id(finished.id)
    assert (dropped.status, dropped.status_reason) == ("dropped", "")  # a finished goal keeps its status
    detail = goal_detail(closing.leaf.id, LAST_DAY)
    assert (detail.status, detail.manual_status, detail.status_reason) == (
        "missed",
        "missed",
        "carried over to 2027 Q1",
    )
    assert detail.as_dict()["status_reason"] == "carried over to 2027 Q1"
    line = load_tree(closing.cycle.id, LAST_DAY).line(closing.leaf.id)
    assert line.status_reason == "carried over to 2027 Q1"
    cycles.reopen_cycle(closing.admin, closing.cycle.id, None)
    goals.set_goal_status(closing.admin, closing.leaf.id, None, "missed")  # a person says so now
    assert goal_detail(closing.leaf.id, LAST_DAY).status_reason == ""


def test_closing_without_carry_marks_unfinished_goals_missed_at_close(closing) -> None:
    _on_last_day()
    summary = close_cycle(closing.admin, closing.cycle.id, None, carry="none")
    assert summary.describe() == "2026 Q4 is closed; nothing was carried over (3 unfinished goals marked missed)"
    stored = Goal.get_by_id(closing.leaf.id)
    assert (stored.status, stored.status_reason) == ("missed", "missed at close")


def test_closing_before_the_end_date_asks_first_and_writes_nothing(closing) -> None:
    before = (Change.select().count(), Goal.select().count(), Cycle.select().count())
    with pytest.raises(NeedsConfirmation) as asked:
        close_cycle(closing.admin, closing.cycle.id, None)
    assert asked.value.question == "2026 Q4 ends on 31 Dec, 35 days from now: close it anyway?"
    assert (Change.select().count(), Goal.select().count(), Cycle.select().count()) == before
    assert Cycle.get_by_id(closing.cycle.id).state == "review"
    assert close_preview(closing.cycle.id, TODAY).early == asked.value.question
    summary = close_cycle(closing.admin, closing.cycle.id, None, early=True)
    assert summary.into == "2027 Q1" and Cycle.get_by_id(closing.cycle.id).state == "closed"


def test_a_cycle_closes_from_review_and_says_so_in_a_sentence(org) -> None:
    with pytest.raises(ValidationError) as refused:
        close_cycle(org.admin, org.cycle.id, None, early=True)
    assert refused.value.errors["state"] == "2026 Q4 is active: a cycle closes from review"


def test_the_summary_counts_in_words(closing) -> None:
    _on_last_day()
    summary = close_cycle(closing.admin, closing.cycle.id, None)
    assert summary.describe() == (
        "2026 Q4 is closed. Into 2027 Q1 (made now): 3 unfinished goals with 1 key result and 2 milestones; "
        "3 open tasks copied. Every carried goal starts 2027 Q1 where it stood."
    )


def test_a_large_carried_value_reads_as_people_write_it(closing) -> None:
    _on_last_day()
    revenue = key_results.add_key_result(closing.admin, closing.top.id, "Revenue", target=5_000_000, unit="EUR")
    key_results.check_in(closing.admin, revenue.id, 1_800_000)
    close_cycle(closing.admin, closing.cycle.id, None)
    copy = KeyResult.get((KeyResult.title == "Revenue") & (KeyResult.id != revenue.id))
    assert CheckIn.get(CheckIn.key_result == copy.id).note.startswith("Carried over from 2026 Q4 at 1,800,000 (")


def test_undo_never_writes_into_a_closed_cycle(closing) -> None:
    """An undo kept from before the close is refused like any other change there."""
    from okrate_tui.core.errors import ValidationError
    from okrate_tui.core.models import Milestone
    from okrate_tui.core.services.undo import undo_op
    from okrate_tui.core.writes import with_op

    _, op = with_op(goals.edit_milestone, closing.boss, closing.open_stone.id, None, done=True)
    _on_last_day()
    close_cycle(closing.admin, closing.cycle.id, None)
    with pytest.raises(ValidationError, match="is closed"):
        undo_op(closing.boss, op)
    assert Milestone.get_by_id(closing.open_stone.id).done


@pytest.fixture
def tree_in_review(org) -> SimpleNamespace:
    """A goal tree half-way through its work: a company goal with a key result, a finished
    sub-goal and an open one; an open goal measured only by its plan, with a milestone
    part-way (2 of 4 tasks done) and tasks outside milestones (1 of 3 done)."""
    boss = org.boss
    kr = key_results.add_key_result(boss, org.child.id, "Accounts", target=10)
    key_results.check_in(boss, kr.id, 4)
    finished = goals.create_goal(boss, "Hire a rep", parent=org.child.id, owner="max")
    hired = key_results.add_key_result(boss, finished.id, "Reps hired", target=1)
    key_results.check_in(boss, hired.id, 1)
    moving = goals.create_goal(boss, "Open Berlin", parent=org.child.id, owner="max")
    office = key_results.add_key_result(boss, moving.id, "Desks", target=20)
    key_results.check_in(boss, office.id, 5)
    plan = goals.create_goal(boss, "Write the playbook", parent=org.top.id, owner="max")
    stone = goals.add_milestone(boss, plan.id, "Draft")
    for index in range(4):
        task = tasks.create_task(org.mia, f"Chapter {index}", milestone=stone.id, owner="mia")
        if index < 2:
            tasks.complete_task(org.mia, task.id, None)
    for index in range(3):
        task = tasks.create_task(org.mia, f"Review {index}", goal=plan.id, owner="mia")
        if index < 1:
            tasks.complete_task(org.mia, task.id, None)
    cycles.advance_cycle(org.admin, org.cycle.id, None)
    return SimpleNamespace(**vars(org), finished=finished, moving=moving, plan=plan)


def _progress_by_title(cycle_id: int) -> dict[str, float]:
    return {line.title: line.progress for line, _ in load_tree(cycle_id, LAST_DAY).ordered()}


@pytest.mark.parametrize("mode", ["copy", "move"])
def test_every_carried_goal_keeps_its_progress_within_half_a_point(tree_in_review, mode) -> None:
    _on_last_day()
    before = _progress_by_title(tree_in_review.cycle.id)
    assert before["Write the playbook"] == pytest.approx((0.5 + 1) / 4)  # the milestone, 1 of 3 loose tasks
    summary = close_cycle(tree_in_review.admin, tree_in_review.cycle.id, None, carry=mode)
    after = _progress_by_title(Cycle.get(Cycle.name == "2027 Q1").id)
    carried = ["Grow revenue", "Win accounts", "Open Berlin", "Write the playbook"]
    assert {t: round(after[t], 3) for t in carried} == {t: round(before[t], 3) for t in carried}
    assert after["Hire a rep"] == 1.0  # finished, copied so that "Win accounts" keeps its share
    assert summary.changes == [] and summary.finished_copies == 1
    assert "Every carried goal starts 2027 Q1 where it stood." in summary.describe()
    copy = Goal.get((Goal.title == "Write the playbook") & (Goal.cycle != tree_in_review.cycle.id))
    assert copy.carried_done == 1 and Milestone.get(Milestone.goal == copy.id).carried_done == 2


def test_a_dry_run_says_what_would_change_and_changes_nothing(tree_in_review) -> None:
    _on_last_day()
    tables = (Change, Goal, Cycle, KeyResult, Milestone, Task, CheckIn)
    before = [model.select().count() for model in tables]
    rehearsal = close_cycle(
        tree_in_review.admin, tree_in_review.cycle.id, None, reset={tree_in_review.moving.id}, dry_run=True
    )
    assert [model.select().count() for model in tables] == before
    assert Cycle.get_by_id(tree_in_review.cycle.id).state == "review"
    assert rehearsal.describe().startswith("Dry run, nothing changed: 2026 Q4 would close. Into 2027 Q1 (made now)")
    assert [(c.title, round(c.before, 2), round(c.after, 2), c.reset) for c in rehearsal.changes] == [
        ("Grow revenue", 0.55, 0.47, False),  # they lose the progress their reset sub-goal had …
        ("Win accounts", 0.55, 0.47, False),
        ("Open Berlin", 0.25, 0.0, True),  # … which starts from 5 desks
    ]
    done = close_cycle(tree_in_review.admin, tree_in_review.cycle.id, None, reset={tree_in_review.moving.id})
    assert done.changes == rehearsal.changes and not done.dry_run


def test_resetting_every_goal_starts_each_from_where_it_stands(tree_in_review) -> None:
    _on_last_day()
    with pytest.raises(ValidationError, match="reset: goal 999 is not an unfinished goal of 2026 Q4"):
        close_cycle(tree_in_review.admin, tree_in_review.cycle.id, None, reset={999})
    summary = close_cycle(tree_in_review.admin, tree_in_review.cycle.id, None, reset=True)
    after = _progress_by_title(Cycle.get(Cycle.name == "2027 Q1").id)
    assert "Hire a rep" not in after  # a reset parent measures only the new cycle
    assert after["Write the playbook"] == 0.0 and after["Open Berlin"] == 0.0
    berlin = KeyResult.get((KeyResult.title == "Desks") & (KeyResult.id > 3))
    assert (berlin.baseline, berlin.current, berlin.target) == (5.0, 5.0, 20.0)
    assert {c.title for c in summary.changes if c.reset} == {
        "Grow revenue",
        "Win accounts",
        "Open Berlin",
        "Write the playbook",
    }
