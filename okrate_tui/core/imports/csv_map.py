"""Task lists from spreadsheets and trackers (Jira, Trello, GitHub, …) as CSV.

A mapping names the file's column for each task field (``title=Summary,owner=Assignee``);
without one, well-known column names are recognised. Owners are matched by handle, name
or e-mail address; dates in Okrate's grammar or the common forms of
:func:`~okrate_tui.core.imports.values.read_date`; statuses by name
(:func:`~okrate_tui.core.imports.values.read_status`), unknown ones going to To do.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from okrate_tui.core.errors import ValidationError
from okrate_tui.core.imports.plan import Draft, Plan
from okrate_tui.core.imports.reading import csv_header, csv_rows
from okrate_tui.core.imports.values import People, find_goal, read_date, read_priority, read_status, status_key
from okrate_tui.core.inputs import declare
from okrate_tui.core.vocab import TASK_STATUSES

declare("import", "csv", "task.title", "task.objective", "task.context", module=__name__)

SOURCE = "CSV"
FIELDS = ("title", "goal", "owner", "deadline", "priority", "status", "objective", "context")
# Column names other tools write, per field, in order of preference.
KNOWN_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "summary", "card name", "name", "task", "subject"),
    "goal": ("goal", "goal_id", "epic", "epic link"),
    "owner": ("owner", "assignee", "assignees", "members", "assigned to"),
    "deadline": ("deadline", "due date", "due", "due on", "end date"),
    "priority": ("priority",),
    "status": ("status", "list name", "list", "state", "column"),
    "objective": ("objective",),
    "context": ("context", "description", "card description", "body", "notes"),
}

ARCHIVED_COLUMNS = ("archived", "closed")  # Trello's cards put away: skipped


def parse_mapping(specs: list[str]) -> dict[str, str]:
    """``--map`` values (``title=Summary,deadline=Due date``, repeatable) as field → column."""
    out: dict[str, str] = {}
    for spec in specs:
        for part in next(csv.reader([spec], skipinitialspace=True), []):
            if not part.strip():
                continue
            field, sep, column = part.partition("=")
            field = field.strip().lower()
            if not sep or not column.strip():
                raise ValidationError.single("--map", f"'{part}' is not FIELD=COLUMN")
            if field not in FIELDS:
                raise ValidationError.single("--map", f"'{field}' is not a task field: use {', '.join(FIELDS)}")
            out[field] = column.strip()
    return out


def parse_statuses(specs: list[str]) -> dict[str, str]:
    """``--status NAME=STATUS`` values: a tracker's status name to a board status or skip."""
    out: dict[str, str] = {}
    for spec in specs:
        name, sep, status = spec.rpartition("=")
        status = status.strip().lower()
        if not sep or not name.strip() or status not in (*TASK_STATUSES, "skip"):
            raise ValidationError.single(
                "--status", f"'{spec}' is not NAME=STATUS (STATUS: {', '.join(TASK_STATUSES)} or skip)"
            )
        out[status_key(name)] = status
    return out


def columns_for(header: list[str], mapping: Mapping[str, str]) -> dict[str, str]:
    """Field → column: the mapping, checked against the header, completed by known names
    for fields it leaves out."""
    by_lower = {h.strip().lower(): h for h in header}
    out: dict[str, str] = {}
    for field, column in mapping.items():
        found = by_lower.get(column.lower())
        if found is None:
            raise ValidationError.single("--map", f"the file has no column '{column}' (it has: {', '.join(header)})")
        out[field] = found
    taken = set(out.values())
    for field, names in KNOWN_COLUMNS.items():
        if field in out:
            continue
        for name in names:
            if name in by_lower and by_lower[name] not in taken:
                out[field] = by_lower[name]
                taken.add(out[field])
                break
    if "title" not in out:
        raise ValidationError.single("--map", "no column gives the title: add title=COLUMN")
    return out


def read(
    text: str,
    mapping: Mapping[str, str],
    *,
    goal: Any = None,
    statuses: Mapping[str, str] | None = None,
    date_order: str | None = None,
    owner: int | None = None,
) -> Plan:
    """The plan for a CSV file; ``goal`` takes rows whose goal column is empty (or all
    rows, when no column gives a goal); ``owner`` owns rows without one."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h for h in csv_header(reader) if h is not None]
    if not header:
        raise ValidationError.single("file", "is empty: a CSV needs a header line")
    columns = columns_for(header, mapping)
    default_goal = None
    if goal is not None:
        try:
            default_goal = find_goal(goal)
        except ValueError as exc:
            raise ValidationError.single("--goal", str(exc)) from None
    plan = Plan(SOURCE, notes=["columns: " + ", ".join(f"{f} ← {c}" for f, c in columns.items())])
    people = People()
    guessed: list[str] = []  # status names nobody knows, put in To do
    archived = next((h for h in header if h.strip().lower() in ARCHIVED_COLUMNS), None)
    goals: dict[str, int | str] = {}  # a goal column's values, looked up once
    for number, row in enumerate(csv_rows(reader), start=2):
        value = {field: (row.get(column) or "").strip() for field, column in columns.items()}
        draft = Draft(number, value["title"][:60], columns=dict(columns))
        plan.drafts.append(draft)
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            draft.skip = "empty row"
            continue
        if archived and (row.get(archived) or "").strip().lower() in ("true", "yes", "1"):
            draft.skip = "archived"
            continue
        draft.fields["title"] = value["title"]
        status, skip, unknown = read_status(value.get("status"), dict(statuses or {}))
        if unknown and value["status"] not in guessed:
            guessed.append(value["status"])
        if skip:
            draft.skip = skip
            continue
        draft.fields["status"] = status
        for field in ("objective", "context"):
            if field in value:
                draft.fields[field] = row.get(columns[field]) or ""
        _read_goal(plan, draft, value.get("goal", ""), default_goal, goals)
        _read(plan, draft, "owner", lambda v: people.find(v) if v else owner, value.get("owner", ""))
        _read(plan, draft, "deadline", lambda v: read_date(v, date_order), value.get("deadline", ""))
        _read(plan, draft, "priority", read_priority, value.get("priority", ""))
    if guessed:
        names = ", ".join(f"'{g}'" for g in guessed)
        plan.notes.append(f"unknown statuses went to todo: {names} (choose with --status NAME=STATUS)")
    return plan


def _read(plan: Plan, draft: Draft, field: str, reader: Any, text: str) -> None:
    try:
        draft.fields[field] = reader(text)
    except ValueError as exc:
        plan.fail(draft.row, draft.column(field), str(exc))


def _read_goal(plan: Plan, draft: Draft, text: str, default: int | None, seen: dict[str, int | str]) -> None:
    if not text:
        if default is None:
            where = "its goal column is empty" if "goal" in draft.columns else "no column gives a goal"
            plan.fail(draft.row, draft.column("goal"), f"{where}: pass --goal GOAL")
        draft.fields["goal"] = default
        return
    if text not in seen:
        try:
            seen[text] = find_goal(text)
        except ValueError as exc:
            seen[text] = str(exc)
    found = seen[text]
    if isinstance(found, str):
        plan.fail(draft.row, draft.column("goal"), found)
    else:
        draft.fields["goal"] = found
