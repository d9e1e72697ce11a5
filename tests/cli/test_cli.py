"""The ``okrate`` command, driven as a script would: exit codes, output, JSON shapes."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def okrate(
    *args: str,
    db: Path | str | None = None,
    who: str | None = "maria",
    check: bool = False,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    extra = env or {}
    env = {k: v for k, v in os.environ.items() if not k.startswith("OKRATE_")} | extra
    env["OKRATE_TODAY"] = "2026-11-26"
    if db is not None:
        env["OKRATE_DB"] = str(db)
    if who is not None:
        env["OKRATE_AS"] = who
    result = subprocess.run(
        [sys.executable, "-m", "okrate_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    okrate("demo", db=path, check=True)
    return path


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database for one test."""
    path = tmp_path / "demo.db"
    source = sqlite3.connect(demo_file)
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    return path


def fingerprint(path: Path) -> tuple:
    conn = sqlite3.connect(path)
    row = conn.execute(
        "SELECT (SELECT COUNT(*) FROM task), (SELECT COALESCE(SUM(version), 0) FROM task), "
        "(SELECT COUNT(*) FROM change), (SELECT COUNT(*) FROM goal)"
    ).fetchone()
    conn.close()
    return row


def test_help_and_version() -> None:
    assert okrate("--version", check=True).stdout.startswith("okrate 0.")
    out = okrate("--help", check=True).stdout
    for command in ("task", "goal", "kr", "demo", "export", "import", "backup", "migrate"):
        assert command in out


def test_demo_flag_points_commands_at_the_demo_file(tmp_path: Path) -> None:
    """``--demo`` works for commands as for the app, and never touches $OKRATE_DB."""
    real = tmp_path / "real.db"
    listed = json.loads(okrate("--demo", "task", "list", "--owner", "maria", "--json", db=real, who=None).stdout)
    assert "Share the quarterly revenue plan with all teams" in {t["title"] for t in listed}
    assert not real.exists()


def test_task_round_trip(demo_db: Path) -> None:
    added = okrate(
        "task",
        "add",
        "Write the release notes",
        "--goal",
        "12",
        "--owner",
        "kim",
        "--priority",
        "high",
        "--deadline",
        "2026-12-04",
        "--json",
        db=demo_db,
        check=True,
    )
    task = json.loads(added.stdout)
    assert task["owner"] == "kim" and task["goal_path"][-1]["id"] == 12
    listed = json.loads(okrate("task", "list", "--owner", "kim", "--json", db=demo_db, check=True).stdout)
    assert task["id"] in [t["id"] for t in listed]
    okrate(
        "task",
        "edit",
        str(task["id"]),
        "--title",
        "Write the notes",
        "--priority",
        "",
        db=demo_db,
        check=True,
    )
    okrate("task", "move", str(task["id"]), "doing", db=demo_db, check=True)
    shown = json.loads(okrate("task", "show", str(task["id"]), "--json", "--history", db=demo_db, check=True).stdout)
    assert (shown["title"], shown["priority"], shown["status"]) == ("Write the notes", None, "doing")
    assert {h["field"] for h in shown["history"]} >= {"@create", "title", "priority", "status"}
    assert all(h["by"] == "maria" for h in shown["history"])
    okrate("task", "rm", str(task["id"]), db=demo_db, check=True)
    assert okrate("task", "show", str(task["id"]), db=demo_db).returncode == 2


def test_goal_commands(demo_db: Path) -> None:
    tree = json.loads(okrate("goal", "list", "--json", db=demo_db, check=True).stdout)
    assert tree["cycle"]["name"] == "2026 Q4"
    first = tree["goals"][0]
    assert set(first) >= {
        "id",
        "parent_id",
        "level",
        "title",
        "owner",
        "progress",
        "status",
        "behind",
        "tasks_open",
        "tasks_overdue",
        "depth",
    }
    detail = json.loads(okrate("goal", "show", "2", "--json", db=demo_db, check=True).stdout)
    assert detail["breakdown"] and detail["key_results"][0]["last_check_in"]["by"]
    text = okrate("goal", "show", "2", db=demo_db, check=True).stdout
    assert "why 42%? Measured by its outcome: its key results and the sub-goals measured by theirs." in text
    assert "each part adds its progress × its share of the weight" in text
    added = okrate("goal", "add", "Open a Lisbon office", "--parent", "1", "--owner", "omar", db=demo_db, check=True)
    assert added.stdout.startswith("added goal")
    kr = json.loads(okrate("goal", "show", "2", "--json", db=demo_db).stdout)["key_results"][0]
    out = okrate(
        "kr",
        "checkin",
        str(kr["id"]),
        "25",
        "--confidence",
        "80%",
        "--note",
        "Two big wins",
        db=demo_db,
        check=True,
    )
    assert "is now 25" in out.stdout


