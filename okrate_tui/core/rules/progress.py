"""Key-result progress and the weighted roll-up of goals.

Progress is a share in [0, 1]. A goal's progress is the weighted mean of its parts:
its key results, its milestones and its child goals. Archived children and children
that nothing measures yet (no key results, milestones or measured sub-goals) are left
out: a goal created a minute ago must not drag its parent down. Every roll-up keeps its
parts so the UI can explain a number ("why 62%?").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


def clamp01(value: float) -> float:
    if math.isnan(value) or value <= 0:  # -0.0 too: "−0.0 pts" is never shown
        return 0.0
    return 1.0 if value > 1 else value


def kr_progress(kind: str, baseline: float, target: float, current: float, direction: str) -> float:
    """Progress of one key result.

    ``(current − baseline) / (target − baseline)`` clamped to [0, 1]; this also serves
    targets below the baseline. When target equals baseline, or the direction is
    ``stay_above``/``stay_below``, meeting the target counts as 1. Binary results are 0 or 1.
    """
    if kind == "binary":
        return 1.0 if current >= 1 else 0.0
    met = current <= target if direction in ("decrease", "stay_below") else current >= target
    if met and direction in ("stay_above", "stay_below"):
        return 1.0
    span = target - baseline
    if span == 0:
        return 1.0 if met else 0.0
    return clamp01((current - baseline) / span)


def milestone_progress(done: bool, tasks_done: int, tasks_total: int) -> float:
    """A milestone counts done when flagged; otherwise by its tasks (done / all)."""
    if done:
        return 1.0
    if tasks_total <= 0:
        return 0.0
    return clamp01(tasks_done / tasks_total)


@dataclass(frozen=True, slots=True)
class Part:
    """One contributor to a goal's progress."""

    kind: str  # "key_result" | "milestone" | "goal"
    id: int
    title: str
    weight: float
    progress: float


@dataclass(frozen=True, slots=True)
class Rollup:
    """A goal's progress with the parts it came from."""

    progress: float
    parts: tuple[Part, ...]

    @property
    def measured(self) -> bool:
        """False when the goal has nothing to measure it by."""
        return bool(self.parts)

    @property
    def total_weight(self) -> float:
        return sum(part.weight for part in self.parts)

    def contribution(self, part: Part) -> float:
        """The points this part adds to the goal's progress (weight share × progress)."""
        total = self.total_weight
        return part.weight * part.progress / total if total > 0 else 0.0


def rollup(parts: Iterable[Part]) -> Rollup:
    """Weighted mean of the parts' progress; no parts gives 0 and ``measured`` False."""
    kept = tuple(p for p in parts if p.weight > 0)
    total = weighted = 0.0
    for part in kept:
        total += part.weight
        weighted += part.weight * part.progress
    if total <= 0:
        return Rollup(0.0, kept)
    return Rollup(clamp01(weighted / total), kept)


@dataclass(frozen=True, slots=True)
class GoalNode:
    """What the tree walk needs to know of one goal."""

    id: int
    parent_id: int | None
    title: str
    weight: float
    archived: bool


def walk_order(nodes: Mapping[int, GoalNode]) -> list[int]:
    """Goal ids with every child before its parent (iterative, any depth).

    Goals whose parent is not among ``nodes`` are treated as roots.
    """
    children: dict[int | None, list[int]] = {}
    for node in nodes.values():
        parent = node.parent_id if node.parent_id in nodes else None
        children.setdefault(parent, []).append(node.id)
    order: list[int] = []
    stack: list[tuple[int, bool]] = [(gid, False) for gid in children.get(None, ())]
    while stack:
        gid, expanded = stack.pop()
        if expanded:
            order.append(gid)
            continue
        stack.append((gid, True))
        stack.extend((child, False) for child in children.get(gid, ()))
    return order


def rollup_tree(
    nodes: Mapping[int, GoalNode],
    own_parts: Mapping[int, Sequence[Part]],
    order: Sequence[int] | None = None,
) -> dict[int, Rollup]:
    """Roll every goal up from its own parts and its non-archived child goals.

    ``order`` is :func:`walk_order` of ``nodes`` when the caller has it already.
    """
    child_parts: dict[int, list[Part]] = {}
    result: dict[int, Rollup] = {}
    empty: tuple[Part, ...] = ()
    for gid in order if order is not None else walk_order(nodes):
        node = nodes[gid]
        mine, below = own_parts.get(gid, empty), child_parts.get(gid, empty)
        rolled = rollup((*mine, *below) if below else mine)
        result[gid] = rolled
        if node.parent_id is not None and node.parent_id in nodes and not node.archived and rolled.measured:
            child_parts.setdefault(node.parent_id, []).append(
                Part("goal", gid, node.title, node.weight, rolled.progress)
            )
    return result


def tree_order(nodes: Mapping[int, GoalNode]) -> list[tuple[int, int]]:
    """(goal id, depth) with every parent before its children, siblings by id."""
    children: dict[int | None, list[int]] = {}
    for node in nodes.values():
        parent = node.parent_id if node.parent_id in nodes else None
        children.setdefault(parent, []).append(node.id)
    order: list[tuple[int, int]] = []
    stack = [(gid, 0) for gid in sorted(children.get(None, ()), reverse=True)]
    while stack:
        gid, depth = stack.pop()
        order.append((gid, depth))
        stack.extend((child, depth + 1) for child in sorted(children.get(gid, ()), reverse=True))
    return order


def rollup_progress(
    nodes: Mapping[int, GoalNode],
    own: Mapping[int, tuple[float, float]],
    order: Sequence[int] | None = None,
    measured: set[int] | None = None,
) -> dict[int, float]:
    """Only the progress of every goal, the same numbers as :func:`rollup_tree` without
    keeping the parts: ``own`` gives each goal's (Σ weight, Σ weight × progress) of its
    own key results and milestones. The fast path for whole-cycle trees; a goal is
    measured exactly when it appears in the result's ``measured`` companion, see
    :func:`measured_goals`, which ``measured`` (when given) is filled with on the way."""
    sums: dict[int, list[float]] = {gid: [w, wp] for gid, (w, wp) in own.items() if w > 0}
    result: dict[int, float] = {}
    for gid in order if order is not None else walk_order(nodes):
        acc = sums.get(gid)
        if acc is not None and measured is not None:
            measured.add(gid)  # own parts, or a measured live child that reported here
        progress = clamp01(acc[1] / acc[0]) if acc is not None and acc[0] > 0 else 0.0
        result[gid] = progress
        node = nodes[gid]
        parent = node.parent_id
        if parent is not None and parent in nodes and not node.archived and node.weight > 0 and acc is not None:
            target = sums.get(parent)
            if target is None:
                sums[parent] = [node.weight, node.weight * progress]
            else:
                target[0] += node.weight
                target[1] += node.weight * progress
    return result


def measured_goals(
    nodes: Mapping[int, GoalNode], own: Mapping[int, tuple[float, float]], order: Sequence[int] | None = None
) -> set[int]:
    """Goals with something to measure them by: own parts, or a live measured child."""
    measured = {gid for gid, (w, _) in own.items() if w > 0 and gid in nodes}
    for gid in order if order is not None else walk_order(nodes):
        node = nodes[gid]
        parent = node.parent_id
        if gid in measured and parent is not None and parent in nodes and not node.archived and node.weight > 0:
            measured.add(parent)
    return measured
