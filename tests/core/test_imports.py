"""Task imports: Taskwarrior exports, other tools' CSV, Okrate's CSV read back; all rows
or none, dry runs that write nothing, and the services' rules for every row."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from okrate_tui import demo
from okrate_tui.core import exchange
from okrate_tui.core.errors import ValidationError
from okrate_tui.core.imports import csv_map, okrate_csv, taskwarrior
from okrate_tui.core.imports.plan import ImportRefused, Plan
from okrate_tui.core.imports.values import People, read_date, read_priority, read_stamp, read_status
from okrate_tui.core.models import Change, Cycle, Goal, Person, Task
from okrate_tui.core.services import tasks
from okrate_tui.core.services.imports import apply_plan

DATA = Path(__file__).resolve().parents[1] / "data"
TASKWARRIOR = (DATA / "taskwarrior.json").read_text()
JIRA = (DATA / "jira.csv").read_text()
TRELLO = (DATA / "trello.csv").read_text()


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch):
    """Taskwarrior's times are UTC and read in the machine's zone: fix the zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def org(db):
    demo.generate()
    return {p.handle: p for p in Person.select()}


def goal_id(title: str) -> int:
    return Goal.get(Goal.title == title).id


def fingerprint() -> tuple:
    return (
        Task.select().count(),
        sum(t.version for t in Task.select(Task.version)),
        Goal.select().count(),
        Change.select().count(),
    )


def by_title(title: str) -> Task:
    return Task.get(Task.title == title)


def tw_plan(**kwargs) -> Plan:
    projects = {"perf": "Cut p95 API latency", "bugs": str(goal_id("Reduce the open bug count"))}
    return taskwarrior.read(TASKWARRIOR, **({"projects": projects, "goal": "Cut p95 API latency"} | kwargs))


# --- Taskwarrior ---------------------------------------------------------------------------


def test_taskwarrior_sample_lands_on_the_board(org) -> None:
    jonas = org["jonas"]
    before = Change.select().count()
    outcome = apply_plan(jonas, tw_plan(owner=jonas.id))
    assert (outcome.count("add"), outcome.count("skip")) == (8, 2)
    skipped = {s.detail for s in outcome.steps if s.action == "skip"}
    assert any("deleted in Taskwarrior" in d for d in skipped) and any("recurrence template" in d for d in skipped)
    latency = goal_id("Cut p95 API latency")
    pool = by_title("Roll the new connection pool out to all regions")  # project perf.db → perf's goal
    assert (pool.goal_id, pool.status, pool.priority, pool.deadline) == (latency, "blocked", "high", date(2026, 12, 10))
    assert pool.owner_id == jonas.id and "tags rollout" in pool.context
    profile = by_title("Profile the search endpoint under load")
    assert (profile.status, profile.priority) == ("doing", "medium")  # started
    assert profile.context.splitlines()[1:] == [
        "2026-11-18 flame graph shows 40% in JSON encoding",
        "2026-11-24 try orjson on the hot path",
    ]
    assert by_title("Triage the crash reports from the 4.2 release").goal_id == goal_id("Reduce the open bug count")
    waiting = by_title("Ask Kim about the flaky release job")  # no project: --goal
    assert (waiting.goal_id, waiting.status) == (latency, "todo") and "waiting until 2026-11-30" in waiting.context
    assert by_title("Upgrade the ORM to 3.18").status == "done"
    assert by_title("Upgrade the ORM to 3.18").completed_at == datetime(2026, 11, 12, 17, 15, 4)  # its "end"
    assert by_title("Benchmark pgbouncer in transaction mode").priority == "high"
    assert Task.select().where(Task.title == "Rewrite the cache layer in Rust").count() == 0
    new = Change.select().where(Change.id > before)
    assert {c.op for c in new} and len({c.op for c in new}) == 1  # one logged write
    again = apply_plan(jonas, tw_plan(owner=jonas.id))
    assert again.count("add") == 0 and sum("imported before as task" in s.detail for s in again.steps) == 8


def test_taskwarrior_times_are_read_in_the_local_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    assert read_stamp("20261210T050000Z") == date(2026, 12, 10)  # local midnight, as Taskwarrior stores it
    assert read_stamp("20261210T030000Z") == date(2026, 12, 9)


def test_taskwarrior_projects_without_goals_refuse_the_file(org) -> None:
    before = fingerprint()
    with pytest.raises(ImportRefused) as caught:
        apply_plan(org["maria"], taskwarrior.read(TASKWARRIOR))
    lines = [str(e) for e in caught.value.errors]
    assert "row 1, project: 'perf.db' has no goal: map it with --project 'perf.db=GOAL' or pass --create-goals" in lines
    assert "row 6, project: the task has no project: pass --goal GOAL for such tasks" in lines
    assert fingerprint() == before
    with pytest.raises(ValidationError, match="no goal titled 'Nope'"):
        taskwarrior.read(TASKWARRIOR, projects={"perf": "Nope"})


