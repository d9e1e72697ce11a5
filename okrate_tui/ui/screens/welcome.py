"""First run on an empty database: load the demo, or start your own organisation."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer

from okrate_tui.ui.default_keys import default_keys
from okrate_tui.ui.widgets.plain import Static


class WelcomeScreen(Screen[str]):
    """Dismisses with "demo" or "start"."""

    BINDINGS: ClassVar[list[BindingType]] = default_keys("welcome")

    def __init__(self, where: str, *, demo: bool = True):
        super().__init__()
        self.where = where
        self.demo = demo  # a shared database is for real work: the demo has its own file

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.demo or parameters != ("demo",)

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome"):
            yield Static(Text("Welcome to Okrate", style="bold"), id="welcome-title")
            yield Static(
                f"Goals, key results and the tasks behind them, in one place.\nThis database is empty:\n{self.where}\n"
            )
            demo = (
                ("  d  ", "bold reverse"),
                "  Load the demo organisation: 12 people, 4 teams, a goal tree,\n"
                "        key results with check-ins and about 80 tasks to explore.\n\n",
            )
            yield Static(
                Text.assemble(
                    *(demo if self.demo else ()),
                    ("  s  ", "bold reverse"),
                    "  Start my own: you, your first cycle and your company goal.\n\n",
                    ("  q  ", "bold reverse"),
                    "  Quit.",
                )
            )
        yield Footer()

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
