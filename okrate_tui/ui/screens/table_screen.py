"""A full screen that lists rows in one table: a title, the table, a note under it and
the footer. The screen reads its rows again when what it shows changes elsewhere."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Footer
from textual.worker import Worker

from okrate_tui.ui.palette import tone
from okrate_tui.ui.screens.live import LiveScreen
from okrate_tui.ui.store.events import Event
from okrate_tui.ui.widgets.lists import KeyTable
from okrate_tui.ui.widgets.plain import Static
from okrate_tui.ui.widgets.status_banner import StatusBanner


class TableScreen(LiveScreen):
    """Subclasses name the box (``NAME``: ids ``NAME``, ``NAME-head``, ``NAME-table``,
    ``NAME-note``), the ``COLUMNS``, a ``heading()`` and a ``fill()`` that reads the rows
    and fills the table; ``load()`` runs it as a worker."""

    NAME: ClassVar[str] = "table"
    COLUMNS: ClassVar[tuple[str, ...]] = ()

    def heading(self) -> str:
        return ""

    def compose(self) -> ComposeResult:
        yield StatusBanner()
        with Vertical(id=self.NAME):
            yield Static(Text(f" {self.heading()}", style="bold"), id=f"{self.NAME}-head")
            yield KeyTable(id=f"{self.NAME}-table", cursor_type="row")
            yield Static("", id=f"{self.NAME}-note")
        yield Footer()

    def on_mount(self) -> None:
        # Textual calls each class's on_mount in turn: no super() here.
        self.table.add_columns(*self.COLUMNS)
        self.load()

    @property
    def table(self) -> DataTable:
        return self.query_one(f"#{self.NAME}-table", DataTable)

    def note(self, text: str) -> None:
        self.query_one(f"#{self.NAME}-note", Static).update(Text(text, style=tone("muted")))

    def reload_on_change(self, events: list[Event]) -> None:
        self.load()

    def load(self) -> Worker[None]:
        """Read the rows again and fill the table, in a worker (a newer read replaces an older one)."""
        return self.run_worker(self.fill, name="load", group=self.NAME, exclusive=True)

    async def fill(self) -> None:
        """Read the rows and fill the table."""
        raise NotImplementedError