def test_taskwarrior_bad_rows_are_listed_and_nothing_is_written(org) -> None:
    items = json.loads(TASKWARRIOR)
    items[2]["priority"] = "X"
    items[3]["due"] = "20260230T000000Z"
    items[4]["description"] = "x" * 300
    before = fingerprint()
    with pytest.raises(ImportRefused) as caught:
        apply_plan(org["jonas"], _plan(json.dumps(items)))
    where = {(e.row, e.column) for e in caught.value.errors}
    assert where == {(3, "priority"), (4, "due"), (5, "description")}
    assert "is too long" in next(e.reason for e in caught.value.errors if e.row == 5)
    assert fingerprint() == before


def _plan(text: str) -> Plan:
    projects = {"perf": "Cut p95 API latency", "bugs": "Reduce the open bug count"}
    return taskwarrior.read(text, projects=projects, goal="Cut p95 API latency")


def test_create_goals_makes_the_importers_goals_where_they_may(org) -> None:
    maria, jonas = org["maria"], org["jonas"]
    before = fingerprint()
    with pytest.raises(ImportRefused) as caught:  # a member may not add top-level goals
        apply_plan(jonas, taskwarrior.read(TASKWARRIOR, create_goals=True, goal="Cut p95 API latency"))
    assert "top-level goals need a manager or an admin" in caught.value.errors[0].reason
    assert caught.value.errors[0].column == "project"
    assert fingerprint() == before
    plan = taskwarrior.read(TASKWARRIOR, create_goals=True, goal="Cut p95 API latency", parent="Cut p95 API latency")
    outcome = apply_plan(jonas, plan)  # under a goal, a goal of one's own is fine
    made = Goal.select().where(Goal.title.in_(["perf", "perf.db", "bugs"]))
    assert outcome.count("goal") == 3 and made.count() == 3
    assert all(g.owner_id == jonas.id and g.parent_id == goal_id("Cut p95 API latency") for g in made)
    assert by_title("Benchmark pgbouncer in transaction mode").goal_id == Goal.get(Goal.title == "perf.db").id
    Task.delete().where(Task.context.contains(taskwarrior.MARK)).execute()
    apply_plan(maria, taskwarrior.read(TASKWARRIOR, create_goals=True, goal="Cut p95 API latency"))
    top = Goal.select().where(Goal.title == "perf", Goal.parent.is_null())
    assert top.count() == 1 and top.get().cycle.state == "active" and top.get().owner_id == maria.id


def test_dry_run_writes_nothing_and_says_what_it_would_do(org) -> None:
    before = fingerprint()
    outcome = apply_plan(org["maria"], tw_plan(create_goals=True, projects={}), dry_run=True)
    assert outcome.dry_run and (outcome.count("add"), outcome.count("skip"), outcome.count("goal")) == (8, 2, 3)
    assert fingerprint() == before
    assert not Goal.select().where(Goal.title == "perf").exists()


# --- other tools' CSV ----------------------------------------------------------------------


def test_jira_export_with_its_dates_names_and_statuses(org) -> None:
    bugs = goal_id("Reduce the open bug count")
    plan = csv_map.read(JIRA, {}, goal="Reduce the open bug count")
    assert plan.notes[0].startswith("columns: title ← Summary, owner ← Assignee, deadline ← Due date")
    outcome = apply_plan(org["devon"], plan)
    assert (outcome.count("add"), outcome.count("skip")) == (5, 1)
    checkout = by_title("Checkout page throws 500 when the cart is empty")
    assert (checkout.goal_id, checkout.status, checkout.priority) == (bugs, "doing", "critical")
    assert checkout.owner_id == org["samir"].id and checkout.deadline == date(2026, 12, 4)
    assert checkout.context == "Steps: empty the cart, open /checkout.\nSeen 212 times this week."
    mail = by_title("Password reset mail goes to spam for Outlook users")  # assignee by e-mail
    assert (mail.owner_id, mail.deadline, mail.status) == (org["jonas"].id, date(2026, 12, 15), "todo")
    assert by_title("Export to CSV drops the last row").status == "doing"  # In Review
    assert by_title("Typo in the invoice footer").status == "done"
    assert by_title("Date picker shows last month in Safari").owner_id is None
    assert not Task.select().where(Task.title == "Dark mode for the admin console").exists()  # Won't Do


