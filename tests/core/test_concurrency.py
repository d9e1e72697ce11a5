"""Several processes editing the same tasks at once: no lock error, no lost edit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from okrate_tui.core.db import close_db, open_db
from okrate_tui.core.models import Change, CheckIn, KeyResult, Person, Task
from okrate_tui.core.services import cycles, goals, key_results, people, tasks

ROOT = Path(__file__).resolve().parents[2]
EDITS = 250


def _seed(url: str, count: int = 12) -> None:
    open_db(url, create=True)
    admin = people.create_person(None, "ada", "Ada")
    for handle in ("w1", "w2", "w3", "w4"):
        people.create_person(admin, handle, f"Worker {handle}")
    cycles.create_cycle(admin, "Q4", "2026-10-01", "2026-12-31", state="active")
    goal = goals.create_goal(admin, "Goal")
    for index in range(count):
        tasks.create_task(admin, f"Task {index}", goal=goal.id)
    close_db()


def _run(url: str, jobs: list[tuple[str, str]]) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.core.edit_worker",
                url,
                handle,
                field,
                str(EDITS),
                str(n),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, (handle, field) in enumerate(jobs)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err[-2000:]
    return [json.loads(out) for out, _ in outputs]


@pytest.mark.slow
def test_four_sessions_editing_different_fields_lose_nothing(db_url: str) -> None:
    _seed(db_url)
    jobs = [("w1", "title"), ("w2", "priority"), ("w3", "deadline"), ("w4", "objective")]
    results = _run(db_url, jobs)
    database = open_db(db_url, create=True)
    for (handle, field), result in zip(jobs, results, strict=True):
        assert result["conflicts"] == 0  # different fields never clash
        for task_id, wanted in result["last"].items():
            stored = getattr(Task.get_by_id(int(task_id)), field)
            assert str(stored) == str(wanted), (handle, field, task_id)
        writes = (
            Change.select().join(Person, on=Change.actor).where((Change.field == field) & (Person.handle == handle))
        )
        assert writes.count() <= EDITS  # an edit to the value a task already has is no change
    if getattr(database, "sqlite_path", None) is not None:
        assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.slow
def test_read_modify_write_on_one_field_never_loses_an_update(db_url: str) -> None:
    _seed(db_url, count=3)
    jobs = [("w1", "append"), ("w2", "append")]
    results = _run(db_url, jobs)
    open_db(db_url, create=True)
    tokens = " ".join(t.context for t in Task.select()).split()
    assert len(tokens) == 2 * EDITS  # every append survived
    assert sum(r["conflicts"] for r in results) > 0  # and the races were caught, not ignored


CHECK_INS = 60


@pytest.mark.slow
def test_check_ins_under_contention_are_never_refused_and_real_conflicts_still_are(db_url: str) -> None:
    """Eight writers on four key results: six check in (each one moves a key result's
    version), two edit the titles of two of them with the version they read. No check-in
    and no title edit is refused (a version moved by another field is no conflict, and a
    race with another writer is tried again by itself); an edit that is stale on its own
    field is refused every time."""
    open_db(db_url, create=True)
    admin = people.create_person(None, "ada", "Ada")
    cycles.create_cycle(admin, "Q4", "2026-10-01", "2026-12-31", state="active")
    goal = goals.create_goal(admin, "Goal")
    for index in range(4):
        key_results.add_key_result(admin, goal.id, f"Result {index}", target=100)
    close_db()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    jobs = [("checkin", n) for n in range(6)] + [("title", 0), ("title", 1)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.core.checkin_worker", db_url, "ada", mode, str(CHECK_INS), str(seed)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for mode, seed in jobs
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err[-2000:]
    results = [json.loads(out) for out, _ in outputs]
    assert [r["refused"] for r in results] == [[]] * len(jobs)
    assert sum(r["done"] for r in results[:6]) == 6 * CHECK_INS
    assert [(r["detected"], r["missed"]) for r in results[6:]] == [(CHECK_INS, 0)] * 2
    open_db(db_url, create=True)
    assert CheckIn.select().count() == 6 * CHECK_INS
    for kr in KeyResult.select():  # each shows a value one of its check-ins set
        assert kr.current in {c.value for c in CheckIn.select().where(CheckIn.key_result == kr.id)}
