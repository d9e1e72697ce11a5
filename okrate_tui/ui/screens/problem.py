"""A screen for a problem that stops the app from working (a database it cannot open)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import Screen

from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.palette import tone
from okrate_tui.ui.server_session import scrub
from okrate_tui.ui.widgets.plain import Static


class ProblemScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = default_keys("problem")

    def __init__(self, message: str, title: str = "Okrate cannot open its database"):
        super().__init__()
        self.message = scrub(message)  # a team server's paths are not shown to the people it serves
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="problem"):
            yield Static(Text(self.title_text, style=tone("late")))
            yield Static(self.message)
            yield Static(Text("q quits", style=tone("muted")))
