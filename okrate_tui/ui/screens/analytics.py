"""Execution analytics: for the company, a team or a person, how goals stand, outcome
beside execution with the gaps flagged, overdue and unowned work, workload, and how
work and results moved week by week."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer

from okrate_tui.core import clock
from okrate_tui.core.errors import OkrateError
from okrate_tui.core.queries.analytics import Analytics, analytics
from okrate_tui.core.vocab import GOAL_STATUS_LABELS
from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.format import STATUS_MARK, STATUS_TONE, bar, percent, plural, sparkline, truncate
from okrate_tui.ui.palette import tone
from okrate_tui.ui.screens.live import LiveScreen
from okrate_tui.ui.screens.picker import Choice, PickerScreen
from okrate_tui.ui.store.events import Event
from okrate_tui.ui.widgets.plain import Static
from okrate_tui.ui.widgets.status_banner import StatusBanner


def report(data: Analytics, width: int) -> Group:
    parts: list[Any] = []
    counts = Text("Goals by status  ", style="bold")
    for status, count in sorted(data.goals_by_status, key=lambda kv: -kv[1]):
        counts.append(
            f"{STATUS_MARK.get(status, '?')} {GOAL_STATUS_LABELS.get(status, status)} {count}   ",
            style=tone(STATUS_TONE.get(status, "")),
        )
    parts.append(counts)
    tasks = data.tasks
    line = Text("Tasks  ", style="bold")
    line.append(f"{tasks.done}/{tasks.total} done")
    line.append(f"   {tasks.overdue} overdue", style=tone("error") if tasks.overdue else "")
    line.append(f"   {tasks.unowned} without owner", style=tone("warning") if tasks.unowned else "")
    parts.append(line)
    weeks = data.weeks
    if weeks:
        parts.append(
            Text.assemble(
                ("Finished per week  ", "bold"),
                sparkline(list(data.finished_per_week)),
                (f"  {sum(data.finished_per_week)} since {weeks[0].isoformat()}", tone("muted")),
            )
        )
        kr = data.kr_progress_per_week
        if kr:
            parts.append(
                Text.assemble(
                    ("Key results over time  ", "bold"),
                    sparkline(list(kr), top=1.0),
                    (f"  {percent(kr[0])} → {percent(kr[-1])}", tone("muted")),
                )
            )
    gaps = [g for g in data.goals if g.gap]
    parts.append(
        Text(
            f"\nOutcome beside execution ({plural(len(data.goals), 'goal')}; {plural(len(gaps), 'gap')})",
            style="bold",
        )
    )
    table = Table(box=None, padding=(0, 1), show_header=True, header_style=tone("muted"), expand=False)
    title_room = min(max(width - 80, 16), 48)
    table.add_column("goal", no_wrap=True, max_width=title_room)
    table.add_column("outcome", no_wrap=True, min_width=11)
    table.add_column("execution", no_wrap=True, min_width=13)
    table.add_column("late", justify="right", min_width=4)
    table.add_column("gap", no_wrap=True, overflow="ellipsis", max_width=max(width - title_room - 36, 8))
    shown = sorted(data.goals, key=lambda g: (g.gap is None, g.level != "company", g.id))[:60]
    for goal in shown:
        style = tone(STATUS_TONE.get(goal.status, ""))
        outcome = Text.assemble(bar(goal.progress, 6, style), f" {percent(goal.progress):>4}")
        execution = Text.assemble(bar(goal.execution, 6, tone("info")), f" {goal.done}/{goal.tasks}")
        table.add_row(
            Text(truncate(goal.title, title_room)),  # a title is text, never markup
            outcome,
            execution,
            Text(str(goal.overdue) if goal.overdue else "", style=tone("error")),
            Text(goal.gap or "", style=tone("warning")),
        )
    parts.append(table)
    if len(data.goals) > len(shown):
        parts.append(Text(f"… {plural(len(data.goals) - len(shown), 'more goal', 'more goals')}", style=tone("muted")))
    parts.append(Text("\nWorkload (open / overdue)", style="bold"))
    top = data.workload[:15]
    most = max((w.open for w in top), default=1)
    for who in top:
        parts.append(
            Text.assemble(
                f"{'nobody' if who.handle == 'nobody' else '@' + who.handle:<15} ",
                bar(who.open / most, 12, tone("info")),
                f" {who.open:>4}",
                (f" / {who.overdue}" if who.overdue else "", tone("error")),
            )
        )
    if len(data.workload) > 15:
        parts.append(Text(f"… {len(data.workload) - 15} more people", style=tone("muted")))
    return Group(*parts)


class AnalyticsScreen(LiveScreen):
    WATCHES = frozenset({"goal", "task", "key_result", "check_in", "milestone"})
    BINDINGS: ClassVar[list[BindingType]] = default_keys("analytics")

    def __init__(self) -> None:
        super().__init__()
        self.scope: tuple[str, int | None, str] = ("company", None, "the whole company")

    def compose(self) -> ComposeResult:
        yield StatusBanner()
        yield Static("", id="analytics-head")
        with VerticalScroll(id="analytics-body"):
            yield Static("loading…", id="analytics")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def reload_on_change(self, events: list[Event]) -> None:
        self.load()

    @work(exclusive=True, group="analytics")
    async def load(self) -> None:
        app = self.okrate
        kind, ident, label = self.scope
        acting = self.acting("analytics view")
        if acting is None:
            return
        cycle = acting[1]
        try:
            data = await app.db.read(analytics, cycle.id, clock.today(), kind, ident, app.tree_for(cycle.id))
        except OkrateError as exc:
            self.notify(str(exc), severity="error")
            return
        head = Text(f" Analytics · {data.cycle.name} · {label}", style="bold")
        head.append("   s changes the scope", style=tone("muted"))
        self.query_one("#analytics-head", Static).update(head)
        self.query_one("#analytics", Static).update(report(data, self.size.width or 120))

    def action_scope(self) -> None:
        app = self.okrate
        choices = [Choice(("company", None, "the whole company"), "The whole company", "company all")]
        choices += [Choice(("team", tid, f"team {name}"), f"Team: {name}", f"team {name}") for tid, name in app.teams]
        choices += [
            Choice(("person", p.id, f"@{p.handle}"), f"{p.name}  @{p.handle}", f"{p.name} {p.handle}")
            for p in app.people
        ]

        def picked(scope: tuple[str, int | None, str] | None) -> None:
            if scope is not None:
                self.scope = scope
                self.load()

        self.app.push_screen(PickerScreen("Analytics for…", choices), picked)

    def action_close(self) -> None:
        self.dismiss(None)
