"""Quick add: one line that becomes a task, with a live reading of what was understood."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from okrate_tui.core.inputs import declare
from okrate_tui.core.parsing import QuickAdd, parse_quick_add
from okrate_tui.core.wording import month_day
from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.palette import tone
from okrate_tui.ui.widgets.plain import Label, Static

declare("form", "quick add", "task.title", module=__name__)  # the line is parsed, its title saved as a task's

HELP = (
    "@owner @me @none  !priority ! !! !!! !hi  ^deadline fri +3d 2026-12-01\n"
    "#goal or #goal/milestone: a word of each title  ·  \\#123 types #123"
)


class QuickAddScreen(ModalScreen[QuickAdd | None]):
    """Dismisses with what was understood, or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = default_keys("quick_add")

    def __init__(
        self,
        today: date,
        handles: Sequence[str],
        goals: Sequence[tuple[int, str]],
        scope_goal: str | None,
        *,
        milestones: Sequence[tuple[int, int, str]] = (),
        me: str | None = None,
    ) -> None:
        super().__init__()
        self.today = today
        self.handles = list(handles)
        self.goals = list(goals)
        self.milestones = list(milestones)
        self.me = me
        self.scope_goal = scope_goal
        self.reading = QuickAdd()

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Label("New task", id="form-title")
            yield Input(placeholder="Draft launch email @maria !high ^fri #campaign", id="quick-input")
            yield Static("", id="quick-preview")
            yield Static(
                HELP
                + (
                    f"\nwithout #, the task serves “{self.scope_goal}”"
                    if self.scope_goal
                    else "\nwithout #, you pick the goal next"
                ),
                classes="field-help",
            )

    def _read(self, value: str) -> QuickAdd:
        return parse_quick_add(
            value, self.today, handles=self.handles, goals=self.goals, milestones=self.milestones, me=self.me
        )

    @on(Input.Changed, "#quick-input")
    def _typed(self, event: Input.Changed) -> None:
        self.reading = self._read(event.value)
        self.query_one("#quick-preview", Static).update(self._preview(event.value))

    def _preview(self, raw: str) -> Text:
        r = self.reading
        text = Text()
        if not raw.strip():
            return text
        text.append("title ", style=tone("muted"))
        text.append(r.title or "—", style="bold")
        if r.owner or r.owner_given:
            text.append("  owner ", style=tone("muted"))
            text.append(f"@{r.owner}" if r.owner else "nobody")
        if r.priority:
            text.append("  priority ", style=tone("muted"))
            text.append(r.priority)
        if r.deadline:
            text.append("  due ", style=tone("muted"))
            text.append(month_day(r.deadline, weekday=True))
        if r.goal_title:
            text.append("  goal ", style=tone("muted"))
            text.append(r.goal_title)
        if r.milestone_title:
            text.append("  milestone ", style=tone("muted"))
            text.append(r.milestone_title)
        for problem in r.problems:
            text.append(f"\n✗ {problem}", style=tone("error"))
        return text

    @on(Input.Submitted, "#quick-input")
    def _enter(self, event: Input.Submitted) -> None:
        self.reading = self._read(event.value)
        self.query_one("#quick-preview", Static).update(self._preview(event.value or " "))
        if not self.reading.problems:
            self.dismiss(self.reading)

    def action_cancel(self) -> None:
        self.dismiss(None)
