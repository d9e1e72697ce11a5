"""The detail panel of the selected goal: what it is, how it is measured, the work
behind it, and why its progress is what it is."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from okrate_tui.core.queries.details import GoalDetail as GoalDetailView
from okrate_tui.core.queries.details import KeyResultView
from okrate_tui.core.rules.health import GOAL_FLAG_LABELS
from okrate_tui.core.wording import points
from okrate_tui.ui.format import STATUS_STYLE, bar, compact, number, percent, status_text, truncate

KIND_LABEL = {"key_result": "KR", "milestone": "milestone", "goal": "sub-goal"}


def _day(value: date | None) -> str:
    return value.strftime("%b %-d") if value else "—"


def _when(value: datetime | None) -> str:
    return value.strftime("%b %-d") if value else ""


def key_result_lines(kr: KeyResultView) -> Text:
    """Two or three lines for one key result: progress, the numbers, the last check-in."""
    text = Text()
    style = "strike bright_black" if kr.archived else "bold"
    text.append(kr.title, style=style)
    text.append("\n")
    text.append_text(bar(kr.progress, 10))
    text.append(f" {percent(kr.progress):>4}  ")
    unit = f" {kr.unit}" if kr.unit and kr.unit != "%" else kr.unit or ""
    if kr.kind == "binary":
        text.append("done" if kr.current >= 1 else "not done yet")
    else:
        text.append(f"{compact(kr.baseline)} → ")
        text.append(compact(kr.current), style="bold")
        text.append(f" → {compact(kr.target)}{unit}")
    last = kr.last_check_in
    text.append("\n")
    if last:
        sure = f", {percent(last.confidence)} sure" if last.confidence is not None else ""
        text.append(f"last: {compact(last.value)}{sure} · @{last.by} {_when(last.at)}", style="bright_black")
        if last.note:
            text.append(f" · “{last.note}”", style="italic bright_black")
    else:
        text.append("no check-in yet", style="bright_black")
    return text


class GoalDetail(VerticalScroll):
    """Shows one goal's detail (see ``okrate_tui.core.queries.details.goal_detail``)."""

    can_focus = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.detail: GoalDetailView | None = None

    def compose(self) -> ComposeResult:
        yield Static("Select a goal to see why it stands where it does.", id="detail-head")
        yield Static("", id="kr-title")
        results = OptionList(id="kr-list")
        results.can_focus = False
        yield results
        yield Static("", id="detail-body")

    def on_mount(self) -> None:
        self.query_one("#kr-list", OptionList).display = False

    @property
    def selected_key_result(self) -> int | None:
        """The first live key result (the check-in form lets the person pick another)."""
        if not self.detail:
            return None
        live = [kr for kr in self.detail.key_results if not kr.archived]
        return live[0].id if live else None

    def show(self, detail: GoalDetailView | None) -> None:
        self.detail = detail
        head = self.query_one("#detail-head", Static)
        results = self.query_one("#kr-list", OptionList)
        if detail is None:
            head.update("Select a goal to see why it stands where it does.")
            self.query_one("#kr-title", Static).update("")
            self.query_one("#detail-body", Static).update("")
            results.display = False
            return
        head.update(self._head(detail))
        self._key_results(detail, results)
        self.query_one("#detail-body", Static).update(self._body(detail))

    def _head(self, d: GoalDetailView) -> Text:
        text = Text()
        text.append(d.title, style="bold")
        if d.archived:
            text.append("  (archived)", style="bright_black")
        text.append("\n")
        path = " › ".join(step.title for step in d.path[:-1])
        if path:
            text.append(truncate(path, 200) + "\n", style="bright_black")
        style = STATUS_STYLE.get(d.status, "")
        text.append_text(bar(d.progress, 16, style))
        text.append(f" {percent(d.progress)}  ", style="bold")
        text.append_text(status_text(d.status))
        if d.manual_status:
            text.append(f" ({d.status_reason or 'set by hand'})", style="bright_black")
        if d.behind:
            text.append(f"\n⚑ behind pace: {percent(d.expected)} expected by now", style="red")
        text.append("\n")
        owner = f"@{d.owner}" if d.owner else "no owner"
        dates = f"{_day(d.starts)} → {_day(d.due)}" if d.starts or d.due else d.cycle
        text.append(f"{d.level} · {owner} · {d.team or 'no team'} · {dates}", style="bright_black")
        if d.weight != 1:
            text.append(f" · weight {number(d.weight)}", style="bright_black")
        if d.description:
            text.append("\n\n" + d.description)
        return text

    def _key_results(self, d: GoalDetailView, results: OptionList) -> None:
        title = self.query_one("#kr-title", Static)
        results.clear_options()
        if not d.key_results:
            title.update(Text("\nNo key results yet: press k to add one.", style="bright_black"))
            results.display = False
            return
        title.update(Text("\nKey results", style="bold"))
        results.add_options([Option(key_result_lines(kr)) for kr in d.key_results])
        results.highlighted = None
        results.display = True

    def _body(self, d: GoalDetailView) -> Group:
        parts: list[Text] = []
        if d.milestones:
            parts.append(Text("\nMilestones", style="bold"))
            for m in d.milestones:
                mark = Text("✓ ", style="green") if m.done else Text("○ ")
                parts.append(Text.assemble(mark, m.title, (f"  due {_day(m.due)}", "bright_black")))
        work = d.execution
        parts.append(Text("\nExecution", style="bold"))
        line = Text(f"{work.done}/{work.total} tasks done")
        if work.total:
            line.append(f" ({percent(work.done / work.total)})")
        line.append(f" · {work.open} open · {work.blocked} blocked")
        parts.append(line)
        problems = Text()
        if work.overdue:
            problems.append(f"{work.overdue} overdue  ", style="red")
        if work.unowned:
            problems.append(f"{work.unowned} without owner  ", style="yellow")
        if work.no_deadline:
            problems.append(f"{work.no_deadline} without deadline", style="yellow")
        if problems:
            parts.append(problems)
        flags = [GOAL_FLAG_LABELS.get(f, f) for f in d.health]
        if flags:
            parts.append(Text("health: " + ", ".join(flags), style="yellow"))
        parts.append(Text(f"\nWhy {percent(d.progress)}?", style="bold"))
        if not d.breakdown:
            parts.append(Text("Nothing measures this goal yet: add key results or sub-goals.", style="bright_black"))
            return Group(*parts)
        total = sum(p.weight for p in d.breakdown)
        for part in d.breakdown:
            share = part.weight / total if total else 0
            row = Text()
            row.append(f"{points(part.contribution)} ", style="bold")
            row.append(f"{KIND_LABEL.get(part.kind, part.kind)} ", style="bright_black")
            row.append(part.title)
            row.append(f"  {percent(part.progress)} × {percent(share)} share", style="bright_black")
            parts.append(row)
        parts.append(
            Text(f"each part adds progress × its share of the weight ({number(total)} in all)", style="bright_black")
        )
        return Group(*parts)
