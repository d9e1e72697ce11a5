"""The line at the top: who is acting, in which cycle, and which pane is showing."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

PANES = (("goals", "1 Goals"), ("board", "2 Board"), ("review", "3 Review"))


class TopBar(Static):
    person = reactive("")
    cycle = reactive("")
    pane = reactive("goals")

    def render(self) -> Text:
        text = Text()
        text.append(" Okrate ", style="bold reverse")
        text.append("  ")
        for key, label in PANES:
            style = "bold reverse" if key == self.pane else "bright_black"
            text.append(f" {label} ", style=style)
            text.append(" ")
        right = Text()
        if self.person:
            right.append(self.person, style="bold")
        if self.cycle:
            right.append(f"  ·  {self.cycle}")
        room = self.size.width - text.cell_len - right.cell_len - 1
        if room > 0:
            text.append(" " * room)
            text.append_text(right)
        return text
