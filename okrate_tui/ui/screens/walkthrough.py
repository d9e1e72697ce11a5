"""A one-on-one: step through the report's goals with talking points and notes beside
them, and below them every open task the report owns, under whoever's goal; action items
become tasks for the report under the goal on screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, OptionList
from textual.widgets.option_list import Option

from okrate_tui.core import clock
from okrate_tui.core.errors import OkrateError
from okrate_tui.core.parsing import parse_deadline
from okrate_tui.core.queries.details import task_detail
from okrate_tui.core.queries.org import PersonRow
from okrate_tui.core.queries.reviews import GoalPage, MeetingRow, MeetingView, PointRow, ReportTask
from okrate_tui.core.queries.task_history import history_lines
from okrate_tui.core.reports import meeting_text
from okrate_tui.core.services import reviews as svc
from okrate_tui.core.validation import clean_text, clean_title
from okrate_tui.core.vocab import GOAL_STATUS_LABELS
from okrate_tui.ui.clipboard import copy_made
from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.format import STATUS_TONE, bar, compact, due_text, milestone_lines, percent, plural
from okrate_tui.ui.forms.fields import deadline_field, priority_field
from okrate_tui.ui.forms.form import Field, FormScreen, Watch
from okrate_tui.ui.palette import tone
from okrate_tui.ui.screens.live import LiveScreen
from okrate_tui.ui.store.events import Event, RecordsChanged, Touch
from okrate_tui.ui.widgets.lists import KeyList
from okrate_tui.ui.widgets.plain import Static
from okrate_tui.ui.widgets.status_banner import StatusBanner


def goal_page(goal: GoalPage, index: int, total: int) -> Group:
    style = tone(STATUS_TONE.get(goal.status, ""))
    parts = [Text(f"Goal {index + 1} of {total}", style=tone("muted")), Text(goal.title, style="bold")]
    line = Text.assemble(bar(goal.progress, 16, style), f" {percent(goal.progress)}  ")
    line.append(GOAL_STATUS_LABELS.get(goal.status, goal.status), style=style)
    if goal.behind:
        line.append(f"  ⚑ {percent(goal.expected)} expected by now", style=tone("error"))
    parts.append(line)
    parts.append(Text("\nKey results", style="bold"))
    if not goal.key_results:
        parts.append(Text("none yet", style=tone("muted")))
    for kr in goal.key_results:
        parts.append(
            Text(
                f"{kr.title}: {compact(kr.baseline)} → {compact(kr.current)} → "
                f"{compact(kr.target)} {kr.unit} ({percent(kr.progress)})"
            )
        )
        last = kr.last_check_in
        if last:
            sure = f", {percent(last.confidence)} sure" if last.confidence is not None else ""
            note = f" “{last.note}”" if last.note else ""
            parts.append(
                Text(
                    f"  last {compact(last.value)}{sure} by @{last.by} on {last.at:%Y-%m-%d}{note}",
                    style=tone("muted"),
                )
            )
    parts += milestone_lines(goal.milestones)
    work = goal.execution
    parts.append(Text(f"\nTasks behind it ({work.done}/{work.total} done)", style="bold"))
    for task in goal.tasks[:25]:
        mark = "✓" if task.status == "done" else ("⛔" if task.status == "blocked" else "·")
        row = Text(f"{mark} {task.title}")
        if task.overdue:
            row.append(f"  late since {task.deadline}", style=tone("error"))
        elif task.status == "blocked":
            row.append("  blocked", style=tone("error"))
        row.append(f"  @{task.owner}" if task.owner else "  no owner", style=tone("muted"))
        parts.append(row)
    if len(goal.tasks) > 25:
        parts.append(Text(f"… {len(goal.tasks) - 25} more", style=tone("muted")))
    return Group(*parts)


def task_option(task: ReportTask, today: date) -> Text:
    """One open task of the report: its state, title, deadline, and the goal it serves."""
    mark = "⛔ " if task.status == "blocked" else ("▸ " if task.status == "doing" else "· ")
    row = Text(mark, style=tone("error") if task.status == "blocked" else "")
    row.append(task.title)
    row.append("  ")
    row.append_text(due_text(task.deadline, today))
    where = f"  {task.goal}" + (f" › {task.milestone}" if task.milestone else "")
    row.append(where, style=tone("muted"))
    row.append(f" (@{task.goal_owner})" if task.goal_owner else " (no owner)", style=tone("muted"))
    return row


class WalkthroughScreen(LiveScreen):
    WATCHES = frozenset({"one_on_one", "talking_point", "goal", "task", "key_result", "check_in"})
    BINDINGS: ClassVar[list[BindingType]] = default_keys("one_on_one")

    def __init__(self, report_id: int) -> None:
        """``report_id`` is the other person: a report of the actor's (or anyone, for an
        admin), or the actor's own id for their latest one-on-one as the report."""
        super().__init__()
        self.report_id = report_id
        self.goals: tuple[GoalPage, ...] = ()
        self.index = 0
        self.changed = False
        self.meeting: MeetingRow | None = None
        self.other: PersonRow | None = None  # whom the actor meets
        self.report: PersonRow | None = None  # whose goals are talked through
        self.points: tuple[PointRow, ...] = ()
        self.tasks: tuple[ReportTask, ...] = ()  # the report's open tasks, wherever they hang

    def compose(self) -> ComposeResult:
        yield StatusBanner()
        yield Static("", id="walk-head")
        with Horizontal(id="walk-split"):
            with Vertical(id="walk-main"):
                with VerticalScroll(id="walk-goal"):
                    yield Static("loading…", id="goal-page")
                with Vertical(id="walk-work"):
                    yield Static("", id="walk-tasks-title", classes="column-title")
                    yield KeyList(id="walk-tasks")
            with Vertical(id="walk-side"):
                yield Static(Text("Talking points", style="bold"), classes="column-title")
                yield KeyList(id="walk-points")
                yield Static("", id="walk-notes")
        yield Footer()

    def on_mount(self) -> None:
        self.load(first=True)

    def shows(self, touch: Touch) -> bool:
        """Only what this meeting shows: its points and notes, the report's goals, the
        tasks on them, and tasks that may have moved onto or off them."""
        if touch.entity in ("one_on_one", "talking_point", "key_result", "check_in"):
            return True
        pages = {page.id for page in self.goals}
        if touch.entity == "goal":
            return touch.entity_id in pages or bool(touch.fields & {"owner", "parent", "archived", "@create"})
        if touch.entity == "task":
            shown = {task.id for page in self.goals for task in page.tasks} | {task.id for task in self.tasks}
            return touch.entity_id in shown or bool(touch.fields & {"goal", "owner", "@create", "@restore"})
        return False

    def reload_on_change(self, events: list[Event]) -> None:
        """Another session changed something shown: read it again, and follow a newer
        meeting the other side started meanwhile."""
        started = any(
            isinstance(e, RecordsChanged) and any(t.entity == "one_on_one" and t.created for t in e.touches)
            for e in events
        )
        self.load(follow=started)

    @work(exclusive=True, group="walk")
    async def load(self, first: bool = False, follow: bool = False) -> None:
        app = self.okrate
        acting = self.acting("one-on-one")
        if acting is None:
            return
        actor, cycle = acting
        known = self.meeting.id if self.meeting is not None and not follow else None
        try:
            view: MeetingView = await app.db.read(
                svc.open_meeting,
                actor,
                self.report_id,
                cycle.id,
                clock.today(),
                meeting_id=known,
                tree=app.tree_for(cycle.id),
            )
        except OkrateError as exc:
            if first or self.meeting is None:
                self.notify(str(exc), severity="error", timeout=8)
                self.dismiss(None)
            else:
                self.notify(str(exc), severity="warning", timeout=8)
            return
        if self.meeting is not None and view.meeting.id != self.meeting.id and view.meeting.date > self.meeting.date:
            who = view.other(actor.id)
            starter = f"@{view.manager.handle}" if view.manager.id != actor.id else "You"
            self.notify(
                f"{starter} started the one-on-one of {view.meeting.date:%a %b} {view.meeting.date.day}"
                f"{' with @' + who.handle if who else ''}: now on it.",
                timeout=10,
            )
        self.meeting, self.points, self.goals, self.tasks = view.meeting, view.points, view.goals, view.tasks
        self.other, self.report = view.other(actor.id), view.report
        self.index = min(self.index, max(len(self.goals) - 1, 0))
        self.draw()

    def draw(self) -> None:
        meeting, other, cycle = self.meeting, self.other, self.okrate.cycle
        if meeting is None:  # not read yet
            return
        name = f"{other.name} (@{other.handle})" if other else "?"
        day = meeting.date
        head = Text(f" One-on-one with {name} · {day:%a %b} {day.day}", style="bold")
        if cycle is not None:
            head.append(f" · {cycle.name}", style="")
        self.query_one("#walk-head", Static).update(head)
        page = self.query_one("#goal-page", Static)
        if self.goals:
            page.update(goal_page(self.goals[self.index], self.index, len(self.goals)))
        else:
            page.update(Text("No goals of their own in this cycle.", style=tone("muted")))
        points = self.query_one("#walk-points", OptionList)
        keep = points.highlighted
        points.clear_options()
        for point in self.points:
            text = Text("[x] " if point.done else "[ ] ", style=tone("ok") if point.done else "")
            text.append(point.text, style=tone("struck") if point.done else "")
            if point.task_id is not None:
                text.append(f"  action item (task {point.task_id})", style=tone("info"))
            if point.private:
                text.append("  private", style=tone("special"))
            points.add_option(Option(text))
        if self.points:
            points.highlighted = min(keep or 0, len(self.points) - 1)
        notes = meeting.notes or "No notes yet: w writes them."
        self.query_one("#walk-notes", Static).update(Group(Text("\nNotes", style="bold"), Text(notes)))
        self._draw_tasks()
        if not isinstance(self.focused, OptionList):
            points.focus()

    def _draw_tasks(self) -> None:
        """The report's open tasks, wherever they hang (tab reaches the list, enter opens one)."""
        handle = self.report.handle if self.report else "?"
        late = sum(1 for task in self.tasks if task.overdue)
        title = Text(f"Open tasks of @{handle} ({len(self.tasks)}", style="bold")
        title.append(f", {late} late" if late else "")
        title.append(")")
        elsewhere = sum(1 for task in self.tasks if task.goal_owner != handle)
        if elsewhere:
            title.append(f" · {plural(elsewhere, 'task')} under others' goals", style=tone("muted"))
        self.query_one("#walk-tasks-title", Static).update(title)
        tasks = self.query_one("#walk-tasks", OptionList)
        keep = tasks.highlighted
        tasks.clear_options()
        today = clock.today()
        for task in self.tasks:
            tasks.add_option(Option(task_option(task, today), id=str(task.id)))
        if not self.tasks:
            tasks.add_option(Option(Text("None open in this cycle.", style=tone("muted")), disabled=True))
        elif keep is not None:
            tasks.highlighted = min(keep, len(self.tasks) - 1)

    def _meeting(self) -> MeetingRow | None:
        """The meeting on screen, or None (and a word why) while it is still being read."""
        if self.meeting is None:
            self.notify("The one-on-one is still being read: try again in a moment.", severity="warning")
        return self.meeting

    def _reload(self, saved: object = True) -> None:
        """A form closed: read the meeting again when it saved something."""
        if saved:
            self.load()

    def action_step(self, step: int) -> None:
        if len(self.goals) < 2:
            self.notify("Only one goal to talk about." if self.goals else "No goals in this cycle.")
            return
        self.index = (self.index + step) % len(self.goals)
        self.draw()

    @on(OptionList.OptionSelected, "#walk-points")
    def _selected(self) -> None:
        self.action_check()

    @on(OptionList.OptionSelected, "#walk-tasks")
    def _task_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self._open_task(int(event.option.id))

    @work(group="ask-walk-task")
    async def _open_task(self, task_id: int) -> None:
        """A task's whole story: objective, context, goal path, history."""
        from okrate_tui.ui.screens.task_detail import TaskDetailScreen

        app = self.okrate
        try:
            detail, changes = await app.db.read(lambda: (task_detail(task_id), history_lines(task_id)))
        except OkrateError as exc:
            self.notify(str(exc), severity="warning")
            return
        if await app.push_screen_wait(TaskDetailScreen(detail, changes)) == "edit":
            self.notify("Tasks are edited on the board: esc, then 2.")

    def action_check(self) -> None:
        if self.focused is self.query_one("#walk-tasks", OptionList):
            self.notify("space checks a talking point: tab goes back to them.")
            return
        index = self.query_one("#walk-points", OptionList).highlighted
        if index is None or not 0 <= index < len(self.points):
            return
        point = self.points[index]
        self._call(svc.check_talking_point, (point.id, point.version, not point.done))

    def action_point(self, private: bool) -> None:
        meeting = self._meeting()
        if meeting is None:
            return
        app = self.okrate
        fields = [Field("text", "Talking point", "", required=True, check=lambda v: clean_title(v, 500))]

        async def submit(values: dict[str, str]) -> Any:
            return await app.writer.call(svc.add_talking_point, meeting.id, values["text"], private=private)

        title = "Private talking point (only you see it)" if private else "Shared talking point"
        app.push_screen(FormScreen(title, fields, submit), self._reload)

    def action_action_item(self) -> None:
        meeting = self._meeting()
        if meeting is None:
            return
        if not self.goals:
            self.notify("Action items hang off a goal: this report has none in the cycle.", severity="warning")
            return
        app = self.okrate
        goal = self.goals[self.index]
        today = clock.today()
        fields = [
            Field("title", "Action item", "", required=True, check=clean_title, help=f"a task under “{goal.title}”"),
            deadline_field("", today),
            priority_field("medium"),
        ]

        async def submit(values: dict[str, str]) -> Any:
            return await app.writer.call(
                svc.add_action_item,
                meeting.id,
                goal.id,
                values["title"],
                deadline=parse_deadline(values["deadline"], today),
                priority=values["priority"] or None,
            )

        def saved(point: object) -> None:
            if point:
                self.notify("Action item added: it is on their board.")
                app.after_write()
                self.load()

        app.push_screen(FormScreen("New action item", fields, submit), saved)

    def action_notes(self) -> None:
        meeting = self._meeting()
        acting = self.acting("one-on-one") if meeting is not None else None
        if meeting is None or acting is None:
            return
        app = self.okrate
        actor, cycle = acting
        fields = [Field("notes", "Notes (both of you see them)", meeting.notes, kind="area", check=clean_text)]

        async def reread() -> tuple[dict[str, str], int | None]:
            view = await app.db.read(
                svc.open_meeting, actor, self.report_id, cycle.id, clock.today(), meeting_id=meeting.id
            )
            return {"notes": view.meeting.notes}, view.meeting.version

        watch = Watch("one_on_one", meeting.id, meeting.version, reread, noun="meeting's notes")

        async def submit(values: dict[str, str]) -> Any:
            return await app.writer.call(svc.edit_notes, meeting.id, watch.version, values["notes"])

        app.push_screen(FormScreen("Meeting notes", fields, submit, watch=watch), lambda _: self._reload())

    @work(group="walk-save")
    async def _call(self, fn: Callable[..., object], args: tuple[object, ...]) -> None:
        self.changed = True
        try:
            await self.okrate.writer.call(fn, *args)
        except OkrateError as exc:
            self.notify(str(exc), severity="error", timeout=8)
        self.load()

    def action_export(self) -> None:
        from okrate_tui.ui.exports import export_file

        app = self.okrate
        actor, meeting, report = app.actor, self._meeting(), self.report
        if actor is None or meeting is None:
            return
        name = f"one-on-one-{meeting.date}-{report.handle if report else 'report'}.md"
        other = self.other.handle if self.other else "?"
        export_file(
            app,
            "Export this one-on-one",
            name,
            lambda: meeting_text(actor, meeting.id, clock.today()),
            f"report one-on-one --with {other} --date {meeting.date}",
        )

    def action_copy(self) -> None:
        app = self.okrate
        actor, meeting = app.actor, self._meeting()
        if actor is not None and meeting is not None:
            self.run_worker(copy_made(app, partial(meeting_text, actor, meeting.id, clock.today())), group="copy")

    def action_close(self) -> None:
        if self.changed:
            self.okrate.after_write()
        self.dismiss(None)
