"""The goal tree pane: the cycle's goals with progress, and everything done to them.

A thin view: the :class:`TreeModel` holds which goals are open, the cursor and the
filter; the session holds the tree itself; the :class:`TreeEditor` saves, explains a
refusal and undoes. The questions (forms, pickers) are in ``goal_asks`` and
``part_asks``; whatever they answer (an :class:`Outcome`) is drawn in one place.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import ContentSwitcher
from textual.worker import Worker, WorkerState

from okrate_tui.core import clock
from okrate_tui.core.errors import OkrateError
from okrate_tui.core.permissions import goal_refusal
from okrate_tui.core.queries import details
from okrate_tui.core.queries.tasks import goal_tasks
from okrate_tui.ui.clipboard import copy_text, goal_line, part_line
from okrate_tui.ui.controllers.outcome import Notice, Outcome
from okrate_tui.ui.controllers.tree_editor import TreeEditor
from okrate_tui.ui.format import plural
from okrate_tui.ui.guard import Guarded, closed_refusal
from okrate_tui.ui.host import Host
from okrate_tui.ui.models.tree import TreeModel
from okrate_tui.ui.palette import tone
from okrate_tui.ui.panes import goal_asks, part_asks
from okrate_tui.ui.panes.goal_keys import GOAL_BINDINGS, GOAL_VERBS, GUARDED_ACTIONS
from okrate_tui.ui.store.changed import StoreChanged
from okrate_tui.ui.store.events import (
    ActorChanged,
    CycleMoved,
    CyclesChanged,
    PeopleChanged,
    RecordsChanged,
    TreeChanged,
)
from okrate_tui.ui.store.reader import read_tree
from okrate_tui.ui.widgets.filter_bar import FilterBar
from okrate_tui.ui.widgets.goal_detail import GoalDetail
from okrate_tui.ui.widgets.goal_tree import GoalTree
from okrate_tui.ui.widgets.plain import Static

PART_ENTITIES = ("goal", "key_result", "milestone", "check_in")


class GoalsPane(Guarded, Vertical):
    """Tree on the left, detail on the right (stacked on narrow terminals)."""

    BINDINGS: ClassVar[list[BindingType]] = GOAL_BINDINGS
    okrate = getters.app(Host)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        session = self.okrate.session
        self.model = TreeModel(lambda: session.tree, me=lambda: session.actor.handle if session.actor else None)
        self.editor = TreeEditor(session, self.okrate.db, self.model.undo, self.okrate.refresh_now)
        self.goal_tree = GoalTree(self.model, id="goal-tree")
        self._detail_for: int | None = None
        self._refocus: Widget | None = None  # hidden by the filter: gets the focus back once shown
        self.stale = False
        self._soon: Timer | None = None
        self._rights: tuple[bool, ...] = ()

    def compose(self) -> ComposeResult:
        with Horizontal(classes="pane-head"):  # the filter opens beside the scope line: nothing below moves
            yield FilterBar(placeholder="filter: words, @owner, #team  (esc clears)", id="goal-filter")
            yield Static("", id="goal-scope")
        with Horizontal(id="goals-split"):
            yield self.goal_tree
            yield GoalDetail(id="goal-detail")

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._drawn(Outcome(None)))
        if self.okrate.session.tree is not None:
            self._tree_changed(None)
        else:
            self.load()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 110, "narrow")
        self._show_scope()

    @property
    def selected(self) -> int | None:
        return self.model.cursor

    # --- the store ----------------------------------------------------------------

    def on_store_changed(self, message: StoreChanged) -> None:
        """The tree, the records on show, the cycle, the people or rights changed."""
        event = message.event
        if isinstance(event, ActorChanged | PeopleChanged | CyclesChanged):
            self._follow_rights()
        if isinstance(event, TreeChanged):
            self._tree_changed(event.goals)
        elif isinstance(event, CycleMoved):
            self.model.expanded.clear()
            self.model.cursor = None
            self.load()
        elif (
            isinstance(event, RecordsChanged)
            and self.selected is not None
            and any(t.entity in PART_ENTITIES for t in event.touches)
        ):
            self._detail_soon()

    def _tree_changed(self, goals: frozenset[int] | None) -> None:
        """A whole new tree lays the lines out again; figures of a few goals only repaint
        (the tree's shape did not change) unless a filter may now match otherwise."""
        model = self.model
        if goals is None or model.filter_text:
            model.rebuild()
            self.goal_tree.refresh_lines()
            self._show_scope()
        elif any(model.row_of(g) is not None for g in goals):
            self.goal_tree.refresh_goals()
        if goals is None or self.selected in goals:
            self._detail_soon()
            self._follow_rights()

    def _detail_soon(self) -> None:
        """Read the detail panel again shortly (changes arriving together are read once),
        or when the pane is next shown."""
        self.stale = True
        if self._soon is None and self._showing():

            def due() -> None:
                self._soon = None
                if self._showing():
                    self._drawn(Outcome(None))

            self._soon = self.set_timer(0.4, due)

    def _showing(self) -> bool:
        return self.is_mounted and self.screen.query_one("#panes", ContentSwitcher).current == "goals"

    # --- loading and drawing -----------------------------------------------------------

    @work(exclusive=True, group="goals-load")
    async def load(self, focus_goal: int | None = None) -> Outcome | None:
        """Read the cycle's tree afresh (start-up without one, another cycle)."""
        session = self.okrate.session
        if session.cycle is None:
            self.goal_tree.empty_text = "No cycle yet: an admin adds one (review pane, c)."
            self.goal_tree.refresh_lines()
            self.query_one("#goal-scope", Static).update("No cycle yet.")
            return None
        try:
            refresh = await self.okrate.db.read(read_tree, session.cycle.id, clock.today())
        except OkrateError as exc:
            return Outcome(set(), Notice(str(exc), title="The goal tree was not read", severity="error", timeout=10))
        session.apply(refresh)
        self.reveal(focus_goal)
        return None

    def reveal(self, goal_id: int | None) -> None:
        if goal_id is not None and self.model.reveal(goal_id):
            self.goal_tree.refresh_lines()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """What a worker of the pane answered (a save, an undo, a form) is drawn here."""
        outcome = event.worker.result if event.state is WorkerState.SUCCESS else None
        if isinstance(outcome, Outcome):
            self._drawn(outcome)

    def _drawn(self, outcome: Outcome) -> None:
        """The cursor on the goal a change landed on, the scope line, the detail again."""
        self.reveal(outcome.select)
        self._show_scope()
        if outcome.touched is None and self.model.tree is not None:
            self.stale = False
            self._refresh_detail(force=True)
        if outcome.notice is not None:
            outcome.notice.tell(self)

    def _show_scope(self) -> None:
        session = self.okrate.session
        tree = session.tree
        model = self.model
        if tree is None:
            return
        cycle = tree.cycle
        goals = tree.count(archived=model.show_archived)
        self.goal_tree.empty_text = (
            "No goal matches the filter: esc clears it." if model.filter_text else "No goals in this cycle yet."
        )
        text = Text()
        if model.filter_text:  # beside the filter line: what it found comes first
            if not model.rows:
                text.append("no goal matches (esc clears) · ", style=tone("urgent"))
            text.append(f"filter: {model.filter_text} · ", style="bold")
        text.append(f"{cycle.name} · {cycle.starts:%b} {cycle.starts.day} → {cycle.ends:%b} {cycle.ends.day} · ")
        text.append(plural(goals, "goal"))
        if model.show_archived:
            text.append(" · showing archived", style="bold")
        if model.undo:
            text.append(f" · u undoes ({len(model.undo)})", style=tone("muted"))
        legend = "   ● on track ▲ at risk ■ off track ✓ done ○ not measured ⚑ behind pace · open, N! overdue"
        if text.cell_len + len(legend) <= (self.size.width or self.app.size.width) - 2:
            text.append(legend, style=tone("muted"))
        self.query_one("#goal-scope", Static).update(text)

    @on(GoalTree.Moved)
    def _moved(self, event: GoalTree.Moved) -> None:
        self._refresh_detail()
        self._follow_rights()

    # --- what the actor may do --------------------------------------------------------

    def refusal(self, action: str) -> str | None:
        """Why the actor may not take ``action`` on the selected goal, or None."""
        if action not in GUARDED_ACTIONS:
            return None
        session = self.okrate.session
        closed = closed_refusal(session)
        if closed is not None or session.actor is None:
            return closed
        actor = session.actor
        if action == "new_top_goal" or (action == "new_goal" and self.selected is None):
            if actor.role == "member":
                return "Top-level goals are added by managers and admins; n adds a goal of your own under this one."
            return None
        verb = GOAL_VERBS.get(action)
        return self.goal_refusal_for(verb) if verb is not None else None

    def goal_refusal_for(self, verb: str) -> str | None:
        """Why the actor may not ``verb`` the selected goal (from what the session holds)."""
        session = self.okrate.session
        actor, tree, goal = session.actor, session.tree, self.selected
        if actor is None or tree is None or goal is None or goal not in tree:
            return None
        line = tree.line(goal)
        owner = session.by_handle(line.owner) if line.owner else None
        people = session.people

        def manager_of(person_id: int) -> int | None:
            person = people.get(person_id)
            return person.manager_id if person is not None else None

        return goal_refusal(actor, line.title, owner.id if owner else None, line.owner, verb, manager_of)

    def _follow_rights(self) -> None:
        """Show the keys the actor has on this goal (the footer repaints only on a change)."""
        rights = tuple(self.refusal(action) is None for action in GUARDED_ACTIONS)
        if rights != self._rights:
            self._rights = rights
            self.refresh_bindings()

    def part_refusal(self, action: str, kind: str, ident: int | None) -> str | None:
        """Why the actor may not take ``action`` on a part of the selected goal (the part
        list asks before it shows or runs a key)."""
        return part_asks.part_refusal(self.okrate.session, action, kind, self.goal_refusal_for)

    def _refresh_detail(self, force: bool = False) -> None:
        goal = self.selected
        if goal == self._detail_for and not force:
            return
        self._detail_for = goal
        self._load_detail(goal)

    @work(exclusive=True, group="goals-detail")
    async def _load_detail(self, goal: int | None) -> None:
        panel = self.query_one(GoalDetail)
        if goal is None:
            panel.show(None)
            return
        tree = self.okrate.session.tree
        known = None
        if tree is not None and goal in tree:
            known = (tree.rollup(goal), tree.execution(goal), tree.figure(goal))
        today = clock.today()
        try:
            detail, tasks = await self.okrate.db.read(
                lambda: (details.goal_detail(goal, today, known=known), goal_tasks(goal, today))
            )
        except OkrateError:
            panel.show(None)  # gone meanwhile: the tree follows with the next change
            return
        if self.selected == goal:
            panel.show(detail, tasks)
            refocus, self._refocus = self._refocus, None
            if refocus is not None and refocus.is_attached and refocus.display:
                refocus.focus()  # the parts had the focus before the filter hid them

    def focus_target(self) -> GoalTree:
        if self.stale:
            self.stale = False
            self._refresh_detail(force=True)
        return self.goal_tree

    # --- actions ------------------------------------------------------------------

    def _asked(self) -> goal_asks.Asked:
        panel = self.query_one(GoalDetail)
        return goal_asks.Asked(
            self.okrate,
            self.editor,
            self.selected,
            panel.detail,
            panel.selected_key_result,
            self.model.show_archived,
            self.goal_refusal_for,
        )

    @work(group="ask-goal")
    async def action_ask(self, question: str) -> Outcome | None:
        """A question about the selected goal (or a new one): a form, picker or yes/no."""
        if question in goal_asks.NEEDS_GOAL and self.selected is None:
            return Outcome(set(), Notice("Select a goal first.", severity="warning"))
        return await goal_asks.QUESTIONS[question](self._asked())

    @work(group="ask-part")
    async def part_action(self, action: str, kind: str, ident: int | None) -> Outcome | None:
        """A key of the part list: add, edit, finish, move, delete, check in, history."""
        if why := self.part_refusal(action, kind, ident):
            return Outcome(set(), Notice(why, title="Not allowed", severity="warning"))
        if action == "part_add":
            adds = {"kr": goal_asks.add_key_result, "ms": goal_asks.add_milestone, "task": goal_asks.new_task}
            return await adds[kind](self._asked())
        if action == "part_check_in":
            return await goal_asks.check_in(self._asked())
        if ident is None:
            return None
        if kind != "task":
            return await part_asks.on_part(self.okrate, self.editor, action, kind, ident, self.goal_refusal_for)
        if action == "part_done":
            return await part_asks.finish_task(self.okrate, self.editor, self.selected, ident)
        board = await self.screen.pane("board")  # type: ignore[attr-defined]
        board.open_card(ident, edit=action == "part_edit")
        return None

    @work(group="goals-save")
    async def action_undo(self) -> Outcome:
        return await self.editor.undo("Nothing to undo in the goal tree.")

    @on(GoalTree.Chosen)
    def action_open_board(self, _chosen: GoalTree.Chosen | None = None) -> None:
        """The board on the selected goal's subtree (enter, here or on the tree)."""
        if self.selected is None:
            self.notify("Select a goal first.", severity="warning")
        else:
            self.okrate.open_board(self.selected)

    def action_toggle_archived(self) -> None:
        self.model.toggle_archived()
        self.goal_tree.refresh_lines()
        self._show_scope()
        self.notify("Showing archived goals." if self.model.show_archived else "Archived goals hidden.")

    def action_copy(self) -> None:
        """The part under the cursor when the parts have the focus, else the goal."""
        panel = self.query_one(GoalDetail)
        if panel.detail is not None and panel.parts.has_focus:
            line = part_line(panel.detail, *panel.parts.current, panel.tasks)
            if line is not None:
                copy_text(self.app, line)
                return
        tree, goal = self.okrate.session.tree, self.selected
        if tree is None or goal is None or goal not in tree:
            self.notify("No goal selected.", severity="warning")
            return
        copy_text(self.app, goal_line(tree.line(goal)))

    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    def action_clear_filter(self) -> None:
        bar = self.query_one(FilterBar)
        if not bar.display and not self.model.filter_text:
            return
        bar.close()
        self._filter("")
        self._refocus = bar.give_back(self.goal_tree)

    def action_toggle_focus(self) -> None:
        if self.goal_tree.has_focus:
            self.query_one(GoalDetail).focus()
        else:
            self.goal_tree.focus()

    @on(FilterBar.Typed, "#goal-filter")
    def _filter_typed(self, event: FilterBar.Typed) -> None:
        self._filter(event.text)

    @on(FilterBar.Done, "#goal-filter")
    def _filter_done(self, event: FilterBar.Done) -> None:
        self._refocus = event.bar.give_back(self.goal_tree)

    def _filter(self, text: str) -> None:
        self.model.set_filter(text)
        self.goal_tree.refresh_lines()
        self._show_scope()
        if not self.model.rows:
            self._detail_for = None
            self.query_one(GoalDetail).show(None)
        else:
            self._refresh_detail()
