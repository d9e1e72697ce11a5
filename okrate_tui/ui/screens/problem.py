"""A screen for a problem that stops the app from working (a database it cannot open)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from okrate_tui.ui.palette import tone
from okrate_tui.ui.server_session import scrub


class ProblemScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q,escape", "app.quit", "Quit", id="problem.quit")]

    def __init__(self, message: str, title: str = "Okrate cannot open its database"):
        super().__init__()
        self.message = scrub(message)  # a team server's paths are not shown to the people it serves
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="problem"):
            yield Static(Text(self.title_text, style=tone("late")))
            yield Static(self.message)
            yield Static(Text("q quits", style=tone("muted")))
