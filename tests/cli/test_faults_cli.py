"""The command line against files that are empty, damaged, on a full disk or in a folder
it may not write, and PostgreSQL databases with nothing in them: each is said by its
cause, with what to do, and nothing is made or left behind."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from okrate_tui.core import integrity
from okrate_tui.core.db import close_db, open_db
from okrate_tui.core.errors import EmptyDatabase
from tests.cli.test_cli import ROOT, okrate
from tests.conftest import PG_ENV
from tests.faults import damage, fill, mount_problem, small_disk, without_root_override

NO_TRACE = ("internal error", "Traceback", "no such table", "cannot rollback", "no transaction is active")


def clean(result: subprocess.CompletedProcess) -> str:
    """The command's words, checked for a driver's or Python's own."""
    words = result.stdout + result.stderr
    for bad in NO_TRACE:
        assert bad not in words, words
    return words


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def companions(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.glob(f"{path.name}-*"))


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "okrate.db"
    okrate("demo", db=path, check=True)
    return path


# --- no command makes a database ---------------------------------------------------------


def test_a_zero_byte_file_is_refused_untouched_by_every_command(tmp_path: Path) -> None:
    path = tmp_path / "okrate.db"
    path.touch()
    for command in (["task", "list"], ["task", "add", "Call Acme", "--goal", "1"], ["person", "add", "kim", "Kim"]):
        result = okrate(*command, db=path)
        assert result.returncode == 2, command
        words = clean(result)
        assert f"{path} is empty: it holds no Okrate database yet" in words
        assert "okrate demo" in words and "welcome screen" in words  # how to start one
    info = okrate("info", db=path)
    assert info.returncode == 0
    assert "is empty" in clean(info) and "schema    —" in info.stdout
    assert path.stat().st_size == 0 and companions(path) == []


def test_an_empty_postgresql_database_is_refused_and_stays_empty() -> None:
    import psycopg2

    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"needs {PG_ENV}")
    name = f"okrate_empty_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = psycopg2.connect(base)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    url = base.rsplit("/", 1)[0] + f"/{name}"
    try:
        with pytest.raises(EmptyDatabase, match="is empty: it holds no Okrate database yet"):
            open_db(url)
        for command in (["task", "list"], ["person", "add", "kim", "Kim"]):
            result = okrate(*command, db=url, who=None)
            assert result.returncode == 2 and "is empty" in clean(result), result.stderr
        assert "is empty" in okrate("info", db=url, who=None).stdout
        conn = psycopg2.connect(url)
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
            assert cur.fetchone()[0] == 0  # not one table was made
        conn.close()
        open_db(url, create=True)  # the explicit choice still makes one
        close_db()
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


# --- a damaged file ----------------------------------------------------------------------


