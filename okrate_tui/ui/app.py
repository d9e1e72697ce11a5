"""The Okrate app (a first screen: the organisation at a glance)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from okrate_tui.core.db import open_db
from okrate_tui.core.identity import acting_person
from okrate_tui.core.queries.details import goal_list
from okrate_tui.core.services.cycles import current_cycle


class OkrateApp(App[int]):
    TITLE = "Okrate"
    BINDINGS: ClassVar = [Binding("q", "quit", "Quit", id="app.quit")]

    def __init__(self, url: str | None = None, as_handle: str | None = None):
        super().__init__()
        self.url = url
        self.as_handle = as_handle

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="body")
        yield Footer()

    def on_mount(self) -> None:
        open_db(self.url)
        person = acting_person(self.as_handle)
        cycle = current_cycle()
        self.sub_title = f"{person.handle if person else '?'} · {cycle.name if cycle else 'no cycle'}"
        lines = []
        if cycle:
            for goal in goal_list(cycle.id):
                lines.append(f"{'  ' * goal['depth']}{goal['title']}  {round(goal['progress'] * 100)}%")
        self.query_one("#body", Static).update("\n".join(lines) or "No goals yet.")
