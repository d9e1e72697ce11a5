"""The help screen: every binding of the current pane and of the app, read from the
bindings themselves so it can never drift from what the keys do."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen

from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.palette import tone
from okrate_tui.ui.widgets.plain import Label, Static


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = default_keys("help")

    def __init__(self, sections: list[tuple[str, list[tuple[str, Binding]]]], config_note: str):
        super().__init__()
        self.sections = sections
        self.config_note = config_note

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Label("Keys", id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(self._table())
            yield Static(self.config_note, id="help-note")

    def _table(self) -> Table:
        table = Table(box=None, padding=(0, 2), show_header=False, expand=True)
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("action")
        table.add_column("id", style=tone("muted"), no_wrap=True)
        for title, rows in self.sections:
            table.add_row(Text(title, style="bold underline"), "", "")
            for keys, binding in rows:
                table.add_row(Text(keys), Text(binding.tooltip or binding.description), Text(binding.id or ""))
            table.add_row("", "", "")
        return table

    def action_close(self) -> None:
        self.dismiss(None)