def test_check_reports_damage_and_writes_are_refused_until_it_is_whole(demo: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.db"
    okrate("backup", str(backup), db=demo, check=True)
    pages = damage(demo, "task")
    assert pages
    first = okrate("task", "list", db=demo)  # the first to meet it says so, and notes it
    assert first.returncode == 2 and "is damaged" in clean(first) and "okrate check" in first.stderr
    report = okrate("check", db=demo)
    assert report.returncode == 3  # the documented code for damage found
    words = clean(report)
    assert "integrity: DAMAGED" in words and "table task" in words
    assert "Restore your newest backup" in words and f"sqlite3 {demo} .recover" in words
    before = (digest(demo), companions(demo))
    refused = okrate("task", "add", "Written into a damaged file", "--goal", "1", db=demo)
    assert refused.returncode == 2
    assert "is damaged" in clean(refused) and "`okrate check` says what is damaged and what to do" in refused.stderr
    assert (digest(demo), companions(demo)) == before  # not one byte written
    assert integrity.note_of(demo).exists()
    os.replace(backup, demo)  # restored: the note was about the file that is gone
    assert okrate("check", db=demo, check=True).stdout.startswith("integrity: ok")
    assert not integrity.note_of(demo).exists()
    okrate("task", "add", "Written after the restore", "--goal", "1", db=demo, check=True)


def test_damage_in_place_is_forgotten_only_once_check_finds_the_file_whole(demo: Path, tmp_path: Path) -> None:
    whole = tmp_path / "whole.db"
    okrate("backup", str(whole), db=demo, check=True)
    damage(demo, "task")
    assert okrate("check", db=demo).returncode == 3
    subprocess.run(["cp", str(whole), str(demo)], check=True)  # the same file, written over
    refused = okrate("task", "add", "Too early", "--goal", "1", db=demo)
    assert refused.returncode == 2 and "okrate check" in refused.stderr  # check has not looked yet
    assert okrate("check", db=demo, check=True).stdout.startswith("integrity: ok")
    okrate("task", "add", "Now it may", "--goal", "1", db=demo, check=True)


def test_a_file_that_is_no_sqlite_file_is_reported_by_check(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 200)
    report = okrate("check", db=path)
    assert report.returncode == 3 and "no SQLite file, or its first page is damaged" in clean(report)


# --- a full disk ---------------------------------------------------------------------------


@pytest.fixture
def full_disk(tmp_path: Path):
    problem = mount_problem()
    if problem:
        pytest.skip(problem)
    with small_disk("4m") as folder:
        path = folder / "okrate.db"
        okrate("demo", db=path, check=True)
        yield path


def test_writes_backup_and_export_on_a_full_disk_name_it_and_leave_nothing(full_disk: Path) -> None:
    path = full_disk
    holder = sqlite3.connect(path)  # another session keeps the working files open, as a running app does
    holder.execute("SELECT count(*) FROM task").fetchone()
    filler = fill(path.parent)
    try:
        before = holder.execute("SELECT count(*) FROM task").fetchone()[0]
        write = okrate("task", "add", "A task with a long title " * 8, "--goal", "1", db=path)
        assert write.returncode == 2
        assert f"the disk is full (the one holding {path.parent}" in clean(write)
        assert "nothing was saved" in write.stderr
        backup = path.parent / "backup.db"
        saved = okrate("backup", str(backup), db=path)
        assert saved.returncode == 2 and "the disk is full" in clean(saved)
        assert not backup.exists()  # nothing left behind to block the next try
        out = path.parent / "export.json"
        export = okrate("export", "--out", str(out), db=path)
        assert export.returncode == 2 and "the disk is full" in clean(export)
        assert not out.exists()
        listed = okrate("task", "list", db=path)  # reading still works while the working files exist
        assert listed.returncode == 0
        assert holder.execute("SELECT count(*) FROM task").fetchone()[0] == before
    finally:
        filler.unlink()
        holder.close()
    okrate("backup", str(path.parent / "backup.db"), db=path, check=True)  # with room again, the same name works
    okrate("task", "add", "Room again", "--goal", "1", db=path, check=True)


def test_reading_on_a_full_disk_names_it(full_disk: Path) -> None:
    filler = fill(full_disk.parent)  # no room even for SQLite's working files
    try:
        read = okrate("task", "list", db=full_disk)
        assert read.returncode == 2
        assert "the disk is full" in clean(read) and str(full_disk.parent) in read.stderr
    finally:
        filler.unlink()
    assert okrate("task", "list", db=full_disk).returncode == 0


# --- folders -------------------------------------------------------------------------------


def test_a_folder_denied_by_its_modes_is_named_with_the_permission(demo: Path) -> None:
    prefix = without_root_override()
    if prefix is None:
        pytest.skip("needs root and setpriv to be bound by file modes")
    folder = demo.parent
    for suffix in ("-wal", "-shm"):
        Path(f"{demo}{suffix}").unlink(missing_ok=True)
    folder.chmod(0o555)
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("OKRATE_")}
        env |= {"OKRATE_TODAY": "2026-11-26", "OKRATE_DB": str(demo), "OKRATE_AS": "maria"}
        result = subprocess.run(
            [*prefix, sys.executable, "-m", "okrate_tui", "task", "list"],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
        )
    finally:
        folder.chmod(0o755)
    assert result.returncode == 2
    words = clean(result)
    assert f"its folder {folder} is not writable for you (permission denied by its modes" in words
    assert "mode 0555" in words and "okrate.db-wal" in words and "unable to open" not in words


def test_a_missing_folder_says_how_to_make_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "okrate.db"
    result = okrate("demo", db=missing)
    assert result.returncode == 2
    assert f"the folder {missing.parent} does not exist: make it first (mkdir -p {missing.parent})" in clean(result)
