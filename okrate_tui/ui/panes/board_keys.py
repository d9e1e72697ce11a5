"""The board pane's keys (each with an id, so it can be remapped) and its filter presets."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from okrate_tui.ui.guard import guarded

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

BOARD_BINDINGS: list[BindingType] = [
    Binding("left,h", "column(-1)", "Left", show=False, id="board.left"),
    Binding("right,l", "column(1)", "Right", show=False, id="board.right"),
    Binding("up,k", "row(-1)", "Up", show=False, id="board.up"),
    Binding("down,j", "row(1)", "Down", show=False, id="board.down"),
    Binding("pageup", "row(-8)", "Page up", show=False, id="board.page_up"),
    Binding("pagedown", "row(8)", "Page down", show=False, id="board.page_down"),
    Binding("home", "row(-1000000)", "First card", show=False, id="board.first"),
    Binding("end", "row(1000000)", "Last card", show=False, id="board.last"),
    *guarded(
        Binding(
            "H,shift+left",
            'act("left")',
            "Move ←",
            tooltip="Move the card to the previous column",
            id="board.move_left",
        )
    ),
    *guarded(
        Binding(
            "L,shift+right", 'act("right")', "Move →", tooltip="Move the card to the next column", id="board.move_right"
        )
    ),
    *guarded(
        Binding(
            "K,shift+up",
            'act("up")',
            "Up in column",
            tooltip="Move the card up in its column",
            show=False,
            id="board.move_up",
        )
    ),
    *guarded(
        Binding(
            "J,shift+down",
            'act("down")',
            "Down in column",
            tooltip="Move the card down in its column",
            show=False,
            id="board.move_down",
        )
    ),
    *guarded(
        Binding("n", "new", "New", tooltip="Quick-add a task: title @owner !priority ^deadline #goal", id="board.new")
    ),
    *guarded(Binding("e", "edit", "Edit", tooltip="Edit the task", show=False, id="board.edit")),
    *guarded(Binding("x", 'act("done")', "Done", tooltip="Mark done, or reopen", id="board.done")),
    *guarded(
        Binding("p", 'act("priority")', "Priority", tooltip="Cycle the priority", show=False, id="board.priority")
    ),
    *guarded(Binding("o", 'ask("owner")', "Owner", tooltip="Set the owner", show=False, id="board.owner")),
    *guarded(
        Binding(
            "D",
            'ask("deadline")',
            "Deadline",
            tooltip="Set the deadline (fri, +3d, 2026-12-01 …)",
            show=False,
            id="board.deadline",
        )
    ),
    *guarded(
        Binding("g", 'ask("goal")', "Goal", tooltip="Change the goal the task serves", show=False, id="board.goal")
    ),
    *guarded(
        Binding("d", 'ask("delete")', "Delete", tooltip="Delete the task (asks first)", show=False, id="board.delete")
    ),
    *guarded(Binding("u", "undo", "Undo", tooltip="Undo your last change", id="board.undo")),
    Binding(
        "enter",
        "detail",
        "Detail",
        tooltip="Everything about the task, with its history",
        show=False,
        id="board.detail",
    ),
    Binding(
        "slash",
        "filter",
        "Filter",
        tooltip="Search and filter: words @owner !prio ^overdue ?owner",
        id="board.filter",
    ),
    Binding(
        "f",
        "filter_menu",
        "Filters",
        tooltip="Pick a filter: due, health, priority",
        show=False,
        id="board.filter_menu",
    ),
    Binding("escape", "clear_filter", "Clear", tooltip="Clear every filter", show=False, id="board.clear"),
    Binding("s", "scope", "Scope", tooltip="Show my tasks, my team, a person, a goal or everything", id="board.scope"),
    Binding("m", "mine", "Mine", tooltip="Show only my tasks (again: everything)", show=False, id="board.mine"),
    Binding("N", "next_view", "Next", tooltip="What should I do next? (again: the board)", id="board.next"),
    Binding("y", "copy", "Copy", tooltip="Copy the task as a line of text", id="board.copy"),
    Binding("z", "fold_done", "Fold done", tooltip="Fold or unfold the Done column", show=False, id="board.fold_done"),
]
