"""Pace: is actual progress keeping up with the time that has passed?

Expected progress is the elapsed share of the period (the goal's own dates when set,
else its cycle's; a goal created after its cycle started starts on the day it was made).
A goal with sub-goals expects of itself what its parts expect: the weighted mean of its
own share for its key results and milestones and of each measured sub-goal's expected
progress, the same weights its progress is the mean of. So a sub-goal born late, or one
that nothing measures yet, never makes its parent look behind. A goal is *behind* when
actual trails expected by more than 16 points and *off track* beyond 33 points; a set
status always wins over the automatic one.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date

from okrate_tui.core.rules.progress import GoalNode, clamp01, walk_order

BEHIND_GAP = 0.16
OFF_TRACK_GAP = 0.33


def expected_progress(start: date, end: date, today: date) -> float:
    """The elapsed share of ``start``..``end`` on ``today`` (inclusive of both days)."""
    if end < start:
        start, end = end, start
    total = (end - start).days + 1
    elapsed = (today - start).days + 1
    return clamp01(elapsed / total)


def rollup_expected(
    nodes: Mapping[int, GoalNode],
    own_weight: Mapping[int, float],
    own_expected: Callable[[int], float],
    measured: Collection[int],
    order: Sequence[int] | None = None,
) -> dict[int, float]:
    """Every goal's expected progress, rolled up like its progress.

    ``own_weight`` is the total weight of a goal's own key results and milestones,
    ``own_expected(goal_id)`` the elapsed share of the goal's own period, ``measured``
    the goals that something measures (only those count in their parent's progress, so
    only those count in its pace). A goal without measured parts expects its own share.
    """
    sums: dict[int, list[float]] = {}
    result: dict[int, float] = {}
    for gid in order if order is not None else walk_order(nodes):
        mine = own_weight.get(gid, 0.0)
        acc = sums.get(gid)
        if mine > 0 or acc is not None:
            share = own_expected(gid)
            weight = mine + (acc[0] if acc else 0.0)
            weighted = mine * share + (acc[1] if acc else 0.0)
            expected = clamp01(weighted / weight) if weight > 0 else share
        else:
            expected = own_expected(gid)
        result[gid] = expected
        node = nodes[gid]
        parent = node.parent_id
        if parent is not None and parent in nodes and not node.archived and node.weight > 0 and gid in measured:
            target = sums.setdefault(parent, [0.0, 0.0])
            target[0] += node.weight
            target[1] += node.weight * expected
    return result


def rollup_with_pace(
    nodes: Mapping[int, GoalNode],
    own: Mapping[int, tuple[float, float]],
    own_expected: Callable[[int], float],
    order: Sequence[int],
) -> tuple[dict[int, float], dict[int, float], set[int]]:
    """Progress, expected progress and the measured goals of a whole tree in one walk:
    the same numbers as :func:`~okrate_tui.core.rules.progress.rollup_progress`,
    :func:`rollup_expected` and :func:`~okrate_tui.core.rules.progress.measured_goals`
    (a child counts in its parent's progress and pace exactly when it is measured, live
    and weighted). ``own`` gives each goal's (Σ weight, Σ weight × progress) of its own
    key results and milestones."""
    sums: dict[int, list[float]] = {gid: [w, wp, w * own_expected(gid)] for gid, (w, wp) in own.items() if w > 0}
    progress: dict[int, float] = {}
    expected: dict[int, float] = {}
    measured: set[int] = set()
    for gid in order:
        acc = sums.get(gid)
        if acc is None:
            mine = expected[gid] = own_expected(gid)
            progress[gid] = 0.0
            continue
        measured.add(gid)
        done = progress[gid] = clamp01(acc[1] / acc[0]) if acc[0] > 0 else 0.0
        mine = expected[gid] = clamp01(acc[2] / acc[0]) if acc[0] > 0 else own_expected(gid)
        node = nodes[gid]
        parent = node.parent_id
        if parent is not None and parent in nodes and not node.archived and node.weight > 0:
            target = sums.get(parent)
            if target is None:
                sums[parent] = [node.weight, node.weight * done, node.weight * mine]
            else:
                target[0] += node.weight
                target[1] += node.weight * done
                target[2] += node.weight * mine
    return progress, expected, measured


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