def test_options_take_the_typed_grammar(demo_db: Path) -> None:
    """Dates, priorities and owners read the same everywhere (the clock says Thursday
    2026-11-26): fri, +2w, !hi, me."""
    added = okrate(
        "task",
        "add",
        "Call Acme",
        "--goal",
        "12",
        "--owner",
        "me",
        "--priority",
        "!hi",
        "--deadline",
        "fri",
        "--json",
        db=demo_db,
        check=True,
    )
    task = json.loads(added.stdout)
    assert (task["owner"], task["priority"], task["deadline"]) == ("maria", "high", "2026-11-27")
    okrate(
        "task",
        "edit",
        str(task["id"]),
        "--deadline",
        "+2w",
        "--priority",
        "!!!",
        "--owner",
        "@Kim",
        db=demo_db,
        check=True,
    )
    shown = json.loads(okrate("task", "show", str(task["id"]), "--json", db=demo_db, check=True).stdout)
    assert (shown["deadline"], shown["priority"], shown["owner"]) == ("2026-12-10", "critical", "kim")
    okrate("task", "edit", str(task["id"]), "--deadline", "none", "--owner", "-", db=demo_db, check=True)
    shown = json.loads(okrate("task", "show", str(task["id"]), "--json", db=demo_db, check=True).stdout)
    assert (shown["deadline"], shown["owner"]) == (None, None)
    mine = json.loads(okrate("task", "list", "--owner", "me", "--json", db=demo_db, check=True).stdout)
    assert mine and all(t["owner"] == "maria" for t in mine)
    goal = json.loads(
        okrate(
            "goal", "add", "Open an office", "--starts", "mon", "--due", "+1m", "--json", db=demo_db, check=True
        ).stdout
    )
    okrate("goal", "edit", str(goal["id"]), "--due", "2027-01-15", db=demo_db, check=True)
    dates = sqlite3.connect(demo_db).execute("SELECT starts, due FROM goal WHERE id = ?", (goal["id"],)).fetchone()
    assert dates == ("2026-11-30", "2027-01-15")


def test_plain_listing_is_readable(demo_db: Path) -> None:
    out = okrate("task", "list", "--owner", "jonas", db=demo_db, check=True).stdout.splitlines()
    assert out[0].split()[:4] == ["ID", "STATUS", "PRIORITY", "DEADLINE"]
    statuses = [line.split()[1] for line in out[1:]]
    order = ["todo", "doing", "blocked", "done"]
    assert statuses == sorted(statuses, key=order.index)


