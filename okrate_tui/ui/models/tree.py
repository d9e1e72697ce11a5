"""The goal tree as a plain model: which goals are open, where the cursor is, the filter,
and the lines that follow from them. It reads the session's :class:`CycleTree` and
holds only goal ids, so a goal moved, archived or deleted underneath is placed anew."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from okrate_tui.core.queries.tree import CycleTree
from okrate_tui.ui.models.undo import UndoStack


@dataclass(frozen=True, slots=True)
class Row:
    """One visible line of the tree."""

    goal_id: int
    depth: int
    expandable: bool
    expanded: bool
    last: bool  # the last of its siblings (draws └ rather than ├)
    lines: tuple[bool, ...]  # for each level above: whether a guide line runs through


class TreeModel:
    def __init__(self, tree: Callable[[], CycleTree | None], me: Callable[[], str | None] = lambda: None):
        self._tree = tree
        self._me = me  # the handle "@me" stands for in the filter
        self.expanded: set[int] = set()
        self.cursor: int | None = None
        self.filter_text = ""
        self.show_archived = False
        self.undo = UndoStack()
        self.rows: list[Row] = []
        self.matches: list[int] | None = None
        self._index: dict[int, int] = {}

    @property
    def tree(self) -> CycleTree | None:
        return self._tree()

    # --- building ----------------------------------------------------------------------

    def rebuild(self) -> None:
        """Lay the lines out again from the tree, keeping the cursor on its goal (or, when
        that goal is gone or hidden, on the nearest line that is still there)."""
        tree = self.tree
        previous = [r.goal_id for r in self.rows]
        self.rows = []
        self._index = {}
        if tree is None:
            return
        self.expanded &= set(tree.nodes)
        visible: set[int] | None = None
        self.matches = None
        if self.filter_text:
            self.matches = tree.search(self.filter_text, archived=self.show_archived, me=self._me())  # best first
            visible = set(self.matches)
            for gid in self.matches:
                visible.update(tree.ancestors(gid))
        self._lay(tree, None, 0, (), visible)
        self._index = {row.goal_id: i for i, row in enumerate(self.rows)}
        if self.matches and self.cursor not in self.matches:
            self.cursor = self.matches[0]  # on the first match, not on one of its ancestors
            return
        if self.cursor in self._index:
            return
        self.cursor = self._nearest(tree, previous)

    def _lay(
        self, tree: CycleTree, parent: int | None, depth: int, lines: tuple[bool, ...], visible: set[int] | None
    ) -> None:
        kids = tree.children(parent, archived=self.show_archived)
        if visible is not None:
            kids = [k for k in kids if k in visible]
        for number, gid in enumerate(kids):
            last = number == len(kids) - 1
            below = tree.children(gid, archived=self.show_archived)
            if visible is not None:
                below = [k for k in below if k in visible]
            open_ = bool(below) and (gid in self.expanded or visible is not None)
            self.rows.append(Row(gid, depth, bool(below), open_, last, lines))
            if open_:  # top-level goals draw no guide of their own
                self._lay(tree, gid, depth + 1, (*lines, not last) if depth else (), visible)

    def _nearest(self, tree: CycleTree, previous: list[int]) -> int | None:
        if not self.rows:
            return None
        gone = self.cursor
        if gone is not None and gone in tree.nodes:
            for ancestor in reversed(tree.ancestors(gone)):
                if ancestor in self._index:
                    return ancestor
        if gone in previous:
            at = previous.index(gone)
            for candidate in [*reversed(previous[:at]), *previous[at + 1 :]]:
                if candidate in self._index:
                    return candidate
        return self.rows[0].goal_id

    # --- reading -----------------------------------------------------------------------

    @property
    def line(self) -> int:
        """The cursor's line number (0 when nothing is shown)."""
        return self._index.get(self.cursor, 0) if self.cursor is not None else 0

    def row_of(self, goal_id: int) -> Row | None:
        index = self._index.get(goal_id)
        return self.rows[index] if index is not None else None

    # --- moving --------------------------------------------------------------------------

    def move(self, step: int) -> bool:
        if not self.rows:
            return False
        line = max(0, min(self.line + step, len(self.rows) - 1))
        moved = self.rows[line].goal_id != self.cursor
        self.cursor = self.rows[line].goal_id
        return moved

    def home(self) -> bool:
        return self.move(-len(self.rows))

    def end(self) -> bool:
        return self.move(len(self.rows))

    def reveal(self, goal_id: int) -> bool:
        """Open the goal's ancestors and put the cursor on it."""
        tree = self.tree
        if tree is None or goal_id not in tree.nodes:
            return False
        self.expanded.update(tree.ancestors(goal_id))
        if tree.nodes[goal_id].archived and not self.show_archived:
            self.show_archived = True
        self.cursor = goal_id
        self.rebuild()
        return self.cursor == goal_id

    def expand(self) -> bool:
        """Open the goal, or (already open) go to its first sub-goal."""
        row = self.row_of(self.cursor) if self.cursor is not None else None
        if row is None:
            return False
        if row.expandable and not row.expanded:
            self.expanded.add(row.goal_id)
            self.rebuild()
            return True
        if row.expanded:
            return self.move(1)
        return False

    def collapse(self) -> bool:
        """Close the goal, or (already closed) go to its parent."""
        row = self.row_of(self.cursor) if self.cursor is not None else None
        tree = self.tree
        if row is None or tree is None:
            return False
        if row.expanded and not self.filter_text:
            self.expanded.discard(row.goal_id)
            self.rebuild()
            return True
        return self.to_parent()

    def toggle(self) -> bool:
        row = self.row_of(self.cursor) if self.cursor is not None else None
        if row is None or not row.expandable:
            return False
        if row.expanded:
            self.expanded.discard(row.goal_id)
        else:
            self.expanded.add(row.goal_id)
        self.rebuild()
        return True

    def toggle_all(self) -> bool:
        """Open (or close) the goal with everything below it."""
        tree = self.tree
        row = self.row_of(self.cursor) if self.cursor is not None else None
        if row is None or tree is None or not row.expandable:
            return False
        below = [row.goal_id]
        stack = [row.goal_id]
        while stack:
            for child in tree.children(stack.pop(), archived=self.show_archived):
                below.append(child)
                stack.append(child)
        if row.expanded:
            self.expanded.difference_update(below)
        else:
            self.expanded.update(below)
        self.rebuild()
        return True

    def to_parent(self) -> bool:
        tree = self.tree
        if tree is None or self.cursor is None or self.cursor not in tree.nodes:
            return False
        parent = tree.nodes[self.cursor].parent_id
        if parent is None or parent not in self._index:
            return False
        self.cursor = parent
        return True

    def sibling(self, step: int) -> bool:
        row = self.row_of(self.cursor) if self.cursor is not None else None
        if row is None:
            return False
        line = self.line + step
        while 0 <= line < len(self.rows):
            other = self.rows[line]
            if other.depth < row.depth:
                return False
            if other.depth == row.depth:
                self.cursor = other.goal_id
                return True
            line += step
        return False

    def parent_next_sibling(self) -> bool:
        """Go to the goal after this one's parent (the next goal one level up)."""
        if not self.to_parent():
            return False
        return self.sibling(1)

    # --- showing ----------------------------------------------------------------------------

    def set_filter(self, text: str) -> None:
        """Show only goals matching ``text`` (with their ancestors); cleared, the tree is
        opened just down to the goal the filter led to."""
        self.filter_text = text.strip()
        tree = self.tree
        if not self.filter_text and tree is not None:
            self.expanded = set(tree.ancestors(self.cursor)) if self.cursor in tree.nodes else set()
        self.rebuild()

    def toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.rebuild()