def test_trello_export_with_a_status_of_its_own(org) -> None:
    statuses = csv_map.parse_statuses(["Waiting on client=blocked"])
    outcome = apply_plan(org["lena"], csv_map.read(TRELLO, {}, goal="Launch the winter campaign", statuses=statuses))
    assert (outcome.count("add"), outcome.count("skip")) == (4, 1)  # the archived card
    speakers = by_title("Book the webinar speakers")
    assert (speakers.status, speakers.owner_id, speakers.deadline) == ("blocked", org["ana"].id, date(2026, 12, 8))
    assert by_title("Write the winter newsletter").owner_id == org["zoe"].id  # "Zoë Martin"
    assert by_title("Pick the campaign colours").status == "done"
    plain = csv_map.read(TRELLO, {}, goal="Launch the winter campaign")
    assert "'Waiting on client'" in plain.notes[-1]  # the default, said out loud


def test_an_explicit_mapping_wins_and_is_checked(org) -> None:
    text = "Thing,Who,When,Where\nShip it,Maria Santos,03/04/2026,Hire six engineers\n"
    mapping = csv_map.parse_mapping(["title=Thing,owner=Who,deadline=When", "goal=Where"])
    with pytest.raises(ImportRefused) as caught:
        apply_plan(org["maria"], csv_map.read(text, mapping))
    assert str(caught.value.errors[0]) == (
        "row 2, When: '03/04/2026' is ambiguous (3 April or March 4): pass --date-order dmy or mdy"
    )
    apply_plan(org["maria"], csv_map.read(text, mapping, date_order="mdy"))
    task = by_title("Ship it")
    assert (task.deadline, task.goal_id, task.owner_id) == (date(2026, 3, 4), goal_id("Hire six engineers"), 1)
    with pytest.raises(ValidationError, match="no column 'Nope'"):
        csv_map.read(text, csv_map.parse_mapping(["title=Nope"]))
    with pytest.raises(ValidationError, match="'size' is not a task field"):
        csv_map.parse_mapping(["size=Thing"])


def test_csv_rows_are_all_or_nothing(org) -> None:
    text = (
        "Summary,Assignee,Due date,Priority,Status\n"
        "Good row,jonas,2026-12-01,High,To Do\n"
        "Bad owner,Nobody Known,2026-12-01,High,To Do\n"
        "Bad date,jonas,2026-02-30,Urgentest,Done\n"
        ",jonas,,,\n"
    )
    before = fingerprint()
    with pytest.raises(ImportRefused) as caught:
        apply_plan(org["maria"], csv_map.read(text, {}, goal="Hire six engineers"))
    assert [str(e) for e in caught.value.errors] == [
        "row 3, Assignee: nobody here is 'Nobody Known' (by handle, name or e-mail)",
        "row 4, Due date: 2026-02-30 is not a real date (February 2026 has 28 days)",
        "row 4, Priority: 'Urgentest' is not a priority: use ! (medium), !! (high), !!! (critical), "
        "or low, medium, high, critical or their first letters",
        "row 5, Summary: must not be empty",
    ]
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2026-12-15", None, date(2026, 12, 15)),
        ("15/12/2026", None, date(2026, 12, 15)),
        ("12/15/2026", None, date(2026, 12, 15)),
        ("03/04/2026", "dmy", date(2026, 4, 3)),
        ("03/04/2026", "mdy", date(2026, 3, 4)),
        ("15.12.2026", None, date(2026, 12, 15)),
        ("15/Dec/26 9:00 AM", None, date(2026, 12, 15)),
        ("15/Dec/26", None, date(2026, 12, 15)),
        ("15 December 2026", None, date(2026, 12, 15)),
        ("Dec 15, 2026", None, date(2026, 12, 15)),
        ("2026-12-15T09:00:00", None, date(2026, 12, 15)),
        ("2026-12-15T23:30:00.000Z", None, date(2026, 12, 15)),
        ("2026-12-15 09:00", None, date(2026, 12, 15)),
        ("tomorrow", None, date(2026, 11, 27)),
        ("", None, None),
    ],
)
def test_dates_in_common_forms(text: str, order: str | None, expected: date | None) -> None:
    assert read_date(text, order) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("03/04/2026", "ambiguous"),
        ("31/02/2026", "February 2026 has 28 days"),
        ("15/Foo/26", "is not a date"),
        ("next week-ish", "is not a date"),
    ],
)
def test_dates_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_date(text)


