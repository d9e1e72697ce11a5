"""The one source of 'now' and 'today', so tests and demos can freeze time.

Set ``OKRATE_TODAY=YYYY-MM-DD`` (or call :func:`freeze`) to pin the date; the time
of day is then noon, advancing one microsecond per call so ordering stays stable.
"""

from __future__ import annotations

import itertools
import os
from datetime import UTC, date, datetime, timedelta

_frozen: date | None = None
_ticks = itertools.count()


def freeze(day: date | None) -> None:
    """Pin today's date (``None`` returns to the real clock)."""
    global _frozen
    _frozen = day


def _pinned() -> date | None:
    if _frozen is not None:
        return _frozen
    value = os.environ.get("OKRATE_TODAY")
    return date.fromisoformat(value) if value else None


def today() -> date:
    """The local calendar date."""
    return _pinned() or date.today()


def now() -> datetime:
    """The current time as naive UTC (how every timestamp is stored)."""
    pinned = _pinned()
    if pinned is not None:
        base = datetime(pinned.year, pinned.month, pinned.day, 12, 0, 0)
        return base + timedelta(microseconds=next(_ticks))
    return datetime.now(UTC).replace(tzinfo=None)


def quarter_of(day: date) -> tuple[date, date, str]:
    """The calendar quarter holding ``day``: start, end and a name like '2026 Q4'."""
    index = (day.month - 1) // 3
    start = date(day.year, index * 3 + 1, 1)
    following = date(day.year + (index == 3), (index * 3 + 3) % 12 + 1, 1)
    return start, following - timedelta(days=1), f"{day.year} Q{index + 1}"


def local_now() -> datetime:
    """The wall-clock time where the person is, for saying "since 14:02" (pinned with the date)."""
    pinned = _pinned()
    if pinned is not None:
        return datetime(pinned.year, pinned.month, pinned.day, 12, 0, 0)
    return datetime.now()
