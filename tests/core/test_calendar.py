"""One person's calendar: their deadlines, milestones of their goals, cycle ends and
their own one-on-ones, nothing of anyone else's."""

from __future__ import annotations

from datetime import date

from okrate_tui.core.queries.calendar import calendar_entries
from okrate_tui.core.services import goals, reviews, tasks
from tests.conftest import TODAY


def _seed(org):
    mine = tasks.create_task(org.mia, "Call Acme", goal=org.top.id, owner="mia", deadline="2026-12-02")
    tasks.create_task(org.mia, "No date yet", goal=org.top.id, owner="mia")
    tasks.create_task(org.mia, "Already done", goal=org.top.id, owner="mia", deadline="2026-12-03", status="done")
    tasks.create_task(org.ben, "Ben's", goal=org.child.id, owner="ben", deadline="2026-12-04")
    on_top = goals.add_milestone(org.admin, org.top.id, "Pricing live", "2026-12-10")
    finished = goals.add_milestone(org.admin, org.top.id, "Kick-off", "2026-11-01")
    goals.set_milestone_done(org.admin, finished.id, None)
    goals.add_milestone(org.admin, org.child.id, "Beta", "2026-12-12")  # Max's goal, no task of Mia's on it
    coming = reviews.start_one_on_one(org.boss, "mia", "2026-12-01")
    reviews.start_one_on_one(org.boss, "mia", "2026-11-19")  # past: not a reminder
    reviews.start_one_on_one(org.boss, "ben", "2026-12-02")  # not Mia's
    return mine, on_top, coming


def test_a_members_calendar_holds_only_what_is_theirs(org) -> None:
    mine, on_top, coming = _seed(org)
    found = calendar_entries(org.mia, TODAY)
    assert [(e.uid, e.day, e.summary) for e in found] == [
        (f"one-on-one-{coming.id}@okrate", date(2026, 12, 1), "One-on-one with @max"),
        (f"task-{mine.id}@okrate", date(2026, 12, 2), "Due: Call Acme"),
        (f"milestone-{on_top.id}@okrate", date(2026, 12, 10), "Milestone: Pricing live"),
        (f"cycle-{org.cycle.id}-ends@okrate", date(2026, 12, 31), "2026 Q4 ends"),
    ]
    assert found[1].description == f"Task {mine.id} (todo) for the goal “Grow revenue”. okrate task show {mine.id}"


def test_a_goal_owner_sees_their_milestones_and_the_other_side_of_a_meeting(org) -> None:
    _seed(org)
    found = calendar_entries(org.boss, TODAY)
    assert [e.summary for e in found] == [
        "One-on-one with @mia",
        "One-on-one with @ben",
        "Milestone: Beta",
        "2026 Q4 ends",
    ]
    assert {e.kind for e in found} == {"one_on_one", "milestone", "cycle"}
