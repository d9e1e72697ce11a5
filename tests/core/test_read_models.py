"""The read side returns typed, immutable read models whose ``as_dict()`` is the CLI's
documented ``--json`` shape, key for key and in order."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime

import pytest

from okrate_tui.core.models import Task
from okrate_tui.core.queries.analytics import analytics
from okrate_tui.core.queries.details import goal_detail, task_detail
from okrate_tui.core.services import goals, key_results, tasks
from tests.conftest import TODAY

TASK_KEYS = [
    "id",
    "title",
    "objective",
    "context",
    "status",
    "priority",
    "deadline",
    "owner",
    "goal_id",
    "goal_path",
    "milestone",
    "position",
    "created_by",
    "created_at",
    "updated_at",
    "completed_at",
    "version",
    "health",
]
GOAL_KEYS = [
    "id",
    "title",
    "description",
    "level",
    "parent_id",
    "path",
    "owner",
    "team",
    "cycle",
    "weight",
    "archived",
    "starts",
    "due",
    "progress",
    "measured",
    "basis",
    "expected",
    "behind",
    "late_items",
    "due_items",
    "status",
    "manual_status",
    "status_reason",
    "breakdown",
    "aside",
    "execution",
    "health",
    "key_results",
    "milestones",
    "version",
]
KEY_RESULT_KEYS = [
    "id",
    "title",
    "kind",
    "baseline",
    "target",
    "current",
    "unit",
    "direction",
    "weight",
    "archived",
    "progress",
    "last_check_in",
    "version",
]
EXECUTION_KEYS = ["total", "done", "open", "doing", "blocked", "overdue", "unowned", "no_deadline", "no_priority"]


def test_task_detail_as_dict_is_the_documented_json(org) -> None:
    stone = goals.add_milestone(org.admin, org.child.id, "Beta", "2026-12-10")
    task = tasks.create_task(
        org.mia, "Invite testers", goal=org.child.id, milestone=stone.id, owner="mia", deadline="2026-12-04"
    )
    tasks.complete_task(org.mia, task.id, None)
    detail = task_detail(task.id)
    assert dataclasses.is_dataclass(detail)
    with pytest.raises(dataclasses.FrozenInstanceError):
        detail.title = "changed"  # type: ignore[misc]
    assert detail.deadline == date(2026, 12, 4)
    assert isinstance(detail.created_at, datetime) and isinstance(detail.completed_at, datetime)
    shown = detail.as_dict()
    assert list(shown) == TASK_KEYS  # in this order: the JSON is printed as it is
    assert shown["goal_path"] == [
        {"id": org.top.id, "title": "Grow revenue"},
        {"id": org.child.id, "title": "Win accounts"},
    ]
    assert shown["milestone"] == {"id": stone.id, "title": "Beta"}
    assert shown["deadline"] == "2026-12-04"
    stored = Task.get_by_id(task.id)
    assert (shown["created_at"], shown["completed_at"]) == (
        stored.created_at.isoformat(),
        stored.completed_at.isoformat(),
    )
    assert (shown["owner"], shown["created_by"], shown["status"]) == ("mia", "mia", "done")
    assert isinstance(shown["health"], list)
    assert json.loads(json.dumps(shown)) == shown  # nothing but JSON values


def test_goal_detail_as_dict_is_the_documented_json(org) -> None:
    kr = key_results.add_key_result(org.admin, org.child.id, "Latency", baseline=900, target=300, unit="ms")
    key_results.check_in(org.boss, kr.id, 600, confidence="0.8", note="Cache shipped")
    goals.add_milestone(org.admin, org.child.id, "Pricing approved", "2026-12-01")
    goals.edit_goal(org.admin, org.child.id, None, starts="2026-10-15", due="2026-12-15")
    tasks.create_task(org.mia, "Invite testers", goal=org.child.id)
    detail = goal_detail(org.child.id)
    assert (detail.starts, detail.due) == (date(2026, 10, 15), date(2026, 12, 15))
    assert isinstance(detail.key_results[0].last_check_in.at, datetime)
    shown = detail.as_dict()
    assert list(shown) == GOAL_KEYS
    assert (shown["starts"], shown["due"]) == ("2026-10-15", "2026-12-15")
    assert [step["title"] for step in shown["path"]] == ["Grow revenue", "Win accounts"]
    assert list(shown["execution"]) == EXECUTION_KEYS and shown["execution"]["total"] == 1
    part_keys = ["kind", "id", "title", "weight", "progress", "contribution", "basis"]
    assert [list(part) for part in shown["breakdown"]] == [part_keys]  # the key result: the outcome
    assert [list(part) for part in shown["aside"]] == [part_keys] * 2  # the milestone and the task: execution
    assert list(shown["key_results"][0]) == KEY_RESULT_KEYS
    assert list(shown["key_results"][0]["last_check_in"]) == ["value", "confidence", "note", "by", "at"]
    assert shown["key_results"][0]["last_check_in"]["at"].startswith("2026-11-26T")
    assert shown["milestones"] == [
        {
            "id": detail.milestones[0].id,
            "goal_id": org.child.id,
            "goal": "Win accounts",
            "title": "Pricing approved",
            "due": "2026-12-01",
            "done": False,
            "order": 1,
            "tasks": 0,
            "tasks_done": 0,
            "carried_done": 0,
            "progress": 0.0,
            "late": False,
            "version": 1,
        }
    ]
    assert shown["progress"] == round(shown["progress"], 4) and isinstance(shown["health"], list)
    assert json.loads(json.dumps(shown)) == shown


def test_analytics_as_dict_keeps_its_shape(org) -> None:
    tasks.create_task(org.mia, "Invite testers", goal=org.child.id, owner="mia")
    data = analytics(org.cycle.id, TODAY)
    assert data.weeks[0] == date(2026, 9, 28)  # the Monday of the cycle's first week
    shown = data.as_dict()
    assert list(shown) == [
        "cycle",
        "scope",
        "goals_by_status",
        "goals",
        "tasks",
        "workload",
        "weeks",
        "finished_per_week",
        "kr_progress_per_week",
    ]
    assert shown["cycle"] == {"id": org.cycle.id, "name": "2026 Q4"} and shown["weeks"][0] == "2026-09-28"
    assert shown["workload"] == [{"handle": "mia", "open": 1, "overdue": 0}]
    assert sum(shown["goals_by_status"].values()) == 2
