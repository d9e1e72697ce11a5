"""Next ranks work by what it moves, and every card says why it is where it is."""

from __future__ import annotations

from datetime import date, timedelta

from okrate_tui.core.queries.next_work import next_work
from okrate_tui.core.rules.ranking import Standing, next_rank, next_reason
from okrate_tui.core.services import goals, key_results, tasks
from tests.conftest import TODAY

ON_TRACK = Standing("Win accounts", "on_track", 0.5, "Grow revenue")
AT_RISK = Standing("Win accounts", "at_risk", 0.5, "Grow revenue")
OFF_TRACK = Standing("Win accounts", "off_track", 0.1, "Grow revenue")
HEAVY = Standing("Heavy", "on_track", 0.8, "Grow revenue")
LIGHT = Standing("Light", "on_track", 0.1, "Grow revenue")


def _order(*tasks_: tuple[str, date | None, str | None, Standing | None]) -> list[str]:
    ranked = sorted(tasks_, key=lambda t: next_rank(t[1], t[2], TODAY, 0, t[3]))
    return [t[0] for t in ranked]


def test_overdue_then_goal_health_then_priority_deadline_and_weight() -> None:
    soon, later, past = TODAY + timedelta(days=2), TODAY + timedelta(days=9), TODAY - timedelta(days=1)
    assert _order(
        ("high on track", soon, "high", ON_TRACK),
        ("low for an off-track goal", later, "low", OFF_TRACK),
        ("overdue, on track", past, None, ON_TRACK),
        ("medium for an at-risk goal", later, "medium", AT_RISK),
    ) == ["overdue, on track", "low for an off-track goal", "medium for an at-risk goal", "high on track"]
    assert _order(("light", soon, "high", LIGHT), ("heavy", soon, "high", HEAVY)) == ["heavy", "light"]
    assert _order(("later", later, "high", ON_TRACK), ("sooner", soon, "high", ON_TRACK)) == ["sooner", "later"]
    assert _order(("no goal known", None, "high", None), ("known", None, "high", ON_TRACK)) == [
        "known",
        "no goal known",
    ]  # same tier; the known goal carries weight


def test_the_reason_says_what_put_the_card_there() -> None:
    past = TODAY - timedelta(days=3)
    assert next_reason(past, "high", TODAY, AT_RISK) == (
        "overdue 3 days; its goal is at risk; high priority; its goal carries 50% of “Grow revenue”"
    )
    top = Standing("Grow revenue", "on_track", 1.0, "Grow revenue")
    assert next_reason(TODAY + timedelta(days=1), None, TODAY, top) == (
        "no priority; due tomorrow; its goal is a top goal"
    )
    apart = Standing("Plan the offsite", "on_track", 0.0, "Grow revenue")
    assert next_reason(None, "low", TODAY, apart).endswith("its goal is not part of “Grow revenue”'s progress")


def test_next_work_ranks_a_persons_tasks_by_their_goals(org) -> None:
    """Two goals under one top goal: the one behind pace comes first, whatever the priority."""
    behind = goals.create_goal(org.admin, "Ship the beta", parent=org.top.id, owner="max")
    goals.edit_goal(org.admin, behind.id, None, starts="2026-10-01")  # two thirds of its time gone …
    key_results.add_key_result(org.admin, behind.id, "Beta users", target=100)  # … and 0 of 100
    fine = key_results.add_key_result(org.admin, org.child.id, "Accounts", target=10)
    key_results.check_in(org.admin, fine.id, 10)  # done: on its way
    relaxed = tasks.create_task(org.mia, "Polish the docs", goal=org.child.id, owner="mia", priority="critical")
    pressing = tasks.create_task(org.mia, "Invite testers", goal=behind.id, owner="mia", priority="low")
    late = tasks.create_task(org.mia, "Send the invoice", goal=org.child.id, owner="mia", deadline="2026-11-01")
    found = next_work(org.mia.id, org.cycle.id, TODAY)
    assert [item.card.id for item in found] == [late.id, pressing.id, relaxed.id]
    assert found[1].goal == "Ship the beta" and "its goal is off track" in found[1].reason
    assert found[1].rank == 2 and "carries 50% of “Grow revenue”" in found[1].reason
