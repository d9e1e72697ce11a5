"""What to do next: a person's open tasks ranked by what they move.

Overdue work comes first; then work for goals that are off track or at risk; then the
task's priority, its deadline (none last) and how much its goal carries of its top goal
(its weight's share at each level of the tree, multiplied down the chain). Every card can
say why it stands where it does (:func:`next_reason`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from okrate_tui.core.vocab import GOAL_STATUS_LABELS, PRIORITY_RANK
from okrate_tui.core.wording import due_phrase

HEALTH_TIER = {"off_track": 0, "missed": 0, "at_risk": 1}  # the rest: 2
ORDER = "overdue first, then goals off track or at risk, priority, deadline, and the goal's weight"


@dataclass(frozen=True, slots=True)
class Standing:
    """What a task's goal stands for: its status, and its share of its top goal (``reach``)."""

    goal: str
    status: str
    reach: float  # 0 to 1
    top: str


def next_rank(
    deadline: date | None, priority: str | None, today: date, task_id: int = 0, standing: Standing | None = None
) -> tuple:
    """Sort key of a task in Next (see the module's docstring)."""
    overdue = deadline is not None and deadline < today
    tier = HEALTH_TIER.get(standing.status, 2) if standing is not None else 2
    reach = standing.reach if standing is not None else 0.0
    return (0 if overdue else 1, tier, PRIORITY_RANK.get(priority, 4), deadline or date.max, -reach, task_id)


def next_reason(deadline: date | None, priority: str | None, today: date, standing: Standing | None) -> str:
    """Why a task stands where it does in Next, in one sentence."""
    why: list[str] = []
    if deadline is not None and deadline < today:
        why.append(due_phrase(deadline, today))
    if standing is not None and standing.status in HEALTH_TIER:
        why.append(f"its goal is {GOAL_STATUS_LABELS.get(standing.status, standing.status)}")
    why.append(f"{priority} priority" if priority else "no priority")
    if deadline is not None and deadline >= today:
        why.append(due_phrase(deadline, today))
    if standing is not None:
        if standing.goal == standing.top:
            why.append("its goal is a top goal")
        elif standing.reach > 0:
            why.append(f"its goal carries {max(round(standing.reach * 100), 1)}% of “{standing.top}”")
        else:
            why.append(f"its goal is not part of “{standing.top}”'s progress")
    return "; ".join(why)
