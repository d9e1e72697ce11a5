"""The pure rules: progress, roll-up, execution, pace and health."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrate_tui.core.rules.execution import Execution, subtree_execution
from okrate_tui.core.rules.health import goal_flags, is_due_soon, task_flags
from okrate_tui.core.rules.pace import (
    auto_status,
    effective_status,
    expected_progress,
    figure_behind,
    figure_status,
    is_behind,
)
from okrate_tui.core.rules.progress import (
    EXECUTION,
    OUTCOME,
    GoalNode,
    Own,
    Part,
    kr_progress,
    milestone_progress,
    rollup,
    rollup_tree,
    tree_order,
    walk,
    walk_order,
)

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)
kinds = st.sampled_from(("numeric", "percent", "currency", "binary"))
directions = st.sampled_from(("increase", "decrease", "stay_above", "stay_below"))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("numeric", 0, 100, 40, "increase"), 0.4),
        (("numeric", 900, 300, 600, "decrease"), 0.5),
        (("numeric", 900, 300, 1000, "decrease"), 0.0),
        (("numeric", 0, 100, 150, "increase"), 1.0),
        (("numeric", 5, 5, 5, "increase"), 1.0),
        (("numeric", 5, 5, 4, "increase"), 0.0),
        (("percent", 99.5, 99.9, 99.95, "stay_above"), 1.0),
        (("percent", 6, 5, 4, "stay_below"), 1.0),
        (("binary", 0, 1, 1, "increase"), 1.0),
        (("binary", 0, 1, 0, "increase"), 0.0),
    ],
)
def test_key_result_progress(args: tuple, expected: float) -> None:
    assert kr_progress(*args) == pytest.approx(expected)


@given(kinds, finite, finite, finite, directions)
def test_progress_is_always_between_zero_and_one(kind, base, target, current, direction) -> None:
    assert 0.0 <= kr_progress(kind, base, target, current, direction) <= 1.0


def test_milestone_progress() -> None:
    assert milestone_progress(True, 0, 5) == 1.0
    assert milestone_progress(False, 2, 4) == 0.5
    assert milestone_progress(False, 0, 0) == 0.0


parts = st.lists(
    st.builds(
        Part,
        kind=st.just("key_result"),
        id=st.integers(1, 10_000),
        title=st.just("x"),
        weight=st.floats(min_value=0.01, max_value=1000),
        progress=st.floats(min_value=0, max_value=1),
    ),
    max_size=20,
)


@given(parts)
def test_rollup_is_the_weighted_mean_and_explains_itself(items: list[Part]) -> None:
    result = rollup(items)
    assert 0.0 <= result.progress <= 1.0
    if not items:
        assert result.progress == 0.0 and not result.measured
        return
    total = sum(p.weight for p in items)
    assert result.progress == pytest.approx(sum(p.weight * p.progress for p in items) / total)
    assert sum(result.contribution(p) for p in result.parts) == pytest.approx(result.progress)


@st.composite
def trees(draw):
    """A random forest of goals with parts and task counts."""
    count = draw(st.integers(1, 30))
    nodes = {}
    for gid in range(1, count + 1):
        parent = draw(st.one_of(st.none(), st.integers(1, gid - 1))) if gid > 1 else None
        nodes[gid] = GoalNode(gid, parent, f"g{gid}", draw(st.floats(0.1, 10)), draw(st.booleans()))
    own = {gid: [Part("key_result", gid, "kr", 1.0, draw(st.floats(0, 1)))] for gid in nodes if draw(st.booleans())}
    counts = {gid: Execution(total=t, done=draw(st.integers(0, t))) for gid in nodes for t in [draw(st.integers(0, 9))]}
    return nodes, own, counts


@given(trees())
def test_rollup_tree_equals_weighted_mean_of_children(tree) -> None:
    nodes, own, _ = tree
    result = rollup_tree(nodes, own)
    for gid, node in nodes.items():
        kids = [n for n in nodes.values() if n.parent_id == gid and not n.archived and result[n.id].measured]
        mine = own.get(gid, [])
        weights = [p.weight for p in mine] + [k.weight for k in kids]
        values = [p.progress for p in mine] + [result[k.id].progress for k in kids]
        expected = sum(w * v for w, v in zip(weights, values, strict=True)) / sum(weights) if weights else 0.0
        assert result[gid].progress == pytest.approx(expected)
        assert 0.0 <= result[gid].progress <= 1.0
        del node


@given(trees(), st.data())
def test_moving_a_subtree_keeps_company_totals(tree, data) -> None:
    nodes, _, counts = tree
    nodes = {g: GoalNode(n.id, n.parent_id, n.title, n.weight, False) for g, n in nodes.items()}
    before = subtree_execution(nodes, counts)
    roots = [g for g, n in nodes.items() if n.parent_id is None]
    grand = sum((before[r] for r in roots), Execution())
    mover = data.draw(st.sampled_from(sorted(nodes)))
    below = {mover}
    changed = True
    while changed:
        changed = False
        for g, n in nodes.items():
            if n.parent_id in below and g not in below:
                below.add(g)
                changed = True
    targets = [g for g in nodes if g not in below]
    if not targets:
        return
    new_parent = data.draw(st.sampled_from(targets))
    old = nodes[mover]
    root_of = _root(nodes, mover)
    nodes[mover] = GoalNode(old.id, new_parent, old.title, old.weight, False)
    after = subtree_execution(nodes, counts)
    new_roots = [g for g, n in nodes.items() if n.parent_id is None]
    assert sum((after[r] for r in new_roots), Execution()) == grand
    if _root(nodes, mover) == root_of:
        assert after[root_of] == before[root_of]


def _root(nodes, gid):
    while nodes[gid].parent_id is not None:
        gid = nodes[gid].parent_id
    return gid


def test_archived_children_leave_the_rollup() -> None:
    nodes = {
        1: GoalNode(1, None, "top", 1, False),
        2: GoalNode(2, 1, "kept", 1, False),
        3: GoalNode(3, 1, "archived", 1, True),
    }
    own = {2: [Part("key_result", 1, "a", 1, 0.5)], 3: [Part("key_result", 2, "b", 1, 1.0)]}
    result = rollup_tree(nodes, own)
    assert result[1].progress == 0.5
    assert [p.id for p in result[1].parts] == [2]
    counts = {2: Execution(total=2, done=1), 3: Execution(total=5, done=5)}
    assert subtree_execution(nodes, counts)[1] == Execution(total=2, done=1)


def test_walk_orders() -> None:
    nodes = {i: GoalNode(i, p, str(i), 1, False) for i, p in [(1, None), (2, 1), (3, 2), (4, 1)]}
    order = walk_order(nodes)
    assert order.index(3) < order.index(2) < order.index(1)
    assert tree_order(nodes) == [(1, 0), (2, 1), (3, 2), (4, 1)]


def test_pace() -> None:
    start, end = date(2026, 10, 1), date(2026, 12, 31)
    assert expected_progress(start, end, date(2026, 9, 1)) == 0.0
    assert expected_progress(start, end, date(2027, 1, 5)) == 1.0
    assert expected_progress(start, end, date(2026, 11, 15)) == pytest.approx(46 / 92)
    assert auto_status(0.5, 0.6) == "on_track"
    assert auto_status(0.4, 0.6) == "at_risk"
    assert auto_status(0.2, 0.6) == "off_track"
    assert auto_status(1.0, 0.6) == "done"
    assert auto_status(0.0, 0.9, measured=False) == "unmeasured"
    assert is_behind(0.4, 0.6) and not is_behind(0.5, 0.6)
    assert effective_status("on_track", 0.0, 1.0) == "on_track"


def test_health_flags() -> None:
    today = date(2026, 11, 26)
    flags = task_flags(
        owner_id=None,
        deadline=today - timedelta(days=1),
        priority=None,
        status="todo",
        today=today,
        updated_at=datetime(2026, 9, 1),
        now=datetime(2026, 11, 26),
    )
    assert flags == {"no_owner", "no_priority", "overdue", "stale"}
    assert task_flags(owner_id=None, deadline=None, priority=None, status="done", today=today) == set()
    assert task_flags(owner_id=1, deadline=None, priority="low", status="doing", today=today) == {"no_deadline"}
    assert is_due_soon(today + timedelta(days=2), "todo", today)
    assert not is_due_soon(today + timedelta(days=5), "todo", today)
    assert goal_flags(task_count=0, key_result_count=0, owner_id=None) == {
        "no_tasks",
        "no_key_results",
        "no_owner",
    }


def _sums(own: dict[int, list[Part]], late: dict[int, tuple[int, int]] | None = None) -> dict[int, Own]:
    sums: dict[int, Own] = {}
    for gid, parts in own.items():
        sums[gid] = Own()
        for part in parts:
            sums[gid].add(part)
    for gid, (late_items, due_items) in (late or {}).items():
        mine = sums.setdefault(gid, Own())
        mine.late, mine.due = late_items, due_items
    return sums


@given(trees())
def test_the_walk_agrees_with_the_explained_rollup(tree) -> None:
    from okrate_tui.core.rules.execution import subtree_counts

    nodes, own, counts = tree
    full = rollup_tree(nodes, own)
    shares = {gid: (gid % 7) / 7 for gid in nodes}
    walked = walk(nodes, _sums(own), shares.__getitem__)
    assert {g: f.progress for g, f in walked.items()} == pytest.approx({g: r.progress for g, r in full.items()})
    assert {g: f.basis for g, f in walked.items()} == {g: r.basis for g, r in full.items()}
    assert walk(nodes, _sums(own), shares.__getitem__, walk_order(nodes)) == walked
    lists = subtree_counts(nodes, {g: [c.total, c.done, 0, 0, 0, 0, 0, 0] for g, c in counts.items()})
    slow = subtree_execution(nodes, counts)
    assert {g: (v[0], v[1]) for g, v in lists.items()} == {g: (e.total, e.done) for g, e in slow.items()}


def test_unmeasured_children_leave_the_rollup() -> None:
    nodes = {1: GoalNode(1, None, "top", 1, False), 2: GoalNode(2, 1, "new", 5, False)}
    result = rollup_tree(nodes, {1: [Part("key_result", 1, "kr", 1, 0.8)]})
    assert result[1].progress == pytest.approx(0.8) and not result[2].measured


@given(trees(), st.data())
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_a_parent_expects_what_its_parts_expect(tree, data) -> None:
    """Expected progress rolls up with the weights progress does, so the gap a parent
    shows is the weighted mean of its parts' gaps."""
    nodes, own, _ = tree
    shares = {gid: data.draw(st.floats(0, 1)) for gid in nodes}
    result = walk(nodes, _sums(own), shares.__getitem__)
    weights = {gid: sum(p.weight for p in parts) for gid, parts in own.items()}
    for gid in nodes:
        kids = [n for n in nodes.values() if n.parent_id == gid and not n.archived and result[n.id].basis]
        mine = weights.get(gid, 0.0)
        total = mine + sum(k.weight for k in kids)
        wanted = (
            (mine * shares[gid] + sum(k.weight * result[k.id].expected for k in kids)) / total if total else shares[gid]
        )
        assert result[gid].expected == pytest.approx(wanted)
        assert 0.0 <= result[gid].expected <= 1.0


