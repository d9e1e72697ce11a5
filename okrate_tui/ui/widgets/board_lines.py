"""The board's two lines of words: the scope line (what is shown, the filter, undo) and
the workload strip (open and late tasks per owner). Each repaints only when what it says
changed: a repaint costs bytes and time over SSH."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from okrate_tui.core.queries.board import Labels
from okrate_tui.ui.format import plural
from okrate_tui.ui.models.board import BoardModel
from okrate_tui.ui.models.edits import BoardView
from okrate_tui.ui.palette import tone
from okrate_tui.ui.widgets.plain import Static


class Line(Static):
    """A line that repaints only when its text or styles changed."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self._said: tuple[object, ...] | None = None

    def say(self, text: Text) -> None:
        said = (text.plain, str(text.style), tuple(text.spans))
        if said != self._said:
            self._said = said
            self.update(text, layout=False)


class ScopeLine(Line):
    """``Board · my tasks · 12 tasks · u undoes (2)``, or what a filter found."""

    def show(self, model: BoardModel, scope: str, loaded: bool, cycle: str, undoable: int) -> None:
        text = Text()
        if model.view is BoardView.NEXT:
            text.append("Next", style="bold")
            text.append(f" · your open tasks in {cycle} · N returns to the board")
        else:
            text.append("Board", style="bold")
            shown, total = model.counts()
            if not loaded:
                text.append(f" · {scope} · reading…", style=tone("muted"))
            elif not model.wanted.empty:  # beside the filter line: what it found comes first
                text.append(f" · {shown:,} of {total:,}", style="bold")
                text.append(f" · filter: {model.wanted.describe()}", style=tone("urgent"))
                text.append(f" · {scope} · esc clears", style=tone("muted"))
            else:
                text.append(f" · {scope}")
                text.append(f" · {plural(total, 'task')}", style=tone("muted"))
            for problem in model.wanted.problems:
                text.append(f"  ✗ {problem}", style=tone("error"))
        if undoable:
            text.append(f" · u undoes ({undoable})", style=tone("muted"))
        self.say(text)


class WorkloadLine(Line):
    """``workload @ana 4/1!  @li 3  +2 more``: open tasks per owner, late ones marked."""

    def show(self, rows: list[tuple[int | None, int, int]], labels: Labels, loaded: bool, width: int) -> None:
        text = Text("workload ", style="bold")
        for shown, (owner, open_count, late) in enumerate(rows):
            name = f"@{labels.handles.get(owner, '?')}" if owner is not None else "nobody"
            piece = Text(f"{name} {open_count}")
            if late:
                piece.append(f"/{late}!", style=tone("error"))
            piece.append("  ")
            if text.cell_len + piece.cell_len > width:
                text.append(f"+{len(rows) - shown} more", style=tone("muted"))
                break
            text.append_text(piece)
        if not rows:
            text.append("no open tasks in this scope" if loaded else "reading…", style=tone("muted"))
        self.say(text)
