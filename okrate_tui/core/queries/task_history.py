"""A task's history as people read it: one line for each thing someone did.

The change log keeps one row per field (a move writes its status, its place and when it
was finished); a person did one thing, so the rows of one operation make one line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from okrate_tui.core.queries.tasks import history
from okrate_tui.core.vocab import TASK_STATUS_LABELS

# Fields that follow from another change and never make a line of their own.
DERIVED = frozenset({"position", "completed_at", "updated_at"})


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One operation on a task: when, by whom (a handle, or None), and what, in words."""

    at: datetime
    by: str | None
    what: str
    op: str


def history_lines(task_id: int, limit: int = 200) -> list[HistoryLine]:
    """The task's operations, newest first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for entry in history(task_id, limit=limit * 4):
        groups.setdefault(entry["op"], []).append(entry)
    lines = [
        HistoryLine(entries[0]["at"], entries[0].get("handle"), describe_op(entries[::-1]), op)
        for op, entries in groups.items()
    ]
    return lines[:limit]


def describe_op(entries: list[dict[str, Any]]) -> str:
    """What one operation did, in words (``entries`` are its field changes, as written)."""
    by_field = {entry["field"]: entry for entry in entries}
    if "@create" in by_field:
        return "created the task"
    if "@delete" in by_field:
        return "deleted the task"
    if "@restore" in by_field:
        return "brought the task back"
    parts: list[str] = []
    status = by_field.get("status")
    if status is not None:
        parts.append(_status_words(status["old"], status["new"]))
    elif "position" in by_field:
        parts.append("moved it within its column")
    elif "completed_at" in by_field:
        parts.append("marked it done" if by_field["completed_at"]["new"] else "reopened it")
    for field, entry in by_field.items():
        if field == "status" or field in DERIVED:
            continue
        old, new = entry.get("old_label", entry["old"]), entry.get("new_label", entry["new"])
        parts.append(f"{field.replace('_', ' ')}: {old or '—'} → {new or '—'}")
    return "; ".join(parts) or "changed it"


def _status_words(old: str | None, new: str | None) -> str:
    before = TASK_STATUS_LABELS.get(old or "", old or "—")
    after = TASK_STATUS_LABELS.get(new or "", new or "—")
    if new == "done":
        return f"marked it done (from {before})"
    if old == "done":
        return f"reopened it into {after}"
    return f"moved it from {before} to {after}"
