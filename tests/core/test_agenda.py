"""What is waiting on one person: tasks by deadline, quiet key results, reviews to
write, one-on-ones; and the app's start-up line. Today is Thursday 26 November 2026."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from okrate_tui.core import clock
from okrate_tui.core.grammar import parse_until
from okrate_tui.core.models import Cycle, KeyResult
from okrate_tui.core.queries.agenda import agenda, start_notice
from okrate_tui.core.services import cycles, goals, key_results, reviews, tasks
from tests.conftest import TODAY

UNTIL = date(2026, 11, 29)  # --within 3d


def _task(org, title: str, deadline: str | None, owner: str = "mia", status: str = "todo"):
    return tasks.create_task(org.mia, title, goal=org.child.id, owner=owner, deadline=deadline, status=status)


def test_tasks_overdue_and_due_within_the_window(org) -> None:
    late = _task(org, "Late", "2026-11-23")
    blocked = _task(org, "Blocked late", "2026-11-25", status="blocked")
    today = _task(org, "Today", "2026-11-26")
    tomorrow = _task(org, "Tomorrow", "2026-11-27")
    sunday = _task(org, "Sunday", "2026-11-29")
    _task(org, "Next week", "2026-12-03")
    _task(org, "Done late", "2026-11-20", status="done")
    _task(org, "No deadline", None)
    _task(org, "Ben's late one", "2026-11-20", owner="ben")
    found = agenda(org.mia, TODAY, UNTIL)
    assert [(t.id, t.when) for t in found.overdue] == [(late.id, "overdue 3 days"), (blocked.id, "overdue 1 day")]
    assert [(t.id, t.when) for t in found.due] == [
        (today.id, "due today"),
        (tomorrow.id, "due tomorrow"),
        (sunday.id, "due in 3 days"),
    ]
    assert found.overdue[0].days == -3 and found.overdue[0].goal == "Win accounts"


def test_tasks_of_a_closed_cycle_are_left_out(org) -> None:
    old = cycles.create_cycle(org.admin, "2026 Q3", "2026-07-01", "2026-09-30", state="active")
    goal = goals.create_goal(org.admin, "Old goal", owner="mia", cycle=old.id)
    tasks.create_task(org.mia, "Left behind", goal=goal.id, owner="mia", deadline="2026-09-20")
    assert [t.title for t in agenda(org.mia, TODAY, UNTIL).overdue] == ["Left behind"]
    Cycle.update(state="closed").where(Cycle.id == old.id).execute()  # as a close leaves what it does not carry
    assert agenda(org.mia, TODAY, UNTIL).overdue == ()


def test_start_notice_counts_overdue_and_today_only(org) -> None:
    assert start_notice(org.mia.id, TODAY) is None
    _task(org, "Tomorrow", "2026-11-27")
    assert start_notice(org.mia.id, TODAY) is None
    _task(org, "Today", "2026-11-26")
    assert start_notice(org.mia.id, TODAY) == "1 task due today — okrate agenda lists them"
    _task(org, "Late", "2026-11-23")
    _task(org, "Later", "2026-11-24")
    assert start_notice(org.mia.id, TODAY) == "2 tasks overdue, 1 due today — okrate agenda lists them"
    assert start_notice(org.ben.id, TODAY) is None


def _kr(org, goal_id: int, title: str, created: date) -> KeyResult:
    kr = key_results.add_key_result(org.admin, goal_id, title, target=10)
    KeyResult.update(created_at=datetime(created.year, created.month, created.day, 9)).where(
        KeyResult.id == kr.id
    ).execute()
    return kr


def test_key_results_without_a_recent_check_in(org) -> None:
    quiet = _kr(org, org.child.id, "Quiet since October", date(2026, 10, 1))
    fresh = _kr(org, org.child.id, "Checked in last week", date(2026, 10, 1))
    old_news = _kr(org, org.child.id, "Checked in on 1 November", date(2026, 10, 1))
    _kr(org, org.child.id, "Added last week", date(2026, 11, 19))
    clock.freeze(date(2026, 11, 1))
    key_results.check_in(org.boss, old_news.id, 2)
    clock.freeze(date(2026, 11, 19))
    key_results.check_in(org.boss, fresh.id, 3)
    clock.freeze(TODAY)
    found = agenda(org.boss, TODAY, UNTIL)
    assert [(k.id, k.days, k.when) for k in found.key_results] == [
        (quiet.id, 56, "no check-in in 56 days"),
        (old_news.id, 25, "last check-in 25 days ago"),
    ]
    assert found.key_results[1].last_check_in == date(2026, 11, 1)
    assert [k.id for k in agenda(org.boss, TODAY, UNTIL, stale_days=30).key_results] == [quiet.id]
    assert agenda(org.mia, TODAY, UNTIL).key_results == ()  # not her goal
    goals.set_goal_status(org.boss, org.child.id, None, "done")
    assert agenda(org.boss, TODAY, UNTIL).key_results == ()


def test_reviews_waiting_in_a_cycle_in_review(org) -> None:
    assert agenda(org.boss, TODAY, UNTIL).reviews == ()  # the cycle is active: nothing to write yet
    cycles.set_cycle_state(org.admin, org.cycle.id, None, "review")
    waiting = agenda(org.boss, TODAY, UNTIL).reviews
    assert [(r.kind, r.reviewee, r.state) for r in waiting] == [
        ("self", "max", "not started"),
        ("manager", "ben", "not started"),
        ("manager", "mia", "not started"),
    ]
    own = reviews.start_review(org.boss, org.cycle.id, "max", "self")
    done = reviews.start_review(org.boss, org.cycle.id, "mia", "manager")
    reviews.edit_review(org.boss, done.id, None, rating=4)
    reviews.submit_review(org.boss, done.id, None)
    reviews.start_review(org.admin, org.cycle.id, "ben", "manager")  # an admin's draft: theirs to finish
    waiting = agenda(org.boss, TODAY, UNTIL).reviews
    assert [(r.kind, r.reviewee, r.state, r.review_id) for r in waiting] == [("self", "max", "draft", own.id)]
    assert [(r.kind, r.reviewee) for r in agenda(org.mia, TODAY, UNTIL).reviews] == [("self", "mia")]


def test_one_on_ones_coming_and_reports_to_meet(org) -> None:
    reviews.start_one_on_one(org.boss, "ben", "2026-11-19")
    coming = reviews.start_one_on_one(org.boss, "mia", "2026-12-01")
    found = agenda(org.boss, TODAY, UNTIL)
    assert [(m.handle, m.role, m.date, m.when) for m in found.one_on_ones] == [
        ("mia", "report", date(2026, 12, 1), "in 5 days")
    ]
    assert found.one_on_ones[0].meeting_id == coming.id
    assert [(m.handle, m.when) for m in found.reports_to_meet] == [("ben", "last met 7 days ago")]
    mia = agenda(org.mia, TODAY, UNTIL)
    assert [(m.handle, m.role, m.when) for m in mia.one_on_ones] == [("max", "manager", "in 5 days")]
    assert mia.reports_to_meet == ()
    assert [(m.handle, m.when) for m in agenda(org.admin, TODAY, UNTIL).reports_to_meet] == [("max", "never met")]


def test_as_dict_is_the_documented_object(org) -> None:
    _task(org, "Late", "2026-11-23")
    shown = agenda(org.mia, TODAY, UNTIL).as_dict()
    assert list(shown) == [
        "person",
        "today",
        "until",
        "stale_check_in_days",
        "overdue",
        "due",
        "key_results",
        "reviews",
        "one_on_ones",
        "reports_to_meet",
    ]
    assert shown["overdue"][0] | {"id": 0} == {
        "id": 0,
        "title": "Late",
        "status": "todo",
        "priority": None,
        "deadline": "2026-11-23",
        "days": -3,
        "when": "overdue 3 days",
        "goal_id": org.child.id,
        "goal": "Win accounts",
    }
    assert (shown["person"], shown["today"], shown["until"]) == ("mia", "2026-11-26", "2026-11-29")


@pytest.mark.parametrize(
    ("typed", "until"),
    [
        ("3d", date(2026, 11, 29)),
        ("+3d", date(2026, 11, 29)),
        ("2w", date(2026, 12, 10)),
        ("1m", date(2026, 12, 26)),
        ("0d", TODAY),
        ("today", TODAY),
        ("fri", date(2026, 11, 27)),
        ("2026-12-31", date(2026, 12, 31)),
    ],
)
def test_a_span_is_typed_in_the_date_grammar(typed: str, until: date) -> None:
    assert parse_until(typed, TODAY) == until


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("3x", "'3x' is not a span: use 3d, 2w or 1m"),
        ("", "needs a span"),
        ("2026-11-01", "'2026-11-01' is in the past"),
        ("2026-02-30", "February 2026 has 28 days"),
    ],
)
def test_a_bad_span_says_why(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_until(typed, TODAY)
