"""People and teams on the command line: deactivating releases open work, teams rename."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli import test_cli
from tests.cli.test_cli import okrate

demo_file = test_cli.demo_file  # the shared fixtures
demo_db = test_cli.demo_db


def _one(path: Path, sql: str) -> tuple:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchone()


def test_deactivating_someone_releases_their_open_tasks(demo_db: Path) -> None:
    jonas = "(select id from person where handle = 'jonas')"
    (open_before,) = _one(demo_db, f"select count(*) from task where owner_id = {jonas} and status != 'done'")
    result = okrate("person", "edit", "jonas", "--active", "no", db=demo_db, check=True)
    assert f"{open_before} open tasks released" in result.stdout
    assert _one(demo_db, f"select count(*) from task where owner_id = {jonas} and status != 'done'") == (0,)
    assert _one(demo_db, "select active from person where handle = 'jonas'") == (0,)
    back = okrate("person", "edit", "jonas", "--active", "yes", db=demo_db, check=True)
    assert "released" not in back.stdout


def test_a_member_cannot_deactivate_anyone_and_nothing_changes(demo_db: Path) -> None:
    result = okrate("person", "edit", "kim", "--active", "no", db=demo_db, who="jonas")
    assert result.returncode != 0 and "member" in result.stderr
    assert _one(demo_db, "select active from person where handle = 'kim'") == (1,)


def test_teams_are_renamed_and_a_taken_name_is_refused(demo_db: Path) -> None:
    result = okrate("team", "rename", "Sales", "Revenue", db=demo_db, check=True)
    assert "Sales → Revenue" in result.stdout
    clash = okrate("team", "rename", "Revenue", "Marketing", db=demo_db)
    assert clash.returncode == 2 and "exists already" in clash.stderr
    assert _one(demo_db, "select count(*) from team where name = 'Revenue'") == (1,)