def test_a_late_or_unmeasured_child_does_not_put_its_parent_behind() -> None:
    nodes = {
        1: GoalNode(1, None, "top", 1, False),
        2: GoalNode(2, 1, "old", 1, False),
        3: GoalNode(3, 1, "born today", 1, False),
        4: GoalNode(4, 1, "nothing measured yet", 1, False),
    }
    own = {2: [Part("key_result", 2, "kr", 1, 0.36)], 3: [Part("key_result", 3, "kr", 1, 0.0)]}
    shares = {1: 0.674, 2: 0.674, 3: 1 / 31, 4: 0.674}
    result = walk(nodes, _sums(own), shares.__getitem__)
    assert auto_status(0.36, shares[2]) == "at_risk"  # the old child, and the parent before the new one
    assert result[1].expected == pytest.approx((0.674 + 1 / 31) / 2)
    assert figure_status(None, result[1]) == "at_risk"  # not off track
    assert auto_status(result[1].progress, shares[1]) == "off_track"  # what the cycle's share alone said
    assert not result[4].basis and result[4].expected == shares[4]


# Planning never looks like failure: the outcome decides progress and status.

EMPTY_MILESTONE = Part("milestone", 0, "planned", 1.0, 0.0, EXECUTION)


@st.composite
def planned_trees(draw):
    """A random forest of goals, each with key results or not, milestones or not, loose
    tasks or not, and a plan partly late."""
    count = draw(st.integers(1, 25))
    nodes: dict[int, GoalNode] = {}
    own: dict[int, list[Part]] = {}
    late: dict[int, tuple[int, int]] = {}
    for gid in range(1, count + 1):
        parent = draw(st.one_of(st.none(), st.integers(1, gid - 1))) if gid > 1 else None
        nodes[gid] = GoalNode(gid, parent, f"g{gid}", draw(st.sampled_from([0.5, 1.0, 3.0])), draw(st.booleans()))
        parts = [
            Part("key_result", gid * 100 + k, "kr", draw(st.sampled_from([1.0, 2.0])), draw(st.floats(0, 1)))
            for k in range(draw(st.integers(0, 2)))
        ]
        parts += [
            Part("milestone", gid * 100 + 50 + m, "ms", 1.0, draw(st.sampled_from([0.0, 0.5, 1.0])), EXECUTION)
            for m in range(draw(st.integers(0, 3)))
        ]
        loose = draw(st.integers(0, 5))
        if loose:
            parts.append(Part("tasks", gid, "tasks", float(loose), draw(st.integers(0, loose)) / loose, EXECUTION))
        own[gid] = parts
        due = draw(st.integers(0, 6))
        late[gid] = (draw(st.integers(0, due)), due)
    return nodes, own, late


