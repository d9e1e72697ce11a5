"""Taskwarrior's ``task export`` (2.6 and 3.x): a JSON array of task objects.

Projects become goals (mapped by name, by the longest mapped parent project
``Work.Sales`` → ``Work``, or created); H/M/L become high/medium/low; ``due`` becomes
the deadline; pending tasks go to To do (Doing when started, Blocked when they depend on
a pending task), waiting ones to To do, completed ones to Done. Deleted tasks and
recurrence templates are skipped (their instances are tasks of their own). Tags,
annotations and the task's uuid go into the context; a task whose uuid an earlier
import recorded is skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from okrate_tui.core.errors import ValidationError
from okrate_tui.core.imports.plan import Draft, Plan
from okrate_tui.core.imports.reading import json_document
from okrate_tui.core.imports.values import find_goal, read_moment, read_priority, read_stamp
from okrate_tui.core.inputs import declare
from okrate_tui.core.models import Task
from okrate_tui.core.rows import tuples

declare("import", "taskwarrior", "task.title", "task.objective", "task.context", "goal.title", module=__name__)

SOURCE = "Taskwarrior"
MARK = "Taskwarrior uuid"
_SKIPPED = {"deleted": "deleted in Taskwarrior", "recurring": "a recurrence template (its instances are imported)"}


def read(
    text: str,
    *,
    projects: Mapping[str, Any] | None = None,
    goal: Any = None,
    create_goals: bool = False,
    parent: Any = None,
    owner: int | None = None,
) -> Plan:
    """The plan for a ``task export`` file. ``projects`` maps project names to goals (ids
    or titles), ``goal`` takes tasks without a project, ``create_goals`` makes a goal for
    every other project; ``owner`` (a person's id) owns every task."""
    tasks = json_document(text)
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise ValidationError.single("file", "is not a Taskwarrior export (a JSON array of tasks)")
    plan = Plan(SOURCE)
    goals = _goal_ids(plan, projects or {}, goal, parent)
    pending = {t.get("uuid") for t in tasks if t.get("status") in ("pending", "waiting")}
    known = _imported_uuids([str(t.get("uuid") or "") for t in tasks])
    for number, task in enumerate(tasks, start=1):
        draft = Draft(number, str(task.get("description") or "").strip()[:60])
        plan.drafts.append(draft)
        uuid = str(task.get("uuid") or "")
        status = task.get("status")
        if status in _SKIPPED:
            draft.skip = _SKIPPED[status]
            continue
        if uuid and uuid in known:
            draft.skip = f"imported before as task {known[uuid]}"
            continue
        _fill(plan, draft, task, pending)
        project = str(task.get("project") or "").strip()
        found = _goal_for(project, goals)
        if found is not None:
            draft.fields["goal"] = found
        elif project and create_goals:
            draft.project = project
            if project not in plan.new_goals:
                plan.new_goals.append(project)
        elif project:
            hint = f"map it with --project '{project}=GOAL' or pass --create-goals"
            plan.fail(number, "project", f"'{project}' has no goal: {hint}")
        elif "" not in goals:
            plan.fail(number, "project", "the task has no project: pass --goal GOAL for such tasks")
        draft.fields["owner"] = owner
    return plan


def _goal_ids(plan: Plan, projects: Mapping[str, Any], goal: Any, parent: Any) -> dict[str, int | None]:
    """Project names (and "" for no project) to goal ids; unknown goals refuse the file."""
    out: dict[str, int | None] = {}
    errors: dict[str, str] = {}
    for name, value in [*projects.items(), *([("", goal)] if goal is not None else [])]:
        try:
            out[name] = find_goal(value)
        except ValueError as exc:
            errors["--goal" if name == "" else f"--project {name}"] = str(exc)
    if parent is not None:
        try:
            plan.parent = find_goal(parent)
        except ValueError as exc:
            errors["--parent"] = str(exc)
    if errors:
        raise ValidationError(errors)
    return out


def _goal_for(project: str, goals: Mapping[str, int | None]) -> int | None:
    """The goal of a project, or of its nearest mapped parent project."""
    name = project
    while True:
        if name in goals:
            return goals[name]
        if "." not in name:
            return None
        name = name.rsplit(".", 1)[0]


def _imported_uuids(uuids: list[str]) -> dict[str, int]:
    """Which of these uuids an earlier import wrote into a task's context."""
    found: dict[str, int] = {}
    wanted = {u for u in uuids if u}
    if not wanted:
        return found
    for task_id, context in tuples(Task.select(Task.id, Task.context).where(Task.context.contains(MARK))):
        for uuid in wanted:
            if f"{MARK} {uuid}" in context:
                found.setdefault(uuid, task_id)
    return found


def _fill(plan: Plan, draft: Draft, task: dict[str, Any], pending: set[Any]) -> None:
    """The task's fields, with errors recorded against the row."""
    number = draft.row
    draft.fields["title"] = task.get("description") or ""
    draft.columns.update(title="description", deadline="due", status="status")
    status = task.get("status")
    depends = task.get("depends") or []
    if isinstance(depends, str):  # 2.5 and earlier: one comma-separated string
        depends = depends.split(",")
    if status == "completed":
        draft.fields["status"] = "done"
        try:
            draft.finished = read_moment(str(task["end"])).replace(tzinfo=None) if task.get("end") else None
        except ValueError:
            draft.finished = None  # the context keeps what the file said
    elif status in ("pending", "waiting"):
        if any(d in pending for d in depends):
            draft.fields["status"] = "blocked"
        elif task.get("start") and status == "pending":
            draft.fields["status"] = "doing"
        else:
            draft.fields["status"] = "todo"
    else:
        plan.fail(number, "status", f"'{status}' is not a Taskwarrior status")
    if task.get("priority"):
        try:
            draft.fields["priority"] = read_priority(task["priority"])
        except ValueError as exc:
            plan.fail(number, "priority", str(exc))
    if task.get("due"):
        try:
            draft.fields["deadline"] = read_stamp(str(task["due"]))
        except ValueError as exc:
            plan.fail(number, "due", str(exc))
    draft.fields["context"] = _context(task)
    draft.columns["context"] = "annotations"


def _day(stamp: Any) -> str:
    try:
        return read_stamp(str(stamp)).isoformat()
    except ValueError:
        return str(stamp)


def _context(task: dict[str, Any]) -> str:
    """Where the task came from, its tags and dates, then one line per annotation."""
    facts = [f"{MARK} {task.get('uuid')}"] if task.get("uuid") else []
    if task.get("tags"):
        facts.append("tags " + ", ".join(str(t) for t in task["tags"]))
    for key, label in (("entry", "entered"), ("wait", "waiting until"), ("end", "ended")):
        if task.get(key):
            facts.append(f"{label} {_day(task[key])}")
    lines = ["; ".join(facts)] if facts else []
    for note in task.get("annotations") or []:
        if isinstance(note, dict) and note.get("description"):
            lines.append(f"{_day(note.get('entry', ''))} {note['description']}".strip())
    return "\n".join(lines)
