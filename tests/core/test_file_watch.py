"""Noticing that a session's SQLite file was deleted, replaced or written over in place,
and never taking another session's checkpoints (or a VACUUM) for any of these."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

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


WRITER = """
import random, sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=30)
c.execute("PRAGMA wal_autocheckpoint = %d" % int(sys.argv[2]))
for i in range(1500):
    c.execute("INSERT INTO t (v) VALUES (?)", ("x" * random.randrange(10, 3000),))
    c.commit()
    if sys.argv[3] == "vacuum" and i % 500 == 499:
        c.execute("DELETE FROM t WHERE id % 3 = 0")
        c.commit()
        c.execute("VACUUM")
"""


@pytest.mark.slow
def test_a_session_looking_all_the_time_never_takes_busy_writers_for_an_overwrite(tmp_path: Path) -> None:
    """Three writers checkpoint after every few pages, one also VACUUMs, while this
    session looks at its file as fast as it can: not once is that an overwrite."""
    path = tmp_path / "busy.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = wal")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    conn.commit()
    conn.execute("SELECT count(*) FROM t").fetchone()
    watch = FileWatch.of(path)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), pages, vacuum])
        for pages, vacuum in (("5", "no"), ("50", "vacuum"), ("1000", "no"))
    ]
    looks = 0
    try:
        while any(w.poll() is None for w in writers):
            assert watch.check() is None, f"taken for {watch.check()} after {looks} looks"
            looks += 1
    finally:
        for writer in writers:
            writer.wait()
        conn.close()
    assert [w.returncode for w in writers] == [0, 0, 0]
    assert looks > 100


def test_a_checkpoint_in_the_middle_of_a_look_is_still_a_checkpoint(tmp_path: Path, monkeypatch) -> None:
    """Another session checkpoints just as this one looks (right after it looked at the
    file): neither this look nor the next takes it for an overwrite."""
    path = tmp_path / "race.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = wal")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    conn.commit()
    conn.execute("SELECT count(*) FROM t").fetchone()
    watch = FileWatch.of(path)
    other = sqlite3.connect(path)
    real_stat = os.stat
    armed = [True]

    def racing_stat(name, *args, **kwargs):
        found = real_stat(name, *args, **kwargs)
        if armed[0] and Path(name) == path:
            armed[0] = False
            other.execute("INSERT INTO t (v) VALUES (?)", ("x" * 5000,))
            other.commit()
            assert other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[2] > 0  # pages went into the file
        return found

    monkeypatch.setattr(os, "stat", racing_stat)
    assert watch.check() is None
    assert watch.check() is None
    other.close()
    conn.close()


def test_a_checkpoint_right_after_a_change_was_looked_at_is_still_a_checkpoint(tmp_path: Path, monkeypatch) -> None:
    """One checkpoint changed the file; another lands just after this session looked at
    the change: the next look takes neither for an overwrite."""
    path = tmp_path / "race.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = wal")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    conn.commit()
    conn.execute("SELECT count(*) FROM t").fetchone()
    watch = FileWatch.of(path)
    other = sqlite3.connect(path)

    def checkpoint() -> None:
        other.execute("INSERT INTO t (v) VALUES (?)", ("x" * 5000,))
        other.commit()
        assert other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[2] > 0

    checkpoint()  # the file changed: the next look sees it
    real_stat = os.stat
    armed = [True]

    def racing_stat(name, *args, **kwargs):
        found = real_stat(name, *args, **kwargs)
        if armed[0] and Path(name) == path:
            armed[0] = False
            checkpoint()
        return found

    monkeypatch.setattr(os, "stat", racing_stat)
    assert watch.check() is None
    assert watch.check() is None
    other.close()
    conn.close()
