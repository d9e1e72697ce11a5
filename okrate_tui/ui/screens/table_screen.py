"""A full screen that lists rows in one table: a title, the table, a note under it and
the footer. The screen reads its rows again when what it shows changes elsewhere."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import ClassVar, Generic, TypeVar

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Footer
from textual.worker import Worker

from okrate_tui.core.errors import OkrateError
from okrate_tui.ui.palette import tone
from okrate_tui.ui.screens.live import LiveScreen
from okrate_tui.ui.store.events import Event
from okrate_tui.ui.widgets.lists import KeyTable
from okrate_tui.ui.widgets.plain import Static
from okrate_tui.ui.widgets.status_banner import StatusBanner

RowT = TypeVar("RowT")


class TableScreen(LiveScreen, Generic[RowT]):
    """Subclasses name the box (``NAME``: ids ``NAME``, ``NAME-head``, ``NAME-table``,
    ``NAME-note``), the ``COLUMNS`` and a ``heading()``; ``read()`` reads the rows,
    ``cells()`` draws one, ``key()`` says which row is which (the cursor stays on it
    through a reread) and ``filled()`` writes the note. ``load()`` runs it as a worker."""

    NAME: ClassVar[str] = "table"
    COLUMNS: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[RowT] = []

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

    async def read(self) -> list[RowT] | None:
        """The rows, or None when there is nothing to show (the screen has said why).
        An ``OkrateError`` is told where the person is and the table stays as it was."""
        raise NotImplementedError

    def cells(self, row: RowT) -> Sequence[RenderableType]:
        """One row of the table."""
        raise NotImplementedError

    def key(self, row: RowT) -> Hashable:
        """What the row is (its id), to keep the cursor on it when the rows are read again."""
        return None

    def filled(self) -> None:
        """After the table is filled: the note under it."""

    def current(self) -> RowT | None:
        """The row under the cursor."""
        index = self.table.cursor_row
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()  # what may be done depends on the row

    async def fill(self) -> None:
        """Read the rows and fill the table, the cursor on the row it was on."""
        try:
            rows = await self.read()
        except OkrateError as exc:
            self.notify(str(exc), severity="error")
            return
        if rows is None:
            return
        before = self.current()  # where the cursor is now, after any key pressed during the read
        self.rows = rows
        table = self.table
        keep = table.cursor_row
        keys = [self.key(row) for row in rows]
        if before is not None and self.key(before) is not None and self.key(before) in keys:
            keep = keys.index(self.key(before))
        table.clear()
        for row in rows:
            table.add_row(*self.cells(row))
        table.move_cursor(row=min(max(keep, 0), max(len(rows) - 1, 0)))
        self.filled()
        self.refresh_bindings()
