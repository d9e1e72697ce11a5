"""The one grammar for dates, priorities and owners, as every caller reads them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrate_tui.core import clock
from okrate_tui.core.errors import ValidationError
from okrate_tui.core.grammar import (
    DATE_HELP,
    OWNER_HELP,
    PRIORITY_HELP,
    WEEKDAYS,
    add_months,
    owner_handle,
    parse_date,
    parse_owner,
    parse_priority,
)
from okrate_tui.core.validation import Checker, clean_handle
from okrate_tui.core.vocab import PRIORITIES
from tests.conftest import TODAY  # a Thursday

# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("2026-1-5", date(2026, 1, 5)),
        ("  2026-12-01 ", date(2026, 12, 1)),
        ("today", TODAY),
        ("tod", TODAY),
        ("Tomorrow", TODAY + timedelta(days=1)),
        ("tmr", TODAY + timedelta(days=1)),
        ("fri", date(2026, 11, 27)),
        ("FRIDAY", date(2026, 11, 27)),
        ("thursday", TODAY),  # today counts
        ("thurs", TODAY),
        ("wed", date(2026, 12, 2)),
        ("+3d", TODAY + timedelta(days=3)),
        ("+2w", TODAY + timedelta(days=14)),
        ("+2W", TODAY + timedelta(days=14)),
        ("+1m", date(2026, 12, 26)),
        ("+3m", date(2027, 2, 26)),
        ("", None),
        ("none", None),
        ("-", None),
        (None, None),
    ],
)
def test_dates_as_people_type_them(text: str | None, expected: date | None) -> None:
    assert parse_date(text, TODAY) == expected


def test_relative_dates_count_from_the_clock() -> None:
    clock.freeze(date(2027, 1, 31))
    assert parse_date("+1m") == date(2027, 2, 28)  # the month's last day
    assert parse_date("today") == date(2027, 1, 31)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "2026-02-30 is not a real date (February 2026 has 28 days)"),
        ("2024-02-30", "February 2024 has 29 days"),
        ("2026-13-01", "there is no month 13"),
        ("0000-01-01", "there is no year 0"),
        ("fry", f"'fry' is not a date: {DATE_HELP}"),
        ("fr", "'fr' is not a date"),  # weekdays need three letters
        ("+3y", "'+3y' is not a date"),
        ("-3d", "'-3d' is not a date"),
        ("31/12/2026", "'31/12/2026' is not a date"),
        ("+1000d", "'+1000d' is not a date"),
        ("fri\x07", "'friU+0007' is not a date"),
        ("x" * 500, "is not a date"),
    ],
)
def test_impossible_dates_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(text, TODAY)
    assert message in str(caught.value)
    assert len(str(caught.value)) < 200  # long input is not echoed whole


def test_far_away_dates_are_refused_cleanly() -> None:
    with pytest.raises(ValueError, match="too far away"):
        parse_date("+999w", date(9999, 12, 1))
    with pytest.raises(ValueError, match="too far away"):
        parse_date("+2m", date(9999, 12, 1))


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_every_iso_date_parses_back(day: date) -> None:
    assert parse_date(day.isoformat(), TODAY) == day
    assert parse_date(f"{day.year:04d}-{day.month}-{day.day}", TODAY) == day


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(0, 999))
def test_plus_days_and_weeks_count_from_today(today: date, n: int) -> None:
    assert parse_date(f"+{n}d", today) == today + timedelta(days=n)
    assert parse_date(f"+{n}w", today) == today + timedelta(weeks=n)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(0, 999))
def test_plus_months_keep_the_day_or_take_the_months_last(today: date, n: int) -> None:
    got = parse_date(f"+{n}m", today)
    assert (got.year - today.year) * 12 + got.month - today.month == n
    assert got.day == today.day or (got.day < today.day and (got + timedelta(days=1)).day == 1)
    assert got == add_months(today, n)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    st.sampled_from(WEEKDAYS),
    st.integers(3, 9),
    st.booleans(),
)
def test_weekdays_are_the_next_one_today_included(today: date, name: str, length: int, upper: bool) -> None:
    typed = name[:length].upper() if upper else name[:length]
    got = parse_date(typed, today)
    assert 0 <= (got - today).days <= 6
    assert got.weekday() == WEEKDAYS.index(name)


@given(st.text(max_size=60))
def test_garbage_is_refused_with_a_value_error_only(text: str) -> None:
    try:
        got = parse_date(text, TODAY)
    except ValueError as exc:
        message = str(exc)
        assert message and len(message) < 200
        assert not any(ord(ch) < 32 for ch in message)
        return
    assert got is None or isinstance(got, date)


# --- priorities --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("!", "medium"),
        ("!!", "high"),
        ("!!!", "critical"),
        ("!hi", "high"),
        ("!high", "high"),
        ("hi", "high"),
        ("H", "high"),
        ("!c", "critical"),
        ("crit", "critical"),
        ("Medium", "medium"),
        ("!lo", "low"),
        ("", None),
        ("none", None),
        ("-", None),
    ],
)
def test_priorities_as_people_type_them(text: str, expected: str | None) -> None:
    assert parse_priority(text) == expected


@pytest.mark.parametrize("text", ["!!!!", "!urgent", "!!hi", "x", "!-", "hi!", "!none"])
def test_other_priorities_are_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_priority(text)
    assert str(caught.value) == f"'{text}' is not a priority: {PRIORITY_HELP}"


def test_a_required_priority_refuses_none() -> None:
    with pytest.raises(ValueError, match="needs a priority"):
        parse_priority("none", optional=False)


@given(st.sampled_from(PRIORITIES), st.integers(1, 8), st.booleans(), st.booleans())
def test_every_prefix_of_a_priority_names_it_alone(name: str, length: int, bang: bool, upper: bool) -> None:
    typed = name[:length]
    typed = typed.upper() if upper else typed
    assert parse_priority(f"!{typed}" if bang else typed) == name


@given(st.text(max_size=50))
def test_priority_garbage_is_refused_with_a_value_error_only(text: str) -> None:
    try:
        got = parse_priority(text)
    except ValueError as exc:
        assert "is not a priority" in str(exc) or "must be a priority" in str(exc)
        return
    assert got is None or got in PRIORITIES


# --- owners ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@maria", "maria"),
        ("maria", "maria"),
        ("@Maria", "maria"),
        (" OMAR ", "omar"),
        ("me", "omar"),
        ("@ME", "omar"),
        ("none", None),
        ("@none", None),
        ("-", None),
        ("", None),
    ],
)
def test_owners_as_people_type_them(text: str, expected: str | None) -> None:
    assert parse_owner(text, ["maria", "Omar"], me="omar") == expected


@pytest.mark.parametrize(
    ("text", "kwargs", "message"),
    [
        ("@ghost", {}, "nobody has the handle @ghost"),
        ("@two words", {}, f"'@two words' is not a handle: {OWNER_HELP}"),
        ("@", {}, "'@' is not a handle"),
        ("me", {"me": None}, "'me' stands for you, and who you are is not known here"),
        ("none", {"nobody": False}, "needs a person here"),
        ("@ma\x1bria", {}, "'@maU+001Bria' is not a handle"),
    ],
)
def test_unknown_owners_are_named(text: str, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_owner(text, ["maria"], **({"me": "maria"} | kwargs))
    assert message in str(caught.value)


@given(st.text(max_size=50))
def test_owner_garbage_is_refused_with_a_value_error_only(text: str) -> None:
    try:
        got = owner_handle(text, me="maria")
    except ValueError:
        return
    assert got is None or (got == got.lower() and " " not in got)


@pytest.mark.parametrize("handle", ["me", "none", "@None"])
def test_the_owner_words_cannot_become_handles(handle: str) -> None:
    with pytest.raises(ValueError, match="cannot be a handle"):
        clean_handle(handle)


def test_a_checker_gathers_grammar_errors_per_field() -> None:
    check = Checker()
    check("deadline", parse_date, "someday")
    check("priority", parse_priority, "!urgent")
    with pytest.raises(ValidationError) as caught:
        check.done()
    assert set(caught.value.errors) == {"deadline", "priority"}


# --- the services read the same grammar (what the CLI and the forms pass them) ------------


def test_task_services_take_typed_dates_priorities_and_owners(org) -> None:
    from okrate_tui.core.services import tasks

    task = tasks.create_task(org.mia, "Call Acme", goal=org.child.id, owner="me", priority="!hi", deadline="fri")
    assert (task.owner_id, task.priority, task.deadline) == (org.mia.id, "high", date(2026, 11, 27))
    task = tasks.edit_task(org.mia, task.id, None, owner="@BEN", priority="!!!", deadline="+2w")
    assert (task.owner_id, task.priority, task.deadline) == (org.ben.id, "critical", date(2026, 12, 10))
    task = tasks.edit_task(org.mia, task.id, None, owner="none", priority="-", deadline="none")
    assert (task.owner_id, task.priority, task.deadline) == (None, None, None)


def test_bad_typed_values_are_refused_per_field_and_nothing_is_written(org) -> None:
    from okrate_tui.core.models import Task
    from okrate_tui.core.services import tasks

    with pytest.raises(ValidationError) as caught:
        tasks.create_task(
            org.mia, "Call Acme", goal=org.child.id, owner="two words", priority="!urgent", deadline="fry"
        )
    assert caught.value.errors == {
        "owner": f"'two words' is not a handle: {OWNER_HELP}",
        "deadline": f"'fry' is not a date: {DATE_HELP}",
        "priority": f"'!urgent' is not a priority: {PRIORITY_HELP}",
    }
    assert not Task.select().exists()


def test_goal_milestone_and_cycle_dates_take_the_grammar(org) -> None:
    from okrate_tui.core.services import cycles, goals

    goal = goals.edit_goal(org.admin, org.child.id, None, starts="mon", due="+1m")
    assert (goal.starts, goal.due) == (date(2026, 11, 30), date(2026, 12, 26))
    milestone = goals.add_milestone(org.admin, org.child.id, "Pilot live", due="+2w")
    assert milestone.due == date(2026, 12, 10)
    cycle = cycles.create_cycle(org.admin, "2027 Q1", "+5w", "+3m")
    assert (cycle.starts, cycle.ends) == (date(2026, 12, 31), date(2027, 2, 26))
    with pytest.raises(ValidationError, match="ends: is required"):
        cycles.edit_cycle(org.admin, cycle.id, None, ends="none")
