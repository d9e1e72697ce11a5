"""okrate task list reads the current cycle unless told otherwise."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli import test_cli
from tests.cli.test_cli import okrate

demo_file = test_cli.demo_file  # the shared fixtures
demo_db = test_cli.demo_db


def test_task_list_shows_the_current_cycle_unless_asked_for_all(demo_db: Path) -> None:
    with sqlite3.connect(demo_db) as conn:
        (current,) = conn.execute("select id from cycle where state = 'active'").fetchone()
        cycle_of = dict(conn.execute("select id, cycle_id from task").fetchall())
    listed = json.loads(okrate("task", "list", "--json", "--limit", "1000", db=demo_db, check=True).stdout)
    assert listed and {cycle_of[t["id"]] for t in listed} == {current}
    every = json.loads(
        okrate("task", "list", "--cycle", "all", "--json", "--limit", "1000", db=demo_db, check=True).stdout
    )
    assert len(every) > len(listed) and len({cycle_of[t["id"]] for t in every}) > 1
