"""okrate agenda, task list --overdue/--due-before and export --format ics, on the demo
organisation with the clock at Thursday 26 November 2026."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import icalendar

from tests.cli import test_cli
from tests.cli.test_cli import ROOT, okrate

demo_file = test_cli.demo_file  # the shared fixtures
demo_db = test_cli.demo_db

LENA = """\
Agenda for @lena · Thursday 26 Nov 2026 · due up to Thu 3 Dec

Overdue
  #24  overdue 7 days  Send the webinar invite to the partner list  (Double webinar signups)
  #26  overdue 4 days  Rewrite the homepage headline and intro      (Refresh the brand site)

Due soon
  #21  due in 5 days  Translate the landing page into German  (Launch the winter campaign)

One-on-ones
  @zoe  never met            none planned
  @ana  last met 7 days ago  none planned
"""


def test_agenda_groups_by_section_with_dates_in_words(demo_db: Path) -> None:
    result = okrate("agenda", "--within", "1w", db=demo_db, who="lena", check=True)
    assert result.stdout == LENA
    assert result.stderr == ""


def test_agenda_says_when_nothing_waits(demo_db: Path) -> None:
    result = okrate("agenda", db=demo_db, who="jonas", check=True)
    assert result.stdout.splitlines() == [
        "Agenda for @jonas · Thursday 26 Nov 2026 · due up to Sun 29 Nov",
        "",
        "Nothing is waiting on you.",
    ]


def test_agenda_json_is_one_object(demo_db: Path) -> None:
    shown = json.loads(okrate("agenda", "--json", db=demo_db, who="devon", check=True).stdout)
    assert (shown["person"], shown["today"], shown["until"], shown["stale_check_in_days"]) == (
        "devon",
        "2026-11-26",
        "2026-11-29",
        14,
    )
    assert [(t["id"], t["days"], t["when"]) for t in shown["overdue"]] == [
        (65, -10, "overdue 10 days"),
        (59, -1, "overdue 1 day"),
    ]
    assert shown["due"] == [] and shown["key_results"] == [] and shown["reviews"] == []
    assert [(m["with"], m["when"]) for m in shown["reports_to_meet"]] == [
        ("kim", "never met"),
        ("samir", "never met"),
        ("jonas", "last met 7 days ago"),
    ]


def test_agenda_reads_stale_check_in_days_from_the_config_file(demo_db: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("stale_check_in_days = 1\n")
    shown = json.loads(okrate("agenda", "--json", db=demo_db, env={"OKRATE_CONFIG": str(config)}, check=True).stdout)
    assert shown["stale_check_in_days"] == 1
    assert [k["when"] for k in shown["key_results"]] == ["last check-in yesterday"] * len(shown["key_results"])
    assert {k["goal"] for k in shown["key_results"]} == {  # Maria's three goals
        "Grow recurring revenue to €2.4M ARR",
        "Ship a product customers love",
        "Build a team people want to join",
    }
    config.write_text('stale_check_in_days = "often"\n')
    result = okrate("agenda", db=demo_db, env={"OKRATE_CONFIG": str(config)}, check=True)
    assert "stale_check_in_days is a number of days from 1 to 365, not 'often'" in result.stderr
    assert "Key results" not in result.stdout  # the default, 14 days, applies


def test_agenda_refuses_a_bad_span(demo_db: Path) -> None:
    result = okrate("agenda", "--within", "soon", db=demo_db)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        "okrate: within: 'soon' is not a span: use 3d, 2w or 1m (with or without +), "
        "or the last day as a date: today, fri, 2026-12-01\n"
    )


def test_task_list_overdue_and_due_before(demo_db: Path) -> None:
    with sqlite3.connect(demo_db) as conn:
        late = {
            r[0]
            for r in conn.execute(
                "select t.id from task t join cycle c on c.id = t.cycle_id "
                "where c.state = 'active' and t.status <> 'done' and t.deadline < '2026-11-26'"
            )
        }
        before_friday = {
            r[0]
            for r in conn.execute(
                "select t.id from task t join cycle c on c.id = t.cycle_id "
                "where c.state = 'active' and t.deadline < '2026-11-27'"
            )
        }
    listed = json.loads(okrate("task", "list", "--overdue", "--json", db=demo_db, check=True).stdout)
    assert late and {t["id"] for t in listed} == late
    mine = json.loads(okrate("task", "list", "--overdue", "--owner", "me", "--json", db=demo_db, who="devon").stdout)
    assert [t["id"] for t in mine] == [65, 59]
    due = json.loads(okrate("task", "list", "--due-before", "fri", "--json", db=demo_db, check=True).stdout)
    assert {t["id"] for t in due} == before_friday != late  # done ones too
    both = okrate("task", "list", "--due-before", "2026-11-20", "--overdue", "--status", "doing", db=demo_db)
    assert [line.split()[0] for line in both.stdout.splitlines()[1:]] == ["65"]
    bad = okrate("task", "list", "--due-before", "someday", db=demo_db)
    assert bad.returncode == 2 and bad.stderr.startswith("okrate: due-before: 'someday' is not a date: use")


def test_export_ics_is_the_persons_own_calendar(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "jonas.ics"
    result = okrate("export", "--format", "ics", "--out", str(out), db=demo_db, who="jonas", check=True)
    assert result.stderr == f"wrote {out} (readable by you only)\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "DTSTART;VALUE=DATE:20261231\r\n" in text
    calendar = icalendar.Calendar.from_ical(text)
    events = [(str(e["UID"]), e.decoded("DTSTART").isoformat(), str(e["SUMMARY"])) for e in calendar.walk("VEVENT")]
    assert events == [
        ("task-54@okrate", "2026-12-18", "Due: Add automatic rollback on failed health checks"),
        ("task-51@okrate", "2026-12-29", "Due: Cache the permissions lookup"),
        ("cycle-2-ends@okrate", "2026-12-31", "2026 Q4 ends"),
    ]
    again = okrate("export", "--format", "ics", db=demo_db, who="jonas", check=True).stdout
    assert again.replace("\r\n", "\n") == text.replace("\r\n", "\n")  # the same ids and stamps: a re-import updates


def test_export_ics_without_icalendar_says_how_to_get_it(demo_db: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocked" / "icalendar"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('not installed')\n")
    path = os.pathsep.join([str(blocker.parent), str(ROOT)])
    result = okrate("export", "--format", "ics", db=demo_db, env={"PYTHONPATH": path})
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("okrate: an ICS export needs the icalendar package: pip install 'okrate-tui[calendar]'\n")


def test_agenda_loads_neither_textual_nor_icalendar(demo_db: Path) -> None:
    code = (
        "import sys\n"
        "from okrate_tui.cli.main import main\n"
        "main(['agenda'])\n"
        "print('loaded:', sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'icalendar'}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OKRATE_")}
    env |= {"OKRATE_DB": str(demo_db), "OKRATE_AS": "maria", "OKRATE_TODAY": "2026-11-26"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Agenda for @maria") and result.stdout.endswith("loaded: []\n")