LONG = "x" * 102_400


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("task", "add", "", "--goal", "2"), "title: must not be empty"),
        (("task", "add", "Call", "--goal", "2", "--owner", "ghost"), "owner: no person @ghost"),
        (("task", "add", "Call", "--goal", "999"), "goal: no goal 999"),
        (
            ("task", "add", "Call", "--goal", "2", "--deadline", "2026-02-30"),
            "deadline: 2026-02-30 is not a real date (February 2026 has 28 days)",
        ),
        (
            ("task", "add", "Call", "--goal", "2", "--priority", "urgent"),
            "priority: 'urgent' is not a priority: use ! (medium), !! (high), !!! (critical), or low",
        ),
        (("task", "add", "Call", "--goal", "2", "--deadline", "fry"), "deadline: 'fry' is not a date: use 2026-12-01"),
        (("task", "add", "Call", "--goal", "2", "--owner", "two words"), "owner: 'two words' is not a handle: use @"),
        (("task", "edit", "1", "--priority", "!!!!"), "priority: '!!!!' is not a priority"),
        (("task", "list", "--owner", "none"), "owner: needs a person here"),
        (
            ("goal", "add", "Office", "--starts", "+2w", "--due", "+1d"),
            "due: 2026-11-27 is before the start 2026-12-10",
        ),
        (("goal", "edit", "2", "--due", "someday"), "due: 'someday' is not a date"),
        (("cycle", "add", "2027 Q1", "2027-01-01", "2027-02-30"), "ends: 2027-02-30 is not a real date"),
        (("report", "one-on-one", "--with", "jonas", "--date", "fryday"), "date: 'fryday' is not a date"),
        (("task", "add", LONG, "--goal", "2"), "title: is too long (102,400 characters; at most 200)"),
        (("task", "add", "Bad\x1b[2Jtitle", "--goal", "2"), "title: contains line breaks or control"),
        (("task", "edit", "1", "--status", "later"), "status: 'later' is not one of"),
        (("task", "move", "abc", "done"), "argument id: 'abc' is not a number"),
        (("task", "frobnicate"), "invalid choice: 'frobnicate'"),
        (("goal", "move", "1", "2"), "cannot move under itself"),
        (("kr", "checkin", "1", "lots"), "value: 'lots' is not a number"),
        (("kr", "checkin", "3", "1,5"), "value: '1,5' has a decimal comma: write 1.5 (a comma only groups thousands"),
        (("kr", "checkin", "3", "12,34"), "value: '12,34' has a decimal comma: write 12.34"),
        (("report", "one-on-one", "--with", "maria"), "--with names the other person: your manager or one of"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_changes_nothing(demo_db: Path, args, message) -> None:
    before = fingerprint(demo_db)
    result = okrate(*args, db=demo_db)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr[:500]
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert fingerprint(demo_db) == before


@pytest.mark.parametrize(("typed", "stored"), [("2.2M", 2_200_000.0), ("2,130,000", 2_130_000.0), ("1.95m", None)])
def test_check_ins_take_numbers_as_the_app_shows_them(demo_db: Path, typed: str, stored: float | None) -> None:
    result = okrate("kr", "checkin", "1", typed, db=demo_db)
    if stored is None:  # a lower-case m is not a million: refused, not guessed
        assert result.returncode == 2 and f"'{typed}' is not a number" in result.stderr
        return
    assert result.returncode == 0, result.stderr
    shown = json.loads(okrate("kr", "show", "1", "--json", db=demo_db, check=True).stdout)
    assert shown["current"] == stored


def test_unknown_actor(demo_db: Path) -> None:
    result = okrate("task", "add", "x", "--goal", "2", db=demo_db, who=None)
    assert result.returncode == 2 and "who is acting?" in result.stderr
    result = okrate("task", "add", "x", "--goal", "2", db=demo_db, who="ghost")
    assert result.returncode == 2 and "no person @ghost" in result.stderr


def test_corrupt_database_file(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"\x00garbage" * 500)
    result = okrate("task", "list", db=path)
    assert result.returncode == 2
    assert result.stderr.strip() == f"okrate: {path} is not an Okrate database: it is not a SQLite file"
    assert path.read_bytes() == b"\x00garbage" * 500


def test_read_only_database_file(demo_db: Path) -> None:
    before = fingerprint(demo_db)
    demo_db.chmod(stat.S_IRUSR)
    try:
        assert okrate("task", "list", "--limit", "3", db=demo_db).returncode == 0
        result = okrate("task", "add", "Call", "--goal", "2", db=demo_db)
        assert result.returncode == 2
        assert result.stderr.strip() == "okrate: the database is read-only: nothing was changed"
    finally:
        demo_db.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert fingerprint(demo_db) == before


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://me@db/okrate", "unsupported database URL scheme 'mysql'"),
        ("postgresql://me@127.0.0.1:1/okrate", "cannot connect to PostgreSQL"),
        ("/no/such/folder/okrate.db", "there is no database at /no/such/folder/okrate.db"),
    ],
)
def test_wrong_database_urls(url: str, message: str) -> None:
    result = okrate("task", "list", db=url)
    assert result.returncode == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_demo_refuses_data_and_has_its_own_file(demo_db: Path, tmp_path: Path) -> None:
    result = okrate("demo", db=demo_db)
    assert result.returncode == 2 and "already holds data" in result.stderr
    env_home = tmp_path / "home"
    env = {**os.environ, "XDG_DATA_HOME": str(env_home), "OKRATE_TODAY": "2026-11-26"}
    env.pop("OKRATE_DB", None)
    made = subprocess.run(
        [sys.executable, "-m", "okrate_tui", "demo"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert "demo.db" in made.stdout
    assert (env_home / "okrate" / "demo.db").exists()
    assert not (env_home / "okrate" / "okrate.db").exists()


def test_export_import_backup_migrate_check(demo_db: Path, tmp_path: Path) -> None:
    exported = tmp_path / "org.json"
    okrate("export", "--format", "json", "--out", str(exported), db=demo_db, check=True)
    fresh = tmp_path / "fresh.db"
    assert okrate("import", str(exported), db=fresh, check=True).stdout.startswith("imported")
    assert fingerprint(fresh)[0] == fingerprint(demo_db)[0]
    csv_text = okrate("export", "--format", "csv", db=demo_db, check=True).stdout
    assert csv_text.startswith("id,title,status")
    copy = tmp_path / "copy.db"
    okrate("backup", str(copy), db=demo_db, check=True)
    assert fingerprint(copy) == fingerprint(demo_db)
    assert okrate("backup", str(copy), db=demo_db).returncode == 2
    assert "up to date" in okrate("migrate", db=demo_db, check=True).stdout
    assert okrate("check", db=demo_db, check=True).stdout.startswith("integrity: ok")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = okrate("import", str(bad), db=tmp_path / "other.db")
    assert result.returncode == 2 and "is not valid JSON" in result.stderr


def test_a_shared_file_takes_your_login_and_refuses_claims(demo_db: Path) -> None:
    """A group-writable file is shared: nobody acts as another, nobody unknown reads it."""
    demo_db.chmod(0o660)
    before = fingerprint(demo_db)
    claimed = okrate("task", "add", "Sneak", "--goal", "2", db=demo_db, who="maria")
    assert claimed.returncode == 2 and "refused on a shared database" in claimed.stderr
    unknown = okrate("task", "list", db=demo_db, who=None)
    assert unknown.returncode == 2 and "ask an admin to add you" in unknown.stderr and unknown.stdout == ""
    spoofed = okrate("whoami", db=demo_db, who=None, env={"USER": "maria", "LOGNAME": "maria"})
    assert spoofed.returncode == 2 and "maria" not in spoofed.stdout
    assert fingerprint(demo_db) == before
    demo_db.chmod(0o600)
    assert json.loads(okrate("whoami", "--json", db=demo_db, check=True).stdout)["mode"] == "personal"


def test_a_password_never_goes_on_the_command_line(tmp_path: Path) -> None:
    result = okrate("--db", "postgresql://me:secret@127.0.0.1:1/okrate", "task", "list", who=None)
    assert result.returncode == 2 and "visible to every user" in result.stderr and "secret" not in result.stderr
    from_env = okrate("task", "list", db="postgresql://me:secret@127.0.0.1:1/okrate", who=None)
    assert from_env.returncode == 2 and "127.0.0.1:1" in from_env.stderr and "secret" not in from_env.stderr


def test_backups_and_exports_are_private_and_an_admins(demo_db: Path, tmp_path: Path) -> None:
    demo_db.chmod(0o600)
    copy = tmp_path / "copy.db"
    done = okrate("backup", str(copy), db=demo_db, check=True)
    assert "(0600)" in done.stdout and stat.S_IMODE(copy.stat().st_mode) == 0o600
    out = tmp_path / "tasks.csv"
    okrate("export", "--format", "csv", "--out", str(out), db=demo_db, check=True)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    for args in (("backup", str(tmp_path / "b.db")), ("export", "--format", "csv"), ("export",)):
        result = okrate(*args, db=demo_db, who="jonas")
        assert result.returncode == 2 and "needs an admin" in result.stderr and result.stdout == ""
    made = okrate("person", "add", "x", "X", "--role", "admin", db=demo_db, who="devon")
    assert made.returncode == 2 and "only an admin" in made.stderr


def test_people_leave(demo_db: Path) -> None:
    done = okrate("person", "edit", "kim", "--active", "no", db=demo_db, check=True)
    assert "inactive" in done.stdout
    result = okrate("task", "add", "x", "--goal", "2", db=demo_db, who="kim")
    assert result.returncode == 2 and "no longer active" in result.stderr
    refused = okrate("person", "edit", "jonas", "--name", "J", db=demo_db, who="lena")
    assert refused.returncode == 2 and "below them" in refused.stderr


@pytest.mark.parametrize(
    "command",
    [
        "task list",
        "task add Call --goal 1",
        "task show 1",
        "goal list",
        "kr checkin 1 5",
        "person list",
        "person add kim Kim",
        "team list",
        "cycle list",
        "export",
        "backup copy.db",
        "migrate",
        "check",
        "whoami",
        "report cycle 1",
        "import tasks.csv",
    ],
)
def test_a_missing_database_is_refused_by_every_command(tmp_path: Path, command: str) -> None:
    """Only demo, import of a whole export, server init and the app's welcome make a database."""
    missing = tmp_path / "typo.db"
    (tmp_path / "tasks.csv").write_text("title,goal_id\nx,1\n")
    result = subprocess.run(
        [sys.executable, "-m", "okrate_tui", "--db", str(missing), "--as", "maria", *command.split()],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "OKRATE_TODAY": "2026-11-26"},
    )
    assert result.returncode == 2, result.stderr
    assert f"there is no database at {missing}" in result.stderr
    assert not missing.exists() and not (tmp_path / "copy.db").exists()


def _in_review(db: Path) -> tuple:
    okrate("cycle", "advance", "2026 Q4", db=db, check=True)
    conn = sqlite3.connect(db)
    cycles = conn.execute("SELECT name, state FROM cycle ORDER BY id").fetchall()
    conn.close()
    return fingerprint(db), cycles


def _carried_deadlines(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    found = conn.execute(
        "SELECT t.deadline FROM task t JOIN cycle c ON c.id = t.cycle_id "
        "WHERE c.name = '2027 Q1' AND t.deadline IS NOT NULL"
    ).fetchall()
    conn.close()
    return sorted(row[0] for row in found)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "2026 Q4 ends on 31 Dec, 35 days from now: close it anyway? Pass --yes to close it before its end date"),
        (("--yes", "--move-deadlines", "--keep-deadlines"), "not allowed with argument --move-deadlines"),
        (("--yes", "--carry", "all"), "invalid choice: 'all'"),
    ],
)
def test_closing_a_cycle_refuses_what_it_cannot_do_and_changes_nothing(demo_db: Path, args, message) -> None:
    before = _in_review(demo_db)
    result = okrate("cycle", "close", "2026 Q4", *args, db=demo_db)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr[:500]
    conn = sqlite3.connect(demo_db)
    cycles = conn.execute("SELECT name, state FROM cycle ORDER BY id").fetchall()
    conn.close()
    assert (fingerprint(demo_db), cycles) == before  # nothing closed, no cycle made


