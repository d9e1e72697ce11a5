"""The one filter line both panes use: hidden until asked for, it says what was typed."""

from __future__ import annotations

from textual import on
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input


class FilterBar(Input):
    """A one-line filter. Posts :class:`FilterBar.Typed` as the text changes and
    :class:`FilterBar.Done` when enter is pressed; the pane decides what it filters."""

    DEFAULT_CSS = """
    FilterBar { height: 1; border: none; margin: 0 1; padding: 0 1; background: $boost; }
    """

    class Typed(Message):
        def __init__(self, bar: FilterBar, text: str) -> None:
            super().__init__()
            self.bar = bar
            self.text = text

        @property
        def control(self) -> FilterBar:
            return self.bar

    class Done(Message):
        def __init__(self, bar: FilterBar) -> None:
            super().__init__()
            self.bar = bar

        @property
        def control(self) -> FilterBar:
            return self.bar

    def on_mount(self) -> None:
        self.display = False
        self._came_from: Widget | None = None

    def open(self) -> None:
        """Show the line and take the keys; :meth:`give_back` returns them where they were."""
        focused = self.app.focused
        if focused is not self:
            self._came_from = focused
        self.display = True
        self.focus()

    def give_back(self, fallback: Widget) -> Widget | None:
        """The focus goes back where it was when the filter opened, else to ``fallback``;
        returns where it was when that is hidden now (the filter hid it)."""
        came_from, self._came_from = self._came_from, None
        if came_from is not None and came_from.is_attached and came_from.display:
            came_from.focus()
            return None
        fallback.focus()
        return came_from if came_from is not None and came_from.is_attached else None

    def close(self) -> bool:
        """Clear and hide it; True when there was something to clear."""
        had = bool(self.value) or self.display
        with self.prevent(Input.Changed):
            self.value = ""
        self.display = False
        return had

    def add(self, token: str) -> None:
        """Append a filter token (from a picker) and show the line."""
        self.value = f"{self.value} {token}".strip()
        self.display = True

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Typed(self, event.value))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done(self))
