"""The one filter line both panes use: hidden until asked for, it says what was typed."""

from __future__ import annotations

from textual import on
from textual.message import Message
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

    def open(self) -> None:
        self.display = True
        self.focus()

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
