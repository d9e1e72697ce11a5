"""How counts and days read in sentences people see ("1 goal", "3 goals", "31 Dec")."""

from __future__ import annotations

from datetime import date


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 goal', '3 goals', '1 person', '2 people'."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def day_month(day: date, today: date | None = None) -> str:
    """'31 Dec', with the year when it is not this year's ('5 Jan 2027')."""
    text = f"{day.day} {day:%b}"
    return text if today is None or day.year == today.year else f"{text} {day.year}"


def month_day(day: date, *, weekday: bool = False) -> str:
    """'Dec 5', or 'Fri Dec 5' with ``weekday``: the day without a leading zero, on every
    platform (strftime's no-padding flag is a glibc extension)."""
    text = f"{day:%b} {day.day}"
    return f"{day:%a} {text}" if weekday else text


def points(share: float) -> str:
    """A share as percentage points to one decimal, never '-0.0' (' 12.5 pts')."""
    return f"{round(share * 100, 1) + 0.0:5.1f} pts"


def number(value: float) -> str:
    """A value as people write it: 1,800,000 and 0.5, never 1.8e+06."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def due_phrase(deadline: date, today: date) -> str:
    """How near a deadline is: 'overdue 3 days', 'due today', 'due tomorrow', 'due in 4 days'."""
    days = (deadline - today).days
    if days < 0:
        return f"overdue {plural(-days, 'day')}"
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    return f"due in {days:,} days"


def days_ago(day: date, today: date) -> str:
    """'today', 'yesterday', '12 days ago'."""
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days:,} days ago"


def days_ahead(day: date, today: date) -> str:
    """'today', 'tomorrow', 'in 5 days'."""
    days = (day - today).days
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days:,} days"
