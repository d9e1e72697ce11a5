"""Noticing other sessions' writes: the cheap signal, and the change log read in order
even when PostgreSQL makes ids visible out of order."""

from __future__ import annotations

import sqlite3

from okrate_tui.core.changes import ChangeSignal, read_changes
from okrate_tui.core.db import current
from okrate_tui.core.models import Change
from okrate_tui.core.services import tasks


def _another_session_writes(url_or_path) -> None:
    database = current()
    if getattr(database, "sqlite_path", None) is not None:
        conn = sqlite3.connect(database.sqlite_path)
        conn.execute("UPDATE task SET title = title || '!' WHERE id = (SELECT MIN(id) FROM task)")
        conn.commit()
        conn.close()
    else:
        import psycopg2

        params = dict(database.connect_params)
        conn = psycopg2.connect(dbname=database.database, **params)
        conn.autocommit = True
        conn.cursor().execute("NOTIFY okrate_change")
        conn.close()


def test_the_signal_hears_other_sessions_and_this_ones_writes(org, db_url) -> None:
    signal = ChangeSignal(current())
    signal.start()
    assert signal.changed()  # a fresh signal says "look once"
    assert not signal.changed()
    tasks.create_task(org.admin, "Call Acme", goal=org.child.id)
    _another_session_writes(db_url)
    import time

    time.sleep(0.05)
    assert signal.changed()
    assert not signal.changed()
    signal.nudge()  # this session wrote: SQLite's counter does not show its own commits
    assert signal.changed()


def test_the_change_log_is_read_in_order_with_gaps_kept(org) -> None:
    seen = Change.select().order_by(Change.id.desc()).first().id
    base = {"at": Change.get_by_id(seen).at, "op": "x", "entity": "task", "entity_id": 1, "field": "title"}
    Change.insert(id=seen + 3, **base).execute()  # committed before ids seen+1 and seen+2
    batch = read_changes(seen)
    assert [r.id for r in batch.rows] == [seen + 3] and set(batch.gaps) == {seen + 1, seen + 2}
    Change.insert(id=seen + 1, **base).execute()
    later = read_changes(batch.latest, batch.gaps)
    assert [r.id for r in later.rows] == [seen + 1] and set(later.gaps) == {seen + 2}


def test_a_deleted_tasks_snapshot_names_what_it_pointed_at(org) -> None:
    task = tasks.create_task(org.admin, "Gone soon", goal=org.child.id)
    tasks.delete_task(org.admin, task.id, None)
    row = read_changes(0).rows[-1]
    assert row.field == "@delete"
    assert row.deleted("goal") == org.child.id and row.deleted("milestone") is None
