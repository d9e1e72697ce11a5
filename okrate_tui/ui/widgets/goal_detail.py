"""The detail panel of the selected goal: what it is, how it is measured, the work
behind it, and why its progress is what it is."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll

from okrate_tui.core.explain import basis_sentences
from okrate_tui.core.queries.details import GoalDetail as GoalDetailView
from okrate_tui.core.queries.tasks import TaskRow
from okrate_tui.core.rules.health import GOAL_FLAG_LABELS
from okrate_tui.core.wording import points
from okrate_tui.ui.format import STATUS_TONE, bar, day_label, number, percent, status_text, truncate
from okrate_tui.ui.palette import tone
from okrate_tui.ui.widgets.part_list import PartList
from okrate_tui.ui.widgets.plain import Static

KIND_LABEL = {"key_result": "KR", "milestone": "milestone", "goal": "sub-goal", "tasks": "tasks"}


class GoalDetail(VerticalScroll):
    """Shows one goal's detail (see ``okrate_tui.core.queries.details.goal_detail``):
    a head, the goal's parts (key results, milestones, tasks) as a list with keys of
    its own, and why its progress is what it is."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.detail: GoalDetailView | None = None
        self.tasks: list[TaskRow] = []  # the tasks the parts list shows

    def compose(self) -> ComposeResult:
        yield Static("Select a goal to see why it stands where it does.", id="detail-head")
        yield PartList(id="parts")
        yield Static("", id="detail-body")

    def on_mount(self) -> None:
        self.query_one(PartList).display = False

    @property
    def parts(self) -> PartList:
        return self.query_one(PartList)

    @property
    def selected_key_result(self) -> int | None:
        """The key result under the part cursor, else the first live one."""
        if not self.detail:
            return None
        kind, ident = self.parts.current
        if kind == "kr":
            return ident
        live = [kr for kr in self.detail.key_results if not kr.archived]
        return live[0].id if live else None

    def focus(self, scroll_visible: bool = True) -> GoalDetail:
        """Focus goes to the parts (the panel itself only scrolls)."""
        if self.detail is not None:
            self.parts.focus(scroll_visible)
        return self

    def show(self, detail: GoalDetailView | None, tasks: tuple[list[TaskRow], int] = ([], 0)) -> None:
        self.detail = detail
        self.tasks = list(tasks[0]) if detail is not None else []
        head = self.query_one("#detail-head", Static)
        parts = self.parts
        if detail is None:
            head.update("Select a goal to see why it stands where it does.")
            self.query_one("#detail-body", Static).update("")
            parts.show(None, [], 0)
            parts.display = False
            return
        head.update(self._head(detail))
        parts.show(detail, *tasks)
        parts.display = True
        self.query_one("#detail-body", Static).update(self._body(detail))

    def _head(self, d: GoalDetailView) -> Text:
        text = Text()
        text.append(d.title, style="bold")
        if d.archived:
            text.append("  (archived)", style=tone("muted"))
        text.append("\n")
        path = " › ".join(step.title for step in d.path[:-1])
        if path:
            text.append(truncate(path, 200) + "\n", style=tone("muted"))
        style = tone(STATUS_TONE.get(d.status, ""))
        text.append_text(bar(d.progress, 16, style))
        text.append(f" {percent(d.progress)}  ", style="bold")
        text.append_text(status_text(d.status))
        if d.manual_status:
            text.append(f" ({d.status_reason or 'set by hand'})", style=tone("muted"))
        if d.behind and d.basis == "execution":
            text.append(f"\n⚑ late: {d.late_items} of {d.due_items} due by today not done", style=tone("error"))
        elif d.behind:
            text.append(f"\n⚑ behind pace: {percent(d.expected)} expected by now", style=tone("error"))
        text.append("\n")
        owner = f"@{d.owner}" if d.owner else "no owner"
        dates = f"{day_label(d.starts)} → {day_label(d.due)}" if d.starts or d.due else d.cycle
        text.append(f"{d.level} · {owner} · {d.team or 'no team'} · {dates}", style=tone("muted"))
        if d.weight != 1:
            text.append(f" · weight {number(d.weight)}", style=tone("muted"))
        if d.description:
            text.append("\n\n" + d.description)
        return text

    def _body(self, d: GoalDetailView) -> Group:
        parts: list[Text] = []
        work = d.execution
        parts.append(Text("\nExecution", style="bold"))
        line = Text(f"{work.done}/{work.total} tasks done")
        if work.total:
            line.append(f" ({percent(work.done / work.total)})")
        line.append(f" · {work.open} open · {work.blocked} blocked")
        parts.append(line)
        problems = Text()
        if work.overdue:
            problems.append(f"{work.overdue} overdue  ", style=tone("error"))
        if work.unowned:
            problems.append(f"{work.unowned} without owner  ", style=tone("warning"))
        if work.no_deadline:
            problems.append(f"{work.no_deadline} without deadline", style=tone("warning"))
        if problems:
            parts.append(problems)
        flags = [GOAL_FLAG_LABELS.get(f, f) for f in d.health]
        if flags:
            parts.append(Text("health: " + ", ".join(flags), style=tone("warning")))
        parts.append(Text(f"\nWhy {percent(d.progress)}?", style="bold"))
        for sentence in basis_sentences(d):
            parts.append(Text(sentence, style=tone("muted")))
        if not d.breakdown:
            return Group(*parts)
        total = sum(p.weight for p in d.breakdown)
        for part in d.breakdown:
            share = part.weight / total if total else 0
            row = Text()
            row.append(f"{points(part.contribution)} ", style="bold")
            row.append(f"{KIND_LABEL.get(part.kind, part.kind)} ", style=tone("muted"))
            row.append(part.title)
            row.append(f"  {percent(part.progress)} × {percent(share)} share", style=tone("muted"))
            parts.append(row)
        parts.append(
            Text(f"each part adds progress × its share of the weight ({number(total)} in all)", style=tone("muted"))
        )
        return Group(*parts)
