"""One column of task cards, drawn line by line: only the cards on screen are rendered,
so a column of 40,000 cards costs what a column of 10 does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from okrate_tui.core.queries.board import Card, Labels, due_mark
from okrate_tui.core.vocab import TASK_STATUS_LABELS
from okrate_tui.ui.format import PRIORITY_MARK, PRIORITY_TONE, day_label, due_text, truncate
from okrate_tui.ui.palette import tone
from okrate_tui.ui.widgets.scrolling import set_virtual_size

CARD_HEIGHT = 3
STATUS_TAG_TONE = {"doing": "info_strong", "blocked": "late", "done": "ok", "todo": "strong"}


def card_lines(card: Card, labels: Labels, today: date, width: int, with_status: bool = False) -> list[Text]:
    """The three lines of a card: priority and title; owner, deadline and health (and its
    column, ``with_status``, where columns are not shown); goal."""
    room = max(width - 2, 4)
    first = Text()
    mark = PRIORITY_MARK.get(card.priority, " ")
    first.append(f"{mark:<4}", style=tone(PRIORITY_TONE.get(card.priority, "")))
    title_style = "strike" if card.status == "done" else "bold"
    first.append(truncate(card.title, room - 4), style=title_style)
    second = Text()
    open_task = card.status != "done"
    if with_status:
        second.append(f"{TASK_STATUS_LABELS[card.status]} · ", style=tone(STATUS_TAG_TONE.get(card.status, "strong")))
    if card.owner_id is not None:
        second.append(f"@{labels.handles.get(card.owner_id, '?')}", style=tone("info"))
    else:
        second.append("⚠ no owner", style=tone("warning") if open_task else tone("muted"))
    second.append(" · ")
    if not open_task:
        finished = day_label(card.completed_at, "?")
        second.append(f"done {finished}", style=tone("ok"))
    elif card.deadline is None:
        second.append("⚠ no date", style=tone("warning"))
    else:
        second.append_text(due_text(card.deadline, today))
    if open_task and card.priority is None:
        second.append(" · ⚠ no priority", style=tone("warning"))
    if due_mark(card, today) == "overdue":
        second.append(" ⚑", style=tone("late"))
    second.truncate(room, overflow="ellipsis")
    if card.goal_id in labels.archived:
        third = Text("archived goal: ", style=tone("warning"))
        third.append(
            truncate(labels.breadcrumb(card.goal_id, room, card.milestone_id), max(room - 15, 4)), style=tone("muted")
        )
    else:
        third = Text(truncate(labels.breadcrumb(card.goal_id, room, card.milestone_id), room), style=tone("muted"))
    return [first, second, third]


def shown_fields(card: Card) -> tuple:
    """Everything of a card its three lines show (a change to any of them repaints it)."""
    return (
        card.id,
        card.title,
        card.status,
        card.priority,
        card.deadline,
        card.owner_id,
        card.goal_id,
        card.completed_at,
        card.milestone_id,
    )


class CardColumn(ScrollView, can_focus=False):
    """A scrolling list of cards; the board decides which card is selected."""

    class Clicked(Message):
        """A card was clicked (``opened``: twice in a row)."""

        def __init__(self, column: CardColumn, task_id: int, opened: bool) -> None:
            super().__init__()
            self.column = column
            self.task_id = task_id
            self.opened = opened

        @property
        def control(self) -> CardColumn:
            return self.column

    COMPONENT_CLASSES: ClassVar[set[str]] = {"card--selected", "card--even", "card--empty"}
    DEFAULT_CSS = """
    CardColumn { height: 1fr; scrollbar-size-vertical: 1; overflow-x: hidden; }
    CardColumn > .card--selected { background: $accent 35%; }
    CardColumn > .card--even { background: $panel 40%; }
    CardColumn > .card--empty { color: $text-muted; }
    """

    def __init__(self, *, empty_text: str = "no tasks", **kwargs) -> None:
        super().__init__(**kwargs)
        self.cards: Sequence[Card | None] = []
        self.labels = Labels({}, {}, {})
        self.with_status = False  # say each card's column (a list without columns)
        self.today = date.today()
        self.selected: int | None = None
        self.empty_text = empty_text
        self._strips: dict[tuple, Strip] = {}
        self._shown: tuple | None = None  # what the visible rows showed last time

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._recolour)

    def _recolour(self, _theme: object) -> None:
        """Another theme: the kept lines have the old colours."""
        self._strips.clear()
        self._shown = None
        self.refresh()

    def show(self, cards: Sequence[Card | None], labels: Labels, today: date, selected: int | None) -> None:
        """Show these cards. Only a change to what is on screen repaints: a card changed
        far down a long column moves the scroll bar, nothing else."""
        if labels is not self.labels or today != self.today:
            self._strips.clear()
            self._shown = None
        self.cards, self.labels, self.today = cards, labels, today
        self.selected = selected
        height = max(len(cards) * CARD_HEIGHT, 1)
        set_virtual_size(self, Size(self.scrollable_content_region.width, height), repaint=False)
        scrolled = self.follow()
        before, shown = self._shown, self._visible()
        self._shown = shown
        if scrolled or before is None or before[:3] != shown[:3]:
            self.refresh()
            return
        top, width = int(self.scroll_y), self.size.width
        for start, stop in _changed_spans(before[3], shown[3]):
            row = (shown[0] + start) * CARD_HEIGHT - top
            self.refresh(Region(0, row, width, (stop - start) * CARD_HEIGHT))

    def select(self, index: int | None) -> None:
        """Move the selection: only the two cards concerned repaint, unless it scrolls."""
        before, self.selected = self.selected, index
        if self.follow():
            self._shown = self._visible()
            self.refresh()
            return
        self._shown = self._visible()
        top = int(self.scroll_y)
        width = self.size.width
        for row in (before, index):
            if row is not None:
                self.refresh(Region(0, row * CARD_HEIGHT - top, width, CARD_HEIGHT))

    def _visible(self) -> tuple:
        """Everything the rows on screen show, to tell whether they must repaint."""
        first = int(self.scroll_y) // CARD_HEIGHT
        last = min(len(self.cards), first + self.size.height // CARD_HEIGHT + 2)
        rows: list[tuple[object, ...] | None] = []
        for index in range(first, last):
            card = self.cards[index]
            if card is None:
                rows.append(None)
                continue
            rows.append((index == self.selected, *shown_fields(card)))
        return (first, self.empty_text, len(self.cards) == 0, tuple(rows))

    def follow(self) -> bool:
        """Scroll so the selected card is on screen; True when it scrolled."""
        if self.selected is None:
            return False
        top = self.selected * CARD_HEIGHT
        height = max(self.size.height, CARD_HEIGHT)
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False)
            return True
        if top + CARD_HEIGHT > self.scroll_y + height:
            self.scroll_to(y=top + CARD_HEIGHT - height, animate=False)
            return True
        return False

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = int(self.scroll_offset.y) + y
        index, part = divmod(line, CARD_HEIGHT)
        if not self.cards:
            text = Text(self.empty_text if line == 0 else "")
            return self._strip(text, self.get_component_rich_style("card--empty"), width)
        if index >= len(self.cards):
            return Strip.blank(width, self.rich_style)
        card = self.cards[index]
        if card is None:  # gone a moment ago: the column follows with the next change
            return Strip.blank(width, self.rich_style)
        selected = index == self.selected
        name = "card--selected" if selected else "card--even"
        key = (part, width, name, *shown_fields(card))
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 2000:
                self._strips.clear()
            style = self.get_component_rich_style(name)
            text = card_lines(card, self.labels, self.today, width, self.with_status)[part]
            if selected:
                prefix = Text("▌", style="bold")
            else:  # a space in the style of what follows: one style change fewer per line
                prefix = Text(" ", style=text.get_style_at_offset(self.app.console, 0) if text else "")
            strip = self._strips[key] = self._strip(Text.assemble(prefix, text), style, width)
        return strip

    def _strip(self, text: Text, style: Style, width: int) -> Strip:
        text.end = ""
        segments = [Segment(s.text, style + s.style if s.style else style) for s in text.render(self.app.console)]
        return Strip(segments).adjust_cell_length(width, style)

    def on_click(self, event: events.Click) -> None:
        if event.x >= self.scrollable_content_region.width:
            return  # the scroll bar
        index = (int(self.scroll_offset.y) + event.y) // CARD_HEIGHT
        card = self.cards[index] if 0 <= index < len(self.cards) else None
        if card is not None:
            self.post_message(self.Clicked(self, card.id, event.chain >= 2))

    def on_resize(self) -> None:
        self._shown = None
        self.virtual_size = Size(self.scrollable_content_region.width, max(len(self.cards) * CARD_HEIGHT, 1))
        self._strips.clear()
        self.follow()


def _changed_spans(before: tuple, after: tuple) -> list[tuple[int, int]]:
    """The runs of rows (start, stop) that differ between two views of a column."""
    spans: list[tuple[int, int]] = []
    for row in range(max(len(before), len(after))):
        old = before[row] if row < len(before) else None
        new = after[row] if row < len(after) else None
        if old == new:
            continue
        if spans and spans[-1][1] == row:
            spans[-1] = (spans[-1][0], row + 1)
        else:
            spans.append((row, row + 1))
    return spans