def test_priorities_statuses_and_people(org) -> None:
    assert [read_priority(p) for p in ("H", "m", "Highest", "Major", "Lowest", "P2", "!!", "crit", "")] == [
        "high",
        "medium",
        "critical",
        "high",
        "low",
        "medium",
        "high",
        "critical",
        None,
    ]
    assert read_status("In Progress")[:2] == ("doing", None)
    assert read_status("Won't Do")[1] == "status 'Won't Do' means dropped"
    assert read_status("Parked") == ("todo", None, True)
    assert read_status("Parked", {"parked": "blocked"}) == ("blocked", None, False)
    people = People()
    assert {people.find(v) for v in ("jonas", "@Jonas", "Jonas Berg", "jonas@example.com", "jonas.berg@corp.io")} == {
        org["jonas"].id
    }
    assert people.find("Ana Ruiz, Lena Fischer") == org["ana"].id
    assert people.find("") is None
    with pytest.raises(ValueError, match="nobody here is 'Jane Doe'"):
        people.find("Jane Doe")


# --- Okrate's CSV read back ----------------------------------------------------------------


def _edit(text: str, changes: dict[str, dict[str, str]], extra: list[dict[str, str]] = ()) -> str:
    rows = list(csv.DictReader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        writer.writerow(row | changes.get(row["id"], {}))
    for row in extra:
        writer.writerow({k: "" for k in rows[0]} | row)
    return out.getvalue()


def test_export_edit_import_updates_by_id(org) -> None:
    maria = org["maria"]
    exported = exchange.tasks_csv(maria)
    first, second = Task.select().join(Cycle).where(Cycle.state == "active").order_by(Task.id).limit(2)
    closed = Task.select().join(Cycle).where(Cycle.state == "closed").first()
    versions = {t.id: t.version for t in Task.select()}
    before_changes = Change.select().count()
    edited = _edit(
        exported,
        {str(first.id): {"status": "done", "owner": "kim"}, str(second.id): {"title": "Renamed in a spreadsheet"}},
        [{"title": "Added in a spreadsheet", "goal_id": str(goal_id("Hire six engineers")), "priority": "low"}],
    )
    assert okrate_csv.is_okrate_csv(edited)
    outcome = apply_plan(maria, okrate_csv.read(edited))
    assert (outcome.count("update"), outcome.count("add")) == (2, 1)
    assert outcome.count("unchanged") == len(versions) - 2  # a closed cycle's task untouched is fine
    first, second = Task.get_by_id(first.id), Task.get_by_id(second.id)
    assert (first.status, first.owner_id, first.completed_at is not None) == ("done", org["kim"].id, True)
    assert second.title == "Renamed in a spreadsheet"
    assert Task.get_by_id(closed.id).version == versions[closed.id]
    assert Task.select().count() == len(versions) + 1
    logged = {(c.entity_id, c.field) for c in Change.select().where(Change.id > before_changes)}
    assert {(first.id, "status"), (first.id, "owner"), (second.id, "title")} <= logged
    again = apply_plan(maria, okrate_csv.read(_edit(exchange.tasks_csv(maria), {})))
    assert again.count("update") == again.count("add") == 0


def test_a_stale_row_conflicts_and_nothing_is_written(org) -> None:
    maria = org["maria"]
    task = Task.select().join(Cycle).where(Cycle.state == "active").order_by(Task.id).first()
    exported = exchange.tasks_csv(maria)
    tasks.edit_task(org["jonas"], task.id, task.version, title="Changed meanwhile")
    before = fingerprint()
    stale = _edit(exported, {str(task.id): {"title": "Changed in the sheet"}})
    with pytest.raises(ImportRefused) as caught:
        apply_plan(maria, okrate_csv.read(stale))
    error = caught.value.errors[0]
    assert error.row == 2 and "changed by someone else meanwhile (title)" in error.reason
    assert fingerprint() == before
    other = _edit(exported, {str(task.id): {"title": "Changed meanwhile", "priority": "critical"}})
    apply_plan(maria, okrate_csv.read(other))  # another field of the same task: no clash
    assert Task.get_by_id(task.id).priority == "critical"


def test_okrate_csv_refuses_unknown_or_repeated_ids_and_closed_cycles(org) -> None:
    maria = org["maria"]
    closed = Task.select().join(Cycle).where(Cycle.state == "closed").first()
    text = (
        "id,title,goal_id,status\n"
        f"9999,Gone,{closed.goal_id},todo\n"
        f"{closed.id},{closed.title},{closed.goal_id},doing\n"
        f"{closed.id},{closed.title},{closed.goal_id},done\n"
        "x1,Odd,1,todo\n"
    )
    before = fingerprint()
    with pytest.raises(ImportRefused) as caught:
        apply_plan(maria, okrate_csv.read(text))
    errors = [str(e) for e in caught.value.errors]
    assert errors[0] == "row 2, id: there is no task 9999 (deleted?); clear the id to add it as a new task"
    assert errors[1].startswith("row 3, cycle: 2026 Q3 is closed")
    assert errors[2] == f"row 4, id: task {closed.id} is on row 3 already"
    assert errors[3] == "row 5, id: 'x1' is not a task id"
    assert fingerprint() == before
