"""The cards a session holds: every task of the board's scope and of the person's Next
list, keyed by id, with the changes shown before they are saved laid over them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from okrate_tui.core.queries.board import BoardScope, Card, Labels
from okrate_tui.core.rules.ranking import Standing, next_rank
from okrate_tui.core.vocab import OPEN_STATUSES

CARD_FIELDS = (
    "title",
    "status",
    "priority",
    "deadline",
    "owner_id",
    "goal_id",
    "position",
    "completed_at",
    "version",
    "milestone_id",
)


def card_values(card: Any) -> dict[str, Any]:
    """The card fields of a card or a saved task record."""
    return {name: getattr(card, name if hasattr(card, name) else name.removesuffix("_id")) for name in CARD_FIELDS}


@dataclass
class Pending:
    """A change shown on a card before the database has it: laid over fresh reads of
    the card until it is saved or taken back."""

    changes: dict[str, Any]
    before: dict[str, Any]


@dataclass
class CardSet:
    """Cards by id, which of them the scope holds, and the ranked Next list.

    ``member`` says whether a card belongs to the scope (it needs the people and goals
    the session knows, so the session gives it)."""

    scope: BoardScope = field(default_factory=BoardScope)
    by_id: dict[int, Card] = field(default_factory=dict)
    in_scope: set[int] = field(default_factory=set)
    next_ids: list[int] = field(default_factory=list)
    standing: Callable[[int], Standing | None] = field(default=lambda goal_id: None)  # each goal's, for Next
    pending: dict[int, list[Pending]] = field(default_factory=dict)
    loaded: bool = False
    as_of: int = 0  # the cards show every change up to this change id

    def fill(self, scope: BoardScope, cards: Iterable[Card], ranked: Iterable[Card], as_of: int = 0) -> None:
        """Take a whole fresh read of the scope and the Next list."""
        self.scope = scope
        self.as_of = as_of
        self.by_id = {}
        self.in_scope = set()
        for card in cards:
            self.by_id[card.id] = card
            self.in_scope.add(card.id)
        self.next_ids = []
        for card in ranked:
            self.by_id.setdefault(card.id, card)
            self.next_ids.append(card.id)
        for task_id, layers in self.pending.items():
            held = self.by_id.get(task_id)
            if held is not None:
                for layer in layers:
                    _set(held, layer.changes)
        self.loaded = True

    def reset(self, scope: BoardScope) -> None:
        """Hold nothing (another cycle, another person): the views keep this same object."""
        self.scope = scope
        self.by_id = {}
        self.in_scope = set()
        self.next_ids = []
        self.pending = {}
        self.loaded = False
        self.as_of = 0

    def get(self, task_id: int | None) -> Card | None:
        return self.by_id.get(task_id) if task_id is not None else None

    def scoped(self) -> list[Card]:
        return [self.by_id[i] for i in self.in_scope]

    # --- changes shown before they are saved ---------------------------------------------

    def begin(self, task_id: int, changes: Mapping[str, Any]) -> Pending | None:
        card = self.by_id.get(task_id)
        if card is None:
            return None
        layer = Pending(dict(changes), {name: getattr(card, name) for name in changes})
        self.pending.setdefault(task_id, []).append(layer)
        _set(card, layer.changes)
        return layer

    def settle(self, task_id: int, layer: Pending | None, saved: Mapping[str, Any] | None) -> None:
        """The save landed: the card takes the stored values (``saved``), the layer goes."""
        self._drop(task_id, layer)
        card = self.by_id.get(task_id)
        if card is not None and saved is not None:
            _set(card, saved)
            for other in self.pending.get(task_id, []):
                _set(card, other.changes)

    def revert(self, task_id: int, layer: Pending | None, stored: Card | None) -> None:
        """The save was refused: show the card as it is stored (or drop it when gone)."""
        self._drop(task_id, layer)
        if stored is None:
            self.forget(task_id)
            return
        card = self.by_id.get(task_id)
        if card is None:
            return
        _set(card, card_values(stored))
        for other in self.pending.get(task_id, []):
            _set(card, other.changes)

    def _drop(self, task_id: int, layer: Pending | None) -> None:
        layers = self.pending.get(task_id, [])
        if layer in layers:
            layers.remove(layer)
        if not layers:
            self.pending.pop(task_id, None)

    # --- what other sessions changed ------------------------------------------------------

    def take(
        self,
        fresh: Mapping[int, Card | None],
        member: Callable[[Card], bool],
        actor_id: int | None,
        today: date,
    ) -> tuple[set[int], set[int]]:
        """Fresh reads of changed tasks (None: deleted, or left the cycle). Returns the ids
        that changed on the board and those that left it."""
        changed: set[int] = set()
        removed: set[int] = set()
        ranked = False
        for task_id, card in fresh.items():
            if card is None:
                if task_id in self.by_id:
                    removed.add(task_id)
                    ranked |= task_id in self.next_ids
                    self.forget(task_id)
                continue
            for layer in self.pending.get(task_id, []):
                _set(card, layer.changes)
            known = task_id in self.by_id
            scoped = member(card)
            mine = actor_id is not None and card.owner_id == actor_id and card.status in OPEN_STATUSES
            listed = task_id in self.next_ids
            if scoped:
                self.in_scope.add(task_id)
            elif task_id in self.in_scope:
                self.in_scope.discard(task_id)
                removed.add(task_id)
            if mine != listed or mine:
                ranked = True
                if not mine and listed:
                    self.next_ids.remove(task_id)
                elif mine and not listed:
                    self.next_ids.append(task_id)
            if scoped or mine:
                self.by_id[task_id] = card
                changed.add(task_id)
            elif known:
                self.by_id.pop(task_id, None)
        if ranked:
            self.rank(today)
        return changed, removed

    def forget(self, task_id: int) -> None:
        self.by_id.pop(task_id, None)
        self.in_scope.discard(task_id)
        if task_id in self.next_ids:
            self.next_ids.remove(task_id)

    def rank(self, today: date) -> bool:
        """Order Next by what each task moves (see :mod:`okrate_tui.core.rules.ranking`);
        True when the order changed."""
        cards = [self.by_id[i] for i in self.next_ids if i in self.by_id]
        stand = self.standing
        cards.sort(key=lambda c: next_rank(c.deadline, c.priority, today, c.id, stand(c.goal_id)))
        before, self.next_ids = self.next_ids, [c.id for c in cards]
        return before != self.next_ids


def scope_member(scope: BoardScope, labels: Labels, team_of: Mapping[int, int | None]) -> Callable[[Card], bool]:
    """Whether a card belongs to ``scope``, from what the session already knows."""
    if scope.kind in ("mine", "person"):
        return lambda card: card.owner_id == scope.person_id
    if scope.kind == "team":
        return lambda card: card.owner_id is not None and team_of.get(card.owner_id) == scope.team_id
    if scope.kind == "goal":
        wanted = subtree(scope.goal_id, labels.goal_parents)
        return lambda card: card.goal_id in wanted
    return lambda card: True


def subtree(goal_id: int | None, parents: Mapping[int, int | None]) -> set[int]:
    """A goal and every goal below it, from a child → parent map."""
    if goal_id is None:
        return set()
    children: dict[int | None, list[int]] = {}
    for gid, parent in parents.items():
        children.setdefault(parent, []).append(gid)
    found = {goal_id}
    stack = [goal_id]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def _set(card: Card, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        setattr(card, name, value)
    if "title" in values:
        card.search = None
