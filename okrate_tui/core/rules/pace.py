"""Pace: is a goal keeping up with the time that has passed?

A goal measured by its **outcome** expects the elapsed share of its period (the goal's
own dates when set, else its cycle's; a goal created after its cycle started starts on
the day it was made). With sub-goals it expects what its parts expect: the weighted mean
of its own share for its key results and of each outcome sub-goal's expected progress,
the same weights its progress is the mean of, so a sub-goal born late, or one that
nothing measures yet, never makes its parent look behind. Its gap is expected − actual.

A goal measured by its **plan** (milestones and tasks, no outcome) is judged by
lateness, never by how much is planned: its gap is the share of what was due by today
(dated milestones and tasks) that is not done. Adding work that is not yet due never
changes it.

A goal is *behind* when the gap is more than 16 points and *off track* beyond 33
points; a set status always wins over the automatic one.
"""

from __future__ import annotations

from datetime import date

from okrate_tui.core.rules.progress import EXECUTION, Figure, clamp01

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


def plan_gap(late: int, due: int) -> float:
    """The share of what was due by today that is not done (0 when nothing was due)."""
    return late / due if due > 0 else 0.0


def figure_gap(figure: Figure) -> float:
    """How far a goal is behind: its pace gap (outcome) or its plan's lateness (execution)."""
    if figure.basis == EXECUTION:
        return plan_gap(figure.late, figure.due)
    return pace_gap(figure.progress, figure.expected)


def figure_status(manual: str | None, figure: Figure) -> str:
    """The status a person set, or the automatic one from the goal's figure."""
    if manual:
        return manual
    if not figure.basis:
        return "unmeasured"
    if figure.progress >= 1.0:
        return "done"
    gap = figure_gap(figure)
    if gap > OFF_TRACK_GAP:
        return "off_track"
    if gap > BEHIND_GAP:
        return "at_risk"
    return "on_track"


def figure_behind(figure: Figure) -> bool:
    """The behind-pace mark: measured, not done, and more than 16 points behind."""
    return bool(figure.basis) and figure.progress < 1.0 and figure_gap(figure) > BEHIND_GAP


_SEVERITY = {"done": 0, "unmeasured": 0, "on_track": 1, "at_risk": 2, "off_track": 3, "missed": 3, "dropped": 0}


def worst_status(statuses: list[str]) -> str | None:
    """The most worrying of several statuses (a parent can show its worst child)."""
    return max(statuses, key=lambda s: _SEVERITY.get(s, 0), default=None)
