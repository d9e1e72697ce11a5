"""Noticing that a session's SQLite file was deleted, replaced or written over in place,
and never taking another session's checkpoints (or a VACUUM) for any of these."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from okrate_tui.core.file_watch import FileWatch
from okrate_tui.core.models import Task
from okrate_tui.core.services import cycles, goals, people, tasks

OTHER_SESSION = """
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for n in range(300):
    c.execute("UPDATE task SET title = title || '!' WHERE id IN (SELECT id FROM task LIMIT 5)")
    c.commit()
c.execute("PRAGMA wal_checkpoint(TRUNCATE)" if sys.argv[2] == "truncate" else sys.argv[2])
c.close()
"""


def another_session(path: Path, last: str) -> None:
    subprocess.run([sys.executable, "-c", OTHER_SESSION, str(path), last], check=True)


def test_a_deleted_or_replaced_file_is_noticed(sqlite_db, tmp_path) -> None:
    path = sqlite_db.sqlite_path
    watch = FileWatch.of(path)
    assert watch.check() is None
    other = tmp_path / "other.db"
    other.write_bytes(path.read_bytes())
    other.replace(path)
    assert watch.check() == "replaced"
    path.unlink()
    assert watch.check() == "deleted"


def _organisation(count: int):
    admin = people.create_person(None, "ada", "Ada")
    cycles.create_cycle(admin, "Q4", "2026-10-01", "2026-12-31", state="active")
    goal = goals.create_goal(admin, "Goal")
    for index in range(count):
        tasks.create_task(admin, f"Task {index}", goal=goal.id)
    Task.select().count()  # this session has read: its working files are open
    return admin, goal


def test_checkpoints_and_vacuum_by_other_sessions_are_no_overwrite(sqlite_db) -> None:
    path = sqlite_db.sqlite_path
    admin, goal = _organisation(60)
    watch = FileWatch.of(path)
    assert watch.checkpoints is not None  # SQLite's record is readable here (Linux)
    for last in ("truncate", "PRAGMA wal_checkpoint(PASSIVE)", "VACUUM", "truncate"):
        another_session(path, last)
        assert watch.check() is None, last
    tasks.create_task(admin, "Still saved here", goal=goal.id)
    assert watch.check() is None


def test_a_file_written_over_in_place_is_noticed(sqlite_db, tmp_path) -> None:
    path = sqlite_db.sqlite_path
    admin, goal = _organisation(5)
    copy = tmp_path / "copy.db"
    source = sqlite3.connect(path)
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    tasks.create_task(admin, "Only in the live file", goal=goal.id)
    Task.select().count()
    watch = FileWatch.of(path)
    subprocess.run(["cp", str(copy), str(path)], check=True)  # the same inode, other content
    assert watch.check() == "overwritten"
