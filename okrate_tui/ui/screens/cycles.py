"""Cycles: their states and dates; create, edit and advance them, close one with
carry-over, and switch the app to another cycle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.widgets import DataTable

from okrate_tui.core import clock
from okrate_tui.core.errors import OkrateError
from okrate_tui.core.queries import org
from okrate_tui.core.services import cycles as svc
from okrate_tui.core.services.carry_over import CarrySummary, ClosePreview, close_cycle, close_preview
from okrate_tui.core.validation import clean_title
from okrate_tui.core.vocab import CYCLE_STATE_PHRASES
from okrate_tui.core.wording import day_month, plural
from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.forms.fields import date_field
from okrate_tui.ui.forms.form import Field, FormScreen
from okrate_tui.ui.palette import tone
from okrate_tui.ui.screens.close_questions import ask_resets
from okrate_tui.ui.screens.confirm import ConfirmScreen
from okrate_tui.ui.screens.picker import Choice, PickerScreen
from okrate_tui.ui.screens.table_screen import TableScreen

STATE_TONE = {"planning": "info", "active": "ok", "review": "warning", "closed": "muted"}
NEXT = {"planning": "active", "active": "review"}


class CyclesScreen(TableScreen[org.CycleRow]):
    NAME = "cycles"
    COLUMNS = ("cycle", "state", "starts", "ends", "")
    WATCHES = frozenset({"cycle"})
    BINDINGS: ClassVar[list[BindingType]] = default_keys("cycles")

    @property
    def cycles(self) -> list[org.CycleRow]:
        return self.rows

    def heading(self) -> str:
        return "Cycles"

    async def read(self) -> list[org.CycleRow]:
        return await self.okrate.db.read(org.cycles)

    def key(self, row: org.CycleRow) -> int:
        return row.id

    def cells(self, row: org.CycleRow) -> tuple[Text, Text, str, str, Text]:
        here = "← you are here" if self.okrate.cycle and row.id == self.okrate.cycle.id else ""
        return (
            Text(row.name, style="bold"),
            Text(row.state, style=tone(STATE_TONE[row.state])),
            f"{row.starts:%Y-%m-%d}",
            f"{row.ends:%Y-%m-%d}",
            Text(here, style=tone("muted")),
        )

    def filled(self) -> None:
        actor = self.okrate.actor
        note = (
            "closing offers to carry unfinished goals and open tasks into the next cycle"
            if actor is not None and actor.role == "admin"
            else "admins create, advance and close cycles"
        )
        self.note(note)

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
            date_field("starts", "Starts", cycle.starts.isoformat() if cycle else "", required=True),
            date_field("ends", "Ends", cycle.ends.isoformat() if cycle else "", required=True),
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
        reset: bool | set[int] = False
        progress = ""
        if mode != "none":
            try:
                rehearsal = await self._rehearse(cycle, mode, move, False)
                answer = await ask_resets(app, rehearsal)
                if answer is None:
                    return
                reset = answer
                if reset:
                    rehearsal = await self._rehearse(cycle, mode, move, reset)
            except OkrateError as exc:
                self.notify(str(exc), severity="error", timeout=10)
                return
            progress = " " + rehearsal.progress_sentence()
        wording = {"copy": "copying its open tasks", "move": "moving its open tasks", "none": "carrying nothing"}
        what = f"Close {cycle.name}, {wording[mode]}"
        if move:
            what += f" and moving {plural(preview.stale_deadlines, 'deadline')} to {day_month(preview.deadlines_to)}"
        after = "A closed cycle is read-only; an admin can reopen it with o." + progress
        question, detail = (preview.early, f"{what}. {after}") if preview.early else (f"{what}?", after)
        if await app.push_screen_wait(ConfirmScreen(question, detail, watch=("cycle", cycle.id))):
            self._close(cycle, mode, move, bool(preview.early), reset)

    async def _rehearse(self, cycle: org.CycleRow, mode: str, move: bool, reset: bool | set[int]) -> CarrySummary:
        """The close done and rolled back: where each carried goal would start."""
        summary: CarrySummary = await self.okrate.writer.call(
            close_cycle, cycle.id, cycle.version, mode, move_deadlines=move, early=True, reset=reset, dry_run=True
        )
        return summary

    @work(group="cycles-save")
    async def _close(self, cycle: org.CycleRow, mode: str, move: bool, early: bool, reset: bool | set[int]) -> None:
        try:
            summary = await self.okrate.writer.call(
                close_cycle, cycle.id, cycle.version, mode, move_deadlines=move, early=early, reset=reset
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