def _with_open_task(parts: list[Part], gid: int) -> list[Part]:
    """The same parts with one more open task outside milestones."""
    loose = next((p for p in parts if p.kind == "tasks"), None)
    rest = [p for p in parts if p is not loose]
    if loose is None:
        return [*rest, Part("tasks", gid, "tasks", 1.0, 0.0, EXECUTION)]
    done = loose.progress * loose.weight
    return [*rest, Part("tasks", gid, "tasks", loose.weight + 1, done / (loose.weight + 1), EXECUTION)]


@given(planned_trees(), st.data())
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_planning_more_work_never_changes_a_status_or_an_outcome(tree, data) -> None:
    """Add an empty milestone or an open task (not yet due) to any goal: no goal's status
    changes, and no goal measured by its outcome changes its progress. The one exception is
    a goal measured by its plan whose plan was all done: it has new work, so it is no
    longer done; a goal nothing measured becomes measured by its plan, on track."""
    nodes, own, late = tree
    shares = {gid: data.draw(st.floats(0, 1)) for gid in nodes}
    target = data.draw(st.sampled_from(sorted(nodes)))
    grown = dict(own)
    if data.draw(st.booleans()):
        grown[target] = [*own[target], EMPTY_MILESTONE]
    else:
        grown[target] = _with_open_task(own[target], target)
    before = walk(nodes, _sums(own, late), shares.__getitem__)
    after = walk(nodes, _sums(grown, late), shares.__getitem__)
    for gid in nodes:
        was, now = before[gid], after[gid]
        if was.basis == OUTCOME:
            assert (now.basis, now.progress, now.expected) == (OUTCOME, was.progress, was.expected)
        if was.basis and not (was.basis == EXECUTION and was.progress >= 1.0):
            assert figure_status(None, now) == figure_status(None, was), gid
            assert figure_behind(now) == figure_behind(was)
        if not was.basis:
            assert figure_status(None, now) in ("unmeasured", "on_track")


