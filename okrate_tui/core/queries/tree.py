"""A cycle's goal tree with every goal's progress, status, pace and task counts.

:func:`load_tree` reads the whole cycle once (a few queries, then a walk in Python), so
the goal tree pane and ``okrate goal list`` can show any goal without asking again.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from typing import Any

from okrate_tui.core.grammar import owner_handle
from okrate_tui.core.models import Cycle
from okrate_tui.core.queries.goals import (
    Scope,
    due_milestone_count,
    execution_rows,
    key_result_part,
    key_result_rows,
    late_milestone_count,
    milestone_part,
    milestone_rows,
    own_sums,
    tasks_part,
)
from okrate_tui.core.queries.sql import id_list, rows
from okrate_tui.core.rules.execution import EMPTY, Execution, subtree_counts
from okrate_tui.core.rules.matching import NONE, PART, WORD, Query, prepare
from okrate_tui.core.rules.pace import expected_progress, figure_behind, figure_status
from okrate_tui.core.rules.progress import (
    NO_OWN,
    UNMEASURED,
    Figure,
    GoalNode,
    Own,
    Part,
    Rollup,
    counts_up,
    rollup,
    settle,
    tree_order,
    walk,
    walk_order,
)
from okrate_tui.core.rules.ranking import Standing
from okrate_tui.core.text import fold
from okrate_tui.core.writes import get


@dataclass(frozen=True, slots=True)
class GoalLine:
    """What one line of the goal tree shows."""

    id: int
    parent_id: int | None
    title: str
    level: str
    owner: str | None
    team: str | None
    archived: bool
    progress: float
    measured: bool
    expected: float
    basis: str  # "outcome", "execution" (measured by its plan) or "" (nothing measures it)
    status: str
    manual_status: str | None
    behind: bool
    execution: Execution
    late_milestones: int = 0  # the goal's own milestones past due and not reached
    status_reason: str = ""

    def as_dict(self, depth: int) -> dict[str, Any]:
        return {
            "id": self.id,
            "parent_id": self.parent_id,
            "level": self.level,
            "depth": depth,
            "title": self.title,
            "owner": self.owner,
            "archived": self.archived,
            "progress": round(self.progress, 4),
            "status": self.status,
            "behind": self.behind,
            "tasks_open": self.execution.open,
            "tasks_overdue": self.execution.overdue,
            "late_milestones": self.late_milestones,
        }


class CycleTree:
    """Every goal of one cycle, with figures, children and search.

    Progress and task counts of every goal are computed once, without keeping parts; a
    goal's full :class:`Rollup` (its breakdown) is built when asked for.
    """

    def __init__(
        self,
        cycle: Cycle,
        today: date,
        nodes: dict[int, GoalNode],
        info: dict[int, tuple],
        own_rows: dict[int, list[tuple]],
        execution_rows: list[tuple],
        owners: dict[int, int | None] | None = None,
        reasons: dict[int, str] | None = None,
        carried: dict[int, int] | None = None,
    ):
        self.cycle = cycle
        self.today = today
        self.nodes = nodes
        self._info = info
        self._owners = owners or {}
        self._reasons = reasons or {}
        self._carried = carried or {}  # tasks outside milestones done before a carry-over
        self._own_rows = own_rows
        self._children: dict[int | None, list[int]] = {}
        for gid, node in nodes.items():
            parent = node.parent_id if node.parent_id in nodes else None
            self._children.setdefault(parent, []).append(gid)
        for kids in self._children.values():
            kids.sort()
        self._plan: dict[int, tuple] = {r[0]: r for r in execution_rows}  # the whole row, for the plan
        self._own_work: dict[int, tuple] = {r[0]: tuple(r[1:9]) for r in execution_rows}
        order = walk_order(nodes)
        self._shares: dict[tuple, float] = {}
        sums = {
            gid: self.own_sums(gid)
            for gid in own_rows.keys() | self._plan.keys() | self._carried.keys()
            if gid in nodes
        }
        self._figures = walk(nodes, sums, self.own_expected, order)
        self._counts = subtree_counts(nodes, self._own_work, order)
        self._lines: dict[int, GoalLine] = {}
        self._standings: dict[int, Standing] = {}  # for ranking Next; any patch clears them
        self._rollups: dict[int, Rollup] = {}  # breakdowns asked for; any patch clears them
        self._orders: dict[bool, list[tuple[int, int]]] = {}  # parents first, with depth
        self._titles: dict[int, str] | None = None  # prepared for search, on the first one

    def __contains__(self, goal_id: object) -> bool:
        return goal_id in self.nodes

    def __len__(self) -> int:
        return len(self.nodes)

    def children(self, parent_id: int | None, *, archived: bool = False) -> list[int]:
        kids = self._children.get(parent_id, [])
        if archived:
            return list(kids)
        return [k for k in kids if not self.nodes[k].archived]

    def own_parts(self, goal_id: int, stones: list[tuple] | None = None) -> list[Part]:
        """The goal's key results, milestones and loose tasks as roll-up parts."""
        parts = [
            key_result_part(r[:-1]) if r[-1] == "kr" else milestone_part(r[:-1])
            for r in self._own_rows.get(goal_id, [])
        ]
        mine = self._stones(goal_id) if stones is None else stones
        loose = tasks_part(goal_id, self._plan.get(goal_id), mine, self._carried.get(goal_id, 0))
        return [*parts, loose] if loose is not None else parts

    def _stones(self, goal_id: int) -> list[tuple]:
        return [r[:-1] for r in self._own_rows.get(goal_id, []) if r[-1] == "milestone"]

    def own_sums(self, goal_id: int) -> Own:
        """What the goal's own parts add up to, with its plan's lateness."""
        if goal_id not in self._own_rows and goal_id not in self._plan and goal_id not in self._carried:
            return NO_OWN
        stones = self._stones(goal_id)
        return own_sums(
            self.own_parts(goal_id, stones),
            self._plan.get(goal_id),
            late_milestone_count(stones, self.today) if stones else 0,
            due_milestone_count(stones, self.today) if stones else 0,
        )

    def late_milestones(self, goal_id: int) -> int:
        """How many of the goal's own milestones are late today."""
        stones = self._stones(goal_id)
        return late_milestone_count(stones, self.today) if stones else 0

    def figure(self, goal_id: int) -> Figure:
        """The goal's progress, expected progress and plan lateness (see :mod:`..rules.progress`)."""
        found = self._figures.get(goal_id)
        return found if found is not None else Figure(UNMEASURED, 0.0, self.own_expected(goal_id))

    def owner_id(self, goal_id: int) -> int | None:
        return self._owners.get(goal_id)

    def progress(self, goal_id: int) -> float:
        return self.figure(goal_id).progress

    def _kids(self, goal_id: int) -> list[tuple[int, Figure]]:
        """The children that count in the goal's figure, with theirs."""
        found = []
        for kid in self._children.get(goal_id, ()):
            figure = self.figure(kid)
            if counts_up(self.nodes[kid], self.nodes, figure):
                found.append((kid, figure))
        return found

    def rollup(self, goal_id: int) -> Rollup:
        """The goal's progress with its breakdown (own parts, then live sub-goals)."""
        known = self._rollups.get(goal_id)
        if known is not None:
            return known
        kids = [
            Part("goal", k, self.nodes[k].title, self.nodes[k].weight, figure.progress, figure.basis)
            for k, figure in self._kids(goal_id)
        ]
        found = self._rollups[goal_id] = rollup([*self.own_parts(goal_id), *kids])
        return found

    def own_expected(self, goal_id: int) -> float:
        """The elapsed share of the goal's own period (its dates, else its cycle's)."""
        _, _, _, _, starts, due = self._info[goal_id]
        key = (starts, due)
        share = self._shares.get(key)
        if share is None:
            share = expected_progress(_day(starts) or self.cycle.starts, _day(due) or self.cycle.ends, self.today)
            self._shares[key] = share
        return share

    def expected(self, goal_id: int) -> float:
        """The progress expected by now: its own share, or its parts' weighted mean."""
        return self.figure(goal_id).expected

    def execution(self, goal_id: int) -> Execution:
        counts = self._counts.get(goal_id)
        return Execution(*counts) if counts is not None else EMPTY

    def line(self, goal_id: int) -> GoalLine:
        cached = self._lines.get(goal_id)
        if cached is not None:
            return cached
        node = self.nodes[goal_id]
        level, manual, owner, team, _, _ = self._info[goal_id]
        figure = self.figure(goal_id)
        line = GoalLine(
            id=goal_id,
            parent_id=node.parent_id,
            title=node.title,
            level=level,
            owner=owner,
            team=team,
            archived=node.archived,
            progress=figure.progress,
            measured=bool(figure.basis),
            expected=figure.expected,
            basis=figure.basis,
            status=figure_status(manual, figure),
            manual_status=manual,
            behind=figure_behind(figure),
            execution=self.execution(goal_id),
            late_milestones=self.late_milestones(goal_id),
            status_reason=self._reasons.get(goal_id, "") if manual else "",
        )
        self._lines[goal_id] = line
        return line

    def ordered(self, *, archived: bool = False) -> list[tuple[GoalLine, int]]:
        """Every goal with its depth, parents first; archived subtrees only when asked."""
        return [(self.line(gid), depth) for gid, depth in self._order(archived)]

    def count(self, *, archived: bool = False) -> int:
        """How many goals :meth:`ordered` lists, without working out their figures."""
        return len(self._order(archived))

    def _order(self, archived: bool) -> list[tuple[int, int]]:
        cached = self._orders.get(archived)
        if cached is not None:
            return cached
        out: list[tuple[int, int]] = []
        hidden: set[int] = set()
        for gid, depth in tree_order(self.nodes):
            node = self.nodes[gid]
            if node.archived or node.parent_id in hidden:
                hidden.add(gid)
                if not archived:
                    continue
            out.append((gid, depth))
        self._orders[archived] = out
        return out

    def patch(self, patch: GoalPatch) -> set[int]:
        """Take fresh rows for a few goals (their own fields, parts or tasks) and update
        the figures of those goals and of every goal above them. Returns the goals whose
        lines changed. Changes to the tree's shape (parents, weights, archiving) need a
        fresh :func:`load_tree` instead."""
        touched: set[int] = set()
        if patch.info:
            self._orders.clear()
        for gid, row in patch.info.items():
            if gid not in self.nodes:
                continue
            self.nodes[gid] = GoalNode(row[0], row[1], row[2], float(row[3]), bool(row[4]))
            self._info[gid] = row[5:11]
            self._owners[gid] = row[11]
            self._reasons[gid] = row[12] or ""
            self._carried[gid] = int(row[13] or 0)
            if self._titles is not None:
                self._titles[gid] = prepare(row[2])
            touched |= self._rollup_up(gid)  # its dates may change what its parents expect
        for gid, parts in patch.parts.items():
            if gid in self.nodes:
                self._own_rows[gid] = parts
                touched |= self._rollup_up(gid)
        for gid, work in patch.work.items():
            if gid in self.nodes:
                touched |= self._count_up(gid, work)
                if work is None:
                    self._plan.pop(gid, None)
                else:
                    self._plan[gid] = work
                touched |= self._rollup_up(gid)  # its loose tasks and their lateness
        for gid in touched:
            self._lines.pop(gid, None)
        self._standings.clear()
        self._rollups.clear()
        return touched

    def _rollup_up(self, goal_id: int) -> set[int]:
        """Settle the figures from ``goal_id`` up to the top, as :func:`walk` would."""
        chain: set[int] = set()
        current: int | None = goal_id
        while current is not None and current in self.nodes and current not in chain:
            chain.add(current)
            kids = [(self.nodes[kid].weight, figure) for kid, figure in self._kids(current)]
            self._figures[current] = settle(self.own_sums(current), self.own_expected(current), kids)
            node = self.nodes[current]
            current = node.parent_id if not node.archived else None
        return chain

    def _count_up(self, goal_id: int, row: tuple | None) -> set[int]:
        """Replace one goal's own task counts and carry the difference up its live chain."""
        before = self._own_work.get(goal_id, (0,) * 8)
        after = tuple(int(v or 0) for v in row[1:9]) if row else (0,) * 8
        self._own_work[goal_id] = after
        delta = [a - b for a, b in zip(after, before, strict=True)]
        chain: set[int] = set()
        current: int | None = goal_id
        while current is not None and current in self.nodes and current not in chain:
            chain.add(current)
            totals = self._counts.setdefault(current, [0] * 8)
            for index, value in enumerate(delta):
                totals[index] += value
            node = self.nodes[current]
            current = node.parent_id if not node.archived else None
        return chain

    def standing(self, goal_id: int) -> Standing | None:
        """What the goal stands for in ranking work: its status and its share of its top
        goal's progress (its weight's share among the parts its parent's progress is made
        of, multiplied up the chain; 0 when it is not one of them)."""
        if goal_id not in self.nodes:
            return None
        known = self._standings.get(goal_id)
        if known is not None:
            return known
        reach, top = 1.0, goal_id
        seen: set[int] = set()
        node = self.nodes[goal_id]
        while node.parent_id is not None and node.parent_id in self.nodes and node.id not in seen:
            seen.add(node.id)
            rolled = self.rollup(node.parent_id)
            weight = sum(p.weight for p in rolled.parts if p.kind == "goal" and p.id == node.id)
            reach *= weight / rolled.total_weight if rolled.total_weight > 0 else 0.0
            node = self.nodes[node.parent_id]
            top = node.id
        found = Standing(self.nodes[goal_id].title, self.line(goal_id).status, reach, self.nodes[top].title)
        self._standings[goal_id] = found
        return found

    def ancestors(self, goal_id: int) -> list[int]:
        """The goal's ancestors, nearest last (the goal itself excluded)."""
        chain: list[int] = []
        parent = self.nodes[goal_id].parent_id
        while parent is not None and parent in self.nodes and parent not in chain:
            chain.append(parent)
            parent = self.nodes[parent].parent_id
        return list(reversed(chain))

    def search(self, text: str, *, archived: bool = False, limit: int = 500, me: str | None = None) -> list[int]:
        """Goals whose title, owner (``@handle``, ``@me``, ``@none``) or team (``#team``)
        matches every word of ``text``, best first (see :mod:`okrate_tui.core.rules.matching`;
        a word found only in the owner or team counts as a part), then by id."""
        owners: list[str | None] = []
        teams: list[str] = []
        plain: list[str] = []
        for word in text.split():
            if word[0] in "@#" and len(word) == 1:
                continue  # still being typed
            if word[0] == "@":
                try:
                    owners.append(owner_handle(word, me=me))
                except ValueError:
                    owners.append(fold(word[1:]))
            elif word[0] == "#":
                teams.append(fold(word[1:]))
            else:
                plain.append(word)
        if not (owners or teams or plain):
            return []
        whole = Query(" ".join(plain))
        singles = [(Query(word), fold(word)) for word in plain]
        if self._titles is None:
            self._titles = {gid: prepare(node.title) for gid, node in self.nodes.items()}
        found: list[tuple[int, int]] = []
        for gid, node in self.nodes.items():
            if node.archived and not archived:
                continue
            _, _, owner, team, _, _ = self._info[gid]
            owner_key, team_key = fold(owner) if owner else None, fold(team) if team else None
            if not all(_owned(wanted, owner_key) for wanted in owners):
                continue
            if not all(team_key is not None and wanted in team_key for wanted in teams):
                continue
            title = self._titles[gid]
            tier = whole.score(title, prepared=True)
            if not tier:
                tier = WORD
                for query, word in singles:
                    here = query.score(title, prepared=True) or (
                        PART
                        if (owner_key is not None and owner_key.startswith(word))
                        or (team_key is not None and word in team_key)
                        else NONE
                    )
                    tier = min(tier, here)
            if tier:
                found.append((-tier, gid))
        found.sort()
        return [gid for _, gid in found[:limit]]


