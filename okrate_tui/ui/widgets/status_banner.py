"""A line that appears while the database cannot be reached or its file is gone, on
every screen, and says since when and what still works."""

from __future__ import annotations

from rich.text import Text

from okrate_tui.ui.store.changed import StoreChanged
from okrate_tui.ui.store.events import Event, Health, HealthChanged
from okrate_tui.ui.widgets.plain import Static


class StatusBanner(Static):
    DEFAULT_CSS = """
    StatusBanner { height: auto; background: $error 30%; color: $text; padding: 0 1; }
    """

    def on_mount(self) -> None:
        session = getattr(self.app, "session", None)
        self.show_health(session.health if session is not None else Health())

    def on_store_changed(self, message: StoreChanged) -> None:
        self._heard(message.event)

    def _heard(self, event: Event) -> None:
        if isinstance(event, HealthChanged):
            self.show_health(event.health)

    def show_health(self, health: Health) -> None:
        self.display = not health.ok
        if not health.ok:
            self.update(Text(f"⚠ {health.sentence()}", style="bold"))
