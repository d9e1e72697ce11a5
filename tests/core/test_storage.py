"""Opening databases: URLs, damaged and read-only files, migrations, backups, locks."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from peewee import IntegerField
from playhouse.migrate import SchemaMigrator, migrate

from okrate_tui.core import migrate as runner
from okrate_tui.core.db import close_db, open_db, resolve
from okrate_tui.core.errors import StorageError
from okrate_tui.core.migrations import MIGRATIONS, SCHEMA_VERSION, Migration
from okrate_tui.core.models import ALL_MODELS, Task
from okrate_tui.core.services import cycles, goals, people, tasks


def _small_org(path: Path) -> int:
    open_db(str(path), create=True)
    admin = people.create_person(None, "ada", "Ada")
    cycles.create_cycle(admin, "Q4", "2026-10-01", "2026-12-31", state="active")
    goal = goals.create_goal(admin, "Goal")
    task = tasks.create_task(admin, "Task", goal=goal.id)
    close_db()
    return task.id


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "unsupported database URL scheme 'mysql'"),
        ("sqlite://host/x.db", "cannot read the SQLite URL"),
        ("postgresql://localhost/", "names no database"),
        ("postgresql://localhost:99999/x", "bad port"),
    ],
)
def test_bad_urls(url: str, message: str) -> None:
    with pytest.raises(StorageError, match=message):
        resolve(url)


def test_url_forms(tmp_path: Path) -> None:
    assert resolve(str(tmp_path / "a.db")).path == tmp_path / "a.db"
    assert resolve("sqlite:///data/b.db").path == Path("data/b.db")
    assert resolve(f"sqlite:///{tmp_path}/c.db").path == tmp_path / "c.db"
    target = resolve("postgresql://me:pw@db.example:6543/okrate")
    assert target.params == {
        "database": "okrate",
        "host": "db.example",
        "port": 6543,
        "user": "me",
        "password": "pw",
    }


def test_unreachable_postgresql_is_a_clear_error() -> None:
    with pytest.raises(StorageError, match="cannot connect to PostgreSQL"):
        open_db("postgresql://nobody@127.0.0.1:1/none")


def test_pragmas(tmp_path: Path) -> None:
    database = open_db(str(tmp_path / "x.db"), create=True)
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 10_000


def test_not_a_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n")
    with pytest.raises(StorageError, match="is not an Okrate database: it is not a SQLite file"):
        open_db(str(path), create=True)
    assert path.read_text() == "these are my notes, not a database\n"


def test_damaged_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    _small_org(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with pytest.raises(StorageError, match=r"is damaged .*`okrate check` says what is damaged and what to do"):
        open_db(str(path), create=True)


def test_another_applications_database(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="another application's tables"):
        open_db(str(path), create=True)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        open_db(str(tmp_path / "nowhere" / "x.db"), create=True)


def test_read_only_file_reads_but_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    task_id = _small_org(path)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        open_db(str(path), create=True)
        admin = people.find_person("ada")
        assert Task.get_by_id(task_id).title == "Task"
        with pytest.raises(StorageError, match="read-only"):
            tasks.edit_task(admin, task_id, None, title="Changed")
        close_db()
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    open_db(str(path), create=True)
    assert Task.get_by_id(task_id).title == "Task"


def test_schema_from_migrations_matches_the_models(db) -> None:
    for model in ALL_MODELS:
        table = model._meta.table_name
        columns = {c.name: c for c in db.get_columns(table)}
        fields = {f.column_name: f for f in model._meta.sorted_fields}
        assert set(columns) == set(fields), table
        for name, field in fields.items():
            assert columns[name].null == field.null, f"{table}.{name}"
        indexed = {tuple(i.columns) for i in db.get_indexes(table)}
        for fields_, _unique in model._meta.indexes:
            wanted = tuple(model._meta.fields[f].column_name for f in fields_)
            assert wanted in indexed, f"{table} index {wanted}"


def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    _small_org(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE okrate_meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="written by a newer Okrate \\(schema version 99"):
        open_db(str(path), create=True)


def _add_estimate(db) -> None:
    migrate(SchemaMigrator.from_database(db).add_column("task", "estimate", IntegerField(default=3)))


def test_upgrade_keeps_data_and_backs_up_first(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    task_id = _small_org(path)
    database = open_db(str(path), create=True)
    steps = (*MIGRATIONS, Migration(SCHEMA_VERSION + 1, "task estimates", _add_estimate))
    result = runner.upgrade(database, path, steps)
    assert (result.old, result.new) == (SCHEMA_VERSION, SCHEMA_VERSION + 1)
    assert result.backup is not None and result.backup.exists()
    row = database.execute_sql("SELECT title, estimate FROM task WHERE id = ?", (task_id,)).fetchone()
    assert row == ("Task", 3)
    old = sqlite3.connect(result.backup)
    assert "estimate" not in {r[1] for r in old.execute("PRAGMA table_info(task)")}
    assert old.execute("SELECT title FROM task").fetchone() == ("Task",)
    old.close()
    assert runner.upgrade(database, path, steps).backup is None  # nothing left to do


def test_failed_upgrade_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _small_org(path)
    database = open_db(str(path), create=True)

    def broken(db) -> None:
        _add_estimate(db)
        raise RuntimeError("power cut")

    steps = (*MIGRATIONS, Migration(SCHEMA_VERSION + 1, "broken", broken))
    with pytest.raises(RuntimeError):
        runner.upgrade(database, path, steps)
    assert runner.stored_version(database) == SCHEMA_VERSION
    assert "estimate" not in {c.name for c in database.get_columns("task")}


def test_sessions_starting_together_migrate_once(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    code = (
        "import sys\nfrom okrate_tui.core.db import open_db\n"
        'db = open_db(sys.argv[1], create=True)\nprint(db.execute_sql("SELECT value FROM okrate_meta").fetchone()[0])'
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], results
    assert {out.strip() for out, _ in results} == {str(SCHEMA_VERSION)}
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


def test_storage_error_messages_are_one_line(tmp_path: Path) -> None:
    from okrate_tui.core.db import storage_message

    assert storage_message(Exception("attempt to write a readonly database\nmore")) == (
        "the database is read-only: nothing was changed"
    )


def test_reopening_in_one_process_keeps_other_sessions_in_step(tmp_path: Path) -> None:
    """Opening the same file twice in one process (the app does) must not drop this
    process's locks: another session closing must not delete the log we write to."""
    import os

    path = tmp_path / "shared.db"
    _small_org(path)
    open_db(str(path), create=True)
    admin = people.find_person("ada")
    goal = goals.create_goal(admin, "Before")
    open_db(str(path), create=True)  # as the app's database thread does
    env = {**os.environ, "OKRATE_DB": str(path), "OKRATE_AS": "ada"}
    command = [sys.executable, "-m", "okrate_tui", "goal", "show", str(goal.id)]
    subprocess.run(command, env=env, capture_output=True, check=True)
    tasks.create_task(admin, "Written after the other session left", goal=goal.id)
    listed = subprocess.run(
        [sys.executable, "-m", "okrate_tui", "task", "list"], env=env, capture_output=True, text=True, check=True
    )
    assert "Written after the other session left" in listed.stdout