def _owned(wanted: str | None, owner: str | None) -> bool:
    """``@none`` (None) wants no owner; otherwise the owner's handle starts with it."""
    return owner is None if wanted is None else owner is not None and owner.startswith(wanted)


_GOAL_SQL = (
    "SELECT g.id, g.parent_id, g.title, g.weight, g.archived, g.level, g.status, p.handle, t.name, "
    "g.starts, g.due, g.owner_id, g.status_reason, g.carried_done FROM goal g "
    "LEFT JOIN person p ON p.id = g.owner_id "
    "LEFT JOIN team t ON t.id = g.team_id"
)


def load_tree(cycle_id: int, today: date) -> CycleTree:
    """Read a cycle's goals and compute every figure the tree shows."""
    cycle = get(Cycle, cycle_id)
    scope = Scope(cycle_id=cycle_id)
    nodes: dict[int, GoalNode] = {}
    info: dict[int, tuple] = {}
    owners: dict[int, int | None] = {}
    reasons: dict[int, str] = {}
    carried: dict[int, int] = {}
    for r in rows(f"{_GOAL_SQL} WHERE g.cycle_id = ?", [cycle_id]):
        nodes[r[0]] = GoalNode(r[0], r[1], r[2], float(r[3]), bool(r[4]))
        info[r[0]] = r[5:11]
        owners[r[0]] = r[11]
        if r[12]:
            reasons[r[0]] = r[12]
        if r[13]:
            carried[r[0]] = int(r[13])
    own: dict[int, list[tuple]] = {}
    for row in key_result_rows(scope):
        own.setdefault(row[0], []).append((*row, "kr"))
    for row in milestone_rows(scope):
        own.setdefault(row[0], []).append((*row, "milestone"))
    return CycleTree(cycle, today, nodes, info, own, execution_rows(scope, today), owners, reasons, carried)


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass
class GoalPatch:
    """Fresh rows for a few goals of a loaded tree (see :meth:`CycleTree.patch`)."""

    info: dict[int, tuple]
    parts: dict[int, list[tuple]]
    work: dict[int, tuple | None]


