"""Messages that travel up from panes and down from the app."""

from __future__ import annotations

from textual.message import Message


class DataChanged(Message, bubble=False):
    """Something was written (here or by another session): views should reload.

    Panes send it to their screen, which passes it to every pane.
    """

    def __init__(self, focus_goal: int | None = None, focus_task: int | None = None, source: str | None = None) -> None:
        super().__init__()
        self.focus_goal = focus_goal
        self.focus_task = focus_task
        self.source = source