def test_a_closing_member_is_refused_before_any_question(demo_db: Path) -> None:
    before = _in_review(demo_db)
    result = okrate("cycle", "close", "2026 Q4", db=demo_db, who="jonas")
    assert result.returncode == 2 and "cycles are created and advanced by admins" in result.stderr
    assert fingerprint(demo_db) == before[0]


def test_closing_early_with_yes_moves_deadlines_when_told(demo_db: Path) -> None:
    _in_review(demo_db)
    result = okrate("cycle", "close", "2026 Q4", "--yes", "--move-deadlines", db=demo_db, check=True)
    assert "2026 Q4 is closed. Into 2027 Q1 (made now)" in result.stdout
    assert "moved to 7 Jan." in result.stdout
    carried = _carried_deadlines(demo_db)
    assert carried and min(carried) >= "2027-01-07"


def test_a_dry_run_says_which_goals_would_change_and_changes_nothing(demo_db: Path) -> None:
    before = _in_review(demo_db)
    goals = json.loads(okrate("goal", "list", "--json", db=demo_db, check=True).stdout)["goals"]
    onboarding = next(g for g in goals if g["title"] == "Redesign onboarding")
    kept = okrate("cycle", "close", "2026 Q4", "--dry-run", db=demo_db, check=True).stdout
    assert kept.startswith("Dry run, nothing changed: 2026 Q4 would close. Into 2027 Q1 (made now)")
    assert "Every carried goal starts 2027 Q1 where it stood." in kept
    assert "Before its end date the close needs --yes: 2026 Q4 ends on 31 Dec" in kept
    reset = okrate(
        "cycle", "close", "2026 Q4", "--dry-run", "--reset", str(onboarding["id"]), db=demo_db, check=True
    ).stdout
    progress = round(onboarding["progress"] * 100)  # its own parts start afresh; its open sub-goal keeps its 55%
    assert re.search(rf"“Redesign onboarding” {progress}% → [1-9]\d?% \(reset\)", reset), reset
    assert "14 carried goals start where they stood; “Ship a product customers love”" in reset  # its parent
    assert fingerprint(demo_db) == before[0]  # nothing written, no cycle made
    unknown = okrate("cycle", "close", "2026 Q4", "--dry-run", "--reset", "99999", db=demo_db)
    assert unknown.returncode == 2 and "reset: goal 99999 is not an unfinished goal of 2026 Q4" in unknown.stderr
    done = okrate("cycle", "close", "2026 Q4", "--yes", "--reset-progress", db=demo_db, check=True).stdout
    assert "(reset)" in done and "2026 Q4 is closed." in done


