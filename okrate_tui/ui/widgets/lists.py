"""Tables and option lists that move with ``j`` and ``k`` as well as the arrows, like
every other list and tree of the app. Strings in their cells and options are shown as
written, never read as markup (see :mod:`okrate_tui.ui.widgets.plain`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.widgets import DataTable, OptionList
from textual.widgets.data_table import RowKey

from okrate_tui.ui.default_keys import default_keys


def _plain(cell: Any) -> Any:
    return Text(cell, end="") if isinstance(cell, str) else cell


class KeyTable(DataTable[Any]):
    BINDINGS: ClassVar[list[BindingType]] = default_keys("table")

    def add_row(self, *cells: Any, **kwargs: Any) -> RowKey:
        return super().add_row(*map(_plain, cells), **kwargs)

    def add_rows(self, rows: Iterable[Iterable[Any]]) -> list[RowKey]:
        return [self.add_row(*row) for row in rows]

    def update_cell(self, row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell(row_key, column_key, _plain(value), **kwargs)

    def update_cell_at(self, coordinate: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell_at(coordinate, _plain(value), **kwargs)


class KeyList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = default_keys("list")

    def __init__(self, *content: Any, **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(*content, **kwargs)
