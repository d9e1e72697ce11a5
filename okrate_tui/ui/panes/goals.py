"""The goal tree pane: the cycle's goals with progress, and everything done to them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static, Tree
from textual.widgets.tree import TreeNode

from okrate_tui.core import clock
from okrate_tui.core.parsing import parse_deadline
from okrate_tui.core.queries import details
from okrate_tui.core.queries.goals import children as goal_children
from okrate_tui.core.queries.tree import CycleTree, load_tree
from okrate_tui.core.services import goals as goal_service
from okrate_tui.core.services import key_results as kr_service
from okrate_tui.core.services import tasks as task_service
from okrate_tui.core.validation import (
    clean_title,
    parse_confidence,
    parse_date,
    parse_number,
    parse_weight,
)
from okrate_tui.core.vocab import DIRECTIONS, GOAL_STATUS_LABELS, GOAL_STATUSES, KR_KINDS
from okrate_tui.ui.format import number
from okrate_tui.ui.forms.fields import deadline_field, owner_field, priority_field
from okrate_tui.ui.forms.form import Field, FormScreen
from okrate_tui.ui.messages import DataChanged
from okrate_tui.ui.screens.confirm import ConfirmScreen
from okrate_tui.ui.screens.picker import Choice, PickerScreen
from okrate_tui.ui.widgets.goal_detail import GoalDetail
from okrate_tui.ui.widgets.goal_tree import GoalTree

if TYPE_CHECKING:
    from okrate_tui.ui.app import OkrateApp


def changed_only(values: dict[str, str], initial: dict[str, str]) -> dict[str, str]:
    """The fields a person actually changed in a form."""
    return {k: v for k, v in values.items() if v != initial.get(k, "")}


class GoalsPane(Vertical):
    """Tree on the left, detail on the right (stacked on narrow terminals)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_goal", "New", tooltip="New sub-goal of the selected goal", id="goals.new"),
        Binding("N", "new_top_goal", "New top", tooltip="New top-level goal", show=False, id="goals.new_top"),
        Binding("e", "edit_goal", "Edit", tooltip="Edit the selected goal", id="goals.edit"),
        Binding("m", "move_goal", "Move", tooltip="Move the goal under another parent", show=False, id="goals.move"),
        Binding(
            "d", "archive_goal", "Archive", tooltip="Archive (or restore) the goal", show=False, id="goals.archive"
        ),
        Binding("k", "add_key_result", "Add KR", tooltip="Add a key result", id="goals.add_kr"),
        Binding("c", "check_in", "Check in", tooltip="Check in the selected key result", id="goals.check_in"),
        Binding("s", "set_status", "Status", tooltip="Set the goal's status", show=False, id="goals.status"),
        Binding("t", "new_task", "Task", tooltip="New task under this goal", id="goals.new_task"),
        Binding(
            "enter",
            "open_board",
            "Board",
            tooltip="Open the board on this goal's subtree",
            id="goals.open_board",
        ),
        Binding("slash", "filter", "Filter", tooltip="Filter by a word, @owner or #team", id="goals.filter"),
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
        self.tree_data: CycleTree | None = None
        self.show_archived = False
        self.filter_text = ""
        self._detail_for: int | None = None
        self._want_goal: int | None = None
        self.dirty = False

    @property
    def okrate(self) -> OkrateApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter: words, @owner, #team  (esc clears)", id="goal-filter")
        yield Static("", id="goal-scope")
        with Horizontal(id="goals-split"):
            yield GoalTree(id="goal-tree")
            yield GoalDetail(id="goal-detail")

    def on_mount(self) -> None:
        self.query_one("#goal-filter", Input).display = False
        self.goal_tree.populate = self._populate

    def _populate(self, node: TreeNode[int]) -> None:
        """Add a node's children from the loaded tree (nothing when it is not loaded yet)."""
        data = self.tree_data
        if data is None or node.data is None or node.children:
            return
        for gid in data.children(node.data, archived=self.show_archived):
            self.goal_tree.add_goal(node, gid, data.line(gid).title, bool(data.children(gid)))

    def on_resize(self) -> None:
        self.set_class(self.size.width < 110, "narrow")

    @property
    def goal_tree(self) -> GoalTree:
        return self.query_one(GoalTree)

    @property
    def selected(self) -> int | None:
        return self.goal_tree.cursor_goal

    # --- loading ------------------------------------------------------------------

    def load(self, focus_goal: int | None = None) -> None:
        """(Re)load the cycle: top-level goals first, then every figure."""
        if focus_goal is not None:
            self._want_goal = focus_goal
        self._load()

    @work(exclusive=True, group="goals-load")
    async def _load(self) -> None:
        app = self.okrate
        cycle = app.cycle
        if cycle is None:
            self.query_one("#goal-scope", Static).update("No cycle yet: add one with `okrate cycle add`.")
            return
        tree = self.goal_tree
        early = app.initial_tree
        app.initial_tree = None
        if early is not None and early.cycle.id == cycle.id and self.tree_data is None:
            self.tree_data = early  # gathered while the app was starting
            self._reconcile()
            self._show_scope()
            self._refresh_detail(force=True)
            return
        if self.tree_data is None or self.tree_data.cycle.id != cycle.id:
            tops = await app.db.call(goal_children, None, cycle.id, archived=self.show_archived)
            tree.clear()
            tree.cycle_tree = None
            for row in tops:
                tree.add_goal(tree.root, row["id"], row["title"], row["child_count"] > 0)
            if tops and tree.cursor_line < 0:
                tree.select_goal(tree.root.children[0])
        data = await app.db.call(load_tree, cycle.id, clock.today())
        self.tree_data = data
        self._reconcile()
        self._show_scope()
        self._refresh_detail(force=True)

    def _reconcile(self) -> None:
        """Make the loaded part of the tree match the data, keeping what was open."""
        data = self.tree_data
        if data is None:
            return
        tree = self.goal_tree
        want_cursor = self._want_goal if self._want_goal in data else tree.cursor_goal
        expanded = {n.data for n in tree._tree_nodes.values() if n.is_expanded and n.data is not None}
        visible: set[int] | None = None
        if self.filter_text:
            matches = data.search(self.filter_text, archived=self.show_archived)
            visible = set(matches)
            for gid in matches:
                visible.update(data.ancestors(gid))
            expanded |= visible
            if matches and want_cursor not in matches:
                want_cursor = matches[0]  # land on the first match, not on an ancestor
        if want_cursor is not None and want_cursor in data:
            expanded.update(data.ancestors(want_cursor))

        def fill(node: TreeNode[int], parent: int | None) -> None:
            wanted = data.children(parent, archived=self.show_archived)
            if visible is not None:
                wanted = [g for g in wanted if g in visible]
            if [c.data for c in node.children] != wanted:
                node.remove_children()
                for gid in wanted:
                    tree.add_goal(
                        node, gid, data.line(gid).title, bool(data.children(gid, archived=self.show_archived))
                    )
            for child in node.children:
                if child.data in expanded and child.allow_expand:
                    child.expand()
                    fill(child, child.data)

        with self.app.batch_update():
            fill(tree.root, None)
            tree.refresh_figures(data)
            node = tree.node_for(want_cursor) if want_cursor is not None else None
            if node is not None:
                tree.select_goal(node)
            elif tree.root.children:
                tree.select_goal(tree.root.children[0])
        self._want_goal = None

    def _show_scope(self) -> None:
        data = self.tree_data
        if data is None:
            return
        cycle = data.cycle
        goals = len(data.ordered(archived=self.show_archived)) if len(data) < 20_000 else len(data)
        text = Text(f"{cycle.name} · {cycle.starts:%b %-d} → {cycle.ends:%b %-d} · {goals} goals")
        if self.filter_text:
            text.append(f" · filter: {self.filter_text}", style="bold")
            if not self.goal_tree.root.children:
                text.append(" · no goal matches (esc clears)", style="bold yellow")
        if self.show_archived:
            text.append(" · showing archived", style="bold")
        legend = "   ● on track ▲ at risk ■ off track ✓ done ○ not measured ⚑ behind pace · open, N! overdue"
        if text.cell_len + len(legend) <= (self.size.width or self.app.size.width) - 2:
            text.append(legend, style="bright_black")
        self.query_one("#goal-scope", Static).update(text)

    @on(Tree.NodeExpanded)
    def _expanded(self, event: Tree.NodeExpanded) -> None:
        node = event.node
        if node.children or node.data is None:
            return
        if self.tree_data is not None:
            self._populate(node)
        else:
            self._load_children(node)

    @work(group="goals-children")
    async def _load_children(self, node: TreeNode[int]) -> None:
        cycle = self.okrate.cycle
        assert cycle is not None
        rows = await self.okrate.db.call(goal_children, node.data, cycle.id, archived=self.show_archived)
        if not node.children:
            for row in rows:
                self.goal_tree.add_goal(node, row["id"], row["title"], row["child_count"] > 0)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        self._refresh_detail()

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected) -> None:
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
        data = self.tree_data
        known = (data.rollup(goal), data.execution(goal)) if data is not None and goal in data else None
        try:
            detail = await self.okrate.db.call(details.goal_detail, goal, clock.today(), known=known)
        except Exception as exc:
            panel.show(None)
            self.notify(str(exc), severity="warning")
            return
        if self.selected == goal:
            panel.show(detail)

    def on_data_changed(self, message: DataChanged) -> None:
        if self.screen.query_one("#panes").current == "goals":
            self.load(message.focus_goal)
        else:
            self.dirty = True
            self._want_goal = message.focus_goal or self._want_goal

    def focus_target(self) -> GoalTree:
        if self.dirty:
            self.dirty = False
            self.load()
        return self.goal_tree

    # --- helpers ------------------------------------------------------------------

    def _need_goal(self) -> int | None:
        goal = self.selected
        if goal is None:
            self.notify("Select a goal first.", severity="warning")
        return goal

    def _saved(self, message: str, goal: int | None) -> None:
        self.notify(message, timeout=3)
        self._changed(goal)

    def _changed(self, goal: int | None = None) -> None:
        self.screen.post_message(DataChanged(focus_goal=goal, source="goals"))

    def _team_options(self) -> list[tuple[str, str]]:
        return [(name, name) for _, name in self.okrate.teams]

    def _goal_fields(self, values: dict[str, str]) -> list[Field]:
        return [
            Field("title", "Title", values.get("title", ""), required=True, check=clean_title),
            Field("description", "Description", values.get("description", ""), kind="area"),
            owner_field(values.get("owner", ""), self.okrate.people),
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
                placeholder="YYYY-MM-DD (default: the cycle's)",
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

    # --- actions ------------------------------------------------------------------

    def action_new_goal(self, top: bool = False) -> None:
        parent = None if top else self.selected
        app = self.okrate
        owner = app.actor.handle if app.actor else ""

        async def submit(values: dict[str, str]):
            return await app.db.call(
                goal_service.create_goal,
                app.actor,
                values["title"],
                parent=parent,
                cycle=app.cycle.id,
                owner=values["owner"] or None,
                team=values["team"] or None,
                weight=values["weight"],
                description=values["description"],
                starts=values["starts"] or None,
                due=values["due"] or None,
            )

        data = self.tree_data
        if parent is None:
            where = "New top-level goal"
        else:
            title = data.line(parent).title if data is not None and parent in data else f"goal {parent}"
            where = f"New sub-goal of “{title}”"
        form = FormScreen(where, self._goal_fields({"owner": owner}), submit)
        self.app.push_screen(form, lambda goal: goal and self._saved(f"Added “{goal.title}”", goal.id))

    def action_new_top_goal(self) -> None:
        self.action_new_goal(top=True)

    def action_edit_goal(self) -> None:
        goal = self._need_goal()
        panel = self.query_one(GoalDetail)
        if goal is None or panel.detail is None or panel.detail.id != goal:
            return
        d = panel.detail
        initial = {
            "title": d.title,
            "description": d.description,
            "owner": d.owner or "",
            "team": d.team or "",
            "weight": f"{d.weight:g}",
            "starts": d.starts.isoformat() if d.starts else "",
            "due": d.due.isoformat() if d.due else "",
        }
        app = self.okrate

        async def submit(values: dict[str, str]):
            changes = {
                k: (v or None) if k in ("owner", "team", "starts", "due") else v
                for k, v in changed_only(values, initial).items()
            }
            return await app.db.call(goal_service.edit_goal, app.actor, goal, d.version, **changes)

        form = FormScreen(f"Edit “{d.title}”", self._goal_fields(initial), submit)
        self.app.push_screen(form, lambda saved: saved and self._saved("Saved", goal))

    def action_move_goal(self) -> None:
        goal = self._need_goal()
        data = self.tree_data
        if goal is None or data is None or goal not in data:
            return
        below = {goal}
        choices = [Choice("top", "(top level)", "top level root")]
        for line, depth in data.ordered():  # parents come before their children
            if line.parent_id in below:
                below.add(line.id)
            elif line.id not in below:
                choices.append(Choice(line.id, "  " * depth + line.title, f"{line.title} @{line.owner or ''}"))
        app = self.okrate
        detail = self.query_one(GoalDetail).detail
        seen = detail.version if detail and detail.id == goal else None

        def picked(value: Any) -> None:
            if value is not None:
                parent = None if value == "top" else value
                self.run_worker(self._run(goal_service.move_goal, app.actor, goal, seen, parent, focus=goal))

        title = data.line(goal).title
        self.app.push_screen(PickerScreen(f"Move “{title}” under…", choices, hint="enter picks · esc cancels"), picked)

    def action_archive_goal(self) -> None:
        goal = self._need_goal()
        data = self.tree_data
        if goal is None or data is None or goal not in data:
            return
        line = data.line(goal)
        restoring = line.archived
        verb = "Restore" if restoring else "Archive"
        if restoring:
            detail = ""
        elif line.parent_id is None:
            detail = "It is kept but hidden, with its sub-goals; A shows archived goals."
        else:
            detail = "It leaves its parent's progress but is kept; A shows archived goals."
        app = self.okrate

        def answer(yes: bool | None) -> None:
            if yes:
                self.run_worker(
                    self._run(
                        goal_service.archive_goal,
                        app.actor,
                        goal,
                        None,
                        not restoring,
                        focus=goal if restoring or self.show_archived else line.parent_id,
                    )
                )

        self.app.push_screen(ConfirmScreen(f"{verb} “{line.title}”?", detail), answer)

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.notify("Showing archived goals." if self.show_archived else "Archived goals hidden.")
        self.load()

    def action_add_key_result(self) -> None:
        goal = self._need_goal()
        if goal is None:
            return
        app = self.okrate
        fields = [
            Field(
                "title",
                "Key result",
                required=True,
                check=clean_title,
                placeholder="e.g. Weekly active teams",
            ),
            Field("kind", "Kind", "numeric", kind="select", options=[(k, k) for k in KR_KINDS], required=True),
            Field("baseline", "Baseline (start)", "0", check=parse_number),
            Field("target", "Target", "", check=parse_number, help="binary results need no target"),
            Field("unit", "Unit", "", placeholder="e.g. %, EUR, ms"),
            Field(
                "direction",
                "Direction",
                "",
                kind="select",
                options=[(d.replace("_", " "), d) for d in DIRECTIONS],
                placeholder="from target vs baseline",
            ),
            Field("weight", "Weight", "1", check=parse_weight),
        ]

        async def submit(values: dict[str, str]):
            return await app.db.call(
                kr_service.add_key_result,
                app.actor,
                goal,
                values["title"],
                target=values["target"],
                baseline=values["baseline"] or 0,
                kind=values["kind"],
                unit=values["unit"],
                direction=values["direction"] or None,
                weight=values["weight"] or 1,
            )

        self.app.push_screen(FormScreen("New key result", fields, submit), lambda kr: kr and self._changed(goal))

    def action_check_in(self) -> None:
        goal = self._need_goal()
        panel = self.query_one(GoalDetail)
        if goal is None or panel.detail is None or panel.detail.id != goal:
            return
        results = [kr for kr in panel.detail.key_results if not kr.archived]
        if not results:
            self.notify("This goal has no key results yet: press k to add one.", severity="warning")
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

        async def submit(values: dict[str, str]):
            return await app.db.call(
                kr_service.check_in,
                app.actor,
                int(values["kr"]),
                values["value"],
                confidence=values["confidence"] or None,
                note=values["note"],
            )

        self.app.push_screen(
            FormScreen("Check in", fields, submit), lambda entry: entry and self._saved("Checked in", goal)
        )

    def action_set_status(self) -> None:
        goal = self._need_goal()
        data = self.tree_data
        if goal is None or data is None or goal not in data:
            return
        line = data.line(goal)
        choices = [Choice("", "follow pace (automatic)", "auto automatic pace none")]
        choices += [Choice(s, GOAL_STATUS_LABELS[s], s) for s in GOAL_STATUSES]
        app = self.okrate

        def picked(status: str | None) -> None:
            if status is not None:
                self.run_worker(
                    self._run(goal_service.set_goal_status, app.actor, goal, None, status or None, focus=goal)
                )

        now = GOAL_STATUS_LABELS.get(line.status, line.status)
        how = "set by hand" if line.manual_status else "from pace"
        self.app.push_screen(
            PickerScreen(f"Status of “{line.title}” (now {now}, {how})", choices, initial=line.manual_status or ""),
            picked,
        )

    def action_new_task(self) -> None:
        goal = self._need_goal()
        if goal is None:
            return
        app = self.okrate
        today = clock.today()
        fields = [
            Field("title", "Task", required=True, check=clean_title, placeholder="what needs doing"),
            Field("objective", "Objective", "", kind="area", help="what done looks like"),
            owner_field(app.actor.handle if app.actor else "", app.people),
            priority_field("medium"),
            deadline_field("", today),
        ]

        async def submit(values: dict[str, str]):
            return await app.db.call(
                task_service.create_task,
                app.actor,
                values["title"],
                goal=goal,
                objective=values["objective"],
                owner=values["owner"] or None,
                priority=values["priority"] or None,
                deadline=parse_deadline(values["deadline"], today),
            )

        title = self.tree_data.line(goal).title if self.tree_data and goal in self.tree_data else ""
        self.app.push_screen(
            FormScreen(f"New task for “{title}”", fields, submit), lambda task: task and self._changed(goal)
        )

    def action_open_board(self) -> None:
        goal = self._need_goal()
        if goal is not None:
            self.okrate.open_board(goal)

    def action_filter(self) -> None:
        box = self.query_one("#goal-filter", Input)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#goal-filter", Input)
        if not box.display and not self.filter_text:
            return
        box.value = ""
        box.display = False
        self.filter_text = ""
        self.goal_tree.focus()
        self._reconcile_after_filter()

    def action_toggle_focus(self) -> None:
        if self.goal_tree.has_focus:
            self.query_one(GoalDetail).focus()
        else:
            self.goal_tree.focus()

    @on(Input.Changed, "#goal-filter")
    def _filter_typed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self._reconcile_after_filter()

    @on(Input.Submitted, "#goal-filter")
    def _filter_done(self) -> None:
        self.goal_tree.focus()

    def _reconcile_after_filter(self) -> None:
        tree = self.goal_tree
        if not self.filter_text:
            for node in list(tree.root.children):
                node.collapse()
        self._reconcile()
        self._show_scope()
        if not tree.root.children:
            self._detail_for = None
            self.query_one(GoalDetail).show(None)
        else:
            self._refresh_detail()

    async def _run(self, fn, *args, focus: int | None = None) -> None:
        """Call a service; report its error where the person is looking."""
        from okrate_tui.core.errors import OkrateError

        try:
            await self.okrate.db.call(fn, *args)
        except OkrateError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self._changed(focus)