def test_a_script_keeps_deadlines_unless_it_says_move(demo_db: Path) -> None:
    _in_review(demo_db)
    okrate("cycle", "close", "2026 Q4", "--yes", db=demo_db, check=True)
    assert min(_carried_deadlines(demo_db)) < "2027-01-01"  # as they were: no terminal, no question


@pytest.mark.parametrize(("answers", "code"), [(["y", "y"], 0), (["n"], 1)])
def test_on_a_terminal_closing_asks(demo_db: Path, monkeypatch: pytest.MonkeyPatch, capsys, answers, code) -> None:
    from okrate_tui.cli import main as cli
    from okrate_tui.cli import reports

    before = _in_review(demo_db)
    asked: list[str] = []
    replies = iter(answers)
    monkeypatch.setattr(reports, "interactive", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or next(replies))
    monkeypatch.setenv("OKRATE_DB", str(demo_db))
    monkeypatch.setenv("OKRATE_AS", "maria")
    assert cli.main(["cycle", "close", "2026 Q4"]) == code
    assert asked[0] == "2026 Q4 ends on 31 Dec, 35 days from now: close it anyway? [y/N] "
    if code == 1:
        assert "2026 Q4 stays open: nothing was changed" in capsys.readouterr().err
        assert fingerprint(demo_db) == before[0]
        return
    assert asked[1].endswith("the end of its first week? [y/N] ") and "would start 2027 Q1 overdue" in asked[1]
    assert min(_carried_deadlines(demo_db)) >= "2027-01-07"


