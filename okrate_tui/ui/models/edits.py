"""A planned change to a card, and what the board shows: plain values, no widgets."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from okrate_tui.ui.store.cards import CardSet


class BoardView(StrEnum):
    """What the board pane shows: status columns, or the ranked Next list."""

    BOARD = "board"
    NEXT = "next"


class Change(StrEnum):
    """The service that saves an :class:`Edit`."""

    MOVE = "move"
    REORDER = "reorder"
    EDIT = "edit"
    DELETE = "delete"


@dataclass(frozen=True)
class Edit:
    """A change to one card, planned by the model and shown before it is saved."""

    task_id: int
    changes: dict[str, Any]
    what: str  # in words, for messages and undo
    service: Change
    args: dict[str, Any] = field(default_factory=dict)
    seen: int | None = None  # the card's version when the person chose (a picker opened on it)


def field_edit(
    cards: CardSet, task_id: int, name: str, value: Any, what: str, arg: Any = None, *, seen: int | None = None
) -> Edit | None:
    """Set one field of a card; ``seen`` is the version the person chose on (a change
    made to the same field since then is refused, never overwritten)."""
    if cards.get(task_id) is None:
        return None
    field_name = {"owner": "owner_id", "goal": "goal_id"}.get(name, name)
    return Edit(task_id, {field_name: value}, what, Change.EDIT, {name: value if arg is None else arg}, seen)


def goal_edit(
    cards: CardSet, task_id: int, goal: int, milestone: int | None, what: str, *, seen: int | None = None
) -> Edit | None:
    """Serve another goal, or a milestone of it (a plain goal leaves any milestone)."""
    if cards.get(task_id) is None:
        return None
    changes = {"goal_id": goal, "milestone_id": milestone}
    return Edit(task_id, changes, what, Change.EDIT, {"goal": goal, "milestone": milestone}, seen)
