"""The goal tree, drawn line by line from a :class:`TreeModel`: one line per visible goal
with owner, progress, status, pace and task counts. Only the lines on screen are drawn,
so a 10,000-goal cycle costs what a small one does. The widget moves the model's cursor
on keys and says so with a message; what the keys do to the data is the pane's."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from okrate_tui.core.queries.tree import CycleTree, GoalLine
from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.format import STATUS_MARK, STATUS_TONE, bar, percent, tally, truncate
from okrate_tui.ui.models.tree import Row, TreeModel
from okrate_tui.ui.palette import tone
from okrate_tui.ui.widgets.scrolling import set_virtual_size

GUIDE = 3


class GoalTree(ScrollView, can_focus=True):
    """A scrolling list of goal lines; the cursor line is highlighted."""

    BINDINGS: ClassVar[list[BindingType]] = default_keys("tree")
    COMPONENT_CLASSES: ClassVar[set[str]] = {"tree--cursor", "tree--guides"}
    DEFAULT_CSS = """
    GoalTree { overflow-x: hidden; }
    GoalTree > .tree--cursor { background: $accent 35%; text-style: bold; }
    GoalTree:focus > .tree--cursor { background: $accent 60%; }
    GoalTree > .tree--guides { color: $text-muted; }
    """

    class Moved(Message):
        """The cursor moved to another goal (or to none)."""

        def __init__(self, goal_id: int | None) -> None:
            super().__init__()
            self.goal_id = goal_id

    class Chosen(Message):
        """enter or a click on the cursor's goal."""

        def __init__(self, goal_id: int) -> None:
            super().__init__()
            self.goal_id = goal_id

    def __init__(self, model: TreeModel, **kwargs) -> None:
        super().__init__(**kwargs)
        self.model = model
        self.empty_text = "loading…"
        self._shown: int | None = None

    # --- drawing -------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh())

    def refresh_lines(self, y_start: int | None = None, line_count: int = 1) -> None:
        """The model changed: size the scroll area, keep the cursor in view, repaint.
        Given ``y_start``, it is the scroll view's own: repaint those lines only."""
        if y_start is not None:
            super().refresh_lines(y_start, line_count)
            return
        set_virtual_size(self, Size(self.scrollable_content_region.width, max(len(self.model.rows), 1)))
        self.follow()
        self.refresh()
        self._announce()

    def refresh_goals(self) -> None:
        """Figures changed (not the lines themselves): repaint."""
        self.refresh()

    def follow(self) -> None:
        line = self.model.line
        height = max(self.size.height, 1)
        if line < self.scroll_y:
            self.scroll_to(y=line, animate=False)
        elif line >= self.scroll_y + height:
            self.scroll_to(y=line - height + 1, animate=False)

    def _announce(self) -> None:
        if self.model.cursor != self._shown:
            self._shown = self.model.cursor
            self.post_message(self.Moved(self.model.cursor))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_offset.y) + y
        rows = self.model.rows
        if not rows:
            text = Text(self.empty_text if index == 0 else "", style="italic")
            return self._strip(text, self.rich_style, width)
        if index >= len(rows):
            return Strip.blank(width, self.rich_style)
        row = rows[index]
        cursor = row.goal_id == self.model.cursor
        style = self.get_component_rich_style("tree--cursor") if cursor else self.rich_style
        return self._strip(self.line_text(row, width), style, width)

    def line_text(self, row: Row, width: int) -> Text:
        tree = self.model.tree
        guides = Text(style=self.get_component_rich_style("tree--guides", partial=True))
        for through in row.lines:
            guides.append("│  " if through else "   ")
        if row.depth:
            guides.append("└─ " if row.last else "├─ ")
        icon = ("▾ " if row.expanded else "▸ ") if row.expandable else "  "
        room = max(width - guides.cell_len - 3, 10)
        if tree is None or row.goal_id not in tree:
            return Text.assemble(guides, icon, "?")
        line = tree.line(row.goal_id)
        meta = self._meta(line, width, self._count_widths(tree))
        title_room = max(room - meta.cell_len, 8)
        label = Text(f"{truncate(line.title, title_room):<{title_room}}")
        if line.archived:
            label.stylize(tone("struck"))
        return Text.assemble(guides, icon, label, meta)

    @staticmethod
    def _count_widths(tree: CycleTree) -> tuple[int, int]:
        """Cells for the open and overdue counts: as wide as the largest, a top goal's
        (its counts take in its whole subtree), so the columns line up and never touch."""
        work = [tree.execution(goal_id) for goal_id in tree.children(None, archived=True)]
        return (
            max([3, *(len(tally(w.open)) for w in work)]),
            max([2, *(len(tally(w.overdue)) for w in work)]),
        )

    def _meta(self, line: GoalLine, width: int, counts: tuple[int, int]) -> Text:
        """The right-hand columns; fewer of them on narrow terminals."""
        style = tone(STATUS_TONE.get(line.status, ""))
        text = Text(" ")
        if width >= 90:
            owner = f"@{line.owner}" if line.owner else "—"
            text.append(f"{truncate(owner, 10):<11}", style=tone("muted"))
        text.append_text(bar(line.progress, 10 if width >= 70 else 5, style or tone("ok")))
        text.append(f"{percent(line.progress):>5} ", style="bold" if line.measured else tone("muted"))
        text.append(STATUS_MARK.get(line.status, "?"), style=style)
        text.append("⚑" if line.behind else " ", style=tone("late"))
        if width >= 48:
            work = line.execution
            wide_open, wide_late = counts
            text.append(f" {tally(work.open):>{wide_open}}")  # a space always parts the flag and the counts
            late = f" {tally(work.overdue):>{wide_late}}!" if work.overdue else " " * (wide_late + 2)
            text.append(late, style=tone("error"))
        return text

    def _strip(self, text: Text, style: Style, width: int) -> Strip:
        text.end = ""
        text.no_wrap = True
        segments = [Segment(s.text, style + s.style if s.style else style) for s in text.render(self.app.console)]
        return Strip(segments).crop(0, width).adjust_cell_length(width, style)

    def on_resize(self) -> None:
        self.refresh_lines()

    # --- keys ----------------------------------------------------------------------------

    def _moved(self, changed: bool) -> None:
        if changed:
            self.refresh_lines()

    def _stepped(self, before: int, changed: bool) -> None:
        """Only the cursor moved (the lines stayed): repaint its old and new line, or
        everything when the view scrolls."""
        if not changed:
            return
        top = self.scroll_y
        self.follow()
        if self.scroll_y != top:
            self.refresh()
        else:
            width = self.size.width
            for line in (before, self.model.line):
                self.refresh(Region(0, line - int(top), width, 1))
        self._announce()

    def action_move(self, step: int) -> None:
        self._stepped(self.model.line, self.model.move(step))

    def action_page(self, step: int) -> None:
        self._stepped(self.model.line, self.model.move(step * max(self.size.height - 1, 1)))

    def action_first(self) -> None:
        self._stepped(self.model.line, self.model.home())

    def action_last(self) -> None:
        self._stepped(self.model.line, self.model.end())

    def action_expand(self) -> None:
        self._moved(self.model.expand())

    def action_collapse(self) -> None:
        self._moved(self.model.collapse())

    def action_toggle_open(self) -> None:
        self._moved(self.model.toggle())

    def action_toggle_all(self) -> None:
        self._moved(self.model.toggle_all())

    def action_parent(self) -> None:
        self._moved(self.model.to_parent())

    def action_parent_next(self) -> None:
        self._moved(self.model.parent_next_sibling())

    def action_sibling(self, step: int) -> None:
        self._moved(self.model.sibling(step))

    def action_choose(self) -> None:
        if self.model.cursor is not None:
            self.post_message(self.Chosen(self.model.cursor))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_offset.y) + event.y
        if not 0 <= index < len(self.model.rows):
            return
        goal = self.model.rows[index].goal_id
        if goal == self.model.cursor and event.chain >= 2:
            self.post_message(self.Chosen(goal))
            return
        if event.x < (self.model.rows[index].depth + 1) * GUIDE and self.model.rows[index].expandable:
            self.model.cursor = goal
            self.model.toggle()
        else:
            self.model.cursor = goal
        self.refresh_lines()
