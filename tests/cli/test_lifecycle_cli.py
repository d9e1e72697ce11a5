"""``okrate milestone …`` and ``okrate kr …`` driven as a script would, on the demo."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_cli import demo_db, demo_file, okrate  # noqa: F401  (fixtures)

MILESTONE_KEYS = ["id", "goal_id", "goal", "title", "due", "done", "order", "tasks", "tasks_done"]


def dump(path: Path) -> tuple:
    """Everything these commands could change, summed up."""
    conn = sqlite3.connect(path)
    row = conn.execute(
        "SELECT (SELECT COUNT(*) FROM milestone), (SELECT COALESCE(SUM(version + position), 0) FROM milestone), "
        "(SELECT COUNT(*) FROM check_in), (SELECT COALESCE(SUM(version + value), 0) FROM check_in), "
        "(SELECT COALESCE(SUM(version + current), 0) FROM key_result), "
        "(SELECT COUNT(*) FROM task WHERE milestone_id IS NOT NULL), (SELECT COUNT(*) FROM change)"
    ).fetchone()
    conn.close()
    return row


def as_json(*args: str, db: Path, who: str = "maria") -> object:
    return json.loads(okrate(*args, "--json", db=db, who=who, check=True).stdout)


def test_milestone_round_trip(demo_db: Path) -> None:  # noqa: F811
    added = as_json("milestone", "add", "2", "Contracts signed", "--due", "2026-12-20", db=demo_db)
    assert list(added)[: len(MILESTONE_KEYS)] == MILESTONE_KEYS
    assert (added["goal_id"], added["due"], added["done"], added["late"]) == (2, "2026-12-20", False, False)
    listed = as_json("milestone", "list", "--goal", "2", db=demo_db)
    assert [m["title"] for m in listed][-1] == "Contracts signed" and listed[-1]["order"] == len(listed)
    stone = str(added["id"])
    okrate("milestone", "edit", stone, "--title", "Contracts countersigned", "--due", "", db=demo_db, check=True)
    okrate("milestone", "done", stone, db=demo_db, check=True)
    moved = okrate("milestone", "move", stone, "--up", db=demo_db, check=True).stdout
    assert f"milestone {stone} is number {len(listed) - 1} of {len(listed)} on goal 2" in moved
    okrate("milestone", "move", stone, "--to", "1", db=demo_db, check=True)
    listed = as_json("milestone", "list", "--goal", "2", db=demo_db)
    assert (listed[0]["title"], listed[0]["due"], listed[0]["done"], listed[0]["progress"]) == (
        "Contracts countersigned",
        None,
        True,
        1.0,
    )
    undone = okrate("milestone", "done", stone, "--undo", db=demo_db, check=True).stdout
    assert f"milestone {stone} is not done" in undone
    table = okrate("milestone", "list", db=demo_db, check=True).stdout.splitlines()
    assert table[0].split() == ["ID", "GOAL", "TITLE", "DUE", "DONE", "PROGRESS", "TASKS"]
    assert any("⚑ late" in line for line in table)
    gone = okrate("milestone", "rm", stone, "--yes", db=demo_db, check=True).stdout
    assert gone.startswith(f"deleted milestone {stone}: Contracts countersigned; it has no tasks")
    assert stone not in {str(m["id"]) for m in as_json("milestone", "list", db=demo_db)}


def test_deleting_a_milestone_keeps_its_tasks(demo_db: Path) -> None:  # noqa: F811
    late = next(m for m in as_json("milestone", "list", db=demo_db) if m["late"] and m["tasks"])
    tasks = [t for t in as_json("task", "list", "--goal", str(late["goal_id"]), db=demo_db)]
    under = [t["id"] for t in tasks if t["milestone_id"] == late["id"]]
    out = okrate("milestone", "rm", str(late["id"]), "--yes", db=demo_db, check=True).stdout
    assert "stay" in out and "with the goal" in out
    for task_id in under:
        shown = as_json("task", "show", str(task_id), db=demo_db)
        assert (shown["milestone"], shown["goal_id"]) == (None, late["goal_id"])


def test_rm_without_a_terminal_needs_yes(demo_db: Path) -> None:  # noqa: F811
    before = dump(demo_db)
    result = okrate("milestone", "rm", "1", db=demo_db)
    assert result.returncode == 2 and result.stdout == ""
    assert "there is no terminal to ask on: pass --yes" in result.stderr
    assert dump(demo_db) == before


def test_goal_show_and_list_tell_the_milestones(demo_db: Path) -> None:  # noqa: F811
    text = okrate("goal", "show", "2", db=demo_db, check=True).stdout
    assert "milestone 1: Pipeline review with leadership, due 2026-11-16: done" in text
    assert "milestone 2: Q4 pricing approved, due 2026-11-24: 0% (0/1 tasks), late" in text
    assert "health: late_milestone" in text
    shown = as_json("goal", "show", "2", db=demo_db)
    assert [m["late"] for m in shown["milestones"]] == [False, True]
    listed = {g["id"]: g for g in as_json("goal", "list", db=demo_db)["goals"]}
    assert (listed[2]["late_milestones"], listed[1]["late_milestones"]) == (1, 0)


def test_key_result_life(demo_db: Path) -> None:  # noqa: F811
    shown = as_json("kr", "show", "3", db=demo_db)
    assert (shown["id"], shown["goal_id"], shown["current"], shown["check_ins"]) == (3, 2, 18.0, 3)
    assert shown["goal_path"][-1] == {"id": 2, "title": "Close 40 new mid-market accounts"}
    text = okrate("kr", "show", "3", db=demo_db, check=True).stdout
    assert "count, increase: 0 → 18 → 40 accounts = 45%" in text and "last check-in: 18 by @omar" in text
    out = okrate("kr", "checkin", "3", "60", "--note", "typo", db=demo_db, check=True).stdout
    check_in = out.split("(check-in ")[1].rstrip(")\n")
    fixed = as_json("kr", "correct", check_in, "--value", "20", "--note", "twenty", "--if-version", "1", db=demo_db)
    assert (fixed["value"], fixed["original_value"], fixed["corrected_by"], fixed["latest"]) == (
        20.0,
        60.0,
        "maria",
        True,
    )
    history = as_json("kr", "history", "3", db=demo_db)
    assert [h["value"] for h in history][:2] == [20.0, 18.0] and len(history) == 4
    assert as_json("kr", "show", "3", db=demo_db)["current"] == 20.0
    table = okrate("kr", "history", "3", db=demo_db, check=True).stdout.splitlines()
    assert table[0].split() == ["ID", "WHEN", "BY", "VALUE", "CONFIDENCE", "NOTE", "CORRECTED"]
    assert "yes by @maria 2026-11-26, was 60" in table[1]
    edited = as_json("kr", "edit", "3", "--target", "45", "--unit", "deals", "--weight", "2", db=demo_db)
    assert (edited["target"], edited["unit"], edited["weight"]) == (45.0, "deals", 2.0)
    assert "is archived" in okrate("kr", "archive", "3", db=demo_db, check=True).stdout
    refused = okrate("kr", "checkin", "3", "21", db=demo_db)
    assert refused.returncode == 2 and "is archived" in refused.stderr
    breakdown = as_json("goal", "show", "2", db=demo_db)["breakdown"]
    assert 3 not in {p["id"] for p in breakdown if p["kind"] == "key_result"}
    assert "is restored" in okrate("kr", "restore", "3", db=demo_db, check=True).stdout
    assert as_json("kr", "show", "3", db=demo_db)["archived"] is False


LONG = "x" * 300


@pytest.mark.parametrize(
    ("args", "who", "message"),
    [
        (("milestone", "add", "2", "Launch", "--due", "2026-02-30"), "maria", "due: 2026-02-30 is not a real date"),
        (("milestone", "add", "2", "Launch", "--due", "2062-12-01"), "maria", "check the year"),
        (("milestone", "add", "2", LONG), "maria", "title: is too long"),
        (("milestone", "add", "999", "Launch"), "maria", "goal: no goal 999"),
        (("milestone", "add", "2", "Launch"), "li", "@li may not add milestones to"),
        (("milestone", "done", "1"), "li", "@li may not change milestones of"),
        (("milestone", "edit", "1"), "maria", "nothing to change"),
        (("milestone", "move", "1"), "maria", "one of the arguments --up --down --to is required"),
        (("milestone", "move", "1", "--up", "--down"), "maria", "not allowed with argument"),
        (("milestone", "move", "1", "--to", "0"), "maria", "--to counts from 1"),
        (("milestone", "rm", "999", "--yes"), "maria", "no milestone 999"),
        (("milestone", "list", "--goal", "999"), "maria", "goal: no goal 999"),
        (("milestone", "list", "--cycle", "2031 Q1"), "maria", "no cycle '2031 Q1'"),
        (("kr", "edit", "3", "--target", "-4"), "maria", "an increase needs a target above the baseline 0"),
        (("kr", "edit", "3", "--kind", "binary"), "maria", "binary needs the current value to be 0 or 1"),
        (("kr", "edit", "3", "--weight", "0"), "maria", "weight: must be greater than 0"),
        (("kr", "edit", "3"), "maria", "nothing to change"),
        (("kr", "edit", "3", "--title", "Mine"), "li", "@li may not change key results of"),
        (("kr", "archive", "999"), "maria", "no key result 999"),
        (("kr", "show", "999"), "maria", "no key result 999"),
        (("kr", "history", "999"), "maria", "no key result 999"),
        (("kr", "correct", "9", "--value", "lots"), "maria", "value: 'lots' is not a number"),
        (("kr", "correct", "9", "--confidence", "150"), "maria", "confidence: must be between 0 and 1"),
        (("kr", "correct", "9"), "maria", "nothing to correct"),
        (("kr", "correct", "999", "--value", "1"), "maria", "no check-in 999"),
        (("kr", "correct", "9", "--value", "1"), "li", "@li may not correct check-ins on"),
    ],
)
def test_bad_input_exits_2_and_changes_nothing(demo_db: Path, args, who, message) -> None:  # noqa: F811
    before = dump(demo_db)
    result = okrate(*args, db=demo_db, who=who)
    assert result.returncode == 2, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr[:500]
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert dump(demo_db) == before


def test_a_stale_version_is_a_conflict(demo_db: Path) -> None:  # noqa: F811
    okrate("milestone", "edit", "1", "--title", "Pipeline review", "--if-version", "1", db=demo_db, check=True)
    okrate("kr", "correct", "9", "--note", "Checked", "--if-version", "1", db=demo_db, check=True)
    before = dump(demo_db)
    for args in (
        ("milestone", "edit", "1", "--title", "Pipeline review with the board", "--if-version", "1"),
        ("kr", "correct", "9", "--note", "Checked twice", "--if-version", "1"),
    ):
        result = okrate(*args, db=demo_db)
        assert result.returncode == 2 and "was changed by someone else meanwhile" in result.stderr
    assert dump(demo_db) == before


def test_the_question_before_deleting(monkeypatch: pytest.MonkeyPatch) -> None:
    from okrate_tui.cli import confirm as module
    from okrate_tui.cli.context import UsageError

    monkeypatch.setattr(module, "interactive", lambda: True)
    answers = iter(["y", "", "no"])
    asked: list[str] = []

    def reply(question: str) -> str:
        asked.append(question)
        return next(answers)

    monkeypatch.setattr("builtins.input", reply)
    assert module.confirm("Delete milestone 3?", yes=False, command="milestone rm")
    assert not module.confirm("Delete milestone 3?", yes=False, command="milestone rm")  # Enter means no
    assert not module.confirm("Delete milestone 3?", yes=False, command="milestone rm")
    assert asked == ["Delete milestone 3? [y/N] "] * 3
    assert module.confirm("never asked", yes=True, command="milestone rm") and len(asked) == 3
    monkeypatch.setattr(module, "interactive", lambda: False)
    with pytest.raises(UsageError, match="pass --yes"):
        module.confirm("Delete?", yes=False, command="milestone rm")
