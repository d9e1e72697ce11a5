"""The workload strip's counts: open and overdue cards per owner in the board's scope,
kept true card by card as changes arrive (a whole recount only on a fresh read)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from okrate_tui.core.rules.health import is_overdue
from okrate_tui.ui.store.cards import CardSet


class Workload:
    """Open and overdue cards per owner (None: nobody)."""

    def __init__(self) -> None:
        self._open: Counter[int | None] = Counter()
        self._late: Counter[int | None] = Counter()
        self._counted: dict[int, int | None] = {}  # open cards counted: id -> owner
        self._counted_late: set[int] = set()

    def rows(self) -> list[tuple[int | None, int, int]]:
        """(owner id, open, overdue) per person in the scope, busiest first."""
        rows = ((owner, count, self._late[owner]) for owner, count in self._open.items() if count > 0)
        return sorted(rows, key=lambda r: (-r[1], -r[2], r[0] is None, r[0] or 0))

    def recount(self, cards: CardSet, today: date) -> None:
        """Count every card in the scope afresh."""
        self._open.clear()
        self._late.clear()
        self._counted.clear()
        self._counted_late.clear()
        for task_id in cards.in_scope:
            self.count(cards, task_id, today)

    def count(self, cards: CardSet, task_id: int, today: date) -> None:
        """Keep the counts true for one card (a change, a removal)."""
        if task_id in self._counted:
            owner = self._counted.pop(task_id)
            self._open[owner] -= 1
            if task_id in self._counted_late:
                self._counted_late.discard(task_id)
                self._late[owner] -= 1
        card = cards.get(task_id)
        if card is None or task_id not in cards.in_scope or card.status == "done":
            return
        self._counted[task_id] = card.owner_id
        self._open[card.owner_id] += 1
        if is_overdue(card.deadline, card.status, today):
            self._counted_late.add(task_id)
            self._late[card.owner_id] += 1
