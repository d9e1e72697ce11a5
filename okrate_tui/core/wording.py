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
