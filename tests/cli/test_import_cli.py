"""``okrate import`` of task lists, driven as a script would."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.cli import test_cli
from tests.cli.test_cli import fingerprint, okrate

demo_file = test_cli.demo_file
demo_db = test_cli.demo_db

DATA = Path(__file__).resolve().parents[1] / "data"
UTC = {"TZ": "UTC"}


def test_dry_run_lists_every_row_and_writes_nothing(demo_db: Path) -> None:
    before = fingerprint(demo_db)
    result = okrate(
        "import", str(DATA / "jira.csv"), "--goal", "Reduce the open bug count", "--dry-run", db=demo_db, env=UTC
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "dry run of an import from CSV (nothing written): 5 to add, 0 to update, 1 skipped"
    assert any(line.split()[:3] == ["row", "7", "skip"] and "Won't Do" in line for line in lines)
    assert any("“Export to CSV drops the last row” → goal 13 (doing, @kim, high, due 2026-11-30)" in x for x in lines)
    assert fingerprint(demo_db) == before


def test_bad_rows_are_listed_and_the_database_is_unchanged(demo_db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "issues.csv"
    bad.write_text("Summary,Assignee,Due date\nFine,jonas,2026-12-01\nBroken,Jane Doe,03/04/2026\n")
    before = fingerprint(demo_db)
    result = okrate("import", str(bad), "--goal", "13", db=demo_db)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "okrate: nothing imported: 1 row has errors; the database is unchanged:",
        "  row 3, Assignee: nobody here is 'Jane Doe' (by handle, name or e-mail)",
        "  row 3, Due date: '03/04/2026' is ambiguous (3 April or March 4): pass --date-order dmy or mdy",
    ]
    assert fingerprint(demo_db) == before
    wrong = okrate("import", str(bad), "--map", "title=Nope", db=demo_db)
    assert wrong.returncode == 2 and "the file has no column 'Nope'" in wrong.stderr


def test_taskwarrior_import_then_again(demo_db: Path) -> None:
    member = okrate("import", str(DATA / "taskwarrior.json"), "--create-goals", "--goal", "11", db=demo_db, who="kim")
    assert member.returncode == 2 and "top-level goals need a manager or an admin" in member.stderr
    args = ("import", str(DATA / "taskwarrior.json"), "--project", "perf=11", "--project", "bugs=13", "--goal", "11")
    first = okrate(*args, db=demo_db, who="jonas", env=UTC, check=True)
    assert first.stdout.splitlines()[0] == "imported from Taskwarrior: 8 tasks added, 0 updated, 2 skipped"
    again = okrate(*args, db=demo_db, who="jonas", env=UTC, check=True)
    assert again.stdout.startswith("imported from Taskwarrior: 0 tasks added, 0 updated, 10 skipped")


def test_export_edit_import_round_trip(demo_db: Path, tmp_path: Path) -> None:
    exported = okrate("export", "--format", "csv", db=demo_db, check=True).stdout
    rows = list(csv.DictReader(io.StringIO(exported)))
    target = next(r for r in rows if r["status"] == "todo" and r["goal_id"] == "2")
    target["status"], target["priority"] = "doing", "critical"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    edited = tmp_path / "tasks.csv"
    edited.write_text(out.getvalue())
    dry = okrate("import", str(edited), "--dry-run", db=demo_db, check=True).stdout
    assert f"task {target['id']}: status todo → doing, priority" in dry
    done = okrate("import", str(edited), db=demo_db, check=True).stdout
    assert done.startswith(f"imported from Okrate CSV: 0 tasks added, 1 updated, {len(rows) - 1} unchanged")
    shown = okrate("task", "show", target["id"], db=demo_db, check=True).stdout
    assert "doing" in shown and "critical" in shown