def test_a_version_1_database_upgrades_keeping_its_data(tmp_path: Path) -> None:
    from peewee import SqliteDatabase

    path = tmp_path / "v1.db"
    old = SqliteDatabase(str(path), pragmas={"journal_mode": "wal", "foreign_keys": 1})
    old.connect()
    runner.upgrade(old, None, MIGRATIONS[:1])
    old.execute_sql(
        "INSERT INTO person (handle, name, role, active, created_at, version) "
        "VALUES ('ada', 'Ada', 'admin', 1, '2026-01-01 09:00:00', 1)"
    )
    old.close()
    database = open_db(str(path), create=True)
    assert runner.stored_version(database) == SCHEMA_VERSION
    assert people.find_person("ada").name == "Ada"
    assert "task_id" in {c.name for c in database.get_columns("talking_point")}
    assert list(tmp_path.glob("v1.db.v1-*.bak"))


def test_a_version_3_database_gets_milestone_order_and_check_in_versions(db_url: str) -> None:
    from playhouse.db_url import connect

    is_file = "://" not in db_url
    old = connect(f"sqlite:///{db_url}" if is_file else db_url, **({"pragmas": {"foreign_keys": 1}} if is_file else {}))
    runner.upgrade(old, None, MIGRATIONS[:3])
    p = old.param
    at = "2026-11-01 09:00:00"
    for sql, params in (
        (
            f"INSERT INTO person (handle, name, role, active, created_at, version) VALUES ({p}, {p}, {p}, {p}, {p}, 1)",
            ("ada", "Ada", "admin", True, at),
        ),
        (
            f"INSERT INTO cycle (name, starts, ends, state, created_at, version) VALUES ({p}, {p}, {p}, {p}, {p}, 1)",
            ("Q4", "2026-10-01", "2026-12-31", "active", at),
        ),
    ):
        old.execute_sql(sql, params)
    for title in ("One", "Two"):
        old.execute_sql(
            "INSERT INTO goal (level, title, description, cycle_id, weight, archived, created_at, updated_at, version)"
            f" VALUES ('company', {p}, '', 1, 1.0, {p}, {p}, {p}, 1)",
            (title, False, at, at),
        )
    for goal_id, title in ((2, "B1"), (1, "A1"), (2, "B2"), (1, "A2"), (1, "A3")):
        old.execute_sql(
            "INSERT INTO milestone (goal_id, title, done, created_at, updated_at, version)"
            f" VALUES ({p}, {p}, {p}, {p}, {p}, 1)",
            (goal_id, title, False, at, at),
        )
    old.execute_sql(
        "INSERT INTO task (goal_id, cycle_id, milestone_id, title, objective, context, status, position,"
        f" created_at, updated_at, version) VALUES (1, 1, 4, 'Task', '', '', 'todo', 1.0, {p}, {p}, 1)",
        (at, at),
    )
    old.execute_sql(
        "INSERT INTO key_result (goal_id, title, kind, baseline, target, current, unit, direction, weight,"
        f" archived, created_at, updated_at, version) VALUES (1, 'KR', 'numeric', 0, 10, 4, '', 'increase', 1,"
        f" {p}, {p}, {p}, 1)",
        (False, at, at),
    )
    old.execute_sql(
        f"INSERT INTO check_in (key_result_id, value, note, author_id, at) VALUES (1, 4, 'ok', 1, {p})", (at,)
    )
    old.close()
    database = open_db(db_url, create=True)
    assert runner.stored_version(database) == SCHEMA_VERSION
    from okrate_tui.core.models import CheckIn, Milestone

    order = {m.title: m.position for m in Milestone.select()}
    assert order == {"A1": 1.0, "A2": 2.0, "A3": 3.0, "B1": 1.0, "B2": 2.0}
    assert Task.get_by_id(1).milestone_id == 4  # nothing that points at a milestone was lost
    entry = CheckIn.get_by_id(1)
    assert (entry.value, entry.version, entry.corrected_by_id, entry.corrected_at) == (4.0, 1, None, None)
    later = goals.add_milestone(people.find_person("ada"), 1, "A4")
    assert later.position == 4.0
    reasons = database.execute_sql("SELECT status_reason FROM goal").fetchall()
    assert reasons == [("",), ("",)]  # statuses there were had been set by people
