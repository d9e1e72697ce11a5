"""The line at the top: who is acting, in which cycle, and which pane is showing. It
follows the session store, so a cycle closed or a role changed elsewhere shows here."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive

from okrate_tui.ui.palette import tone
from okrate_tui.ui.store.changed import StoreChanged
from okrate_tui.ui.store.events import ActorChanged, CycleMoved, CyclesChanged, Event, HealthChanged
from okrate_tui.ui.widgets.plain import Static

PANES = (("goals", "1 Goals"), ("board", "2 Board"), ("review", "3 Review"))


class TopBar(Static):
    person = reactive("")
    handle = reactive("")
    cycle = reactive("")
    pane = reactive("goals")
    trouble = reactive("")

    def on_mount(self) -> None:
        self.follow()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh())

    def on_store_changed(self, message: StoreChanged) -> None:
        self._heard(message.event)

    def _heard(self, event: Event) -> None:
        if isinstance(event, ActorChanged | CycleMoved | CyclesChanged | HealthChanged):
            self.follow()

    def follow(self) -> None:
        session = getattr(self.app, "session", None)
        if session is None:
            return
        actor, cycle = session.actor, session.cycle
        if actor is not None:
            left = "" if actor.active else ", inactive"
            self.person = f"{actor.name} (@{actor.handle}, {actor.role}{left})"
            self.handle = f"@{actor.handle}"
        self.cycle = f"{cycle.name} · {cycle.state}" if cycle is not None else "no cycle yet"
        health = session.health
        trouble = {
            "unreachable": "⚠ offline",
            "damaged": "⚠ file damaged",
            "replaced": "⚠ file replaced",
            "overwritten": "⚠ file replaced",
        }
        self.trouble = "" if health.ok else trouble.get(health.state, "⚠ file gone")

    def render(self) -> Text:
        text = Text()
        text.append(" Okrate ", style="bold reverse")
        text.append("  ")
        for key, label in PANES:
            style = "bold reverse" if key == self.pane else tone("muted")
            text.append(f" {label} ", style=style)
            text.append(" ")
        if self.trouble:
            text.append(f" {self.trouble} ", style=tone("alarm"))
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
