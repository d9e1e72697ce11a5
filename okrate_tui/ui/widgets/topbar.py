"""The line at the top: who is acting, in which cycle, and which pane is showing."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

PANES = (("goals", "1 Goals"), ("board", "2 Board"), ("review", "3 Review"))


class TopBar(Static):
    person = reactive("")
    handle = reactive("")
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
        for who, where in ((self.person, self.cycle), (self.handle, self.cycle.split(" · ")[0])):
            right = Text()
            if who:
                right.append(who, style="bold")
            if where:
                right.append(f"  ·  {where}")
            room = self.size.width - text.cell_len - right.cell_len - 1
            if room > 0:
                text.append(" " * room)
                text.append_text(right)
                break
        return text