def tree_patch(cycle_id: int, today: date, *, info: set[int], parts: set[int], work: set[int]) -> GoalPatch:
    """Read what :meth:`CycleTree.patch` needs for the goals named (few queries, indexed)."""
    found_info = {r[0]: r for r in rows(f"{_GOAL_SQL} WHERE g.id IN ({id_list(info)}) AND g.cycle_id = ?", [cycle_id])}
    own: dict[int, list[tuple]] = {gid: [] for gid in parts}
    if parts:
        scope = Scope(ids=tuple(parts))
        for row in key_result_rows(scope):
            own[row[0]].append((*row, "kr"))
        for row in milestone_rows(scope):
            own[row[0]].append((*row, "milestone"))
    counts: dict[int, tuple | None] = dict.fromkeys(work)
    if work:
        for row in execution_rows(Scope(ids=tuple(work)), today):
            counts[row[0]] = tuple(row)
    return GoalPatch(found_info, own, counts)


def goals_of_parts(
    *,
    key_results: AbstractSet[int] = frozenset(),
    milestones: AbstractSet[int] = frozenset(),
    check_ins: AbstractSet[int] = frozenset(),
) -> set[int]:
    """The goals whose own parts these key results, milestones and check-ins are."""
    goals: set[int] = set()
    if key_results:
        goals |= {r[0] for r in rows(f"SELECT goal_id FROM key_result WHERE id IN ({id_list(key_results)})")}
    if milestones:
        goals |= {r[0] for r in rows(f"SELECT goal_id FROM milestone WHERE id IN ({id_list(milestones)})")}
    if check_ins:
        goals |= {
            r[0]
            for r in rows(
                "SELECT k.goal_id FROM check_in c JOIN key_result k ON k.id = c.key_result_id "
                f"WHERE c.id IN ({id_list(check_ins)})"
            )
        }
    return goals
