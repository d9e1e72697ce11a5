"""Where the keys are: every class that declares bindings (for the keymap check and the
help), the bindings in reach on a screen, and the help's sections."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

PANE_NAMES = {"goals": "Goals", "board": "Board", "review": "Review"}
SECTION_NAMES = {
    "GoalTree": "Goal tree",
    "PartList": "Parts of the goal",
    "MainScreen": "Everywhere",
    "WelcomeScreen": "Welcome",
}


def binding_classes(app: type) -> list[type]:
    """Every class that declares bindings (for the keymap check and the help)."""
    from okrate_tui.ui.forms.form import FormScreen
    from okrate_tui.ui.panes.board import BoardPane
    from okrate_tui.ui.panes.goals import GoalsPane
    from okrate_tui.ui.panes.review import ReviewPane
    from okrate_tui.ui.screens.analytics import AnalyticsScreen
    from okrate_tui.ui.screens.check_ins import CheckInsScreen
    from okrate_tui.ui.screens.confirm import ConfirmScreen
    from okrate_tui.ui.screens.cycles import CyclesScreen
    from okrate_tui.ui.screens.help import HelpScreen
    from okrate_tui.ui.screens.people import PeopleScreen
    from okrate_tui.ui.screens.picker import PickerScreen
    from okrate_tui.ui.screens.problem import ProblemScreen
    from okrate_tui.ui.screens.quick_add import QuickAddScreen
    from okrate_tui.ui.screens.review_workspace import ReviewWorkspace
    from okrate_tui.ui.screens.task_detail import TaskDetailScreen
    from okrate_tui.ui.screens.walkthrough import WalkthroughScreen
    from okrate_tui.ui.screens.welcome import WelcomeScreen
    from okrate_tui.ui.widgets.goal_tree import GoalTree
    from okrate_tui.ui.widgets.lists import KeyList, KeyTable
    from okrate_tui.ui.widgets.part_list import PartList

    return [
        app,
        GoalsPane,
        GoalTree,
        BoardPane,
        FormScreen,
        PickerScreen,
        ConfirmScreen,
        HelpScreen,
        WelcomeScreen,
        ProblemScreen,
        QuickAddScreen,
        TaskDetailScreen,
        ReviewPane,
        ReviewWorkspace,
        WalkthroughScreen,
        AnalyticsScreen,
        CyclesScreen,
        PeopleScreen,
        CheckInsScreen,
        PartList,
        KeyTable,
        KeyList,
    ]


def binding_owners(app: type) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every binding id with the class it lives in and its default keys."""
    owners: dict[str, tuple[str, tuple[str, ...]]] = {}
    for cls in binding_classes(app):
        for binding in getattr(cls, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.id:
                keys = tuple(k.strip() for k in binding.key.split(","))
                place = "pane" if cls.__name__ in ("GoalsPane", "GoalTree") else cls.__name__
                owners[binding.id] = (place, keys)
    return owners


def bindings_in_reach(app: App[Any], screen: Screen[Any]) -> list[tuple[object, list[str], Binding]]:
    """Every binding of the focused widget, its containers, the screen and the app,
    with the keys it has now (after the keymap), innermost first and each once."""
    found: dict[str, tuple[object, list[str], Binding]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.system:
            continue
        name = binding.id or f"{type(active.node).__name__}.{binding.action}"
        entry = found.setdefault(name, (active.node, [], binding))
        if entry[0] is active.node:
            entry[1].append(app.get_key_display(Binding(key, binding.action)))
    return [entry for entry in found.values() if entry[1]]


def help_sections(
    app: App[Any], in_reach: list[tuple[object, list[str], Binding]]
) -> list[tuple[str, list[tuple[str, Binding]]]]:
    """The bindings in reach, grouped by where they act."""
    groups: dict[str, list[tuple[str, Binding]]] = {}
    for node, keys, binding in in_reach:
        node_id = getattr(node, "id", None) or ""
        if node is app:
            title = "Everywhere"
        elif node_id in PANE_NAMES:
            title = f"{PANE_NAMES[node_id]} pane"
        else:
            title = SECTION_NAMES.get(type(node).__name__, "This screen")
        groups.setdefault(title, []).append((", ".join(keys), binding))
    order = {"Everywhere": 2, "Goal tree": 1}
    return sorted(groups.items(), key=lambda item: (order.get(item[0], 0), item[0]))
