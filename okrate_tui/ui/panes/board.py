"""The kanban task pane: cards in status columns, triaged from the keyboard.

A thin view: the :class:`BoardModel` holds columns of task ids, the filter, the selection
and undo; the session's :class:`CardSet` holds the cards; the :class:`BoardEditor` shows
a change at once, saves it and explains a refusal. The pane draws what they hold and
turns keys into their calls; its questions (pickers and forms) are in ``board_asks``.
Whatever a worker of the pane answers (an :class:`Outcome`) is drawn in one place.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher
from textual.worker import Worker, WorkerState

from okrate_tui.core import clock
from okrate_tui.core.queries.board import BoardScope
from okrate_tui.core.rules.ranking import ORDER
from okrate_tui.core.vocab import TASK_STATUS_LABELS, TASK_STATUSES
from okrate_tui.ui.clipboard import card_line, copy_text
from okrate_tui.ui.controllers.board_editor import BoardEditor
from okrate_tui.ui.controllers.outcome import Notice, Outcome
from okrate_tui.ui.guard import Guarded, closed_refusal
from okrate_tui.ui.host import Host
from okrate_tui.ui.models.board import BoardModel
from okrate_tui.ui.models.edits import BoardView, Change, Edit
from okrate_tui.ui.panes import board_asks as asks
from okrate_tui.ui.panes.board_choices import filter_choices, goal_choices, scope_choices, scope_for
from okrate_tui.ui.panes.board_keys import BOARD_BINDINGS, WRITE_ACTIONS
from okrate_tui.ui.screens.picker import PickerScreen
from okrate_tui.ui.store.changed import StoreChanged
from okrate_tui.ui.store.events import CardsChanged, CycleMoved, PeopleChanged
from okrate_tui.ui.widgets.board_lines import Line, ScopeLine, WorkloadLine
from okrate_tui.ui.widgets.card_column import CardColumn
from okrate_tui.ui.widgets.filter_bar import FilterBar


class BoardPane(Guarded, Vertical):
    """Columns To do, Doing, Blocked and Done; or the ranked Next list."""

    can_focus = True
    BINDINGS: ClassVar[list[BindingType]] = BOARD_BINDINGS
    okrate = getters.app(Host)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        session = self.okrate.session
        self.model = BoardModel(
            session.cards,
            lambda: session.labels,
            clock.today,
            me=lambda: session.actor.handle if session.actor else None,
        )
        self.editor = BoardEditor(session, self.okrate.db, self.model, self.okrate.refresh_now)
        self.stale = True  # read the scope afresh when next shown
        self._narrow: bool | None = None

    def refusal(self, action: str) -> str | None:
        """Tasks are open to everyone; nothing changes in a closed cycle."""
        return closed_refusal(self.okrate.session) if action in WRITE_ACTIONS else None

    # --- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(classes="pane-head"):  # the filter opens beside the scope line: nothing below moves
            yield FilterBar(
                placeholder="filter: words  @owner  !priority  ^overdue ^week ^none  ?owner ?deadline "
                "?priority ?any   (esc clears)",
                id="board-filter",
            )
            yield ScopeLine(id="board-scope")
        with Horizontal(id="board-columns"):
            for status in TASK_STATUSES:
                with Vertical(classes="board-column", id=f"col-{status}"):
                    yield Line(classes="column-title", id=f"title-{status}")
                    yield CardColumn(id=f"cards-{status}", empty_text="  reading the board…")
        with Vertical(id="next-view"):
            yield Line(classes="column-title", id="title-next")
            yield CardColumn(id="cards-next", empty_text="  nothing open: enjoy the quiet")
        yield WorkloadLine(id="workload")

    def on_mount(self) -> None:
        self.query_one("#next-view").display = False
        self.query_one("#cards-next", CardColumn).with_status = True
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.redraw(workload=True))

    def on_resize(self) -> None:
        narrow = self.size.width < 100
        if narrow != self._narrow:
            self._narrow = narrow
            self.model.folded = narrow  # three columns get the room on small terminals; z unfolds
        self.redraw(workload=True)

    def focus_target(self) -> BoardPane:
        if self.stale:
            self.load()
        return self

    # --- the store and reading ------------------------------------------------------

    def on_store_changed(self, message: StoreChanged) -> None:
        """Cards, the cycle or the people changed (here, elsewhere, or the board was read)."""
        event, model = message.event, self.model
        if isinstance(event, CardsChanged):
            if event.whole:
                model.rebuild(model.current())
                self.redraw(workload=True)
            else:
                touched = model.take(event.changed, event.removed, follow=False, elsewhere=not event.local)
                self.redraw(touched or None if model.view is BoardView.BOARD else None, workload=True)
        elif isinstance(event, CycleMoved):
            self.stale = True
            if self.display and self.is_mounted and self.screen.query_one("#panes", ContentSwitcher).current == "board":
                self.load()
        elif isinstance(event, PeopleChanged):
            self.redraw(workload=True)

    def show_goal(self, goal_id: int) -> None:
        """Open on one goal's subtree (from the goal tree)."""
        self.model.view = BoardView.BOARD
        self.choose(scope_for(self.okrate.session, "goal", goal_id))

    def choose(self, scope: BoardScope) -> None:
        """Show a scope the person picked; their next session opens on it too."""
        self.load(scope)
        self.run_worker(self.editor.remember_scope(scope), group="board-remember")

    def load(self, scope: BoardScope | None = None, focus_task: int | None = None) -> None:
        """Read a scope whole (the current one when none is given)."""
        self.stale = False
        self._load(scope or self.okrate.session.cards.scope, focus_task)

    @work(exclusive=True, group="board-load")
    async def _load(self, scope: BoardScope, focus_task: int | None) -> Outcome:
        problem = await self.editor.read(scope, focus_task)  # → CardsChanged(whole=True) → rebuilt, drawn
        self.stale = problem is not None
        return Outcome(None, problem)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """What a worker of the pane answered (a save, an undo, a form) is drawn here."""
        outcome = event.worker.result if event.state is WorkerState.SUCCESS else None
        if not isinstance(outcome, Outcome):
            return
        touched = outcome.touched
        if outcome.select is not None and self.model.select(outcome.select):
            touched = None  # the selection went to the card it changed
        self.redraw(touched, workload=True)
        if outcome.notice is not None:
            outcome.notice.tell(self)

    # --- drawing ------------------------------------------------------------------

    def redraw(self, only: set[str] | None = None, *, workload: bool = False) -> None:
        """Draw the columns (``only`` some of them, when the rest did not change), the
        scope line, and the workload strip when asked (what it counts changed)."""
        model, session = self.model, self.okrate.session
        board = model.view is BoardView.BOARD
        self.query_one("#board-columns").display = board
        self.query_one("#next-view").display = not board
        labels, today = session.labels, clock.today()
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
                self.query_one(f"#title-{status}", Line).say(Text(f" {title} ", style=style))
                column = self.query_one(f"#cards-{status}", CardColumn)
                if session.cards.loaded:
                    column.empty_text = " z unfolds" if folded else "  nothing here"
                column.show([] if folded else cards, labels, today, model.selected_row(status))
        else:
            ranked = model.next_cards()
            handle = session.actor.handle if session.actor else "?"
            title = f"Next for @{handle}: {ORDER}"
            self.query_one("#title-next", Line).say(Text(title, style="bold"))
            self.query_one("#cards-next", CardColumn).show(ranked, labels, today, model.next_row if ranked else None)
        scope, loaded = session.cards.scope.label, session.cards.loaded
        self.query_one(ScopeLine).show(model, scope, loaded, session.cycle_name, self.editor.undoable)
        if workload and self.is_mounted:
            width = max((self.size.width or self.app.size.width) - 20, 20)
            self.query_one(WorkloadLine).show(model.workload(), labels, loaded, width)

    def _selected(self) -> int | None:
        """The selected card's id, or a word to the person when there is none, or when
        someone else's change just took the card they had selected away: the key was
        meant for that one, not for the card the selection landed on."""
        model = self.model
        task_id = model.current()
        if task_id is None or model.card(task_id) is None:
            self.notify("No task selected.", severity="warning")
            return None
        if model.moved_from is not None and model.moved_from != task_id:
            self.notify(self.editor.moved_sentence(model.moved_from, task_id), title="Nothing done", severity="warning")
            model.moved_from = None
            return None
        return task_id

    # --- moving around ------------------------------------------------------------

    def action_column(self, step: int) -> None:
        if touched := self.model.step_column(step):
            self.redraw(touched)

    def action_row(self, step: int) -> None:
        model = self.model
        if not model.step_row(step):
            return
        if model.view is BoardView.NEXT:
            self.query_one("#cards-next", CardColumn).select(model.next_row)
        else:
            status = TASK_STATUSES[model.col]
            self.query_one(f"#cards-{status}", CardColumn).select(model.rows[status])

    # --- changing cards -----------------------------------------------------------

    def apply(self, edit: Edit | Notice | str | None) -> None:
        """Show a planned change at once, then save it."""
        if isinstance(edit, str):
            edit = Notice(edit, severity="warning")
        if isinstance(edit, Notice):
            edit.tell(self)
            return
        if edit is None:
            return
        editor = self.editor
        shown = editor.show_delete(edit.task_id) if edit.service is Change.DELETE else editor.show(edit)
        if isinstance(shown, Notice):
            shown.tell(self)
            return
        change, touched = shown
        self.redraw(touched, workload=edit.service is Change.DELETE)
        # shown first, then saved
        self.call_after_refresh(lambda: self.run_worker(self.editor.save_shown(change), group="board-save"))

    def action_act(self, plan: str) -> None:
        """A change the model plans for the selected card: done, priority, a step left,
        right, up or down."""
        task_id = self._selected()
        if task_id is not None:
            self.apply(self.model.plan(plan, task_id, clock.now()))

    @work(group="ask-card")
    async def action_ask(self, question: str) -> None:
        """Ask about the selected card (owner, deadline, goal, delete); the answer is a
        change, shown then saved."""
        task_id = self._selected()
        if task_id is not None:
            self.apply(await asks.QUESTIONS[question](self.okrate, self.editor, task_id))

    def action_edit(self) -> None:
        if (task_id := self._selected()) is not None:
            self.open_card(task_id, edit=True)

    def action_detail(self) -> None:
        if (task_id := self._selected()) is not None:
            self.open_card(task_id)

    @work(group="ask-card")
    async def open_card(self, task_id: int, edit: bool = False) -> Outcome | None:
        """Everything about the task, with its history; or its edit form (from here or
        another pane)."""
        return await asks.open_card(self.okrate, self.editor, task_id, edit)

    @work(group="ask-new")
    async def action_new(self) -> Outcome | None:
        return await asks.ask_new(self.okrate, self.editor)

    @work(group="board-save")
    async def action_undo(self) -> Outcome:
        return await self.editor.undo()

    def action_copy(self) -> None:
        task_id = self._selected()
        card = self.okrate.session.cards.get(task_id) if task_id is not None else None
        if card is not None:
            copy_text(self.app, card_line(card, self.okrate.session.labels))

    # --- filters, scopes, views ---------------------------------------------------

    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    @on(CardColumn.Clicked)
    def _card_clicked(self, event: CardColumn.Clicked) -> None:
        """A click selects the card, a double click opens it (as enter does)."""
        event.stop()
        if self.model.select(event.task_id):
            self.redraw()
            if event.opened:
                self.action_detail()

    @on(FilterBar.Typed, "#board-filter")
    def _filter_typed(self, event: FilterBar.Typed) -> None:
        self.model.set_filter(event.text)
        self.redraw()

    @on(FilterBar.Done, "#board-filter")
    def _filter_done(self, event: FilterBar.Done) -> None:
        event.bar.give_back(self)

    def action_clear_filter(self) -> None:
        bar = self.query_one(FilterBar)
        if not self.model.filter_text and not bar.display:
            return
        bar.close()
        bar.give_back(self)
        self.model.set_filter("")
        self.redraw()

    def action_filter_menu(self) -> None:
        bar = self.query_one(FilterBar)

        def picked(token: str | None) -> None:
            if token:
                bar.add(token)

        self.app.push_screen(PickerScreen("Add a filter", filter_choices(self.okrate.session)), picked)

    @work(group="ask-scope")
    async def action_scope(self) -> None:
        session = self.okrate.session
        picked = await self.app.push_screen_wait(PickerScreen("Show tasks of…", scope_choices(session)))
        if picked is None:
            return
        kind, ident = picked
        if kind == "goal":
            ident = await self.app.push_screen_wait(
                PickerScreen("Show the tasks of which goal?", goal_choices(session.labels))
            )
            if ident is None:
                return
            self.model.view = BoardView.BOARD
        self.choose(scope_for(session, kind, ident))

    def action_mine(self) -> None:
        session = self.okrate.session
        self.choose(scope_for(session, "org" if session.cards.scope.kind == "mine" else "mine", None))

    def action_next_view(self) -> None:
        self.model.toggle_view()
        self.redraw()

    def action_fold_done(self) -> None:
        self.model.folded = not self.model.folded
        self.redraw()
