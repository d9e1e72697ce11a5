"""The demo organisation, export/import and backups."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from datetime import date
from pathlib import Path

import pytest

from okrate_tui import demo
from okrate_tui.core import exchange
from okrate_tui.core.db import close_db, open_db
from okrate_tui.core.errors import PermissionDenied, StorageError, ValidationError
from okrate_tui.core.migrate import copy_sqlite
from okrate_tui.core.models import Change, CheckIn, Cycle, Goal, Person, Review, Task, Team
from okrate_tui.core.queries.details import goal_list
from okrate_tui.core.queries.goals import subtree_ids
from okrate_tui.core.services import tasks
from okrate_tui.core.services.cycles import current_cycle
from tests.conftest import TODAY


def test_demo_organisation_is_realistic(db) -> None:
    summary = demo.generate()
    counts = summary.counts
    assert 3 <= counts["team"] <= 4 and 10 <= counts["person"] <= 14
    assert 70 <= counts["task"] <= 90
    assert {c.state for c in Cycle.select()} == {"closed", "active"}
    managers = Person.select().where(Person.manager.is_null(False)).count()
    assert managers == counts["person"] - 1
    statuses = {t.status for t in Task.select()}
    assert statuses == {"todo", "doing", "blocked", "done"}
    open_tasks = Task.select().where(Task.status != "done")
    assert open_tasks.where(Task.deadline < TODAY).count() >= 3  # overdue
    assert open_tasks.where(Task.owner.is_null()).count() >= 2  # unowned
    assert CheckIn.select().count() > counts["key_result"]  # a history, not one value
    assert Review.select().where(Review.state == "calibrated").count() == 1
    cycle = current_cycle()
    goals = goal_list(cycle.id)
    assert max(g["depth"] for g in goals) == 2  # three levels
    assert {"company", "team", "individual"} == {g["level"] for g in goals}
    assert 0 < goals[0]["progress"] < 1


def test_demo_is_deterministic(tmp_path: Path) -> None:
    titles = []
    for name in ("a.db", "b.db"):
        open_db(str(tmp_path / name), create=True)
        demo.generate()
        titles.append([(t.title, t.status, t.owner_id, t.deadline) for t in Task.select().order_by(Task.id)])
        close_db()
    assert titles[0] == titles[1]


def test_demo_refuses_a_database_with_data(db) -> None:
    demo.generate()
    with pytest.raises(ValidationError, match="already holds data"):
        demo.generate()


def test_scaled_demo(db) -> None:
    summary = demo.generate(3_000)
    assert summary.counts["task"] == 3_000
    assert summary.counts["goal"] == 300
    assert summary.counts["person"] == 12  # at least the hand-written dozen
    assert Team.select().count() >= 4
    for goal in Goal.select().where(Goal.parent.is_null(False)).limit(50):
        assert Goal.get_by_id(goal.parent_id).cycle_id == goal.cycle_id
    task = tasks.create_task(Person.get(Person.handle == "maria"), "After the demo", goal=1)
    assert task.id == 3_001  # id counters continue past the demo's rows


def test_export_import_round_trip(db, tmp_path: Path) -> None:
    demo.generate()
    payload = json.loads(json.dumps(exchange.export_data(None)))
    before = {name: len(rows) for name, rows in payload["tables"].items()}
    tree = goal_list(current_cycle().id)
    close_db()
    open_db(str(tmp_path / "copy.db"), create=True)
    counts = exchange.import_data(payload)
    assert counts == before
    assert goal_list(current_cycle().id) == tree
    assert Person.get(Person.handle == "jonas").manager_id == Person.get(Person.handle == "devon").id
    new = tasks.create_task(Person.get(Person.handle == "maria"), "Next", goal=1)
    assert new.id == before["task"] + 1


def test_import_refuses_bad_files_and_full_databases(db) -> None:
    with pytest.raises(ValidationError, match="not an Okrate JSON export"):
        exchange.import_data({"hello": 1})
    demo.generate()
    with pytest.raises(ValidationError, match="already holds data"):
        exchange.import_data(exchange.export_data(None))


def test_task_csv_export_is_an_admins(org) -> None:
    tasks.create_task(org.admin, "Call Acme", goal=org.child.id, owner="mia")
    text = exchange.tasks_csv(org.admin)
    header = "id,title,status,priority,deadline,owner,goal_id,goal,milestone_id,completed_at,version"
    assert text.splitlines()[0] == header
    assert "Call Acme" in text
    with pytest.raises(PermissionDenied, match="needs an admin"):
        exchange.tasks_csv(org.mia)


def test_backup_copies_a_live_database(sqlite_db, tmp_path: Path) -> None:
    demo.generate()
    admin = Person.get(Person.handle == "maria")
    dest = tmp_path / "backup.db"
    exchange.backup(admin, sqlite_db, dest)
    copy = sqlite3.connect(dest)
    assert copy.execute("SELECT COUNT(*) FROM task").fetchone()[0] == Task.select().count()
    copy.close()
    with pytest.raises(StorageError, match="exists already"):
        exchange.backup(admin, sqlite_db, dest)


def test_backups_and_exports_are_an_admins(db, tmp_path: Path) -> None:
    """On either backend a member gets nothing; an admin's copy is readable by them only."""
    demo.generate()
    admin = Person.get(Person.handle == "maria")
    member = Person.get(Person.handle == "jonas")
    for attempt in (
        lambda: exchange.backup(member, db, tmp_path / "member.db"),
        lambda: exchange.export_data(member),
        lambda: exchange.tasks_csv(member),
    ):
        with pytest.raises(PermissionDenied, match="needs an admin"):
            attempt()
    assert not (tmp_path / "member.db").exists()
    dest = tmp_path / "admin.copy"
    exchange.backup(admin, db, dest)
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600


