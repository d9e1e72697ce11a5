"""Okrate's own task CSV (``okrate export --format csv``), edited and read back.

A row whose ``id`` names a task updates it (only the columns the file has, checked
against its ``version`` when the file has one); a row without an id adds a task. An id
that names no task is refused: the task may have been deleted since.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from okrate_tui.core.errors import ValidationError
from okrate_tui.core.imports.plan import Draft, Plan
from okrate_tui.core.imports.reading import csv_header, csv_rows
from okrate_tui.core.imports.values import find_goal
from okrate_tui.core.inputs import declare
from okrate_tui.core.models import Task
from okrate_tui.core.validation import parse_id

declare("import", "okrate-csv", "task.title", "task.objective", "task.context", module=__name__)

SOURCE = "Okrate CSV"
# CSV column → task field; "goal" (the goal's title) and "completed_at" are read-only.
COLUMNS = {
    "title": "title",
    "status": "status",
    "priority": "priority",
    "deadline": "deadline",
    "owner": "owner",
    "goal_id": "goal",
    "milestone_id": "milestone",
    "objective": "objective",
    "context": "context",
}


def is_okrate_csv(text: str) -> bool:
    """Does the header look like Okrate's task CSV (title and goal_id columns)?"""
    header = next(csv_rows(csv.reader(io.StringIO(text.lstrip("\ufeff")))), [])
    names = {h.strip().lower() for h in header}
    return {"title", "goal_id"} <= names


def read(text: str, *, goal: Any = None) -> Plan:
    """The plan for an Okrate task CSV; ``goal`` takes new rows with an empty goal_id."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in csv_header(reader)]
    reader.fieldnames = header
    if "title" not in header:
        raise ValidationError.single("file", "a task CSV needs at least a 'title' column")
    default_goal = None
    if goal is not None:
        try:
            default_goal = find_goal(goal)
        except ValueError as exc:
            raise ValidationError.single("--goal", str(exc)) from None
    plan = Plan(SOURCE)
    seen: dict[int, int] = {}
    for number, row in enumerate(csv_rows(reader), start=2):
        draft = Draft(number, (row.get("title") or "").strip()[:60])
        plan.drafts.append(draft)
        draft.columns = {field: column for column, field in COLUMNS.items()}
        for column, field in COLUMNS.items():
            if column in header:  # an empty cell clears the field (text fields become "")
                text_field = field in ("title", "objective", "context")
                draft.fields[field] = row.get(column) or ("" if text_field else None)
        ident = (row.get("id") or "").strip()
        if ident:
            _existing(plan, draft, ident, row, seen)
        elif not draft.fields.get("goal"):
            if default_goal is None:
                plan.fail(number, "goal_id", "a new task needs a goal: fill goal_id or pass --goal GOAL")
            draft.fields["goal"] = default_goal
    return plan


def _existing(plan: Plan, draft: Draft, ident: str, row: dict[str, Any], seen: dict[int, int]) -> None:
    number = draft.row
    try:
        task_id = parse_id(ident, "a task id")
    except ValueError as exc:
        plan.fail(number, "id", str(exc))
        return
    if task_id in seen:
        plan.fail(number, "id", f"task {task_id} is on row {seen[task_id]} already")
        return
    seen[task_id] = number
    if Task.get_or_none(Task.id == task_id) is None:
        plan.fail(number, "id", f"there is no task {task_id} (deleted?); clear the id to add it as a new task")
        return
    draft.task_id = task_id
    version = (row.get("version") or "").strip()
    if version:
        try:
            draft.version = parse_id(version, "a version")
        except ValueError as exc:
            plan.fail(number, "version", str(exc))
    if "goal" in draft.fields and not draft.fields["goal"]:
        plan.fail(number, "goal_id", "a task needs a goal")
    if "status" in draft.fields and not draft.fields["status"]:
        draft.fields.pop("status")
