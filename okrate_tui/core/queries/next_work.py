"""A person's Next: their open tasks ranked by what they move, each with why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from okrate_tui.core.queries.board import Card, next_cards
from okrate_tui.core.queries.tree import load_tree
from okrate_tui.core.rules.ranking import next_reason


@dataclass(frozen=True, slots=True)
class NextItem:
    """One task of a person's Next, where it stands and why."""

    rank: int
    card: Card
    goal: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        card = self.card
        return {
            "rank": self.rank,
            "id": card.id,
            "title": card.title,
            "status": card.status,
            "priority": card.priority,
            "deadline": card.deadline.isoformat() if card.deadline else None,
            "goal_id": card.goal_id,
            "goal": self.goal,
            "why": self.reason,
        }


def next_work(person_id: int, cycle_id: int, today: date, limit: int = 200) -> list[NextItem]:
    """The person's open tasks of the cycle, ranked (see :mod:`..rules.ranking`)."""
    tree = load_tree(cycle_id, today)
    ranked = next_cards(person_id, cycle_id, today, limit, tree.standing)
    return [
        NextItem(
            place,
            card,
            tree.nodes[card.goal_id].title if card.goal_id in tree else "",
            next_reason(card.deadline, card.priority, today, tree.standing(card.goal_id)),
        )
        for place, card in enumerate(ranked, start=1)
    ]