def test_a_goal_with_no_outcome_is_judged_by_lateness_not_by_how_much_is_planned() -> None:
    nodes = {1: GoalNode(1, None, "Redesign onboarding", 1, False)}
    plan = [Part("milestone", m, "ms", 1.0, p, EXECUTION) for m, p in ((1, 1.0), (2, 0.5), (3, 0.0))]
    on_time = walk(nodes, _sums({1: plan}, {1: (0, 1)}), lambda gid: 0.9)[1]
    assert (on_time.basis, on_time.progress) == (EXECUTION, pytest.approx(0.5))
    assert figure_status(None, on_time) == "on_track"  # half the plan done at 90% of the time, nothing late
    one_late = walk(nodes, _sums({1: plan}, {1: (1, 4)}), lambda gid: 0.9)[1]
    assert figure_status(None, one_late) == "at_risk" and figure_behind(one_late)  # 1 of 4 due items late
    many_late = walk(nodes, _sums({1: plan}, {1: (2, 4)}), lambda gid: 0.9)[1]
    assert figure_status(None, many_late) == "off_track"


def test_no_negative_zero() -> None:
    from okrate_tui.core.wording import points

    assert str(kr_progress("numeric", 900, 300, 900, "decrease")) == "0.0"
    assert points(-0.0) == "  0.0 pts" and points(-0.0001) == "  0.0 pts" and points(0.125) == " 12.5 pts"
