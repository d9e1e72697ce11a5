"""Planning never looks like failure, on the demo organisation and through every path
that computes the numbers: a fresh tree, a patched live tree and a goal's detail."""

from __future__ import annotations

from typing import Any

import pytest

from okrate_tui import demo
from okrate_tui.core.explain import basis_sentences
from okrate_tui.core.queries.details import goal_detail
from okrate_tui.core.queries.tree import CycleTree, GoalLine, load_tree, tree_patch
from okrate_tui.core.services import goals, tasks
from okrate_tui.core.services.cycles import current_cycle
from okrate_tui.core.services.people import find_person
from tests.conftest import TODAY


@pytest.fixture
def demo_tree(db) -> CycleTree:
    demo.generate()
    return load_tree(current_cycle().id, TODAY)


def _numbers(line: GoalLine) -> tuple[Any, ...]:
    return (line.basis, round(line.progress, 9), line.status, line.behind)


def _first_goals(tree: CycleTree, count: int) -> list[int]:
    return [line.id for line, _ in tree.ordered()[:count]]


def test_an_empty_milestone_leaves_close_40_accounts_where_it_was(demo_tree) -> None:
    """The reported case: one empty milestone took the goal from 60 % on track to 30 % off track."""
    goal = next(line for line, _ in demo_tree.ordered() if line.title == "Close 40 new mid-market accounts")
    before = goal_detail(goal.id, TODAY)
    goals.add_milestone(find_person("maria"), goal.id, "Pricing page live")
    after = goal_detail(goal.id, TODAY)
    assert (after.basis, after.progress, after.status, after.behind) == (
        before.basis,
        before.progress,
        before.status,
        before.behind,
    )
    assert before.basis == "outcome" and "Pricing page live" in [p.title for p in after.plan]


@pytest.mark.parametrize("planned", ["milestone", "task"])
def test_planning_on_the_first_twelve_goals_changes_no_number_but_a_plan(demo_tree, planned) -> None:
    """An empty milestone (or an open, undated task) on each of the first twelve goals:
    every goal measured by its outcome keeps its progress, and no goal's status changes,
    whether the tree is read again or patched live the way a session follows a change."""
    maria = find_person("maria")
    first = _first_goals(demo_tree, 12)
    before = {line.id: _numbers(line) for line, _ in demo_tree.ordered()}
    for gid in first:
        if planned == "milestone":
            goals.add_milestone(maria, gid, "Planned step")
        else:
            tasks.create_task(maria, "Planned task", goal=gid)
    cycle = current_cycle().id
    fresh = load_tree(cycle, TODAY)
    demo_tree.patch(tree_patch(cycle, TODAY, info=set(), parts=set(first), work=set(first)))
    for tree in (fresh, demo_tree):
        for line, _ in tree.ordered():
            basis, progress, status, behind = before[line.id]
            if basis == "outcome":
                assert _numbers(line) == before[line.id], line.title
            elif basis == "execution" and progress < 1:
                assert (line.status, line.behind) == (status, behind), line.title
    assert {line.id: _numbers(line) for line, _ in demo_tree.ordered()} == {
        line.id: _numbers(line) for line, _ in fresh.ordered()
    }


def test_the_worked_example_of_the_readme(demo_tree) -> None:
    """README "How the numbers work" gives these numbers; they are the demo's."""
    by_title = {line.title: line for line, _ in demo_tree.ordered()}
    accounts = goal_detail(by_title["Close 40 new mid-market accounts"].id, TODAY)
    assert (round(accounts.progress * 100), accounts.status, round(accounts.expected * 100)) == (42, "at_risk", 62)
    assert [round(p.progress * 100) for p in accounts.breakdown] == [45, 30, 50]
    assert (
        basis_sentences(accounts)[-1]
        == "Status follows pace: 62% expected by now; 42% trails it by more than 16 points."
    )
    mentoring = by_title["Start a mentoring programme"]
    assert (mentoring.basis, round(mentoring.progress * 100), mentoring.status) == ("execution", 67, "on_track")
    goals.add_milestone(find_person("maria"), mentoring.id, "Second round matched", "2026-12-20")
    again = goal_detail(mentoring.id, TODAY)
    assert (again.progress, again.status) == (0.5, "on_track")
    assert basis_sentences(again)[-1] == (
        "Status follows lateness, never how much is planned: everything due by today is done "
        "(2 dated milestones and tasks)."
    )
    parent = by_title["Build a team people want to join"]
    assert mentoring.id not in {p.id for p in goal_detail(parent.id, TODAY).breakdown}  # its parent measures results


def test_a_plan_gone_late_puts_the_goal_at_risk_and_says_why(demo_tree) -> None:
    maria = find_person("maria")
    mentoring = next(line for line, _ in demo_tree.ordered() if line.title == "Start a mentoring programme")
    for title in ("Intro session held", "Guide written"):
        goals.add_milestone(maria, mentoring.id, title, "2026-11-20")
    detail = goal_detail(mentoring.id, TODAY)
    assert (detail.late_items, detail.due_items, detail.status, detail.behind) == (2, 4, "off_track", True)
    assert basis_sentences(detail)[-1].endswith("2 of the 4 dated milestones and tasks due by today are not done.")
