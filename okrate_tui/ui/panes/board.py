"""The kanban task pane: cards in status columns, triaged from the keyboard.

A thin view: the :class:`BoardModel` holds columns of task ids, the filter, the selection
and undo; the session's :class:`CardSet` holds the cards. A change shows at once (laid
over the card until it is saved) and is then saved through the services; a refusal
shows the card as it is stored and says why, naming who changed it when someone did.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical

from okrate_tui.core import clock
from okrate_tui.core.errors import ConflictError, NotFoundError, OkrateError
from okrate_tui.core.parsing import parse_deadline
from okrate_tui.core.queries import board as data
from okrate_tui.core.queries.board import BoardScope
from okrate_tui.core.queries.details import task_detail
from okrate_tui.core.queries.scopes import SCOPE_KEY, scope_text
from okrate_tui.core.queries.task_history import history_lines
from okrate_tui.core.services import tasks as task_service
from okrate_tui.core.services.preferences import remember
from okrate_tui.core.services.undo import undo_op
from okrate_tui.core.validation import clean_title
from okrate_tui.core.vocab import TASK_STATUS_LABELS, TASK_STATUSES
from okrate_tui.core.writes import with_op
from okrate_tui.ui.clipboard import card_line, copy_text
from okrate_tui.ui.format import month_day, plural
from okrate_tui.ui.forms.fields import deadline_field, owner_field, priority_field
from okrate_tui.ui.forms.form import Field, FormScreen, Watch
from okrate_tui.ui.guard import Guarded, closed_refusal, guarded
from okrate_tui.ui.models.board import BoardModel, Edit
from okrate_tui.ui.palette import tone
from okrate_tui.ui.screens.confirm import ConfirmScreen
from okrate_tui.ui.screens.picker import Choice, PickerScreen
from okrate_tui.ui.store.cards import card_values
from okrate_tui.ui.store.changed import StoreChanged
from okrate_tui.ui.store.events import CardsChanged, CycleMoved, Event, PeopleChanged
from okrate_tui.ui.store.reader import read_board
from okrate_tui.ui.widgets.card_column import CardColumn
from okrate_tui.ui.widgets.filter_bar import FilterBar
from okrate_tui.ui.widgets.plain import Static

if TYPE_CHECKING:
    from okrate_tui.ui.app import OkrateApp

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
SERVICES: dict[str, Callable[..., Any]] = {
    "move": task_service.move_task,
    "reorder": task_service.reorder_task,
    "edit": task_service.edit_task,
    "delete": task_service.delete_task,
}


WRITE_ACTIONS = frozenset(
    {"move", "reorder", "new", "edit", "done", "priority", "owner", "deadline", "goal", "delete", "undo"}
)


class BoardPane(Guarded, Vertical):
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
        *guarded(
            Binding(
                "H,shift+left",
                "move(-1)",
                "Move ←",
                tooltip="Move the card to the previous column",
                id="board.move_left",
            )
        ),
        *guarded(
            Binding(
                "L,shift+right", "move(1)", "Move →", tooltip="Move the card to the next column", id="board.move_right"
            )
        ),
        *guarded(
            Binding(
                "K,shift+up",
                "reorder(-1)",
                "Up in column",
                tooltip="Move the card up in its column",
                show=False,
                id="board.move_up",
            )
        ),
        *guarded(
            Binding(
                "J,shift+down",
                "reorder(1)",
                "Down in column",
                tooltip="Move the card down in its column",
                show=False,
                id="board.move_down",
            )
        ),
        *guarded(
            Binding(
                "n", "new", "New", tooltip="Quick-add a task: title @owner !priority ^deadline #goal", id="board.new"
            )
        ),
        *guarded(Binding("e", "edit", "Edit", tooltip="Edit the task", show=False, id="board.edit")),
        *guarded(Binding("x", "done", "Done", tooltip="Mark done, or reopen", id="board.done")),
        *guarded(Binding("p", "priority", "Priority", tooltip="Cycle the priority", show=False, id="board.priority")),
        *guarded(Binding("o", "owner", "Owner", tooltip="Set the owner", show=False, id="board.owner")),
        *guarded(
            Binding(
                "D",
                "deadline",
                "Deadline",
                tooltip="Set the deadline (fri, +3d, 2026-12-01 …)",
                show=False,
                id="board.deadline",
            )
        ),
        *guarded(Binding("g", "goal", "Goal", tooltip="Change the goal the task serves", show=False, id="board.goal")),
        *guarded(
            Binding("d", "delete", "Delete", tooltip="Delete the task (asks first)", show=False, id="board.delete")
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
        Binding(
            "s", "scope", "Scope", tooltip="Show my tasks, my team, a person, a goal or everything", id="board.scope"
        ),
        Binding("m", "mine", "Mine", tooltip="Show only my tasks (again: everything)", show=False, id="board.mine"),
        Binding("N", "next_view", "Next", tooltip="What should I do next? (again: the board)", id="board.next"),
        Binding("y", "copy", "Copy", tooltip="Copy the task as a line of text", id="board.copy"),
        Binding(
            "z", "fold_done", "Fold done", tooltip="Fold or unfold the Done column", show=False, id="board.fold_done"
        ),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.model: BoardModel | None = None
        self.stale = True  # read the scope afresh when next shown
        self._narrow: bool | None = None
        self._versions: dict[int, int] = {}  # the version each card's next save expects (database thread)
        self._lines: dict[str, tuple] = {}
        self._stones: dict[int, tuple[int, str]] = {}  # milestone id -> (goal id, title), for pickers
        self._saving = 0  # changes shown and on their way to the database

    def refusal(self, action: str) -> str | None:
        """Tasks are open to everyone; nothing changes in a closed cycle."""
        return closed_refusal(self.okrate.session) if action in WRITE_ACTIONS else None

    @property
    def okrate(self) -> OkrateApp:
        return self.app  # type: ignore[return-value]

    @property
    def today(self) -> date:
        return clock.today()

    # --- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(classes="pane-head"):  # the filter opens beside the scope line: nothing below moves
            yield FilterBar(
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
        session = self.okrate.session
        self.model = BoardModel(
            session.cards,
            lambda: session.labels,
            clock.today,
            me=lambda: session.actor.handle if session.actor else None,
        )
        self.query_one("#next-view").display = False
        self.query_one("#cards-next", CardColumn).with_status = True
        for status in TASK_STATUSES:
            self.query_one(f"#cards-{status}", CardColumn).empty_text = "  reading the board…"
        self.app.theme_changed_signal.subscribe(self, self._recolour)

    def _recolour(self, _theme: object) -> None:
        """Another theme: draw the titles, scope and workload lines in its colours."""
        if self.model is not None:
            self.redraw()
            self._workload()

    def on_resize(self) -> None:
        narrow = self.size.width < 100
        if narrow != self._narrow and self.model is not None:
            self._narrow = narrow
            self.model.folded = narrow  # three columns get the room on small terminals; z unfolds
            self.redraw()
        self._workload()

    def focus_target(self) -> BoardPane:
        if self.stale:
            self.load()
        return self

    # --- the store -----------------------------------------------------------------

    def on_store_changed(self, message: StoreChanged) -> None:
        self._heard(message.event)

    def _heard(self, event: Event) -> None:
        model = self.model
        if model is None:
            return
        if isinstance(event, CardsChanged):
            if event.whole:
                model.rebuild(model.current())
                self.redraw()
                self._workload()
                return
            touched = model.take(event.changed, event.removed, follow=False, elsewhere=not event.local)
            self.redraw(touched or None if model.view == "board" else None)
            self._workload()
        elif isinstance(event, CycleMoved):
            self.stale = True
            if self._showing():
                self.load()
        elif isinstance(event, PeopleChanged):
            self.redraw()
            self._workload()

    def _showing(self) -> bool:
        return self.display and self.is_mounted and self.screen.query_one("#panes").current == "board"

    # --- loading ------------------------------------------------------------------

    def show_goal(self, goal_id: int) -> None:
        """Open on one goal's subtree (from the goal tree)."""
        session = self.okrate.session
        title = session.labels.goal_titles.get(goal_id)
        if title is None and session.tree is not None and goal_id in session.tree:
            title = session.tree.line(goal_id).title
        if self.model is not None:
            self.model.view = "board"
        self.choose(BoardScope("goal", goal_id=goal_id, label=f"goal: {title or goal_id}"))

    def choose(self, scope: BoardScope) -> None:
        """Show a scope the person picked; their next session opens on it too."""
        self.load(scope)
        self._remember(scope_text(scope))

    @work(group="board-remember")
    async def _remember(self, value: str) -> None:
        app = self.okrate
        with contextlib.suppress(OkrateError):  # only a convenience: never worth a message
            await app.db.write(remember, app.session.actor, SCOPE_KEY, value)

    def load(self, scope: BoardScope | None = None, focus_task: int | None = None) -> None:
        """Read a scope whole (the current one when none is given)."""
        self.stale = False
        self._load(scope or self.okrate.session.cards.scope, focus_task)

    @work(exclusive=True, group="board-load")
    async def _load(self, scope: BoardScope, focus_task: int | None) -> None:
        app = self.okrate
        session = app.session
        if session.cycle is None or session.actor is None or self.model is None:
            return
        try:
            refresh = await app.db.read(read_board, scope, session.cycle.id, session.actor.id, self.today)
        except OkrateError as exc:
            self.stale = True
            self.notify(str(exc), title="The board was not read", severity="error", timeout=10)
            return
        keep = focus_task if focus_task is not None else self.model.current()
        session.apply(refresh)  # → CardsChanged(whole=True) → rebuilt and drawn
        if keep is not None:
            self.model.select(keep)
            self.redraw()

    # --- drawing ------------------------------------------------------------------

    def redraw(self, only: set[str] | None = None) -> None:
        """Draw the columns (``only`` some of them, when the rest did not change)."""
        model = self.model
        if model is None:
            return
        session = self.okrate.session
        board = model.view == "board"
        self.query_one("#board-columns").display = board
        self.query_one("#next-view").display = not board
        labels, today = session.labels, self.today
        if board:
            for col, status in enumerate(TASK_STATUSES):
                if only is not None and status not in only:
                    continue
                cards = model.column_cards(status)
                folded = status == "done" and model.folded
                box = self.query_one(f"#col-{status}")
                if box.has_class("folded") != folded:
                    box.set_class(folded, "folded")
                title = f"{TASK_STATUS_LABELS[status]} {len(cards):,}"
                if status == "done" and not folded and self.size.width >= 120:
                    title += "  recent first"
                style = "bold reverse" if col == model.col else "bold"
                self._put(f"#title-{status}", Text(f" {title} ", style=style))
                column = self.query_one(f"#cards-{status}", CardColumn)
                if session.cards.loaded:
                    column.empty_text = " z unfolds" if folded else "  nothing here"
                column.show([] if folded else cards, labels, today, model.selected_row(status))
        else:
            cards = model.next_cards()
            handle = session.actor.handle if session.actor else "?"
            title = f"Next for @{handle}: overdue first, then priority, then deadline"
            self._put("#title-next", Text(title, style="bold"))
            self.query_one("#cards-next", CardColumn).show(cards, labels, today, model.next_row if cards else None)
        self._scope_line()

    def _scope_line(self) -> None:
        model = self.model
        if model is None:
            return
        session = self.okrate.session
        text = Text()
        if model.view == "next":
            text.append("Next", style="bold")
            text.append(f" · your open tasks in {session.cycle_name} · N returns to the board")
        else:
            text.append("Board", style="bold")
            shown, total = model.counts()
            if not session.cards.loaded:
                text.append(f" · {session.cards.scope.label} · reading…", style=tone("muted"))
            elif not model.wanted.empty:  # beside the filter line: what it found comes first
                text.append(f" · {shown:,} of {total:,}", style="bold")
                text.append(f" · filter: {model.wanted.describe()}", style=tone("urgent"))
                text.append(f" · {session.cards.scope.label} · esc clears", style=tone("muted"))
            else:
                text.append(f" · {session.cards.scope.label}")
                text.append(f" · {plural(total, 'task')}", style=tone("muted"))
            for problem in model.wanted.problems:
                text.append(f"  ✗ {problem}", style=tone("error"))
        if undoable := len(model.undo) + self._saving:
            text.append(f" · u undoes ({undoable})", style=tone("muted"))
        self._put("#board-scope", text)

    def _workload(self) -> None:
        if self.model is None or not self.is_mounted:
            return
        labels = self.okrate.session.labels
        rows = self.model.workload()
        text = Text("workload ", style="bold")
        width = max((self.size.width or self.app.size.width) - 20, 20)
        for shown, (owner, open_count, late) in enumerate(rows):
            name = f"@{labels.handles.get(owner, '?')}" if owner is not None else "nobody"
            piece = Text(f"{name} {open_count}")
            if late:
                piece.append(f"/{late}!", style=tone("error"))
            piece.append("  ")
            if text.cell_len + piece.cell_len > width:
                text.append(f"+{len(rows) - shown} more", style=tone("muted"))
                break
            text.append_text(piece)
        if not rows:
            text.append("no open tasks in this scope", style=tone("muted"))
        self._put("#workload", text)

    def _put(self, selector: str, text: Text) -> None:
        """Update a line only when what it says changed (a repaint costs bytes and time)."""
        key = (text.plain, str(text.style), tuple(text.spans))
        if self._lines.get(selector) != key:
            self._lines[selector] = key
            self.query_one(selector, Static).update(text, layout=False)

    def _selected(self) -> int | None:
        """The selected card's id, or a word to the person when there is none, or when
        someone else's change just took the card they had selected away: the key was
        meant for that one, not for the card the selection landed on."""
        model = self.model
        task_id = model.current() if model is not None else None
        if task_id is None or model is None or model.card(task_id) is None:
            self.notify("No task selected.", severity="warning")
            return None
        if model.moved_from is not None and model.moved_from != task_id:
            self.notify(self._moved_sentence(model.moved_from, task_id), title="Nothing done", severity="warning")
            model.moved_from = None
            return None
        return task_id

    def _moved_sentence(self, was: int, now: int) -> str:
        session = self.okrate.session
        card = session.cards.get(was)
        if card is None:
            happened = session.gone_sentence("task", was, "task").rstrip(".")
            what = f"The task you had selected is gone ({happened[0].lower()}{happened[1:]})"
        else:
            where = TASK_STATUS_LABELS.get(card.status, card.status)
            what = f"“{card.title}” was changed by someone else and is now in {where}"
        return f"{what}; the selection is on “{self._title(now)}”. Press the key again to act on it."

    # --- moving around ------------------------------------------------------------

    def action_column(self, step: int) -> None:
        if self.model is not None:
            touched = self.model.step_column(step)
            if touched:
                self.redraw(touched)

    def action_row(self, step: int) -> None:
        model = self.model
        if model is None or not model.step_row(step):
            return
        if model.view == "next":
            self.query_one("#cards-next", CardColumn).select(model.next_row)
        else:
            status = TASK_STATUSES[model.col]
            self.query_one(f"#cards-{status}", CardColumn).select(model.rows[status])

    # --- changing cards -----------------------------------------------------------

    def apply(self, edit: Edit | str | None) -> None:
        """Show a planned change at once, then save it."""
        if isinstance(edit, str):
            self.notify(edit, severity="warning")
            return
        if edit is None or self.model is None:
            return
        cards = self.okrate.session.cards
        card = cards.get(edit.task_id)
        layer = cards.begin(edit.task_id, edit.changes) if card is not None else None
        if card is None or layer is None:
            self.notify(self.okrate.session.gone_sentence("task", edit.task_id, "task"), severity="warning")
            return
        self._saving += 1  # counted in "u undoes (n)" now, so the save repaints nothing more
        self.redraw(self.model.place(edit.task_id, follow=True) | {TASK_STATUSES[self.model.col]})
        seen = card.version if edit.seen is None else edit.seen
        self.call_after_refresh(self._save, edit, layer, seen)  # shown first, then saved

    @work(group="board-save")
    async def _save(self, edit: Edit, layer: Any, version: int) -> None:
        app = self.okrate
        session = app.session
        cards = session.cards
        service = SERVICES[edit.service]
        actor = session.actor
        versions = self._versions

        def run() -> tuple[Any, str | None]:
            # one save after another on the database thread: each expects the version the
            # one before it left, so quick successive changes of one card never clash
            # the newest this session has seen; a picker's choice, the version it was made on
            expected = version if edit.seen is not None else max(versions.get(edit.task_id, 0), version)
            result, op = with_op(service, actor, edit.task_id, expected, **edit.args)
            if result is not None and hasattr(result, "version"):
                versions[edit.task_id] = result.version
            return result, op

        try:
            result, op = await app.db.write(run)
        except OkrateError as exc:
            self._saving -= 1
            self._versions.pop(edit.task_id, None)
            await self._refused(edit, layer, exc)
            return
        self._saving -= 1
        if op:
            session.own_ops.add(op)
            self.model.undo.push(op, edit.what, edit.task_id)  # type: ignore[union-attr]
        saved = card_values(result) if edit.service != "delete" and result is not None else None
        cards.settle(edit.task_id, layer, saved)
        if edit.service != "delete":
            self.redraw(self.model.place(edit.task_id, follow=False))  # type: ignore[union-attr]
        if self.model is not None and self.model.view == "next":
            cards.rank(self.today)
            self.redraw()
        self._workload()

    async def _refused(self, edit: Edit, layer: Any, exc: OkrateError) -> None:
        app = self.okrate
        session = app.session
        try:
            stored = await app.db.read(data.load_card, edit.task_id)
        except OkrateError:
            stored = None if isinstance(exc, NotFoundError) else session.cards.get(edit.task_id)
            if stored is not None:
                stored = _with(stored, layer.before)
        session.cards.revert(edit.task_id, layer, stored)
        if stored is not None:  # shown as stored: back on the board if it left it (a refused delete)
            session.cards.take({edit.task_id: stored}, session.member(), session.actor.id, self.today)
        if self.model is not None:
            self.redraw(self.model.place(edit.task_id, follow=False) | {TASK_STATUSES[self.model.col]})
        self._workload()
        self.notify(self._explain(exc, edit.task_id), title=f"Not saved: {edit.what}", severity="error", timeout=10)

    def _explain(self, exc: OkrateError, task_id: int) -> str:
        session = self.okrate.session
        if isinstance(exc, NotFoundError):
            return session.gone_sentence("task", task_id, "task")
        if isinstance(exc, ConflictError):
            touch = session.who_changed("task", task_id)
            who = touch.who() if touch is not None and not touch.local else "someone else"
            fields = ", ".join(f for f in exc.fields if not f.startswith("@"))
            return f"It was changed by {who} meanwhile ({fields}); the card shows what is stored now."
        return str(exc)

    # --- actions ------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        task_id = self._selected()
        if task_id is not None:
            self.apply(self.model.plan_step(task_id, step, clock.now()))  # type: ignore[union-attr]

    def action_done(self) -> None:
        task_id = self._selected()
        if task_id is not None:
            self.apply(self.model.plan_done(task_id, clock.now()))  # type: ignore[union-attr]

    def action_reorder(self, step: int) -> None:
        task_id = self._selected()
        if task_id is not None:
            self.apply(self.model.plan_reorder(task_id, step))  # type: ignore[union-attr]

    def action_priority(self) -> None:
        task_id = self._selected()
        if task_id is not None:
            self.apply(self.model.plan_priority(task_id))  # type: ignore[union-attr]

    def _title(self, task_id: int) -> str:
        card = self.okrate.session.cards.get(task_id)
        return card.title if card is not None else f"task {task_id}"

    def _still(self, task_id: int) -> bool:
        """Is the task still there (a picker or form may have stood open for a while)?"""
        if self.okrate.session.cards.get(task_id) is not None:
            return True
        self.notify(self.okrate.session.gone_sentence("task", task_id, "task"), severity="warning")
        return False

    def action_owner(self) -> None:
        task_id = self._selected()
        if task_id is None:
            return
        session = self.okrate.session
        card = session.cards.get(task_id)
        choices = [Choice("", "nobody", "nobody none unowned")] + [
            Choice(
                p.handle,
                f"{p.name}  @{p.handle}{' · ' + p.team if p.team else ''}",
                f"{p.name} {p.handle} {p.team or ''}",
            )
            for p in session.active_people()
        ]
        current = session.handle(card.owner_id) or "" if card else ""
        seen = card.version if card else None

        def picked(handle: str | None) -> None:
            if handle is None or not self._still(task_id):
                return
            person = session.by_handle(handle) if handle else None
            what = f"set the owner of “{self._title(task_id)}” to {'@' + handle if handle else 'nobody'}"
            owner = person.id if person else None
            self.apply(self.model.plan_field(task_id, "owner", owner, what, handle or None, seen=seen))  # type: ignore[union-attr]

        self.app.push_screen(PickerScreen(f"Owner of “{self._title(task_id)}”", choices, initial=current), picked)

    def action_deadline(self) -> None:
        task_id = self._selected()
        if task_id is None:
            return
        card = self.okrate.session.cards.get(task_id)
        seen = card.version if card else None
        today = self.today
        fields = [deadline_field(card.deadline.isoformat() if card and card.deadline else "", today, explain=True)]

        async def submit(values: dict[str, str]) -> date | bool:
            return parse_deadline(values["deadline"], today) or False

        def chosen(value: date | bool | None) -> None:
            if value is None or not self._still(task_id):
                return
            deadline = value or None
            when = month_day(deadline, weekday=True) if deadline else "none"
            what = f"set the deadline of “{self._title(task_id)}” to {when}"
            self.apply(self.model.plan_field(task_id, "deadline", deadline, what, seen=seen))  # type: ignore[union-attr]

        self.app.push_screen(FormScreen(f"Deadline of “{self._title(task_id)}”", fields, submit), chosen)

    def _goal_choices(self) -> list[Choice]:
        labels = self.okrate.session.labels
        return [
            Choice(gid, labels.breadcrumb(gid), labels.breadcrumb(gid))
            for gid in sorted(labels.goal_titles)
            if gid not in labels.archived
        ]

    def _goal_milestone_choices(self) -> list[Choice]:
        """Each goal, then its milestones as ``Goal › Milestone``: values (goal, milestone)."""
        labels = self.okrate.session.labels
        by_goal: dict[int, list[tuple[int, str]]] = {}
        for mid, (gid, title) in self._stones.items():
            by_goal.setdefault(gid, []).append((mid, title))
        choices = []
        for gid in sorted(labels.goal_titles):
            if gid in labels.archived:
                continue
            crumb = labels.breadcrumb(gid)
            choices.append(Choice((gid, None), crumb, crumb))
            for mid, title in by_goal.get(gid, []):
                label = f"{labels.goal_titles[gid]} › {title}"
                choices.append(Choice((gid, mid), f"  {label}", f"{crumb} {title} milestone"))
        return choices

    def action_goal(self) -> None:
        self._pick_goal()

    @work(group="ask-goal")
    async def _pick_goal(self) -> None:
        task_id = self._selected()
        if task_id is None:
            return
        app = self.okrate
        card = app.session.cards.get(task_id)
        seen = card.version if card else None
        await self._read_stones()
        initial = (card.goal_id, card.milestone_id) if card else None
        picked = await app.push_screen_wait(
            PickerScreen(
                f"Goal or milestone for “{self._title(task_id)}”",
                self._goal_milestone_choices(),
                initial=initial,
            )
        )
        if picked is None or not self._still(task_id):
            return
        goal, milestone = picked
        title = app.session.labels.goal_titles.get(goal, goal)
        where = f"the milestone “{self._stones[milestone][1]}”" if milestone else f"the goal “{title}”"
        what = f"move “{self._title(task_id)}” to {where}"
        self.apply(self.model.plan_goal(task_id, goal, milestone, what, seen=seen))  # type: ignore[union-attr]

    async def _read_stones(self) -> None:
        """The cycle's milestones (id -> goal, title), for the pickers."""
        session = self.okrate.session
        if session.cycle is None:
            return
        try:
            found = await self.okrate.db.read(data.milestone_titles, session.cycle.id)
        except OkrateError:
            return
        self._stones = {mid: (gid, title) for mid, gid, title in found}

    def action_delete(self) -> None:
        task_id = self._selected()
        if task_id is None:
            return

        def answer(yes: bool | None) -> None:
            if not yes or not self._still(task_id):
                return
            self._delete(task_id)

        self.app.push_screen(
            ConfirmScreen(f"Delete “{self._title(task_id)}”?", "u brings it back.", watch=("task", task_id)), answer
        )

    def _delete(self, task_id: int) -> None:
        session = self.okrate.session
        card = session.cards.get(task_id)
        if card is None or self.model is None:
            return
        edit = Edit(task_id, {}, f"delete “{card.title}”", "delete")
        self._saving += 1  # counted in "u undoes (n)" now, as every change on its way is
        layer = session.cards.begin(task_id, {})
        session.cards.forget(task_id)
        touched = self.model.take(set(), {task_id}, follow=False)
        self.redraw(touched | {TASK_STATUSES[self.model.col]})
        self._workload()
        self.call_after_refresh(self._save, edit, layer, card.version)  # shown first, then saved

    def action_edit(self) -> None:
        task_id = self._selected()
        if task_id is not None:
            self._edit(task_id)

    def edit_task(self, task_id: int) -> None:
        """The task's edit form (from another pane)."""
        self._edit(task_id)

    def open_task(self, task_id: int) -> None:
        """Everything about the task, with its history (from another pane)."""
        self._detail(task_id)

    @work(group="ask-edit")
    async def _edit(self, task_id: int) -> None:
        app = self.okrate
        session = app.session
        today = self.today

        def values_of(detail: Any) -> dict[str, str]:
            return {
                "title": detail.title,
                "objective": detail.objective,
                "context": detail.context,
                "owner": detail.owner or "",
                "priority": detail.priority or "",
                "deadline": detail.deadline.isoformat() if detail.deadline else "",
            }

        try:
            detail = await app.db.read(task_detail, task_id)
        except OkrateError:
            self.notify(session.gone_sentence("task", task_id, "task"), severity="warning")
            return
        initial = values_of(detail)

        async def reread() -> tuple[dict[str, str], int | None]:
            fresh = await app.db.read(task_detail, task_id)
            return values_of(fresh), fresh.version

        watch = Watch("task", task_id, detail.version, reread, noun="task")
        fields = [
            Field("title", "Task", initial["title"], required=True, check=clean_title),
            Field("objective", "Objective", initial["objective"], kind="area", help="what done looks like"),
            Field("context", "Context", initial["context"], kind="area"),
            owner_field(initial["owner"], session.active_people()),
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
            return await app.db.write(with_op, task_service.edit_task, session.actor, task_id, watch.version, **changes)

        saved = await app.push_screen_wait(FormScreen(f"Edit task {task_id}", fields, submit, watch=watch))
        if isinstance(saved, tuple):
            record, op = saved
            if op and self.model is not None:
                session.own_ops.add(op)
                self.model.undo.push(op, f"edit “{record.title}”", task_id)
            fresh = await app.db.read(data.cards_by_id, {task_id}, session.cycle.id)
            changed, removed = session.cards.take(fresh, session.member(), session.actor.id, today)
            if self.model is not None:
                self.redraw(self.model.take(changed, removed, follow=True) or None)
                self._scope_line()

    def action_new(self) -> None:
        self._new()

    @work(group="ask-new")
    async def _new(self) -> None:
        from okrate_tui.ui.screens.quick_add import QuickAddScreen

        app = self.okrate
        session = app.session
        labels = session.labels
        scope = session.cards.scope
        goals = [(gid, title) for gid, title in labels.goal_titles.items() if gid not in labels.archived]
        scope_goal = scope.goal_id if scope.kind == "goal" else None
        try:
            milestones = await app.db.read(data.milestone_titles, session.cycle.id)
        except OkrateError as exc:  # the database went away: say so, open nothing
            self.notify(str(exc), title="Not added", severity="error", timeout=10)
            return
        reading = await app.push_screen_wait(
            QuickAddScreen(
                self.today,
                [p.handle for p in session.active_people()],
                goals,
                labels.goal_titles.get(scope_goal) if scope_goal else None,
                milestones=milestones,
                me=session.actor.handle if session.actor else None,
            )
        )
        if reading is None:
            return
        goal = reading.goal_id or scope_goal
        milestone = reading.milestone_id
        if goal is None:
            self._stones = {mid: (gid, title) for mid, gid, title in milestones}
            picked = await app.push_screen_wait(
                PickerScreen(f"Which goal (or milestone) does “{reading.title}” serve?", self._goal_milestone_choices())
            )
            if picked is None:
                self.notify("Not added: a task always serves a goal.", severity="warning")
                return
            goal, milestone = picked
        owner = reading.owner
        if owner is None and not reading.owner_given and scope.kind in ("mine", "person"):
            owner = session.handle(scope.person_id)
        if owner is None and app.config.quick_add_owner == "me" and session.actor is not None:
            owner = session.actor.handle
        try:
            task, op = await app.db.write(
                with_op,
                task_service.create_task,
                session.actor,
                reading.title,
                goal=goal,
                milestone=milestone,
                owner=owner,
                priority=reading.priority,
                deadline=reading.deadline,
            )
        except OkrateError as exc:
            self.notify(str(exc), title="Not added", severity="error", timeout=10)
            return
        if op and self.model is not None:
            session.own_ops.add(op)
            self.model.undo.push(op, f"add “{task.title}”", task.id)
        try:
            fresh = await app.db.read(data.cards_by_id, {task.id}, session.cycle.id)
        except OkrateError as exc:  # saved, but not read back: it shows once the database is back
            self.notify(f"Added “{task.title}”; it shows once the board can be read again ({exc}).", timeout=10)
            return
        changed, _ = session.cards.take(fresh, session.member(), session.actor.id, self.today)
        if task.id not in session.cards.in_scope:
            self.notify(f"Added “{task.title}” (outside this scope: s changes scope).")
        if self.model is not None:
            was = TASK_STATUSES[self.model.col]  # the selection leaves this column's card
            self.redraw(self.model.take(changed, set(), follow=True) | {was})
            self._workload()

    def action_undo(self) -> None:
        self._undo()

    @work(group="board-save")
    async def _undo(self) -> None:
        app = self.okrate
        model = self.model
        if model is None:
            return
        await app.db.read(lambda: None)  # let saves already on their way land (and be undoable) first
        entry = model.undo.pop()
        if entry is None:
            self.notify("Nothing to undo.")
            return
        op, what, task_id = entry
        try:
            await app.db.write(undo_op, app.session.actor, op)
        except OkrateError as exc:
            self.notify(self._explain_undo(exc), title=f"Cannot undo: {what}", severity="error", timeout=10)
            self._scope_line()
            return
        self.notify(f"Undone: {what}")
        await app.refresh_now()
        if task_id is not None and model.select(task_id):  # the selection goes to the card it changed
            self.redraw()
        self._scope_line()

    def _explain_undo(self, exc: OkrateError) -> str:
        if isinstance(exc, ConflictError):
            return f"{exc.plain()}: undoing would overwrite it."
        return str(exc)

    def action_detail(self) -> None:
        task_id = self._selected()
        if task_id is not None:
            self._detail(task_id)

    @work(group="ask-detail")
    async def _detail(self, task_id: int) -> None:
        app = self.okrate
        session = app.session
        try:
            detail, changes = await app.db.read(lambda: (task_detail(task_id), history_lines(task_id)))
        except NotFoundError:
            self.notify(session.gone_sentence("task", task_id, "task"), severity="warning")
            return
        except OkrateError as exc:
            self.notify(str(exc), severity="error")
            return
        from okrate_tui.ui.screens.task_detail import TaskDetailScreen

        choice = await app.push_screen_wait(TaskDetailScreen(detail, changes))
        if choice == "edit":
            self._edit(task_id)

    # --- filters, scopes, views ---------------------------------------------------

    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    @on(CardColumn.Clicked)
    def _card_clicked(self, event: CardColumn.Clicked) -> None:
        """A click selects the card, a double click opens it (as enter does)."""
        event.stop()
        model = self.model
        if model is None or not model.select(event.task_id):
            return
        self.redraw()
        if event.opened:
            self.action_detail()

    @on(FilterBar.Typed, "#board-filter")
    def _filter_typed(self, event: FilterBar.Typed) -> None:
        if self.model is not None:
            self.model.set_filter(event.text)
            self.redraw()

    @on(FilterBar.Done, "#board-filter")
    def _filter_done(self, event: FilterBar.Done) -> None:
        event.bar.give_back(self)

    def action_clear_filter(self) -> None:
        bar = self.query_one(FilterBar)
        model = self.model
        if model is None or (not model.filter_text and not bar.display):
            return
        bar.close()
        bar.give_back(self)
        model.set_filter("")
        self.redraw()

    def action_filter_menu(self) -> None:
        choices = [Choice(token, f"{label}   {token}", f"{label} {token}") for token, label in FILTER_PRESETS]
        choices += [
            Choice(f"@{p.handle}", f"Owner: {p.name}   @{p.handle}", f"owner {p.name} {p.handle}")
            for p in self.okrate.session.active_people()
        ]

        def picked(token: str | None) -> None:
            if token:
                self.query_one(FilterBar).add(token)

        self.app.push_screen(PickerScreen("Add a filter", choices), picked)

    def action_scope(self) -> None:
        session = self.okrate.session
        me = session.actor
        if me is None:
            return
        team = session.team_name(me.team_id)
        choices = [Choice(("mine", me.id), "My tasks", "mine my tasks")]
        if me.team_id is not None:
            choices.append(Choice(("team", me.team_id), f"My team: {team}", f"my team {team}"))
        choices += [
            Choice(("team", tid), f"Team: {name}", f"team {name}")
            for tid, name in sorted(session.teams.items(), key=lambda t: t[1])
            if tid != me.team_id
        ]
        choices.append(Choice(("org", None), "Whole organisation", "whole organisation all everything"))
        choices.append(Choice(("goal", None), "A goal and its sub-goals…", "goal subtree"))
        choices += [
            Choice(("person", p.id), f"{p.name}  @{p.handle}", f"person {p.name} {p.handle} {p.team or ''}")
            for p in session.active_people()
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
        session = self.okrate.session
        me = session.actor
        if kind == "mine" and me is not None:
            scope = BoardScope("mine", person_id=me.id, label="my tasks")
        elif kind == "person":
            handle = session.handle(ident) or "?"
            scope = BoardScope("person", person_id=ident, label=f"@{handle}")
        elif kind == "team":
            scope = BoardScope("team", team_id=ident, label=f"team: {session.team_name(ident) or '?'}")
        else:
            scope = BoardScope()
        self.choose(scope)

    def action_mine(self) -> None:
        self.set_scope("org" if self.okrate.session.cards.scope.kind == "mine" else "mine", None)

    def action_next_view(self) -> None:
        if self.model is not None:
            self.model.toggle_view()
            self.redraw()

    def action_copy(self) -> None:
        task_id = self._selected()
        card = self.okrate.session.cards.get(task_id) if task_id is not None else None
        if card is not None:
            copy_text(self.app, card_line(card, self.okrate.session.labels))

    def action_fold_done(self) -> None:
        if self.model is not None:
            self.model.folded = not self.model.folded
            self.redraw()


def _with(card: data.Card, values: dict[str, Any]) -> data.Card:
    """A copy of ``card`` with ``values`` (how it stood before a refused change)."""
    copy = data.Card(**{name: getattr(card, name) for name in data.Card.__slots__ if name != "search"})
    for name, value in values.items():
        setattr(copy, name, value)
    return copy
