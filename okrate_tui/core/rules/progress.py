"""Key-result progress and the weighted roll-up of goals.

Progress is a share in [0, 1] and comes from a goal's **outcome**: the weighted mean of
its key results and of its sub-goals that are measured by outcome. Milestones and tasks
are its **execution**: they never move the progress of a goal that has an outcome, so
planning work never makes a goal look further from done. A goal with no outcome at all
(no key result, no sub-goal measured by outcome) is measured by its plan instead: the
mean of its milestones (1 each), its tasks outside milestones (1 each) and its sub-goals
measured the same way. Archived children and children that nothing measures yet are left
out: a goal created a minute ago must not drag its parent down. Every roll-up keeps its
parts so the UI can explain a number ("why 62%?").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
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


OUTCOME = "outcome"  # measured by key results and sub-goals measured so
EXECUTION = "execution"  # measured by its plan: milestones and tasks
UNMEASURED = ""


def milestones_done(done: bool, tasks_done: int, tasks_total: int, carried_done: int = 0) -> float:
    """A milestone's progress counting the tasks it finished before it was carried over
    from an earlier cycle (``carried_done``): they stay done."""
    return milestone_progress(done, tasks_done + carried_done, tasks_total + carried_done)


@dataclass(frozen=True, slots=True)
class Part:
    """One contributor to a goal's progress. ``basis`` says which measure it belongs to:
    key results are outcome, milestones and tasks execution, a sub-goal what measures it."""

    kind: str  # "key_result" | "milestone" | "tasks" | "goal"
    id: int
    title: str
    weight: float
    progress: float
    basis: str = OUTCOME


@dataclass(frozen=True, slots=True)
class Rollup:
    """A goal's progress with the parts it came from (``parts``) and, in ``aside``, the
    parts that measure the other thing (a goal with an outcome keeps its plan there)."""

    progress: float
    parts: tuple[Part, ...]
    basis: str = UNMEASURED
    aside: tuple[Part, ...] = ()

    @property
    def measured(self) -> bool:
        """False when the goal has nothing to measure it by."""
        return bool(self.basis)

    @property
    def total_weight(self) -> float:
        return sum(part.weight for part in self.parts)

    def contribution(self, part: Part) -> float:
        """The points this part adds to the goal's progress (weight share × progress)."""
        total = self.total_weight
        return part.weight * part.progress / total if total > 0 else 0.0


def rollup(parts: Iterable[Part]) -> Rollup:
    """Weighted mean of the outcome parts' progress, or of the execution parts' when
    there is no outcome part; no parts gives 0 and ``measured`` False."""
    kept = tuple(p for p in parts if p.weight > 0)
    outcome = tuple(p for p in kept if p.basis == OUTCOME)
    basis = OUTCOME if outcome else EXECUTION
    chosen = outcome or tuple(p for p in kept if p.basis == EXECUTION)
    aside = tuple(p for p in kept if p.basis != basis)
    if not chosen:
        return Rollup(0.0, (), UNMEASURED, aside)
    total = weighted = 0.0
    for part in chosen:
        total += part.weight
        weighted += part.weight * part.progress
    return Rollup(clamp01(weighted / total), chosen, basis, aside)


@dataclass(slots=True)
class Own:
    """What a goal's own parts add up to: Σ weight and Σ weight × progress of its key
    results (outcome) and of its milestones and loose tasks (plan), and how many of its
    dated milestones and tasks were due by today (``due``) and are not done (``late``)."""

    outcome_weight: float = 0.0
    outcome_score: float = 0.0
    plan_weight: float = 0.0
    plan_score: float = 0.0
    late: int = 0
    due: int = 0

    def add(self, part: Part) -> None:
        if part.weight <= 0:
            return
        if part.basis == OUTCOME:
            self.outcome_weight += part.weight
            self.outcome_score += part.weight * part.progress
        else:
            self.plan_weight += part.weight
            self.plan_score += part.weight * part.progress


@dataclass(frozen=True, slots=True)
class Figure:
    """A goal's progress, what it expects by today (outcome goals), and the lateness of
    its plan (execution goals: late of due, its own and its plan-measured sub-goals')."""

    basis: str
    progress: float
    expected: float
    late: int = 0
    due: int = 0


NO_OWN = Own()


def settle(own: Own, share: float, kids: Iterable[tuple[float, Figure]]) -> Figure:
    """One goal's figure from its own sums, the elapsed share of its own period and its
    live, weighted, measured children (weight, figure): the one roll-up step."""
    weight, score, expected = own.outcome_weight, own.outcome_score, own.outcome_weight * share
    plan_weight, plan_score, late, due = own.plan_weight, own.plan_score, own.late, own.due
    for kid_weight, kid in kids:
        if kid.basis == OUTCOME:
            weight += kid_weight
            score += kid_weight * kid.progress
            expected += kid_weight * kid.expected
        elif kid.basis == EXECUTION:
            plan_weight += kid_weight
            plan_score += kid_weight * kid.progress
            late += kid.late
            due += kid.due
    if weight > 0:
        return Figure(OUTCOME, clamp01(score / weight), clamp01(expected / weight), own.late, own.due)
    if plan_weight > 0:
        return Figure(EXECUTION, clamp01(plan_score / plan_weight), share, late, due)
    return Figure(UNMEASURED, 0.0, share, own.late, own.due)


def counts_up(node: GoalNode, nodes: Mapping[int, GoalNode], figure: Figure) -> bool:
    """Whether a goal's figure counts in its parent's: live, weighted and measured."""
    return (
        node.parent_id is not None
        and node.parent_id in nodes
        and not node.archived
        and node.weight > 0
        and bool(figure.basis)
    )


def walk(
    nodes: Mapping[int, GoalNode],
    own: Mapping[int, Own],
    share: Callable[[int], float],
    order: Sequence[int] | None = None,
) -> dict[int, Figure]:
    """Every goal's :class:`Figure`, children first (see :func:`settle`)."""
    kids: dict[int, list[tuple[float, Figure]]] = {}
    result: dict[int, Figure] = {}
    for gid in order if order is not None else walk_order(nodes):
        figure = result[gid] = settle(own.get(gid, NO_OWN), share(gid), kids.get(gid, ()))
        node = nodes[gid]
        parent = node.parent_id
        if parent is not None and counts_up(node, nodes, figure):
            kids.setdefault(parent, []).append((node.weight, figure))
    return result


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
                Part("goal", gid, node.title, node.weight, rolled.progress, rolled.basis)
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
