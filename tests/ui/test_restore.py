"""A backup restored under a running session (``mv backup.db okrate.db`` or ``cp backup.db
okrate.db``): the session notices, takes its own working files away and leaves the
restored file, and whatever working files it gets, exactly as it found them; the
restored file opens afterwards for the command line and for ``sqlite3``."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from okrate_tui.core.db import close_db, open_db
from okrate_tui.core.migrate import copy_sqlite
from okrate_tui.core.services import tasks
from okrate_tui.core.services.people import find_person
from tests.cli.test_cli import okrate
from tests.ui.conftest import SIZE, settle
from tests.ui.test_board import on_board, open_board
from tests.ui.test_live import banner

ROOT = Path(__file__).resolve().parents[2]


def state(path: Path) -> dict[str, tuple[int, str] | None]:
    """The file and its working files as they are: inode and content."""
    found: dict[str, tuple[int, str] | None] = {}
    for suffix in ("", "-wal", "-shm"):
        name = Path(f"{path}{suffix}")
        try:
            found[suffix] = (name.stat().st_ino, hashlib.sha256(name.read_bytes()).hexdigest())
        except FileNotFoundError:
            found[suffix] = None
    return found


def titles(path: Path) -> set[str]:
    result = okrate("task", "list", "--json", db=path, check=True)
    return {row["title"] for row in json.loads(result.stdout)}


def sqlite3_reads(path: Path) -> tuple[str, int]:
    """What the sqlite3 tool (or, without it, Python's sqlite3 in another process) says."""
    if shutil.which("sqlite3"):
        out = subprocess.run(
            ["sqlite3", str(path), "PRAGMA integrity_check; SELECT count(*) FROM task;"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        return out[0], int(out[1])
    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "print(c.execute('PRAGMA integrity_check').fetchone()[0], c.execute('SELECT count(*) FROM task').fetchone()[0])"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    verdict, count = out.stdout.split()
    return verdict, int(count)


@pytest.mark.parametrize("how", ["mv", "cp"])
async def test_a_backup_restored_under_an_open_session_opens_afterwards(
    demo_path: Path, make_app, tmp_path: Path, how: str
) -> None:
    backup = tmp_path / "backup.db"
    copy_sqlite(demo_path, backup)
    open_db(str(demo_path))
    tasks.create_task(find_person("maria"), "Only in the live file", goal=1)  # the backup never had it
    close_db()
    in_backup = titles(backup)
    assert "Only in the live file" not in in_backup
    verdict, stored = sqlite3_reads(backup)
    assert verdict == "ok"

    app = make_app(demo_path)
    app.poll_seconds = 0.05
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        for _ in range(3):  # this session's own writes: its log holds pages the backup never had
            await pilot.press("L")
            await settle(pilot, on_board)
        assert Path(f"{demo_path}-wal").stat().st_size > 0
        if how == "mv":
            restored = tmp_path / "restored.db"
            shutil.copy(backup, restored)
            os.replace(restored, demo_path)
            said = "replaced"
        else:
            subprocess.run(["cp", str(backup), str(demo_path)], check=True)  # the same file, written over
            said = "written over"
        await app.refresh_now()
        await settle(pilot, lambda a: said in banner(a), timeout=20)
        assert "file replaced" in app.screen.query_one("#topbar").trouble
        # the session took its own working files away: nothing of its log lies over the restored file
        assert not Path(f"{demo_path}-wal").exists() and not Path(f"{demo_path}-shm").exists()
        assert hashlib.sha256(demo_path.read_bytes()).digest() == hashlib.sha256(backup.read_bytes()).digest()

        assert titles(demo_path) == in_backup  # the command line reads the restored file, as it is
        assert okrate("task", "add", "Written after the restore", "--goal", "1", db=demo_path).returncode == 0
        assert okrate("check", db=demo_path, check=True).stdout.startswith("integrity: ok")
        assert sqlite3_reads(demo_path) == ("ok", stored + 1)
        await pilot.press("L")  # the session still refuses: its file is gone
        await settle(pilot, on_board)
        found = state(demo_path)
    app.db.close()  # as `okrate` does when the app ends
    # the session has ended: the restored file and its working files are exactly as they were
    assert state(demo_path) == found
    assert titles(demo_path) == in_backup | {"Written after the restore"}
    assert okrate("check", db=demo_path, check=True).stdout.startswith("integrity: ok")
    assert sqlite3_reads(demo_path) == ("ok", stored + 1)


HOLDER = """
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("UPDATE task SET title = title || ' (restored)' WHERE id = 1")
c.commit()
print("open", flush=True)
sys.stdin.read()
"""


async def test_the_working_files_of_a_restored_file_are_never_touched(demo_path: Path, make_app, tmp_path) -> None:
    """Restored the careful way (the old working files removed too) and already opened by
    another session before this one looked: that session's -wal/-shm are not this one's,
    and stay exactly as they are, while this session runs and after it ends."""
    backup = tmp_path / "backup.db"
    copy_sqlite(demo_path, backup)
    app = make_app(demo_path)  # it looks only when asked (refresh_now) or when it writes
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.press("L")
        await settle(pilot, on_board)
        restored = tmp_path / "restored.db"
        shutil.copy(backup, restored)
        os.replace(restored, demo_path)
        for suffix in ("-wal", "-shm"):
            Path(f"{demo_path}{suffix}").unlink()
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(demo_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
            theirs = state(demo_path)
            assert theirs["-wal"] is not None and theirs["-shm"] is not None
            await pilot.press("L")  # a write looks first: the file is another now
            await settle(pilot, lambda a: "Not saved" in " ".join(n.message for n in a._notifications))
            await app.refresh_now()
            await settle(pilot, lambda a: "replaced" in banner(a))
            assert state(demo_path) == theirs
            await pilot.press("ctrl+r")  # a recovery copy reads this session's own data only
            await settle(pilot, lambda a: "recovery" in " ".join(n.message for n in a._notifications).lower())
            assert state(demo_path) == theirs
        finally:
            app.db.close()
            assert state(demo_path) == theirs
            holder.communicate("", timeout=30)
    assert "(restored)" in " ".join(titles(demo_path))
    assert okrate("check", db=demo_path, check=True).stdout.startswith("integrity: ok")
