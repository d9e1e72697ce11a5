"""Pace: is actual progress keeping up with the time that has passed?

Expected progress is the elapsed share of the period (the goal's own dates when set,
else its cycle's). A goal is *behind* when actual trails expected by more than 16
points and *off track* beyond 33 points; a set status always wins over the automatic one.
"""

from __future__ import annotations

from datetime import date

from okrate_tui.core.rules.progress import clamp01

BEHIND_GAP = 0.16
OFF_TRACK_GAP = 0.33


def expected_progress(start: date, end: date, today: date) -> float:
    """The elapsed share of ``start``..``end`` on ``today`` (inclusive of both days)."""
    if end < start:
        start, end = end, start
    total = (end - start).days + 1
    elapsed = (today - start).days + 1
    return clamp01(elapsed / total)


def pace_gap(actual: float, expected: float) -> float:
    """How far actual trails expected (negative when ahead)."""
    return expected - actual


def is_behind(actual: float, expected: float) -> bool:
    return pace_gap(actual, expected) > BEHIND_GAP


def auto_status(actual: float, expected: float, measured: bool = True) -> str:
    """on_track / at_risk / off_track / done from progress and pace alone;
    ``unmeasured`` when nothing measures the goal yet."""
    if not measured:
        return "unmeasured"
    if actual >= 1.0:
        return "done"
    gap = pace_gap(actual, expected)
    if gap > OFF_TRACK_GAP:
        return "off_track"
    if gap > BEHIND_GAP:
        return "at_risk"
    return "on_track"


def effective_status(manual: str | None, actual: float, expected: float, measured: bool = True) -> str:
    """The status a person set, or the automatic one when none is set."""
    return manual or auto_status(actual, expected, measured)


_SEVERITY = {"done": 0, "unmeasured": 0, "on_track": 1, "at_risk": 2, "off_track": 3, "missed": 3, "dropped": 0}


def worst_status(statuses: list[str]) -> str | None:
    """The most worrying of several statuses (a parent can show its worst child)."""
    return max(statuses, key=lambda s: _SEVERITY.get(s, 0), default=None)
