"""Every check-in of one key result, newest first, with who and when, and corrections:
a wrong value, confidence or note is put right here (the old one stays in the history)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import BindingType

from okrate_tui.core.errors import NotFoundError
from okrate_tui.core.queries.key_results import CheckInEntry, check_in_history, key_result_info
from okrate_tui.core.services import key_results as kr_service
from okrate_tui.core.validation import parse_confidence, parse_number
from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.format import compact, day_label, percent, plain_number
from okrate_tui.ui.forms.form import Field, FormScreen
from okrate_tui.ui.guard import Guarded, closed_refusal
from okrate_tui.ui.palette import tone
from okrate_tui.ui.screens.table_screen import TableScreen
from okrate_tui.ui.store.events import Touch


class CheckInsScreen(Guarded, TableScreen[CheckInEntry]):
    """The check-in history of one key result (``refusal`` comes from the goals pane's
    rules: whoever may check in on the goal, or the check-in's author, corrects it)."""

    NAME = "check-ins"
    COLUMNS = ("when", "value", "sure", "by", "note", "")
    WATCHES = frozenset({"check_in", "key_result"})
    BINDINGS: ClassVar[list[BindingType]] = default_keys("check_ins")

    def __init__(self, kr_id: int, title: str, may_check_in: str | None) -> None:
        super().__init__()
        self.kr_id = kr_id
        self.kr_title = title
        self.may_check_in = may_check_in  # why the actor may not check in on the goal, or None
        self.unit = ""

    def heading(self) -> str:
        return f"Check-ins of “{self.kr_title}”"

    def shows(self, touch: Touch) -> bool:
        return touch.entity == "check_in" or (touch.entity == "key_result" and touch.entity_id == self.kr_id)

    @property
    def entries(self) -> list[CheckInEntry]:
        return self.rows

    async def read(self) -> list[CheckInEntry] | None:
        try:
            info, entries = await self.okrate.db.read(
                lambda: (key_result_info(self.kr_id), check_in_history(self.kr_id))
            )
        except NotFoundError:
            self.notify(self.okrate.session.gone_sentence("key_result", self.kr_id, "key result"), severity="warning")
            self.dismiss(None)
            return None
        unit = info.key_result.unit
        self.unit = unit if unit not in ("", "%") else ""
        return entries

    def key(self, entry: CheckInEntry) -> int:
        return entry.id

    def cells(self, entry: CheckInEntry) -> tuple[str | Text, ...]:
        when = f"{day_label(entry.at)} {entry.at:%H:%M}"
        value = Text(compact(entry.value) + (f" {self.unit}" if self.unit else ""), style="bold")
        if entry.corrected and entry.original_value is not None and entry.original_value != entry.value:
            value.append(f" (was {compact(entry.original_value)})", style=tone("muted"))
        sure = percent(entry.confidence) if entry.confidence is not None else "—"
        fixed = ""
        if entry.corrected:
            fixed = f"corrected by @{entry.corrected_by or '?'} {day_label(entry.corrected_at, '')}"
        return (
            when,
            value,
            sure,
            f"@{entry.by}" if entry.by else "—",
            Text(entry.note.replace("\n", " ")[:60], style="italic"),
            Text(("current · " if entry.latest else "") + fixed, style=tone("muted")),
        )

    def filled(self) -> None:
        count = len(self.entries)
        note = f"{count} check-in{'s' if count != 1 else ''}; the newest sets the current value"
        if not count:
            note = "No check-ins yet: c in the goal tree records one."
        self.note(note)

    def refusal(self, action: str) -> str | None:
        if action != "correct":
            return None
        closed = closed_refusal(self.okrate.session)
        if closed is not None:
            return closed
        entry, actor = self.current(), self.okrate.session.actor
        if entry is None or actor is None or entry.by == actor.handle:
            return None
        return self.may_check_in

    def action_correct(self) -> None:
        entry = self.current()
        if entry is None:
            return
        app = self.okrate
        initial = {
            "value": plain_number(entry.value),
            "confidence": percent(entry.confidence) if entry.confidence is not None else "",
            "note": entry.note,
        }
        fields = [
            Field("value", "Value", initial["value"], required=True, check=parse_number),
            Field("confidence", "Confidence", initial["confidence"], check=parse_confidence, placeholder="70%"),
            Field("note", "Note", initial["note"], kind="area"),
        ]

        async def submit(values: dict[str, str]) -> Any:
            changes: dict[str, Any] = {k: v for k, v in values.items() if v != initial[k]}
            if "confidence" in changes and not changes["confidence"]:
                changes["confidence"] = None
            if not changes:
                return ("unchanged", None)
            return await app.writer.save(kr_service.correct_check_in, entry.id, entry.version, **changes)

        def saved(result: Any) -> None:
            if isinstance(result, tuple) and result[1]:
                app.session.own_ops.add(result[1])
                self.notify("Corrected; the old value stays in the history.")
                app.after_write()
                self.load()

        when = f"{day_label(entry.at)} {entry.at:%H:%M}"
        self.app.push_screen(FormScreen(f"Correct the check-in of {when}", fields, submit), saved)

    def action_close(self) -> None:
        self.dismiss(None)
