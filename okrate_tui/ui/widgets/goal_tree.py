"""The goal tree: one line per goal with owner, progress, status, pace and task counts.

Nodes hold goal ids; children are added when a node first expands. Figures come from a
:class:`~okrate_tui.core.queries.tree.CycleTree` once it is loaded (until then a line
shows only its title), and every line is laid out in columns that fit the width.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from okrate_tui.core.queries.tree import CycleTree, GoalLine
from okrate_tui.ui.format import STATUS_MARK, STATUS_STYLE, bar, percent, truncate

ICON_WIDTH = 2


class GoalTree(Tree[int]):
    """A lazily expanded tree of goal ids."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            "Open board",
            tooltip="Open the board on this goal's subtree",
            id="goals.open_board",
        ),
        Binding("up", "cursor_up", "Up", show=False, id="tree.up"),
        Binding("down", "cursor_down", "Down", show=False, id="tree.down"),
        Binding(
            "right,l",
            "expand",
            "Expand",
            tooltip="Open the goal (or go to its first sub-goal)",
            show=False,
            id="tree.expand",
        ),
        Binding(
            "left,h",
            "collapse",
            "Collapse",
            tooltip="Close the goal (or go to its parent)",
            show=False,
            id="tree.collapse",
        ),
        Binding("space", "toggle_node", "Open/close", show=False, id="tree.toggle"),
        Binding("shift+space", "toggle_expand_all", "Open/close all below", show=False, id="tree.toggle_all"),
        Binding("shift+left", "cursor_parent", "To parent", show=False, id="tree.parent"),
        Binding("shift+right", "cursor_parent_next_sibling", "To the next goal up", show=False, id="tree.next_up"),
        Binding("shift+up", "cursor_previous_sibling", "Previous sibling", show=False, id="tree.previous"),
        Binding("shift+down", "cursor_next_sibling", "Next sibling", show=False, id="tree.next"),
        Binding("pageup", "page_up", "Page up", show=False, id="tree.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="tree.page_down"),
        Binding("ctrl+pageup", "page_left", "", show=False, id="tree.page_left"),
        Binding("ctrl+pagedown", "page_right", "", show=False, id="tree.page_right"),
        Binding("home", "scroll_home", "First", show=False, id="tree.first"),
        Binding("end", "scroll_end", "Last", show=False, id="tree.last"),
    ]
    ICON_NODE = "▸ "
    ICON_NODE_EXPANDED = "▾ "

    def __init__(self, **kwargs) -> None:
        super().__init__("goals", **kwargs)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 3
        self.cycle_tree: CycleTree | None = None
        self.titles: dict[int, str] = {}
        self.populate: Callable[[TreeNode[int]], None] | None = None

    # --- layout -----------------------------------------------------------------

    def _meta(self, line: GoalLine, width: int) -> Text:
        """The right-hand columns; fewer of them on narrow terminals."""
        style = STATUS_STYLE.get(line.status, "")
        text = Text(" ")
        if width >= 90:
            owner = f"@{line.owner}" if line.owner else "—"
            text.append(f"{truncate(owner, 10):<11}", style="bright_black")
        text.append_text(bar(line.progress, 10 if width >= 70 else 5, style or "green"))
        text.append(f"{percent(line.progress):>5} ", style="bold" if line.measured else "bright_black")
        text.append(STATUS_MARK.get(line.status, "?"), style=style)
        text.append("⚑" if line.behind else " ", style="bold red")
        if width >= 48:
            work = line.execution
            text.append(f"{work.open:>4}")
            text.append(f"{work.overdue:>3}!" if work.overdue else "    ", style="red")
        return text

    def render_label(self, node: TreeNode[int], base_style: Style, style: Style) -> Text:
        if node.data is None:
            return super().render_label(node, base_style, style)
        icon = (self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE) if node.allow_expand else "  "
        guide = self._depth(node) * self.guide_depth
        room = max(self.size.width - guide - ICON_WIDTH - 1, 10)
        line = self.cycle_tree.line(node.data) if self.cycle_tree is not None and node.data in self.cycle_tree else None
        title = self.titles.get(node.data, "")
        if line is None:
            label = Text(truncate(title, room), style="")
        else:
            meta = self._meta(line, self.size.width)
            title_room = max(room - meta.cell_len, 8)
            label = Text(f"{truncate(title, title_room):<{title_room}}")
            if line.archived:
                label.stylize("strike bright_black")
            label.append_text(meta)
        label.stylize(style)
        return Text.assemble((icon, base_style), label)

    def get_label_width(self, node: TreeNode[int]) -> int:
        return max(self.size.width - self._depth(node) * self.guide_depth - 1, 1)

    def _depth(self, node: TreeNode[int]) -> int:
        depth, parent = 0, node.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        return depth

    def on_resize(self) -> None:
        self._invalidate()

    # --- content ----------------------------------------------------------------

    def add_goal(self, parent: TreeNode[int], goal_id: int, title: str, has_children: bool) -> TreeNode[int]:
        self.titles[goal_id] = title
        node = parent.add(title, data=goal_id, allow_expand=has_children)
        return node

    def node_for(self, goal_id: int) -> TreeNode[int] | None:
        for node in self._tree_nodes.values():
            if node.data == goal_id:
                return node
        return None

    def refresh_figures(self, tree: CycleTree) -> None:
        """New figures: repaint every line and fix which nodes can expand."""
        self.cycle_tree = tree
        for node in list(self._tree_nodes.values()):
            if node.data is None:
                continue
            if node.data in tree:
                self.titles[node.data] = tree.line(node.data).title
                node.allow_expand = bool(tree.children(node.data, archived=True))
            node._updates += 1
        self._invalidate()

    def select_goal(self, node: TreeNode[int]) -> None:
        """Put the cursor on a node, even one added a moment ago."""
        _ = self._tree_lines  # lay out new nodes so they have a line to move to
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)

    @property
    def cursor_goal(self) -> int | None:
        node = self.cursor_node
        return node.data if node is not None else None

    # --- keys -------------------------------------------------------------------

    def _fill(self, node: TreeNode[int]) -> None:
        """Add a node's children now, so keys typed right after expanding find them."""
        if not node.children and node.allow_expand and self.populate is not None:
            self.populate(node)

    def action_toggle_node(self) -> None:
        node = self.cursor_node
        if node is not None:
            self._fill(node)
        super().action_toggle_node()

    def action_expand(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and not node.is_expanded:
            self._fill(node)
            node.expand()
        elif node.children:
            self.move_cursor(node.children[0])

    def action_collapse(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)
