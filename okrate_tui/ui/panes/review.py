"""The cycle review pane: the people of a cycle with their progress, work and review
states; from here a person's review workspace, a one-on-one, analytics and cycles."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import getters, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import ContentSwitcher, DataTable

from okrate_tui.core import clock
from okrate_tui.core.errors import OkrateError
from okrate_tui.core.queries import reviews as read
from okrate_tui.core.queries.org import CycleRow, PersonRow
from okrate_tui.core.reports import packet_text
from okrate_tui.ui.clipboard import copy_made
from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.exports import export_file
from okrate_tui.ui.format import month_day, percent, plural
from okrate_tui.ui.host import Host
from okrate_tui.ui.palette import tone
from okrate_tui.ui.store.changed import StoreChanged
from okrate_tui.ui.store.events import CycleMoved, Event, PeopleChanged, RecordsChanged
from okrate_tui.ui.widgets.lists import KeyTable
from okrate_tui.ui.widgets.plain import Static

NO_CYCLE = "No cycle yet: an admin adds one with c."
SHOWN = frozenset({"review", "goal", "task", "key_result", "check_in", "milestone", "person", "cycle"})
STATE_TONE = {"draft": "warning", "submitted": "ok", "calibrated": "ok_strong", None: "muted"}


def state_text(state: str | None) -> Text:
    return Text(state or "—", style=tone(STATE_TONE.get(state, "")))


class ReviewPane(Vertical):
    """People of the current cycle, as the acting person may see them."""

    BINDINGS: ClassVar[list[BindingType]] = default_keys("review")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: list[read.ReviewRow] = []
        self.dirty = True
        self._soon: Timer | None = None

    okrate = getters.app(Host)

    def compose(self) -> ComposeResult:
        yield Static("", id="review-cycle")
        table = KeyTable(id="review-people", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="review-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("person", "team", "goals", "progress", "done", "open", "late", "self", "manager", "rating")
        self.app.theme_changed_signal.subscribe(self, self._recolour)

    def _recolour(self, _theme: object) -> None:
        """Another theme: draw the table again in its colours (now if it is showing)."""
        self.dirty = True
        self._catch_up()

    def focus_target(self) -> DataTable:
        if self.dirty:
            self.load()
        return self.query_one(DataTable)

    def on_store_changed(self, message: StoreChanged) -> None:
        self._heard(message.event)

    def _heard(self, event: Event) -> None:
        """What the people table shows changed: read it again (now if it is showing)."""
        relevant = isinstance(event, CycleMoved | PeopleChanged) or (
            isinstance(event, RecordsChanged) and any(t.entity in SHOWN for t in event.touches)
        )
        if not relevant:
            return
        self.dirty = True
        if self._soon is None:  # changes arriving together are read once
            self._soon = self.set_timer(0.3, self._catch_up)

    def _catch_up(self) -> None:
        self._soon = None
        if self.dirty and self.is_mounted and self.screen.query_one("#panes", ContentSwitcher).current == "review":
            self.load()

    def load(self) -> None:
        self.dirty = False
        self._load()

    @work(exclusive=True, group="review-load")
    async def _load(self) -> None:
        app = self.okrate
        actor, cycle = app.actor, app.cycle
        if actor is None or cycle is None:  # no cycle yet, or the last one is gone
            self.rows = []
            self.query_one(DataTable).clear()
            self.query_one("#review-cycle", Static).update(Text(NO_CYCLE, style=tone("muted")))
            self.query_one("#review-hint", Static).update("")
            return
        try:
            self.rows = await app.db.read(read.people_overview, actor, cycle.id, clock.today(), app.tree_for(cycle.id))
        except OkrateError as exc:
            self.dirty = True
            self.notify(str(exc), severity="error")
            return
        head = Text()
        head.append(f"{cycle.name}", style="bold")
        head.append(
            f" · {cycle.state} · {month_day(cycle.starts)} → {month_day(cycle.ends)} · "
            f"{plural(len(self.rows), 'person', 'people')}"
        )
        if actor.role == "member":
            head.append(" · you see your own review", style=tone("muted"))
        elif actor.role == "manager":
            head.append(" · you see yourself and the people below you", style=tone("muted"))
        self.query_one("#review-cycle", Static).update(head)
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for row in self.rows:
            table.add_row(
                Text.assemble((row.name, "bold"), f"  @{row.handle}"),
                row.team or "—",
                str(row.goals),
                percent(row.progress) if row.progress is not None else "—",
                str(row.tasks_done),
                str(row.tasks_open),
                Text(str(row.overdue), style=tone("error") if row.overdue else ""),
                state_text(row.self_state),
                state_text(row.manager_state),
                str(row.manager_rating) if row.manager_rating is not None else "—",
                key=str(row.id),
            )
        if self.rows:
            table.move_cursor(row=min(max(keep, 0), len(self.rows) - 1))
        self.query_one("#review-hint", Static).update(
            Text("enter review workspace · o one-on-one · a analytics · c cycles · x export", style=tone("muted"))
        )

    def acting(self) -> tuple[PersonRow, CycleRow] | None:
        """Who acts in which cycle, or None (and a word why) when there is no cycle yet."""
        actor, cycle = self.okrate.actor, self.okrate.cycle
        if actor is None or cycle is None:
            self.notify(NO_CYCLE, severity="warning")
            return None
        return actor, cycle

    def selected(self) -> read.ReviewRow | None:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            self.notify("Nobody selected.", severity="warning")
            return None
        return self.rows[table.cursor_row]

    def target(self) -> tuple[PersonRow, CycleRow, read.ReviewRow] | None:
        """Who acts, in which cycle, on whose row; None (and a word why) when one is missing."""
        acting = self.acting()
        if acting is None:
            return None
        row = self.selected()
        return None if row is None else (*acting, row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_workspace()  # the table takes enter itself: it means the same

    def action_workspace(self) -> None:
        target = self.target()
        if target is not None:
            self._open_workspace(target[2].id)

    @work(exclusive=True, group="review-open")
    async def _open_workspace(self, person_id: int) -> None:
        """Read first, then show: one paint, and the database never races the screen."""
        from okrate_tui.ui.screens.review_workspace import ReviewWorkspace

        app = self.okrate
        acting = self.acting()
        if acting is None:
            return
        actor, cycle = acting
        try:
            space = await app.db.call(read.workspace, actor, cycle.id, person_id, clock.today(), app.tree_for(cycle.id))
        except OkrateError as exc:
            self.notify(str(exc), severity="error")
            return
        await app.push_screen(ReviewWorkspace(person_id, space))

    def action_one_on_one(self) -> None:
        from okrate_tui.ui.screens.walkthrough import WalkthroughScreen

        target = self.target()
        if target is not None:
            # on yourself: your latest one-on-one with your manager (points, notes, action items)
            self.app.push_screen(WalkthroughScreen(target[2].id))

    def action_analytics(self) -> None:
        from okrate_tui.ui.screens.analytics import AnalyticsScreen

        if self.acting() is None:
            return
        self.app.push_screen(AnalyticsScreen())

    def action_cycles(self) -> None:
        from okrate_tui.ui.screens.cycles import CyclesScreen

        self.app.push_screen(CyclesScreen())

    def action_export_person(self) -> None:
        target = self.target()
        if target is None:
            return
        app = self.okrate
        actor, cycle, row = target

        def make() -> str:
            return packet_text(actor, cycle.id, clock.today(), row.id)

        name = f"okrate-{cycle.name.replace(' ', '-')}-{row.handle}.md"
        command = f"report cycle {cycle.id} --person {row.handle}"
        export_file(app, f"Export {row.name}'s review packet", name, make, command)

    def action_copy(self) -> None:
        target = self.target()
        if target is None:
            return
        actor, cycle, row = target
        self.run_worker(
            copy_made(self.okrate, lambda: packet_text(actor, cycle.id, clock.today(), row.id)), group="copy"
        )

    def action_export_all(self) -> None:
        acting = self.acting()
        if acting is None:
            return
        app = self.okrate
        actor, cycle = acting

        def make() -> str:
            return packet_text(actor, cycle.id, clock.today())

        name = f"okrate-{cycle.name.replace(' ', '-')}.md"
        export_file(app, f"Export the {cycle.name} review packet", name, make, f"report cycle {cycle.id}")
