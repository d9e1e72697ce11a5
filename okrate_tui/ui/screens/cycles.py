"""Cycles: their states and dates; create, edit and advance them, close one with
carry-over, and switch the app to another cycle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from okrate_tui.core import clock
from okrate_tui.core.errors import OkrateError
from okrate_tui.core.queries import org
from okrate_tui.core.services import cycles as svc
from okrate_tui.core.services.carry_over import ClosePreview, close_cycle, close_preview
from okrate_tui.core.validation import clean_title, parse_date
from okrate_tui.core.vocab import CYCLE_STATE_PHRASES
from okrate_tui.core.wording import day_month, plural
from okrate_tui.ui.forms.fields import DATE_PLACEHOLDER
from okrate_tui.ui.forms.form import Field, FormScreen
from okrate_tui.ui.palette import tone
from okrate_tui.ui.screens.confirm import ConfirmScreen
from okrate_tui.ui.screens.picker import Choice, PickerScreen
from okrate_tui.ui.screens.table_screen import TableScreen

STATE_TONE = {"planning": "info", "active": "ok", "review": "warning", "closed": "muted"}
NEXT = {"planning": "active", "active": "review"}


class CyclesScreen(TableScreen):
    NAME = "cycles"
    COLUMNS = ("cycle", "state", "starts", "ends", "")
    WATCHES = frozenset({"cycle"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "switch", "Open", tooltip="Work in this cycle", id="cycles.open"),
        Binding("n", "new", "New", tooltip="A new cycle (admins)", id="cycles.new"),
        Binding("e", "edit", "Edit", tooltip="Rename or change the dates (admins)", id="cycles.edit"),
        Binding("a", "advance", "Advance", tooltip="planning → active → review (admins)", id="cycles.advance"),
        Binding(
            "z", "close_cycle", "Close", tooltip="Close a cycle in review, with carry-over (admins)", id="cycles.close"
        ),
        Binding("o", "reopen", "Reopen", tooltip="Take a cycle one step back (admins)", id="cycles.reopen"),
        Binding("escape,q", "close", "Back", id="cycles.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cycles: list[org.CycleRow] = []

    def heading(self) -> str:
        return "Cycles"

    async def fill(self) -> None:
        try:
            self.cycles = await self.okrate.db.read(org.cycles)
        except OkrateError as exc:
            self.notify(str(exc), severity="error")
            return
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for cycle in self.cycles:
            here = "← you are here" if self.okrate.cycle and cycle.id == self.okrate.cycle.id else ""
            table.add_row(
                Text(cycle.name, style="bold"),
                Text(cycle.state, style=tone(STATE_TONE[cycle.state])),
                f"{cycle.starts:%Y-%m-%d}",
                f"{cycle.ends:%Y-%m-%d}",
                Text(here, style=tone("muted")),
            )
        table.move_cursor(row=min(max(keep, 0), max(len(self.cycles) - 1, 0)))
        actor = self.okrate.actor
        note = (
            "closing offers to carry unfinished goals and open tasks into the next cycle"
            if actor is not None and actor.role == "admin"
            else "admins create, advance and close cycles"
        )
        self.note(note)

    def current(self) -> org.CycleRow | None:
        index = self.query_one(DataTable).cursor_row
        return self.cycles[index] if 0 <= index < len(self.cycles) else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_switch()

    def action_switch(self) -> None:
        cycle = self.current()
        if cycle is not None:
            if cycle != self.okrate.cycle:
                self.okrate.session.cycles = self.cycles
                self.okrate.session.choose_cycle(cycle, f"Now in {cycle.name} ({cycle.state}).")
            self.dismiss(None)

    def _fields(self, cycle: org.CycleRow | None = None) -> list[Field]:
        return [
            Field("name", "Name", cycle.name if cycle else "", required=True, check=lambda v: clean_title(v, 80)),
            Field(
                "starts",
                "Starts",
                cycle.starts.isoformat() if cycle else "",
                required=True,
                check=parse_date,
                placeholder=DATE_PLACEHOLDER,
            ),
            Field(
                "ends",
                "Ends",
                cycle.ends.isoformat() if cycle else "",
                required=True,
                check=parse_date,
                placeholder=DATE_PLACEHOLDER,
            ),
        ]

    def _admin(self) -> bool:
        actor = self.okrate.actor
        if actor is None:  # nobody acts before the app has started
            return False
        if actor.role == "admin":
            return True
        self.notify(
            f"Cycles are created, advanced and closed by admins; @{actor.handle} is a {actor.role}.",
            severity="warning",
        )
        return False

    def _saved(self, result: object) -> None:
        """A form closed: read the cycles again when it saved something."""
        if result:
            self.load()

    def action_new(self) -> None:
        if not self._admin():
            return
        app = self.okrate

        async def submit(values: dict[str, str]) -> Any:
            return await app.writer.call(svc.create_cycle, values["name"], values["starts"], values["ends"])

        app.push_screen(FormScreen("New cycle (starts in planning)", self._fields(), submit), self._saved)

    def action_edit(self) -> None:
        cycle = self.current()
        if cycle is None or not self._admin():
            return
        app = self.okrate
        initial = {"name": cycle.name, "starts": cycle.starts.isoformat(), "ends": cycle.ends.isoformat()}

        async def submit(values: dict[str, str]) -> Any:
            changes = {k: v for k, v in values.items() if v != initial[k]}
            return await app.writer.call(svc.edit_cycle, cycle.id, cycle.version, **changes)

        app.push_screen(FormScreen(f"Edit {cycle.name}", self._fields(cycle), submit), self._saved)

    def action_advance(self) -> None:
        cycle = self.current()
        if cycle is None or not self._admin():
            return
        following = NEXT.get(cycle.state)
        if following is None:
            hint = "z closes it, with carry-over" if cycle.state == "review" else "o reopens it"
            self.notify(f"{cycle.name} is {CYCLE_STATE_PHRASES[cycle.state]}: {hint}.", severity="warning")
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._call(svc.set_cycle_state, cycle.id, cycle.version, following)

        self.app.push_screen(ConfirmScreen(f"Move {cycle.name} from {cycle.state} to {following}?"), answer)

    def action_reopen(self) -> None:
        cycle = self.current()
        if cycle is None or not self._admin():
            return
        if cycle.state == "planning":
            self.notify(f"{cycle.name} is in planning: nothing to reopen.", severity="warning")
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._call(svc.reopen_cycle, cycle.id, cycle.version)

        self.app.push_screen(ConfirmScreen(f"Take {cycle.name} one step back, from {cycle.state}?"), answer)

    def action_close_cycle(self) -> None:
        cycle = self.current()
        if cycle is None or not self._admin():
            return
        if cycle.state != "review":
            self.notify(
                f"{cycle.name} is {CYCLE_STATE_PHRASES[cycle.state]}: a cycle closes from review (a advances it).",
                severity="warning",
            )
            return
        self._ask_close(cycle)

    @work(group="ask-cycles-close")
    async def _ask_close(self, cycle: org.CycleRow) -> None:
        """Carry what, move stale deadlines or not, and (before its end date) close it at all?"""
        app = self.okrate
        try:
            preview: ClosePreview = await app.db.read(close_preview, cycle.id, clock.today())
        except OkrateError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        made = " (made now)" if preview.creates_cycle else ""
        choices = [
            Choice("copy", "Carry over, copying open tasks (this cycle keeps its record)", "copy carry"),
            Choice("move", "Carry over, moving open tasks (this cycle then shows only finished work)", "move"),
            Choice("none", "Close without carrying anything over", "none nothing"),
        ]
        mode = await app.push_screen_wait(
            PickerScreen(
                f"Close {cycle.name}: unfinished goals and open tasks…",
                choices,
                hint=f"{plural(preview.goals, 'unfinished goal')} and {plural(preview.tasks, 'open task')} "
                f"would go to {preview.into}{made}, where they start",
            )
        )
        if not mode:
            return
        move = False
        if mode != "none" and preview.stale_deadlines:
            answer = await app.push_screen_wait(
                PickerScreen(
                    preview.deadline_question(),
                    [
                        Choice("move", f"Move them to {day_month(preview.deadlines_to)}", "move yes"),
                        Choice("keep", "Keep the deadlines they have", "keep no"),
                    ],
                )
            )
            if not answer:
                return
            move = answer == "move"
        wording = {"copy": "copying its open tasks", "move": "moving its open tasks", "none": "carrying nothing"}
        what = f"Close {cycle.name}, {wording[mode]}"
        if move:
            what += f" and moving {plural(preview.stale_deadlines, 'deadline')} to {day_month(preview.deadlines_to)}"
        after = "A closed cycle is read-only; an admin can reopen it with o."
        question, detail = (preview.early, f"{what}. {after}") if preview.early else (f"{what}?", after)
        if await app.push_screen_wait(ConfirmScreen(question, detail, watch=("cycle", cycle.id))):
            self._close(cycle, mode, move, bool(preview.early))

    @work(group="cycles-save")
    async def _close(self, cycle: org.CycleRow, mode: str, move: bool, early: bool) -> None:
        try:
            summary = await self.okrate.writer.call(
                close_cycle, cycle.id, cycle.version, mode, move_deadlines=move, early=early
            )
        except OkrateError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.notify(summary.describe(), title="Closed", timeout=15)
        await self.okrate.refresh_now()  # the session moves on to the next cycle and says so
        self.load()

    @work(group="cycles-save")
    async def _call(self, fn: Callable[..., object], *args: object) -> None:
        try:
            await self.okrate.writer.call(fn, *args)
        except OkrateError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        await self.okrate.refresh_now()
        self.load()

    def action_close(self) -> None:
        self.dismiss(None)
