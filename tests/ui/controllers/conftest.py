"""The controllers' tests: a demo organisation made once, copied for each test, opened
on a gateway's database thread, with maria's session started on it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from okrate_tui import demo
from okrate_tui.core import clock
from okrate_tui.core.db import close_db, open_db
from okrate_tui.core.queries import org
from okrate_tui.core.queries.board import BoardScope
from okrate_tui.core.queries.tree import load_tree
from okrate_tui.core.services.cycles import current_cycle
from okrate_tui.core.services.people import find_person
from okrate_tui.ui.store.gateway import Gateway
from okrate_tui.ui.store.reader import read_board
from okrate_tui.ui.store.session import Session


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("controllers") / "demo.db"
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


@pytest.fixture
def opened(seeded: Path, tmp_path: Path) -> Iterator[tuple[Gateway, Session]]:
    """A gateway on a fresh copy of the demo, and maria's session read from it."""
    path = tmp_path / "demo.db"
    shutil.copy(seeded, path)
    db = Gateway()
    db.run(open_db, str(path))
    yield db, db.run(_session)
    db.run(close_db)
    db.close()


async def nothing() -> None:
    """A catch-up that has nothing to read (the tests read the database themselves)."""
