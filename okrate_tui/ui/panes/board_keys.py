"""The board pane's keys (each with an id, so it can be remapped) and its filter presets."""

from __future__ import annotations

from textual.binding import BindingType

from okrate_tui.ui.default_keys import default_keys

FILTER_PRESETS = (
    ("^overdue", "Overdue"),
    ("^week", "Due this week"),
    ("^none", "Without a deadline"),
    ("?owner", "Without an owner"),
    ("?priority", "Without a priority"),
    ("?any", "Any health problem"),
    ("!critical", "Priority: critical"),
    ("!high", "Priority: high"),
    ("!medium", "Priority: medium"),
    ("!low", "Priority: low"),
)

WRITE_ACTIONS = frozenset(
    {"left", "right", "up", "down", "done", "priority", "owner", "deadline", "goal", "delete", "new", "edit", "undo"}
)

BOARD_BINDINGS: list[BindingType] = default_keys("board")
