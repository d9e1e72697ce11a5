"""Incremental refresh without Textual: another session writes, this one reads only the
change log since it last looked and patches what it holds. After every step the store
must agree with a fresh read of everything."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrate_tui import demo
from okrate_tui.core import clock
from okrate_tui.core.models import Goal, KeyResult, Milestone, Task
from okrate_tui.core.queries import org
from okrate_tui.core.queries.board import BoardScope, load_cards
from okrate_tui.core.queries.tree import load_tree
from okrate_tui.core.services import goals, key_results, tasks
from okrate_tui.core.services.cycles import current_cycle
from okrate_tui.core.services.people import find_person
from okrate_tui.core.vocab import TASK_STATUSES
from okrate_tui.ui.store.events import CardsChanged, Event, TreeChanged
from okrate_tui.ui.store.reader import Wants, read_board, read_refresh, read_tree
from okrate_tui.ui.store.session import Session

OPERATIONS = ("move", "goal", "owner", "add", "delete", "check_in", "milestone", "retitle", "archive")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The demo organisation, made once; each example works on a copy."""
    from okrate_tui.core.db import close_db, open_db

    path = tmp_path_factory.mktemp("refresh") / "demo.db"
    open_db(str(path), create=True)
    demo.generate()
    close_db()
    return path


def _session() -> Session:
    cycle = org.cycle_row(current_cycle().id)
    actor = org.person_row(find_person("maria").id)
    session = Session()
    session.start(
        None, actor, org.people(active_only=False), org.teams(), org.cycles(), cycle, org.latest_change(), None
    )
    session.tree = load_tree(cycle.id, clock.today())
    session.apply(read_board(BoardScope(), cycle.id, actor.id, clock.today()))
    return session


def _wants(session: Session) -> Wants:
    return Wants(
        seen=session.seen,
        actor_id=session.actor.id,
        cycle_id=session.cycle.id,
        today=clock.today(),
        tree=session.tree is not None,
        board=session.cards.scope if session.cards.loaded else None,
        gaps=session.gaps,
        tree_since=session.tree_as_of,
        cards_since=session.cards.as_of,
    )


def _write(rng: random.Random, operation: str) -> None:
    who = find_person(rng.choice(["maria", "devon", "lena", "kim"]))
    admin = find_person("maria")
    cycle = current_cycle().id
    task = Task.select().where(Task.cycle == cycle).order_by(Task.id).offset(rng.randrange(50)).first()
    goal = Goal.select().where(Goal.cycle == cycle).order_by(Goal.id).offset(rng.randrange(10)).first()
    if operation == "move":
        tasks.move_task(who, task.id, None, rng.choice(TASK_STATUSES))
    elif operation == "goal":
        tasks.edit_task(who, task.id, None, goal=goal.id)
    elif operation == "owner":
        tasks.edit_task(who, task.id, None, owner=rng.choice(["jonas", "ana", None]))
    elif operation == "add":
        tasks.create_task(who, f"New work {rng.random():.4f}", goal=goal.id, deadline="2026-11-20")
    elif operation == "delete":
        tasks.delete_task(who, task.id, None)
    elif operation == "check_in":
        result = KeyResult.select().order_by(KeyResult.id).offset(rng.randrange(10)).first()
        key_results.check_in(admin, result.id, rng.uniform(result.baseline, result.target * 1.2))
    elif operation == "milestone":
        stone = Milestone.select().order_by(Milestone.id).first()
        goals.edit_milestone(admin, stone.id, None, done=not stone.done)
    elif operation == "retitle":
        goals.edit_goal(admin, goal.id, None, title=f"Goal {rng.random():.4f}")
    elif operation == "archive":
        goals.archive_goal(admin, goal.id, None, not goal.archived)


def _agrees(session: Session) -> None:
    fresh = load_tree(session.cycle.id, clock.today())
    held = session.tree
    assert set(held.nodes) == set(fresh.nodes)
    for gid in fresh.nodes:
        a, b = held.line(gid), fresh.line(gid)
        assert (a.title, a.status, a.measured, a.execution) == (b.title, b.status, b.measured, b.execution), gid
        assert abs(a.progress - b.progress) < 1e-9, gid
    stored = {c.id: (c.status, c.goal_id, c.owner_id, c.title) for c in load_cards(BoardScope(), session.cycle.id)}
    shown = {c.id: (c.status, c.goal_id, c.owner_id, c.title) for c in session.cards.scoped()}
    assert shown == stored


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 10_000),
    steps=st.lists(st.sampled_from(OPERATIONS), min_size=1, max_size=6),
)
def test_the_store_follows_every_change_by_reading_only_what_changed(seeded, tmp_path_factory, seed, steps) -> None:
    from okrate_tui.core.db import close_db, open_db
    from okrate_tui.core.migrate import copy_sqlite

    copy = tmp_path_factory.mktemp("copy") / "demo.db"
    copy_sqlite(seeded, copy)
    open_db(str(copy))
    try:
        session = _session()
        heard: list[Event] = []
        session.subscribe(heard.append)
        rng = random.Random(seed)
        logged: set[str] = set()
        for operation in steps:
            try:
                _write(rng, operation)
            except Exception as exc:  # a refusal (closed cycle, conflicts) is fine: nothing changed
                assert type(exc).__module__.startswith("okrate_tui.core"), exc
            refresh = read_refresh(_wants(session))
            assert refresh.tree is None or operation == "archive"  # only the tree's shape is read whole
            logged |= refresh.batch.entities() if refresh.batch else set()
            session.apply(refresh)
            _agrees(session)
        if "task" in logged:
            assert any(isinstance(e, CardsChanged) for e in heard)
        if logged & {"key_result", "check_in", "milestone", "goal"}:
            assert any(isinstance(e, TreeChanged) for e in heard)
    finally:
        close_db()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 10_000),
    steps=st.lists(st.sampled_from(OPERATIONS), min_size=1, max_size=4),
    order=st.permutations(["board", "tree", "changes"]),
)
def test_views_read_whole_while_changes_are_taken_still_catch_up(seeded, tmp_path_factory, seed, steps, order) -> None:
    """A board or tree read whole (another cycle, the board opened) and a look at the
    change log may finish in any order: writes between the whole read and the look are
    not shown by the first and, while the view was not held, not read again by the
    second. The next look must still bring the view up to date."""
    from okrate_tui.core.db import close_db, open_db
    from okrate_tui.core.migrate import copy_sqlite

    copy = tmp_path_factory.mktemp("copy") / "demo.db"
    copy_sqlite(seeded, copy)
    open_db(str(copy))
    try:
        session = _session()
        cycle = session.cycle
        session.choose_cycle(cycle)  # nothing held: both views are read again
        reads = {
            "board": read_board(BoardScope(), cycle.id, session.actor.id, clock.today()),
            "tree": read_tree(cycle.id, clock.today()),
        }
        rng = random.Random(seed)
        for operation in steps:
            try:
                _write(rng, operation)
            except Exception as exc:
                assert type(exc).__module__.startswith("okrate_tui.core"), exc
        reads["changes"] = read_refresh(_wants(session))  # neither view held yet
        for name in order:
            session.apply(reads[name])
        session.apply(read_refresh(_wants(session)))
        _agrees(session)
    finally:
        close_db()
