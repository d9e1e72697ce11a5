"""Execution metrics: the work behind a goal, counted from its tasks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from okrate_tui.core.rules.progress import GoalNode, walk_order


@dataclass(frozen=True, slots=True)
class Execution:
    """Task counts for one goal or subtree."""

    total: int = 0
    done: int = 0
    doing: int = 0
    blocked: int = 0
    overdue: int = 0
    unowned: int = 0
    no_deadline: int = 0
    no_priority: int = 0

    @property
    def open(self) -> int:
        return self.total - self.done

    @property
    def done_share(self) -> float:
        """Tasks done as a share of all tasks (0 when there are none)."""
        return self.done / self.total if self.total else 0.0

    def __add__(self, other: Execution) -> Execution:
        return Execution(
            self.total + other.total,
            self.done + other.done,
            self.doing + other.doing,
            self.blocked + other.blocked,
            self.overdue + other.overdue,
            self.unowned + other.unowned,
            self.no_deadline + other.no_deadline,
            self.no_priority + other.no_priority,
        )


EMPTY = Execution()


def subtree_execution(
    nodes: Mapping[int, GoalNode],
    own: Mapping[int, Execution],
    order: Sequence[int] | None = None,
) -> dict[int, Execution]:
    """Sum each goal's own task counts with those of its whole subtree.

    Archived goals keep their own counts but do not add to their parent's.
    ``order`` is :func:`walk_order` of ``nodes`` when the caller has it already.
    """
    totals: dict[int, Execution] = {}
    for gid in order if order is not None else walk_order(nodes):
        totals[gid] = totals.get(gid, EMPTY) + own.get(gid, EMPTY)
        node = nodes[gid]
        parent = node.parent_id
        if parent is not None and parent in nodes and not node.archived:
            totals[parent] = totals.get(parent, EMPTY) + totals[gid]
    return totals


def subtree_counts(
    nodes: Mapping[int, GoalNode],
    own: Mapping[int, Sequence[int]],
    order: Sequence[int] | None = None,
) -> dict[int, list[int]]:
    """:func:`subtree_execution` on plain lists of the eight counts (in
    :class:`Execution` field order): the fast path for whole-cycle trees."""
    totals: dict[int, list[int]] = {}
    for gid in order if order is not None else walk_order(nodes):
        mine = totals.get(gid)
        counts = own.get(gid)
        if mine is None:
            mine = totals[gid] = list(counts) if counts is not None else [0] * 8
        elif counts is not None:
            for index, value in enumerate(counts):
                mine[index] += value
        node = nodes[gid]
        parent = node.parent_id
        if parent is not None and parent in nodes and not node.archived:
            above = totals.get(parent)
            if above is None:
                totals[parent] = list(mine)
            else:
                for index, value in enumerate(mine):
                    above[index] += value
    return totals