def test_a_goal_made_today_starts_today_until_edited(demo_db: Path) -> None:
    added = okrate("goal", "add", "Open a Lisbon office", "--parent", "1", "--json", db=demo_db, check=True)
    goal = json.loads(added.stdout)
    assert (goal["starts"], goal["status"], goal["status_reason"]) == ("2026-11-26", "unmeasured", "")
    okrate("goal", "edit", str(goal["id"]), "--starts", "", db=demo_db, check=True)
    shown = json.loads(okrate("goal", "show", str(goal["id"]), "--json", db=demo_db, check=True).stdout)
    assert shown["starts"] is None
    given = okrate("goal", "add", "Backdated", "--parent", "1", "--starts", "2026-10-01", "--json", db=demo_db)
    assert json.loads(given.stdout)["starts"] == "2026-10-01"


def test_task_next_ranks_by_what_the_work_moves_and_says_why(demo_db: Path) -> None:
    ranked = json.loads(okrate("task", "next", "--json", db=demo_db, who="lena", check=True).stdout)
    assert [item["rank"] for item in ranked] == list(range(1, len(ranked) + 1)) and len(ranked) >= 3
    overdue = [item["why"].startswith("overdue") for item in ranked]
    assert overdue == sorted(overdue, reverse=True)  # every overdue task before the rest
    assert all("its goal" in item["why"] and "priority" in item["why"] for item in ranked)
    text = okrate("task", "next", "--owner", "@lena", db=demo_db, check=True).stdout.splitlines()
    assert text[0].startswith("Next for @lena: overdue first, then goals off track or at risk")
    assert text[1].split()[:5] == ["#", "ID", "TASK", "GOAL", "WHY"]
    assert str(ranked[0]["id"]) == text[2].split()[1]
