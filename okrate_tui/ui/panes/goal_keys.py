"""The goal tree's keys (each with an id, so it can be remapped) and what each asks of
the actor's rights on the selected goal."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from okrate_tui.ui.guard import guarded

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

GOAL_BINDINGS: list[BindingType] = [
    *guarded(Binding("n", 'ask("new_goal")', "New", tooltip="New sub-goal of the selected goal", id="goals.new")),
    *guarded(
        Binding("N", 'ask("new_top_goal")', "New top", tooltip="New top-level goal", show=False, id="goals.new_top")
    ),
    *guarded(Binding("e", 'ask("edit_goal")', "Edit", tooltip="Edit the selected goal", id="goals.edit")),
    *guarded(
        Binding(
            "m", 'ask("move_goal")', "Move", tooltip="Move the goal under another parent", show=False, id="goals.move"
        )
    ),
    *guarded(
        Binding(
            "d",
            'ask("archive_goal")',
            "Archive",
            tooltip="Archive (or restore) the goal",
            show=False,
            id="goals.archive",
        )
    ),
    *guarded(Binding("r", 'ask("add_key_result")', "Add KR", tooltip="Add a key result", id="goals.add_kr")),
    *guarded(Binding("M", 'ask("add_milestone")', "Milestone", tooltip="Add a milestone", id="goals.add_milestone")),
    *guarded(Binding("c", 'ask("check_in")', "Check in", tooltip="Check in on a key result", id="goals.check_in")),
    *guarded(
        Binding("s", 'ask("set_status")', "Status", tooltip="Set the goal's status", show=False, id="goals.status")
    ),
    *guarded(Binding("t", 'ask("new_task")', "Task", tooltip="New task under this goal", id="goals.new_task")),
    *guarded(
        Binding("u", "undo", "Undo", tooltip="Undo your last change in the goal tree", show=False, id="goals.undo")
    ),
    Binding(
        "enter",
        "open_board",
        "Board",
        tooltip="Open the board on this goal's subtree",
        id="goals.open_board",
    ),
    Binding("slash", "filter", "Filter", tooltip="Filter by a word, @owner or #team", id="goals.filter"),
    Binding(
        "y",
        "copy",
        "Copy",
        tooltip="Copy the goal (or the key result, milestone or task under the cursor) as a line of text",
        id="goals.copy",
    ),
    Binding("escape", "clear_filter", "Clear filter", show=False, id="goals.clear_filter"),
    Binding(
        "A",
        "toggle_archived",
        "Archived",
        tooltip="Show or hide archived goals",
        show=False,
        id="goals.show_archived",
    ),
    Binding(
        "tab",
        "toggle_focus",
        "Tree/detail",
        tooltip="Move between the tree and the detail panel",
        show=False,
        id="goals.focus",
    ),
]
