"""Everything about one task: objective, context, goal path, milestone, dates, history."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from rich.console import Group
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen

from okrate_tui.core.queries.details import TaskDetail
from okrate_tui.core.queries.task_history import HistoryLine
from okrate_tui.core.rules.health import TASK_FLAG_LABELS
from okrate_tui.core.vocab import TASK_STATUS_LABELS
from okrate_tui.core.wording import month_day
from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.palette import tone
from okrate_tui.ui.widgets.plain import Label, Static


def _when(value: Any) -> str:
    if value is None:
        return "—"
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return f"{month_day(moment)} {moment:%H:%M}"


class TaskDetailScreen(ModalScreen[str | None]):
    """Dismisses with "edit" when the person asks to edit from here."""

    BINDINGS: ClassVar[list[BindingType]] = default_keys("task_detail")

    def __init__(self, detail: TaskDetail, history: list[HistoryLine], next_place: str = ""):
        super().__init__()
        self.detail = detail
        self.history = history
        self.next_place = next_place  # where it stands in the person's Next, and why

    def compose(self) -> ComposeResult:
        d = self.detail
        with Vertical(id="help"):
            yield Label(f"Task {d.id}: {d.title}", id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(self._body())
            yield Static("e edit · esc close", id="help-note")

    def _body(self) -> Group:
        d = self.detail
        parts: list[Text] = []
        path = " › ".join(step.title for step in d.goal_path)

        def row(name: str, value: str | Text, style: str | Style = "") -> None:
            line = Text(f"{name:<11}", style=tone("muted"))
            line.append(value if isinstance(value, Text) else Text(value, style=style))
            parts.append(line)

        row("status", TASK_STATUS_LABELS.get(d.status, d.status), "bold")
        row("priority", d.priority or "none")
        row("owner", f"@{d.owner}" if d.owner else "nobody")
        row("deadline", d.deadline.isoformat() if d.deadline else "none")
        row("goal", path)
        row("milestone", d.milestone.title if d.milestone else "none")
        row("created", f"{_when(d.created_at)} by @{d.created_by or '?'}")
        row("updated", _when(d.updated_at))
        if d.completed_at:
            row("completed", _when(d.completed_at))
        flags = [TASK_FLAG_LABELS.get(f, f) for f in d.health]
        if flags:
            row("health", ", ".join(flags), tone("warning"))
        if self.next_place:
            row("next", self.next_place)
        parts.append(Text("\nObjective", style="bold"))
        parts.append(Text(d.objective or "none written yet", style="" if d.objective else tone("muted")))
        parts.append(Text("\nContext", style="bold"))
        parts.append(Text(d.context or "none", style="" if d.context else tone("muted")))
        parts.append(Text("\nHistory", style="bold"))
        for entry in self.history:  # one line for each thing someone did
            line = Text(f"{_when(entry.at)}  ", style=tone("muted"))
            line.append(f"@{entry.by} " if entry.by else "someone ")
            line.append(entry.what)
            parts.append(line)
        return Group(*parts)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_edit(self) -> None:
        self.dismiss("edit")
