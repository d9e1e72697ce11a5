"""Full screens that follow the session store: they read themselves again when another
session (or this one, elsewhere) changes what they show, at most a few times a second."""

from __future__ import annotations

from typing import ClassVar

from textual import getters
from textual.screen import Screen
from textual.timer import Timer

from okrate_tui.core.queries.org import CycleRow, PersonRow
from okrate_tui.ui.host import Host
from okrate_tui.ui.store.changed import StoreChanged
from okrate_tui.ui.store.events import CycleMoved, Event, PeopleChanged, RecordsChanged, Touch

SETTLE_SECONDS = 0.3  # changes arriving together are read once


class LiveScreen(Screen[None]):
    """A screen that calls :meth:`reload_on_change` when records it shows change."""

    WATCHES: ClassVar[frozenset[str]] = frozenset()

    okrate = getters.app(Host)

    def __init__(self) -> None:
        super().__init__()
        self._heard_events: list[Event] = []
        self._timer: Timer | None = None

    def acting(self, noun: str) -> tuple[PersonRow, CycleRow] | None:
        """Who acts in which cycle. With no cycle left (the last one was removed while
        the screen was open) the screen, called ``noun``, says so and closes: None."""
        actor, cycle = self.okrate.actor, self.okrate.cycle
        if actor is not None and cycle is not None:
            return actor, cycle
        if self.app.screen is self:  # never under a question or form opened over it
            self.notify(f"There is no cycle now: the {noun} closes.", severity="warning")
            self.dismiss(None)
        else:
            self.notify("There is no cycle now.", severity="warning")
        return None

    def shows(self, touch: Touch) -> bool:
        """Does a changed record touch what this screen shows?"""
        return touch.entity in self.WATCHES

    def on_store_changed(self, message: StoreChanged) -> None:
        self._heard(message.event)

    def _heard(self, event: Event) -> None:
        shown = isinstance(event, RecordsChanged) and any(self.shows(t) for t in event.touches)
        if shown or isinstance(event, CycleMoved | PeopleChanged):
            self._heard_events.append(event)
            if self._timer is None:
                self._timer = self.set_timer(SETTLE_SECONDS, self._fire)

    def _fire(self) -> None:
        events, self._heard_events, self._timer = self._heard_events, [], None
        if events:
            self.reload_on_change(events)

    def reload_on_change(self, events: list[Event]) -> None:
        """Read what the screen shows again."""
