"""The kanban task pane: cards in status columns, triaged from the keyboard.

The pane holds every card of its scope in memory and draws only what is on screen.
Changes show at once and are then saved through the services; a refusal (a conflict
with another session, a read-only database) puts the card back as it is stored and
says why. Every saved change can be undone, several levels deep.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from okrate_tui.core import clock
from okrate_tui.core.errors import OkrateError
from okrate_tui.core.parsing import parse_deadline
from okrate_tui.core.queries import board as data
from okrate_tui.core.queries import org
from okrate_tui.core.queries.details import task_detail
from okrate_tui.core.queries.tasks import history
from okrate_tui.core.services import tasks as task_service
from okrate_tui.core.services.undo import undo_op
from okrate_tui.core.validation import clean_title
from okrate_tui.core.vocab import TASK_STATUS_LABELS, TASK_STATUSES
from okrate_tui.core.writes import with_op
from okrate_tui.ui.forms.fields import deadline_field, owner_field, priority_field
from okrate_tui.ui.forms.form import Field, FormScreen
from okrate_tui.ui.messages import DataChanged
from okrate_tui.ui.screens.confirm import ConfirmScreen
from okrate_tui.ui.screens.picker import Choice, PickerScreen
from okrate_tui.ui.widgets.card_column import CardColumn

if TYPE_CHECKING:
    from okrate_tui.ui.app import OkrateApp

PRIORITY_CYCLE = (None, "low", "medium", "high", "critical")
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


class BoardPane(Vertical):
    """Columns To do, Doing, Blocked and Done; or the ranked Next list."""

    can_focus = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "column(-1)", "Left", show=False, id="board.left"),
        Binding("right,l", "column(1)", "Right", show=False, id="board.right"),
        Binding("up,k", "row(-1)", "Up", show=False, id="board.up"),
        Binding("down,j", "row(1)", "Down", show=False, id="board.down"),
        Binding("pageup", "row(-8)", "Page up", show=False, id="board.page_up"),
        Binding("pagedown", "row(8)", "Page down", show=False, id="board.page_down"),
        Binding("home", "row(-1000000)", "First card", show=False, id="board.first"),
        Binding("end", "row(1000000)", "Last card", show=False, id="board.last"),
        Binding(
            "H,shift+left", "move(-1)", "Move ←", tooltip="Move the card to the previous column", id="board.move_left"
        ),
        Binding(
            "L,shift+right", "move(1)", "Move →", tooltip="Move the card to the next column", id="board.move_right"
        ),
        Binding(
            "K,shift+up",
            "reorder(-1)",
            "Up in column",
            tooltip="Move the card up in its column",
            show=False,
            id="board.move_up",
        ),
        Binding(
            "J,shift+down",
            "reorder(1)",
            "Down in column",
            tooltip="Move the card down in its column",
            show=False,
            id="board.move_down",
        ),
        Binding("n", "new", "New", tooltip="Quick-add a task: title @owner !priority ^deadline #goal", id="board.new"),
        Binding("e", "edit", "Edit", tooltip="Edit the task", show=False, id="board.edit"),
        Binding("x", "done", "Done", tooltip="Mark done, or reopen", id="board.done"),
        Binding("p", "priority", "Priority", tooltip="Cycle the priority", show=False, id="board.priority"),
        Binding("o", "owner", "Owner", tooltip="Set the owner", show=False, id="board.owner"),
        Binding(
            "D",
            "deadline",
            "Deadline",
            tooltip="Set the deadline (fri, +3d, 2026-12-01 …)",
            show=False,
            id="board.deadline",
        ),
        Binding("g", "goal", "Goal", tooltip="Change the goal the task serves", show=False, id="board.goal"),
        Binding("d", "delete", "Delete", tooltip="Delete the task (asks first)", show=False, id="board.delete"),
        Binding("u", "undo", "Undo", tooltip="Undo your last change", id="board.undo"),
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
        Binding(
            "s", "scope", "Scope", tooltip="Show my tasks, my team, a person, a goal or everything", id="board.scope"
        ),
        Binding("m", "mine", "Mine", tooltip="Show only my tasks (again: everything)", show=False, id="board.mine"),
        Binding("N", "next_view", "Next", tooltip="What should I do next? (again: the board)", id="board.next"),
        Binding(
            "z", "fold_done", "Fold done", tooltip="Fold or unfold the Done column", show=False, id="board.fold_done"
        ),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scope = data.BoardScope()
        self.filter_text = ""
        self.wanted = data.BoardFilter()
        self.cards: list[data.Card] = []
        self.cols: dict[str, list[data.Card]] = {s: [] for s in TASK_STATUSES}
        self.labels = data.Labels({}, {}, {})
        self.archived_goals: set[int] = set()
        self.col = 0
        self.rows: dict[str, int] = dict.fromkeys(TASK_STATUSES, 0)
        self.view = "board"
        self.next_list: list[data.Card] = []
        self.next_row = 0
        self.undo_stack: list[tuple[str, str]] = []
        self.folded = False
        self._before_done: dict[int, str] = {}
        self.loaded = False
        self.dirty = True
        self.today = clock.today()

    @property
    def okrate(self) -> OkrateApp:
        return self.app  # type: ignore[return-value]

    # --- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="filter: words  @owner  !priority  ^overdue ^week ^none  ?owner ?deadline "
            "?priority ?any   (esc clears)",
            id="board-filter",
        )
        yield Static("", id="board-scope")
        with Horizontal(id="board-columns"):
            for status in TASK_STATUSES:
                with Vertical(classes="board-column", id=f"col-{status}"):
                    yield Static("", classes="column-title", id=f"title-{status}")
                    yield CardColumn(id=f"cards-{status}", empty_text="  nothing here")
        with Vertical(id="next-view"):
            yield Static("", classes="column-title", id="title-next")
            yield CardColumn(id="cards-next", empty_text="  nothing open: enjoy the quiet")
        yield Static("", id="workload")

    def on_mount(self) -> None:
        self.query_one("#board-filter", Input).display = False
        self.query_one("#next-view").display = False

    def on_resize(self) -> None:
        narrow = self.size.width < 100
        if narrow != getattr(self, "_narrow", None):
            self._narrow = narrow
            self.folded = narrow  # three columns get the room on small terminals; z unfolds
            if self.loaded:
                self.redraw()
        if self.loaded:
            self._workload()

    def focus_target(self) -> BoardPane:
        if self.dirty or not self.loaded:
            self.load()
        return self

    # --- loading ------------------------------------------------------------------

    def show_goal(self, goal_id: int) -> None:
        """Open on one goal's subtree (from the goal tree)."""
        title = self.labels.goal_titles.get(goal_id) or self._tree_title(goal_id) or f"goal {goal_id}"
        self.scope = data.BoardScope("goal", goal_id=goal_id, label=f"goal: {title}")
        self.view = "board"
        self.load()

    def _tree_title(self, goal_id: int) -> str | None:
        try:
            tree = self.screen.query_one("#goals").tree_data  # type: ignore[attr-defined]
        except Exception:
            return None
        return tree.line(goal_id).title if tree is not None and goal_id in tree else None

    def load(self, focus_task: int | None = None, *, stay: bool = False) -> None:
        """Read the scope's cards again. ``stay`` (someone else changed something): the
        selection stays where it is, rather than following a card another person moved."""
        self.dirty = False
        self._load(focus_task, stay)

    @work(exclusive=True, group="board-load")
    async def _load(self, focus_task: int | None, stay: bool = False) -> None:
        app = self.okrate
        if app.cycle is None:
            return
        self.today = clock.today()
        before = self.current()
        keep = focus_task if focus_task is not None else getattr(before, "id", None)

        def read() -> tuple[list[data.Card], data.Labels, list[data.Card], set[int]]:
            cards = data.load_cards(self.scope, app.cycle.id)
            labels = data.load_labels(app.cycle.id)
            ranked = data.next_cards(app.actor.id, app.cycle.id, self.today)
            return cards, labels, ranked, labels.archived

        self.cards, self.labels, self.next_list, self.archived_goals = await app.db.call(read)
        self.loaded = True
        if stay and before is not None:
            fresh = self._find(before.id)
            if fresh is None or fresh.status != before.status:
                keep = None  # it left this column: keep the place instead
        self.refilter(keep)
        cards = self.cards

        def fold_all() -> None:  # ready for the first search, after the first paint
            for card in cards:
                card.text()

        await app.db.call(fold_all)

    def on_data_changed(self, message: DataChanged) -> None:
        if message.source == "board":
            return
        if self.display and self.parent is not None and self.screen.query_one("#panes").current == "board":
            self.load(message.focus_task, stay=message.focus_task is None)
        else:
            self.dirty = True

    # --- drawing ------------------------------------------------------------------

    def refilter(self, keep: int | None = None, *, typed: bool = False) -> None:
        """Apply scope and filters to the loaded cards and redraw, keeping the selection.
        ``typed``: only the filter changed, so the workload line stays as it is, and a
        filter typed further looks only through the cards shown now."""
        wanted = data.parse_filter(self.filter_text)
        pool = self.cards
        if typed and data.narrower(self.wanted, wanted):
            pool = [card for cards in self.cols.values() for card in cards]
        self.wanted = wanted
        self.cols = data.columns(pool, data.matcher(wanted, self.today, self.labels.handles))
        if keep is not None:
            self.select_card(keep)
        self.redraw()
        if not typed:
            self._workload()

    def relocate(self, card: data.Card) -> None:
        """Put one changed card where it now belongs, without rebuilding the columns."""
        if card not in self.cards:  # a card of the Next list outside the board's scope
            self.redraw()
            return
        touched = {card.status, TASK_STATUSES[self.col]}
        for status, cards in self.cols.items():
            if card in cards:
                cards.remove(card)
                touched.add(status)
                break
        if data.matcher(self.wanted, self.today, self.labels.handles)(card):
            column = self.cols[card.status]
            if card.status == "done":
                stamp = (card.completed_at or datetime.min, card.id)
                index = bisect.bisect_left(
                    column, _negate(stamp), key=lambda c: _negate((c.completed_at or datetime.min, c.id))
                )
            else:
                index = bisect.bisect_left(column, (card.position, card.id), key=lambda c: (c.position, c.id))
            column.insert(index, card)
            if self.view == "board":
                self.col, self.rows[card.status] = TASK_STATUSES.index(card.status), index
        self.redraw(touched if self.view == "board" else None)

    def select_card(self, task_id: int) -> None:
        if self.view == "next":
            for index, card in enumerate(self.next_list):
                if card.id == task_id:
                    self.next_row = index
            return
        for col, status in enumerate(TASK_STATUSES):
            for index, card in enumerate(self.cols[status]):
                if card.id == task_id:
                    self.col, self.rows[status] = col, index
                    return

    def redraw(self, only: set[str] | None = None) -> None:
        """Draw the columns (``only`` some of them, when the rest did not change)."""
        board = self.view == "board"
        self.query_one("#board-columns").display = board
        self.query_one("#next-view").display = not board
        if board:
            for col, status in enumerate(TASK_STATUSES):
                if only is not None and status not in only:
                    continue
                cards = self.cols[status]
                self.rows[status] = min(self.rows[status], max(len(cards) - 1, 0))
                folded = status == "done" and self.folded
                box = self.query_one(f"#col-{status}")
                if box.has_class("folded") != folded:  # a class change restyles the subtree
                    box.set_class(folded, "folded")
                title = f"{TASK_STATUS_LABELS[status]} {len(cards):,}"
                if status == "done" and not folded and self.size.width >= 120:
                    title += "  recent first"
                # the current column shows in its title (a class change would restyle the column)
                style = "bold reverse" if col == self.col else "bold"
                self.query_one(f"#title-{status}", Static).update(Text(f" {title} ", style=style), layout=False)
                selected = self.rows[status] if col == self.col and cards else None
                column = self.query_one(f"#cards-{status}", CardColumn)
                column.empty_text = " z unfolds" if folded else "  nothing here"
                self.query_one(f"#cards-{status}", CardColumn).show(
                    [] if folded else cards, self.labels, self.today, selected
                )
        else:
            self.next_row = min(self.next_row, max(len(self.next_list) - 1, 0))
            title = f"Next for @{self.okrate.actor.handle}: overdue first, then priority, then deadline"
            self.query_one("#title-next", Static).update(Text(title, style="bold"), layout=False)
            self.query_one("#cards-next", CardColumn).show(
                self.next_list, self.labels, self.today, self.next_row if self.next_list else None
            )
        self._scope_line()

    def _scope_line(self) -> None:
        text = Text()
        if self.view == "next":
            text.append("Next", style="bold")
            text.append(f" · your open tasks in {self.okrate.cycle.name} · N returns to the board")
            self.query_one("#board-scope", Static).update(text, layout=False)
            return
        text.append("Board", style="bold")
        text.append(f" · {self.scope.label}")
        total = sum(len(c) for c in self.cols.values())
        if not self.wanted.empty:
            text.append(f" · filter: {self.wanted.describe()}", style="bold yellow")
            text.append(f" ({total:,} of {len(self.cards):,}; esc clears)", style="bright_black")
        else:
            text.append(f" · {len(self.cards):,} tasks", style="bright_black")
        for problem in self.wanted.problems:
            text.append(f"  ✗ {problem}", style="red")
        if self.undo_stack:
            text.append(f" · u undoes ({len(self.undo_stack)})", style="bright_black")
        self.query_one("#board-scope", Static).update(text, layout=False)

    def _workload(self) -> None:
        rows = data.workload(self.cards, self.today)
        text = Text("workload ", style="bold")
        width = max((self.size.width or self.app.size.width) - 20, 20)
        for shown, (owner, open_count, late) in enumerate(rows):
            name = f"@{self.labels.handles.get(owner, '?')}" if owner is not None else "nobody"
            piece = Text(f"{name} {open_count}")
            if late:
                piece.append(f"/{late}!", style="red")
            piece.append("  ")
            if text.cell_len + piece.cell_len > width:
                text.append(f"+{len(rows) - shown} more", style="bright_black")
                break
            text.append_text(piece)
        if not rows:
            text.append("no open tasks in this scope", style="bright_black")
        self.query_one("#workload", Static).update(text, layout=False)

    def current(self) -> data.Card | None:
        if self.view == "next":
            return self.next_list[self.next_row] if 0 <= self.next_row < len(self.next_list) else None
        status = TASK_STATUSES[self.col]
        cards = self.cols[status]
        index = self.rows[status]
        if status == "done" and self.folded:
            return None
        return cards[index] if 0 <= index < len(cards) else None

    def _need_card(self) -> data.Card | None:
        card = self.current()
        if card is None:
            self.notify("No task selected.", severity="warning")
        return card

    # --- moving around ------------------------------------------------------------

    def action_column(self, step: int) -> None:
        if self.view == "next":
            return
        before = TASK_STATUSES[self.col]
        self.col = max(0, min(self.col + step, len(TASK_STATUSES) - 1))
        self.redraw({before, TASK_STATUSES[self.col]})

    def action_row(self, step: int) -> None:
        if self.view == "next":
            self.next_row = max(0, min(self.next_row + step, len(self.next_list) - 1))
            self.query_one("#cards-next", CardColumn).select(self.next_row)
            return
        status = TASK_STATUSES[self.col]
        count = len(self.cols[status])
        if not count:
            return
        self.rows[status] = max(0, min(self.rows[status] + step, count - 1))
        self.query_one(f"#cards-{status}", CardColumn).select(self.rows[status])

    # --- saving -------------------------------------------------------------------

    def save(self, card: data.Card, what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Save a change already shown on screen; on refusal put the card back and say why."""
        self._save(card, what, fn, args, kwargs)

    @work(group="board-save")
    async def _save(self, card: data.Card, what: str, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        app = self.okrate
        seen = app._seen_change

        def run() -> tuple[Any, str | None, int]:
            # runs on the database thread, one save after another: each uses the version
            # the previous one left, so quick successive edits of one card never clash
            result, op = with_op(fn, app.actor, card.id, card.version, *args, **kwargs)
            if result is not None and hasattr(result, "version"):
                card.update(data.card_from_record(result))
            return result, op, org.latest_change_if_only(op, seen)

        try:
            _, op, latest = await app.db.call(run)
        except OkrateError as exc:
            self.notify(f"{exc}", title=f"Not saved: {what}", severity="error", timeout=10)
            await self._restore(card.id)
            return
        if op is not None:
            self.undo_stack.append((op, what))
            del self.undo_stack[:-50]
        app.note_seen(latest)
        shown = self._find(card.id)
        if shown is not None and shown is not card:  # the board reloaded meanwhile
            shown.update(data.card_from_record(card))
        if shown is not None and shown in self.cards:  # a deleted card stays off the board
            self.relocate(shown)
        if self.view == "next":
            self.next_list = await app.db.call(data.next_cards, app.actor.id, app.cycle.id, self.today)
            self.redraw()
        self._workload()
        self.screen.post_message(DataChanged(focus_task=card.id, source="board"))

    def _find(self, task_id: int) -> data.Card | None:
        """The card object on screen now for a task (the board may have reloaded)."""
        for card in self.cards:
            if card.id == task_id:
                return card
        for card in self.next_list:
            if card.id == task_id:
                return card
        return None

    async def _restore(self, task_id: int) -> None:
        """Show a card as it is stored (or drop it when it is gone)."""
        fresh = await self.okrate.db.call(data.load_card, task_id)
        for index, card in enumerate(self.cards):
            if card.id == task_id:
                if fresh is None:
                    del self.cards[index]
                else:
                    card.update(data.card_from_record(fresh))
                    fresh = card
                break
        if fresh is None:
            self.refilter()
        else:
            self.relocate(fresh)

    def _top_position(self, status: str) -> float:
        column = self.cols[status]  # kept in position order
        return column[0].position - 1.0 if column else 0.0

    def _move_to(self, card: data.Card, status: str, what: str) -> None:
        card.status = status
        card.position = self._top_position(status)
        card.completed_at = clock.now() if status == "done" else None
        self.relocate(card)
        self.save(card, what, task_service.move_task, status)

    # --- actions ------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        card = self._need_card()
        if card is None:
            return
        index = TASK_STATUSES.index(card.status) + step
        if not 0 <= index < len(TASK_STATUSES):
            return
        status = TASK_STATUSES[index]
        self._move_to(card, status, f"move “{card.title}” to {TASK_STATUS_LABELS[status]}")

    def action_done(self) -> None:
        card = self._need_card()
        if card is None:
            return
        if card.status == "done":
            back = self._before_done.pop(card.id, "todo")
            self._move_to(card, back, f"reopen “{card.title}” in {TASK_STATUS_LABELS[back]}")
        else:
            self._before_done[card.id] = card.status
            self._move_to(card, "done", f"finish “{card.title}”")

    def action_reorder(self, step: int) -> None:
        card = self._need_card()
        if card is None or self.view == "next":
            return
        if card.status == "done":
            self.notify("Done is ordered by when tasks were finished.", severity="warning")
            return
        column = self.cols[card.status]
        index = column.index(card)
        target = index + step
        if not 0 <= target < len(column):
            return
        if step > 0:
            after, before = column[target], column[target + 1] if target + 1 < len(column) else None
        else:
            after, before = (column[target - 1] if target > 0 else None), column[target]
        low = after.position if after else before.position - 2.0  # type: ignore[union-attr]
        high = before.position if before else low + 2.0
        card.position = (low + high) / 2
        self.relocate(card)
        self.save(
            card,
            f"reorder “{card.title}”",
            task_service.reorder_task,
            after=after.id if after else None,
            before=before.id if before else None,
        )

    def action_priority(self) -> None:
        card = self._need_card()
        if card is None:
            return
        value = PRIORITY_CYCLE[(PRIORITY_CYCLE.index(card.priority) + 1) % len(PRIORITY_CYCLE)]
        card.priority = value
        self.relocate(card)
        self.save(
            card, f"set the priority of “{card.title}” to {value or 'none'}", task_service.edit_task, priority=value
        )

    def action_owner(self) -> None:
        card = self._need_card()
        if card is None:
            return
        choices = [Choice("", "nobody", "nobody none unowned")] + [
            Choice(
                p.handle,
                f"{p.name}  @{p.handle}{' · ' + p.team if p.team else ''}",
                f"{p.name} {p.handle} {p.team or ''}",
            )
            for p in self.okrate.people
        ]
        current = self.labels.handles.get(card.owner_id) if card.owner_id else ""

        def picked(handle: str | None) -> None:
            shown = self._find(card.id) if handle is not None else None
            if shown is None:
                return
            person = next((p for p in self.okrate.people if p.handle == handle), None)
            shown.owner_id = person.id if person else None
            self.relocate(shown)
            self.save(
                shown,
                f"set the owner of “{shown.title}” to {'@' + handle if handle else 'nobody'}",
                task_service.edit_task,
                owner=handle or None,
            )

        self.app.push_screen(PickerScreen(f"Owner of “{card.title}”", choices, initial=current), picked)

    def action_deadline(self) -> None:
        card = self._need_card()
        if card is None:
            return
        today = self.today
        fields = [deadline_field(card.deadline.isoformat() if card.deadline else "", today, explain=True)]

        async def submit(values: dict[str, str]) -> date | bool:
            return parse_deadline(values["deadline"], today) or False

        def chosen(value: date | bool | None) -> None:
            shown = self._find(card.id) if value is not None else None
            if shown is None:
                return
            shown.deadline = value or None
            when = shown.deadline.strftime("%a %b %-d") if shown.deadline else "none"
            self.relocate(shown)
            self.save(
                shown, f"set the deadline of “{shown.title}” to {when}", task_service.edit_task, deadline=shown.deadline
            )

        self.app.push_screen(FormScreen(f"Deadline of “{card.title}”", fields, submit), chosen)

    def _goal_choices(self) -> list[Choice]:
        return [
            Choice(gid, self.labels.breadcrumb(gid), self.labels.breadcrumb(gid))
            for gid in sorted(self.labels.goal_titles)
            if gid not in self.archived_goals
        ]

    def action_goal(self) -> None:
        card = self._need_card()
        if card is None:
            return

        def picked(goal: int | None) -> None:
            shown = self._find(card.id) if goal is not None else None
            if shown is None:
                return
            shown.goal_id = goal
            self.relocate(shown)
            self.save(
                shown,
                f"move “{shown.title}” to the goal “{self.labels.goal_titles.get(goal, goal)}”",
                task_service.edit_task,
                goal=goal,
            )

        self.app.push_screen(
            PickerScreen(f"Goal for “{card.title}”", self._goal_choices(), initial=card.goal_id), picked
        )

    def action_delete(self) -> None:
        card = self._need_card()
        if card is None:
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            self.cards.remove(card)
            self.refilter()
            self.save(card, f"delete “{card.title}”", task_service.delete_task)

        self.app.push_screen(ConfirmScreen(f"Delete “{card.title}”?", "u brings it back."), answer)

    def action_edit(self) -> None:
        card = self._need_card()
        if card is not None:
            self._edit(card.id)

    @work(group="ask-edit")
    async def _edit(self, task_id: int) -> None:
        app = self.okrate
        detail = await app.db.call(task_detail, task_id)
        today = self.today
        initial = {
            "title": detail.title,
            "objective": detail.objective,
            "context": detail.context,
            "owner": detail.owner or "",
            "priority": detail.priority or "",
            "deadline": detail.deadline.isoformat() if detail.deadline else "",
        }
        fields = [
            Field("title", "Task", initial["title"], required=True, check=clean_title),
            Field("objective", "Objective", initial["objective"], kind="area", help="what done looks like"),
            Field("context", "Context", initial["context"], kind="area"),
            owner_field(initial["owner"], app.people),
            priority_field(initial["priority"]),
            deadline_field(initial["deadline"], today),
        ]

        async def submit(values: dict[str, str]) -> Any:
            changes: dict[str, Any] = {k: v for k, v in values.items() if v != initial[k]}
            if "deadline" in changes:
                changes["deadline"] = parse_deadline(changes["deadline"], today)
            for name in ("owner", "priority"):
                if name in changes:
                    changes[name] = changes[name] or None
            if not changes:
                return True
            return await app.db.call(with_op, task_service.edit_task, app.actor, task_id, detail.version, **changes)

        saved = await app.push_screen_wait(FormScreen(f"Edit task {task_id}", fields, submit))
        if isinstance(saved, tuple):
            record, op = saved
            if op:
                self.undo_stack.append((op, f"edit “{record.title}”"))
            for card in self.cards:
                if card.id == task_id:
                    card.update(data.card_from_record(record))
            self.refilter(task_id)
            self.screen.post_message(DataChanged(focus_task=task_id, source="board"))

    def action_new(self) -> None:
        self._new()

    @work(group="ask-new")
    async def _new(self) -> None:
        from okrate_tui.ui.screens.quick_add import QuickAddScreen

        app = self.okrate
        goals = [(gid, title) for gid, title in self.labels.goal_titles.items() if gid not in self.archived_goals]
        scope_goal = self.scope.goal_id if self.scope.kind == "goal" else None
        reading = await app.push_screen_wait(
            QuickAddScreen(
                self.today,
                [p.handle for p in app.people],
                goals,
                self.labels.goal_titles.get(scope_goal) if scope_goal else None,
            )
        )
        if reading is None:
            return
        goal = reading.goal_id or scope_goal
        if goal is None:
            goal = await app.push_screen_wait(
                PickerScreen(f"Which goal does “{reading.title}” serve?", self._goal_choices())
            )
            if goal is None:
                self.notify("Not added: a task always serves a goal.", severity="warning")
                return
        owner = reading.owner
        if owner is None and self.scope.kind in ("mine", "person"):
            owner = next((p.handle for p in app.people if p.id == self.scope.person_id), None)
        try:
            task, op = await app.db.call(
                with_op,
                task_service.create_task,
                app.actor,
                reading.title,
                goal=goal,
                owner=owner,
                priority=reading.priority,
                deadline=reading.deadline,
            )
        except OkrateError as exc:
            self.notify(str(exc), title="Not added", severity="error", timeout=10)
            return
        if op:
            self.undo_stack.append((op, f"add “{task.title}”"))
        card = await app.db.call(data.load_card, task.id)
        if card is not None and self._in_scope(card):
            self.cards.append(card)
        elif card is not None:
            self.notify(f"Added “{task.title}” (outside this scope: s changes scope).")
        self.next_list = await app.db.call(data.next_cards, app.actor.id, app.cycle.id, self.today)
        self.refilter(task.id)
        self.screen.post_message(DataChanged(focus_task=task.id, source="board"))

    def _in_scope(self, card: data.Card) -> bool:
        kind = self.scope.kind
        if kind in ("mine", "person"):
            return card.owner_id == self.scope.person_id
        if kind == "goal":
            return True if self.scope.goal_id is None else card.goal_id in self._scope_goals()
        if kind == "team":
            return any(p.id == card.owner_id and p.team_id == self.scope.team_id for p in self.okrate.people)
        return True

    def _scope_goals(self) -> set[int]:
        wanted = {self.scope.goal_id}
        changed = True
        while changed:
            changed = False
            for gid, parent in self.labels.goal_parents.items():
                if parent in wanted and gid not in wanted:
                    wanted.add(gid)
                    changed = True
        return wanted  # type: ignore[return-value]

    def action_undo(self) -> None:
        self._undo()

    @work(group="board-save")
    async def _undo(self) -> None:
        app = self.okrate
        await app.db.call(lambda: None)  # let saves already on their way land (and be undoable) first
        if not self.undo_stack:
            self.notify("Nothing to undo.")
            return
        op, what = self.undo_stack.pop()
        try:
            await app.db.call(undo_op, app.actor, op)
        except OkrateError as exc:
            self.notify(str(exc), title=f"Cannot undo: {what}", severity="error", timeout=10)
            self._scope_line()
            return
        self.notify(f"Undone: {what}")
        self.load()
        self.screen.post_message(DataChanged(source="board"))

    def action_detail(self) -> None:
        card = self._need_card()
        if card is not None:
            self._detail(card.id)

    @work(group="ask-detail")
    async def _detail(self, task_id: int) -> None:
        app = self.okrate
        try:
            detail, changes = await app.db.call(lambda: (task_detail(task_id), history(task_id)))
        except OkrateError as exc:
            self.notify(str(exc), severity="error")
            return
        from okrate_tui.ui.screens.task_detail import TaskDetailScreen

        names = {
            "owner": {str(pid): f"@{handle}" for pid, handle in self.labels.handles.items()},
            "created_by": {str(pid): f"@{handle}" for pid, handle in self.labels.handles.items()},
            "goal": {str(gid): title for gid, title in self.labels.goal_titles.items()},
        }
        choice = await app.push_screen_wait(TaskDetailScreen(detail, changes, names))
        if choice == "edit":
            self._edit(task_id)

    # --- filters, scopes, views ---------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one("#board-filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#board-filter")
    def _filter_typed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self.refilter(getattr(self.current(), "id", None), typed=True)

    @on(Input.Submitted, "#board-filter")
    def _filter_done(self) -> None:
        self.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#board-filter", Input)
        if not self.filter_text and not box.display:
            return
        box.value = ""
        box.display = False
        self.filter_text = ""
        self.focus()
        self.refilter(getattr(self.current(), "id", None), typed=True)

    def action_filter_menu(self) -> None:
        choices = [Choice(token, f"{label}   {token}", f"{label} {token}") for token, label in FILTER_PRESETS]
        choices += [
            Choice(f"@{p.handle}", f"Owner: {p.name}   @{p.handle}", f"owner {p.name} {p.handle}")
            for p in self.okrate.people
        ]

        def picked(token: str | None) -> None:
            if token:
                box = self.query_one("#board-filter", Input)
                box.value = f"{box.value} {token}".strip()
                box.display = True

        self.app.push_screen(PickerScreen("Add a filter", choices), picked)

    def action_scope(self) -> None:
        app = self.okrate
        me = app.actor
        team = next((p.team for p in app.people if p.id == me.id), None)
        choices = [Choice(("mine", me.id), "My tasks", "mine my tasks")]
        if me.team_id is not None:
            choices.append(Choice(("team", me.team_id), f"My team: {team}", f"my team {team}"))
        choices += [
            Choice(("team", tid), f"Team: {name}", f"team {name}") for tid, name in app.teams if tid != me.team_id
        ]
        choices.append(Choice(("org", None), "Whole organisation", "whole organisation all everything"))
        choices.append(Choice(("goal", None), "A goal and its sub-goals…", "goal subtree"))
        choices += [
            Choice(("person", p.id), f"{p.name}  @{p.handle}", f"person {p.name} {p.handle} {p.team or ''}")
            for p in app.people
            if p.id != me.id
        ]

        def picked(value: tuple[str, int | None] | None) -> None:
            if value is None:
                return
            kind, ident = value
            if kind == "goal":
                self.app.push_screen(
                    PickerScreen("Show the tasks of which goal?", self._goal_choices()),
                    lambda goal: goal is not None and self.show_goal(goal),
                )
                return
            self.set_scope(kind, ident)

        self.app.push_screen(PickerScreen("Show tasks of…", choices), picked)

    def set_scope(self, kind: str, ident: int | None) -> None:
        app = self.okrate
        if kind == "mine":
            self.scope = data.BoardScope("mine", person_id=app.actor.id, label="my tasks")
        elif kind == "person":
            person = next(p for p in app.people if p.id == ident)
            self.scope = data.BoardScope("person", person_id=ident, label=f"@{person.handle}")
        elif kind == "team":
            team = next((name for tid, name in app.teams if tid == ident), "?")
            self.scope = data.BoardScope("team", team_id=ident, label=f"team: {team}")
        else:
            self.scope = data.BoardScope()
        self.load()

    def action_mine(self) -> None:
        self.set_scope("org" if self.scope.kind == "mine" else "mine", None)

    def action_next_view(self) -> None:
        self.view = "board" if self.view == "next" else "next"
        self.redraw()

    def action_fold_done(self) -> None:
        self.folded = not self.folded
        self.redraw()


class _negate:
    """Reverse a sort key, for the Done column (most recent first)."""

    __slots__ = ("key",)

    def __init__(self, key: tuple) -> None:
        self.key = key

    def __lt__(self, other: _negate) -> bool:
        return other.key < self.key