def test_a_copy_is_never_wider_than_the_database(sqlite_db, tmp_path: Path) -> None:
    """Backups and the copies taken before migrations keep the database's mode or less."""
    path = sqlite_db.sqlite_path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # new databases are private
    os.chmod(path, 0o640)
    old = os.umask(0)
    try:
        copy_sqlite(path, tmp_path / "copy.db")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "copy.db").stat().st_mode) == 0o640


def test_demo_changes_are_logged(db) -> None:
    demo.generate()
    assert Change.select().where(Change.field == "@create", Change.entity == "task").count() == Task.select().count()
    assert len(subtree_ids(1)) > 3
    assert isinstance(Task.select().first().deadline, date | None)


def test_the_tree_agrees_with_the_explained_figures(db) -> None:
    from okrate_tui.core.queries.goals import Scope, figures
    from okrate_tui.core.queries.tree import load_tree

    demo.generate(2_000)
    cycle = current_cycle()
    tree = load_tree(cycle.id, TODAY)
    full = figures(Scope(cycle_id=cycle.id), TODAY)
    for gid in full.nodes:
        assert tree.progress(gid) == pytest.approx(full.rollups[gid].progress)
        assert tree.rollup(gid).progress == pytest.approx(full.rollups[gid].progress)
        assert tree.execution(gid) == full.execution_of(gid)


def test_an_export_keeps_private_things_private(db) -> None:
    from okrate_tui.core.errors import PermissionDenied
    from okrate_tui.core.models import Review, TalkingPoint
    from okrate_tui.core.services import reviews

    demo.generate()
    devon = Person.get(Person.handle == "devon")
    maria = Person.get(Person.handle == "maria")
    private_point = TalkingPoint.get(TalkingPoint.private == True)  # noqa: E712  devon's, in the demo
    draft = Review.get(Review.state == "draft")
    meeting = reviews.start_one_on_one(maria, "devon")
    mine = reviews.add_talking_point(maria, meeting.id, "Maria's own private note", private=True)
    payload = exchange.export_data(maria)
    point_ids = {r["id"] for r in payload["tables"]["talking_point"]}
    assert private_point.id not in point_ids and mine.id in point_ids
    assert draft.id not in {r["id"] for r in payload["tables"]["review"]}
    text = json.dumps(payload)
    assert private_point.text not in text
    with pytest.raises(PermissionDenied, match="needs an admin"):
        exchange.export_data(devon)


def test_an_export_from_before_milestone_order_imports_in_id_order(db, tmp_path: Path) -> None:
    from okrate_tui.core.models import Milestone

    demo.generate()
    payload = json.loads(json.dumps(exchange.export_data(None)))
    payload["schema_version"] = 3
    for row in payload["tables"]["milestone"]:
        del row["position"]
    for row in payload["tables"]["check_in"]:
        for name in ("version", "corrected_by", "corrected_at"):
            del row[name]
    close_db()
    open_db(str(tmp_path / "copy.db"), create=True)
    exchange.import_data(payload)
    by_goal: dict[int, list[float]] = {}
    for stone in Milestone.select().order_by(Milestone.id):
        by_goal.setdefault(stone.goal_id, []).append(stone.position)
    assert any(len(places) > 1 for places in by_goal.values())
    assert all(places == [float(i) for i in range(1, len(places) + 1)] for places in by_goal.values())
    assert {c.version for c in CheckIn.select()} == {1}


def test_the_demo_shows_a_goal_with_a_done_and_a_late_milestone(db) -> None:
    from okrate_tui.core.queries.milestones import milestone_list

    demo.generate()
    by_goal: dict[int, list] = {}
    for stone in milestone_list(cycle_id=current_cycle().id):
        by_goal.setdefault(stone.goal_id, []).append(stone)
    assert any(
        any(m.done for m in stones) and any(m.late for m in stones) and all(m.tasks for m in stones)
        for stones in by_goal.values()
    )


def test_an_export_edited_by_hand_reads_numbers_as_the_app_shows_them(db, tmp_path: Path) -> None:
    """The one number rule: "2.2M" in a hand-edited export is 2,200,000; "1,5" is refused
    with the way to write it, and nothing is imported."""
    from okrate_tui.core.models import KeyResult

    demo.generate()
    payload = json.loads(json.dumps(exchange.export_data(None)))
    payload["tables"]["key_result"][0]["current"] = "2.2M"
    close_db()
    open_db(str(tmp_path / "copy.db"), create=True)
    exchange.import_data(payload)
    assert KeyResult.get_by_id(payload["tables"]["key_result"][0]["id"]).current == 2_200_000.0
    payload["tables"]["key_result"][0]["current"] = "1,5"
    close_db()
    open_db(str(tmp_path / "other.db"), create=True)
    with pytest.raises(ValidationError, match=r"'1,5' has a decimal comma: write 1\.5"):
        exchange.import_data(payload)
    assert KeyResult.select().count() == 0
