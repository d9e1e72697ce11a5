"""Execution health: the classic mistakes worth flagging on tasks and goals."""

from __future__ import annotations

from datetime import date, datetime, timedelta

STALE_AFTER = timedelta(days=30)
DUE_SOON_DAYS = 3

TASK_FLAG_LABELS = {
    "no_owner": "no owner",
    "no_deadline": "no deadline",
    "no_priority": "no priority",
    "overdue": "overdue",
    "stale": "untouched for 30 days",
}
GOAL_FLAG_LABELS = {
    "no_tasks": "no tasks",
    "no_key_results": "no key results",
    "no_owner": "no owner",
    "late_milestone": "late milestone",
}


def is_overdue(deadline: date | None, status: str, today: date) -> bool:
    return deadline is not None and status != "done" and deadline < today


def is_due_soon(deadline: date | None, status: str, today: date) -> bool:
    return deadline is not None and status != "done" and today <= deadline <= today + timedelta(days=DUE_SOON_DAYS)


def is_late(due: date | None, progress: float, today: date) -> bool:
    """A milestone is late when its due date has passed before it was reached: not
    marked done and not all of its tasks done (``progress`` below 1)."""
    return due is not None and progress < 1.0 and due < today


def task_flags(
    *,
    owner_id: int | None,
    deadline: date | None,
    priority: str | None,
    status: str,
    today: date,
    updated_at: datetime | None = None,
    now: datetime | None = None,
) -> frozenset[str]:
    """Health flags of one task; done tasks raise none."""
    if status == "done":
        return frozenset()
    flags = set()
    if owner_id is None:
        flags.add("no_owner")
    if deadline is None:
        flags.add("no_deadline")
    if priority is None:
        flags.add("no_priority")
    if is_overdue(deadline, status, today):
        flags.add("overdue")
    if updated_at is not None and now is not None and now - updated_at > STALE_AFTER:
        flags.add("stale")
    return frozenset(flags)


def goal_flags(
    *, task_count: int, key_result_count: int, owner_id: int | None, late_milestones: int = 0
) -> frozenset[str]:
    """Health flags of one goal, from counts over its own subtree (tasks) and its own
    key results and milestones."""
    flags = set()
    if late_milestones:
        flags.add("late_milestone")
    if task_count == 0:
        flags.add("no_tasks")
    if key_result_count == 0:
        flags.add("no_key_results")
    if owner_id is None:
        flags.add("no_owner")
    return frozenset(flags)
