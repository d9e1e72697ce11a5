"""The main screen: the top bar, the three panes and the footer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer

from okrate_tui.ui.messages import DataChanged
from okrate_tui.ui.panes.board import BoardPane
from okrate_tui.ui.panes.goals import GoalsPane
from okrate_tui.ui.panes.review import ReviewPane
from okrate_tui.ui.widgets.topbar import TopBar


class MainScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with ContentSwitcher(initial="goals", id="panes"):
            yield GoalsPane(id="goals")
            yield BoardPane(id="board")
            yield ReviewPane(id="review")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(GoalsPane).load()
        self.query_one("#goal-tree").focus()

    def on_data_changed(self, message: DataChanged) -> None:
        """A pane wrote something: every pane reloads (the writer's own included)."""
        for pane in self.query_one("#panes", ContentSwitcher).children:
            pane.post_message(DataChanged(message.focus_goal, message.focus_task, message.source))
