"""The goal tree pane: the cycle's goals with progress, and everything done to them.

A thin view: the :class:`TreeModel` holds which goals are open, the cursor and the
filter; the session holds the tree itself. Every action re-reads its goal when it acts,
so a goal changed or removed meanwhile gets a sentence, never a traceback.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widget import Widget

from okrate_tui.core import clock
from okrate_tui.core.errors import ConflictError, NotFoundError, OkrateError
from okrate_tui.core.parsing import parse_deadline
from okrate_tui.core.permissions import goal_refusal
from okrate_tui.core.queries import details
from okrate_tui.core.queries.tasks import goal_tasks
from okrate_tui.core.services import goals as goal_service
from okrate_tui.core.services import key_results as kr_service
from okrate_tui.core.services import milestones as milestone_service
from okrate_tui.core.services import tasks as task_service
from okrate_tui.core.services.undo import undo_op
from okrate_tui.core.validation import clean_title, parse_confidence, parse_date, parse_number, parse_weight
from okrate_tui.core.vocab import GOAL_STATUS_LABELS, GOAL_STATUSES
from okrate_tui.core.writes import with_op
from okrate_tui.ui.clipboard import copy_text, goal_line, part_line
from okrate_tui.ui.format import number, plural
from okrate_tui.ui.forms.fields import deadline_field, owner_field, priority_field
from okrate_tui.ui.forms.form import Field, FormScreen, Watch
from okrate_tui.ui.guard import Guarded, closed_refusal, guarded
from okrate_tui.ui.models.tree import TreeModel
from okrate_tui.ui.palette import tone
from okrate_tui.ui.panes.goal_parts import GoalParts, key_result_fields, milestone_fields
from okrate_tui.ui.screens.confirm import ConfirmScreen
from okrate_tui.ui.screens.picker import Choice, PickerScreen
from okrate_tui.ui.store.changed import StoreChanged
from okrate_tui.ui.store.events import (
    ActorChanged,
    CycleMoved,
    CyclesChanged,
    Event,
    PeopleChanged,
    RecordsChanged,
    TreeChanged,
)
from okrate_tui.ui.store.reader import read_tree
from okrate_tui.ui.widgets.filter_bar import FilterBar
from okrate_tui.ui.widgets.goal_detail import GoalDetail
from okrate_tui.ui.widgets.goal_tree import GoalTree
from okrate_tui.ui.widgets.plain import Static

if TYPE_CHECKING:
    from okrate_tui.ui.app import OkrateApp

PART_ENTITIES = ("goal", "key_result", "milestone", "check_in")


def changed_only(values: dict[str, str], initial: dict[str, str]) -> dict[str, str]:
    """The fields a person actually changed in a form."""
    return {k: v for k, v in values.items() if v != initial.get(k, "")}


def goal_values(detail: Any) -> dict[str, str]:
    """A goal as the edit form shows it."""
    return {
        "title": detail.title,
        "description": detail.description,
        "owner": detail.owner or "",
        "team": detail.team or "",
        "weight": f"{detail.weight:g}",
        "starts": detail.starts.isoformat() if detail.starts else "",
        "due": detail.due.isoformat() if detail.due else "",
    }


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


class GoalsPane(GoalParts, Guarded, Vertical):
    """Tree on the left, detail on the right (stacked on narrow terminals)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *guarded(Binding("n", "new_goal", "New", tooltip="New sub-goal of the selected goal", id="goals.new")),
        *guarded(Binding("N", "new_top_goal", "New top", tooltip="New top-level goal", show=False, id="goals.new_top")),
        *guarded(Binding("e", "edit_goal", "Edit", tooltip="Edit the selected goal", id="goals.edit")),
        *guarded(
            Binding("m", "move_goal", "Move", tooltip="Move the goal under another parent", show=False, id="goals.move")
        ),
        *guarded(
            Binding(
                "d", "archive_goal", "Archive", tooltip="Archive (or restore) the goal", show=False, id="goals.archive"
            )
        ),
        *guarded(Binding("r", "add_key_result", "Add KR", tooltip="Add a key result", id="goals.add_kr")),
        *guarded(Binding("M", "add_milestone", "Milestone", tooltip="Add a milestone", id="goals.add_milestone")),
        *guarded(Binding("c", "check_in", "Check in", tooltip="Check in on a key result", id="goals.check_in")),
        *guarded(Binding("s", "set_status", "Status", tooltip="Set the goal's status", show=False, id="goals.status")),
        *guarded(Binding("t", "new_task", "Task", tooltip="New task under this goal", id="goals.new_task")),
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

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.model: TreeModel | None = None
        self._detail_for: int | None = None
        self._refocus: Widget | None = None  # hidden by the filter: gets the focus back once shown
        self.stale = False
        self._soon: Timer | None = None
        self._rights: tuple[bool, ...] = ()

    @property
    def okrate(self) -> OkrateApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        session = self.okrate.session
        self.model = TreeModel(lambda: session.tree, me=lambda: session.actor.handle if session.actor else None)
        with Horizontal(classes="pane-head"):  # the filter opens beside the scope line: nothing below moves
            yield FilterBar(placeholder="filter: words, @owner, #team  (esc clears)", id="goal-filter")
            yield Static("", id="goal-scope")
        with Horizontal(id="goals-split"):
            yield GoalTree(self.model, id="goal-tree")
            yield GoalDetail(id="goal-detail")

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._recolour)
        if self.okrate.session.tree is not None:
            self._tree_changed(None)
        else:
            self.load()

    def _recolour(self, _theme: object) -> None:
        """Another theme: draw the scope line and the detail in its colours."""
        self._show_scope()
        if self.model is not None and self.model.tree is not None:
            self._refresh_detail(force=True)

    def on_resize(self) -> None:
        self.set_class(self.size.width < 110, "narrow")
        self._show_scope()

    @property
    def goal_tree(self) -> GoalTree:
        return self.query_one(GoalTree)

    @property
    def selected(self) -> int | None:
        return self.model.cursor if self.model is not None else None

    # --- the store ----------------------------------------------------------------

    def on_store_changed(self, message: StoreChanged) -> None:
        self._heard(message.event)

    def _heard(self, event: Event) -> None:
        if isinstance(event, ActorChanged | PeopleChanged | CyclesChanged):
            self._follow_rights()
        if isinstance(event, TreeChanged):
            self._tree_changed(event.goals)
        elif isinstance(event, CycleMoved):
            if self.model is not None:
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
        if model is None:
            return
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
            self._soon = self.set_timer(0.4, self._detail_now)

    def _detail_now(self) -> None:
        self._soon = None
        if self._showing():
            self.stale = False
            self._refresh_detail(force=True)

    def _showing(self) -> bool:
        return self.is_mounted and self.screen.query_one("#panes").current == "goals"

    # --- loading ------------------------------------------------------------------

    def load(self, focus_goal: int | None = None) -> None:
        """Read the cycle's tree afresh (start-up without one, another cycle)."""
        self._load(focus_goal)

    @work(exclusive=True, group="goals-load")
    async def _load(self, focus_goal: int | None) -> None:
        app = self.okrate
        session = app.session
        cycle = session.cycle
        if cycle is None:
            self.goal_tree.empty_text = "No cycle yet: an admin adds one (review pane, c)."
            self.goal_tree.refresh_lines()
            self.query_one("#goal-scope", Static).update("No cycle yet.")
            return
        try:
            refresh = await app.db.read(read_tree, cycle.id, clock.today())
        except OkrateError as exc:
            self.notify(str(exc), title="The goal tree was not read", severity="error", timeout=10)
            return
        session.apply(refresh)
        if focus_goal is not None and self.model is not None and self.model.reveal(focus_goal):
            self.goal_tree.refresh_lines()

    def reveal(self, goal_id: int | None) -> None:
        if goal_id is not None and self.model is not None and self.model.reveal(goal_id):
            self.goal_tree.refresh_lines()

    def _show_scope(self) -> None:
        session = self.okrate.session
        tree = session.tree
        model = self.model
        if tree is None or model is None:
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

    @on(GoalTree.Chosen)
    def _chosen(self, event: GoalTree.Chosen) -> None:
        self.action_open_board()

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
            known = (tree.rollup(goal), tree.execution(goal), tree.expected(goal))
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

    # --- helpers ------------------------------------------------------------------

    def _need_goal(self) -> int | None:
        goal = self.selected
        if goal is None:
            self.notify("Select a goal first.", severity="warning")
        return goal

    def _title(self, goal_id: int | None) -> str:
        tree = self.okrate.session.tree
        if goal_id is not None and tree is not None and goal_id in tree:
            return tree.line(goal_id).title
        return f"goal {goal_id}"

    async def _fresh(self, goal_id: int) -> Any | None:
        """The goal as it is stored now, or a sentence when it is gone."""
        try:
            return await self.okrate.db.read(details.goal_detail, goal_id, clock.today())
        except NotFoundError:
            self.notify(self.okrate.session.gone_sentence("goal", goal_id, "goal"), severity="warning")
        except OkrateError as exc:
            self.notify(str(exc), severity="error")
        return None

    def _done(self, op: str | None, what: str, goal: int | None, changed: int | None = None) -> None:
        """A change landed: keep it undoable, show it at once, land on the goal."""
        if op:
            self.okrate.session.own_ops.add(op)
            if self.model is not None:
                self.model.undo.push(op, what, changed if changed is not None else goal)
        self.run_worker(self._after(goal), group="goals-after")

    async def _after(self, goal: int | None) -> None:
        await self.okrate.refresh_now()
        self.reveal(goal)
        self._show_scope()
        self._refresh_detail(force=True)

    def _explain(self, exc: OkrateError, goal: int | None) -> str:
        session = self.okrate.session
        if isinstance(exc, NotFoundError) and goal is not None:
            return session.gone_sentence("goal", goal, "goal")
        if isinstance(exc, ConflictError):
            return f"{exc.plain()}; the tree shows what is stored now."
        return str(exc)

    def _form(
        self,
        title: str,
        fields: list[Field],
        call: Callable[[dict[str, str]], Awaitable[tuple[Any, str | None]]],
        what: Callable[[Any], str],
        focus: Callable[[Any], int | None],
        *,
        watch: Watch | None = None,
    ) -> None:
        """A form whose save calls a service; the result lands in undo and on screen."""

        def saved(result: Any) -> None:
            if isinstance(result, tuple):
                record, op = result
                self._done(op, what(record), focus(record))

        self.app.push_screen(FormScreen(title, fields, call, watch=watch), saved)

    def _team_options(self) -> list[tuple[str, str]]:
        return [(name, name) for name in sorted(self.okrate.session.teams.values())]

    def _goal_fields(self, values: dict[str, str], *, own_only: bool = False) -> list[Field]:
        session = self.okrate.session
        owners = [session.actor] if own_only and session.actor is not None else session.active_people()
        return [
            Field("title", "Title", values.get("title", ""), required=True, check=clean_title),
            Field("description", "Description", values.get("description", ""), kind="area"),
            owner_field(values.get("owner", ""), owners),
            Field(
                "team",
                "Team",
                values.get("team", ""),
                kind="select",
                options=self._team_options(),
                placeholder="no team",
            ),
            Field("weight", "Weight in the parent's progress", values.get("weight", "1"), check=parse_weight),
            Field(
                "starts",
                "Starts",
                values.get("starts", ""),
                placeholder="YYYY-MM-DD (default: today, or the cycle's start)",
                check=parse_date,
            ),
            Field(
                "due",
                "Due",
                values.get("due", ""),
                placeholder="YYYY-MM-DD (default: the cycle's end)",
                check=parse_date,
            ),
        ]

    async def _run(
        self, what: str, focus: int | None, fn: Callable[..., Any], *args: Any, changed: int | None = None
    ) -> None:
        """Call a service; report its refusal where the person is looking. ``focus`` is
        where the cursor goes after it, ``changed`` the goal an undo goes back to (when
        that is another: an archived goal is hidden, its undo shows it again)."""
        app = self.okrate
        try:
            _, op = await app.db.write(with_op, fn, app.session.actor, *args)
        except OkrateError as exc:
            self.notify(self._explain(exc, focus), title=f"Not saved: {what}", severity="error", timeout=8)
            await app.refresh_now()
            return
        self._done(op, what, focus, changed)

    # --- actions ------------------------------------------------------------------

    def action_new_goal(self, top: bool = False) -> None:
        parent = None if top else self.selected
        app = self.okrate
        session = app.session
        owner = session.actor.handle if session.actor else ""

        async def submit(values: dict[str, str]) -> tuple[Any, str | None]:
            return await app.db.write(
                with_op,
                goal_service.create_goal,
                session.actor,
                values["title"],
                parent=parent,
                cycle=session.cycle.id if session.cycle else None,
                owner=values["owner"] or None,
                team=values["team"] or None,
                weight=values["weight"],
                description=values["description"],
                starts=values["starts"] or None,
                due=values["due"] or None,
            )

        where = "New top-level goal" if parent is None else f"New sub-goal of “{self._title(parent)}”"
        # Under a goal the actor may not manage, only a goal of their own may be added.
        own_only = parent is not None and self.goal_refusal_for("add goals under") is not None
        fields = self._goal_fields({"owner": owner}, own_only=own_only)
        self._form(where, fields, submit, lambda g: f"add “{g.title}”", lambda g: g.id)

    def action_new_top_goal(self) -> None:
        self.action_new_goal(top=True)

    def action_edit_goal(self) -> None:
        goal = self._need_goal()
        if goal is not None:
            self._edit(goal)

    @work(group="ask-goal-edit")
    async def _edit(self, goal: int) -> None:
        app = self.okrate
        detail = await self._fresh(goal)
        if detail is None:
            return
        initial = goal_values(detail)

        async def reread() -> tuple[dict[str, str], int | None]:
            fresh = await app.db.read(details.goal_detail, goal, clock.today())
            return goal_values(fresh), fresh.version

        watch = Watch("goal", goal, detail.version, reread, noun="goal")

        async def submit(values: dict[str, str]) -> tuple[Any, str | None]:
            changes = {
                k: (v or None) if k in ("owner", "team", "starts", "due") else v
                for k, v in changed_only(values, initial).items()
            }
            return await app.db.write(
                with_op, goal_service.edit_goal, app.session.actor, goal, watch.version, **changes
            )

        self._form(
            f"Edit “{detail.title}”",
            self._goal_fields(initial),
            submit,
            lambda g: f"edit “{g.title}”",
            lambda g: goal,
            watch=watch,
        )

    def action_move_goal(self) -> None:
        goal = self._need_goal()
        tree = self.okrate.session.tree
        if goal is None or tree is None or goal not in tree:
            return
        below = {goal}
        choices = [Choice("top", "(top level)", "top level root")]
        for line, depth in tree.ordered():  # parents come before their children
            if line.parent_id in below:
                below.add(line.id)
            elif line.id not in below:
                choices.append(Choice(line.id, "  " * depth + line.title, f"{line.title} @{line.owner or ''}"))
        title = tree.line(goal).title

        def picked(value: Any) -> None:
            if value is not None:
                parent = None if value == "top" else value
                self.run_worker(
                    self._run(f"move “{title}”", goal, goal_service.move_goal, goal, None, parent), group="goals-save"
                )

        self.app.push_screen(PickerScreen(f"Move “{title}” under…", choices, hint="enter picks · esc cancels"), picked)

    def action_archive_goal(self) -> None:
        goal = self._need_goal()
        tree = self.okrate.session.tree
        if goal is None or tree is None or goal not in tree:
            return
        line = tree.line(goal)
        restoring = line.archived
        verb = "Restore" if restoring else "Archive"
        if restoring:
            detail = ""
        elif line.parent_id is None:
            detail = "It is kept but hidden, with its sub-goals; A shows archived goals."
        else:
            detail = "It leaves its parent's progress but is kept; A shows archived goals."
        model = self.model

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            focus = goal if restoring or (model is not None and model.show_archived) else line.parent_id
            self.run_worker(
                self._run(
                    f"{verb.lower()} “{line.title}”",
                    focus,
                    goal_service.archive_goal,
                    goal,
                    None,
                    not restoring,
                    changed=goal,
                ),
                group="goals-save",
            )

        self.app.push_screen(ConfirmScreen(f"{verb} “{line.title}”?", detail, watch=("goal", goal)), answer)

    def action_toggle_archived(self) -> None:
        if self.model is None:
            return
        self.model.toggle_archived()
        self.goal_tree.refresh_lines()
        self._show_scope()
        self.notify("Showing archived goals." if self.model.show_archived else "Archived goals hidden.")

    def action_add_key_result(self) -> None:
        goal = self._need_goal()
        if goal is None:
            return
        app = self.okrate
        fields = key_result_fields({})

        async def submit(values: dict[str, str]) -> tuple[Any, str | None]:
            return await app.db.write(
                with_op,
                kr_service.add_key_result,
                app.session.actor,
                goal,
                values["title"],
                target=values["target"],
                baseline=values["baseline"] or 0,
                kind=values["kind"],
                unit=values["unit"],
                direction=values["direction"] or None,
                weight=values["weight"] or 1,
            )

        self._form(
            f"New key result for “{self._title(goal)}”",
            fields,
            submit,
            lambda kr: f"add the key result “{kr.title}”",
            lambda kr: goal,
        )

    def action_add_milestone(self) -> None:
        goal = self._need_goal()
        if goal is None:
            return
        app = self.okrate
        today = clock.today()

        async def submit(values: dict[str, str]) -> tuple[Any, str | None]:
            return await app.db.write(
                with_op,
                milestone_service.add_milestone,
                app.session.actor,
                goal,
                values["title"],
                parse_deadline(values["due"], today),
            )

        self._form(
            f"New milestone for “{self._title(goal)}”",
            milestone_fields({}, today),
            submit,
            lambda m: f"add the milestone “{m.title}”",
            lambda m: goal,
        )

    def action_check_in(self) -> None:
        goal = self._need_goal()
        panel = self.query_one(GoalDetail)
        if goal is None or panel.detail is None or panel.detail.id != goal:
            return
        results = [kr for kr in panel.detail.key_results if not kr.archived]
        if not results:
            self.notify("This goal has no key results yet: press r to add one.", severity="warning")
            return
        chosen = panel.selected_key_result
        app = self.okrate
        options = [(kr.title, str(kr.id)) for kr in results]
        current = next((kr for kr in results if kr.id == chosen), results[0])
        fields = [
            Field(
                "value",
                "New value",
                "",
                required=True,
                check=parse_number,
                placeholder=f"now {number(current.current)}, target {number(current.target)}",
                help=f"for “{current.title}” unless you pick another key result below",
            ),
            Field("kr", "Key result", str(current.id), kind="select", options=options, required=True),
            Field("confidence", "Confidence", "", check=parse_confidence, placeholder="70% or 0.7"),
            Field("note", "Note", "", kind="area"),
        ]

        async def submit(values: dict[str, str]) -> tuple[Any, str | None]:
            return await app.db.write(
                with_op,
                kr_service.check_in,
                app.session.actor,
                int(values["kr"]),
                values["value"],
                confidence=values["confidence"] or None,
                note=values["note"],
            )

        self._form("Check in", fields, submit, lambda entry: "check in", lambda entry: goal)

    def action_set_status(self) -> None:
        goal = self._need_goal()
        tree = self.okrate.session.tree
        if goal is None or tree is None or goal not in tree:
            return
        line = tree.line(goal)
        choices = [Choice("", "follow pace (automatic)", "auto automatic pace none")]
        choices += [Choice(s, GOAL_STATUS_LABELS[s], s) for s in GOAL_STATUSES]

        def picked(status: str | None) -> None:
            if status is not None:
                what = f"set the status of “{line.title}” to {GOAL_STATUS_LABELS.get(status, 'follow pace')}"
                self.run_worker(
                    self._run(what, goal, goal_service.set_goal_status, goal, None, status or None),
                    group="goals-save",
                )

        now = GOAL_STATUS_LABELS.get(line.status, line.status)
        how = (line.status_reason or "set by hand") if line.manual_status else "from pace"
        self.app.push_screen(
            PickerScreen(f"Status of “{line.title}” (now {now}, {how})", choices, initial=line.manual_status or ""),
            picked,
        )

    def action_new_task(self) -> None:
        goal = self._need_goal()
        if goal is None:
            return
        app = self.okrate
        session = app.session
        today = clock.today()
        fields = [
            Field("title", "Task", required=True, check=clean_title, placeholder="what needs doing"),
            Field("objective", "Objective", "", kind="area", help="what done looks like"),
            owner_field(session.actor.handle if session.actor else "", session.active_people()),
            priority_field("medium"),
            deadline_field("", today),
        ]

        async def submit(values: dict[str, str]) -> tuple[Any, str | None]:
            return await app.db.write(
                with_op,
                task_service.create_task,
                session.actor,
                values["title"],
                goal=goal,
                objective=values["objective"],
                owner=values["owner"] or None,
                priority=values["priority"] or None,
                deadline=parse_deadline(values["deadline"], today),
            )

        self._form(f"New task for “{self._title(goal)}”", fields, submit, lambda t: f"add “{t.title}”", lambda t: goal)

    def action_undo(self) -> None:
        self._undo()

    @work(group="goals-save")
    async def _undo(self) -> None:
        app = self.okrate
        model = self.model
        entry = model.undo.pop() if model is not None else None
        if entry is None:
            self.notify("Nothing to undo in the goal tree.")
            return
        op, what, goal = entry
        try:
            await app.db.write(undo_op, app.session.actor, op)
        except OkrateError as exc:
            message = f"{exc.plain()}: undoing would overwrite it." if isinstance(exc, ConflictError) else str(exc)
            self.notify(message, title=f"Cannot undo: {what}", severity="error", timeout=10)
            self._show_scope()
            return
        self.notify(f"Undone: {what}")
        await app.refresh_now()
        if goal is not None:
            self.reveal(goal)  # the cursor goes to the goal it changed
        self._show_scope()
        self._refresh_detail(force=True)

    def action_open_board(self) -> None:
        goal = self._need_goal()
        if goal is not None:
            self.okrate.open_board(goal)

    # --- filter -------------------------------------------------------------------

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
        if self.model is None or (not bar.display and not self.model.filter_text):
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
        if self.model is None:
            return
        self.model.set_filter(text)
        self.goal_tree.refresh_lines()
        self._show_scope()
        if not self.model.rows:
            self._detail_for = None
            self.query_one(GoalDetail).show(None)
        else:
            self._refresh_detail()
