"""What to do next: open tasks ranked overdue first, then by priority, then deadline."""

from __future__ import annotations

from datetime import date

from okrate_tui.core.vocab import PRIORITY_RANK


def next_rank(deadline: date | None, priority: str | None, today: date, task_id: int = 0) -> tuple:
    """Sort key: overdue tasks first, then by priority, then by deadline (none last)."""
    overdue = deadline is not None and deadline < today
    return (0 if overdue else 1, PRIORITY_RANK.get(priority, 4), deadline or date.max, task_id)
