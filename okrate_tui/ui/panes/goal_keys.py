"""The goal tree's keys (each with an id, so it can be remapped) and what each asks of
the actor's rights on the selected goal."""

from __future__ import annotations

from textual.binding import BindingType

from okrate_tui.ui.default_keys import default_keys

GOAL_VERBS = {
    "edit_goal": "change",
    "move_goal": "move",
    "archive_goal": "archive",
    "set_status": "set the status of",
    "add_key_result": "add key results to",
    "add_milestone": "add milestones to",
    "check_in": "check in on",
}
GUARDED_ACTIONS = (*GOAL_VERBS, "new_goal", "new_top_goal", "new_task", "undo")

GOAL_BINDINGS: list[BindingType] = default_keys("goals")
